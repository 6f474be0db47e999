"""The deal window (engine/history/window.py) and ``--since`` on ``icp validate`` / ``icp segments``."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from icp_tui.cli import main
from icp_tui.engine.core.dates import months_back
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.history.window import apply_window, parse_since

ROOT = Path(__file__).resolve().parents[1]
SEED003 = ROOT / "tests" / "data" / "seed003_scorecard.toml"
TODAY = date(2026, 12, 3)


@pytest.mark.parametrize("text, since", [
    ("12m", date(2025, 12, 3)), ("24m", date(2024, 12, 3)), ("18 months", date(2025, 6, 3)), (" 18 Months ", date(2025, 6, 3)),
    ("1 month", date(2026, 11, 3)), ("2y", date(2024, 12, 3)), ("2025-12-03", date(2025, 12, 3)), ("2026-12-03", TODAY),
])
def test_parse_since(text, since):
    assert parse_since(text, TODAY) == since


def test_months_back_keeps_to_the_month():
    # 31 March less a month is the last day of February (2024 a leap year); January less one month is December
    assert months_back(date(2026, 3, 31), 1) == date(2026, 2, 28)
    assert months_back(date(2024, 3, 30), 1) == date(2024, 2, 29)
    assert months_back(date(2026, 1, 15), 1) == date(2025, 12, 15)


@pytest.mark.parametrize("text, message", [
    ("0m", "'0m' is no time at all: give at least 1 month (e.g. 12m)"),
    ("12x", "'12x' is not a date or a number of months (use a date such as 2025-12-03, or months back from today "
            "such as 12m, 24m or '18 months')"),
    ("12", "'12' is not a date or a number of months"),
    ("2025-02-30", "'2025-02-30' is not a day of the calendar"),
    ("2026-12-04", "2026-12-04 is after today (2026-12-03): no deal has closed since then"),
])
def test_bad_since(text, message):
    with pytest.raises(ValueError) as e:
        parse_since(text, TODAY)
    assert str(e.value).startswith(message)


HEADER = "Opportunity ID,Account Name,Stage,Amount,Close Date,Employees\n"
#  W1 2024-01-10 (earliest), L1 2025-01-01, W2 2025-12-03 (exactly the start), L2 2026-06-30, W3 no close date,
#  O1 open with no date, O2 open closing 2024-01-01 (open deals always stay)
DEALS = HEADER + """\
W1,Alpha,Closed Won,100,2024-01-10,500
L1,Beta,Closed Lost,100,2025-01-01,500
W2,Gamma,Closed Won,100,2025-12-03,500
L2,Delta,Closed Lost,100,2026-06-30,500
W3,Eps,Closed Won,100,,500
O1,Zeta,Prospecting,100,,500
O2,Eta,Negotiation,100,2024-01-01,500
"""


@pytest.fixture
def deals(tmp_path):
    p = tmp_path / "deals.csv"
    p.write_text(DEALS, encoding="utf-8")
    return read_deals(p)


def test_window_keeps_closed_deals_since_and_open_ones(deals):
    kept, keep, w = apply_window(deals, date(2025, 12, 3))
    # W1 and L1 closed before the start; W3 has no close date: left out; W2 (on the day), L2, O1, O2 stay
    assert keep.tolist() == [False, False, True, True, False, True, True]
    assert kept.frame["deal_id"].tolist() == ["W2", "L2", "O1", "O2"]
    assert (w.closed, w.closed_before, w.earlier, w.undated) == (2, 5, 2, 1)
    assert (w.first, w.last) == (date(2025, 12, 3), date(2026, 6, 30))
    assert w.summary() == "deals closed since 2025-12-03: 2 of 5 closed"
    assert w.notes == ["2 closed deals before 2025-12-03 left out",
                       "1 closed deal has no close date and is left out of the window"]
    assert w.warnings == []


def test_no_window_keeps_everything_and_warns_on_a_long_history(deals):
    kept, keep, w = apply_window(deals, None)
    assert kept is deals and keep.all()
    # first close 2024-01-10, last 2026-06-30: 29 whole months (2026-06-10 is 29 months on; the 30th not yet)
    assert (w.span_months, w.summary()) == (29, "all closed deals: 5")
    assert w.warnings == ["the closed deals span 29 months (2024-01-10 to 2026-06-30): old deals may describe a market "
                          "that has moved on; try a rolling 12 months (--since 12m)"]
    assert w.notes == ["1 closed deal has no close date (left out of the cycle, the latest quarter and the recent wins)"]


def test_exactly_24_months_is_no_warning(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text(HEADER + "A,a,Closed Won,1,2024-06-30,1\nB,b,Closed Lost,1,2026-06-30,1\n", encoding="utf-8")
    _, _, w = apply_window(read_deals(p), None)
    assert (w.span_months, w.warnings) == (24, [])
    p.write_text(HEADER + "A,a,Closed Won,1,2024-06-29,1\nB,b,Closed Lost,1,2026-06-30,1\n", encoding="utf-8")
    assert apply_window(read_deals(p), None)[2].span_months == 24  # a day over 24 months is still 24 whole months
    p.write_text(HEADER + "A,a,Closed Won,1,2024-05-30,1\nB,b,Closed Lost,1,2026-06-30,1\n", encoding="utf-8")
    assert apply_window(read_deals(p), None)[2].span_months == 25


def test_window_without_a_close_date_column(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("Opportunity ID,Account Name,Stage\nA,a,Closed Won\nB,b,Prospecting\n", encoding="utf-8")
    kept, _, w = apply_window(read_deals(p), date(2025, 1, 1))
    assert kept.frame["deal_id"].tolist() == ["B"]
    assert w.warnings == ['no column was read as the close date: the window leaves out every closed deal '
                          '(map one with --map "deals:HEADER=closed")']


# -- the CLI -------------------------------------------------------------------------------------------


SMALL = ("Opportunity ID,Account Name,Stage,Amount,Created Date,Close Date,Employees,Annual Revenue,Industry,Growth Rate\n"
         + "".join(f"D{i:02d},Acc {i},{'Closed Won' if i % 2 else 'Closed Lost'},1000,2025-01-01,2025-{m:02d}-01,"
                   f"{850 if i % 2 else 30},120M,SaaS,25%\n" for i, m in zip(range(1, 13), range(1, 13))))


def test_validate_since_a_date(tmp_path, capsys):
    # deals D01..D12 close on the 1st of months 1..12 of 2025; odd ones won. Since 2025-07-01: D07..D12,
    # 6 closed (D07 D09 D11 won, D08 D10 D12 lost); 6 before it left out
    d = tmp_path / "deals.csv"
    d.write_text(SMALL, encoding="utf-8")
    main(["validate", "-s", str(SEED003), "-d", str(d), "--since", "2025-07-01"])
    out, err = capsys.readouterr()
    assert out.splitlines()[:3] == ["Validation of Seed 003 example v1", "6 closed deals (3 won, 3 lost), 0 open",
                                    "Window: deals closed since 2025-07-01: 6 of 12 closed"]
    assert f"icp: note: {d}: 6 closed deals before 2025-07-01 left out\n" in err


def test_validate_since_months_back(tmp_path, capsys):
    d = tmp_path / "deals.csv"
    d.write_text(SMALL, encoding="utf-8")
    since = months_back(date.today(), 18)  # the window's start moves with the clock
    main(["validate", "-s", str(SEED003), "-d", str(d), "--since", "18 months"])
    out, _ = capsys.readouterr()
    kept = sum(date(2025, m, 1) >= since for m in range(1, 13))
    assert f"Window: deals closed since {since.isoformat()}: {kept} of 12 closed" in out.splitlines()


@pytest.mark.parametrize("command", ["validate", "segments"])
def test_bad_since_is_a_usage_error(tmp_path, capsys, command):
    d = tmp_path / "deals.csv"
    d.write_text(SMALL, encoding="utf-8")
    args = [command, "-s", str(SEED003), "-d", str(d), "--since", "12x"] + (["-a", str(d)] if command == "segments" else [])
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == ("icp: error: --since 12x: '12x' is not a date or a number of months (use a date such as "
                                    "2025-12-03, or months back from today such as 12m, 24m or '18 months')")


def test_segments_since_on_the_sample(tmp_path, capsys):
    ws = tmp_path / "ws"
    shutil.copytree(ROOT / "sample_data", ws)
    assert main(["segments", "-w", str(ws), "--since", "2026-06-01", "-k", "2"]) == 0
    out, err = capsys.readouterr()
    assert "closed deals before 2026-06-01 left out" in err
    assert "Traceback" not in err


def test_validate_record_and_lint(tmp_path, capsys):
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.lint import lint_scorecard

    d = tmp_path / "deals.csv"
    d.write_text(SMALL, encoding="utf-8")
    card = tmp_path / "card.toml"
    text = SEED003.read_text(encoding="utf-8")
    card.write_text(text, encoding="utf-8")
    main(["validate", "-s", str(card), "-d", str(d), "--record"])
    err = capsys.readouterr().err
    sc = ScorecardFile.open(card).scorecard
    assert sc.validated == date.today()
    assert sc.validated_with.endswith(", 12 closed deals") and " checks passed" in sc.validated_with
    assert f"icp: {card}: recorded validated = {date.today().isoformat()} ({sc.validated_with})" in err
    saved = card.read_text(encoding="utf-8")
    assert saved.replace(f"validated = {date.today().isoformat()}\n", "").replace(
        f'validated_with = "{sc.validated_with}"\n', "") == text  # only the two lines are new
    stale = [f for f in lint_scorecard(ScorecardFile.open(card), today=months_back(date.today(), -7)) if f.source]
    assert any(f.key == "scorecard.validated" and "7 months ago" in f.message for f in stale)


def test_record_refuses_standard_input(tmp_path, capsys, monkeypatch):
    import io

    d = tmp_path / "deals.csv"
    d.write_text(SMALL, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(SEED003.read_bytes())))
    assert main(["validate", "-s", "-", "-d", str(d), "--record"]) == 2
    assert "--record writes into the scorecard file" in capsys.readouterr().err
