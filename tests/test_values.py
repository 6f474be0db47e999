"""Parsing of the values people type into CRM exports (icp_tui.engine.core.values).

Every expected number below is worked out by hand from the cell text.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from icp_tui.engine.core.values import (
    encode_categories,
    explode_items,
    parse_booleans,
    parse_numbers,
    parse_scalar_number,
    unit_factor,
)


def _one(text, unit=None):
    """(value, missing, bad) of one cell."""
    p = parse_numbers(pa.array([text], pa.string()), unit)
    return p.values[0], bool(p.missing[0]), bool(p.bad[0])


# ---------------------------------------------------------------------------------------------
# parse_numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1,200", 1200.0),
        ("1.2k", 1200.0),
        ("$5M", 5_000_000.0),
        ("€3.4m", 3_400_000.0),
        ("2.5bn", 2_500_000_000.0),
        ("12%", 0.12),
        ("-3%", -0.03),
        ("(300)", -300.0),
        ("$120,000,000", 120_000_000.0),
        ("3.5 million", 3_500_000.0),
        ("1,200.50", 1200.5),
        ("  42  ", 42.0),
        (".5", 0.5),
        ("1e3", 1000.0),
        ("\u22125", -5.0),  # a typographic minus sign
        ("£1.5bn", 1_500_000_000.0),
        ("USD 5", 5.0),
        ("5 EUR", 5.0),
        ("12 %", 0.12),
    ],
)
def test_parse_numbers_reads_what_people_type(text, expected):
    value, missing, bad = _one(text)
    assert (missing, bad) == (False, False)
    assert value == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text", ["n/a", "-", "", None, "N/A", "Unknown", "--", "#N/A", "  null "])
def test_missing_markers_are_missing_not_bad(text):
    value, missing, bad = _one(text)
    assert math.isnan(value)
    assert (missing, bad) == (True, False)


@pytest.mark.parametrize("text", ["approx 300", "tbd", "1 200", "1,20", "$ 1,2", "lots"])
def test_unreadable_text_is_bad_not_missing(text):
    value, missing, bad = _one(text)
    assert math.isnan(value)
    assert (missing, bad) == (False, True)


def test_parse_numbers_whole_column_masks():
    p = parse_numbers(pa.array(["1,200", "n/a", "tbd", None, "5M"]))
    np.testing.assert_array_equal(p.values, [1200.0, np.nan, np.nan, np.nan, 5e6])
    np.testing.assert_array_equal(p.missing, [False, True, False, True, False])
    np.testing.assert_array_equal(p.bad, [False, False, True, False, False])
    np.testing.assert_array_equal(p.known, [True, False, False, False, True])


def test_millions_column_multiplies_plain_numbers_only():
    p = parse_numbers(pa.array(["12.5", "$5M", "25%", "", "0.4"]), "millions")
    np.testing.assert_allclose(p.values, [12.5e6, 5e6, 0.25, np.nan, 0.4e6])
    np.testing.assert_array_equal(p.missing, [False, False, False, True, False])
    np.testing.assert_array_equal(p.bad, [False] * 5)


def test_percent_column():
    p = parse_numbers(pa.array(["25", "12%", "7.5"]), "percent")
    np.testing.assert_allclose(p.values, [0.25, 0.12, 0.075])


def test_numeric_factor_unit_and_numeric_arrow_input():
    p = parse_numbers(pa.array([1, None, 3], pa.int64()), 1e3)
    np.testing.assert_array_equal(p.values, [1000.0, np.nan, 3000.0])
    np.testing.assert_array_equal(p.missing, [False, True, False])
    np.testing.assert_array_equal(p.bad, [False, False, False])


def test_chunked_array_input():
    arr = pa.chunked_array([["1k", "2k"], ["3%"]])
    np.testing.assert_allclose(parse_numbers(arr).values, [1000.0, 2000.0, 0.03])


@pytest.mark.parametrize(
    "unit, factor",
    [(None, 1.0), ("thousands", 1e3), ("Millions", 1e6), (" bn ", 1e9), ("percent", 0.01), ("%", 0.01), (1e6, 1e6), (250, 250.0)],
)
def test_unit_factor(unit, factor):
    assert unit_factor(unit) == factor


def test_unit_factor_unknown_name():
    with pytest.raises(ValueError) as exc:
        unit_factor("gazillions")
    assert str(exc.value) == "unknown unit 'gazillions' (use one of: thousands, millions, billions, percent)"


@pytest.mark.parametrize("text", ["(300", "300)"])
def test_unbalanced_parenthesis_is_bad(text):
    value, missing, bad = _one(text)
    assert (missing, bad) == (False, True)


# ---------------------------------------------------------------------------------------------
# parse_booleans


def test_parse_booleans():
    cells = ["yes", "No", "x", "1", "no", "0", "false", "maybe", "", None, " TRUE ", "n/a", "Y", "\u2713"]
    p = parse_booleans(pa.array(cells))
    np.testing.assert_array_equal(
        p.values, [True, False, True, True, False, False, False, False, False, False, True, False, True, True]
    )
    np.testing.assert_array_equal(
        p.missing, [False, False, False, False, False, False, False, False, True, True, False, True, False, False]
    )
    np.testing.assert_array_equal(
        p.bad, [False, False, False, False, False, False, False, True, False, False, False, False, False, False]
    )


# ---------------------------------------------------------------------------------------------
# explode_items (list columns such as tech_stack)

STACKS = [
    "Salesforce; Snowflake",        # 0
    "Salesforce Marketing Cloud",   # 1
    "HubSpot, BigQuery",            # 2
    "Snowflake|Databricks",         # 3
    "",                             # 4
    None,                           # 5
    "n/a",                          # 6
    "  SALESFORCE ",                # 7
    "HubSpot ;; Snowflake",         # 8 (an empty item between two separators)
    "-; Salesforce",                # 9 (a missing marker as an item)
]


@pytest.fixture(scope="module")
def items():
    return explode_items(pa.array(STACKS))


def test_explode_items_categories_are_whole_lowercased_items(items):
    assert sorted(items.categories.tolist()) == [
        "bigquery", "databricks", "hubspot", "salesforce", "salesforce marketing cloud", "snowflake",
    ]


def test_explode_items_known(items):
    assert items.known.tolist() == [True, True, True, True, False, False, False, True, True, True]


def test_any_of_matches_whole_items_only(items):
    # row 1 ("Salesforce Marketing Cloud") must not match "salesforce"
    assert items.any_of({"salesforce"}).tolist() == [True, False, False, False, False, False, False, True, False, True]
    assert items.any_of({"salesforce marketing cloud"}).tolist() == [False, True] + [False] * 8


@pytest.mark.parametrize(
    "wanted, expected",
    [
        ({"snowflake"}, [True, False, False, True, False, False, False, False, True, False]),
        ({"hubspot", "databricks"}, [False, False, True, True, False, False, False, False, True, False]),
        ({"oracle"}, [False] * 10),
    ],
)
def test_any_of_separators(items, wanted, expected):
    assert items.any_of(wanted).tolist() == expected


def test_all_of(items):
    assert items.all_of({"salesforce", "snowflake"}).tolist() == [True] + [False] * 9
    assert items.all_of({"hubspot", "snowflake"}).tolist() == [False] * 8 + [True, False]


def test_explode_items_newline_separator():
    it = explode_items(pa.array(["Salesforce\nSnowflake"]))
    assert sorted(it.categories.tolist()) == ["salesforce", "snowflake"]
    assert it.all_of({"salesforce", "snowflake"}).tolist() == [True]


def test_explode_items_all_empty():
    it = explode_items(pa.array(["", None]))
    assert it.known.tolist() == [False, False]
    assert it.any_of({"salesforce"}).tolist() == [False, False]


# ---------------------------------------------------------------------------------------------
# encode_categories


def test_encode_categories_lookup_is_case_insensitive_and_trimmed():
    cats = encode_categories(pa.array(["SaaS", " saas ", "FinTech", "", None, "n/a", "Retail", "SAAS"]))
    assert sorted(cats.categories.tolist()) == ["fintech", "retail", "saas"]
    assert [cats.categories[c] if c >= 0 else None for c in cats.codes] == [
        "saas", "saas", "fintech", None, None, None, "retail", "saas"]
    assert cats.known.tolist() == [True, True, True, False, False, False, True, True]
    assert cats.lookup({"saas"}).tolist() == [True, True, False, False, False, False, False, True]
    assert cats.lookup({"fintech", "retail"}).tolist() == [False, False, True, False, False, False, True, False]


def test_encode_categories_all_missing():
    cats = encode_categories(pa.array(["", "n/a", None]))
    assert cats.categories.tolist() == []
    assert cats.lookup({"saas"}).tolist() == [False, False, False]


def test_lookup_lowercases_wanted():
    cats = encode_categories(pa.array(["SaaS", "Retail"]))
    assert cats.lookup({"SaaS"}).tolist() == [True, False]


# ---------------------------------------------------------------------------------------------
# parse_scalar_number (numbers written in a scorecard)


@pytest.mark.parametrize(
    "text, expected",
    [("30M", 30e6), ("20%", 0.2), (1500, 1500.0), ("1,500", 1500.0), ("2.5bn", 2.5e9), (0.2, 0.2), ("$10M", 10e6)],
)
def test_parse_scalar_number(text, expected):
    assert parse_scalar_number(text) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("text, message", [(True, "True is not a number"), ("abc", "'abc' is not a number"),
                                           ("", "'' is not a number"), ("n/a", "'n/a' is not a number")])
def test_parse_scalar_number_errors(text, message):
    with pytest.raises(ValueError) as exc:
        parse_scalar_number(text)
    assert str(exc.value) == message
