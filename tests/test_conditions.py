"""The rule language: text conditions, bucket/condition tables, and their descriptions."""

from __future__ import annotations

import pytest

from icp_tui.engine.core.conditions import Matcher, MatcherError, fmt_number, matcher_from_table, parse_condition

# ---------------------------------------------------------------------------------------------
# parse_condition: every operator form


@pytest.mark.parametrize(
    "text, kind, field, bounds",
    [
        ("employees < 50", "range", "employees", {"lt": 50.0}),
        ("employees<=50", "range", "employees", {"lte": 50.0}),
        ("employees > 2M", "range", "employees", {"gt": 2e6}),
        ("employees >= 1.5k", "range", "employees", {"gte": 1500.0}),
        ("annual_revenue < 2M", "range", "annual_revenue", {"lt": 2e6}),
        ("growth_rate >= 20%", "range", "growth_rate", {"gte": 0.2}),
        ("employees < -5", "range", "employees", {"lt": -5.0}),
        ('"Org Size" > 5', "range", "Org Size", {"gt": 5.0}),
        ("employees < '30M'", "range", "employees", {"lt": 30e6}),
    ],
)
def test_comparisons(text, kind, field, bounds):
    m = parse_condition(text)
    assert m == Matcher(kind, field, **bounds)
    assert m.source == text


@pytest.mark.parametrize(
    "text, kind, field, values",
    [
        ("industry = SaaS", "in", "industry", ("SaaS",)),
        ('industry == "Fin Tech"', "in", "industry", ("Fin Tech",)),
        ("industry != Retail", "not_in", "industry", ("Retail",)),
        ("funding_stage in [Seed, Pre-seed]", "in", "funding_stage", ("Seed", "Pre-seed")),
        ("industry IN [a]", "in", "industry", ("a",)),
        ("industry in SaaS, FinTech", "in", "industry", ("SaaS", "FinTech")),
        ("funding_stage not in [Seed]", "not_in", "funding_stage", ("Seed",)),
        ("name in [\"Acme, Inc.\", 'B, C', D]", "in", "name", ("Acme, Inc.", "B, C", "D")),
        ("tech_stack contains Salesforce", "contains_any", "tech_stack", ("Salesforce",)),
        ('x contains "a,b"', "contains_any", "x", ("a,b",)),
        ("tech_stack contains any [A, B]", "contains_any", "tech_stack", ("A", "B")),
        ("tech_stack contains all [A,B]", "contains_all", "tech_stack", ("A", "B")),
        ("tech_stack contains none [A]", "contains_none", "tech_stack", ("A",)),
        ("industry in [a, ]", "in", "industry", ("a",)),
        ("x = a = b", "in", "x", ("a = b",)),
    ],
)
def test_sets(text, kind, field, values):
    assert parse_condition(text) == Matcher(kind, field, values=values)


@pytest.mark.parametrize(
    "text, kind, flag",
    [
        ("customer is true", "is", True),
        ("customer is false", "is", False),
        ("customer is yes", "is", True),
        ("customer is no", "is", False),
        ("customer is not true", "is", False),
        ("customer is not false", "is", True),
        ("economic_buyer is missing", "missing", True),
        ("economic_buyer is not missing", "missing", False),
        ("economic_buyer is known", "missing", False),
        ("Economic_Buyer IS MISSING", "missing", True),
    ],
)
def test_flags(text, kind, flag):
    m = parse_condition(text)
    assert (m.kind, m.flag) == (kind, flag)
    assert m.field == text.split()[0]


@pytest.mark.parametrize(
    "text, message",
    [
        ("employees ~ 5", "cannot read condition 'employees ~ 5': write FIELD OP VALUE, e.g. \"employees < 50\", "
                          "\"industry in [Retail, Manufacturing]\", \"tech_stack contains Salesforce\", \"country is missing\""),
        ("employees between 1 and 5", "cannot read condition 'employees between 1 and 5': write FIELD OP VALUE"),
        ("", "cannot read condition '': write FIELD OP VALUE"),
        ("< 5", "cannot read condition '< 5': write FIELD OP VALUE"),
        ("employees < lots", "'employees < lots': 'lots' is not a number"),
        ("employees >= 20 people", "'employees >= 20 people': '20 people' is not a number"),
        ("employees <", "'employees <': a value must follow '<'"),
        ("industry in", "'industry in': a value must follow 'in'"),
        ("x != ", "'x != ': a value must follow '!='"),
        ("customer is maybe", "'customer is maybe': 'is' takes true or false"),
        ("x is missing now", "'x is missing now': nothing may follow 'is missing'"),
        ("industry in []", "'industry in []': needs at least one value"),
        ("industry in [a,,b]", "'industry in [a,,b]': has an empty value"),
    ],
)
def test_parse_condition_errors(text, message):
    with pytest.raises(MatcherError) as exc:
        parse_condition(text)
    assert str(exc.value).startswith(message)


@pytest.mark.parametrize("text", ["employees => 5", "employees =< 5"])
def test_reversed_comparison_is_an_error(text):
    with pytest.raises(MatcherError) as exc:
        parse_condition(text)
    assert f"{text!r}" in str(exc.value)


def test_empty_quoted_value_is_an_error():
    with pytest.raises(MatcherError) as exc:
        parse_condition('industry = ""')
    assert "empty value" in str(exc.value)


# ---------------------------------------------------------------------------------------------
# matcher_from_table


