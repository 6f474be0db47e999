"""Alignment of the functions' lists: matching, proposals, overlap, Jaccard, RBO, contested, fit, deals.

Every expected value is computed by hand in a comment next to it. The small universe has ten
accounts; three hand-made lists type them the way people do (legal forms, case, URLs, e-mails,
a typo), plus a company that is not in the universe.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from icp_tui.engine.alignment.lists import Entry, FunctionList, parse_pasted, read_function_list, save_function_list
from icp_tui.engine.alignment.matching import Universe, decision_key
from icp_tui.engine.alignment.overlap import RANK_GAP, align, band_history, deal_accounts, rbo_ext
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.scorecard.file import parse_scorecard
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.workshop.workspace import load_context

# -- the hand-made universe and lists --------------------------------------------------------------

ACCOUNTS = [  # (id, name, website); universe index = position
    ("ACC-1", "Acme Inc.", "acme.com"),  # 0, key "acme"
    ("ACC-2", "Globex Corporation", "https://www.globex.com"),  # 1, key "globex"
    ("ACC-3", "Initech LLC", "initech.io"),  # 2, key "initech"
    ("ACC-4", "Umbrella Health GmbH", "umbrellahealth.de"),  # 3, key "umbrella health"
    ("ACC-5", "Hooli", "hooli.xyz"),  # 4, key "hooli"
    ("ACC-6", "Vandelay Industries", "vandelay.com"),  # 5
    ("ACC-7", "Stark Industries", "stark.co.uk"),  # 6
    ("ACC-8", "Wayne Enterprises", "wayne.com"),  # 7 (on no list)
    ("ACC-9", "Tyrell Corp", "tyrell.ai"),  # 8, key "tyrell"
    ("ACC-10", "Soylent Foods", "soylent.com"),  # 9, key "soylent foods"
]
FUNCTIONS = ["Sales", "Marketing", "Finance"]
SAMPLE = Path(__file__).resolve().parents[1] / "sample_data"


def universe() -> Universe:
    ids, names, sites = zip(*ACCOUNTS)
    return Universe.build(ids, names, sites)


def three_lists() -> list[FunctionList]:
    sales = FunctionList("Sales", [  # ranked, 5 entries
        Entry("Acme, Inc", 1, "Renewal due"),  # key "acme" -> ACC-1 by name
        Entry("globex.com", 2),  # domain -> ACC-2
        Entry("Initech", 3),  # name -> ACC-3
        Entry("Umbrella Health", 4),  # name "umbrella health" -> ACC-4
        Entry("Hooli", 5),  # name -> ACC-5
    ])
    marketing = FunctionList("Marketing", [  # ranked, 5 entries
        Entry("Hooli Inc", 1),  # "hooli" -> ACC-5
        Entry("GLOBEX CORP", 2),  # "globex" -> ACC-2
        Entry("Pied Piper", 3),  # in no universe: new:pied piper
        Entry("https://www.acme.com/about", 4),  # domain acme.com -> ACC-1
        Entry("Vandelay Industries", 5),  # name -> ACC-6
    ])
    finance = FunctionList("Finance", [  # unranked, 6 entries
        Entry("sales@initech.io"),  # e-mail: domain initech.io -> ACC-3
        Entry("ACME"),  # "acme" -> ACC-1
        Entry("Stark Industries Ltd"),  # "stark industries" -> ACC-7
        Entry("Pied Piper Inc"),  # "pied piper": the same new account as Marketing's
        Entry("Tyrel Corp"),  # typo: "tyrel" ~ "tyrell" 90.9 -> to confirm (kept as new:tyrel)
        Entry("Soylent Food"),  # "soylent food" ~ "soylent foods" 96 -> matched ACC-10
    ])
    return [sales, marketing, finance]


# Members per list (proposal keys):
#   Sales     = {ACC-1, ACC-2, ACC-3, ACC-4, ACC-5}                                   5
#   Marketing = {ACC-5, ACC-2, new:pied piper, ACC-1, ACC-6}                          5
#   Finance   = {ACC-3, ACC-1, ACC-7, new:pied piper, new:tyrel, ACC-10}              6


@pytest.fixture(scope="module")
def plain():
    return align(three_lists(), universe())


def by_key(a):
    return {p.key: p for p in a.proposals}


# -- matching ----------------------------------------------------------------------------------------


def test_lists_ranked_or_not():
    s, m, f = three_lists()
    assert (s.ranked, m.ranked, f.ranked) == (True, True, False)


def test_every_entry_matched_confirmed_or_new(plain):
    got = {f: [(m.entry, m.status, m.method, m.account) for m in plain.matches[f]] for f in FUNCTIONS}
    assert got == {
        "Sales": [("Acme, Inc", "matched", "name", 0), ("globex.com", "matched", "domain", 1),
                  ("Initech", "matched", "name", 2), ("Umbrella Health", "matched", "name", 3),
                  ("Hooli", "matched", "name", 4)],
        "Marketing": [("Hooli Inc", "matched", "name", 4), ("GLOBEX CORP", "matched", "name", 1),
                      ("Pied Piper", "new", "none", None),
                      ("https://www.acme.com/about", "matched", "domain", 0),
                      ("Vandelay Industries", "matched", "name", 5)],
        "Finance": [("sales@initech.io", "matched", "domain", 2), ("ACME", "matched", "name", 0),
                    ("Stark Industries Ltd", "matched", "name", 6), ("Pied Piper Inc", "new", "none", None),
                    ("Tyrel Corp", "confirm", "fuzzy", 8), ("Soylent Food", "matched", "fuzzy", 9)],
    }
    fin = plain.matches["Finance"]
    # token_sort_ratio = 200 * LCS / (len1 + len2): "soylent food" (12) vs "soylent foods" (13): 200*12/25 = 96
    assert fin[5].score == 96.0
    # "tyrel" (5) vs "tyrell" (6): 200*5/11 = 90.909..., between LOW 80 and HIGH 92 -> confirm
    assert fin[4].score == pytest.approx(1000 / 11)
    assert "similar name 'tyrel' ~ 'tyrell'" in fin[4].reason
    assert fin[0].reason == "same domain initech.io"
    assert plain.matches["Marketing"][2].reason == "new account: no similar account name"


def test_to_confirm(plain):
    confirm = plain.to_confirm()
    assert [(f, m.entry, m.key, m.account, m.status) for f, m in confirm] == [
        ("Finance", "Tyrel Corp", "tyrel", 8, "confirm")]


def test_decisions_confirm_or_reject_a_match():
    u = universe()
    assert decision_key("Tyrel Corp") == "tyrel"
    assert decision_key("https://www.tyrell.ai/x") == "tyrell.ai"
    yes = by_key(align(three_lists(), u, decisions={"tyrel": "ACC-9"}))
    assert "new:tyrel" not in yes and yes["acc:ACC-9"].ranks == {"Finance": None}
    assert yes["acc:ACC-9"].name == "Tyrell Corp" and yes["acc:ACC-9"].typed == {"Finance": "Tyrel Corp"}
    no = align(three_lists(), u, decisions={"tyrel": None})
    m = no.matches["Finance"][4]
    assert (m.status, m.method, m.account, m.reason) == ("new", "decision", None, "kept as a new account (decided earlier)")
    assert no.to_confirm() == [] and "new:tyrel" in by_key(no)


# -- proposals, overlap, Jaccard -----------------------------------------------------------------------


def test_proposals_votes_ranks(plain):
    got = {p.key: (p.name, p.votes, p.ranks, p.account) for p in plain.proposals}
    assert got == {
        "acc:ACC-1": ("Acme Inc.", 3, {"Sales": 1, "Marketing": 4, "Finance": None}, 0),
        "acc:ACC-2": ("Globex Corporation", 2, {"Sales": 2, "Marketing": 2}, 1),
        "acc:ACC-3": ("Initech LLC", 2, {"Sales": 3, "Finance": None}, 2),
        "acc:ACC-4": ("Umbrella Health GmbH", 1, {"Sales": 4}, 3),
        "acc:ACC-5": ("Hooli", 2, {"Sales": 5, "Marketing": 1}, 4),
        "new:pied piper": ("Pied Piper", 2, {"Marketing": 3, "Finance": None}, None),  # named as first typed
        "acc:ACC-6": ("Vandelay Industries", 1, {"Marketing": 5}, 5),
        "acc:ACC-7": ("Stark Industries", 1, {"Finance": None}, 6),
        "new:tyrel": ("Tyrel Corp", 1, {"Finance": None}, None),  # to confirm: kept as a new account
        "acc:ACC-10": ("Soylent Foods", 1, {"Finance": None}, 9),
    }
    acme = by_key(plain)["acc:ACC-1"]
    assert acme.typed == {"Sales": "Acme, Inc", "Marketing": "https://www.acme.com/about", "Finance": "ACME"}
    assert acme.reasons == {"Sales": "Renewal due", "Marketing": "", "Finance": ""}
    assert by_key(plain)["new:pied piper"].typed == {"Marketing": "Pied Piper", "Finance": "Pied Piper Inc"}


def test_overlap_and_jaccard(plain):
    # S∩M = {ACC-1, ACC-2, ACC-5} = 3, S∪M = 5 + 5 - 3 = 7          -> J = 3/7
    # S∩F = {ACC-1, ACC-3} = 2,       S∪F = 5 + 6 - 2 = 9          -> J = 2/9
    # M∩F = {ACC-1, new:pied piper} = 2, M∪F = 5 + 6 - 2 = 9      -> J = 2/9
    assert plain.functions == FUNCTIONS
    assert plain.overlap.tolist() == [[5, 3, 2], [3, 5, 2], [2, 2, 6]]
    expected = [[1, Fraction(3, 7), Fraction(2, 9)],
                [Fraction(3, 7), 1, Fraction(2, 9)],
                [Fraction(2, 9), Fraction(2, 9), 1]]
    assert plain.jaccard == pytest.approx(np.array(expected, float), abs=1e-12)
    assert Fraction(plain.jaccard[0, 1]).limit_denominator(100) == Fraction(3, 7)


def test_rbo_matrix(plain):
    # Finance has no ranks: NaN in its row and column. Sales by rank: [A1, A2, A3, A4, A5];
    # Marketing by rank: [A5, A2, pp, A1, A6] (same length 5, s = l = 5).
    # X_d: d1 {A1}∩{A5}=0; d2 {A1,A2}∩{A5,A2}=1; d3 +A3/+pp: 1; d4 +A4/+A1: 2; d5 +A5/+A6: 3
    # RBO = (1-p)/p * sum X_d/d p^d + (X_l/l) p^l
    #     = 1/9 * (0 + .5*.81 + (1/3)*.729 + .5*.6561 + .6*.59049) + .6*.59049
    #     = 1/9 * (.405 + .243 + .32805 + .354294) + .354294 = .147816 + .354294 = .50211
    assert plain.rbo[0, 1] == pytest.approx(0.50211, abs=1e-9)
    assert plain.rbo[1, 0] == pytest.approx(0.50211, abs=1e-9)
    assert plain.rbo[0, 0] == pytest.approx(1.0) and plain.rbo[1, 1] == pytest.approx(1.0)
    assert np.isnan(plain.rbo[2]).all() and np.isnan(plain.rbo[:, 2]).all()


def test_consensus_orphans_contested(plain):
    # No scores: every fit is None, so ties are broken by name.
    assert [p.name for p in plain.consensus(3)] == ["Acme Inc."]
    assert [p.name for p in plain.consensus(2)] == ["Acme Inc.", "Globex Corporation", "Hooli", "Initech LLC", "Pied Piper"]
    assert [p.name for p in plain.orphans()] == ["Soylent Foods", "Stark Industries", "Tyrel Corp",
                                                  "Umbrella Health GmbH", "Vandelay Industries"]
    # Rank as a share of the list's length (5 on both ranked lists):
    #   Acme:  Sales 1/5 = .2, Marketing 4/5 = .8 -> gap .6  >= .5 contested
    #   Hooli: Marketing 1/5 = .2, Sales 5/5 = 1  -> gap .8  >= .5 contested
    #   Globex: 2/5 and 2/5 -> 0
    assert [(p.name, p.contested_because) for p in plain.contested()] == [
        ("Acme Inc.", ["ranked 1 by Sales, 4 by Marketing"]),
        ("Hooli", ["ranked 1 by Marketing, 5 by Sales"]),
    ]


def test_new_accounts_keyed_by_domain_then_name():
    u = universe()
    a = align([FunctionList("A", [Entry("piedpiper.com", 1), Entry("Pied Piper", 2), Entry("Raviga", 3, website="raviga.vc")]),
               FunctionList("B", [Entry("sales@piedpiper.com"), Entry("PIED PIPER, INC."), Entry("Raviga Capital")])], u)
    got = {p.key: (p.name, p.votes) for p in a.proposals}
    assert got == {
        "new:piedpiper.com": ("piedpiper.com", 2),  # the domain of a URL / e-mail address
        "new:pied piper": ("Pied Piper", 2),  # the name key ("PIED PIPER, INC." -> "pied piper")
        "new:raviga.vc": ("Raviga", 1),  # the Website column's domain comes before the name
        "new:raviga capital": ("Raviga Capital", 1),
    }
    assert all(p.account is None for p in a.proposals)
    assert a.overlap.tolist() == [[3, 2], [2, 3]]  # shared: piedpiper.com and pied piper; union 4
    assert a.jaccard[0, 1] == pytest.approx(2 / 4)


def _gap_case(n_a: int, r_a: int, n_b: int, r_b: int):
    """Account "Target" ranked r_a on a list of n_a and r_b on a list of n_b (everything else differs)."""
    def lst(f, n, r):
        names = [f"{f}firm{i:02d}" for i in range(1, n + 1)]
        names[r - 1] = "Target"
        return FunctionList(f, [Entry(x, i) for i, x in enumerate(names, 1)])
    a = align([lst("A", n_a, r_a), lst("B", n_b, r_b)], Universe.build([], [], []))
    return by_key(a)["new:target"]


@pytest.mark.parametrize("n_a,r_a,n_b,r_b,contested", [
    (20, 1, 20, 10, False),  # 1/20 = .05 vs 10/20 = .50: gap .45, just below
    (20, 1, 20, 12, True),  # .05 vs 12/20 = .60: gap .55, just above
    (20, 1, 20, 11, True),  # .05 vs .55: gap exactly .5 (and .55 - .05 == .5 in floating point)
    (10, 1, 4, 3, True),  # a share of each list's own length: 1/10 = .1 vs 3/4 = .75: gap .65
    (10, 1, 4, 2, False),  # .1 vs 2/4 = .5: gap .4
])
def test_contested_rank_gap(n_a, r_a, n_b, r_b, contested):
    assert RANK_GAP == 0.5
    p = _gap_case(n_a, r_a, n_b, r_b)
    assert p.votes == 2
    expected = [f"ranked {r_a} by A, {r_b} by B"] if contested else []
    assert p.contested_because == expected


def test_contested_rank_gap_exactly_half_in_floating_point():
    # 2/10 = .2 vs 7/10 = .7: the gap is exactly .5 = RANK_GAP, so the account is contested (>=)
    assert _gap_case(10, 2, 10, 7).contested_because == ["ranked 2 by A, 7 by B"]


# -- rank-biased overlap by hand ---------------------------------------------------------------------
# RBO_ext (Webber et al. 2010, eq. 32), s = short length, l = long length, X_d = overlap at depth d:
#   (1-p)/p * [ sum_{d=1..l} X_d/d p^d + sum_{d=s+1..l} X_s (d-s)/(s d) p^d ] + [ (X_l - X_s)/l + X_s/s ] p^l


def test_rbo_identical_and_disjoint():
    assert rbo_ext(["a", "b", "c"], ["a", "b", "c"]) == pytest.approx(1.0, abs=1e-12)
    assert rbo_ext(["a"], ["a"]) == pytest.approx(1.0, abs=1e-12)
    assert rbo_ext(["a", "b"], ["c", "d"]) == 0.0
    assert rbo_ext(["a", "b"], ["c", "d", "e"]) == 0.0


def test_rbo_swapped_pair():
    # X_1 = 0, X_2 = 2: (1-p)/p * (0*p + 2/2 p^2) + (2/2) p^2 = .1/.9*.81 + .81 = .09 + .81 = .9
    assert rbo_ext(["a", "b"], ["b", "a"]) == pytest.approx(0.9, abs=1e-12)
    # p = .5: 1 * .25 + .25 = .5
    assert rbo_ext(["a", "b"], ["b", "a"], p=0.5) == pytest.approx(0.5, abs=1e-12)


def test_rbo_swapped_top_of_four():
    # X = 0, 2, 3, 4: 1/9 * (2/2*.81 + 3/3*.729 + 4/4*.6561) + 4/4*.6561 = 1/9*2.1951 + .6561 = .2439 + .6561 = .9
    assert rbo_ext(["a", "b", "c", "d"], ["b", "a", "c", "d"]) == pytest.approx(0.9, abs=1e-12)


def test_rbo_prefix_of_a_longer_list():
    # s = 2, l = 4, X = 1, 2, 2, 2 (X_s = 2, X_l = 2)
    # first sum: .9 + 2/2*.81 + 2/3*.729 + 2/4*.6561 = .9 + .81 + .486 + .32805 = 2.52405
    # tail: d=3: 2*(1)/(2*3)*.729 = .243; d=4: 2*(2)/(2*4)*.6561 = .32805 -> total 3.0951
    # 1/9 * 3.0951 + (0/4 + 2/2) * .6561 = .3439 + .6561 = 1
    assert rbo_ext(["a", "b"], ["a", "b", "c", "d"]) == pytest.approx(1.0, abs=1e-12)
    assert rbo_ext(["a", "b", "c", "d"], ["a", "b"]) == pytest.approx(1.0, abs=1e-12)


def test_rbo_partial_overlap():
    # same length 3: X = 1 ({a}), 1 ({a,b}∩{a,c}), 2 ({a,b,c}∩{a,c,d})
    # 1/9 * (1*.9 + 1/2*.81 + 2/3*.729) + 2/3*.729 = 1/9 * (.9 + .405 + .486) + .486 = .199 + .486 = .6850
    assert round(rbo_ext(["a", "b", "c"], ["a", "c", "d"]), 4) == 0.6850
    assert rbo_ext(["a", "b", "c"], ["a", "c", "d"]) == pytest.approx(0.685, abs=1e-12)
    # uneven: short ["a","x"] (s=2), long ["b","a","c"] (l=3); X = 0, 1, 1 (X_s = X_l = 1)
    # 1/9 * (0 + 1/2*.81 + 1/3*.729 + 1*(3-2)/(2*3)*.729) + (0/3 + 1/2)*.729
    #   = 1/9 * (.405 + .243 + .1215) + .3645 = .0855 + .3645 = .45
    assert rbo_ext(["a", "x"], ["b", "a", "c"]) == pytest.approx(0.45, abs=1e-12)
    assert rbo_ext(["b", "a", "c"], ["a", "x"]) == pytest.approx(0.45, abs=1e-12)


def test_rbo_empty_is_nan():
    assert math.isnan(rbo_ext([], ["a"]))
    assert math.isnan(rbo_ext(["a"], []))
    assert math.isnan(rbo_ext([], []))


# -- scores and deals --------------------------------------------------------------------------------

ACCOUNTS_CSV = """Account ID,Account Name,Website,Employees,Industry,Country,customer
ACC-1,Acme Inc.,acme.com,500,SaaS,US,no
ACC-2,Globex Corporation,https://www.globex.com,800,SaaS,UK,no
ACC-3,Initech LLC,initech.io,300,Retail,US,no
ACC-4,Umbrella Health GmbH,umbrellahealth.de,150,HealthTech,DE,no
ACC-5,Hooli,hooli.xyz,5,SaaS,FR,no
ACC-6,Vandelay Industries,vandelay.com,5,Agency,US,no
ACC-7,Stark Industries,stark.co.uk,1000,SaaS,US,yes
ACC-8,Wayne Enterprises,wayne.com,2000,Manufacturing,US,no
ACC-9,Tyrell Corp,tyrell.ai,,SaaS,US,no
ACC-10,Soylent Foods,soylent.com,120,Food,DE,no
"""
# fit = size (100+ employees: 50) + industry (SaaS: 30) + country (US: 20), out of 100; default bands
#   ACC-1  50+30+20 = 100 Strong  Tier 1     ACC-6   0+ 0+20 =  20 Poor  Pass  (anti-persona: 5 employees, Agency)
#   ACC-2  50+30+ 0 =  80 Good    Tier 2     ACC-7  50+30+20 = 100 Strong, excluded (customer) -> tier "Excluded"
#   ACC-3  50+ 0+20 =  70 Good    Tier 2     ACC-8  50+ 0+20 =  70 Good  Tier 2
#   ACC-4  50+ 0+ 0 =  50 Weak    Nurture    ACC-9  ??+30+20 =  50 Weak  Nurture (size unknown: 0)
#   ACC-5   0+30+ 0 =  30 Poor    Pass       ACC-10 50+ 0+ 0 =  50 Weak  Nurture
# ACC-5 meets 1 of the anti-persona's 2 conditions (share .5 >= .5 and > fit .30): closer to the anti-persona.
SCORECARD = """
[scorecard]
name = "Tiny"
version = "1"

