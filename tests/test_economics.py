"""Unit economics (engine/history/economics.py) and segment ranking, on hand-computed deals.

Six closed deals, one group unless said otherwise:

  deal  outcome  ACV      cycle  NRR   churned  CAC
  W1    won      100,000   30    110%  no       60,000
  W2    won       50,000   60    100%  no       40,000
  W3    won       80,000   90    120%  no       50,000
  W4    won       70,000  120     90%  yes      30,000
  L1    lost      20,000                        10,000
  L2    lost      40,000                        20,000

  win rate 4 / 6; ACV (won) 300,000 / 4 = 75,000; cycle median of 30, 60, 90, 120 = 75 days;
  NRR (1.1 + 1.0 + 1.2 + 0.9) / 4 = 1.05; churn 1 / 4 = 25%; CAC (won) 180,000 / 4 = 45,000;
  value per opportunity 4/6 x 75,000 = 50,000; velocity 50,000 / 75 = 666.67 $ a day;
  lifetime factor at r = 1.05 over 5 years: (1 - 1.05^5) / (1 - 1.05) = (1 - 1.2762815625) / -0.05
  = 5.52563125, so LTV = mean of ACV x 5.52563125 = 75,000 x 5.52563125 = 414,422.34375;
  LTV:CAC 414,422.34375 / 45,000 = 9.20938541...; payback 45,000 / (75,000 / 12) = 7.2 months;
  cost per win (60 + 40 + 50 + 30 + 10 + 20)k / 4 = 52,500.
"""

from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from icp_tui.cli import main
from icp_tui.engine.history.analysis import AnalysisError
from icp_tui.engine.history.analysis_report import segment_lines
from icp_tui.engine.history.economics import (
    LTV_YEARS,
    MIN_DEALS,
    NOT_IN_DATA,
    economics,
    group_economics,
    lifetime_factor,
)
from icp_tui.engine.history.economics_report import economics_lines, short_money
from icp_tui.engine.history.segments import RANKS, Segment, Segments, Stats, rank_segments
from icp_tui.engine.history.tiers import customer_tiers

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"


def tiny(**drop) -> pd.DataFrame:
    f = pd.DataFrame({
        "deal_id": ["W1", "W2", "W3", "W4", "L1", "L2"],
        "account_row": [0, 1, 2, 3, 4, 5],
        "won": [True, True, True, True, False, False],
        "amount": [100_000.0, 50_000, 80_000, 70_000, 20_000, 40_000],
        "cycle_days": [30.0, 60, 90, 120, 50, 70],
        "nrr": [1.1, 1.0, 1.2, 0.9, np.nan, np.nan],
        "churned": pd.array([False, False, False, True, None, None], dtype="boolean"),
        "cac": [60_000.0, 40_000, 50_000, 30_000, 10_000, 20_000],
    })
    return f.drop(columns=[c for c in drop if drop[c]])


def test_lifetime_factor_by_hand():
    # r = 1: 5 years of ACV; r = 0.5: 1 + .5 + .25 + .125 + .0625 = 1.9375; r = 1.05: 5.52563125
    assert lifetime_factor(np.array([1.0, 0.5, 1.05, np.nan])).tolist()[:3] == pytest.approx([5, 1.9375, 5.52563125])
    assert np.isnan(lifetime_factor(np.array([np.nan]))[0]) and LTV_YEARS == 5


def test_every_formula_on_four_won_deals():
    u = economics(tiny()).overall
    assert (u.deals, u.won, u.win_rate) == (6, 4, pytest.approx(4 / 6))
    assert (u.acv, u.cycle, u.nrr, u.churn, u.cac) == (75_000, 75, pytest.approx(1.05), 0.25, 45_000)
    assert u.value == pytest.approx(50_000) and u.velocity == pytest.approx(50_000 / 75)
    assert u.ltv == pytest.approx(414_422.34375) and u.ltv_estimated and (u.n_ltv, u.n_ltv_given) == (4, 0)
    assert u.ltv_cac == pytest.approx(414_422.34375 / 45_000)
    assert u.payback_months == pytest.approx(7.2)
    assert u.spend_per_win == pytest.approx(52_500)
    assert (u.count("cac"), u.count("win_rate"), u.few("cac")) == (4, 6, True)  # 4 < MIN_DEALS = 10
    assert MIN_DEALS == 10


