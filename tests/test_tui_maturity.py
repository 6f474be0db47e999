"""Maturity workbench screens: question, results, compare, driven by keyboard."""

from __future__ import annotations

import shutil

import pytest
from pilot import IDS, SIZES, workers_done

from icp_tui.engine.maturity.assessment import Response, load_response, save_response
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.tui.app import create_app
from icp_tui.tui.assess_app import create_assess_app
from icp_tui.tui.screens.maturity.compare import CompareScreen, short_label
from icp_tui.tui.screens.maturity.dimension_answers import DimensionAnswers
from icp_tui.tui.screens.maturity.question import QuestionScreen
from icp_tui.tui.screens.maturity.results import ResultsScreen


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
        await workers_done(pilot.app)
        await pilot.press("1")
        await pilot.pause()

    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=open_maturity)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_drill_down_snapshot(snap_compare, size):
    async def drill(pilot):
        await workers_done(pilot.app)
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
        # 27 questions: answer 3 everywhere except a don't-know on the first metrics question; a Level 3
        # organisation (metrics.revenue 3: lifetime economics not in use yet) is Level 3, not held at 2
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
        assert len(saved.answers) == 27 and saved.answers["metrics.sales"] == 0 and saved.answers["metrics.revenue"] == 3


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
        assert screen.question.id == "selection.tam"  # version 2's third question of the first dimension
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
        await workers_done(pilot.app)
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


# -- the roadmap form and the progress view ----------------------------------------------------------------------

ROADMAP_FAR = """\
# the targets, with due dates far ahead so the form shows no "has passed" warning in any year
[metrics]
target = 3
owner = "Elena Rossi"
due = 2035-03-31
"""


def _workshop(tmp_path, roadmap: str | None = ROADMAP_FAR):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    if roadmap is not None:
        (folder / "roadmap.toml").write_text(roadmap, encoding="utf-8")
    return folder


