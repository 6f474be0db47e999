"""Matching list entries to the account universe (icp_tui.engine.alignment.matching).

Fuzzy scores written in comments are ``rapidfuzz.fuzz.token_sort_ratio`` of the two name keys,
computed by hand; the tests assert them too. HIGH = 92 (matched at or above), LOW = 80 (below: new).
A fuzzy reason shows the score with one decimal, or none when it is whole ("(94.7)", "(80)").
"""

from __future__ import annotations

import csv
import importlib.util
from collections import Counter
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from icp_tui.engine.alignment.matching import HIGH, LOW, Match, Universe, decision_key, match_entries
from icp_tui.engine.core.accounts import read_accounts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"

# id, name as written, website as written
ACCOUNTS = [
    ("A01", "Acme Inc.", "acme.com"),
    ("A02", "Acme Bank", "acmebank.com"),
    ("A03", "Acme Corp Europe", "acme-europe.eu"),
    ("A04", "Globex Corporation", "https://www.globex.com"),
    ("A05", "Initech LLC", "initech.io"),
    ("A06", "Initrode", ""),
    ("A07", "Umbrella Health GmbH", "umbrellahealth.de"),
    ("A08", "Umbrella Insurance", "umbrella-insurance.com"),
    ("A09", "Northwind Analytics", "northwind.io"),
    ("A10", "Northwind Traders", "www.northwindtraders.com"),
    ("A11", "The River Collective", "rivercollective.jp"),
    ("A12", "Harper & Lowell", "harperlowell.com"),
    ("A13", "Zürich Data AG", "zurichdata.ch"),
    ("A14", "Blue Peak Health", "bluepeakhealth.com"),
    ("A15", "Bluepeak Labs", "bluepeaklabs.io"),
    ("A16", "Hooli Ltd", "hooli.co.uk"),
    ("A17", "Vandelay Industries", None),
    ("A18", "Stark Logistics", "starklogistics.com"),
    ("A19", "Wayne Enterprises", "wayne.com"),
    ("A20", "Soylent Foods", "soylent.com.au"),
    ("A21", "Cyberdyne Systems", "cyberdyne.ai"),
    ("A22", "Massive Dynamic", "massivedynamic.com"),
    ("A23", "Tyrell Corporation", "tyrell.com"),
    ("A24", "Wonka Industries", "wonka.com"),
    ("A25", "Pied Piper Inc", "piedpiper.com"),
    ("A26", "ACME, Inc", "acme-duplicate.com"),  # same name key as A01: to confirm, A01 suggested
]


@pytest.fixture(scope="module")
def universe() -> Universe:
    ids, names, sites = zip(*ACCOUNTS)
    return Universe.build(list(ids), list(names), list(sites))


def account_id(universe: Universe, m: Match) -> str | None:
    return None if m.account is None else universe.ids[m.account]


def outcome(universe: Universe, m: Match) -> tuple:
    return account_id(universe, m), m.status, m.method, m.reason


def test_universe_keys_and_domains(universe):
    assert len(universe) == 26
    assert universe.keys.tolist() == [
        "acme", "acme bank", "acme corp europe", "globex", "initech", "initrode", "umbrella health",
        "umbrella insurance", "northwind analytics", "northwind traders", "river collective",
        "harper and lowell", "zurich data", "blue peak health", "bluepeak labs", "hooli",
        "vandelay industries", "stark logistics", "wayne enterprises", "soylent foods",
        "cyberdyne systems", "massive dynamic", "tyrell", "wonka industries", "pied piper", "acme"]
    assert universe.domains.tolist() == [
        "acme.com", "acmebank.com", "acme-europe.eu", "globex.com", "initech.io", "", "umbrellahealth.de",
        "umbrella-insurance.com", "northwind.io", "northwindtraders.com", "rivercollective.jp",
        "harperlowell.com", "zurichdata.ch", "bluepeakhealth.com", "bluepeaklabs.io", "hooli.co.uk", "",
        "starklogistics.com", "wayne.com", "soylent.com.au", "cyberdyne.ai", "massivedynamic.com",
        "tyrell.com", "wonka.com", "piedpiper.com", "acme-duplicate.com"]
    assert universe.same_key == {"acme": 2}  # A01 and A26


NEW_NAME = "new account: no similar account name"
NEW_DOMAIN = "new account: no account with this domain"
# A01 "Acme Inc." and A26 "ACME, Inc" share the key 'acme': an exact name is to confirm, A01 suggested
TWIN_ACME = "same name 'acme' as 2 accounts; check which one"