def test_gross_margin_scales_ltv_and_payback():
    u = economics(tiny(), margin=0.8).overall
    assert u.ltv == pytest.approx(414_422.34375 * 0.8)  # 331,537.875
    assert u.payback_months == pytest.approx(45_000 / (6_250 * 0.8))  # 9 months
    with pytest.raises(ValueError, match="gross margin"):
        economics(tiny(), margin=1.5)


def test_own_ltv_where_given_estimate_elsewhere():
    f = tiny()
    f["ltv"] = [500_000.0, np.nan, np.nan, np.nan, np.nan, np.nan]
    u = economics(f).overall
    # (500,000 + (50,000 + 80,000 + 70,000) x 5.52563125) / 4 = (500,000 + 1,105,126.25) / 4
    assert u.ltv == pytest.approx(401_281.5625) and (u.n_ltv, u.n_ltv_given) == (4, 1)


def test_ltv_from_churn_without_nrr_and_none_without_either():
    u = economics(tiny(nrr=True)).overall
    # r = 1 - 25% = 0.75: (1 - 0.75^5) / 0.25 = 3.05078125; 75,000 x 3.05078125
    assert u.ltv == pytest.approx(228_808.59375)
    e = economics(tiny(nrr=True, churned=True))
    assert e.overall.ltv is None and e.overall.ltv_cac is None
    assert any(n.startswith(f"LTV: {NOT_IN_DATA}") for n in e.notes)


def test_missing_cac_is_not_in_the_data():
    e = economics(tiny(cac=True))
    u = e.overall
    assert (u.cac, u.ltv_cac, u.payback_months, u.spend_per_win, u.n_cac) == (None, None, None, None, 0)
    assert e.notes[0].startswith(f"CAC, LTV:CAC and payback: {NOT_IN_DATA}")
    text = "\n".join(economics_lines(e))
    assert f"note: CAC, LTV:CAC and payback: {NOT_IN_DATA}" in text
    assert "  all closed       6    4 ~67%  ~$75k ~$414k      –       –       –        –" in text


def test_cost_per_win_needs_every_closed_deal_cost():
    f = tiny()
    f.loc[4, "cac"] = np.nan  # a lost deal without a cost: the total spend is not known
    u = economics(f).overall
    assert u.spend_per_win is None and u.cac == 45_000


def test_groups_bands_and_tiers():
    f = tiny()
    codes = np.array([0, 0, 1, 1, 0, -1])  # group A: W1, W2, L1; group B: W3, W4; L2 in none
    a, b, c = group_economics(f, codes, ["A", "B", "C"], kind="segment")
    assert (a.deals, a.won, a.acv, a.cac) == (3, 2, 75_000, 50_000)  # (100k + 50k) / 2; (60k + 40k) / 2
    assert a.spend_per_win == pytest.approx((60_000 + 40_000 + 10_000) / 2)
    # A: NRR (1.1 + 1.0) / 2 = 1.05, LTV 75,000 x 5.52563125; B: NRR 1.05 too, (80k + 70k) / 2 = 75,000
    assert a.ltv == pytest.approx(414_422.34375) and b.ltv == pytest.approx(414_422.34375)
    assert (b.win_rate, b.payback_months) == (1.0, pytest.approx(40_000 / (75_000 / 12)))  # 6.4 months
    assert (c.deals, c.won, c.acv, c.ltv) == (0, 0, None, None)  # no deal: every figure unknown
    bands = SimpleNamespace(band=np.array([0, 0, 1, 1, 1, 1], np.int8),
                            bands=(SimpleNamespace(label="Strong fit"), SimpleNamespace(label="Weak fit")))
    e = economics(f, result=bands, tiers=customer_tiers(f))
    strong, weak = e.bands
    assert (strong.label, strong.deals, strong.won, strong.acv) == ("Strong fit", 2, 2, 75_000)
    assert (weak.deals, weak.won, weak.win_rate) == (4, 2, 0.5)
    assert [t.label for t in e.tiers] == ["Tier 1", "Tier 2", "Tier 3"]
    assert sum(t.deals for t in e.tiers) == 4 and all(t.win_rate is None for t in e.tiers)
    assert e.tiers[2].churn == 1.0  # W4 churned: Tier 3


