"""The TAL's hold-out control group (seed 002: hold out about 20% when the ICP changes, compare later).

Assignment: reproducible for a seed, stable when members come and go, close to the share on a long
list (exact counts stated), about the share in every tier. Storage: [holdout] in decisions.toml,
round trip, comments kept, bad values named by file, line and key. Comparison: a tiny TAL and deal
file worked out by hand. The CSV's holdout column and the report's paragraph.
"""

from __future__ import annotations

import datetime as dt
import random

import numpy as np
import pytest

from icp_tui.engine.alignment.holdout import (
    CONTROL,
    TARGET,
    Holdout,
    control_mask,
    draws,
    groups,
    parse_seed,
    parse_share,
)
from icp_tui.engine.alignment.holdout_compare import compare_holdout, comparison_text, holdout_summary
from icp_tui.engine.alignment.matching import Universe
from icp_tui.engine.alignment.overlap import Alignment, Proposal
from icp_tui.engine.alignment.tal import DecisionError, DecisionsFile, Rule, build_tal, tal_csv, tal_toml
from icp_tui.engine.history.deals import read_deals

KEYS = [f"acc:ACC-{i:05d}" for i in range(1, 1001)]
SEED = 482913

# -- who is held out ------------------------------------------------------------------------------------


def test_draws_are_reproducible_for_a_seed_and_differ_between_seeds():
    first = draws(["acc:A", "acc:B", "acc:C", "acc:D", "acc:E"], SEED)
    assert np.array_equal(first, draws(["acc:A", "acc:B", "acc:C", "acc:D", "acc:E"], SEED))
    # the numbers themselves (SipHash of each key, keyed by the seed's first PCG64 output), to 6 places
    assert np.round(first, 6).tolist() == [0.338429, 0.203729, 0.396039, 0.24251, 0.411577]
    assert not np.array_equal(first, draws(["acc:A", "acc:B", "acc:C", "acc:D", "acc:E"], SEED + 1))
    assert ((first >= 0) & (first < 1)).all()


def test_share_on_a_thousand_accounts_exact_counts():
    # seed 482913: 201 of 1,000 under 0.2 (20.1%); seed 7: exactly 200; 5% -> 44 and 50% -> 490 for seed 482913
    assert control_mask(KEYS, Holdout(0.2, SEED)).sum() == 201
    assert control_mask(KEYS, Holdout(0.2, 7)).sum() == 200
    assert control_mask(KEYS, Holdout(0.05, SEED)).sum() == 44
    assert control_mask(KEYS, Holdout(0.5, SEED)).sum() == 490
    # a larger share only adds accounts: everyone in the 5% control is in the 20% one
    small, large = control_mask(KEYS, Holdout(0.05, SEED)), control_mask(KEYS, Holdout(0.2, SEED))
    assert (large | ~small).all()


def test_about_the_share_in_every_tier():
    # the first 100 keys Tier 1, the next 300 Tier 2, the last 600 Tier 3: 19 (19%), 61 (20.3%), 121 (20.2%)
    mask = control_mask(KEYS, Holdout(0.2, SEED))
    tiers = np.array(["Tier 1"] * 100 + ["Tier 2"] * 300 + ["Tier 3"] * 600)
    assert [int(mask[tiers == t].sum()) for t in ("Tier 1", "Tier 2", "Tier 3")] == [19, 61, 121]


def test_adding_members_moves_nobody_and_order_does_not_matter():
    h = Holdout(0.2, SEED)
    before = dict(zip(KEYS[:500], groups(KEYS[:500], h)))
    after = dict(zip(KEYS, groups(KEYS, h)))  # 500 more accounts on the list
    assert all(after[k] == g for k, g in before.items())
    shuffled = KEYS[:]
    random.Random(1).shuffle(shuffled)
    assert dict(zip(shuffled, groups(shuffled, h))) == after
    assert set(after.values()) == {TARGET, CONTROL}
    assert groups(KEYS[:3], None).tolist() == [TARGET] * 3


