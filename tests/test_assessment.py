"""Self-assessment scoring, comparison, progress and the answers file.

Most scoring cases use ``tests/data/maturity/small.toml``: dimensions a (Alpha), b (Beta),
c (Gamma), d (Delta), two questions each (a.one a.two | b.one b.money | c.one c.two | d.one d.two),
and one gate "money": cap 2 unless b.money >= 3. Level next steps: L1 ["L1 step A", "L1 step B"],
L2 ["L2 step A", "L2 step B"], L3 ["L3 step A"], L4 ["L4 step A"]. A dimension's advice is
"<name lower> 1-2", "... 2-3", "... 3-4".

Rules (assessment.py docstring): dimension = floor(mean of known answers), None when more
don't-knows than known; overall = second-lowest known dimension level (None when fewer than half
the dimensions are known); the gate caps; gap = dimensions below level+1 (max 4), lowest first then
questionnaire order; steps = gate text first, then each gap dimension's advice for its level, then
the level's steps.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import tomllib
from pathlib import Path

import pytest

from icp_tui.engine.maturity.assessment import (
    Response,
    ResponseError,
    compare,
    dimension_level,
    load_response,
    load_responses,
    overall_level,
    progress,
    response_to_toml,
    save_response,
    score,
)
from icp_tui.engine.maturity.questionnaire import default_questionnaire, load_questionnaire
from icp_tui.engine.maturity.report import comparison_markdown, result_markdown

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "maturity" / "small.toml"
SAMPLES = ROOT / "sample_data" / "assessments"
GATE_SMALL = "Gate: no Level 3 or 4 until money is measured."


@pytest.fixture(scope="module")
def small():
    return load_questionnaire(SMALL)


@pytest.fixture(scope="module")
def big():
    return default_questionnaire()


def small_response(q, a=(1, 1), b=(1, 1), c=(1, 1), d=(1, 1), **kw) -> Response:
    """Answers per dimension as (first question, second question); None leaves a question unanswered."""
    r = Response.new(q, "Tester", **kw)
    for (q1, q2), pair in zip((("a.one", "a.two"), ("b.one", "b.money"), ("c.one", "c.two"), ("d.one", "d.two")),
                              (a, b, c, d)):
        for qid, v in zip((q1, q2), pair):
            if v is not None:
                r.answers[qid] = v
    return r


def big_response(q, default: int, **overrides: int) -> Response:
    """Every question of the bundled questionnaire at ``default``; ``dim=level`` sets a whole dimension,
    ``dim__question=level`` one question (e.g. metrics__revenue=2)."""
    r = Response.new(q, "Tester")
    for x in q.questions:
        r.answers[x.id] = default
    for k, v in overrides.items():
        if "__" in k:
            r.answers[k.replace("__", ".")] = v
        else:
            for x in q.dimension(k).questions:
                r.answers[x.id] = v
    return r


def levels_of(res) -> dict:
    return {d.dimension.id: d.level for d in res.dimensions}


def gap_of(res) -> list[str]:
    return [d.dimension.id for d in res.gap]


# -- the pure rules -----------------------------------------------------------------------------


def test_dimension_level_is_the_mean_rounded_down():
    assert dimension_level([2, 3], 0) == 2  # 2.5 -> 2
    assert dimension_level([3, 4], 0) == 3  # 3.5 -> 3
    assert dimension_level([2, 3, 3], 0) == 2  # 8/3 = 2.67 -> 2
    assert dimension_level([4, 4], 0) == 4
    assert dimension_level([3], 1) == 3  # one known, one don't know: the known one
    assert dimension_level([3], 2) is None  # more don't knows than known
    assert dimension_level([], 2) is None
    assert dimension_level([], 0) is None  # nothing answered yet


def test_overall_level_is_the_second_lowest():
    assert overall_level([4, 1, 1, 1]) == 1
    assert overall_level([3, 3, 1, 3]) == 3
    assert overall_level([1, 3, 2, 2]) == 2  # sorted 1 2 2 3
    assert overall_level([3, None, 2, 4]) == 3  # known sorted 2 3 4
    assert overall_level([None, None, None, 2]) is None  # 1 of 4 known: fewer than half
    assert overall_level([None, None, None, None]) is None
    assert overall_level([2]) == 2  # a single dimension is its own second-lowest


# -- small questionnaire: answer patterns ---------------------------------------------------------


def test_all_ones(small):
    res = score(small, small_response(small))
    assert levels_of(res) == {"a": 1, "b": 1, "c": 1, "d": 1}
    assert (res.level, res.uncapped, res.capped_by) == (1, 1, [])  # 1 is not above the cap 2
    assert gap_of(res) == ["a", "b", "c", "d"]  # all below 2, ties in questionnaire order
    assert res.next_steps == ["Alpha: alpha 1-2", "Beta: beta 1-2", "Gamma: gamma 1-2", "Delta: delta 1-2",
                              "L1 step A", "L1 step B"]
    assert res.dont_know == 0


def test_all_fours(small):
    res = score(small, small_response(small, (4, 4), (4, 4), (4, 4), (4, 4)))
    assert levels_of(res) == {"a": 4, "b": 4, "c": 4, "d": 4}
    assert (res.level, res.uncapped, res.capped_by) == (4, 4, [])  # b.money = 4 >= 3: the gate is open
    assert res.gap == []  # nothing below 4
    assert res.next_steps == ["L4 step A"]


def test_all_fours_but_the_gate_question_at_2(small):
    # b = floor((4 + 2) / 2) = 3; sorted 3 4 4 4 -> 4; b.money 2 < 3 -> capped at 2
    res = score(small, small_response(small, (4, 4), (4, 2), (4, 4), (4, 4)))
    assert levels_of(res) == {"a": 4, "b": 3, "c": 4, "d": 4}
    assert (res.uncapped, res.level) == (4, 2)
    assert [g.id for g in res.capped_by] == ["money"]
    assert res.gap == []  # target 3: no dimension below 3
    assert res.next_steps == [GATE_SMALL, "L2 step A", "L2 step B"]


def test_mixed(small):
    # a 1,2 -> 1; b 3,4 -> 3; c 2,3 -> 2 (2.5 down); d 4,1 -> 2 (2.5 down); sorted 1 2 2 3 -> 2
    res = score(small, small_response(small, (1, 2), (3, 4), (2, 3), (4, 1)))
    assert levels_of(res) == {"a": 1, "b": 3, "c": 2, "d": 2}
    assert (res.level, res.uncapped, res.capped_by) == (2, 2, [])
    assert gap_of(res) == ["a", "c", "d"]  # below 3: a (1) first, then c and d (2) in order
    assert res.next_steps == ["Alpha: alpha 1-2", "Gamma: gamma 2-3", "Delta: delta 2-3", "L2 step A", "L2 step B"]


def test_one_strong_dimension_does_not_lift(small):
    # a = 4, others 1: sorted 1 1 1 4 -> second-lowest 1
    res = score(small, small_response(small, a=(4, 4)))
    assert levels_of(res) == {"a": 4, "b": 1, "c": 1, "d": 1}
    assert res.level == 1
    assert gap_of(res) == ["b", "c", "d"]
    assert res.next_steps == ["Beta: beta 1-2", "Gamma: gamma 1-2", "Delta: delta 1-2", "L1 step A", "L1 step B"]


def test_one_weak_dimension_does_not_sink(small):
    # all 3 but c at 1: sorted 1 3 3 3 -> 3; b.money = 3 so the gate does not cap
    res = score(small, small_response(small, (3, 3), (3, 3), (1, 1), (3, 3)))
    assert levels_of(res) == {"a": 3, "b": 3, "c": 1, "d": 3}
    assert (res.level, res.uncapped, res.capped_by) == (3, 3, [])
    assert gap_of(res) == ["c", "a", "b", "d"]  # below 4: c (1) first, then the 3s in order
    assert res.next_steps == ["Gamma: gamma 1-2", "Alpha: alpha 3-4", "Beta: beta 3-4", "Delta: delta 3-4",
                              "L3 step A"]


def test_one_weak_dimension_holding_the_gate_question_caps(small):
    # all 3 but b at 1 (b.money = 1): sorted 1 3 3 3 -> uncapped 3; b.money 1 < 3 -> 2
    res = score(small, small_response(small, (3, 3), (1, 1), (3, 3), (3, 3)))
    assert (res.uncapped, res.level) == (3, 2)
    assert [g.id for g in res.capped_by] == ["money"]
    assert gap_of(res) == ["b"]  # below 3
    assert res.next_steps == [GATE_SMALL, "Beta: beta 1-2", "L2 step A", "L2 step B"]


def test_revenue_gate_caps_all_threes(small):
    # all 3 but b.money = 2: b = floor(5/2) = 2; sorted 2 3 3 3 -> 3; capped at 2
    res = score(small, small_response(small, (3, 3), (3, 2), (3, 3), (3, 3)))
    assert levels_of(res) == {"a": 3, "b": 2, "c": 3, "d": 3}
    assert (res.uncapped, res.level) == (3, 2)
    assert [g.id for g in res.capped_by] == ["money"]
    assert res.next_steps[0] == GATE_SMALL
    assert res.next_steps == [GATE_SMALL, "Beta: beta 2-3", "L2 step A", "L2 step B"]


def test_gate_question_unknown_caps(small):
    # b.money = don't know counts as "not in use": b = 3 (from b.one alone); sorted 3 3 3 3 -> 3 -> capped 2
    res = score(small, small_response(small, (3, 3), (3, 0), (3, 3), (3, 3)))
    assert levels_of(res)["b"] == 3
    assert (res.uncapped, res.level, res.dont_know) == (3, 2, 1)


def test_dont_knows(small):
    # a: 3 + don't know -> 3 (a don't know read as 1 would give floor(4/2) = 2)
    # b: 3, 3 -> 3; c: two don't knows -> None; d: 2, 2 -> 2
    # known 3 of 4: sorted 2 3 3 -> 3; b.money = 3: no cap
    res = score(small, small_response(small, (3, 0), (3, 3), (0, 0), (2, 2)))
    assert levels_of(res) == {"a": 3, "b": 3, "c": None, "d": 2}
    assert [(d.known, d.dont_know, d.unanswered) for d in res.dimensions] == [(1, 1, 0), (2, 0, 0), (0, 2, 0), (2, 0, 0)]
    assert res.dont_know == 3
    assert (res.level, res.capped_by) == (3, [])
    assert gap_of(res) == ["d", "a", "b"]  # below 4, c has no level and is not listed
    assert res.next_steps == ["Delta: delta 2-3", "Alpha: alpha 3-4", "Beta: beta 3-4", "L3 step A"]


def test_too_few_known_dimensions_give_no_overall_level(small):
    # a, b, c all don't know, d 1 and 2 -> 1: 1 of 4 dimensions known, fewer than half
    res = score(small, small_response(small, (0, 0), (0, 0), (0, 0), (1, 2)))
    assert levels_of(res) == {"a": None, "b": None, "c": None, "d": 1}
    assert (res.level, res.uncapped, res.capped_by, res.gap, res.next_steps) == (None, None, [], [], [])
    assert res.dont_know == 6
    md = result_markdown(res)
    assert "**Overall: not enough answers**" in md
    assert "## Next steps" not in md


def test_unanswered_questions_are_not_dont_knows(small):
    # a.one 2 only, b.one 3 only, c and d untouched: a 2, b 3, c None, d None -> 2 of 4 known (half)
    # only two known: the lowest of them (dropping one would let the 3 decide alone) -> 2; gate does not bite
    res = score(small, small_response(small, (2, None), (3, None), (None, None), (None, None)))
    assert levels_of(res) == {"a": 2, "b": 3, "c": None, "d": None}
    assert [d.unanswered for d in res.dimensions] == [1, 1, 2, 2]
    assert res.dont_know == 0
    assert (res.uncapped, res.level, res.capped_by) == (2, 2, [])


# -- bundled questionnaire ------------------------------------------------------------------------


def test_bundled_all_ones(big):
    res = score(big, big_response(big, 1))
    assert set(levels_of(res).values()) == {1}
    assert (res.level, res.uncapped, res.capped_by, res.dont_know) == (1, 1, [], 0)
    assert gap_of(res) == [d.id for d in big.dimensions]  # all 9 below 2, questionnaire order
    # 9 advice steps (each dimension's advice[0]) then the 3 Level 1 steps
    assert res.next_steps == [f"{d.name}: {d.advice[0]}" for d in big.dimensions] + list(big.level(1).next_steps)
    assert res.next_steps[0] == ("Target account selection: Replace rep-by-rep picking with account lists drawn "
                                 "from CRM data on who has bought, split by industry, size and region.")
    assert len(res.next_steps) == 12


def test_bundled_all_fours(big):
    res = score(big, big_response(big, 4))  # metrics.revenue = 4 >= 4: the gate is open
    assert set(levels_of(res).values()) == {4}
    assert (res.level, res.uncapped, res.capped_by, res.gap) == (4, 4, [], [])
    assert res.next_steps == list(big.level(4).next_steps)


def test_bundled_all_fours_but_revenue_metric_2(big):
    # metrics: 4, 2, 4 -> floor(10/3) = 3; sorted 3 4 4 ... -> 4; metrics.revenue 2 < 4 -> capped at 3
    res = score(big, big_response(big, 4, metrics__revenue=2))
    assert res.level_of("metrics") == 3
    assert (res.uncapped, res.level) == (4, 3)
    assert [g.id for g in res.capped_by] == ["revenue_metric"]
    assert gap_of(res) == ["metrics"]  # the only dimension below 4
    assert res.next_steps == [big.gates[0].text, f"Revenue and lifecycle metrics: {big.dimension('metrics').advice[2]}"] \
        + list(big.level(3).next_steps)
    assert res.next_steps[0] == ("Until lifetime economics such as CLV, CAC or NRR shape your segments, the overall "
                                 "result stays at Level 3 or below: they are the step to Level 4.")
    md = result_markdown(res)
    assert "**Overall: Level 3 (Developing)**" in md
    assert f"Capped at Level 3: {big.gates[0].text}" in md
    assert f"1. {big.gates[0].text}" in md


def test_bundled_level_four_answers_without_revenue_metric_cap_at_3(big):
    # every question at 4 but metrics.revenue at 3 ("Not yet; ... CLV or NRR stay out"): metrics 4, 3, 4 ->
    # floor(11/3) = 3; sorted 3 4 x8 -> uncapped 4; metrics.revenue 3 < 4 -> 3
    res = score(big, big_response(big, 4, metrics__revenue=3))
    assert (res.level_of("metrics"), res.uncapped, res.level) == (3, 4, 3)
    assert [g.id for g in res.capped_by] == ["revenue_metric"]


def test_bundled_textbook_level_three_is_level_three(big):
    # the bug this fixes: every answer at 3 (metrics.revenue 3: "segments use win rate, ACV and cycle, while CLV
    # or NRR stay out", which seed 004 says of Level 3) was capped at 2. Now: all dimensions 3 -> 3; 3 <= cap 3
    res = score(big, big_response(big, 3))
    assert (res.level, res.uncapped, res.capped_by) == (3, 3, [])
    # with metrics.revenue at 2: metrics 3, 2, 3 -> floor(8/3) = 2; sorted 2 3 x8 -> 3; not above the cap: 3
    res = score(big, big_response(big, 3, metrics__revenue=2))
    assert (res.level_of("metrics"), res.uncapped, res.level, res.capped_by) == (2, 3, 3, [])
    assert gap_of(res)[0] == "metrics"  # below 4: metrics (2) first, then the eight 3s
    assert res.next_steps[0] == f"Revenue and lifecycle metrics: {big.dimension('metrics').advice[1]}"
    md = result_markdown(res)
    assert "**Overall: Level 3 (Developing)**" in md and "Capped" not in md


def test_bundled_one_strong_dimension(big):
    res = score(big, big_response(big, 1, selection=4))  # sorted 1 x8, 4 -> 1
    assert res.level_of("selection") == 4
    assert res.level == 1
    assert gap_of(res) == [d.id for d in big.dimensions if d.id != "selection"]


def test_bundled_one_weak_dimension(big):
    res = score(big, big_response(big, 3, alignment=1))  # sorted 1 3 x8 -> 3; 3 is not above the cap 3
    assert (res.level, res.uncapped, res.capped_by) == (3, 3, [])
    # below 4: alignment (1) first, then the eight 3s in questionnaire order
    assert gap_of(res) == ["alignment"] + [d.id for d in big.dimensions if d.id != "alignment"]
    assert res.next_steps[0] == f"Cross-functional alignment: {big.dimension('alignment').advice[0]}"


def test_bundled_one_weak_dimension_that_holds_the_gate(big):
    res = score(big, big_response(big, 4, metrics=1))  # sorted 1 4 x8 -> uncapped 4, metrics.revenue 1 -> 3
    assert (res.uncapped, res.level) == (4, 3)
    assert gap_of(res) == ["metrics"]
    res = score(big, big_response(big, 3, metrics=1))  # sorted 1 3 x8 -> 3: the gate does not bite at 3
    assert (res.uncapped, res.level, res.capped_by) == (3, 3, [])


def test_bundled_dont_knows_in_a_four_question_dimension(big):
    # data has 4 questions: 1 known + 3 don't know -> no level; 2 known + 2 don't know -> level of the known
    r = big_response(big, 3, data__inputs=3, data__enrichment=0, data__quality=0, data__signals=0)
    res = score(big, r)
    assert res.level_of("data") is None
    assert res.level == 3  # 8 known dimensions all at 3
    assert res.dont_know == 3
    r.answers["data.enrichment"] = 4  # 3, 4 and two don't knows (not more than known) -> floor(7/2) = 3
    assert score(big, r).level_of("data") == 3


def test_bundled_fewer_than_half_known(big):
    # 5 of 9 known is enough (10 >= 9); 4 of 9 is not (8 < 9)
    dims = [d.id for d in big.dimensions]
    r = big_response(big, 2, **dict.fromkeys(dims[:4], 0))
    assert score(big, r).level == 2
    r = big_response(big, 2, **dict.fromkeys(dims[:5], 0))
    res = score(big, r)
    assert res.level is None
    assert res.dont_know == sum(len(big.dimension(d).questions) for d in dims[:5])  # 4 + 4 + 3 + 2 + 3 = 16
    assert res.dont_know == 16


# -- version mismatch -----------------------------------------------------------------------------


def test_older_version_and_retired_answer(big, tmp_path):
    p = tmp_path / "old.toml"
    p.write_text(textwrap.dedent("""\
        [assessment]
        respondent = "Old"
        questionnaire = "icp-maturity"
        questionnaire_version = 0

        [answers]
        "selection.basis" = 3
        "selection.growth" = 3
        "selection.gut_feel" = 1
        "data.inputs" = 2
        """), encoding="utf-8")
    r = load_response(p)
    assert r.questionnaire_version == 0
    assert r.answers == {"selection.basis": 3, "selection.growth": 3, "selection.gut_feel": 1, "data.inputs": 2}
    # every question of version 2 without an answer, in questionnaire order
    assert r.new_questions(big) == [x.id for x in big.questions if x.id not in ("selection.basis", "selection.growth",
                                                                                 "data.inputs")]
    assert len(r.new_questions(big)) == 24  # 27 - 3
    assert r.retired_answers(big) == ["selection.gut_feel"]
    assert r.answered(big) == 3
    assert r.next_unanswered(big) == "selection.tam"
    res = score(big, r)
    # selection 3, 3 -> 3 (the retired 1 is ignored; counted it would give floor(7/3) = 2); data 2
    assert res.level_of("selection") == 3
    assert res.level_of("data") == 2
    assert res.level is None  # 2 of 9 dimensions known
    result_markdown(res)  # does not crash
    comparison_markdown(compare(big, [r]))  # does not crash
    with pytest.raises(ResponseError, match=r"Old \(no function\) also answered in .*old.toml"):
        compare(big, [r, r])  # one leader twice would count double


def test_version_1_file_gets_the_four_questions_of_version_2(big, tmp_path):
    # a version-1 answers file (all 23 questions of version 1 at 2) asked again with version 2
    r = big_response(big, 2)
    for qid in ("selection.tam", "selection.abm", "data.signals", "revops_finance.forecast"):
        del r.answers[qid]
    r.questionnaire_version = 1
    save_response(r, tmp_path / "v1.toml")
    back = load_response(tmp_path / "v1.toml", big)
    assert back.new_questions(big) == ["selection.tam", "selection.abm", "data.signals", "revops_finance.forecast"]
    assert back.next_unanswered(big) == "selection.tam"
    assert score(big, back).level == 2  # every known answer 2


def test_same_version_has_no_new_questions(big):
    r = big_response(big, 2)
    del r.answers["analytics.method"]
    assert r.new_questions(big) == []  # same version: an unanswered question is not "new"
    r.questionnaire_version = 0
    assert r.new_questions(big) == ["analytics.method"]


# -- compare and progress ------------------------------------------------------------------------


def _three(small):
    # R1: a 1  b 3  c 2     d 2 -> sorted 1 2 2 3 -> 2 (b.money 3)
    # R2: a 3  b 1  c 3     d 4 -> sorted 1 3 3 4 -> 3, b.money 1 -> capped 2
    # R3: a 4  b 3  c None  d 3 -> sorted 3 3 4   -> 3 (b.money 3)
    r1 = small_response(small, (1, 1), (3, 3), (2, 2), (2, 2), function="Sales")
    r2 = small_response(small, (3, 3), (1, 1), (3, 3), (4, 4), function="Marketing")
    r3 = small_response(small, (4, 4), (3, 3), (0, 0), (3, 3), function="Finance")
    return r1, r2, r3


def test_compare_three_respondents(small):
    r1, r2, r3 = _three(small)
    cmp = compare(small, [r1, r2, r3])
    assert [res.level for res in cmp.results] == [2, 2, 3]
    assert [res.uncapped for res in cmp.results] == [2, 3, 3]
    # a [1,3,4]: 1..4 median 3 spread 3 flagged
    # b [3,1,3]: 1..3 median 3 spread 2 flagged
    # c [2,3,-]: 2..3 median 2.5 spread 1
    # d [2,4,3]: 2..4 median 3 spread 2 flagged
    # order: flagged by spread desc (a 3, then b and d at 2 in questionnaire order), then c
    rows = [(r.dimension.id, r.levels, r.low, r.high, r.median, r.spread, r.flagged) for r in cmp.rows]
    assert rows == [
        ("a", [1, 3, 4], 1, 4, 3, 3, True),
        ("b", [3, 1, 3], 1, 3, 3, 2, True),
        ("d", [2, 4, 3], 2, 4, 3, 2, True),
        ("c", [2, 3, None], 2, 3, 2.5, 1, False),
    ]
    assert [r.dimension.id for r in cmp.flagged] == ["a", "b", "d"]
    md = comparison_markdown(cmp)
    assert "## Where leaders disagree (2 levels or more apart)" in md
    assert "- **Alpha**: levels 1 to 4 (Tester (Sales) 1, Tester (Marketing) 3, Tester (Finance) 4)" in md
    assert "| Gamma | 2 | 3 | – | 2 | 3 | 2.5 | 1 |" in md


def test_compare_spread_of_one_is_not_flagged_and_unknown_rows(small):
    r1 = small_response(small, (2, 2), (3, 3), (0, 0), (2, 2))
    r2 = small_response(small, (3, 3), (3, 3), (0, 0), (1, 1))
    cmp = compare(small, [r1, r2])
    # nothing flagged: questionnaire order; c has no level for anyone
    assert [(r.dimension.id, r.low, r.high, r.median, r.spread, r.flagged) for r in cmp.rows] == [
        ("a", 2, 3, 2.5, 1, False),
        ("b", 3, 3, 3, 0, False),
        ("c", None, None, None, None, False),
        ("d", 1, 2, 1.5, 1, False),
    ]
    assert cmp.flagged == []
    assert "Where leaders disagree" not in comparison_markdown(cmp)


def test_progress_earlier_against_later(small):
    r1, r2, r3 = _three(small)
    r4 = small_response(small, (2, 2), (4, 4), (2, 2), (1, 1))
    # earlier [R1, R2]: a median(1,3) = 2; b median(3,1) = 2; c median(2,3) = 2.5 -> 2; d median(2,4) = 3
    # later [R3, R4]:   a median(4,2) = 3; b median(3,4) = 3.5 -> 3; c only R4: 2; d median(3,1) = 2
    rows = progress(small, [r1, r2], [r3, r4])
    assert [(p.dimension.id, p.before, p.now, p.change) for p in rows] == [
        ("a", 2, 3, 1), ("b", 2, 3, 1), ("c", 2, 2, 0), ("d", 3, 2, -1)]
    # with nobody knowing c later, there is no change to report
    rows = progress(small, [r1, r2], [r3])
    assert [(p.dimension.id, p.before, p.now, p.change) for p in rows] == [
        ("a", 2, 4, 2), ("b", 2, 3, 1), ("c", 2, None, None), ("d", 3, 3, 0)]


# -- the five sample files ------------------------------------------------------------------------

# Dimension levels by hand from sample_data/assessments/*.toml (floor of the mean of each dimension's known
# answers; version 2's four questions are set one by one in make_assessments.py, 0 = don't know):
#                    selection     data        metrics   refresh alignment revops   measurement use_case analytics
# customer_success   1,2,1,1->1    2,3,2,0->2  3,3,3->3  1,2->1  1,2,1->1  2,3,1->2 2,3,2,1->2  3,4->3   1,2->1
# finance            1,2,1,1->1    2,3,2,0->2  4,4,4->4  1,2->1  2,3,2->2  3,4,2->3 2,3,2,1->2  1,2->1   2,3->2
# marketing          2,3,2,2->2    3,4,3,3->3  2,3,2->2  1,2->1  1,2,1->1  2,3,1->2 1,2,1,1->1  2,3->2   2,3->2
# product            2,3,2,0->2    2,3,2,2->2  2,3,2->2  2,3->2  2,3,2->2  0,0,0->- 0,0,0,0->-  4,4->4   2,3->2
# sales              3,4,2,3->3    2,3,2,2->2  2,3,2->2  2,3->2  3,4,3->3  2,3,2->2 2,3,2,1->2  2,3->2   1,2->1
# (CS 2,3,2 + don't know in data: floor(7/3) = 2; finance revops 3+4+2 = 9, /3 = 3; sales selection 12/4 = 3.)
# Don't knows: CS 1 (data.signals), finance 1 (data.signals), product 1 + 3 + 4 = 8 (selection.abm, revops, measurement).
# Overall (second-lowest): CS 1 1 1 1 2.. -> 1; finance 1 1 1 2.. -> 1; marketing 1 1 1 2.. -> 1;
# product (7 known >= 4.5) 2 2 2 2 2 2 4 -> 2; sales 1 2 2.. -> 2. No gate applies (all at most 3).
# Spreads: selection 1..3 = 2 F; data 2..3 = 1; metrics 2..4 = 2 F; refresh 1..2 = 1; alignment 1..3 = 2 F;
# revops 2..3 = 1; measurement 1..2 = 1; use_case 1..4 = 3 F; analytics 1..2 = 1.
# Flagged, widest first then questionnaire order: use_case, selection, metrics, alignment.
SAMPLE_LEVELS = {
    "customer_success": ("Tom Becker", [1, 2, 3, 1, 1, 2, 2, 3, 1], 1, 1),
    "finance": ("Elena Rossi", [1, 2, 4, 1, 2, 3, 2, 1, 2], 1, 1),
    "marketing": ("Priya Nair", [2, 3, 2, 1, 1, 2, 1, 2, 2], 1, 0),
    "product": ("Aiko Tanaka", [2, 2, 2, 2, 2, None, None, 4, 2], 2, 8),
    "sales": ("Marcus Lee", [3, 2, 2, 2, 3, 2, 2, 2, 1], 2, 0),
}


def test_sample_files_levels(big):
    responses, problems = load_responses(SAMPLES, big)
    assert problems == []
    assert [r.path.stem for r in responses] == list(SAMPLE_LEVELS)  # file-name order
    for r in responses:
        name, dims, overall, dk = SAMPLE_LEVELS[r.path.stem]
        res = score(big, r)
        assert r.respondent == name
        assert [d.level for d in res.dimensions] == dims, r.path.stem
        assert (res.level, res.uncapped, res.capped_by, res.dont_know) == (overall, overall, [], dk), r.path.stem


def test_sample_sales_gap_and_steps(big):
    res = score(big, load_response(SAMPLES / "sales.toml"))
    # level 2 -> below 3: analytics (1) first, then the 2s in questionnaire order
    assert gap_of(res) == ["analytics", "data", "metrics", "refresh", "revops_finance", "measurement", "use_case"]
    assert res.next_steps == [f"{d.dimension.name}: {d.dimension.advice[d.level - 1]}" for d in res.gap] \
        + list(big.level(2).next_steps)
    assert len(res.next_steps) == 11  # 7 dimensions + 4 Level 2 steps


def test_sample_files_compared(big):
    responses, _ = load_responses(SAMPLES, big)
    cmp = compare(big, responses)
    assert [r.dimension.id for r in cmp.flagged] == ["use_case", "selection", "metrics", "alignment"]
    assert [(r.dimension.id, r.levels, r.low, r.high, r.median, r.spread) for r in cmp.rows] == [
        ("use_case", [3, 1, 2, 4, 2], 1, 4, 2, 3),
        ("selection", [1, 1, 2, 2, 3], 1, 3, 2, 2),
        ("metrics", [3, 4, 2, 2, 2], 2, 4, 2, 2),
        ("alignment", [1, 2, 1, 2, 3], 1, 3, 2, 2),
        ("data", [2, 2, 3, 2, 2], 2, 3, 2, 1),
        ("refresh", [1, 1, 1, 2, 2], 1, 2, 1, 1),
        ("revops_finance", [2, 3, 2, None, 2], 2, 3, 2, 1),
        ("measurement", [2, 2, 1, None, 2], 1, 2, 2, 1),
        ("analytics", [1, 2, 2, 2, 1], 1, 2, 2, 1),
    ]


def test_load_responses_skips_other_questionnaires_and_broken_files(big, tmp_path):
    (tmp_path / "a_sales.toml").write_text((SAMPLES / "sales.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "b_other.toml").write_text('[assessment]\nquestionnaire = "other"\n', encoding="utf-8")
    (tmp_path / "c_bad.toml").write_text('[assessment]\nquestionnaire = "icp-maturity"\n[answers]\n"x" = 9\n',
                                         encoding="utf-8")
    found, problems = load_responses(tmp_path, big)
    assert [r.respondent for r in found] == ["Marcus Lee"]
    assert problems == [
        f"{tmp_path / 'b_other.toml'}: made with questionnaire 'other', not 'icp-maturity'",
        f"{tmp_path / 'c_bad.toml'}:4: answers.x: must be a level 1-4 or 0 for don't know, not 9",
    ]
    assert load_responses(tmp_path / "missing", big) == ([], [])


# -- the answers file -----------------------------------------------------------------------------


def test_round_trip(big, tmp_path):
    r = Response.new(big, 'Ann "the boss" O\'Neil', "Sales", "Acme \\ Co")
    r.date = "2026-01-31"
    r.answers = {"selection.basis": 3, "selection.growth": 0, "metrics.revenue": 4}
    r.notes = {
        "selection": 'Two lines:\nwe said "one list"\nand it\'s \'quoted\' \\ with a backslash',
        "metrics": 'tricky """ triple quotes',
    }
    r.position = "data.inputs"
    p = save_response(r, tmp_path / "ann.toml")
    assert p == tmp_path / "ann.toml" and r.path == p
    back = load_response(p)
    for f in ("questionnaire_id", "questionnaire_version", "respondent", "function", "organisation", "date",
              "answers", "notes", "position", "path"):
        assert getattr(back, f) == getattr(r, f), f
    assert list(back.answers) == list(r.answers)  # order kept too
    doc = tomllib.loads(p.read_text(encoding="utf-8"))
    assert set(doc) == {"assessment", "answers", "notes"}
    assert doc["assessment"] == {
        "respondent": 'Ann "the boss" O\'Neil', "function": "Sales", "organisation": "Acme \\ Co",
        "date": "2026-01-31", "questionnaire": "icp-maturity", "questionnaire_version": 2, "position": "data.inputs",
    }
    assert doc["answers"] == r.answers
    assert doc["notes"] == r.notes
    # saving again with no path reuses r.path
    r.answers["data.inputs"] = 2
    assert save_response(r) == p
    assert load_response(p).answers["data.inputs"] == 2
    assert sorted(x.name for x in tmp_path.iterdir()) == ["ann.toml"]


