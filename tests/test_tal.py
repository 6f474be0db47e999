"""The unified target account list: the rule, the facilitator's decisions, tiers, the Tier 1 cap, CSV, TOML.

The alignment is made by hand (proposals with known votes, fit, band and tier), so that every
status, tier and count below can be read off the table in the comment.
"""

from __future__ import annotations

import numpy as np
import pytest

from icp_tui.engine.alignment.overlap import Alignment, Proposal
from icp_tui.engine.alignment.tal import (
    TAL_COLUMNS,
    Decision,
    DecisionError,
    DecisionsFile,
    Rule,
    build_tal,
    load_decisions,
    save_decisions,
    save_tal_csv,
    tal_csv,
)

S, M, F = "Sales", "Marketing", "Finance"


def proposal(key, name, ranks, fit=None, band="", tier="", excluded="", anti=""):
    return Proposal(key, None if key.startswith("new:") else 0, name, dict(ranks), fit=fit, band=band, tier=tier,
                    excluded=excluded, anti_personas=anti)


#  key          name     votes (functions)   fit  band          tier       note
#  acc:G        Golf     3 (S, M, F)          97  Strong fit    Excluded   excluded: Existing customer
#  acc:A        Alpha    3 (S, M, F)          95  Strong fit    Tier 1
#  acc:B        Bravo    2 (S, M)             90  Strong fit    Tier 1
#  acc:C        Charlie  2 (S, F)             88  Strong fit    Tier 1
#  acc:F        Foxtrot  2 (S, M)             50  Weak fit      Nurture
#  acc:D        Delta    1 (F)                86  Strong fit    Tier 1
#  acc:J        Juliet   1 (M)                85  Strong fit    Tier 1
#  acc:E        Echo     1 (S)                75  Good fit      Tier 2
#  acc:I        India    1 (M)                40  Weak fit      Nurture
#  new:hotel.io Hotel    1 (F)              None  -             -          a new account
def proposals() -> list[Proposal]:
    return [
        proposal("acc:A", "Alpha", {S: 1, M: 2, F: None}, 95, "Strong fit", "Tier 1"),
        proposal("acc:B", "Bravo", {S: 2, M: 1}, 90, "Strong fit", "Tier 1"),
        proposal("acc:C", "Charlie", {S: 3, F: None}, 88, "Strong fit", "Tier 1"),
        proposal("acc:D", "Delta", {F: None}, 86, "Strong fit", "Tier 1"),
        proposal("acc:E", "Echo", {S: 4}, 75, "Good fit", "Tier 2"),
        proposal("acc:F", "Foxtrot", {S: 5, M: 4}, 50, "Weak fit", "Nurture"),
        proposal("acc:G", "Golf", {S: 6, M: 5, F: None}, 97, "Strong fit", "Excluded", excluded="Existing customer"),
        proposal("new:hotel.io", "Hotel", {F: None}),
        proposal("acc:I", "India", {M: 6}, 40, "Weak fit", "Nurture"),
        proposal("acc:J", "Juliet", {M: 7}, 85, "Strong fit", "Tier 1"),
    ]


def alignment(props: list[Proposal] | None = None) -> Alignment:
    props = proposals() if props is None else props
    fs = [S, M, F]
    z = np.zeros((3, 3))
    return Alignment(fs, props, {f: [] for f in fs}, z.astype(np.int64), z, z, [])


DECISIONS = {
    "acc:B": Decision("acc:B", "exclude", "Churned last year"),
    "acc:F": Decision("acc:F", "park", "Revisit in Q3"),
    "acc:I": Decision("acc:I", "include", "Strategic logo", "Tier 1"),
    "new:hotel.io": Decision("new:hotel.io", "include", "Finance wants it"),
}


def rows(tal):
    return [(r.proposal.name, r.status, r.tier, r.note) for r in tal.rows]


# -- the rule ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("rule,proposed", [
    # "or", 2 votes or Strong/Good: Alpha, Bravo, Charlie, Foxtrot (votes); Delta, Juliet, Echo (band);
    # Golf has 3 votes and a Strong fit but is excluded; India (1 vote, Weak) and Hotel (1 vote, no band) are not.
    (Rule(), ["Alpha", "Bravo", "Charlie", "Foxtrot", "Delta", "Juliet", "Echo"]),
    # "and", 2 votes and Strong/Good: Foxtrot is Weak, Delta/Juliet/Echo have 1 vote
    (Rule(2, ("Strong fit", "Good fit"), "and"), ["Alpha", "Bravo", "Charlie"]),
    # "or", 3 votes or Strong only: Alpha (votes and band), Bravo, Charlie, Delta, Juliet (band)
    (Rule(3, ("Strong fit",), "or"), ["Alpha", "Bravo", "Charlie", "Delta", "Juliet"]),
    # "and", 1 vote and Good only
    (Rule(1, ("Good fit",), "and"), ["Echo"]),
    # "or" with no bands: votes only
    (Rule(3, (), "or"), ["Alpha"]),
])
def test_rule(rule, proposed):
    tal = build_tal(alignment(), rule)
    assert [r.proposal.name for r in tal.rows if r.by_rule] == proposed
    assert [r.proposal.name for r in tal.members] == proposed
    assert all(r.status == ("proposed" if r.by_rule else "not proposed") for r in tal.rows)


