"""Maturity workbench screens: question, results, compare, driven by keyboard."""

from __future__ import annotations

import shutil

import pytest

from icp_tui.engine.maturity.assessment import Response, load_response, save_response
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.tui.app import create_app
from icp_tui.tui.assess_app import create_assess_app
from icp_tui.tui.screens.maturity.compare import CompareScreen, short_label
from icp_tui.tui.screens.maturity.dimension_answers import DimensionAnswers
from icp_tui.tui.screens.maturity.question import QuestionScreen
from icp_tui.tui.screens.maturity.results import ResultsScreen

SIZES = [(80, 24), (120, 40)]
IDS = lambda s: f"{s[0]}x{s[1]}"  # noqa: E731


def _response(tmp_path, answers=None, **kw):
    q = default_questionnaire()
    r = Response.new(q, "Dana", "Marketing", "Northwind Analytics")
    r.date = "2026-11-20"
    r.answers.update(answers or {})
    for k, v in kw.items():
        setattr(r, k, v)
    save_response(r, tmp_path / "dana.toml")
    return q, r


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_question_snapshot(snap_compare, tmp_path, size):
    q, r = _response(tmp_path, {"selection.basis": 2, "selection.growth": 0}, position="data.inputs")
    assert snap_compare(create_assess_app(q, r), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_results_snapshot(snap_compare, tmp_path, size):
    q = default_questionnaire()
    sample = load_response("sample_data/assessments/customer_success.toml")
    shutil.copy(sample.path, tmp_path / "cs.toml")
    r = load_response(tmp_path / "cs.toml")

    async def show(pilot):
        await pilot.press("r")
        await pilot.pause()

    assert snap_compare(create_assess_app(q, r), terminal_size=size, run_before=show)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_compare_snapshot(snap_compare, size):
    async def open_maturity(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=open_maturity)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_drill_down_snapshot(snap_compare, size):
    async def drill(pilot):
        await pilot.app.workers.wait_for_complete()
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()

    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=drill)


async def test_answer_the_whole_questionnaire_by_keyboard(tmp_path):
    q, r = _response(tmp_path)
    app = create_assess_app(q, r)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, QuestionScreen)
        # 23 questions: answer 3 everywhere except a don't-know on the first metrics question
        for question in q.questions:
            key = "0" if question.id == "metrics.sales" else "3"
            assert screen.question.id == question.id
            await pilot.press(key)
        await pilot.pause()
        assert isinstance(app.screen, ResultsScreen)
        result = app.screen.result
        assert result.level == 3
        assert result.dont_know == 1
        assert [d.level for d in result.dimensions] == [3] * 9
        # every answer is on disk
        saved = load_response(tmp_path / "dana.toml")
        assert len(saved.answers) == 23 and saved.answers["metrics.sales"] == 0 and saved.answers["metrics.revenue"] == 3


async def test_back_next_jump_and_note(tmp_path):
    q, r = _response(tmp_path)
    app = create_assess_app(q, r)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        await pilot.press("2")
        assert screen.question.id == "selection.growth"
        await pilot.press("left")
        assert screen.question.id == "selection.basis"
        await pilot.press("right", "right")
        assert screen.question.id == "data.inputs"
        await pilot.press("d")
        await pilot.pause()
        await pilot.press("down", "down", "down", "down", "enter")  # the fifth dimension
        await pilot.pause()
        assert screen.question.id == q.dimensions[4].questions[0].id
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"Sales owns the list")
        await pilot.press("enter")
        await pilot.pause()
        saved = load_response(tmp_path / "dana.toml")
        assert saved.notes == {q.dimensions[4].id: "Sales owns the list"}
        assert saved.answers == {"selection.basis": 2}
        assert saved.position == q.dimensions[4].questions[0].id


async def test_resume_where_the_file_stopped(tmp_path):
    q, r = _response(tmp_path, {"selection.basis": 1, "selection.growth": 2, "data.inputs": 3}, position="data.enrichment")
    app = create_assess_app(q, load_response(tmp_path / "dana.toml"))
    async with app.run_test():
        assert app.screen.question.id == "data.enrichment"
        assert app.screen.query_one("#q-progress").progress == 3


async def test_compare_drill_down_and_export(tmp_path, monkeypatch):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    app = create_app(folder, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.press("1")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        flagged = [row.dimension.id for row in screen.comparison.rows if row.flagged]
        assert flagged == ["use_case", "selection", "metrics", "alignment"]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, DimensionAnswers) and app.screen.did == "selection"
        await pilot.press("escape", "e")
        await pilot.pause()
        report = (folder / "assessments" / "maturity-report.md").read_text(encoding="utf-8")
        assert report.startswith("# ICP Segmentation Maturity: 5 respondents compared")


def test_short_labels():
    assert [short_label(x) for x in ("Sales", "Customer Success", "Marketing", "Revenue Operations")] == [
        "Sales", "CS", "Marketing", "RO"]