def test_shares_and_seeds_as_people_type_them():
    assert [parse_share(t) for t in ("20", "20%", "0.25", " 5 ", "50%")] == [0.2, 0.2, 0.25, 0.05, 0.5]
    for bad, said in (("80", "the share must be from 5% to 50% of the list, not 80"),
                      ("1", "the share must be from 5% to 50% of the list, not 1"),
                      ("abc", "'abc' is not a share: type a percentage such as 20")):
        with pytest.raises(ValueError) as e:
            parse_share(bad)
        assert str(e.value) == said
    assert parse_seed("482,913") == 482913
    with pytest.raises(ValueError, match="'-4' is not a seed"):
        parse_seed("-4")
    with pytest.raises(ValueError, match="'²' is not a seed"):  # a digit to str.isdigit, not to int()
        parse_seed("²")


# -- on the TAL ---------------------------------------------------------------------------------------

S, M = "Sales", "Marketing"


def tal_alignment(n: int = 40) -> Alignment:
    """n accounts proposed by both functions (all on the list with the default rule), plus one only Sales names."""
    props = [Proposal(f"acc:ACC-{i:05d}", i - 1, f"Company {i}", {S: i, M: i}, fit=90.0, band="Strong fit",
                      tier="Tier 1" if i % 2 else "Tier 2") for i in range(1, n + 1)]
    props.append(Proposal("acc:OFF", None, "Off the list", {S: None}, fit=10.0, band="Weak fit", tier="Pass"))
    z = np.zeros((2, 2))
    return Alignment([S, M], props, {S: [], M: []}, z.astype(np.int64), z, z, [])


def test_build_tal_marks_members_only_and_counts_groups():
    h = Holdout(0.2, SEED)
    tal = build_tal(tal_alignment(), Rule(), holdout=h)
    keys = [f"acc:ACC-{i:05d}" for i in range(1, 41)]
    expected = control_mask(keys, h)
    assert {r.proposal.key: r.group == CONTROL for r in tal.members} == dict(zip(keys, expected.tolist()))
    n = int(expected.sum())
    assert tal.counts_by_group() == {"target": 40 - n, "control": n}
    assert next(r for r in tal.rows if r.proposal.key == "acc:OFF").group == ""  # not on the list: no group
    assert build_tal(tal_alignment(), Rule()).counts_by_group() == {"target": 40, "control": 0}


def test_tal_csv_and_toml_carry_the_group():
    tal = build_tal(tal_alignment(), Rule(), holdout=Holdout(0.2, SEED, dt.date(2026, 12, 3)))
    lines = tal_csv(tal).splitlines()
    assert lines[0].endswith(",holdout")
    column = [line.rsplit(",", 1)[1] for line in lines[1:]]
    assert column == [r.group for r in tal.members] and set(column) == {"target", "control"}
    text = tal_toml(tal)
    n = tal.counts_by_group()
    assert f"[holdout]\nshare = 0.2\nseed = 482913\nsince = 2026-12-03\ntarget = {n['target']}\ncontrol = {n['control']}\n" in text
    assert text.count('holdout = "control"') == n["control"]


def test_report_paragraph():
    tal = build_tal(tal_alignment(), Rule(), holdout=Holdout(0.25, 7, dt.date(2026, 12, 3)))
    n = tal.counts_by_group()
    text = holdout_summary(tal)
    assert text.startswith(f"**Hold-out:** 25% of the list is kept as a control group (seed 7, since 2026-12-03): "
                           f"{n['target']} targeted, {n['control']} control (Tier 1 ")
    assert holdout_summary(build_tal(tal_alignment(), Rule())) == ""


# -- decisions.toml -------------------------------------------------------------------------------------


def test_round_trip_and_comments_kept(tmp_path):
    path = tmp_path / "decisions.toml"
    path.write_text('# Our decisions, kept by hand\n\n[rule]\nmin_votes = 3  # the room wants three\n\n'
                    '# the control group\n[holdout]\nshare = 0.2\nseed = 482913  # read out in the room\nsince = 2026-12-03\n',
                    encoding="utf-8")
    f = DecisionsFile.load(path)
    assert f.holdout == Holdout(0.2, 482913, dt.date(2026, 12, 3)) and f.rule.min_votes == 3
    f.holdout = Holdout(0.3, 482913, dt.date(2026, 12, 3))
    f.save(path)
    text = path.read_text(encoding="utf-8")
    for kept in ("# Our decisions, kept by hand", "min_votes = 3  # the room wants three", "# the control group",
                 "seed = 482913  # read out in the room"):
        assert kept in text
    assert "share = 0.3" in text
    assert DecisionsFile.load(path).holdout == Holdout(0.3, 482913, dt.date(2026, 12, 3))
    f.holdout = None
    f.save(path)
    assert "[holdout]" not in path.read_text(encoding="utf-8") and DecisionsFile.load(path).holdout is None
    assert "# Our decisions, kept by hand" in path.read_text(encoding="utf-8")