[[criteria]]
id = "size"
category = "firmographic"
field = "employees"
buckets = [{ gte = 100, points = 50 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "industry"
category = "firmographic"
field = "industry"
buckets = [{ in = ["SaaS"], points = 30 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "country"
category = "geographic"
field = "country"
buckets = [{ in = ["US"], points = 20 }, { otherwise = true, points = 0 }]

[[anti_personas]]
name = "Tiny agency"
conditions = ["employees < 10", "industry = Agency"]

[[exclusions]]
name = "Existing customer"
conditions = ["customer is true"]
"""
# Deals: joined by account id, else the website's domain, else the name.
DEALS_CSV = """Opportunity ID,Account ID,Account Name,Website,Stage,Amount,Created Date,Close Date
OPP-1,ACC-1,Acme Inc.,,Closed Won,100000,2024-01-10,2024-03-01
OPP-2,ACC-1,Acme Inc.,globex.com,Closed Lost,50000,2024-02-01,2024-04-01
OPP-3,,Acme,https://globex.com,Closed Won,80000,2024-02-01,2024-05-01
OPP-4,,Initech,,Closed Lost,30000,2024-03-01,2024-05-01
OPP-5,ACC-404,Hooli Inc,,Closed Won,20000,2024-03-01,2024-06-01
OPP-6,,Unknown Co,,Closed Won,99999,2024-03-01,2024-06-01
OPP-7,ACC-8,Wayne Enterprises,,Prospecting,70000,2024-04-01,
OPP-8,ACC-8,Wayne Enterprises,,Closed Won,60000,2024-04-01,2024-07-01
OPP-9,ACC-4,Umbrella Health,,Closed Lost,40000,2024-05-01,2024-07-01
"""


@pytest.fixture(scope="module")
def scored(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("scored")
    (tmp / "accounts.csv").write_text(ACCOUNTS_CSV, encoding="utf-8")
    (tmp / "deals.csv").write_text(DEALS_CSV, encoding="utf-8")
    _, sc = parse_scorecard(SCORECARD)
    acc = read_accounts(tmp / "accounts.csv", sc.column_map, sc.units)
    scores = Scorer(acc).score(sc)
    deals = read_deals(tmp / "deals.csv")
    u = universe()
    assert list(u.ids) == acc.raw("account_id").to_pylist()  # same order: universe index = row
    return u, scores, deals, align(three_lists(), u, scores=scores, deals=deals)


def test_scores_as_computed_by_hand(scored):
    _, scores, _, _ = scored
    assert scores.fit.tolist() == [100, 80, 70, 50, 30, 20, 100, 70, 50, 50]
    assert scores.band.tolist() == [0, 1, 1, 3, 4, 4, 0, 1, 3, 3]  # Strong, Good, Possible, Weak, Poor


def test_proposals_carry_fit_band_tier_flags(scored):
    *_, a = scored
    got = {p.key: (p.fit, p.band, p.tier, p.anti_personas, p.closer_to_anti, p.excluded) for p in a.proposals}
    assert got == {
        "acc:ACC-1": (100.0, "Strong fit", "Tier 1", "", False, ""),
        "acc:ACC-2": (80.0, "Good fit", "Tier 2", "", False, ""),
        "acc:ACC-3": (70.0, "Good fit", "Tier 2", "", False, ""),
        "acc:ACC-4": (50.0, "Weak fit", "Nurture", "", False, ""),
        "acc:ACC-5": (30.0, "Poor fit", "Pass", "", True, ""),
        "new:pied piper": (None, "", "", "", False, ""),
        "acc:ACC-6": (20.0, "Poor fit", "Pass", "Tiny agency", True, ""),
        "acc:ACC-7": (100.0, "Strong fit", "Excluded", "", False, "Existing customer"),
        "new:tyrel": (None, "", "", "", False, ""),
        "acc:ACC-10": (50.0, "Weak fit", "Nurture", "", False, ""),
    }


def test_contested_reasons_with_scores(scored):
    *_, a = scored
    # order: votes, then fit (highest first), then name
    assert [(p.name, p.contested_because) for p in a.contested()] == [
        ("Acme Inc.", ["ranked 1 by Sales, 4 by Marketing"]),
        ("Hooli", ["closer to an anti-persona than to the ideal profile", "poor fit (30)",
                   "ranked 1 by Marketing, 5 by Sales"]),
        ("Stark Industries", ["excluded: Existing customer"]),
        ("Soylent Foods", ["weak fit (50)"]),
        ("Umbrella Health GmbH", ["weak fit (50)"]),
        ("Vandelay Industries", ["matches anti-persona Tiny agency", "poor fit (20)"]),
    ]
    # 2 votes by fit: Globex 80, Initech 70, Hooli 30, Pied Piper (no fit) last
    assert [p.name for p in a.consensus(2)] == ["Acme Inc.", "Globex Corporation", "Initech LLC", "Hooli", "Pied Piper"]
    # 1 vote by fit: Stark 100, Soylent 50, Umbrella 50 (by name), Vandelay 20, Tyrel (no fit)
    assert [p.name for p in a.orphans()] == ["Stark Industries", "Soylent Foods", "Umbrella Health GmbH",
                                              "Vandelay Industries", "Tyrel Corp"]


def test_deal_accounts_by_id_then_domain_then_name(scored):
    u, _, deals, _ = scored
    # OPP-1 id ACC-1 -> 0; OPP-2 id ACC-1 wins over website globex.com -> 0;
    # OPP-3 no id, website globex.com wins over the name "Acme" -> 1; OPP-4 name "Initech" -> 2;
    # OPP-5 unknown id ACC-404, no website, name "Hooli Inc" -> "hooli" -> 4; OPP-6 "Unknown Co" -> -1;
    # OPP-7/8 id ACC-8 -> 7; OPP-9 id ACC-4 -> 3
    assert deal_accounts(deals, u).tolist() == [0, 0, 1, 2, 4, -1, 7, 7, 3]


def test_band_history(scored):
    u, scores, deals, _ = scored
    h = band_history(deals, u, scores)
    # closed deals with a known account (OPP-6 unknown, OPP-7 open are left out):
    #   band 0 Strong: OPP-1 won 100k (ACC-1), OPP-2 lost           -> 2 deals, 1/2, ACV 100,000
    #   band 1 Good:   OPP-3 won 80k (ACC-2), OPP-4 lost (ACC-3), OPP-8 won 60k (ACC-8)
    #                                                                -> 3 deals, 2/3, ACV (80k+60k)/2 = 70,000
    #   band 3 Weak:   OPP-9 lost (ACC-4)                           -> 1 deal, 0, no ACV
    #   band 4 Poor:   OPP-5 won 20k (ACC-5)                        -> 1 deal, 1, ACV 20,000
    assert h.index.tolist() == [0, 1, 3, 4]
    assert h["deals"].tolist() == [2, 3, 1, 1]
    assert h["win_rate"].tolist() == pytest.approx([1 / 2, 2 / 3, 0.0, 1.0])
    assert h["acv"].iloc[[0, 1, 3]].tolist() == [100000.0, 70000.0, 20000.0]
    assert np.isnan(h["acv"].iloc[2])


def test_function_fit(scored):
    *_, a = scored
    got = {f.function: f for f in a.fit}
    s, m, fi = got["Sales"], got["Marketing"], got["Finance"]
    # Sales: ACC-1..5, fits 100, 80, 70, 50, 30 -> mean 330/5 = 66; top two bands: 1, 2, 3 -> 3/5
    assert (s.entries, s.matched, s.scored, s.mean_fit, s.top_bands, s.anti_persona, s.excluded) == (5, 5, 5, 66.0, 0.6, 0, 0)
    # Marketing: ACC-5 30, ACC-2 80, ACC-1 100, ACC-6 20 (+ Pied Piper unscored) -> 230/4 = 57.5; top 2/4; anti 1
    assert (m.entries, m.matched, m.scored, m.mean_fit, m.top_bands, m.anti_persona, m.excluded) == (5, 4, 4, 57.5, 0.5, 1, 0)
    # Finance: ACC-3 70, ACC-1 100, ACC-7 100, ACC-10 50 (+ Pied Piper, Tyrel new) -> 320/4 = 80; top 3/4; excluded 1
    assert (fi.entries, fi.matched, fi.scored, fi.mean_fit, fi.top_bands, fi.anti_persona, fi.excluded) == (6, 4, 4, 80.0, 0.75, 0, 1)
    # Deals with the list's own accounts:
    #   Sales {0..4}: OPP-1 W 100k, OPP-2 L, OPP-3 W 80k, OPP-4 L, OPP-5 W 20k, OPP-9 L -> 6 closed, 3/6, ACV 200k/3
    assert (s.closed_deals, s.win_rate, s.mean_acv) == (6, 0.5, pytest.approx(200000 / 3))
    #   Marketing {4, 1, 0, 5}: OPP-1 W, OPP-2 L, OPP-3 W, OPP-5 W -> 4 closed, 3/4, ACV 200k/3
    assert (m.closed_deals, m.win_rate, m.mean_acv) == (4, 0.75, pytest.approx(200000 / 3))
    #   Finance {2, 0, 6, 9}: OPP-1 W 100k, OPP-2 L, OPP-4 L -> 3 closed, 1/3, ACV 100k
    assert (fi.closed_deals, fi.win_rate, fi.mean_acv) == (3, pytest.approx(1 / 3), 100000.0)
    # What the bands of each list's accounts won historically (mean over the list's accounts):
    #   Sales bands 0, 1, 1, 3, 4: (1/2 + 2/3 + 2/3 + 0 + 1)/5 = 17/30; ACV (100k + 70k + 70k + 20k)/4 = 65k
    assert (s.band_win_rate, s.band_acv) == (pytest.approx(17 / 30), 65000.0)
    #   Marketing bands 4, 1, 0, 4: (1 + 2/3 + 1/2 + 1)/4 = 19/24; ACV (20k + 70k + 100k + 20k)/4 = 52.5k
    assert (m.band_win_rate, m.band_acv) == (pytest.approx(19 / 24), 52500.0)
    #   Finance bands 1, 0, 0, 3: (2/3 + 1/2 + 1/2 + 0)/4 = 5/12; ACV (70k + 100k + 100k)/3 = 90k
    assert (fi.band_win_rate, fi.band_acv) == (pytest.approx(5 / 12), 90000.0)


def test_function_fit_without_scores_or_deals(plain):
    f = plain.fit[0]
    assert (f.scored, f.mean_fit, f.top_bands, f.closed_deals, f.win_rate, f.mean_acv, f.band_win_rate, f.band_acv) == \
        (0, None, None, 0, None, None, None, None)


# -- the sample workshop -----------------------------------------------------------------------------

SAMPLE_LISTS = [("Sales", "sales"), ("Marketing", "marketing"), ("Customer Success", "customer_success"),
                ("Product", "product"), ("Finance", "finance")]


@pytest.fixture(scope="module")
def sample():
    # module scope runs before conftest's chdir: paths from this file, not from the working directory
    lists = [read_function_list(SAMPLE / "lists" / f"{stem}.csv", f) for f, stem in SAMPLE_LISTS]
    ctx = load_context(SAMPLE / "accounts.csv", SAMPLE / "scorecard.toml", SAMPLE / "deals.csv")
    return lists, ctx.align(lists)


def test_sample_overlap_and_consensus(sample):
    lists, a = sample
    assert [len(fl.entries) for fl in lists] == [62, 74, 50, 56, 48]  # rows of each CSV
    assert a.overlap.tolist() == [
        [62, 18, 40, 25, 5],
        [18, 74, 17, 18, 6],
        [40, 17, 50, 20, 7],
        [25, 18, 20, 56, 15],
        [5, 6, 7, 15, 48],
    ]
    assert len(a.consensus(3)) == 24
    assert len(a.consensus(5)) == 5
    # Jaccard from the overlap: S-CS 40 / (62 + 50 - 40) = 40/72
    assert a.jaccard[0, 2] == pytest.approx(40 / 72)
    # each proposal's votes add up to the lists' sizes: 62 + 74 + 50 + 56 + 48 = 290
    assert sum(p.votes for p in a.proposals) == int(np.trace(a.overlap)) == 290
    assert (len(a.orphans()), len(a.contested()), len(a.to_confirm())) == (115, 78, 2)


def test_sample_cells_by_hand(sample):
    _, a = sample
    members = {f: {p.key for p in a.proposals if f in p.ranks} for f in a.functions}
    # Marketing ∩ Finance, read off the CSVs and accounts.csv:
    #   ACC-00018 Acme Inc. (acme.com):           Marketing "ACME, Inc" (name), Finance "sales@acme.com" (e-mail)
    #   ACC-00022 Terkamo Cloud LLC (terkamocloud.io): Marketing "terkamocloud.io" (domain),
    #             Finance "Terkamo Cloud L.L.C." with website terkamocloud.io
    #   ACC-00220 Territex Apps (territexapps.io): both "Territex Apps" (no website in Finance)
    #   ACC-00234 Globex Corporation (globex.com): Marketing "Globex Corporation", Finance "Globex Corp." / www.globex.com
    #   ACC-01142 Zaritex GmbH (zaritex.de):     Marketing "ZARITEX, GmbH", Finance "Zaritex GmbH" / zaritex.de
    #   ACC-01337 Cevovia LLC (cevovia.com):     Marketing "The Cevovia", Finance "Cevovia LLC" / cevovia.com
    assert members["Marketing"] & members["Finance"] == {
        "acc:ACC-00018", "acc:ACC-00022", "acc:ACC-00220", "acc:ACC-00234", "acc:ACC-01142", "acc:ACC-01337"}
    # All but Territex Apps (on Marketing, Customer Success and Finance only) are on all five lists
    # (the consensus of 5):
    assert members["Sales"] & members["Marketing"] & members["Finance"] == {
        "acc:ACC-00018", "acc:ACC-00022", "acc:ACC-00234", "acc:ACC-01142", "acc:ACC-01337"}
    assert {p.key for p in a.consensus(5)} == members["Marketing"] & members["Finance"] - {"acc:ACC-00220"}
    assert by_key(a)["acc:ACC-00220"].ranks == {"Marketing": 26, "Customer Success": None, "Finance": None}
    acme = by_key(a)["acc:ACC-00018"]
    assert acme.typed == {"Sales": "Acme Inc.", "Marketing": "ACME, Inc", "Customer Success": "acme.com",
                          "Product": "https://www.acme.com/about", "Finance": "sales@acme.com"}
    assert acme.ranks == {"Sales": 19, "Marketing": 21, "Customer Success": 26, "Product": 12, "Finance": None}


# -- function lists as files ---------------------------------------------------------------------------


def test_read_function_list_with_aliases(tmp_path):
    p = tmp_path / "mkt.csv"
    p.write_text("Account,Priority,Why,Domain\nAcme Inc,#1,Webinar,acme.com\n,2,,globex.com\nInitech,,,\n", encoding="utf-8")
    fl = read_function_list(p, "Marketing")
    assert (fl.function, fl.path, fl.ranked) == ("Marketing", p, True)
    assert [(e.text, e.rank, e.reason, e.website) for e in fl.entries] == [
        ("Acme Inc", 1, "Webinar", "acme.com"),  # "#1" is rank 1
        ("globex.com", 2, "", "globex.com"),  # no company: the website stands in
        ("Initech", None, "", ""),
    ]


def test_read_function_list_bad_rank(tmp_path):
    p = tmp_path / "s.csv"
    p.write_text("Company,Rank\nAcme,1\nGlobex,high\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        read_function_list(p, "Sales")
    assert str(e.value) == f"{p}:3: Rank: rank 'high' is not a whole number"


def test_parse_pasted():
    assert parse_pasted('Acme Inc\n"Globex; Corp"\r\n\nInitech\tHooli;  ;Pied Piper ') == [
        "Acme Inc", "Globex", "Corp", "Initech", "Hooli", "Pied Piper"]


def test_save_function_list_round_trip(tmp_path):
    fl = FunctionList("Sales", [Entry("=cmd()", 1, "-risky", "@acme.com"), Entry("Globex", 2, "+1 intro"), Entry("-5", 3)])
    path = save_function_list(fl, tmp_path / "sales.csv")
    assert path.read_text(encoding="utf-8") == (
        "Company,Website,Rank,Reason\n'=cmd(),'@acme.com,1,'-risky\nGlobex,,2,'+1 intro\n-5,,3,\n")
    back = read_function_list(path, "Sales")
    assert [e.rank for e in back.entries] == [1, 2, 3]
    assert [e.text for e in back.entries[1:]] == ["Globex", "-5"]
    fl.entries.reverse()
    fl.renumber()
    assert [(e.text, e.rank) for e in fl.entries] == [("-5", 1), ("Globex", 2), ("=cmd()", 3)]
    with pytest.raises(ValueError):
        save_function_list(FunctionList("X"))