# entry, website column (or None), expected account id, status, method, reason, score
CASES = [
    # ---- must find Acme Inc. however it is typed (by name: to confirm against its namesake A26)
    ("Acme Inc.", None, "A01", "confirm", "name", TWIN_ACME, 100.0),
    ("ACME, Inc", None, "A01", "confirm", "name", TWIN_ACME, 100.0),
    ("Acme", None, "A01", "confirm", "name", TWIN_ACME, 100.0),
    ("Acme Corp", None, "A01", "confirm", "name", TWIN_ACME, 100.0),  # not Acme Corp Europe
    ("acme.com", None, "A01", "matched", "domain", "same domain acme.com", 100.0),
    ("acme.com.", None, "A01", "matched", "domain", "same domain acme.com", 100.0),  # trailing dot
    ("https://www.acme.com./about", None, "A01", "matched", "domain", "same domain acme.com", 100.0),
    ("ACME.COM", None, "A01", "matched", "domain", "same domain acme.com", 100.0),
    ("https://www.acme.com/about", None, "A01", "matched", "domain", "same domain acme.com", 100.0),
    ("sales@acme.com", None, "A01", "matched", "domain", "same domain acme.com", 100.0),
    ("acme-duplicate.com", None, "A26", "matched", "domain", "same domain acme-duplicate.com", 100.0),
    # ---- Globex, River Collective, Harper & Lowell, Zürich Data, Hooli, Soylent
    ("Globex Corp", None, "A04", "matched", "name", "same name 'globex'", 100.0),
    ("GLOBEX CORPORATION", None, "A04", "matched", "name", "same name 'globex'", 100.0),
    ("globex", None, "A04", "matched", "name", "same name 'globex'", 100.0),
    ("globex.com", None, "A04", "matched", "domain", "same domain globex.com", 100.0),
    ("Globex S.A.", None, "A04", "matched", "name", "same name 'globex'", 100.0),  # dotted legal form
    ("River Collective", None, "A11", "matched", "name", "same name 'river collective'", 100.0),
    ("The River Collective Ltd", None, "A11", "matched", "name", "same name 'river collective'", 100.0),
    ("https://rivercollective.jp/en", None, "A11", "matched", "domain", "same domain rivercollective.jp", 100.0),
    ("Harper and Lowell", None, "A12", "matched", "name", "same name 'harper and lowell'", 100.0),
    ("HARPER & LOWELL", None, "A12", "matched", "name", "same name 'harper and lowell'", 100.0),
    ("Harper & Lowell & Co.", None, "A12", "matched", "name", "same name 'harper and lowell'", 100.0),
    ("Zurich Data", None, "A13", "matched", "name", "same name 'zurich data'", 100.0),
    ("ZÜRICH DATA AG", None, "A13", "matched", "name", "same name 'zurich data'", 100.0),
    ("Hooli", None, "A16", "matched", "name", "same name 'hooli'", 100.0),
    ("Hooli L.L.C.", None, "A16", "matched", "name", "same name 'hooli'", 100.0),
    ("shop.hooli.co.uk", None, "A16", "matched", "domain", "same domain hooli.co.uk", 100.0),
    ("www.soylent.com.au", None, "A20", "matched", "domain", "same domain soylent.com.au", 100.0),
    # ---- similar names: at or above HIGH -> matched
    # token_sort_ratio('umbrela health', 'umbrella health') = 96.5517
    ("Umbrela Health", None, "A07", "matched", "fuzzy", "similar name 'umbrela health' ~ 'umbrella health' (96.6)",
     96.5517),
    # token_sort_ratio('globexx', 'globex') = 92.3077: just above HIGH
    ("Globexx", None, "A04", "matched", "fuzzy", "similar name 'globexx' ~ 'globex' (92.3)", 92.3077),
    # token_sort_ratio('massive dinamic', 'massive dynamic') = 93.3333
    ("Massive Dinamic", None, "A22", "matched", "fuzzy", "similar name 'massive dinamic' ~ 'massive dynamic' (93.3)",
     93.3333),
    # token_sort_ratio('vandelay industrie', 'vandelay industries') = 97.2973 (the account has no website)
    ("Vandelay Industrie", None, "A17", "matched", "fuzzy",
     "similar name 'vandelay industrie' ~ 'vandelay industries' (97.3)", 97.2973),
    # token_sort_ratio('cyberdine systems', 'cyberdyne systems') = 94.1176
    ("Cyberdine Systems", None, "A21", "matched", "fuzzy",
     "similar name 'cyberdine systems' ~ 'cyberdyne systems' (94.1)", 94.1176),
    # ---- similar names: between LOW and HIGH -> confirm
    # token_sort_ratio('globx', 'globex') = 90.9091
    ("Globx", None, "A04", "confirm", "fuzzy", "similar name 'globx' ~ 'globex' (90.9)", 90.9091),
    # token_sort_ratio('tyrel', 'tyrell') = 90.9091 ("Corp" is dropped from the entry)
    ("Tyrel Corp", None, "A23", "confirm", "fuzzy", "similar name 'tyrel' ~ 'tyrell' (90.9)", 90.9091),
    # token_sort_ratio('harper lowell', 'harper and lowell') = 86.6667
    ("Harper Lowell", None, "A12", "confirm", "fuzzy", "similar name 'harper lowell' ~ 'harper and lowell' (86.7)",
     86.6667),
    # token_sort_ratio('acme europe', 'acme corp europe') = 81.4815
    ("Acme Europe", None, "A03", "confirm", "fuzzy", "similar name 'acme europe' ~ 'acme corp europe' (81.5)", 81.4815),
    # token_sort_ratio('northwind analytix', 'northwind analytics') = 91.8919: just below HIGH
    ("Northwind Analytix", None, "A09", "confirm", "fuzzy",
     "similar name 'northwind analytix' ~ 'northwind analytics' (91.9)", 91.8919),
    # token_sort_ratio('pied pyper', 'pied piper') = 90.0: a whole score is shown without decimals
    ("Pied Pyper", None, "A25", "confirm", "fuzzy", "similar name 'pied pyper' ~ 'pied piper' (90)", 90.0),
    # token_sort_ratio('acmee', 'acme') = 88.8889, a tie between A01 and A26: the first account is suggested
    ("Acmee", None, "A01", "confirm", "fuzzy", "similar name 'acmee' ~ 'acme' (88.9)", 88.8889),
    # ---- below LOW -> new
    # token_sort_ratio('wonka inds', 'wonka industries') = 76.9231
    ("Wonka Inds", None, None, "new", "none", NEW_NAME, 0.0),
    # ---- must not match a near miss
    ("Acme Bank", None, "A02", "matched", "name", "same name 'acme bank'", 100.0),  # not Acme Inc.
    ("info@acmebank.com", None, "A02", "matched", "domain", "same domain acmebank.com", 100.0),
    # token_sort_ratio('acme banks', 'acme bank') = 94.7368: Acme Bank, not Acme Inc.
    ("Acme Banks", None, "A02", "matched", "fuzzy", "similar name 'acme banks' ~ 'acme bank' (94.7)", 94.7368),
    # token_sort_ratio('acme holdings bank', 'acme bank') = 66.6667, ('acme holdings bank', 'acme') = 36.3636
    ("Acme Holdings Bank", None, None, "new", "none", NEW_NAME, 0.0),
    ("Umbrella Insurance", None, "A08", "matched", "name", "same name 'umbrella insurance'", 100.0),
    ("Umbrella Health", None, "A07", "matched", "name", "same name 'umbrella health'", 100.0),
    # token_sort_ratio('umbrella', 'umbrella health') = 69.5652
    ("Umbrella", None, None, "new", "none", NEW_NAME, 0.0),
    ("Northwind Traders", None, "A10", "matched", "name", "same name 'northwind traders'", 100.0),
    ("Northwind Analytics", None, "A09", "matched", "name", "same name 'northwind analytics'", 100.0),
    # token_sort_ratio('northwind', 'northwind analytics') = 64.2857
    ("Northwind", None, None, "new", "none", NEW_NAME, 0.0),
    ("Initrode", None, "A06", "matched", "name", "same name 'initrode'", 100.0),
    ("Initrode Inc", None, "A06", "matched", "name", "same name 'initrode'", 100.0),
    ("Initech", None, "A05", "matched", "name", "same name 'initech'", 100.0),
    ("Initech GmbH & Co. KG", None, "A05", "matched", "name", "same name 'initech'", 100.0),
    # token_sort_ratio('intech', 'initech') = 92.3077: a typo in the third letter; they share the first
    # two letters, so the account is compared (as is 'initrode', 57.1429) and matched
    ("Intech", None, "A05", "matched", "fuzzy", "similar name 'intech' ~ 'initech' (92.3)", 92.3077),
    ("Blue Peak Health", None, "A14", "matched", "name", "same name 'blue peak health'", 100.0),
    ("Bluepeak Labs", None, "A15", "matched", "name", "same name 'bluepeak labs'", 100.0),
    # token_sort_ratio('blue peak labs', 'blue peak health') = 73.3333, ('blue peak labs', 'bluepeak labs') = 66.6667
    ("Blue Peak Labs", None, None, "new", "none", NEW_NAME, 0.0),
    # a domain no account has: new, even though "acme" is an account name
    ("acme.org", None, None, "new", "none", NEW_DOMAIN, 0.0),
    ("https://www.acme.org/about", None, None, "new", "none", NEW_DOMAIN, 0.0),
    ("sales@acme.org", None, None, "new", "none", NEW_DOMAIN, 0.0),
    # not in the universe at all
    ("Contoso Ltd", None, None, "new", "none", NEW_NAME, 0.0),
    ("Zaphod Ventures", None, None, "new", "none", NEW_NAME, 0.0),
    # ---- the website column gives the domain
    ("Stark", "https://starklogistics.com/contact", "A18", "matched", "domain", "same domain starklogistics.com", 100.0),
    ("Wayne", "www.wayne.com", "A19", "matched", "domain", "same domain wayne.com", 100.0),
    ("Initrode Inc", "initrode.com", "A06", "matched", "name", "same name 'initrode'", 100.0),  # unknown site: the name
    ("Contoso Ltd", "contoso.com", None, "new", "none", NEW_NAME, 0.0),
    # the domain comes before the name...
    ("Globex", "acme.com", "A01", "matched", "domain", "same domain acme.com", 100.0),
    # ...and an address typed as the entry comes before the website column
    ("acme.org", "acme.com", None, "new", "none", NEW_DOMAIN, 0.0),
    ("sales@acmebank.com", "acme.com", "A02", "matched", "domain", "same domain acmebank.com", 100.0),
]


