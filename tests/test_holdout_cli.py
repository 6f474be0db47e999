"""``icp holdout`` on a copy of the sample, and the session behind it: set (stored, logged), show, the CSV's
holdout column through ``icp align -o``, compare with a later deal file (tests/data/holdout_later_deals.csv),
clear; bad input is a usage error or a one-line error naming the file."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest

from icp_tui.cli.main import main
from icp_tui.engine.alignment.holdout import Holdout
from icp_tui.engine.alignment.tal import DecisionsFile
from icp_tui.engine.workshop.alignment_session import AlignmentSession
from icp_tui.engine.workshop.log import read_log
from icp_tui.engine.workshop.manifest import Workshop

LATER = Path(__file__).parent / "data" / "holdout_later_deals.csv"


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    return folder


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_set_show_compare_clear(ws, capsys):
    code, out, _ = run(capsys, "holdout", "set", "-w", str(ws), "--seed", "482913", "--since", "2026-12-03")
    assert code == 0
    # the sample's TAL: 93 accounts; seed 482913 holds out 17 (18%): Tier 1 10, Tier 2 4, Tier 3 1, Pass 2
    assert out.splitlines()[:4] == [f"Hold-out: 20% of the TAL, seed 482913, since 2026-12-03 (in {ws / 'decisions.toml'})",
                                    "76 targeted, 17 control",
                                    "  Tier 1          48 targeted    10 control",
                                    "  Tier 2          16 targeted     4 control"]
    assert DecisionsFile.load(ws / "decisions.toml").holdout == Holdout(0.2, 482913, dt.date(2026, 12, 3))
    assert read_log(ws)[-1].text == "hold-out set: 20% of the TAL, seed 482913, since 2026-12-03; 76 targeted, 17 control"
    assert run(capsys, "holdout", "-w", str(ws))[1] == out  # show: the same
    report = run(capsys, "report", str(ws))[1]  # the report's TAL section says it too
    assert ("**Hold-out:** 20% of the list is kept as a control group (seed 482913, since 2026-12-03): 76 targeted, "
            "17 control (Tier 1 10, Tier 2 4, Tier 3 1, Pass 2).") in report

    code, _, err = run(capsys, "align", "-w", str(ws), "-o", str(ws / "tal.csv"))
    assert code == 0, err
    rows = list(csv.DictReader(io.StringIO((ws / "tal.csv").read_text(encoding="utf-8"))))
    members = [r for r in rows if r["status"] in ("proposed", "included")]
    assert [sum(r["holdout"] == g for r in members) for g in ("target", "control")] == [76, 17]
    assert {r["name"]: r["holdout"] for r in members}["Kaxenis Ledger"] == "control"

    code, out, _ = run(capsys, "holdout", "compare", "-w", str(ws), "--deals", str(LATER))
    assert code == 0
    lines = out.splitlines()
    # targeted: Acme (2 deals), Cevovia, Globex, Terkamo (by name), Zaritex, Altair: 7 deals, 120k + 45k + 80k + 60k +
    # 30k + 40k + 50k = 425k; won Acme 120k + 40k, Terkamo 60k = 220k; lost Cevovia, Altair: 3 of 5 = 60%.
    # control: Kaxenis (won 55k), Zarira (lost 35k), Cinder (open 25k): 115k, 1 of 2 = 50%.
    # with a deal 6/76 = 7.9% against 3/17 = 17.6%: -10 pts; pipeline 425k/76 = 5,592 against 115k/17 = 6,765: -17%
    assert lines[0] == "20% held out as control (seed 482913); deals created from 2026-12-03"
    assert lines[3:13] == [
        "Accounts                            76              17          ",
        "  with a deal                   6 (8%)         3 (18%)   -10 pts",
        "Deals                                7               3          ",
        "Pipeline (every deal)         $425,000        $115,000          ",
        "  per account                   $5,592          $6,765      -17%",
        "Won deals                            3               1          ",
        "  win rate of closed         60% (3/5)       50% (1/2)   +10 pts",
        "Won amount                    $220,000         $55,000          ",
        "  per account                   $2,895          $3,235      -11%",
        ""]
    # Summitridge's deal was created before the date; Clearcrest is off the TAL; Nowhere Widgets is no account
    said = " ".join(" ".join(lines[13:]).split())  # the lines under the table, wrapped at 72
    assert said == ("13 deals read; left out: 1 created before 2026-12-03, 1 on accounts off the TAL, 1 on accounts "
                    "not found. Caution: targeted group: 5 closed deals, under 20: its win rate may be chance. "
                    "Caution: control group: 17 accounts, under 30: a difference may be chance.")

    assert run(capsys, "holdout", "clear", "-w", str(ws))[1].startswith("No hold-out: all 93 accounts on the TAL are targeted.")
    assert DecisionsFile.load(ws / "decisions.toml").holdout is None
    assert read_log(ws)[-1].text == "hold-out cleared (was 20% of the TAL, seed 482913, since 2026-12-03)"
    code, _, err = run(capsys, "holdout", "compare", "-w", str(ws), "--deals", str(LATER))
    assert code == 1 and "the TAL has no hold-out to compare" in err


@pytest.mark.parametrize("argv, said", [
    (["--share", "80"], "icp: error: --share 80: the share must be from 5% to 50% of the list, not 80"),
    (["--seed", "x1"], "icp: error: --seed x1: 'x1' is not a seed: type a whole number such as 482913"),
    (["--since", "3/12/2026"], "icp: error: --since 3/12/2026: '3/12/2026' is not a date or a number of months (use a "
                               "date such as 2025-12-03, or months back from today such as 12m, 24m or '18 months')"),
])
def test_bad_values_are_usage_errors(ws, capsys, argv, said):
    code, _, err = run(capsys, "holdout", "set", "-w", str(ws), *argv)
    assert code == 2 and err.splitlines()[-1] == said
    assert DecisionsFile.load(ws / "decisions.toml").holdout is None


def test_needs_a_workshop_and_a_readable_file(ws, capsys, tmp_path):
    code, _, err = run(capsys, "holdout", "set")
    assert code == 2 and "-w DIR is needed" in err
    (ws / "decisions.toml").write_text("[holdout]\nshare = 0.7\nseed = 1\n", encoding="utf-8")
    code, _, err = run(capsys, "holdout", "-w", str(ws))
    assert code == 1
    assert err.strip() == f"icp: error: {ws / 'decisions.toml'}:2: holdout.share: must be from 0.05 to 0.5 (5% to 50% of the list), not 0.7"


def test_session_keeps_the_seed_when_the_share_changes(ws):
    s = AlignmentSession(Workshop.load(ws))
    first = s.set_holdout(0.2)  # a new seed, drawn once
    assert 100_000 <= first.seed < 1_000_000
    again = s.set_holdout(0.3)
    assert again.seed == first.seed and again.share == 0.3
    # a larger share only adds accounts to the control group
    small = {r.proposal.key for r in s.tal.members if r.group == "control"}
    s.set_holdout(0.2)
    assert {r.proposal.key for r in s.tal.members if r.group == "control"} <= small
    with pytest.raises(Exception, match="the hold-out share must be from 0.05 to 0.5"):
        s.set_holdout(0.9)


def test_a_bad_value_shows_the_usage_of_its_verb(ws, capsys):
    code, _, err = run(capsys, "holdout", "set", "-w", str(ws), "--share", "abc")
    assert code == 2
    assert err.startswith("usage: icp holdout set ")
    assert err.rstrip().endswith("icp: error: --share abc: 'abc' is not a share: type a percentage such as 20")


def test_compare_refuses_a_file_that_is_not_deals_and_reads_one_whose_ids_all_match(ws, capsys, tmp_path):
    assert run(capsys, "holdout", "set", "-w", str(ws), "--seed", "482913", "--since", "2026-12-03")[0] == 0
    code, _, err = run(capsys, "holdout", "compare", "-w", str(ws), "--deals", str(ws / "lists" / "sales.csv"))
    assert code == 1 and "sales.csv:1: has no stage or outcome column" in err
    # every account id known and a website column too: the lookup array was read-only (an internal error)
    later = tmp_path / "later.csv"
    later.write_text("Account ID,Website,Stage,Amount,Created Date\nACC-00018,acme.com,Closed Won,100,2026-12-10\n"
                     "ACC-01337,cevovia.com,Negotiation,50,2026-12-11\n")
    code, out, err = run(capsys, "holdout", "compare", "-w", str(ws), "--deals", str(later))
    assert code == 0, err
    assert "internal error" not in err and "2 deals read" in out