def test_short_money_and_table_cells():
    assert [short_money(x) for x in (950, 8_450, 42_000, 1_600_000, 2.1e9, None)] == [
        "$950", "$8.4k", "$42k", "$1.6M", "$2.1B", "–"]
    lines = economics_lines(economics(tiny()))
    assert lines[1] == "               deals  won  win    ACV    LTV    CAC LTV:CAC payback cost/win"
    # every figure rests on fewer than 10 deals: marked ~
    assert lines[2] == "  all closed       6    4 ~67%  ~$75k ~$414k  ~$45k   ~9.2x   ~7 mo    ~$52k"
    assert max(len(x) for x in lines[1:3]) <= 77  # fits the Analysis screen at 80 columns
    # at each unit's edge the next unit: never "$1000k"
    assert [short_money(x) for x in (999.4, 999.6, 9_949, 9_951, 999_499, 999_999, 999_949_999)] == [
        "$999", "$1.0k", "$9.9k", "$10k", "$999k", "$1.0M", "$999.9M"]


# -- ranking --------------------------------------------------------------------------------------------


def _stats(deals, won, win, acv, ltv) -> Stats:
    return Stats(deals, won, win, acv, 60.0, 1.0, 0.1, ltv, True)


def three_segments() -> Segments:
    # A: win 50% x $10k = $5k value, LTV $200k; B: 20% x $50k = $10k, LTV $100k; C: 30% x $20k = $6k, LTV $300k
    stats = [_stats(40, 20, 0.5, 10_000, 200_000), _stats(60, 12, 0.2, 50_000, 100_000),
             _stats(10, 3, 0.3, 20_000, 300_000)]
    segs = [Segment(i + 1, st, None, [], [], [], [], np.array([i])) for i, st in enumerate(stats)]
    return Segments(3, "given", {3: 0.5}, segs, np.array([0, 0, 1, 2]), _stats(80, 29, 29 / 80, 25_000, 180_000),
                    [], 0, rank="win-rate")


@pytest.mark.parametrize("rank, order, best20", [("value", [10_000, 6_000, 5_000], 10_000),
                                                  ("ltv", [300_000, 200_000, 100_000], 200_000),
                                                  ("win-rate", [0.5, 0.3, 0.2], 0.5)])
def test_ranking_by_each_metric(rank, order, best20):
    segs = rank_segments(three_segments(), rank)
    fig = RANKS[rank][1]
    assert [fig(s.stats) for s in segs.segments] == pytest.approx(order)
    assert [s.number for s in segs.segments] == [1, 2, 3]
    assert fig(segs.best(20).stats) == pytest.approx(best20)  # C has 10 deals: not best(20) even when first
    # every row keeps its segment: labels point at the same Stats after the reordering
    before = three_segments()
    assert [segs.segments[i].stats for i in segs.labels] == [before.segments[i].stats for i in before.labels]


def test_unknown_rank_is_refused():
    with pytest.raises(AnalysisError, match="cannot rank segments by 'acv'"):
        rank_segments(three_segments(), "acv")


def test_segment_table_names_the_metric_and_the_fit_families():
    lines = segment_lines(rank_segments(three_segments(), "value"))
    assert lines[1] == "  ranked by value per opportunity (win rate x won ACV), best first"
    mmf = lines.index("  Message-market fit (win rate, ACV, sales velocity): does the pitch land?")
    pmf = lines.index("  Product-market fit (LTV, NRR, use case): do the customers stay and grow?")
    assert lines[mmf + 1] == "              deals   win  won ACV   value  cycle  velocity   lift"
    # B first by value: 60 deals, 20%, $50k, value $10k, 60 days, $10k / 60 = $167 a day
    assert lines[mmf + 3] == "  segment 1      60   20%     $50k    $10k    60d    $167/d      –"
    assert lines[mmf + 4].startswith("  segment 2      10   30%    ~$20k")  # C: 3 won deals, ~ marks the rough ACV
    assert lines[pmf + 1] == "                won   NRR  churn      LTV  main use case"
    assert lines[pmf + 3] == "  segment 1      12  100%    10%   $100k*  –"
    assert "  ~: from fewer than 10 deals, a hint rather than a pattern" in lines
    assert segment_lines(rank_segments(three_segments(), "ltv"))[1] == (
        "  ranked by LTV (lifetime value of a won customer), best first")