def test_holdout_added_after_decisions_reads_back(tmp_path):
    path = tmp_path / "decisions.toml"
    path.write_text('[[decisions]]\naccount = "acc:A"\naction = "park"\nreason = "later"  # ask Finance\n', encoding="utf-8")
    f = DecisionsFile.load(path)
    f.holdout = Holdout(0.2, 5)
    f.save(path)
    back = DecisionsFile.load(path)
    assert back.holdout == Holdout(0.2, 5) and list(back.decisions) == ["acc:A"] and back.decisions["acc:A"].reason == "later"


@pytest.mark.parametrize("text, where, message", [
    ("[holdout]\nshare = 0.8\nseed = 1\n", "2: holdout.share", "must be from 0.05 to 0.5 (5% to 50% of the list), not 0.8"),
    ('[holdout]\nshare = "20%"\nseed = 1\n', "2: holdout.share", "must be a share from 0.05 to 0.5 (e.g. 0.2 for 20%), not '20%'"),
    ("[holdout]\nshare = 0.2\nseed = -3\n", "3: holdout.seed", "must be a whole number from 0 (e.g. 482913), not -3"),
    ("[holdout]\nshare = 0.2\nseed = 1.5\n", "3: holdout.seed", "must be a whole number from 0 (e.g. 482913), not 1.5"),
    ('[holdout]\nshare = 0.2\nseed = 1\nsince = "monday"\n', "4: holdout.since",
     "must be a date (e.g. 2026-12-03, no quotes), not 'monday'"),
    ("[holdout]\nshare = 0.2\n", "1: holdout", "needs share (e.g. 0.2) and seed (e.g. 482913)"),
    ("[holdout]\nshare = 0.2\nseed = 1\npercent = 20\n", "4: holdout.percent", "is not a key here (share, seed, since)"),
    ('holdout = 0.2\n', "1: holdout", "must be a table ([holdout]) with share and seed"),
])
def test_bad_holdout_is_named_by_file_line_and_key(tmp_path, text, where, message):
    path = tmp_path / "decisions.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DecisionError) as e:
        DecisionsFile.load(path)
    assert str(e.value) == f"{path}:{where}: {message}"


# -- the comparison, by hand ------------------------------------------------------------------------------

#  universe: A1 Alpha, A2 Bravo, A3 Charlie, A4 Delta, Z9 Zulu (not on the TAL); Echo (echo.io) was added by hand
#  groups:   targeted Alpha, Bravo, Echo (3 accounts); control Charlie, Delta (2 accounts); since 2027-01-01
DEALS = """Opportunity ID,Account ID,Account Name,Website,Stage,Amount,Created Date,Close Date
D1,A1,Alpha,,Closed Won,100,2027-01-10,2027-02-10
D2,A1,Alpha,,Closed Lost,50,2027-02-01,2027-03-01
D3,,Bravo,,Negotiation,30,2027-01-15,
D4,A3,Charlie,,Closed Won,40,2027-01-20,2027-02-20
D5,A3,Charlie,,Closed Won,20,2026-12-15,2027-01-05
D6,,Echo Inc,echo.io,Closed Won,60,2027-03-01,2027-03-20
D7,Z9,Zulu,,Closed Won,70,2027-01-05,2027-02-05
D8,,Unknown Co,,Closed Lost,10,2027-01-05,2027-01-25
D9,A4,Delta,,Closed Lost,25,,2027-02-01
"""