@pytest.mark.parametrize(("entry", "site", "expected", "status", "method", "reason", "score"), CASES,
                         ids=[f"{c[0]!r}" + (f"+{c[1]}" if c[1] else "") for c in CASES])
def test_match_entry(universe, entry, site, expected, status, method, reason, score):
    (m,) = match_entries([entry], universe, domains=None if site is None else [site])
    assert outcome(universe, m) == (expected, status, method, reason)
    assert m.entry == entry
    assert m.score == pytest.approx(score, abs=5e-5)


def test_fuzzy_scores_in_comments_are_token_sort_ratio():
    for a, b, score in [("umbrela health", "umbrella health", 96.5517), ("globexx", "globex", 92.3077),
                        ("globx", "globex", 90.9091), ("harper lowell", "harper and lowell", 86.6667),
                        ("acme europe", "acme corp europe", 81.4815), ("wonka inds", "wonka industries", 76.9231),
                        ("northwind analytix", "northwind analytics", 91.8919), ("intech", "initech", 92.3077),
                        ("northwind", "northwind analytics", 64.2857), ("umbrella", "umbrella health", 69.5652),
                        ("blue peak labs", "bluepeak labs", 66.6667), ("acme holdings bank", "acme bank", 66.6667),
                        ("intech", "initrode", 57.1429), ("pied pyper", "pied piper", 90.0),
                        ("acme banks", "acme bank", 94.7368), ("tyrel", "tyrell", 90.9091),
                        ("massive dinamic", "massive dynamic", 93.3333), ("acmee", "acme", 88.8889),
                        ("vandelay industrie", "vandelay industries", 97.2973),
                        ("cyberdine systems", "cyberdyne systems", 94.1176)]:
        assert fuzz.token_sort_ratio(a, b) == pytest.approx(score, abs=5e-5), (a, b)