# -- the command, on the sample -------------------------------------------------------------------------


def test_cli_ranks_and_prints_the_unit_economics(capsys):
    assert main(["segments", "-w", str(SAMPLE), "--rank", "win-rate"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "  ranked by win rate, best first" in lines
    head = lines.index("Unit economics: what a customer brings against what it cost to win (revenue)")
    assert lines[head + 2] == "  all closed     320  107  33%   $70k  $452k   $91k    4.9x   16 mo    $155k"
    assert "  segment 1      114   81  71%   $83k  $584k  $100k    5.8x   15 mo    $121k" in lines
    assert "  segment 3       58    3   5%  ~$13k  ~$37k  ~$37k   ~1.0x  ~35 mo   ~$416k" in lines
    assert "  by score band (Starter ICP scorecard v1.0)" in lines
    assert "  Strong fit      87   68  78%   $84k  $588k  $105k    5.6x   15 mo    $120k" in lines
    assert "  Tier 1          44   44    –  $100k  $782k  $113k    6.9x   14 mo        –" in lines
    assert "  Tier 3          31   31    –   $34k  $144k   $60k    2.4x   21 mo        –" in lines


def test_cli_rank_ltv_and_margin(capsys):
    assert main(["segments", "-w", str(SAMPLE), "--rank", "ltv", "--margin", "80%"]) == 0
    out = capsys.readouterr().out
    assert "  ranked by LTV (lifetime value of a won customer), best first" in out
    # $452k x 0.8 = $362k; payback 91,315 / (70,380 x 0.8 / 12) = 19 months
    assert "  all closed     320  107  33%   $70k  $362k   $91k    4.0x   19 mo    $155k" in out
    with pytest.raises(SystemExit) as exit_:
        main(["segments", "-w", str(SAMPLE), "--rank", "acv"])
    assert exit_.value.code == 2 and "invalid choice: 'acv'" in capsys.readouterr().err


def test_cli_without_acquisition_cost_says_not_in_the_data(capsys, tmp_path):
    with open(SAMPLE / "deals.csv", encoding="utf-8", newline="") as fh:
        rows = [r[:-1] for r in csv.reader(fh)]  # the last column is Acquisition Cost
    assert rows[0][-1] == "Expansion"
    with open(tmp_path / "deals.csv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    assert main(["segments", "-d", str(tmp_path / "deals.csv"), "-a", str(SAMPLE / "accounts.csv"), "-k", "3"]) == 0
    out = capsys.readouterr().out
    assert f"  note: CAC, LTV:CAC and payback: {NOT_IN_DATA}" in out
    assert "  all closed     320  107  33%   $70k  $452k      –       –       –        –" in out
    assert "by score band" not in out  # no scorecard: no bands


def test_workshop_report_has_the_unit_economics_per_band_and_tier(tmp_path):
    import shutil

    from icp_tui.engine.workshop.manifest import Workshop
    from icp_tui.engine.workshop.report import build_report, report_markdown

    shutil.copytree(SAMPLE, tmp_path / "ws")
    text = report_markdown(build_report(Workshop.load(tmp_path / "ws")))
    lines = text.splitlines()
    head = lines.index("### Unit economics")
    assert lines[head + 2] == "| group | deals | won | win rate | ACV | LTV | CAC | LTV:CAC | payback |"
    assert lines[head + 4] == "| all closed | 320 | 107 | 33% | $70k | $452k | $91k | 4.9x | 16 mo |"
    assert "| Strong fit | 87 | 68 | 78% | $84k | $588k | $105k | 5.6x | 15 mo |" in lines
    assert "| Weak fit | 50 | 2 | 4% | ~$46k | ~$212k | ~$73k | ~2.9x | ~19 mo |" in lines  # 2 won deals: marked
    assert "| Tier 3 | 31 | 31 | – | $34k | $144k | $60k | 2.4x | 21 mo |" in lines
    assert lines.index("## Decision log") > head  # inside the scorecard section