def test_excluded_never_proposed_by_the_rule():
    golf = next(p for p in proposals() if p.name == "Golf")
    for rule in (Rule(), Rule(1, ("Strong fit",), "and"), Rule(0, ("Strong fit",), "or")):
        assert rule.proposes(golf) is False
    golf.excluded = ""
    assert Rule().proposes(golf) is True


def test_rows_sorted_by_votes_then_fit_then_name():
    tal = build_tal(alignment())
    # 3 votes: Golf 97, Alpha 95; 2: Bravo 90, Charlie 88, Foxtrot 50; 1: Delta 86, Juliet 85, Echo 75, India 40, Hotel
    assert [r.proposal.name for r in tal.rows] == ["Golf", "Alpha", "Bravo", "Charlie", "Foxtrot", "Delta", "Juliet",
                                                    "Echo", "India", "Hotel"]


# -- decisions, tiers, counts ----------------------------------------------------------------------------


def test_decisions_change_status_and_membership():
    tal = build_tal(alignment(), Rule(), DECISIONS)
    assert rows(tal) == [
        ("Golf", "not proposed", "Excluded", ""),
        ("Alpha", "proposed", "Tier 1", ""),
        ("Bravo", "excluded", "Tier 1", ""),  # proposed by the rule, excluded by the facilitator
        ("Charlie", "proposed", "Tier 1", ""),
        ("Foxtrot", "parked", "Nurture", ""),  # proposed by the rule (2 votes), parked
        ("Delta", "proposed", "Tier 1", ""),
        ("Juliet", "proposed", "Tier 1", ""),
        ("Echo", "proposed", "Tier 2", ""),
        ("India", "included", "Tier 1", ""),  # not proposed (1 vote, Weak); included with Tier 1 set
        ("Hotel", "included", "", ""),  # a new account, no band: no tier
    ]
    assert [r.proposal.name for r in tal.members] == ["Alpha", "Charlie", "Delta", "Juliet", "Echo", "India", "Hotel"]
    r = {r.proposal.name: r for r in tal.rows}
    assert (r["Bravo"].decision.reason, r["Foxtrot"].decision.reason) == ("Churned last year", "Revisit in Q3")
    assert r["Bravo"].by_rule and not r["Bravo"].on_list and not r["Foxtrot"].on_list
    assert not r["India"].by_rule and r["India"].on_list


def test_counts():
    tal = build_tal(alignment(), Rule(), DECISIONS)
    # members: Alpha T1, Charlie T1, Delta T1, Juliet T1, Echo T2, India T1 (decision), Hotel (none)
    assert tal.counts_by_tier() == {"Tier 1": 5, "Tier 2": 1, "Unscored": 1}
    # Sales: Alpha, Charlie, Echo; Marketing: Alpha, Juliet, India; Finance: Alpha, Charlie, Delta, Hotel
    assert tal.counts_by_function([S, M, F, "Product"]) == {S: 3, M: 3, F: 4, "Product": 0}
    # included: India, Hotel; proposed: Alpha, Charlie, Delta, Juliet, Echo; parked: Foxtrot; excluded: Bravo;
    # not proposed: Golf
    assert tal.counts_by_status() == {"included": 2, "proposed": 5, "parked": 1, "excluded": 1, "not proposed": 1}
    assert list(tal.counts_by_status()) == ["included", "proposed", "parked", "excluded", "not proposed"]


def test_decision_tier_overrides_the_band():
    d = {"acc:E": Decision("acc:E", "include", "Partner ask", "Tier 3"), "acc:A": Decision("acc:A", "include", "")}
    tal = build_tal(alignment(), Rule(), d)
    r = {r.proposal.name: r for r in tal.rows}
    assert (r["Echo"].status, r["Echo"].tier) == ("included", "Tier 3")  # band says Tier 2
    assert (r["Alpha"].status, r["Alpha"].tier) == ("included", "Tier 1")  # no tier in the decision: from the band
    # members: Alpha T1, Bravo T1, Charlie T1, Foxtrot Nurture, Delta T1, Juliet T1, Echo T3 (sorted by tier name)
    assert tal.counts_by_tier() == {"Nurture": 1, "Tier 1": 5, "Tier 3": 1}
    assert list(tal.counts_by_tier()) == ["Nurture", "Tier 1", "Tier 3"]


