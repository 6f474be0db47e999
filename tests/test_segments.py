"""Segment discovery: k-means on who the account is, k by silhouette, segments judged on their deals.

Synthetic, well-separated groups of deals give exact memberships and figures; the sample workshop
must give back the segment its generator planted (sample_data/generate.py: IDEAL = SaaS / FinTech /
HealthTech, 200-2,000 employees, $30M-$500M, growth 20%+, Salesforce or Snowflake).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from icp_tui.engine.alignment.overlap import deal_accounts
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.history.analysis import AnalysisError, closed_deal_frame
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.history.segments import Share, discover_segments, group_stats, segment_features
from icp_tui.engine.workshop.workspace import universe_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

# name: (employees, revenue, growth, industry, use case, tools, won of 30, won ACV, cycle, NRR, churned of won)
GROUPS = {
    "mid": (800, 150e6, 0.40, "SaaS", "Forecasting", ("Salesforce", "Snowflake"), 24, 90_000, 60, 1.2, 2),
    "small": (30, 3e6, 0.05, "Retail", "Reporting", ("HubSpot",), 6, 20_000, 100, 1.0, 3),
    "big": (20_000, 5e9, -0.05, "Banking", "Compliance", ("Oracle",), 3, 50_000, 200, 0.9, 0),
    "growth": (120, 20e6, 0.90, "Gaming", "Marketing", ("Pipedrive", "Slack"), 12, 30_000, 40, 1.1, 1),
}
PER_GROUP = 30


def synthetic(names: list[str], seed: int = 1) -> tuple[pd.DataFrame, np.ndarray]:
    """Closed deals of the named groups, 30 each, shuffled; and the group of each row."""
    rng = np.random.default_rng(seed)
    parts = []
    for g in names:
        emp, rev, growth, ind, uc, tools, won, acv, cycle, nrr, churned = GROUPS[g]
        n = PER_GROUP
        w = np.arange(n) < won
        parts.append(pd.DataFrame({
            "group": g,
            "won": w,
            "amount": np.where(w, acv, 5_000.0),
            "cycle_days": float(cycle),
            "nrr": np.where(w, nrr, np.nan),
            "churned": pd.array([bool(i < churned) if w[i] else None for i in range(n)], dtype="boolean"),
            "employees": emp * np.exp(rng.normal(0, 0.05, n)),
            "annual_revenue": rev * np.exp(rng.normal(0, 0.05, n)),
            "growth_rate": growth + rng.normal(0, 0.01, n),
            "industry": ind,
            "use_case": uc,
            "tech_stack": [tools] * n,
        }))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
    for c in ("industry", "use_case"):
        frame[c] = pd.Categorical(frame[c])
    return frame.drop(columns="group"), frame["group"].to_numpy()


@pytest.mark.parametrize("names", [["mid", "small"], ["mid", "small", "big"], ["mid", "small", "big", "growth"]])
def test_blobs_give_the_true_k_and_exact_members(names):
    frame, group = synthetic(names)
    calls = []
    segs = discover_segments(frame, progress=lambda done, total, text: calls.append((done, total, text)),
                             rank="win-rate")
    assert (segs.k, segs.criterion) == (len(names), "silhouette")
    assert sorted(segs.silhouette) == list(range(2, 9))
    assert max(segs.silhouette, key=segs.silhouette.get) == len(names)
    assert [c[:2] for c in calls] == [(i, 7) for i in range(1, 8)]
    assert calls[0][2] == f"k=2: silhouette {segs.silhouette[2]:.3f}"
    # every segment is exactly one group; numbered by win rate: mid 80%, growth 40%, small 20%, big 10%
    by_rate = [g for g in ("mid", "growth", "small", "big") if g in names]
    for i, g in enumerate(by_rate):
        assert (segs.labels == i).tolist() == (group == g).tolist()
        assert segs.segments[i].rows.tolist() == np.flatnonzero(group == g).tolist()
        assert segs.segments[i].number == i + 1


def test_figures_of_the_segments():
    frame, group = synthetic(["mid", "small", "big"])
    segs = discover_segments(frame, rank="win-rate")
    mid, small, big = segs.segments
    b = segs.baseline
    assert (b.deals, b.won, b.win_rate) == (90, 33, 33 / 90)
    assert b.mean_acv == pytest.approx((24 * 90_000 + 6 * 20_000 + 3 * 50_000) / 33)
    assert (mid.stats.deals, mid.stats.won, mid.stats.win_rate, mid.stats.mean_acv) == (30, 24, 0.8, 90_000)
    assert (mid.stats.median_cycle, mid.stats.nrr, mid.stats.churn_rate) == (60, pytest.approx(1.2), 2 / 24)
    # LTV estimated: ACV x 5 years at the NRR as the yearly retention, ACV x (1 - r^5) / (1 - r):
    # mid 90,000 x (1 - 1.2^5) / (1 - 1.2) = 90,000 x 1.48832 / 0.2 = 90,000 x 7.4416 = 669,744
    assert mid.stats.ltv == pytest.approx(669_744) and mid.stats.ltv_estimated
    assert small.stats.ltv == pytest.approx(20_000 * 5)  # NRR 100%: 5 years of ACV
    # big: churn 0 does not matter, NRR 90% does: 50,000 x (1 - 0.59049) / 0.1 = 50,000 x 4.0951 = 204,755
    assert big.stats.churn_rate == 0 and big.stats.ltv == pytest.approx(204_755)
    # value per opportunity = win rate x won ACV; velocity = value / median cycle
    assert (mid.stats.value, mid.stats.velocity) == (pytest.approx(72_000), pytest.approx(1_200))  # 0.8 x 90k; / 60 d
    assert mid.lift == pytest.approx(0.8 / (33 / 90)) and big.lift == pytest.approx(0.1 / (33 / 90))
    assert mid.industries == [Share("SaaS", 1.0, pytest.approx(1 / 3))]
    assert [(s.value, s.share) for s in mid.tools] == [("Salesforce", 1.0), ("Snowflake", 1.0)]
    assert [(s.value, s.share) for s in mid.use_cases] == [("Forecasting", 1.0)]
    emp = mid.ranges[0]
    assert emp.attribute == "employees" and 700 < emp.low < 800 < emp.high < 900 and emp.known == 30
    text = mid.describe()
    assert text.startswith("SaaS 100%; employees 7") and "revenue $1" in text and "growth 39% to 41%" in text
    assert text.endswith("stack: Salesforce 100%, Snowflake 100%; use case: Forecasting 100%")


def test_own_ltv_column_wins_over_the_estimate():
    frame, _ = synthetic(["mid", "small"])
    frame["ltv"] = np.where(frame["won"], 250_000.0, np.nan)
    st = group_stats(frame)
    assert (st.ltv, st.ltv_estimated) == (250_000, False)


def test_given_k_and_determinism():
    frame, _ = synthetic(["mid", "small", "big"])
    a = discover_segments(frame, k=4, seed=3, rank="win-rate")
    b = discover_segments(frame, k=4, seed=3, rank="win-rate")
    assert (a.k, a.criterion, list(a.silhouette)) == (4, "given", [4])
    assert a.labels.tolist() == b.labels.tolist() and len(a.segments) == 4
    assert [s.win_rate for s in a.segments] == sorted((s.win_rate for s in a.segments), reverse=True)


def test_errors():
    frame, _ = synthetic(["mid", "small"])
    with pytest.raises(AnalysisError, match="cannot make 60 segments of 60 closed deals"):
        discover_segments(frame, k=60)
    with pytest.raises(AnalysisError, match="2 closed deals cannot be clustered"):
        discover_segments(frame.iloc[:2])
    with pytest.raises(AnalysisError, match="no attribute to cluster on"):
        discover_segments(frame[["won", "amount"]])


def test_too_few_distinct_profiles_skips_k():
    frame, _ = synthetic(["mid", "small"])
    for c in ("employees", "annual_revenue", "growth_rate"):
        frame[c] = frame.groupby(frame["industry"], observed=True)[c].transform("first")
    segs = discover_segments(frame, k_range=range(2, 4))
    assert segs.k == 2 and list(segs.silhouette) == [2]
    assert segs.notes == ["k=3 skipped: only 2 distinct deal profiles"]


def test_features_are_equal_blocks_with_missing_indicators():
    frame, _ = synthetic(["mid", "small", "big"])
    frame.loc[[0, 1], "employees"] = np.nan
    frame.loc[2, "tech_stack"] = None
    X, names = segment_features(frame)
    assert names == [
        "size: log employees", "size: employees missing", "size: log annual_revenue", "growth: growth_rate",
        "industry: Banking", "industry: Retail", "industry: SaaS",
        "use_case: Compliance", "use_case: Forecasting", "use_case: Reporting",
        "tech stack: HubSpot", "tech stack: Oracle", "tech stack: Salesforce", "tech stack: Snowflake",
        "tech stack: stack unknown",
    ]
    for block in ("size", "growth", "industry", "use_case", "tech stack"):
        cols = [i for i, n in enumerate(names) if n.startswith(block + ":")]
        assert (X[:, cols] ** 2).sum(axis=1).mean() == pytest.approx(1.0)
    assert X[:, 1].tolist().count(X[0, 1]) == 2  # the two missing employees share one indicator value


def test_rare_values_share_one_column():
    frame, _ = synthetic(["mid", "small"])
    frame["industry"] = frame["industry"].astype(object)
    frame.loc[[0, 1], "industry"] = ["Rare A", "Rare B"]  # 1 deal each: below 3 deals and 2%
    frame.loc[2, "industry"] = None
    _, names = segment_features(frame)
    assert [n for n in names if n.startswith("industry")] == [
        "industry: Retail", "industry: SaaS", "industry: other values"]  # unknown (1 deal) joins the rare ones


# -- the sample workshop -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_segments():
    acc = read_accounts(SAMPLE / "accounts.csv")
    deals = read_deals(SAMPLE / "deals.csv")
    frame = closed_deal_frame(deals, acc, deal_accounts(deals, universe_of(acc)))
    spec = importlib.util.spec_from_file_location("_sample_generate_seg", SAMPLE / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    truth = {a["id"]: a["seg"] for a in gen.build()[0]}  # accounts' planted segment
    ids = np.asarray(acc.raw("account_id").to_pylist(), dtype=object)
    planted = np.array([truth[i] for i in ids[frame["account_row"].to_numpy()]])
    return frame, planted, discover_segments(frame)


def test_sample_recovers_the_planted_ideal_segment(sample_segments):
    frame, planted, segs = sample_segments
    best = segs.best(20)
    assert best is segs.segments[0]  # the highest win rate is also a big segment
    ideal = planted == "IDEAL"
    inside = np.zeros(len(frame), bool)
    inside[best.rows] = True
    precision = ideal[inside].mean()
    recall = (inside & ideal).sum() / ideal.sum()
    assert precision >= 0.70, (precision, recall, segs.silhouette)
    assert recall >= 0.60, (precision, recall, segs.silhouette)
    assert best.win_rate >= 1.5 * segs.baseline.win_rate and best.lift >= 1.5
    assert {s.value for s in best.industries} == {"SaaS", "FinTech", "HealthTech"}
    emp = best.ranges[0]
    assert emp.attribute == "employees" and emp.low >= 150 and emp.high <= 2500
    assert [s.value for s in best.tools[:2]] == ["Salesforce", "Snowflake"]
    assert best.describe().startswith("SaaS ")


def test_sample_figures(sample_segments):
    """The figures the report shows for the sample (seed 0), as computed at the time of writing."""
    frame, planted, segs = sample_segments
    assert (len(frame), int(frame["won"].sum())) == (320, 107)
    assert segs.criterion == "silhouette" and segs.k == max(segs.silhouette, key=segs.silhouette.get)
    best = segs.segments[0]
    # the planted segment wins more, bigger, faster and keeps more than the baseline
    assert best.stats.mean_acv > segs.baseline.mean_acv and best.stats.median_cycle < segs.baseline.median_cycle
    assert best.stats.nrr > segs.baseline.nrr and best.stats.churn_rate < segs.baseline.churn_rate
