"""Seeds 002 and 003's checks of a scorecard (engine/history/seed_checks.py), on small hand-made deal sets.

Bands are the defaults: index 0 Strong fit (Tier 1), 1 Good fit (Tier 2), 2 Possible fit (Tier 3),
3 Weak fit (Nurture), 4 Poor fit (Pass). Every expected figure is worked out in the comment beside it.
"""

from __future__ import annotations

import numpy as np
import pytest

from icp_tui.engine.history.seed_checks import MIN_DEALS, MIN_WON, score_checks, tier_checks, tier_number
from icp_tui.engine.scorecard.model import DEFAULT_BANDS, Band

NAT = np.datetime64("NaT", "ns")


def tiers(t1: list[dict], t3: list[dict], bands=DEFAULT_BANDS):
    """Deals as dicts (won, amount, cycle, nrr) in band 0 (Tier 1) then band 2 (Tier 3)."""
    deals = [(0, d) for d in t1] + [(2, d) for d in t3]
    band = np.array([b for b, _ in deals])
    won = np.array([d["won"] for _, d in deals], bool)
    col = lambda k: np.array([d.get(k, np.nan) for _, d in deals], float)  # noqa: E731
    return tier_checks(won, band, bands, col("amount"), col("cycle"), col("nrr"))


def wins(amounts, cycles, nrrs):
    return [{"won": True, "amount": a, "cycle": c, "nrr": r} for a, c, r in zip(amounts, cycles, nrrs)]


def losses(n):
    return [{"won": False, "amount": 999_999.0, "cycle": 1.0, "nrr": 5.0} for _ in range(n)]  # never counted


def test_minimums_are_the_seeds():
    assert (MIN_DEALS, MIN_WON) == (10, 5)


@pytest.mark.parametrize("text, n", [("Tier 1", 1), ("tier1", 1), ("T3", 3), (" Tier-3 ", 3), ("Nurture", None), ("", None)])
def test_tier_number(text, n):
    assert tier_number(text) == n


def test_tier_1_beats_tier_3_on_all_four():
    # Tier 1: 10 deals, 6 won -> 60%; won ACV (60+60+60+60+90+90)k / 6 = 420k / 6 = $70k;
    #   won cycles 30 40 50 60 70 80 -> median (50 + 60) / 2 = 55 days; NRR (1.1*2 + 1.2*2 + 1.3*2) / 6 = 120%
    # Tier 3: 10 deals, 5 won -> 50%; ACV $20k; cycles 100..140 -> median 120 days; NRR 90%
    t1 = wins([60e3] * 4 + [90e3] * 2, [30, 40, 50, 60, 70, 80], [1.1, 1.1, 1.2, 1.2, 1.3, 1.3]) + losses(4)
    t3 = wins([20e3] * 5, [100, 110, 120, 130, 140], [0.9] * 5) + losses(5)
    got = [(c.short, c.status, c.figure, c.short_figure) for c in tiers(t1, t3)]
    assert got == [
        ("T1>T3 win rate", "pass", "60% vs 50%", "60/50%"),
        ("T1>T3 ACV", "pass", "$70k vs $20k", "$70k/20k"),
        ("T1<T3 cycle", "pass", "55d vs 120d", "55/120d"),
        ("T1>T3 NRR", "pass", "120% vs 90%", "120/90%"),
    ]
    assert tiers(t1, t3)[0].detail == "Tier 1: 10 deals (6 won); Tier 3: 10 deals (5 won)"


def test_ties_and_the_wrong_way_fail():
    # win rate 5/10 = 50% each: not above; ACV $20k each; Tier 1's cycle 200 days > 100; NRR 80% < 90%
    t1 = wins([20e3] * 5, [200] * 5, [0.8] * 5) + losses(5)
    t3 = wins([20e3] * 5, [100] * 5, [0.9] * 5) + losses(5)
    assert [(c.status, c.figure) for c in tiers(t1, t3)] == [
        ("fail", "50% vs 50%"), ("fail", "$20k vs $20k"), ("fail", "200d vs 100d"), ("fail", "80% vs 90%")]


def test_too_few_deals_is_not_enough_data():
    # Tier 3 has 9 closed deals (< 10): no win rate; 4 of its wins have an amount (< 5): no ACV;
    # cycle and NRR on 5 wins each side are compared
    t1 = wins([50e3] * 5, [30] * 5, [1.2] * 5) + losses(5)
    t3 = wins([10e3] * 4 + [np.nan], [60] * 5, [1.0] * 5) + losses(4)
    got = tiers(t1, t3)
    assert [(c.status, c.figure, c.short_figure) for c in got] == [
        ("na", "not enough data", "n/a"), ("na", "not enough data", "n/a"), ("pass", "30d vs 60d", "30/60d"),
        ("pass", "120% vs 100%", "120/100%")]
    assert got[0].detail == "Tier 1: 10 deals (5 won); Tier 3: 9 deals (5 won); a win rate needs 10+ closed deals in each"
    assert got[1].detail == "won deals with the figure: Tier 1 5, Tier 3 4; 5+ needed in each"


