"""Scores of seed 003's example scorecard on hand-computed accounts.

Fit = firmographic points / 60 * 100 (rounded half up to one decimal); qualification = deal
signal points / 40 * 100. Every expected value below was worked out by hand from the bucket table.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.scoring import UNKNOWN, Scorer, round_score

DATA = Path(__file__).parent / "data"

ACCOUNTS = """\
account_id,name,employees,annual_revenue,industry,growth_rate,funding_stage,economic_buyer,technical_fit,stakeholders,timeline,customer
A1,Perfect Co,850,$120M,SaaS,25%,Series B,Confirmed,POC,Multiple departments,Specific,no
A2,Boundary Co,2000,30000000,fintech,20%,Series C,Likely,Discussed,Champion only,Vague,no
A3,Middling Co,150,$12M,Software,10%,Series A,Likely,Discussed,Champion only,Vague,no
A4,Unknown Co,n/a,,Retail,-5%,,Not identified,Not yet,No engagement,Indefinite,no
A5,Messy Co,"1,200",€3.4m,HealthTech,12%,Series A,,,,,no
A6,Big Old Co,6000,2.5bn,Manufacturing,3%,Public,Confirmed,POC,Multiple departments,Specific,yes
A7,Seed Co,12,$1.5M,SaaS,50%,Seed,,,,,no
A8,Almost Seed,30,5M,SaaS,30%,Seed,,,,,no
A9,Seventy Co,199,$500M,Retail,5%,Series B,,,,,no
"""


@pytest.fixture(scope="module")
def scored():
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "accounts.csv"
        path.write_text(ACCOUNTS, encoding="utf-8")
        accounts = read_accounts(path)
    sf = ScorecardFile.open(DATA / "seed003_scorecard.toml")
    scorer = Scorer(accounts)
    return accounts, sf, scorer, scorer.score(sf.scorecard)


def test_fit_scores_hand_computed(scored):
    _, _, _, r = scored
    # A1 20+20+15+5=60 -> 100; A2 boundaries 2000 (in 200-2,000), 30M (in 30M-500M), "fintech", 20% -> 60
    # A3 5+5+5+2=17 -> 28.3; A4 unknown+unknown+0+0 -> 0; A5 20+0+15+2=37 -> 61.7
    # A6 0+5+0+0=5 -> 8.3; A7 0+0+15+5=20 -> 33.3; A8 same 20 -> 33.3; A9 5+20+0+2=27 -> 45.0
    assert r.fit.tolist() == [100.0, 100.0, 28.3, 0.0, 61.7, 8.3, 33.3, 33.3, 45.0]


def test_qualification_and_timing(scored):
    _, _, _, r = scored
    # 15+12+8+5=40 -> 100; 8+6+4+2=20 -> 50; A4 all known, all 0; A5.. unknown -> 0
    assert r.qualification.tolist() == [100.0, 50.0, 50.0, 0.0, 0.0, 100.0, 0.0, 0.0, 0.0]
    assert np.isnan(r.timing).all()  # this scorecard has no buying-signal criteria


def test_bands_and_tiers(scored):
    _, _, _, r = scored
    labels = [r.band_of(i).label for i in range(len(r))]
    assert labels == ["Strong fit", "Strong fit", "Poor fit", "Poor fit", "Possible fit",
                      "Poor fit", "Poor fit", "Poor fit", "Weak fit"]
    code, tiers, _ = r.tiers()
    assert [tiers[c] for c in code] == ["Tier 1", "Tier 1", "Pass", "Pass", "Tier 3",
                                        "Excluded", "Pass", "Pass", "Nurture"]


def test_bucket_boundaries_and_unknowns(scored):
    _, _, _, r = scored
    assert r.bucket[1].tolist()[:4] == [0, 0, 0, 0]  # 2000, 30M, fintech, 20% all in the top bucket
    assert r.bucket[3].tolist()[:2] == [UNKNOWN, UNKNOWN]  # "n/a" and empty
    assert r.bucket[8].tolist()[:2] == [1, 0]  # 199 -> 50-199; $500M -> 30M-500M (inclusive)
    assert r.unknown_for_row(3) == "size, revenue"
    assert r.unknown_for_row(4) == "economic_buyer, technical_fit, consensus, timeline"


def test_coverage(scored):
    _, _, _, r = scored
    # total max = 60 fit + 40 qualification = 100; A4 misses size (20) and revenue (20)
    assert r.coverage[3] == pytest.approx(0.60)
    assert r.coverage[4] == pytest.approx(0.60)  # the four deal signals (40) unknown
    assert r.coverage[0] == pytest.approx(1.0)


def test_explanation_and_reasons(scored):
    _, _, _, r = scored
    assert r.reasons_for_row(4) == (
        "Company size: 200 to 2,000 (+20); Industry fit: SaaS, FinTech, HealthTech (+15); Growth stage: 0.05 to 0.2 (excl.) (+2)"
    )
    rows = r.explain(3)
    assert [(x["id"], x["bucket"], x["points"]) for x in rows[:4]] == [
        ("size", "unknown", 0.0), ("revenue", "unknown", 0.0), ("industry", "any other value", 0.0),
        ("growth", "< 0.05", 0.0),
    ]
    codes, texts = r.reasons()
    assert texts[codes[7]] == texts[codes[6]]  # same bucket profile -> same text entry
    assert texts[codes[6]] == "Industry fit: SaaS, FinTech, HealthTech (+15); Growth stage: ≥ 0.2 (+5)"


def test_anti_persona_and_closer_flag(scored):
    _, _, _, r = scored
    assert r.anti[:, 0].tolist() == [False] * 6 + [True, False, False]
    # A8 meets 2 of 3 conditions (30 < 50, Seed; 5M is not under 2M): 0.667 > fit 0.333
    assert r.anti_similarity[7] == pytest.approx(2 / 3)
    assert r.closer_to_anti.tolist() == [False] * 6 + [True, True, False]
    codes, names = r.anti_persona_names()
    assert [names[c] for c in codes] == [""] * 6 + ["Early-stage startup", "", ""]


def test_exclusion(scored):
    _, _, _, r = scored
    assert r.is_excluded.tolist() == [False] * 5 + [True] + [False] * 3
    codes, names = r.exclusion_names()
    assert names[codes[5]] == "Existing customer"


def test_mixed_signals_as_in_the_seed(scored):
    """Counting the deal signals in fit gives the seed's single 100-point score."""
    accounts, sf, _, _ = scored
    text = sf.text.replace('version = "1"', 'version = "1"\nfit_categories = ["firmographic", "qualification"]')
    _, sc = parse_scorecard(text)
    r = Scorer(accounts).score(sc)
    # A1 60+40=100; A2 60+20=80; A3 17+20=37; A6 5+40=45
    assert r.fit[[0, 1, 2, 5]].tolist() == [100.0, 80.0, 37.0, 45.0]
    assert np.isnan(r.qualification).all()