@pytest.mark.parametrize(
    "table, expected",
    [
        ({"gte": 200, "lte": 2000}, Matcher("range", "employees", gte=200.0, lte=2000.0)),
        ({"gte": "30M", "lt": "500M"}, Matcher("range", "employees", gte=30e6, lt=500e6)),
        ({"gte": 5, "lte": 5}, Matcher("range", "employees", gte=5.0, lte=5.0)),
        ({"in": "SaaS"}, Matcher("in", "employees", values=("SaaS",))),
        ({"in": [" SaaS ", "FinTech"]}, Matcher("in", "employees", values=("SaaS", "FinTech"))),
        ({"contains_all": ["a", "b"]}, Matcher("contains_all", "employees", values=("a", "b"))),
        ({"is": False}, Matcher("is", "employees", flag=False)),
        ({"missing": True}, Matcher("missing", "employees", flag=True)),
        ({"otherwise": True}, Matcher("otherwise", "employees", flag=True)),
        ({"field": "country", "in": ["US"]}, Matcher("in", "country", values=("US",))),
    ],
)
def test_matcher_from_table(table, expected):
    assert matcher_from_table(dict(table, points=5, label="x"), default_field="employees") == expected


def test_matcher_source_lists_only_matcher_keys():
    m = matcher_from_table({"gte": "30M", "lte": 5e8, "points": 20, "label": "big"}, default_field="x")
    assert m.source == "gte = '30M', lte = 500000000.0"


@pytest.mark.parametrize(
    "table, kw, message",
    [
        ({"points": 5}, {}, "says nothing to match: give a range (gte/gt/lte/lt), a set (in, not_in, contains_any, "
                            "contains_all, contains_none), is = true/false, missing = true or otherwise = true"),
        ({"gte": 1, "in": ["a"]}, {}, "mixes gte, in: one bucket tests one thing"),
        ({"in": ["a"], "otherwise": True}, {}, "mixes in, otherwise: one bucket tests one thing"),
        ({"is": True, "missing": True}, {}, "mixes is, missing: one bucket tests one thing"),
        ({"gte": 2000, "lt": 200}, {}, "lower bound 2,000 is above upper bound 200"),
        ({"gt": "30M", "lte": "10M"}, {}, "lower bound 30M is above upper bound 10M"),
        ({"gt": 5, "lt": 5}, {}, "range around 5 is empty"),
        ({"gte": 5, "lt": 5}, {}, "range around 5 is empty"),
        ({"gt": 5, "lte": 5}, {}, "range around 5 is empty"),
        ({"gt": 1, "gte": 2}, {}, "has two lower or two upper bounds"),
        ({"lt": 1, "lte": 2}, {}, "has two lower or two upper bounds"),
        ({"gte": "lots"}, {}, "gte = 'lots' is not a number"),
        ({"gte": True}, {}, "gte = True is not a number"),
        ({"otherwise": False}, {}, "otherwise = false matches nothing"),
        ({"otherwise": True}, {"allow_otherwise": False}, "otherwise is only for buckets"),
        ({"in": []}, {}, "in needs a non-empty list of values"),
        ({"in": 5}, {}, "in needs a non-empty list of values"),
        ({"not_in": ["a", " "]}, {}, "not_in has an empty value"),
        ({"is": "yes"}, {}, "is must be true or false, not 'yes'"),
        ({"missing": 1}, {}, "missing must be true or false, not 1"),
    ],
)
def test_matcher_from_table_errors(table, kw, message):
    with pytest.raises(MatcherError) as exc:
        matcher_from_table(table, default_field="employees", **kw)
    assert str(exc.value) == message


# ---------------------------------------------------------------------------------------------
# bounds and describe()


def test_lower_upper():
    m = matcher_from_table({"gt": 200, "lte": 2000})
    assert (m.lower, m.upper, m.numeric) == ((200.0, False), (2000.0, True), True)
    assert (Matcher("range").lower, Matcher("range").upper) == (None, None)
    assert Matcher("in", values=("a",)).numeric is False


@pytest.mark.parametrize(
    "table, text",
    [
        ({"gte": 200, "lte": 2000}, "200 to 2,000"),
        ({"gt": 200, "lte": 2000}, "over 200 to 2,000"),
        ({"gte": 200, "lt": 2000}, "200 to 2,000 (excl.)"),
        ({"gt": 200, "lt": 2000}, "over 200 to 2,000 (excl.)"),
        ({"gte": "30M", "lte": "500M"}, "30M to 500M"),
        ({"gte": 1.5e9}, "≥ 1.5bn"),
        ({"gt": 2500}, "> 2,500"),
        ({"lte": 0.05}, "≤ 0.05"),
        ({"lt": "10M"}, "< 10M"),
        ({"in": ["SaaS", "FinTech"]}, "SaaS, FinTech"),
        ({"not_in": ["a", "b"]}, "not a, b"),
        ({"contains_any": ["A", "B"]}, "has any of A, B"),
        ({"contains_all": ["A", "B"]}, "has all of A, B"),
        ({"contains_none": ["A"]}, "has none of A"),
        ({"is": True}, "yes"),
        ({"is": False}, "no"),
        ({"missing": True}, "unknown"),
        ({"missing": False}, "known"),
        ({"otherwise": True}, "any other value"),
    ],
)
def test_describe(table, text):
    assert matcher_from_table(table, default_field="f").describe() == text


def test_describe_of_parsed_conditions():
    assert parse_condition("growth_rate >= 20%").describe() == "≥ 0.2"
    assert parse_condition("employees > 2M").describe() == "> 2M"
    assert parse_condition("x is known").describe() == "known"
    assert Matcher("range").describe() == "any number"


@pytest.mark.parametrize(
    "x, text",
    [(2000, "2,000"), (30e6, "30M"), (2.5e9, "2.5bn"), (1e9, "1bn"), (1_500_000, "1.5M"), (-5e6, "-5M"),
     (0.2, "0.2"), (999_999, "999,999"), (1234.5, "1234.5"), (0, "0")],
)
def test_fmt_number(x, text):
    assert fmt_number(x) == text