async def _to_metrics(pilot):
    await workers_done(pilot.app)
    await pilot.press("1")
    await pilot.pause()
    await pilot.press("down", "down")  # use_case, selection, metrics (flagged rows first)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_roadmap_form_snapshot(snap_compare, tmp_path, size):
    folder = _workshop(tmp_path)

    async def run(pilot):
        await _to_metrics(pilot)
        await pilot.press("t")
        await pilot.pause()

    assert snap_compare(create_app(folder, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_progress_snapshot(snap_compare, tmp_path, size):
    import datetime as dt

    from icp_tui.engine.maturity.progress import load_round, round_progress
    from icp_tui.engine.maturity.roadmap import load_roadmap
    from icp_tui.tui.screens.maturity.progress import ProgressScreen

    folder = _workshop(tmp_path, None)  # the sample's roadmap: due 2027-02-26 ... 2027-06-30
    q = default_questionnaire()

    async def run(pilot):
        await _to_metrics(pilot)
        earlier, _ = load_round([folder / "assessments-2026-05"], q)
        prog = round_progress(q, earlier, pilot.app.screen.responses, load_roadmap(folder / "roadmap.toml", q))
        # on 2027-03-15 Cross-functional alignment (due 2027-02-26, Level 2 of 3) is overdue: its date is red
        pilot.app.push_screen(ProgressScreen(prog, folder / "assessments-2026-05", today=dt.date(2027, 3, 15)))
        await pilot.pause()

    assert snap_compare(create_app(folder, remember_workshop=False), terminal_size=size, run_before=run)


async def test_roadmap_target_set_by_keyboard(tmp_path):
    from textual.widgets import Static

    from icp_tui.engine.maturity.roadmap import load_roadmap
    from icp_tui.tui.screens.dialogs.form import FormScreen

    folder = _workshop(tmp_path)
    q = default_questionnaire()
    app = create_app(folder, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_metrics(pilot)
        compare = app.screen
        assert str(compare.query_one("#cmp-target", Static).render()).startswith(
            "Target 3 Developing by 2035-03-31 · Elena Rossi · room now 2")
        await pilot.press("t")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.values() == {"target": "3 Developing", "owner": "Elena Rossi", "due": "2035-03-31"}
        await pilot.press("enter", "down", "enter")  # open the level list, one down: 4 Strategic
        await pilot.pause()
        await pilot.press("tab", "end", "ctrl+u", *"Priya Nair", "tab", "end", "ctrl+u", *"31/12/2035")
        await pilot.pause()
        assert form.error == "the due date must be YYYY-MM-DD, e.g. 2027-03-31, not '31/12/2035'"
        await pilot.press("ctrl+s")  # refused: the form stays
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+u", *"2035-12-31", "enter")
        await pilot.pause()
        assert app.screen is compare
        rm = load_roadmap(folder / "roadmap.toml", q)
        assert (rm.get("metrics").level, rm.get("metrics").owner, rm.get("metrics").due.isoformat()) == (
            4, "Priya Nair", "2035-12-31")
        text = (folder / "roadmap.toml").read_text(encoding="utf-8")
        assert text.startswith("# the targets, with due dates far ahead")  # the comment kept
        assert str(compare.query_one("#cmp-target", Static).render()).startswith(
            "Target 4 Strategic by 2035-12-31 · Priya Nair · room now 2")
        # a target at the room's level is saved with a warning; "No target" takes it off again
        await pilot.press("up")  # selection: the room is at 2, no target yet -> the form proposes Level 3
        await pilot.press("t")
        await pilot.pause()
        assert app.screen.values()["target"] == "3 Developing"
        await pilot.press("enter", "up", "enter", "tab", *"Marcus Lee", "tab", *"2035-06-30")
        await pilot.pause()
        assert app.screen.error is None
        assert "Level 2 is not above the room's level now (2)" in str(app.screen.query_one("#form-error", Static).render())
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert load_roadmap(folder / "roadmap.toml", q).get("selection").level == 2
        await pilot.press("t")
        await pilot.pause()
        await pilot.press("enter", "down", "down", "down", "enter", "ctrl+s")  # 2 -> 3 -> 4 -> No target
        await pilot.pause()
        assert list(load_roadmap(folder / "roadmap.toml", q).targets) == ["metrics"]


async def test_progress_picked_from_the_disk(tmp_path):
    from textual.widgets import DataTable

    from icp_tui.tui.screens.dialogs.file_picker import FilePicker
    from icp_tui.tui.screens.maturity.progress import ProgressScreen

    folder = _workshop(tmp_path)
    app = create_app(folder, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _to_metrics(pilot)
        await pilot.press("p")
        await pilot.pause()
        assert isinstance(app.screen, FilePicker)
        await pilot.press("down", "down", "f")  # the workshop folder's assessments, then assessments-2026-05
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ProgressScreen)
        p = screen.progress
        # by hand in test_maturity_roadmap.py: May 1 2 2 1 1 2 1 2 2 -> November 2 2 2 1 2 2 2 2 2
        assert [(r.before, r.now) for r in p.rows] == list(zip([1, 2, 2, 1, 1, 2, 1, 2, 2], [2, 2, 2, 1, 2, 2, 2, 2, 2]))
        grid = screen.query_one("#prog-grid", DataTable)
        assert grid.row_count == 9
        assert str(grid.get_row("metrics")[4]).strip() == "3"  # the roadmap target of Revenue and lifecycle metrics
        await pilot.press("e")
        await pilot.pause()
        report = (folder / "assessments-2026-05" / "maturity-progress.md").read_text(encoding="utf-8")
        assert report.startswith("# ICP Segmentation Maturity: progress between two rounds")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)


async def test_broken_roadmap_is_named_and_not_overwritten(tmp_path):
    from textual.widgets import Static

    folder = _workshop(tmp_path, "[metrics]\ntarget = 7\nowner = \"A\"\ndue = 2035-01-01\n")
    app = create_app(folder, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _to_metrics(pilot)
        line = str(app.screen.query_one("#cmp-target", Static).render())
        assert line == f"Roadmap not read: {folder / 'roadmap.toml'}:2: metrics.target: must be a level 1-4, not 7"
        await pilot.press("t")  # refused with a notice: the form would overwrite a file it cannot read
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        assert (folder / "roadmap.toml").read_text(encoding="utf-8").startswith("[metrics]\ntarget = 7\n")