def test_bands_without_tier_3():
    bands = (Band(85, "Strong", "Tier 1"), Band(0, "Rest", "Pass"))
    got = tiers(wins([1e3] * 10, [1] * 10, [1] * 10), [], bands)
    assert [c.status for c in got] == ["na"] * 4
    assert got[0].detail == 'no band has tier Tier 3 ([[bands]] tier = "Tier 1" ...)'


# -- seed 003 ---------------------------------------------------------------------------------------


def days(*d: int) -> np.ndarray:
    return np.array([np.datetime64("2026-01-01", "ns") + np.timedelta64(x, "D") for x in d])


def scores(won, fit, when=None):
    won = np.array(won, bool)
    fit = np.array(fit, float)
    when = days(*range(len(won))) if when is None else when
    return {c.short: c for c in score_checks(won, fit, when, np.arange(len(won)))}


@pytest.mark.parametrize("n_won, status, figure", [
    (7, "pass", "70% (7 of 10)"),  # exactly 70%: 7 / 10 = 0.70 passes
    (6, "fail", "60% (6 of 10)"),  # 6 / 10 = 0.60
])
def test_close_rate_at_85(n_won, status, figure):
    # 10 deals at 85+ (85.0 counts), n_won of them won; a win at 84.9 and losses below are not in it
    fit = [85.0] * 10 + [84.9] + [10.0] * 5
    won = [True] * n_won + [False] * (10 - n_won) + [True] + [False] * 5
    c = scores(won, fit)["85+ close rate"]
    assert (c.status, c.figure, c.short_figure) == (status, figure, figure.split(" ")[0])


def test_close_rate_needs_10_deals_at_85():
    c = scores([True] * 9 + [False] * 5, [90.0] * 9 + [10.0] * 5)["85+ close rate"]
    assert (c.status, c.detail) == ("na", "9 deals scored 85+; 10+ needed")


@pytest.mark.parametrize("n, high, status, figure, short", [
    (9, 9, "na", "not enough data", "n/a"),  # 9 dated wins < 10
    (10, 8, "pass", "80% (8 of the last 10)", "8/10"),  # 8 / 10 = 80% exactly
    (10, 7, "fail", "70% (7 of the last 10)", "7/10"),
    (15, 12, "pass", "80% (12 of the last 15)", "12/15"),  # 12 / 15 = 80%
    (15, 11, "fail", "73% (11 of the last 15)", "11/15"),  # 11 / 15 = 73.3%
])
def test_latest_wins_at_70(n, high, status, figure, short):
    # n wins, the last `high` of them (by close date) score exactly 70, the earlier ones 69.9
    fit = [69.9] * (n - high) + [70.0] * high + [10.0] * 5
    won = [True] * n + [False] * 5
    c = scores(won, fit)["Recent wins 70+"]
    assert (c.status, c.figure, c.short_figure) == (status, figure, short)


def test_latest_wins_are_the_last_15_by_close_date():
    # 20 wins: the 5 earliest (days 0-4) score 0, the 15 latest (days 5-19) score 90, listed out of date order;
    # only the last 15 count: 15 of 15
    order = np.array([19, 3, 18, 0, 17, 1, 16, 2, 15, 4, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5])
    fit = np.where(order >= 5, 90.0, 0.0)
    won = [True] * 20 + [False] * 5
    c = scores(won, list(fit) + [10.0] * 5, days(*order, 0, 0, 0, 0, 0))["Recent wins 70+"]
    assert (c.status, c.figure, c.detail) == ("pass", "100% (15 of the last 15)", "won since 2026-01-06; 80%+ should score 70+")


def test_latest_wins_ties_on_the_date_take_the_later_rows():
    # 16 wins on the same day: the last 15 rows count; row 0 (score 0) is left out -> 15 of 15
    c = scores([True] * 16, [0.0] + [80.0] * 15, days(*[0] * 16))["Recent wins 70+"]
    assert c.figure == "100% (15 of the last 15)"


def test_wins_without_a_close_date_are_not_recent():
    when = days(*range(12))
    when[:3] = NAT  # 9 dated wins left
    c = scores([True] * 12, [90.0] * 12, when)["Recent wins 70+"]
    assert (c.status, c.detail) == ("na", "9 deals won with a close date (3 without); 10+ needed")


def test_mean_score_won_against_lost():
    # won 90 80 70 60 50 -> 350 / 5 = 70.0; lost 40 30 20 10 0 -> 100 / 5 = 20.0; +50.0
    c = scores([True] * 5 + [False] * 5, [90, 80, 70, 60, 50, 40, 30, 20, 10, 0])["Won > lost score"]
    assert (c.status, c.figure, c.short_figure, c.detail) == ("pass", "70.0 vs 20.0 (+50.0)", "70/20", "5 won, 5 lost")
    # the same means the other way round: fail; equal means: fail (not higher)
    c = scores([False] * 5 + [True] * 5, [90, 80, 70, 60, 50, 40, 30, 20, 10, 0])["Won > lost score"]
    assert (c.status, c.figure) == ("fail", "20.0 vs 70.0 (-50.0)")
    assert scores([True] * 5 + [False] * 5, [50.0] * 10)["Won > lost score"].status == "fail"


def test_mean_score_needs_5_of_each():
    c = scores([True] * 4 + [False] * 9, [80.0] * 13)["Won > lost score"]
    assert (c.status, c.detail) == ("na", "4 won, 9 lost; 5+ of each needed")
