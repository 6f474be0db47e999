"""``-`` as an input file: standard input, read once, named ``<stdin>`` in messages."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from icp_tui.cli.main import main
from icp_tui.engine.core import stdin as stdin_module
from icp_tui.engine.core.errors import DataFileError, ScorecardError
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.scorecard.file import ScorecardFile

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
SCORECARD = ROOT / "tests" / "data" / "seed003_scorecard.toml"
ACCOUNTS = "account_id,name,employees,industry\nA1,Acme,850,SaaS\nA2,Globex,12,Retail\n"


@pytest.fixture
def feed(monkeypatch):
    """Put bytes on standard input (a text stream with a .buffer, as sys.stdin is)."""

    def put(data: bytes | str) -> None:
        raw = data.encode("utf-8") if isinstance(data, str) else data
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw), encoding="utf-8"))

    yield put
    stdin_module.cleanup()


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# -- the engine -------------------------------------------------------------------------------


def test_read_table_from_stdin(feed):
    feed(ACCOUNTS)
    table, info = read_table("-")
    assert table.column_names == ["account_id", "name", "employees", "industry"]
    assert table.column("name").to_pylist() == ["Acme", "Globex"]
    assert (info.path, info.rows, info.delimiter) == ("<stdin>", 2, ",")


def test_stdin_is_read_once_and_again_from_the_same_copy(feed):
    feed("a;b\n1;2\n")
    first = stdin_module.stdin_file()
    assert read_table("-")[0].to_pylist() == [{"a": "1", "b": "2"}]
    assert read_table("-")[0].to_pylist() == [{"a": "1", "b": "2"}]  # not empty the second time
    assert stdin_module.stdin_file() == first
    feed("c\nx\n")  # another standard input: read afresh, the old copy removed
    assert read_table("-")[0].to_pylist() == [{"c": "x"}]
    assert not first.exists()
    copy = stdin_module.stdin_file()
    stdin_module.cleanup()
    assert not copy.exists()


def test_errors_name_stdin(feed):
    feed("")
    with pytest.raises(DataFileError) as e:
        read_table("-")
    assert str(e.value) == "<stdin>: is empty"
    feed("name\n")
    with pytest.raises(DataFileError) as e:
        read_table("-")
    assert str(e.value) == "<stdin>:1: has a header but no data rows"


def test_xlsx_from_stdin(feed):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.append(["Company", "Rank"])
    wb.active.append(["Acme", 1])
    buf = io.BytesIO()
    wb.save(buf)
    feed(buf.getvalue())
    table, info = read_table("-")
    assert table.to_pylist() == [{"Company": "Acme", "Rank": "1"}]
    assert (info.path, info.encoding) == ("<stdin>", "xlsx")


def test_scorecard_from_stdin(feed):
    feed(SCORECARD.read_bytes())
    sf = ScorecardFile.open("-")
    assert (str(sf.path), sf.scorecard.name, len(sf.scorecard.criteria)) == ("<stdin>", "Seed 003 example", 8)
    feed('[scorecard]\nname = "x"\n\n[[criteria]]\nid = 3\n')
    with pytest.raises(ScorecardError) as e:
        ScorecardFile.open("-")
    assert str(e.value) == "<stdin>:4: criteria[1]: 'category' is missing"


# -- the commands -----------------------------------------------------------------------------


def test_score_reads_accounts_from_stdin(feed, capsys, tmp_path):
    (tmp_path / "a.csv").write_text(ACCOUNTS, encoding="utf-8")
    code, from_file, _ = run(capsys, "score", str(tmp_path / "a.csv"), "-s", str(SCORECARD))
    assert code == 0
    feed(ACCOUNTS)
    code, out, err = run(capsys, "score", "-", "-s", str(SCORECARD))
    assert code == 0
    assert out == from_file
    assert out.splitlines()[1].startswith('"A1","Acme","850","SaaS","58.3",')
    assert "icp: warning: <stdin>: no column for annual_revenue" in err


def test_align_reads_one_list_from_stdin(feed, capsys, tmp_path):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "mkt.csv").write_text("Company\nGlobex Inc\n", encoding="utf-8")
    feed("Company,Rank\nacme,1\nInitech,2\n")
    code, out, err = run(capsys, "align", "Sales=-", f"Marketing={tmp_path / 'mkt.csv'}", "--accounts",
                         str(tmp_path / "accounts.csv"), "--matches")
    assert code == 0, err
    assert out.splitlines() == [
        "Sales: 2 entries, 1 matched, 0 to confirm, 1 no match",
        "  entry                       account                           status   how                   score",
        "  acme                        A1 Acme                           matched  exact name              100",
        "  Initech                     no match                          new      no similar name           –",
        "",
        "Marketing: 1 entry, 1 matched, 0 to confirm, 0 no match",
        "  entry                       account                           status   how                   score",
        "  Globex Inc                  A2 Globex                         matched  exact name              100",
    ]
    feed("Company\nacme\n")
    code, out, err = run(capsys, "align", "-", "--matches")
    assert (code, out.splitlines()[0]) == (0, "Standard input: 1 entry, 0 matched, 0 to confirm, 1 no match")


def test_lint_reads_the_scorecard_from_stdin(feed, capsys):
    code, from_file, err_file = run(capsys, "lint", str(SCORECARD))
    feed(SCORECARD.read_bytes())
    code2, out, err = run(capsys, "lint", "-")
    assert (code2, out) == (code, from_file.replace(str(SCORECARD), "<stdin>"))
    assert err == "<stdin>: 8 criteria, 0 warnings, 1 note\n"  # not validated yet (no `validated` date)
    assert err_file == f"{SCORECARD}: 8 criteria, 0 warnings, 1 note\n"


def test_validate_reads_the_deals_from_stdin(feed, capsys):
    args = ["-s", str(SAMPLE / "scorecard.toml"), "--accounts", str(SAMPLE / "accounts.csv")]
    code, from_file, _ = run(capsys, "validate", *args, "--deals", str(SAMPLE / "deals.csv"))
    feed((SAMPLE / "deals.csv").read_bytes())
    code2, out, _ = run(capsys, "validate", *args, "--deals", "-")
    assert (code2, out) == (code, from_file)
    assert out.startswith("Validation of Starter ICP scorecard v1.0\n320 closed deals (107 won, 213 lost), 80 open\n")


def test_validate_without_accounts_reads_stdin_twice_from_one_copy(feed, capsys):
    # the deal rows are read as deals and as the accounts to score: both from the one copy of stdin
    feed((SAMPLE / "deals.csv").read_bytes())
    code, out, err = run(capsys, "validate", "-s", str(SAMPLE / "scorecard.toml"), "--deals", "-")
    assert out.startswith("Validation of Starter ICP scorecard v1.0\n320 closed deals (107 won, 213 lost), 80 open\n")
    assert err == ("icp: warning: <stdin>: no column for employees, annual_revenue, industry, growth_rate, tech_stack, "
                   "country (scored as unknown; pass --accounts to read them from the accounts file)\n")
    assert code == 1  # the checklist fails without the accounts' fields


@pytest.mark.parametrize("argv", [
    ["score", "-", "-s", "-"],
    ["align", "Sales=-", "-"],
    ["align", "Sales=-", "--accounts", "-"],
    ["validate", "-s", "-", "--deals", "-"],
    ["lint", "-", "--accounts", "-"],
])
def test_a_second_stdin_is_refused(feed, capsys, argv):
    feed(ACCOUNTS)
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert err.splitlines()[-1].startswith("icp: error: only one input can be read from standard input ('-'), not 2 (")


def test_a_second_stdin_names_both(feed, capsys):
    code, _, err = run(capsys, "score", "-", "-s", "-")
    assert err.splitlines()[-1] == "icp: error: only one input can be read from standard input ('-'), not 2 (accounts, --scorecard)"
    code, _, err = run(capsys, "align", "Sales=-", "-", "--decisions", "-")
    assert err.splitlines()[-1] == ("icp: error: only one input can be read from standard input ('-'), "
                                    "not 3 (--decisions, Sales=-, -)")
