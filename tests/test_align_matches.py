"""``icp align --matches``: every list entry with the account it matched, how, and the score, per function."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from icp_tui.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SAMPLE_LISTS = [f"{function}={SAMPLE / 'lists' / name}.csv" for function, name in
                [("Sales", "sales"), ("Marketing", "marketing"), ("Customer Success", "customer_success"),
                 ("Product", "product"), ("Finance", "finance")]]
HEADER = "  entry                       account                           status   how                   score"


@pytest.fixture(scope="module")
def sample_out() -> str:
    """One run for the module (capsys is per test): standard output captured the same way."""
    buf, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(buf), contextlib.redirect_stderr(err):
        assert main(["align", *SAMPLE_LISTS, "--accounts", str(SAMPLE / "accounts.csv"), "--matches"]) == 0
    return buf.getvalue()


def test_sample_matches_per_function(sample_out):
    lines = sample_out.splitlines()
    # the counts are tests/test_matching.py's SAMPLE_COUNTS: matched, to confirm, new
    heads = [line for line in lines if not line.startswith(" ") and line]
    assert heads == ["Sales: 62 entries, 58 matched, 1 to confirm, 3 no match",
                     "Marketing: 74 entries, 69 matched, 1 to confirm, 4 no match",
                     "Customer Success: 50 entries, 48 matched, 0 to confirm, 2 no match",
                     "Product: 56 entries, 52 matched, 0 to confirm, 4 no match",
                     "Finance: 48 entries, 45 matched, 0 to confirm, 3 no match"]
    # per function a head, the column names and one line per entry; a blank line between functions
    assert len(lines) == 5 * 2 + 62 + 74 + 50 + 56 + 48 + 4
    assert sample_out.endswith("  sales@acme.com              ACC-00018 Acme Inc.               matched  same domain             100\n")
    assert lines[:2] == ["Sales: 62 entries, 58 matched, 1 to confirm, 3 no match", HEADER]
    assert lines.count(HEADER) == 5
    assert max(len(line) for line in lines) == 100


@pytest.mark.parametrize("line", [
    "  Zamimo Apps Corp            ACC-00539 Zamimo Apps Corp        matched  exact name              100",
    "  tandem co.                  ACC-00008 Tandem Co.              confirm  exact name, shared      100",
    "  Luloly Digital              no match                          new      no similar name           –",
    "  KAXENIS LEDGER              ACC-01498 Kaxenis Ledger          matched  exact name              100",
    # the account's name is cut at its column with "…"; token_sort_ratio 81.08
    "  Falconleaf Systems          ACC-01624 Falconhaven Systems C…  confirm  similar name           81.1",
    "  bluelightsoftware.in        ACC-00723 Bluelight Software      matched  same domain             100",
    "  Wildforge Shield            no match                          new      no similar name           –",
    "  Truepeak Agency             ACC-00898 Truepeak Agency         matched  same domain             100",  # its Website
])
def test_sample_matches_lines(sample_out, line):
    assert line in sample_out.splitlines()


def test_sample_matches_every_miss_is_listed(sample_out):
    misses = [line.split("  ")[1].strip() for line in sample_out.splitlines() if "  no match  " in line]
    assert misses == ["Luloly Digital", "Lovorix Co.", "Vomitex", "Harborpoint Bio", "Kabaly", "Falconlight Signals Inc.",
                      "Farbrook Marketing", "Wildforge Shield", "Swiftworks", "Sunline Security Co.", "Greengate Media",
                      "Clearline Cyber", "Amberpeak Defense SA", "Harborleaf Digital SA", "Vovenvo Cloud",
                      "Lakeleaf Direct SA"]


@pytest.fixture
def tiny(tmp_path) -> Path:
    """Accounts without a website column, and two lists of names, websites and e-mail addresses."""
    (tmp_path / "accounts.csv").write_text("Account ID,Account Name,Employees\nA1,Acme Robotics Inc.,120\n"
                                           "A2,Globex Corporation,40\nA3,Tandem Co.,10\nA4,The Tandem Company,12\n",
                                           encoding="utf-8")
    (tmp_path / "sales.csv").write_text("Company,Rank\nacme-robotics.com,1\nGlobex,2\ntandem.com,3\nInitech,4\nglobx,5\n"
                                        "jane@acmerobotics.io,6\n", encoding="utf-8")
    (tmp_path / "marketing.csv").write_text("Company,Website\nAcme,acmerobotics.com\nContoso,contoso.com\n"
                                            "The Globex Corporation of the Americas,\n", encoding="utf-8")
    return tmp_path


TINY = """\
Sales: 6 entries, 3 matched, 2 to confirm, 1 no match
  entry                       account                           status   how                   score
  acme-robotics.com           A1 Acme Robotics Inc.             matched  name from website       100
  Globex                      A2 Globex Corporation             matched  exact name              100
  tandem.com                  A3 Tandem Co.                     confirm  website name, shared    100
  Initech                     no match                          new      no similar name           –
  globx                       A2 Globex Corporation             confirm  similar name           90.9
  jane@acmerobotics.io        A1 Acme Robotics Inc.             matched  name from website       100

Marketing: 3 entries, 1 matched, 0 to confirm, 2 no match
  entry                       account                           status   how                   score
  Acme                        A1 Acme Robotics Inc.             matched  name from website       100
  Contoso                     no match                          new      no similar name           –
  The Globex Corporation of…  no match                          new      no similar name           –
"""


def test_tiny_matches_exact_output(tiny, capsys):
    # acme-robotics.com spells 'acme robotics'; acmerobotics.com the same without spaces; 'tandem' is the
    # key of A3 and A4 (to confirm, the first suggested); token_sort_ratio('globx', 'globex') = 2*5/11 = 90.9;
    # "Acme" with website acmerobotics.com: no account is named 'acme', so the website's name is tried;
    # 'globex corporation of the americas' ~ 'globex' = 2*6/40 = 30: below 80
    code = main(["align", f"Sales={tiny / 'sales.csv'}", f"Marketing={tiny / 'marketing.csv'}",
                 "--accounts", str(tiny / "accounts.csv"), "--matches"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert out == TINY
    assert err == ""


def test_tiny_matches_without_accounts(tiny, capsys):
    assert main(["align", f"Sales={tiny / 'sales.csv'}", "--matches"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Sales: 6 entries, 0 matched, 0 to confirm, 6 no match"
    assert out[2] == "  acme-robotics.com           no match                          new      no such domain            –"
    assert out[3] == "  Globex                      no match                          new      no similar name           –"


def test_without_matches_the_summary(tiny, capsys):
    assert main(["align", f"Sales={tiny / 'sales.csv'}", "--accounts", str(tiny / "accounts.csv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Overlap (shared accounts; Jaccard below the diagonal)\n")
    assert "no match" not in out
