"""Parsing of the values people type into CRM exports (icp_tui.engine.core.values).

Every expected number below is worked out by hand from the cell text.
"""

from __future__ import annotations

import math

import numpy as np
import pyarrow as pa
import pytest

from icp_tui.engine.core.dates import parse_dates
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


@pytest.mark.parametrize("text", ["approx 300", "tbd", "1 200", "1,2,3", "1.2.3", "1,20,000", "5,", "lots"])
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
# parse_numbers: decimal comma or decimal point, decided per column


def _column(cells, unit=None):
    p = parse_numbers(pa.array(cells, pa.string()), unit)
    return p.values.tolist(), p.bad.tolist(), p.decimal, p.ambiguous.tolist()


def _same(got, expected):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert (math.isnan(g) and math.isnan(e)) or g == pytest.approx(e, rel=1e-12), (got, expected)


def test_salesforce_european_amounts_read_with_a_decimal_comma():
    # "1.234,56" and "12,5" can only be decimal commas, so "1.234" here is 1234 and "2.500.000" 2,500,000
    values, bad, decimal, ambiguous = _column(["1.234,56", "12,5", "1.234", "980", "2.500.000", "n/a"])
    _same(values, [1234.56, 12.5, 1234.0, 980.0, 2_500_000.0, math.nan])
    assert bad == [False] * 6
    assert decimal == "comma"
    assert ambiguous == [False] * 6


def test_us_amounts_read_with_a_decimal_point():
    values, bad, decimal, ambiguous = _column(["1,234.56", "1,200", "3.5", "$2,500,000"])
    _same(values, [1234.56, 1200.0, 3.5, 2_500_000.0])
    assert (bad, decimal, ambiguous) == ([False] * 4, "point", [False] * 4)


def test_a_plain_decimal_decides_for_thousands_commas():
    values, bad, decimal, ambiguous = _column(["1,200", "3.5"])
    _same(values, [1200.0, 3.5])
    assert (decimal, ambiguous) == ("point", [False, False])


@pytest.mark.parametrize(
    "cells, expected, ambiguous",
    [
        (["1,234", "980", ""], [1234.0, 980.0, math.nan], [True, False, False]),  # today's reading: thousands
        (["1.234", "2.500", "7"], [1.234, 2.5, 7.0], [True, True, False]),  # today's reading: decimal point
        (["1,234", "1.234"], [1234.0, 1.234], [True, True]),
    ],
)
def test_a_column_without_evidence_keeps_todays_reading_and_says_so(cells, expected, ambiguous):
    values, bad, decimal, amb = _column(cells)
    _same(values, expected)
    assert (decimal, amb, bad) == (None, ambiguous, [False] * len(cells))


def test_plain_integers_decide_nothing():
    values, bad, decimal, ambiguous = _column(["120", "5000000", "-3", ""])
    _same(values, [120.0, 5e6, -3.0, math.nan])
    assert (decimal, ambiguous) == (None, [False] * 4)


@pytest.mark.parametrize(
    "cells, expected, bad, decimal",
    [
        # two decimal points against one decimal comma: the comma value is not guessed
        (["12,5", "3.5", "4.25"], [math.nan, 3.5, 4.25], [True, False, False], "point"),
        (["12,5", "7,25", "3.5"], [12.5, 7.25, math.nan], [False, False, True], "comma"),
        # as many each way: no decision, read as today (the decimal comma is not read)
        (["12,5", "3.5"], [math.nan, 3.5], [True, False], None),
        (["1.234,56", "1,234.56"], [math.nan, 1234.56], [True, False], None),
    ],
)
def test_conflicting_columns_go_with_the_majority_and_leave_the_rest_unread(cells, expected, bad, decimal):
    values, got_bad, got_decimal, _ = _column(cells)
    _same(values, expected)
    assert (got_bad, got_decimal) == (bad, decimal)


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["€1.234,56", "12,5 %", "(1.000,5)", "5,5M", "1,5e3"], [1234.56, 0.125, -1000.5, 5_500_000.0, 1500.0]),
        (["1,20"], [1.2]),
        (["$ 1,2"], [1.2]),
        (["0,5", "1,234"], [0.5, 1.234]),  # "0,5" says comma, so "1,234" is one and a bit
        (["1.234.567"], [1_234_567.0]),
        (["+1.234", "-1.234", "12,5"], [1234.0, -1234.0, 12.5]),
        (["1.000", "2,5"], [1000.0, 2.5]),
        (["007", "+5", "2,5"], [7.0, 5.0, 2.5]),  # no point in them: nothing to re-read
        (["1234,5"], [1234.5]),
    ],
)
def test_decimal_comma_columns(cells, expected):
    values, bad, decimal, _ = _column(cells)
    _same(values, expected)
    assert (bad, decimal) == ([False] * len(cells), "comma")


