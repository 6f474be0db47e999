"""Wins against losses, customer tiers and ICP coverage (``icp segments``), on hand-computed deals.

Six accounts, thirteen deals. Fit of the small scorecard below: size (200-2,000 employees) 50 +
industry (SaaS 50, Software 25), so A1 100 (Strong), A3 75 (Good), A2 50 and A4 50 (Weak), A5 0
and A6 0 (Poor); the ICP by default is the bands from 70 up: Strong fit and Good fit.

  account  industry  employees  tech stack                          fit
  A1 Alpha  SaaS       500      Salesforce; Snowflake               100
  A2 Beta   SaaS       100      Salesforce Marketing Cloud; Slack    50  (Marketing Cloud is NOT Salesforce)
  A3 Gamma  Software   800      HubSpot                              75
  A4 Delta  Retail     300      Salesforce                           50
  A5 Eps    Retail      20      (empty: unknown)                      0
  A6 Zeta   (unknown)  n/a      Snowflake, Slack                      0

  deal  acct  outcome  ACV      cycle  churned  NRR   expansion
  D01   A1    won      100,000   30    no       120%  20,000
  D02   A1    won       60,000   60    no       105%       0
  D03   A3    won       40,000   90    no       130%  10,000
  D04   A2    won       20,000  120    yes       70%       0
  D05   A4    won       80,000   45    no        95%       0
  D06   A2    lost      30,000  200
  D07   A4    lost      50,000  100
  D08   A5    lost      10,000  150
  D09   A6    lost      25,000   80
  D10   A3    lost      45,000  100
  D11   A1    open      70,000
  D12   A5    open      30,000
  D13   A99   won       99,999   (account not in the file: left out)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from icp_tui.cli import main
from icp_tui.engine.alignment.overlap import deal_accounts
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.history.analysis import (
    MIN_CLOSED,
    AnalysisError,
    check_history,
    closed_deal_frame,
    history_notes,
    item_indicators,
    win_loss_table,
)
from icp_tui.engine.history.analysis_report import analysis_text
from icp_tui.engine.history.coverage import OPEN_GOAL, WON_GOAL, coverage, icp_band_count
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.history.tiers import customer_tiers
from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.workshop.workspace import universe_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

ACCOUNTS = """\
Account ID,Account Name,Industry,Employees,Tech Stack
A1,Alpha,SaaS,500,Salesforce; Snowflake
A2,Beta,saas,100,Salesforce Marketing Cloud; Slack
A3,Gamma,Software,800,HubSpot
A4,Delta,Retail,300,Salesforce
A5,Eps,Retail,20,
A6,Zeta,,n/a,"Snowflake, Slack"
"""
DEALS = """\
Opportunity ID,Account ID,Account Name,Stage,Amount,Created Date,Close Date,Churned,NRR,Expansion
D01,A1,Alpha,Closed Won,100000,2025-01-01,2025-01-31,no,120%,20000
D02,A1,Alpha,Closed Won,"$60,000",2025-01-01,2025-03-02,no,105%,0
D03,A3,Gamma,Won,40k,2025-01-01,2025-04-01,no,130%,10000
D04,A2,Beta,Closed Won,20000,2025-01-01,2025-05-01,yes,70%,0
D05,A4,Delta,Closed Won,80000,2025-01-01,2025-02-15,no,95%,0
D06,A2,Beta,Closed Lost,30000,2025-01-01,2025-07-20,,,
D07,A4,Delta,Closed Lost,50000,2025-01-01,2025-04-11,,,
D08,A5,Eps,Lost,10000,2025-01-01,2025-05-31,,,
D09,A6,Zeta,Closed Lost,25000,2025-01-01,2025-03-22,,,
D10,A3,Gamma,Closed Lost,45000,2025-01-01,2025-04-11,,,
D11,A1,Alpha,Prospecting,70000,2025-06-01,,,,
D12,A5,Eps,Negotiation,30000,2025-06-01,,,,
D13,A99,Nobody Inc,Closed Won,99999,2025-01-01,2025-02-01,no,100%,0
"""
SCORECARD = """\
[scorecard]
name = "Small"
version = "1"