def test_many_entries_at_once_keep_their_order(universe):
    entries = [c[0] for c in CASES]
    sites = [c[1] or "" for c in CASES]
    got = [outcome(universe, m) for m in match_entries(entries, universe, domains=sites)]
    assert got == [(c[2], c[3], c[4], c[5]) for c in CASES]


def test_match_fields(universe):
    a, b, c = match_entries(["https://www.acme.com/about", "The River Collective Ltd", "Globx"], universe)
    assert a == Match("https://www.acme.com/about", "", "acme.com", 0, "matched", "domain", 100.0,
                      "same domain acme.com")
    assert b == Match("The River Collective Ltd", "river collective", "", 10, "matched", "name", 100.0,
                      "same name 'river collective'")
    assert (c.key, c.domain, c.account) == ("globx", "", 3)


def test_thresholds(universe):
    assert (HIGH, LOW) == (92.0, 80.0)
    # 'acme banks' ~ 'acme bank' = 94.7368
    (m,) = match_entries(["Acme Banks"], universe, high=95)
    assert outcome(universe, m) == ("A02", "confirm", "fuzzy", "similar name 'acme banks' ~ 'acme bank' (94.7)")
    # 'globx' ~ 'globex' = 90.9091
    (m,) = match_entries(["Globx"], universe, low=91)
    assert outcome(universe, m) == (None, "new", "none", NEW_NAME)
    (m,) = match_entries(["Globx"], universe, high=90)
    assert outcome(universe, m) == ("A04", "matched", "fuzzy", "similar name 'globx' ~ 'globex' (90.9)")
    # a score exactly at a threshold is on the upper side
    exact = fuzz.token_sort_ratio("globx", "globex")
    (m,) = match_entries(["Globx"], universe, high=exact)
    assert m.status == "matched"
    (m,) = match_entries(["Globx"], universe, high=100, low=exact)
    assert m.status == "confirm"


# --------------------------------------------------------------------------------------------
# decisions remembered from earlier
# --------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("entry", "key"), [
    ("Acme Inc.", "acme"),
    ("ACME, Inc", "acme"),
    ("The River Collective Ltd", "river collective"),
    ("https://www.Acme.com/about", "acme.com"),
    ("sales@acme.com", "acme.com"),
    ("shop.hooli.co.uk", "hooli.co.uk"),
    ("", ""),
])
def test_decision_key(entry, key):
    assert decision_key(entry) == key


def test_decision_confirms_an_account(universe):
    decisions = {decision_key("Globx"): "A04", decision_key("Acme Holdings Bank"): "A02"}
    got = [outcome(universe, m) for m in match_entries(["Globx", "globx", "Acme Holdings Bank"], universe,
                                                       decisions=decisions)]
    assert got == [("A04", "matched", "decision", "confirmed earlier as A04"),
                   ("A04", "matched", "decision", "confirmed earlier as A04"),
                   ("A02", "matched", "decision", "confirmed earlier as A02")]
    assert [m.score for m in match_entries(["Globx"], universe, decisions=decisions)] == [100.0]


def test_decision_keeps_a_new_account(universe):
    decisions = {decision_key("Acme Inc."): None}  # "acme": even an exact name is overruled
    got = [outcome(universe, m) for m in match_entries(["Acme Inc.", "ACME, Inc", "acme.com"], universe,
                                                       decisions=decisions)]
    assert got == [(None, "new", "decision", "kept as a new account (decided earlier)"),
                   (None, "new", "decision", "kept as a new account (decided earlier)"),
                   ("A01", "matched", "domain", "same domain acme.com")]  # keyed by its domain, not decided


def test_decision_on_a_domain_covers_every_address_of_it(universe):
    decisions = {decision_key("https://www.acme.com/about"): None}
    got = [outcome(universe, m) for m in match_entries(["sales@acme.com", "acme.com", "Acme"], universe,
                                                       decisions=decisions)]
    assert got == [(None, "new", "decision", "kept as a new account (decided earlier)"),
                   (None, "new", "decision", "kept as a new account (decided earlier)"),
                   ("A01", "confirm", "name", TWIN_ACME)]
    # a confirmed decision overrules the domain lookup too
    (m,) = match_entries(["acme.com"], universe, decisions={"acme.com": "A26"})
    assert outcome(universe, m) == ("A26", "matched", "decision", "confirmed earlier as A26")


def test_decision_for_a_name_with_a_website_is_keyed_by_the_name(universe):
    decisions = {decision_key("Stark"): None}
    (m,) = match_entries(["Stark"], universe, domains=["starklogistics.com"], decisions=decisions)
    assert outcome(universe, m) == (None, "new", "decision", "kept as a new account (decided earlier)")
    assert m.domain == "starklogistics.com"