# -- the Tier 1 cap ----------------------------------------------------------------------------------------


def test_tier1_cap_one_ae_two_each():
    tal = build_tal(alignment(), Rule(), DECISIONS, aes=1, per_ae=2)
    # Tier 1 members: India (decision sets Tier 1), Alpha (3 votes, 95), Charlie (2, 88), Delta (1, 86), Juliet (1, 85).
    # Cap 1 x 2 = 2: India stays (a decision), Alpha stays (most votes); Charlie, Delta, Juliet move to Tier 2.
    note = "over the Tier 1 cap (1 AE x 2)"
    assert rows(tal) == [
        ("Golf", "not proposed", "Excluded", ""),
        ("Alpha", "proposed", "Tier 1", ""),
        ("Bravo", "excluded", "Tier 1", ""),  # not on the list: not counted, not moved
        ("Charlie", "proposed", "Tier 2", note),
        ("Foxtrot", "parked", "Nurture", ""),
        ("Delta", "proposed", "Tier 2", note),
        ("Juliet", "proposed", "Tier 2", note),
        ("Echo", "proposed", "Tier 2", ""),
        ("India", "included", "Tier 1", ""),
        ("Hotel", "included", "", ""),
    ]
    assert tal.counts_by_tier() == {"Tier 1": 2, "Tier 2": 4, "Unscored": 1}
    assert (tal.aes, tal.per_ae) == (1, 2)


def test_tier1_cap_fewest_votes_then_lowest_fit_move_first():
    # cap 2 x 2 = 4: India, Alpha, Charlie stay; Delta (1 vote, 86) and Juliet (1 vote, 85) tie on votes:
    # Juliet has the lower fit and moves.
    tal = build_tal(alignment(), Rule(), DECISIONS, aes=2, per_ae=2)
    moved = [(r.proposal.name, r.note) for r in tal.rows if r.note]
    assert moved == [("Juliet", "over the Tier 1 cap (2 AEs x 2)")]
    assert tal.counts_by_tier() == {"Tier 1": 4, "Tier 2": 2, "Unscored": 1}


def test_tier1_cap_not_reached_or_not_asked():
    for aes, per_ae in ((None, 2), (0, 2), (3, 2), (1, 50)):  # no AEs given, or 5 Tier 1 accounts <= the cap
        tal = build_tal(alignment(), Rule(), DECISIONS, aes=aes, per_ae=per_ae)
        assert all(r.note == "" for r in tal.rows)
        assert tal.counts_by_tier() == {"Tier 1": 5, "Tier 2": 1, "Unscored": 1}


# -- the TAL as CSV ---------------------------------------------------------------------------------------


def test_tal_csv_two_rows(tmp_path):
    props = [
        Proposal("acc:ACC-1", 0, "Acme, Inc.", {S: 1, F: None}, fit=92.5, band="Strong fit", tier="Tier 1",
                 grade="A2", grade_rank=1, anti_personas="Services shop"),
        Proposal("new:sum a1 a2", None, "=SUM(A1:A2)", {M: 3}),
    ]
    tal = build_tal(alignment(props), Rule(), {"new:sum a1 a2": Decision("new:sum a1 a2", "include", "+ added by hand")})
    text = tal_csv(tal)
    assert text.splitlines() == [
        ",".join(TAL_COLUMNS),
        # id, name (quoted: a comma), tier, status, fit, band, grade, votes, proposed_by, ranks (only ranked ones), ...
        'ACC-1,"Acme, Inc.",Tier 1,proposed,92.5,Strong fit,A2,2,Sales; Finance,Sales 1,Services shop,,,,,',
        # a new account has no id; a formula-like name and reason get a leading apostrophe
        ",'=SUM(A1:A2),,included,,,,1,Marketing,Marketing 3,,,include,'+ added by hand,,",  # no hold-out: holdout empty
    ]
    assert text.endswith("\n")
    assert TAL_COLUMNS == ("account_id", "name", "tier", "status", "fit_score", "band", "grade", "votes", "proposed_by",
                           "ranks", "anti_personas", "excluded", "decision", "reason", "note", "holdout")
    path = save_tal_csv(tal, tmp_path / "tal.csv")
    assert path.read_text(encoding="utf-8") == text