[[criteria]]
id = "size"
label = "Company size"
category = "firmographic"
field = "employees"
max_points = 50
buckets = [{ gte = 200, lte = 2000, points = 50 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "industry"
label = "Industry"
category = "firmographic"
field = "industry"
max_points = 50
buckets = [{ in = ["SaaS"], points = 50 }, { in = ["Software"], points = 25 }, { otherwise = true, points = 0 }]

# an exclusion must not move coverage: won accounts are customers by now
[[exclusions]]
name = "Alpha"
reason = "excluded on purpose"
conditions = ["industry = SaaS"]
"""


@pytest.fixture
def small(tmp_path):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    (tmp_path / "deals.csv").write_text(DEALS)
    (tmp_path / "scorecard.toml").write_text(SCORECARD)
    acc = read_accounts(tmp_path / "accounts.csv")
    deals = read_deals(tmp_path / "deals.csv")
    rows = deal_accounts(deals, universe_of(acc))
    return tmp_path, acc, deals, rows, closed_deal_frame(deals, acc, rows)


def test_constants_are_the_seeds():
    assert (MIN_CLOSED, OPEN_GOAL, WON_GOAL) == (20, 0.50, 0.70)


def test_closed_deal_frame(small):
    _, _, _, rows, f = small
    assert rows.tolist() == [0, 0, 2, 1, 3, 1, 3, 4, 5, 2, 0, 4, -1]
    assert f["deal_id"].tolist() == [f"D{i:02d}" for i in range(1, 11)]  # open deals and D13 left out
    assert f["won"].tolist() == [True] * 5 + [False] * 5
    assert f["outcome"].astype(str).tolist() == ["won"] * 5 + ["lost"] * 5
    assert f["account_name"].tolist() == ["Alpha", "Alpha", "Gamma", "Beta", "Delta", "Beta", "Delta", "Eps", "Zeta", "Gamma"]
    assert f["amount"].tolist() == [100000, 60000, 40000, 20000, 80000, 30000, 50000, 10000, 25000, 45000]
    assert f["cycle_days"].tolist() == [30, 60, 90, 120, 45, 200, 100, 150, 80, 100]
    assert f["nrr"].iloc[:5].tolist() == pytest.approx([1.2, 1.05, 1.3, 0.7, 0.95])
    assert f["churned"].iloc[:5].tolist() == [False, False, False, True, False]
    assert f["churned"].iloc[5:].isna().all()
    assert f["employees"].fillna(-1).tolist() == [500, 500, 800, 100, 300, 100, 300, 20, -1, 800]  # Zeta's "n/a" unknown
    # categories keep the spelling first written ("saas" of Beta reads as SaaS), unknown is missing
    assert [None if pd.isna(v) else v for v in f["industry"]] == ["SaaS", "SaaS", "Software", "SaaS", "Retail", "SaaS", "Retail",
                                                     "Retail", None, "Software"]
    assert f["tech_stack"].tolist() == [("Salesforce", "Snowflake"), ("Salesforce", "Snowflake"), ("HubSpot",),
                                        ("Salesforce Marketing Cloud", "Slack"), ("Salesforce",),
                                        ("Salesforce Marketing Cloud", "Slack"), ("Salesforce",), None,
                                        ("Snowflake", "Slack"), ("HubSpot",)]
    assert "growth_rate" not in f and "country" not in f  # the accounts file has no such column


def test_item_indicators_match_whole_items(small):
    f = small[4]
    m = item_indicators(f["tech_stack"])
    assert m["Salesforce"].tolist() == [True, True, False, False, True, False, True, False, False, False]
    assert m["Salesforce Marketing Cloud"].sum() == 2
    assert list(m.columns) == ["Salesforce", "Slack", "Snowflake", "HubSpot", "Salesforce Marketing Cloud"]
    assert list(item_indicators(f["tech_stack"], min_share=0.3).columns) == ["Salesforce", "Slack", "Snowflake"]
    assert list(item_indicators(f["tech_stack"], min_share=0.31).columns) == ["Salesforce"]


def test_history_notes(small):
    _, _, deals, rows, _ = small
    assert history_notes(deals, rows) == [
        "1 closed deal whose account is not in the accounts file is left out",
        "2 open deals not analysed (only coverage counts them)",
    ]


def test_win_loss_numbers(small):
    wl = win_loss_table(small[4])
    assert (wl.won, wl.lost) == (5, 5)
    rows = {r.attribute: r for r in wl.numbers}
    assert list(rows) == ["amount", "cycle_days", "nrr", "expansion", "employees"]
    acv = rows["amount"]
    assert (acv.kind, acv.wins_mean, acv.losses_mean, acv.wins_known, acv.losses_known) == ("deal", 60000, 32000, 5, 5)
    assert acv.difference == 28000 and acv.relative == 28000 / 32000
    cyc = rows["cycle_days"]
    assert (cyc.wins_mean, cyc.losses_mean, cyc.difference) == (69, 126, -57)
    assert cyc.relative == pytest.approx(-57 / 126)
    emp = rows["employees"]  # Zeta's unknown employees are left out of the losses
    assert (emp.kind, emp.wins_mean, emp.losses_mean, emp.wins_known, emp.losses_known) == ("account", 440, 305, 5, 4)
    nrr = rows["nrr"]  # only won deals carry an NRR
    assert nrr.wins_mean == pytest.approx(1.04) and nrr.losses_mean is None and nrr.difference is None
    assert rows["expansion"].wins_mean == 6000


def test_win_loss_categories_and_tools(small):
    wl = win_loss_table(small[4])
    ind, tools = wl.categories
    assert (ind.attribute, ind.kind, ind.wins_known, ind.losses_known) == ("industry", "category", 5, 4)
    got = [(r.value, r.wins, r.losses, r.wins_share, r.losses_share) for r in ind.rows]
    assert got == [("SaaS", 3, 1, 0.6, 0.25), ("Retail", 1, 2, 0.2, 0.5), ("Software", 1, 1, 0.2, 0.25)]
    assert [round(r.difference, 10) for r in ind.rows] == [0.35, -0.3, -0.05]
    assert (tools.attribute, tools.kind, tools.wins_known, tools.losses_known, tools.omitted) == ("tech_stack", "items", 5, 4, 0)
    got = [(r.value, r.wins, r.losses, r.wins_share, r.losses_share) for r in tools.rows]
    # largest |difference| first; HubSpot and Marketing Cloud tie (-0.05, 2 deals each): by name
    assert got == [("Salesforce", 3, 1, 0.6, 0.25), ("Slack", 1, 2, 0.2, 0.5), ("Snowflake", 2, 1, 0.4, 0.25),
                   ("HubSpot", 1, 1, 0.2, 0.25), ("Salesforce Marketing Cloud", 1, 1, 0.2, 0.25)]


def test_win_loss_groups_the_rest():
    frame = pd.DataFrame({"won": [True] * 4 + [False] * 4,
                          "industry": pd.Categorical(list("ABCDEFGH"))})
    t = win_loss_table(frame, top=3).categories[0]
    assert [r.value for r in t.rows] == ["A", "B", "C", "other values"]
    other = t.rows[-1]
    assert (other.wins, other.losses, other.grouped, other.wins_share, other.losses_share) == (1, 4, 5, 0.25, 1.0)
    assert len(win_loss_table(frame, top=7).categories[0].rows) == 8  # 8 values: nothing to group at top 7


def test_tiers(small):
    t = customer_tiers(small[4])  # lost rows are ignored
    # ACV 20k 40k 60k 80k 100k: thirds at 46,666.67 / 73,333.33; cycle 30 45 60 90 120: 50 / 80
    assert t.acv_low == pytest.approx(140000 / 3) and t.acv_high == pytest.approx(220000 / 3)
    assert (t.cycle_fast, t.cycle_slow) == (pytest.approx(50), pytest.approx(80))
    assert t.deal_ids.tolist() == ["D01", "D02", "D03", "D04", "D05"]
    # D01 +1 +1 (expansion) +1 = 3; D02 0 0 0; D03 -1 +1 (NRR 130%) -1 = -1; D04 -1 -1 -1 and churned; D05 +1 -1 (NRR 95%) +1 = 1
    assert t.points.tolist() == [3, 0, -1, -3, 1]
    assert t.tier.tolist() == [1, 2, 3, 3, 2]
    one, two, three = t.tiers
    assert (one.tier, one.deals, one.share, one.mean_acv, one.median_cycle, one.churn_rate) == (1, 1, 0.2, 100000, 30, 0)
    assert one.mean_nrr == pytest.approx(1.2) and (one.top_industry, one.top_industry_share, one.median_employees) == ("SaaS", 1.0, 500)
    assert (two.deals, two.mean_acv, two.median_cycle, two.churn_rate) == (2, 70000, 52.5, 0)
    assert two.mean_nrr == pytest.approx(1.0)
    assert (two.top_industry, two.top_industry_share, two.median_employees) == ("Retail", 0.5, 400)  # a tie: by name
    assert (three.deals, three.mean_acv, three.median_cycle, three.churn_rate) == (2, 30000, 105, 0.5)
    assert (three.top_industry, three.top_industry_share, three.median_employees) == ("SaaS", 0.5, 450)


def test_tier_of_a_churned_star_is_3():
    frame = pd.DataFrame({"won": [True] * 3, "amount": [10.0, 20.0, 30.0], "cycle_days": [30.0, 20.0, 10.0],
                          "nrr": [1.0, 1.0, 1.5], "churned": pd.array([False, False, True], dtype="boolean")})
    t = customer_tiers(frame)
    assert t.points.tolist() == [-2, 0, 3] and t.tier.tolist() == [3, 2, 3]


def test_tiers_without_money_or_dates():
    t = customer_tiers(pd.DataFrame({"won": [True, True, False]}))
    assert t.points.tolist() == [0, 0] and t.tier.tolist() == [2, 2]
    assert t.acv_low is None and t.tiers[1].mean_acv is None and t.tiers[0].share == 0


@pytest.fixture
def scored(small):
    path, acc, deals, rows, _ = small
    result = Scorer(acc).score(ScorecardFile.open(path / "scorecard.toml").scorecard)
    assert result.fit.tolist() == [100, 50, 75, 50, 0, 0]
    return result, deals, rows


def test_coverage_default_bands(scored):
    c = coverage(*scored)
    assert (c.icp_bands, c.icp_min) == (["Strong fit", "Good fit"], 70)
    o, w = c.open, c.won
    # open: D11 (Alpha, in) and D12 (Eps, out): 1 of 2 = 50% meets 50%; amount 70k of 100k
    assert (o.deals, o.in_icp, o.share, o.amount, o.in_icp_amount, o.amount_share) == (2, 1, 0.5, 100000, 70000, 0.7)
    assert (o.goal, o.met, o.met_by_amount, o.unmatched) == (0.5, True, True, 0)
    # won: D01 D02 (Alpha) D03 (Gamma) in; D04 (Beta) D05 (Delta) out: 60% falls short of 70%; D13 left out
    assert (w.deals, w.in_icp, w.share, w.amount, w.in_icp_amount) == (5, 3, 0.6, 300000, 200000)
    assert w.amount_share == pytest.approx(2 / 3)
    assert (w.goal, w.met, w.met_by_amount, w.unmatched) == (0.7, False, False, 1)
    assert c.notes == ["1 closed-won deal whose account is not in the accounts file is left out"]


def test_coverage_other_icp_lines(scored):
    strong = coverage(*scored, icp_min_band="Strong fit")
    assert strong.icp_bands == ["Strong fit"] and (strong.won.in_icp, strong.open.in_icp) == (2, 1)
    weak = coverage(*scored, icp_min_band=40)  # Weak fit (40+) joins: Beta and Delta
    assert weak.icp_bands == ["Strong fit", "Good fit", "Possible fit", "Weak fit"]
    assert (weak.won.in_icp, weak.won.share, weak.won.met) == (5, 1.0, True)
    assert icp_band_count(scored[0], 99) == 1  # no band starts at 99: the top band alone
    with pytest.raises(AnalysisError, match="no score band is labelled 'Gold'"):
        coverage(*scored, icp_min_band="Gold")


def test_coverage_without_deals_of_a_kind(scored):
    result, deals, rows = scored
    only_closed = deals.frame["outcome"].astype(str) != "open"
    deals.frame = deals.frame[only_closed].reset_index(drop=True)
    c = coverage(result, deals, rows[only_closed.to_numpy()])
    assert (c.open.deals, c.open.share, c.open.met, c.open.amount_share) == (0, None, None, None)


def test_check_history(small):
    f = small[4]
    with pytest.raises(AnalysisError, match="has 10 closed deals .* at least 20 are needed"):
        check_history(f, file="deals.csv")
    check_history(f, minimum=10)
    with pytest.raises(AnalysisError, match="all 5 closed deals are won: lost deals are needed"):
        check_history(f[f["won"]], minimum=5)
    with pytest.raises(AnalysisError, match="all 5 closed deals are lost: won deals are needed"):
        check_history(f[~f["won"]], minimum=5)


def test_frame_errors(tmp_path, small):
    _, acc, deals, rows, _ = small
    with pytest.raises(AnalysisError, match="no deal matches an account in"):
        closed_deal_frame(deals, acc, np.full(len(rows), -1))
    (tmp_path / "nostage.csv").write_text("Opportunity ID,Account ID,Amount\nX1,A1,100\n")
    with pytest.raises(DataFileError, match="has no stage or outcome column .*; headers seen: 'Opportunity ID', 'Account ID', 'Amount'"):
        closed_deal_frame(read_deals(tmp_path / "nostage.csv"), acc, np.array([0]))
    (tmp_path / "odd.csv").write_text("Opportunity ID,Account ID,Stage\nX1,A1,Pending review\n")
    with pytest.raises(AnalysisError, match="has no stage that reads as won, lost or open"):
        closed_deal_frame(read_deals(tmp_path / "odd.csv"), acc, np.array([0]))


def test_use_case_of_the_deal_wins_over_the_account(tmp_path):
    (tmp_path / "a.csv").write_text("Account ID,Industry,Use Case\nA1,SaaS,Forecasting\nA2,SaaS,Retention\n")
    (tmp_path / "d.csv").write_text("Opportunity ID,Account ID,Stage,Use Case\n"
                                    "X1,A1,Won,retention\nX2,A1,Lost,\nX3,A2,Lost,n/a\n")
    acc, deals = read_accounts(tmp_path / "a.csv"), read_deals(tmp_path / "d.csv")
    f = closed_deal_frame(deals, acc, deal_accounts(deals, universe_of(acc)))
    # one spelling per value: the first one among these deals (the account's "Retention" comes later)
    assert f["use_case"].astype(object).tolist() == ["retention", "Forecasting", "retention"]


def test_report(small, scored):
    path, acc, deals, rows, f = small
    text = analysis_text(win_loss_table(f), None, customer_tiers(f), coverage(*scored), title="small",
                         notes=history_notes(deals, rows))
    lines = text.splitlines()
    assert lines[:3] == ["Deal history: small", "10 closed deals (5 won, 5 lost) with a matching account",
                         "  note: 1 closed deal whose account is not in the accounts file is left out"]
    assert "  Deal size (ACV)            $60,000     $32,000  +$28,000 (+88%)" in lines
    assert "  Sales cycle (days)         69 days    126 days  -57 (-45%)" in lines
    assert "  Employees                      440         305  +135 (+44%)" in lines
    assert "  NRR                           104%           –  –" in lines
    assert "    Salesforce                           60%     25%  +35 pts" in lines
    assert "  Tier 1       1    20%  $100,000    30d     0%  120%  SaaS (100%), 500 employees" in lines
    assert ("  Open pipeline: 1 of 2 deals inside the ICP (50%), $70,000 of $100,000 (70%); meets the 50% goal") in lines
    assert ("  Closed-won: 3 of 5 deals inside the ICP (60%), $200,000 of $300,000 (67%); falls short of the 70% goal") in lines


# -- the command ---------------------------------------------------------------------------------


def test_cli_on_the_sample(capsys, tmp_path):
    out = tmp_path / "report.txt"
    code = main(["segments", "--deals", str(SAMPLE / "deals.csv"), "--accounts", str(SAMPLE / "accounts.csv"),
                 "--scorecard", str(SAMPLE / "scorecard.toml"), "-o", str(out)])
    assert code == 0
    assert "segment report written to" in capsys.readouterr().err
    text = out.read_text()
    lines = text.splitlines()
    assert lines[1] == "320 closed deals (107 won, 213 lost) with a matching account"
    assert "  note: 80 open deals not analysed (only coverage counts them)" in lines
    assert any(line.startswith("Segments of the closed deals (k-means on who the account is, k=") and
               "chosen by the best silhouette score" in line for line in lines)
    assert any(line.startswith("  segment 1: SaaS") for line in lines)
    assert "Customer tiers of the won deals" in lines
    assert any(line.startswith("  Open pipeline: ") and line.endswith("goal") for line in lines)
    assert any(line.startswith("  Closed-won: ") and "the 70% goal" in line for line in lines)


def test_cli_without_scorecard_has_no_coverage(capsys):
    code = main(["segments", "-d", str(SAMPLE / "deals.csv"), "-a", str(SAMPLE / "accounts.csv"), "-k", "2"])
    assert code == 0
    out = capsys.readouterr().out
    assert "k=2 given; silhouette: k=2 " in out and "ICP coverage" not in out
    assert "  segment 3" not in out


def _error(capsys, *argv) -> str:
    assert main(["segments", *argv]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    *warnings, err = captured.err.strip().splitlines()
    assert all(w.startswith("icp: warning: ") for w in warnings), warnings  # one error line, after any warnings
    return err


def test_cli_too_few_closed_deals(small, capsys):
    path = small[0]
    err = _error(capsys, "-d", str(path / "deals.csv"), "-a", str(path / "accounts.csv"))
    assert err == (f"icp: error: {path / 'deals.csv'}: has 10 closed deals (won or lost) with a matching account; "
                   "at least 20 are needed to compare wins with losses")


def test_cli_single_class(tmp_path, capsys):
    (tmp_path / "a.csv").write_text("Account ID,Industry\nA1,SaaS\n")
    (tmp_path / "d.csv").write_text("Opportunity ID,Account ID,Stage\n" + "".join(f"X{i},A1,Won\n" for i in range(21)))
    err = _error(capsys, "-d", str(tmp_path / "d.csv"), "-a", str(tmp_path / "a.csv"))
    assert err.endswith("d.csv: all 21 closed deals are won: lost deals are needed to compare wins with losses")


def test_cli_no_outcome_column(tmp_path, capsys, small):
    (tmp_path / "d.csv").write_text("Opportunity ID,Account ID,Amount\nX1,A1,100\n")
    err = _error(capsys, "-d", str(tmp_path / "d.csv"), "-a", str(small[0] / "accounts.csv"))
    assert "d.csv:1: has no stage or outcome column" in err


def test_cli_accounts_match_no_deal(tmp_path, capsys, small):
    (tmp_path / "other.csv").write_text("Account ID,Account Name,Industry\nB1,Someone Else,SaaS\n")
    err = _error(capsys, "-d", str(small[0] / "deals.csv"), "-a", str(tmp_path / "other.csv"))
    assert f"no deal matches an account in {tmp_path / 'other.csv'} (by account id, domain or name)" in err


def test_cli_k_below_two_is_usage(capsys, small):
    assert main(["segments", "-d", str(small[0] / "deals.csv"), "-a", str(small[0] / "accounts.csv"), "-k", "1"]) == 2
    assert "icp: error: -k 1: at least 2 segments" in capsys.readouterr().err