def test_decision_naming_an_unknown_account_falls_back_to_matching(universe):
    decisions = {decision_key("Globx"): "A99", decision_key("Acme"): "NOPE", "acme.com": "gone"}
    got = [outcome(universe, m) for m in match_entries(["Globx", "Acme Inc.", "acme.com"], universe,
                                                       decisions=decisions)]
    assert got == [("A04", "confirm", "fuzzy", "similar name 'globx' ~ 'globex' (90.9)"),
                   ("A01", "confirm", "name", TWIN_ACME),
                   ("A01", "matched", "domain", "same domain acme.com")]


def test_decision_settles_a_shared_name(universe):
    # 'acme' is shared by A01 and A26: once the room picked A26, every spelling of it goes there
    decisions = {decision_key("ACME, Inc"): "A26"}
    got = [outcome(universe, m) for m in match_entries(["Acme Inc.", "Acme", "acme.com"], universe,
                                                       decisions=decisions)]
    assert got == [("A26", "matched", "decision", "confirmed earlier as A26"),
                   ("A26", "matched", "decision", "confirmed earlier as A26"),
                   ("A01", "matched", "domain", "same domain acme.com")]  # keyed by its domain, not decided


def test_no_decisions_is_the_same_as_empty(universe):
    entries = ["Globx", "Acme", "acme.org"]
    assert match_entries(entries, universe, decisions=None) == match_entries(entries, universe, decisions={})


# --------------------------------------------------------------------------------------------
# duplicates, empty input, missing values
# --------------------------------------------------------------------------------------------

def test_duplicates_in_the_universe_first_wins():
    u = Universe.build(["X1", "X2", "X3", "X4"], ["Acme Inc.", "Acme Corporation", "Acme Online", "Beta"],
                       ["https://acme.com", "www.acme.com", "shop.acme.com", "beta.com"])
    assert u.same_key == {"acme": 2}  # X1 and X2; 'acme online' is another name
    got = [outcome(u, m) for m in match_entries(["acme.com", "Acme", "Acme Ltd", "Acme Online"], u)]
    # a shared domain: the first account, matched; a shared name: the first account, to confirm
    assert got == [("X1", "matched", "domain", "same domain acme.com"),
                   ("X1", "confirm", "name", "same name 'acme' as 2 accounts; check which one"),
                   ("X1", "confirm", "name", "same name 'acme' as 2 accounts; check which one"),
                   ("X3", "matched", "name", "same name 'acme online'")]
    (m,) = match_entries(["Acme"], u)
    assert (m.score, m.key, m.account) == (100.0, "acme", 0)


def test_a_name_shared_by_three_accounts():
    u = Universe.build(["X1", "X2", "X3", "X4"], ["The Acme Company", "Acme", "ACME Ltd.", "Acme Bank"],
                       ["", "", "", ""])
    assert u.same_key == {"acme": 3}
    got = [outcome(u, m) for m in match_entries(["Acme GmbH", "Acme Bank"], u)]
    assert got == [("X1", "confirm", "name", "same name 'acme' as 3 accounts; check which one"),
                   ("X4", "matched", "name", "same name 'acme bank'")]


def test_duplicate_ids_in_the_universe_decision_goes_to_the_first():
    u = Universe.build(["X1", "X1", "X2"], ["Acme", "Acme Two", "Beta"], ["acme.com", "acmetwo.com", ""])
    (m,) = match_entries(["Zeta"], u, decisions={"zeta": "X1"})
    assert (m.account, m.status, m.method, m.reason) == (0, "matched", "decision", "confirmed earlier as X1")


def test_empty_entries_are_kept_as_new(universe):
    assert match_entries([], universe) == []
    got = match_entries(["", "   ", "???"], universe)
    assert [(m.entry, m.key, m.domain) for m in got] == [("", "", ""), ("   ", "", ""), ("???", "", "")]
    assert [outcome(universe, m) for m in got] == [(None, "new", "none", NEW_NAME)] * 3


def test_a_name_that_is_only_a_legal_form(universe):
    got = [outcome(universe, m) for m in match_entries(["Co", "Inc.", "The"], universe)]
    assert got == [(None, "new", "none", NEW_NAME)] * 3


def test_empty_universe():
    u = Universe.build([], [], [])
    assert len(u) == 0
    got = [outcome(u, m) for m in match_entries(["Acme Inc.", "acme.com", ""], u)]
    assert got == [(None, "new", "none", NEW_NAME), (None, "new", "none", NEW_DOMAIN),
                   (None, "new", "none", NEW_NAME)]


def test_missing_names_and_websites_in_the_universe():
    u = Universe.build(["X1", "X2", "X3"], ["Acme Inc.", None, "Beta"], [None, "beta.com", ""])
    assert u.keys.tolist() == ["acme", "", "beta"]
    assert u.same_key == {}  # a missing name is nobody's name
    assert u.domains.tolist() == ["", "beta.com", ""]
    got = [outcome(u, m) for m in match_entries(["Acme", "beta.com", "Beta", "acme.com"], u)]
    assert got == [("X1", "matched", "name", "same name 'acme'"),
                   ("X2", "matched", "domain", "same domain beta.com"),
                   ("X3", "matched", "name", "same name 'beta'"),
                   (None, "new", "none", NEW_DOMAIN)]


def test_group_is_part_of_the_name():
    # 'group' and 'holdings' are not legal forms: 'Mosaic Group' and 'Mosaic Co.' are two companies
    u = Universe.build(["M1", "M2", "M3"], ["Mosaic Co.", "Mosaic Group", "Mosaic Holdings"],
                       ["mosaic.io", "mosaicgroup.com", ""])
    assert u.keys.tolist() == ["mosaic", "mosaic group", "mosaic holdings"]
    assert u.same_key == {}
    got = [outcome(u, m) for m in match_entries(["Mosaic Group", "Mosaic Co.", "Mosaic Holdings Ltd"], u)]
    assert got == [("M2", "matched", "name", "same name 'mosaic group'"),
                   ("M1", "matched", "name", "same name 'mosaic'"),
                   ("M3", "matched", "name", "same name 'mosaic holdings'")]