def test_weight_change_reuses_cached_points(scored):
    accounts, sf, scorer, r = scored
    before = dict(scorer._criteria)
    text = sf.text.replace('id = "industry"', 'id = "industry"\nweight = 2', 1)
    _, sc2 = parse_scorecard(text)
    r2 = scorer.score(sc2)
    assert scorer._criteria.keys() == before.keys()
    assert all(scorer._criteria[k] is before[k] for k in before)  # nothing recomputed
    # fit max is now 20+20+30+5 = 75. A5: 20+0+30+2 = 52 -> 69.3; A7: 0+0+30+5 = 35 -> 46.7
    assert r2.fit[[4, 6]].tolist() == [69.3, 46.7]


def test_round_half_up():
    assert round_score(np.array([46.25, 46.24, 69.95, 0.05])).tolist() == [46.3, 46.2, 70.0, 0.1]


def test_list_matching_is_on_the_separator(tmp_path):
    (tmp_path / "a.csv").write_text(
        "name,tech_stack\nA,Salesforce; Snowflake\nB,Salesforce Marketing Cloud\nC,hubspot|salesforce\nD,\n",
        encoding="utf-8",
    )
    sc_text = """
[[criteria]]
id = "stack"
category = "technographic"
field = "tech_stack"
buckets = [{ contains_any = ["Salesforce"], points = 10 }, { contains_none = ["Salesforce"], points = 1 }]
"""
    _, sc = parse_scorecard(sc_text)
    r = Scorer(read_accounts(tmp_path / "a.csv")).score(sc)
    assert r.raw[:, 0].tolist() == [10.0, 1.0, 10.0, 0.0]
    assert r.bucket[:, 0].tolist() == [0, 1, 0, UNKNOWN]


def test_missing_column_scores_unknown(tmp_path):
    (tmp_path / "a.csv").write_text("name,employees\nA,300\n", encoding="utf-8")
    r = Scorer(read_accounts(tmp_path / "a.csv")).score(ScorecardFile.open(DATA / "seed003_scorecard.toml").scorecard)
    assert r.fit.tolist() == [33.3]  # size 20 of 60; the rest unknown
    assert r.coverage[0] == pytest.approx(0.2)
