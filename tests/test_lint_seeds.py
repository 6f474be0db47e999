"""Seed 003's rules in lint (engine/scorecard/lint.py: seed_findings): 3+ fit dimensions, an anti-persona,
fit and timing scores that stay inside 0-100, points on a 100-point scale, and a validation in the last 6 months."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from pathlib import Path

import pytest

from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.lint import lint_scorecard, score_bounds

TODAY = date(2026, 12, 3)
ANTI = '\n[[anti_personas]]\nname = "Tiny"\nreason = "Too small to buy"\nconditions = ["employees < 5"]\n'


def crit(cid: str, field: str, points: list[float], weight: float = 1, category: str = "firmographic") -> str:
    buckets = ", ".join(f"{{ in = [\"v{j}\"], points = {p:g} }}" for j, p in enumerate(points))
    return (f'\n[[criteria]]\nid = "{cid}"\ncategory = "{category}"\nfield = "{field}"\nweight = {weight:g}\n'
            f"buckets = [{buckets}]\n")


THREE = crit("size", "employees", [20, 5]) + crit("industry", "industry", [15, 0]) + crit("geo", "country", [10, 0])


def card(text: str, validated: str | None = "2026-10-01") -> ScorecardFile:
    head = f"[scorecard]\nname = \"t\"\nvalidated = {validated}\n" if validated else ""
    doc, sc = parse_scorecard(head + text, "card.toml")
    return ScorecardFile(Path("card.toml"), head + text, doc, sc)


def seeds(sf: ScorecardFile, today: date = TODAY) -> list[tuple[str, str, str]]:
    return [(f.severity, f.key, f.message) for f in lint_scorecard(sf, today=today) if f.source == "seed 003"]


def test_a_complete_scorecard_has_no_seed_findings():
    assert seeds(card(THREE + ANTI)) == []


def test_two_dimensions():
    # size and industry count; a second criterion on employees is the same dimension; geo weighs 0
    text = crit("size", "employees", [20]) + crit("size2", "employees", [5]) + crit("industry", "industry", [15]) \
        + crit("geo", "country", [10], weight=0)
    assert seeds(card(text + ANTI)) == [
        ("warning", "criteria", "the fit score rests on 2 dimensions (employees, industry): give it 3 or more (e.g. company "
         "size, revenue, industry, use case) so that it tells accounts apart")]


def test_timing_criteria_are_not_fit_dimensions():
    text = crit("size", "employees", [20]) + crit("industry", "industry", [15]) \
        + crit("intent", "intent_score", [10], category="buying_signal")
    assert [k for _, k, m in seeds(card(text + ANTI)) if "dimension" in m] == ["criteria"]


def test_no_anti_persona():
    assert seeds(card(THREE)) == [
        ("warning", "anti_personas", "none: describe the accounts to avoid ([[anti_personas]] with a reason) so that "
         "look-alikes of poor customers are flagged")]


def test_negative_points_take_the_fit_below_0():
    # size: -10 to 20; industry 0 to 15; geo 0 to 10. Most points 20 + 15 + 10 = 45.
    # lowest -10 / 45 * 100 = -22.2; highest 45 / 45 = 100.0
    text = crit("size", "employees", [20, -10]) + crit("industry", "industry", [15, 0]) + crit("geo", "country", [10, 0])
    sf = card(text + ANTI)
    lo, hi, top = score_bounds(sf)
    assert (round(lo, 1), hi, top) == (-22.2, 100.0, 45.0)
    assert ("warning", "criteria", "the fit score can range from -22.2 to 100.0, outside 0-100 (negative points or "
            "weights): the bands read 0-100") in seeds(sf)


def test_nan_weight_is_refused_by_the_file_and_caught_by_lint_in_a_model():
    with pytest.raises(ScorecardError, match="must be a finite number"):
        card(crit("size", "employees", [20]).replace("weight = 1", "weight = nan") + ANTI)
    sf = card(THREE + ANTI)
    bad = dataclasses.replace(sf.scorecard.criteria[0], weight=math.nan)  # e.g. a scorecard built in code
    sf.scorecard = dataclasses.replace(sf.scorecard, criteria=(bad, *sf.scorecard.criteria[1:]))
    assert seeds(sf) == [
        ("warning", "criteria[1].weight", "weight nan is not a number of zero or more: the scores cannot be read "
         "(set a weight such as 1)"),
        ("warning", "criteria", "the fit score rests on 2 dimensions (industry, country): give it 3 or more (e.g. company "
         "size, revenue, industry, use case) so that it tells accounts apart"),  # a NaN weight counts for nothing
        ("warning", "criteria", "the fit score cannot be computed: a weight or points value is not a finite number")]


def test_negative_weight_in_a_model():
    # the file refuses weight < 0; in a model, weight -1 on buckets (-10, 0) adds up to +10 the most points do not
    # count (best bucket 0 x -1 = 0): size 0..20, industry 0..15, geo -10 x -1 -> 0..10 but most points 35 -> 128.6
    sf = card(THREE + ANTI)
    geo = dataclasses.replace(card(crit("geo", "country", [-10, 0]) + ANTI).scorecard.criteria[0], weight=-1.0)
    sf.scorecard = dataclasses.replace(sf.scorecard, criteria=(*sf.scorecard.criteria[:2], geo))
    got = seeds(sf)
    assert got[0] == ("warning", "criteria[3].weight", "weight -1 is not a number of zero or more: the scores cannot be "
                      "read (set a weight such as 1)")
    # lowest 0 + 0 + 0 = 0; highest 20 + 15 + 10 = 45 over most points 20 + 15 + 0 = 35: 128.6
    assert ("warning", "criteria", "the fit score can range from 0.0 to 128.6, outside 0-100 (negative points or "
            "weights): the bands read 0-100") in got


def test_101_points():
    # best buckets 40 + 40 + 21 = 101: scaled, so 20 points count 20 * 100 / 101 = 19.8
    text = crit("size", "employees", [40]) + crit("industry", "industry", [40]) + crit("geo", "country", [21])
    assert seeds(card(text + ANTI)) == [
        ("info", "criteria", "the fit criteria give up to 101 points (best bucket x weight), more than 100: scores are "
         "scaled to 0-100, so a bucket's points are not score points (20 points count 19.8)")]
    exactly = crit("size", "employees", [40]) + crit("industry", "industry", [40]) + crit("geo", "country", [20])
    assert seeds(card(exactly + ANTI)) == []


@pytest.mark.parametrize("validated, expected", [
    ("2026-05-03", [("warning", "scorecard.validated", "last validated 2026-05-03, 7 months ago: check it against "
                     "recent deals (icp validate --record) at least every 6 months")]),
    ("2026-06-02", [("warning", "scorecard.validated", "last validated 2026-06-02, 6 months ago: check it against "
                     "recent deals (icp validate --record) at least every 6 months")]),  # a day over 6 months
    ("2026-06-03", []),  # exactly 6 months: still fresh
    ("2026-07-03", []),  # 5 months
    ('"2026-07-03"', []),  # as text
    ("2026-12-04", [("warning", "scorecard.validated", "2026-12-04 is after today (2026-12-03)")]),
    (None, [("info", "scorecard", "not yet validated: icp validate --record (F3, r in the app)")]),
])
def test_validated_age(validated, expected):
    sf = card(THREE + ANTI, validated) if validated else card("[scorecard]\nname = \"t\"\n" + THREE + ANTI, None)
    assert seeds(sf) == expected


def test_validated_line_is_located():
    sf = card(THREE + ANTI, "2026-01-01")
    (f,) = [f for f in lint_scorecard(sf, today=TODAY) if f.source]
    assert f.line == 3  # [scorecard], name, validated


def test_bad_validated_value():
    with pytest.raises(ScorecardError, match="scorecard.validated: must be a date such as 2026-12-03, not the text 'soon'"):
        card(THREE + ANTI, '"soon"')