def test_blank_notes_are_not_written(big):
    r = Response.new(big, "A")
    r.notes = {"data": "   ", "metrics": "kept"}
    assert tomllib.loads(response_to_toml(r))["notes"] == {"metrics": "kept"}


def test_save_without_a_path_is_refused(big):
    with pytest.raises(ValueError):
        save_response(Response.new(big, "A"))


@pytest.mark.parametrize("value, shown", [("7", "7"), ('"x"', "'x'"), ("true", "True"), ("2.0", "2.0"), ("-1", "-1")])
def test_bad_answer_value(tmp_path, value, shown):
    p = tmp_path / "bad.toml"
    p.write_text(f'[assessment]\nquestionnaire = "icp-maturity"\n\n[answers]\n"data.inputs" = {value}\n',
                 encoding="utf-8")
    with pytest.raises(ResponseError) as info:
        load_response(p)
    e = info.value
    assert (e.file, e.key, e.message) == (str(p), "answers.data.inputs",
                                          f"must be a level 1-4 or 0 for don't know, not {shown}")


def test_bad_answer_value_names_the_line(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('[assessment]\nquestionnaire = "icp-maturity"\n\n[answers]\n"data.inputs" = 7\n', encoding="utf-8")
    with pytest.raises(ResponseError) as info:
        load_response(p)
    # line 5 holds "data.inputs" = 7
    assert str(info.value) == f"{p}:5: answers.data.inputs: must be a level 1-4 or 0 for don't know, not 7"


def test_not_a_self_assessment_file():
    p = ROOT / "assessments" / "icp-maturity.toml"  # a questionnaire, not answers
    with pytest.raises(ResponseError) as info:
        load_response(p)
    assert str(info.value) == f"{p}: is not a self-assessment file (no [assessment] with questionnaire)"


def test_missing_and_invalid_response_files(tmp_path):
    with pytest.raises(ResponseError) as info:
        load_response(tmp_path / "none.toml")
    assert str(info.value) == f"{tmp_path / 'none.toml'}: file not found"
    p = tmp_path / "broken.toml"
    p.write_text('[assessment]\nquestionnaire = "icp-maturity"\nrespondent = Ann\n', encoding="utf-8")
    with pytest.raises(ResponseError) as info:
        load_response(p)
    assert str(info.value) == f"{p}:3: not valid TOML: Unexpected character: 'A' (column 13)"


def test_non_numeric_questionnaire_version_is_a_response_error(tmp_path):
    p = tmp_path / "v.toml"
    p.write_text('[assessment]\nquestionnaire = "icp-maturity"\nquestionnaire_version = "two"\n', encoding="utf-8")
    with pytest.raises(ResponseError) as info:
        load_response(p)
    assert info.value.key == "assessment.questionnaire_version"


RESUME_SCRIPT = """
import sys, time
from icp_tui.engine.maturity.assessment import Response, save_response
from icp_tui.engine.maturity.questionnaire import default_questionnaire

q = default_questionnaire()
r = Response.new(q, "Killed", "Sales")
for n, question in enumerate(q.questions, 1):
    r.answers[question.id] = 1 + n % 4
    r.position = r.next_unanswered(q) or ""
    save_response(r, sys.argv[1])
    print(f"saved {n}", flush=True)
    time.sleep(0.3)
"""


def test_resume_after_kill(big, tmp_path):
    folder = tmp_path / "answers"
    folder.mkdir()
    target = folder / "me.toml"
    proc = subprocess.Popen([sys.executable, "-c", RESUME_SCRIPT, str(target)], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        seen = []
        while time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen.append(line.strip())
            if line.strip() == "saved 5":
                os.kill(proc.pid, signal.SIGKILL)
                break
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert seen == [f"saved {n}" for n in range(1, 6)], proc.stderr.read()
    assert proc.returncode == -signal.SIGKILL
    r = load_response(target)
    first5 = [x.id for x in big.questions[:5]]
    # answers 1 + n % 4 for n = 1..5: 2 3 4 1 2
    assert r.answers == dict(zip(first5, [2, 3, 4, 1, 2]))
    assert r.position == big.questions[5].id == "data.enrichment"
    assert r.next_unanswered(big) == "data.enrichment"
    assert r.answered(big) == 5
    assert [x.name for x in folder.iterdir()] == ["me.toml"]  # no temp file left behind