def test_tal_csv_members_only_unless_asked():
    tal = build_tal(alignment(), Rule(), DECISIONS)
    assert len(tal_csv(tal).splitlines()) == 1 + 7  # header + members
    all_rows = tal_csv(tal, only_members=False).splitlines()
    assert len(all_rows) == 1 + 10
    # the export: the members, then the parked and excluded with their reasons
    exported = tal_csv(tal, decided=True).splitlines()
    assert exported[:8] == tal_csv(tal).splitlines()
    assert [row.split(",")[3] for row in exported[8:]] == [r.status for r in tal.rows if r.status in ("parked", "excluded")]
    assert "B,Bravo,Tier 1,excluded,90.0,Strong fit,,2,Sales; Marketing,Sales 2; Marketing 1,,,exclude,Churned last year,," in exported
    assert all_rows[3] == "B,Bravo,Tier 1,excluded,90.0,Strong fit,,2,Sales; Marketing,Sales 2; Marketing 1,,,exclude,Churned last year,,"
    assert all_rows[1] == "G,Golf,Excluded,not proposed,97.0,Strong fit,,3,Sales; Marketing; Finance,Sales 6; Marketing 5,,Existing customer,,,,"


# -- decisions.toml --------------------------------------------------------------------------------------


def test_save_and_load_decisions_round_trip(tmp_path):
    path = tmp_path / "decisions.toml"
    rule = Rule(3, ("Strong fit",), "and")
    decisions = {
        "acc:A": Decision("acc:A", "include", 'Strategic, "big" logo', "Tier 1"),
        "new:hotel.io": Decision("new:hotel.io", "park", "Later"),
        "acc:B": Decision("acc:B", "exclude", ""),
    }
    assert save_decisions(decisions, path, rule, aes=4) == path
    text = path.read_text(encoding="utf-8")
    assert "[rule]\nmin_votes = 3\nbands = [\"Strong fit\"]\njoin = \"and\"\naccount_executives = 4\n" in text
    assert 'reason = "Strategic, \\"big\\" logo"\ntier = "Tier 1"' in text
    got, got_rule, got_aes = load_decisions(path)
    assert got == decisions
    assert list(got) == ["acc:A", "new:hotel.io", "acc:B"]
    assert (got_rule, got_aes) == (rule, 4)


def test_decisions_round_trip_defaults_and_matches(tmp_path):
    path = tmp_path / "decisions.toml"
    save_decisions({}, path)
    assert load_decisions(path) == ({}, Rule(), None)
    f = DecisionsFile(matches={"tyrel": "ACC-9", "pied piper": None})
    f.save(path)
    back = DecisionsFile.load(path)
    assert back.matches == {"tyrel": "ACC-9", "pied piper": None}  # a rejected match is saved as ""
    assert (back.decisions, back.rule, back.aes) == ({}, Rule(), None)


def test_missing_decisions_file_is_empty(tmp_path):
    assert load_decisions(tmp_path / "nope.toml") == ({}, Rule(), None)


@pytest.mark.parametrize("text,where,message", [
    ('[rule]\njoin = "xor"\n', "2: rule.join", "must be 'or' or 'and', not 'xor'"),
    ('[[decisions]]\naccount = "acc:A"\naction = "maybe"\n', "3: decisions[1].action",
     "'maybe' is not an action (one of: include, exclude, park; case and spaces do not matter)"),
    ('[[decisions]]\naccount = "acc:A"\naction = "park"\n\n[[decisions]]\naction = "include"\n', "5: decisions[2]",
     "needs account (text) and action (include, exclude, park)"),
    ('[[decisions]]\naccount = 7\naction = "park"\n', "1: decisions[1]",
     "needs account (text) and action (include, exclude, park)"),
    ('[[decisions]]\naccount = "acc:A"\naction = "park"\nreason = 3\n', "4: decisions[1].reason", "must be text, not 3"),
    ('[[decisions]]\naccount = "acc:A"\naction = "park"\nreasn = "x"\n', "4: decisions[1].reasn",
     "is not a key here (did you mean 'reason'?)"),
    ('[rule]\nmin_votes = 0\n', "2: rule.min_votes", "must be a whole number from 1, not 0"),
    ('[matches]\n"name:acme" = 5\n', "2: matches.name:acme", "must be text, not 5"),
    ('rules = 3\n', "1: rules", "is not a key here (did you mean 'rule'?)"),
])
def test_broken_decisions_file(tmp_path, text, where, message):
    path = tmp_path / "decisions.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionError) as e:
        load_decisions(path)
    assert str(e.value) == f"{path}:{where}: {message}"


def test_decisions_file_not_toml(tmp_path):
    path = tmp_path / "decisions.toml"
    path.write_text('[rule]\nmin_votes = 2\njoin = "or\n', encoding="utf-8")
    with pytest.raises(DecisionError) as e:
        load_decisions(path)
    assert str(e.value).startswith(f"{path}:3: not valid TOML: ")
    assert e.value.line == 3


@pytest.mark.parametrize("text", [
    '[rule]\nmin_votes = "two"\n',
    'rule = "or"\n',
    'decisions = ["acc:A"]\n',
])
def test_wrongly_typed_decisions_file_is_a_decision_error(tmp_path, text):
    path = tmp_path / "decisions.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionError):
        load_decisions(path)