# --------------------------------------------------------------------------------------------
# the sample data: five function lists against sample_data/accounts.csv
# --------------------------------------------------------------------------------------------

LISTS = ("sales", "marketing", "customer_success", "product", "finance")

# matched, confirm, new per list; then every entry that is not "matched". Checked by eye and against
# the generator's ground truth (sample_data/generate.py): every "new" is a company missing from
# accounts.csv; the one fuzzy "confirm" is missing too but has a close namesake worth asking about
# ('falconleaf systems' vs Falconhaven Systems Corp, token_sort_ratio 81.1, just above LOW).
# "tandem co." (sales) is a name "confirm": two accounts in accounts.csv share the key 'tandem',
# ACC-00008 "Tandem Co." and ACC-01869 "The Tandem Company" ("The", "Company" and "Co." are dropped);
# the suggestion ACC-00008 is the right account. accounts.csv has 13 such shared keys, each "X" and
# "The X Company"; 'tandem' is the only one on the lists.
# Methods: an entry written as a domain, URL or e-mail matches by domain (marketing 3, customer_success
# 26, product 15, finance 2), and so does a finance entry by its Website cell (34 more); the rest by name.
SAMPLE_COUNTS = {
    "sales": (58, 1, 3),
    "marketing": (69, 1, 4),
    "customer_success": (48, 0, 2),
    "product": (52, 0, 4),
    "finance": (45, 0, 3),
}
SAMPLE_METHODS = {
    "sales": {"name": 59, "none": 3},
    "marketing": {"name": 66, "domain": 3, "none": 4, "fuzzy": 1},
    "customer_success": {"domain": 26, "name": 22, "none": 2},
    "product": {"name": 37, "domain": 15, "none": 4},
    "finance": {"domain": 36, "name": 9, "none": 3},
}
TANDEM = "same name 'tandem' as 2 accounts; check which one"
SAMPLE_NOT_MATCHED = {
    "sales": [
        ("tandem co.", "ACC-00008", "confirm", "name", TANDEM),
        ("Luloly Digital", None, "new", "none", NEW_NAME),
        ("Lovorix Co.", None, "new", "none", NEW_NAME),
        ("Vomitex", None, "new", "none", NEW_NAME),
    ],
    "marketing": [
        ("Harborpoint Bio", None, "new", "none", NEW_NAME),
        ("Kabaly", None, "new", "none", NEW_NAME),
        ("Falconlight Signals Inc.", None, "new", "none", NEW_NAME),
        ("Falconleaf Systems", "ACC-01624", "confirm", "fuzzy",
         "similar name 'falconleaf systems' ~ 'falconhaven systems' (81.1)"),  # token_sort_ratio = 81.08
        ("Farbrook Marketing", None, "new", "none", NEW_NAME),
    ],
    "customer_success": [
        ("Wildforge Shield", None, "new", "none", NEW_NAME),
        ("Swiftworks", None, "new", "none", NEW_NAME),
    ],
    "product": [
        ("Sunline Security Co.", None, "new", "none", NEW_NAME),
        ("Greengate Media", None, "new", "none", NEW_NAME),
        ("Clearline Cyber", None, "new", "none", NEW_NAME),
        ("Amberpeak Defense SA", None, "new", "none", NEW_NAME),
    ],
    "finance": [
        ("Harborleaf Digital SA", None, "new", "none", NEW_NAME),  # website harborleaf.com.br: no account has it
        ("Vovenvo Cloud", None, "new", "none", NEW_NAME),
        ("Lakeleaf Direct SA", None, "new", "none", NEW_NAME),
    ],
}
# Once matched to the wrong account while "Group" was stripped as a legal form (see
# test_group_is_part_of_the_name): entry -> (the right account, the reason).
# 'highstone' was also the key of Highstone Group Ltd (ACC-00610), the account it matched; now
# 'highstone group'. It is the only such entry on the lists (no entry reads "X Group" next to an account "X").
SAMPLE_GROUP_NAMES = {
    ("sales", "HIGHSTONE"): ("ACC-01787", "same name 'highstone'"),  # was Highstone Group Ltd (ACC-00610)
}


def _read_list(name: str) -> tuple[list[str], list[str] | None]:
    with open(SAMPLE / "lists" / f"{name}.csv", newline="", encoding="utf-8") as f:
        header, *rows = list(csv.reader(f))
    site = header.index("Website") if "Website" in header else None
    return [r[0] for r in rows], None if site is None else [r[site] for r in rows]


@pytest.fixture(scope="module")
def sample_universe() -> Universe:
    frame = read_accounts(SAMPLE / "accounts.csv")
    return Universe.build(frame.raw("account_id").to_pylist(), frame.raw("name").to_pylist(),
                          frame.raw("domain").to_pylist())


@pytest.fixture(scope="module")
def sample_matches(sample_universe) -> dict[str, tuple[list[str], list[Match]]]:
    out = {}
    for name in LISTS:
        entries, sites = _read_list(name)
        out[name] = entries, match_entries(entries, sample_universe, domains=sites)
    return out


@pytest.fixture(scope="module")
def ground_truth() -> dict[str, list[dict]]:
    spec = importlib.util.spec_from_file_location("_sample_generate", SAMPLE / "generate.py")
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    return gen.build()[2]