@pytest.mark.parametrize(
    "cells, expected",
    [
        (["1,234,567", "1,234"], [1_234_567.0, 1234.0]),
        (["0.123", "1,234"], [0.123, 1234.0]),
        (["1234.567", "1,234"], [1234.567, 1234.0]),  # four digits before the point: not thousands
        (["1.0", "1,500"], [1.0, 1500.0]),
        ([".5", "2,000"], [0.5, 2000.0]),
    ],
)
def test_decimal_point_columns(cells, expected):
    values, bad, decimal, _ = _column(cells)
    _same(values, expected)
    assert (bad, decimal) == ([False] * len(cells), "point")


def test_decimal_comma_column_with_a_unit():
    # "12,5" in a millions column is 12.5 million; "1.000" (a thousand, points between thousands) 1000 million
    values, bad, decimal, _ = _column(["12,5", "1.000", "3,5M"], "millions")
    _same(values, [12.5e6, 1e9, 3.5e6])
    assert (bad, decimal) == ([False] * 3, "comma")


def test_decimal_comma_over_chunks():
    p = parse_numbers(pa.chunked_array([["1.234"], ["12,5", "3"]]))
    _same(p.values.tolist(), [1234.0, 12.5, 3.0])
    assert p.decimal == "comma"


def test_the_majority_counts_rows_not_distinct_values():
    # one distinct decimal-point value on three rows outweighs two decimal-comma values
    values, bad, decimal, _ = _column(["3.5", "3.5", "3.5", "12,5", "7,5"])
    _same(values, [3.5, 3.5, 3.5, math.nan, math.nan])
    assert (bad, decimal) == ([False, False, False, True, True], "point")


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


# ---------------------------------------------------------------------------------------------
# parse_dates: one day/month order per column


def _dates(cells):
    p = parse_dates(pa.array(cells, pa.string()))
    return [None if np.isnat(v) else str(v.astype("datetime64[s]")) for v in p.values], p


@pytest.mark.parametrize(
    "text, expected",
    [
        ("2024-01-05", "2024-01-05T00:00:00"),
        ("2024/01/05", "2024-01-05T00:00:00"),
        ("2024.1.5", "2024-01-05T00:00:00"),
        ("20240105", "2024-01-05T00:00:00"),
        ("2024-01-05T13:45:00", "2024-01-05T13:45:00"),
        ("2024-01-05 13:45:00", "2024-01-05T13:45:00"),
        ("2024-01-05 13:45", "2024-01-05T13:45:00"),
        ("2024-01-05T13:45:00.000Z", "2024-01-05T13:45:00"),  # Salesforce API; the offset is not applied
        ("2024-01-05T23:30:00+01:00", "2024-01-05T23:30:00"),
        ("5-Jan-2024", "2024-01-05T00:00:00"),
        ("05-jan-24", "2024-01-05T00:00:00"),
        ("5 January 2024", "2024-01-05T00:00:00"),
        ("Jan 5, 2024", "2024-01-05T00:00:00"),
        ("January 5 2024", "2024-01-05T00:00:00"),
        ("Friday, January 5, 2024", "2024-01-05T00:00:00"),
        ("Sept 30, 2024", "2024-09-30T00:00:00"),
        ("  2024-02-29 ", "2024-02-29T00:00:00"),
    ],
)
def test_parse_dates_formats_that_need_no_order(text, expected):
    got, p = _dates([text])
    assert got == [expected]
    assert (p.order, p.bad.tolist(), p.missing.tolist()) == ("iso", [False], [False])


def test_parse_dates_day_first_column_like_a_salesforce_european_export():
    got, p = _dates(["13.04.2024", "03.04.2024", "05.05.2024", "1.2.24", "31.12.2023 23:59"])
    assert got == ["2024-04-13T00:00:00", "2024-04-03T00:00:00", "2024-05-05T00:00:00", "2024-02-01T00:00:00",
                   "2023-12-31T23:59:00"]
    assert (p.order, p.day_first, p.month_first, p.either) == ("day_first", 2, 0, 2)  # 05.05 reads the same both ways
    assert p.examples == {"day_first": "13.04.2024", "either": "03.04.2024"}
    assert p.note("Close Date") == "column 'Close Date': dates read day-first (13.04.2024 and 1 more show it)"