def hand_tal():
    names = ["Alpha", "Bravo", "Charlie", "Delta"]
    props = [Proposal(f"acc:A{i + 1}", i, n, {S: 1, M: 1}) for i, n in enumerate(names)]
    props.append(Proposal("new:echo.io", None, "Echo", {S: 2, M: 2}))
    z = np.zeros((2, 2))
    tal = build_tal(Alignment([S, M], props, {S: [], M: []}, z.astype(np.int64), z, z, []), Rule(),
                    holdout=Holdout(0.2, 1, dt.date(2027, 1, 1)))
    for r in tal.members:  # the groups set by hand, so that the arithmetic below is about the deals only
        r.group = CONTROL if r.proposal.name in ("Charlie", "Delta") else TARGET
    universe = Universe.build(["A1", "A2", "A3", "A4", "Z9"], names + ["Zulu"], [""] * 5)
    return tal, universe


def test_comparison_by_hand(tmp_path):
    path = tmp_path / "later.csv"
    path.write_text(DEALS, encoding="utf-8")
    tal, universe = hand_tal()
    c = compare_holdout(tal, read_deals(path), universe)
    t, k = c.target, c.control
    # targeted: D1, D2 (Alpha), D3 (Bravo, by name), D6 (Echo, by website): 4 deals on 3 of 3 accounts;
    # pipeline 100 + 50 + 30 + 60 = 240; won D1 + D6 = 2 (160); lost D2; win rate 2 / 3
    assert (t.accounts, t.with_deal, t.deals, t.pipeline, t.won, t.lost, t.won_amount) == (3, 3, 4, 240.0, 2, 1, 160.0)
    assert t.win_rate == pytest.approx(2 / 3)
    # control: D4 only (D5 was created before 2027-01-01, D9 has no created date): 1 deal on 1 of 2 accounts
    assert (k.accounts, k.with_deal, k.deals, k.pipeline, k.won, k.lost, k.won_amount) == (2, 1, 1, 40.0, 1, 0, 40.0)
    assert k.win_rate == 1.0
    # 9 deals read; D5 before, D9 undated, D7 on Zulu (off the TAL), D8 on no known account
    assert (c.read, c.before, c.undated, c.off_list, c.unknown) == (9, 1, 1, 1, 1)
    # lift: with a deal 3/3 - 1/2 = +50 pts; win rate 2/3 - 1 = -33 pts;
    # pipeline per account 240/3 = 80 against 40/2 = 20: +300%; won per account 160/3 = 53.3 against 20: +167%
    assert c.lifts() == {"with_deal": "+50 pts", "win_rate": "-33 pts", "pipeline": "+300%", "won_amount": "+167%"}
    assert c.cautions == ["targeted group: 3 accounts, under 30: a difference may be chance",
                          "control group: 2 accounts, under 30: a difference may be chance"]
    text = comparison_text(c)
    assert text.splitlines()[0] == "20% held out as control (seed 1); deals created from 2027-01-01"
    assert "  win rate of closed         67% (2/3)      100% (1/1)   -33 pts" in text
    assert "9 deals read; left out: 1 created before 2027-01-01, 1 with no created\n  date, 1 on accounts off the TAL" in text
    assert max(len(line) for line in text.splitlines()) <= 78
    # another date: from 2027-02-01 only D2 and D6 (targeted) count
    later = compare_holdout(tal, read_deals(path), universe, dt.date(2027, 2, 1))
    assert (later.target.deals, later.target.pipeline, later.control.deals) == (2, 110.0, 0)


def test_no_holdout_no_comparison(tmp_path):
    path = tmp_path / "later.csv"
    path.write_text(DEALS, encoding="utf-8")
    tal, universe = hand_tal()
    tal.holdout = None
    with pytest.raises(Exception, match="the TAL has no hold-out to compare"):
        compare_holdout(tal, read_deals(path), universe)


def test_a_broken_decisions_file_is_kept_aside_before_the_session_writes_over_it(tmp_path):
    from icp_tui.engine.alignment.tal import Decision, DecisionsFile

    p = tmp_path / "decisions.toml"
    broken = '# notes: keep!\n[[decisions]]\naccount = "acc:2"\nreason = "CEO ask\n'  # an unclosed string
    p.write_text(broken)
    df = DecisionsFile()
    df.decisions["acc:1"] = Decision("acc:1", "include", "the room agreed")
    df.save(p)
    assert (tmp_path / "decisions.toml.broken").read_text() == broken  # the hand edit, as it was
    assert DecisionsFile.load(p).decisions["acc:1"].reason == "the room agreed"