def test_sample_universe(sample_universe):
    assert len(sample_universe) == 2000


@pytest.mark.parametrize("name", LISTS)
def test_sample_list_counts(sample_matches, sample_universe, name):
    entries, ms = sample_matches[name]
    assert len(ms) == len(entries) == sum(SAMPLE_COUNTS[name])
    counts = Counter(m.status for m in ms)
    assert (counts["matched"], counts["confirm"], counts["new"]) == SAMPLE_COUNTS[name]
    assert dict(Counter(m.method for m in ms)) == SAMPLE_METHODS[name]
    not_matched = [(m.entry, *outcome(sample_universe, m)) for m in ms if m.status != "matched"]
    assert not_matched == SAMPLE_NOT_MATCHED[name]


@pytest.mark.parametrize("name", LISTS)
def test_sample_list_matches_the_ground_truth(sample_matches, sample_universe, ground_truth, name):
    entries, ms = sample_matches[name]
    truth = ground_truth[name]
    assert [row["shown"] for row in truth] == entries  # the CSV is what the generator wrote
    for m, row in zip(ms, truth):
        got = account_id(sample_universe, m)
        if m.status == "matched" or (m.status, m.method) == ("confirm", "name"):
            # a shared name is to confirm, and the suggestion is the right account
            assert got == row["id"], m
        else:
            # only companies missing from accounts.csv are new or a fuzzy "confirm"
            assert row["id"] is None, m


@pytest.mark.parametrize(("name", "entry"), list(SAMPLE_GROUP_NAMES))
def test_sample_list_group_names(sample_matches, sample_universe, name, entry):
    entries, ms = sample_matches[name]
    m = ms[entries.index(entry)]
    right, reason = SAMPLE_GROUP_NAMES[(name, entry)]
    assert outcome(sample_universe, m) == (right, "matched", "name", reason)


# --------------------------------------------------------------------------------------------
# accounts without websites: an entry's website is compared by the name its domain spells
# --------------------------------------------------------------------------------------------

NO_SITES = [("N01", "Acme Robotics Inc."), ("N02", "Globex Corporation"), ("N03", "Initech LLC"),
            ("N04", "Stark Logistics"), ("N05", "Tandem Co."), ("N06", "The Tandem Company"),
            ("N07", "Harper & Lowell"), ("N08", "Blue Peak Health"), ("N09", "Umbrella Insurance")]
TWIN_TANDEM_SITE = "name from website 'tandem.com' shared by 2 accounts; check which one"

# entry, website column, expected account id, status, method, reason, score
NO_SITE_CASES = [
    ("www.acme-robotics.com", "", "N01", "matched", "website", "name from website 'acme-robotics.com'", 100.0),
    ("ACME-ROBOTICS.COM", "", "N01", "matched", "website", "name from website 'acme-robotics.com'", 100.0),
    ("https://globex.co.uk/about", "", "N02", "matched", "website", "name from website 'globex.co.uk'", 100.0),
    ("jane@initech.io", "", "N03", "matched", "website", "name from website 'initech.io'", 100.0),
    # the name glued in the domain: compared with the account's key without spaces
    ("acmerobotics.com", "", "N01", "matched", "website", "name from website 'acmerobotics.com' (spaces ignored)", 100.0),
    ("starklogistics.com", "", "N04", "matched", "website", "name from website 'starklogistics.com' (spaces ignored)",
     100.0),
    ("https://www.bluepeakhealth.com/team", "", "N08", "matched", "website",
     "name from website 'bluepeakhealth.com' (spaces ignored)", 100.0),
    # 'tandem' is the key of N05 "Tandem Co." and N06 "The Tandem Company": to confirm, the first suggested
    ("tandem.com", "", "N05", "confirm", "website", TWIN_TANDEM_SITE, 100.0),
    # similar names, with the thresholds of names: token_sort_ratio('acme robotix', 'acme robotics') = 2*11/25 = 88
    ("acme-robotix.com", "", "N01", "confirm", "website_fuzzy",
     "similar name from website 'acme-robotix.com': 'acme robotix' ~ 'acme robotics' (88)", 88.0),
    # ('harperlowell', 'harper and lowell') = 2*12/29 = 82.7586
    ("harperlowell.com", "", "N07", "confirm", "website_fuzzy",
     "similar name from website 'harperlowell.com': 'harperlowell' ~ 'harper and lowell' (82.8)", 82.7586),
    # ('umbrella insurence', 'umbrella insurance') = 2*17/36 = 94.4444: above HIGH
    ("umbrella-insurence.com", "", "N09", "matched", "website_fuzzy",
     "similar name from website 'umbrella-insurence.com': 'umbrella insurence' ~ 'umbrella insurance' (94.4)", 94.4444),
    # 'acme-inc.com' spells 'acme' (the legal form dropped): ('acme', 'acme robotics') = 2*4/17 = 47.06, below LOW
    ("acme-inc.com", "", None, "new", "none", "new account: no account name like 'acme' (from website 'acme-inc.com')", 0.0),
    ("nope.io", "", None, "new", "none", "new account: no account name like 'nope' (from website 'nope.io')", 0.0),
    # a name and a website: the name first...
    ("Acme Robotics", "wrong.com", "N01", "matched", "name", "same name 'acme robotics'", 100.0),
    ("Initech", "acme-robotics.com", "N03", "matched", "name", "same name 'initech'", 100.0),
    ("Tandem", "", "N05", "confirm", "name", "same name 'tandem' as 2 accounts; check which one", 100.0),
    # ...then the website's name when no account has the same name ('stark' ~ 'stark logistics' = 2*5/20 = 50)
    ("Stark", "https://starklogistics.com", "N04", "matched", "website",
     "name from website 'starklogistics.com' (spaces ignored)", 100.0),
    # an exact website name comes before a similar name ('globx' ~ 'globex' = 90.9, a "confirm")
    ("Globx", "globex.com", "N02", "matched", "website", "name from website 'globex.com'", 100.0),
    ("Globx", "", "N02", "confirm", "fuzzy", "similar name 'globx' ~ 'globex' (90.9)", 90.9091),
    ("Contoso", "contoso.com", None, "new", "none", NEW_NAME, 0.0),
]