def test_parse_dates_month_first_column_like_a_hubspot_export():
    got, p = _dates(["04/13/2024", "03/04/2024", "1/5/2024 1:45 PM", "12/31/24 12:00 AM", "12/31/24 12:30 pm"])
    assert got == ["2024-04-13T00:00:00", "2024-03-04T00:00:00", "2024-01-05T13:45:00", "2024-12-31T00:00:00",
                   "2024-12-31T12:30:00"]
    assert (p.order, p.month_first, p.either) == ("month_first", 3, 2)
    assert p.note("Close Date") == "column 'Close Date': dates read month-first (04/13/2024 and 2 more show it)"


def test_parse_dates_ambiguous_column_reads_month_first_and_says_so():
    got, p = _dates(["03/04/2024", "05/06/2024", "03/04/2024", "", None, "n/a"])
    assert got == ["2024-03-04T00:00:00", "2024-05-06T00:00:00", "2024-03-04T00:00:00", None, None, None]
    assert p.order == "ambiguous"
    assert p.missing.tolist() == [False, False, False, True, True, True]
    assert p.bad.tolist() == [False] * 6
    assert p.note("Created Date") == ("column 'Created Date': 3 dates like 03/04/2024 could be day-first or month-first; "
                                      "read month-first")


def test_parse_dates_conflict_goes_with_the_majority():
    got, p = _dates(["13/04/2024", "14/04/2024", "04/13/2024", "03/04/2024"])
    assert got == ["2024-04-13T00:00:00", "2024-04-14T00:00:00", None, "2024-04-03T00:00:00"]
    assert (p.order, p.day_first, p.month_first) == ("day_first", 2, 1)
    assert p.bad.tolist() == [False, False, True, False]
    assert p.note("Close Date") == ("column 'Close Date': dates read day-first (13/04/2024 and 1 more show it); 1 date written "
                                    "month-first (e.g. 04/13/2024) contradicts that and is treated as unknown")


def test_parse_dates_tie_reads_month_first():
    got, p = _dates(["13/04/2024", "04/13/2024", "03/04/2024"])
    assert got == [None, "2024-04-13T00:00:00", "2024-03-04T00:00:00"]
    assert p.order == "ambiguous"
    assert p.note("Close Date") == (
        "column 'Close Date': as many dates show day-first (1, e.g. 13/04/2024) as month-first (1, e.g. 04/13/2024); "
        "read month-first, the day-first ones treated as unknown; 1 date like 03/04/2024 could be either")


def test_parse_dates_counts_rows_per_distinct_value():
    # one day-first text on three rows beats two different month-first texts
    got, p = _dates(["13/01/2024", "13/01/2024", "13/01/2024", "01/14/2024", "01/15/2024"])
    assert (p.order, p.day_first, p.month_first) == ("day_first", 3, 2)
    assert got == ["2024-01-13T00:00:00"] * 3 + [None, None]


@pytest.mark.parametrize(
    "text",
    ["2024-13-45", "29/02/2023", "31/04/2024", "2024-02-30", "tbd", "5 Foo 2024", "2024-01-05 25:00", "1/1/1600",
     "2024-01-05 13:60", "13/13/2024", "1/5/2024 13:00 pm"],
)
def test_parse_dates_unreadable(text):
    got, p = _dates([text])
    assert got == [None]
    assert (p.bad.tolist(), p.missing.tolist()) == ([True], [False])


def test_parse_dates_two_digit_years():
    got, _ = _dates(["31/12/68", "01/01/69", "15.06.05"])
    assert got == ["2068-12-31T00:00:00", "1969-01-01T00:00:00", "2005-06-15T00:00:00"]


def test_parse_dates_leap_day_and_chunks():
    p = parse_dates(pa.chunked_array([["29/02/2024"], ["28/02/2023", None]]))
    assert [str(v) for v in p.values.astype("datetime64[D]")] == ["2024-02-29", "2023-02-28", "NaT"]
    assert p.order == "day_first"
    assert p.values.dtype == np.dtype("datetime64[ns]")
