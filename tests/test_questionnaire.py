"""Questionnaires as data: the bundled ICP maturity file, schema errors with file:line: key, discovery.

The schema-error cases start from ``tests/data/maturity/small.toml`` (4 dimensions x 2 questions,
one gate) and change one line in place, so every other line keeps its number; the expected line
numbers below are the lines of that file (``grep -n`` it to check).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icp_tui.engine.maturity.questionnaire import (
    DEFAULT_ID,
    QuestionnaireError,
    default_questionnaire,
    discover,
    load_questionnaire,
    parse_questionnaire,
)

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "maturity" / "small.toml"
BUNDLED = ROOT / "assessments" / "icp-maturity.toml"


def _small_lines() -> list[str]:
    return SMALL.read_text(encoding="utf-8").splitlines()


def _write_with(tmp_path: Path, changes: dict[int, str | None], name: str = "broken.toml") -> Path:
    """small.toml with line N (1-based) replaced by text, or removed when the text is None."""
    lines = _small_lines()
    out = []
    for n, line in enumerate(lines, 1):
        if n in changes:
            if changes[n] is not None:
                out.append(changes[n])
        else:
            out.append(line)
    p = tmp_path / name
    p.write_text("\n".join(out) + "\n", encoding="utf-8")
    return p


def _error_of(path: Path) -> QuestionnaireError:
    with pytest.raises(QuestionnaireError) as info:
        load_questionnaire(path)
    return info.value


# -- the bundled questionnaire -------------------------------------------------------------------


def test_bundled_questionnaire_loads_with_its_shape():
    q = default_questionnaire()
    assert q.id == DEFAULT_ID == "icp-maturity"
    assert q.version == 2
    assert q.title == "ICP Segmentation Maturity"
    assert q.minutes == 10
    assert Path(q.path).resolve() == BUNDLED.resolve()
    assert [lv.level for lv in q.levels] == [1, 2, 3, 4]
    assert [lv.name for lv in q.levels] == ["Simple", "Foundational", "Developing", "Strategic"]
    assert [d.id for d in q.dimensions] == [
        "selection", "data", "metrics", "refresh", "alignment", "revops_finance", "measurement", "use_case", "analytics",
    ]
    # 4 + 4 + 3 + 2 + 3 + 3 + 4 + 2 + 2 = 27 (version 2 added selection.tam, selection.abm, data.signals and
    # revops_finance.forecast at the end of their dimensions)
    assert [len(d.questions) for d in q.dimensions] == [4, 4, 3, 2, 3, 3, 4, 2, 2]
    assert len(q.questions) == 27
    assert len({x.id for x in q.questions}) == 27
    for question in q.questions:
        assert [a.level for a in question.answers] == [1, 2, 3, 4], question.id
        assert all(a.text for a in question.answers), question.id
        assert question.dimension in {d.id for d in q.dimensions}
    for d in q.dimensions:
        assert len(d.advice) == 3, d.id
    assert len(q.gates) == 1
    gate = q.gates[0]
    # seed 004: Level 3 still lacks lifetime economics; CLV, CAC or NRR shaping segments is the step to Level 4
    assert (gate.id, gate.cap, gate.unless_question, gate.unless_level) == ("revenue_metric", 3, "metrics.revenue", 4)
    assert gate.text.startswith("Until lifetime economics such as CLV, CAC or NRR shape your segments")
    assert [x.id for x in q.questions if x.revenue_metric] == ["metrics.revenue"]


def test_bundled_questionnaire_lookups():
    q = default_questionnaire()
    assert q.question("metrics.revenue").dimension == "metrics"
    assert q.dimension("use_case").name == "Use case as a segment"
    assert q.level(3).name == "Developing"
    assert q.question("selection.basis").answer_text(0) == "Don't know"
    assert q.question("selection.basis").answer_text(2) == (
        "Each team builds its own list in a spreadsheet or CRM view, using its own rules")
    with pytest.raises(KeyError):
        q.question("nope")
    with pytest.raises(KeyError):
        q.dimension("nope")


def test_small_fixture_loads():
    q = load_questionnaire(SMALL)
    assert (q.id, q.version, q.title, q.minutes) == ("small", 2, "Small Maturity", 3)
    assert [d.id for d in q.dimensions] == ["a", "b", "c", "d"]
    assert [x.id for x in q.questions] == ["a.one", "a.two", "b.one", "b.money", "c.one", "c.two", "d.one", "d.two"]
    assert q.question("a.one").help == "Help a1."
    assert q.question("a.two").help == ""  # help is optional
    assert q.dimension("b").description == ""  # so is a dimension's description
    assert [g.id for g in q.gates] == ["money"]
    assert q.path == str(SMALL)


# -- schema errors: "path:line: key: message" -----------------------------------------------------


def test_missing_questionnaire_table(tmp_path):
    p = _write_with(tmp_path, {3: "[quiz]"})  # line 3 is the [questionnaire] header
    # the misnamed table is pointed at, with the names that would do
    assert str(_error_of(p)) == f"{p}:3: quiz: is not a key here (known keys: questionnaire, levels, dimensions, gates)"


@pytest.mark.parametrize("value", ['"2"', "0", "true", "2.5"])
def test_version_not_a_whole_number(tmp_path, value):
    p = _write_with(tmp_path, {5: f"version = {value}"})  # line 5: version = 2
    assert str(_error_of(p)) == f"{p}:5: questionnaire.version: must be a whole number from 1"


def test_levels_out_of_order(tmp_path):
    # line 27 is "level = 3" (third [[levels]]), line 35 is "level = 4" (fourth): swap them
    p = _write_with(tmp_path, {27: "level = 4", 35: "level = 3"})
    # the error points at the first [[levels]] header, line 10
    assert str(_error_of(p)) == f"{p}:10: levels: needs four [[levels]] with level = 1, 2, 3, 4 in order"


def test_only_three_levels(tmp_path):
    p = _write_with(tmp_path, dict.fromkeys(range(34, 41)))  # drop the fourth [[levels]] (lines 34-40)
    assert str(_error_of(p)) == f"{p}:10: levels: needs four [[levels]] with level = 1, 2, 3, 4 in order"


def test_question_with_three_answers(tmp_path):
    # b.money (dimension 2, question 2): drop line 92, its level-4 answer; "answers = [" is line 88
    p = _write_with(tmp_path, {92: None})
    assert str(_error_of(p)) == (
        f"{p}:88: dimensions[2].questions[2].answers: needs exactly four answers, levels 1 to 4 (has 3)")


def test_answer_with_the_wrong_level(tmp_path):
    # b.one (dimension 2, question 1): its third answer (line 80) says level 4
    p = _write_with(tmp_path, {80: '  { level = 4, text = "b1 L3" },'})
    assert str(_error_of(p)) == (
        f'{p}:80: dimensions[2].questions[1].answers[3]: must be {{ level = 3, text = "..." }}')


def test_duplicate_question_id_in_one_dimension(tmp_path):
    p = _write_with(tmp_path, {111: 'id = "c.one"'})  # line 111: id of c.two (dimension 3, question 2)
    assert str(_error_of(p)) == f"{p}:111: dimensions[3].questions[2].id: id 'c.one' is used twice"


def test_duplicate_question_id_across_dimensions(tmp_path):
    p = _write_with(tmp_path, {126: 'id = "a.one"'})  # line 126: id of d.one (dimension 4, question 1)
    assert str(_error_of(p)) == f"{p}:126: dimensions[4].questions[1].id: id 'a.one' is used twice"


def test_duplicate_dimension_id(tmp_path):
    p = _write_with(tmp_path, {96: 'id = "a"'})  # line 96: id of the third dimension
    assert str(_error_of(p)) == f"{p}:96: dimensions[3].id: id 'a' is used twice"


def test_advice_with_two_items(tmp_path):
    p = _write_with(tmp_path, {72: 'advice = ["beta 1-2", "beta 2-3"]'})  # line 72: second dimension's advice
    assert str(_error_of(p)) == f"{p}:72: dimensions[2].advice: needs exactly 3 items, has 2"


def test_gate_naming_an_unknown_question(tmp_path):
    p = _write_with(tmp_path, {149: 'unless_question = "b.revenue"'})  # line 149 in [[gates]]
    assert str(_error_of(p)) == (
        f"{p}:149: gates[1].unless_question: names no question of this questionnaire: 'b.revenue'")


def test_invalid_toml_reports_the_line_from_tomlkit(tmp_path):
    p = _write_with(tmp_path, {97: "name = Gamma"})  # line 97: a bare word is no TOML value
    assert str(_error_of(p)) == f"{p}:97: not valid TOML: Unexpected character: 'G' (column 7)"


def test_missing_file(tmp_path):
    p = tmp_path / "nope.toml"
    assert str(_error_of(p)) == f"{p}: file not found"


def test_parse_questionnaire_names_the_given_path():
    with pytest.raises(QuestionnaireError) as info:
        parse_questionnaire('[questionnaire]\nid = "x"\nversion = -1\n', "inline.toml")
    assert str(info.value) == "inline.toml:3: questionnaire.version: must be a whole number from 1"
    assert (info.value.file, info.value.line, info.value.key) == ("inline.toml", 3, "questionnaire.version")


def test_a_byte_order_mark_is_accepted(tmp_path):
    p = tmp_path / "bom.toml"
    p.write_bytes(b"\xef\xbb\xbf" + SMALL.read_bytes())
    assert load_questionnaire(p).id == "small"


# -- discover ------------------------------------------------------------------------------------


def test_discover_the_bundled_folder():
    found, errors = discover(ROOT / "assessments")
    assert [q.id for q in found] == ["icp-maturity"]
    assert errors == []


def test_discover_picks_up_a_second_questionnaire_and_reports_a_broken_one(tmp_path):
    shutil.copy(BUNDLED, tmp_path / "icp-maturity.toml")
    second = _write_with(tmp_path, {4: 'id = "second"'}, name="second.toml")
    broken = _write_with(tmp_path, {149: 'unless_question = "b.revenue"'}, name="b_broken.toml")
    (tmp_path / "README.md").write_text("# not a questionnaire\n", encoding="utf-8")
    found, errors = discover(tmp_path)
    # file-name order: b_broken.toml (fails), icp-maturity.toml, second.toml
    assert [q.id for q in found] == ["icp-maturity", "second"]
    assert found[1].path == str(second)
    assert [str(e) for e in errors] == [
        f"{broken}:149: gates[1].unless_question: names no question of this questionnaire: 'b.revenue'"]


def test_discover_an_empty_or_missing_folder(tmp_path):
    assert discover(tmp_path) == ([], [])
    assert discover(tmp_path / "missing") == ([], [])