@pytest.fixture(scope="module")
def no_sites() -> Universe:
    ids, names = zip(*NO_SITES)
    return Universe.build(list(ids), list(names), [""] * len(ids))


def test_universe_without_websites(no_sites, universe):
    assert (no_sites.has_domains, universe.has_domains) == (False, True)
    assert no_sites.same_key == {"tandem": 2}
    assert no_sites.same_glued == {"tandem": 2}
    assert Universe.build(["X"], ["A"], [None]).has_domains is False


def test_website_names():
    from icp_tui.engine.alignment.names import registrable_domains, website_names

    doms = registrable_domains(["www.acme-robotics.com", "https://globex.co.uk/about", "jane@initech.io",
                                "shop.hooli.co.uk", "acme-inc.com", "Acme Robotics", "", None])
    assert doms.tolist() == ["acme-robotics.com", "globex.co.uk", "initech.io", "hooli.co.uk", "acme-inc.com", "", "", ""]
    assert website_names(doms).tolist() == ["acme robotics", "globex", "initech", "hooli", "acme", "", "", ""]


@pytest.mark.parametrize(("entry", "site", "expected", "status", "method", "reason", "score"), NO_SITE_CASES,
                         ids=[f"{c[0]!r}" + (f"+{c[1]}" if c[1] else "") for c in NO_SITE_CASES])
def test_match_by_the_name_a_website_spells(no_sites, entry, site, expected, status, method, reason, score):
    (m,) = match_entries([entry], no_sites, domains=[site])
    assert outcome(no_sites, m) == (expected, status, method, reason)
    assert m.score == pytest.approx(score, abs=5e-5)


def test_website_names_all_at_once_keep_their_order(no_sites):
    got = match_entries([c[0] for c in NO_SITE_CASES], no_sites, domains=[c[1] for c in NO_SITE_CASES])
    assert [outcome(no_sites, m) for m in got] == [c[2:6] for c in NO_SITE_CASES]
    assert [(m.key, m.domain) for m in got[:2]] == [("", "acme-robotics.com"), ("", "acme-robotics.com")]


def test_website_names_only_without_any_account_website(no_sites):
    # one account with a website: websites are compared as domains, as before
    u = Universe.build(["N01", "N02"], ["Acme Robotics", "Globex"], ["", "globex.com"])
    got = [outcome(u, m) for m in match_entries(["acme-robotics.com", "globex.com"], u)]
    assert got == [(None, "new", "none", NEW_DOMAIN), ("N02", "matched", "domain", "same domain globex.com")]
    # no accounts at all: nothing to compare with
    (m,) = match_entries(["acme-robotics.com"], Universe.build([], [], []))
    assert outcome(no_sites, m) == (None, "new", "none", NEW_DOMAIN)


def test_website_name_decisions_are_keyed_by_the_domain(no_sites):
    (m,) = match_entries(["acme-robotix.com"], no_sites, decisions={"acme-robotix.com": None})
    assert outcome(no_sites, m) == (None, "new", "decision", "kept as a new account (decided earlier)")
    (m,) = match_entries(["tandem.com"], no_sites, decisions={"tandem.com": "N06"})
    assert outcome(no_sites, m) == ("N06", "matched", "decision", "confirmed earlier as N06")


def test_sample_lists_against_accounts_without_websites(sample_universe):
    # the sample's accounts with the website column left out. customer_success has 26 entries written as
    # a domain, URL or e-mail (all matched by domain when accounts have websites): 19 spell the account's
    # name (e.g. 'zamimoapps.co' for Zamimo Apps Corp), 2 are close to one ('highstonehq' ~ 'highstone'
    # (90), 'moonmark' ~ 'moonmark pay' (80): to confirm, both the right account) and 5 spell only a part
    # of it ('fitervia.com' for Fitervia Care Co.: new). Whatever is "matched" is the right account.
    u = Universe.build(sample_universe.ids, sample_universe.names, [""] * len(sample_universe))
    entries, _ = _read_list("customer_success")
    ms = match_entries(entries, u)
    right = match_entries(entries, sample_universe)
    assert Counter(m.method for m in ms) == Counter({"name": 22, "website": 19, "none": 7, "website_fuzzy": 2})
    assert Counter(m.status for m in ms) == Counter({"matched": 41, "new": 7, "confirm": 2})
    assert all(m.account == r.account for m, r in zip(ms, right) if m.status == "matched" or m.method == "website_fuzzy")
    fuzzy = [(m.entry, m.reason) for m in ms if m.method == "website_fuzzy"]
    assert fuzzy == [("highstonehq.ai", "similar name from website 'highstonehq.ai': 'highstonehq' ~ 'highstone' (90)"),
                     ("moonmark.io", "similar name from website 'moonmark.io': 'moonmark' ~ 'moonmark pay' (80)")]
