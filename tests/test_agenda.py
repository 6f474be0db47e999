"""The workshop agenda: [agenda] in workshop.toml, the step bar, > and < through every step to the report."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime

import pytest
from pilot import settle

from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.workshop.agenda import STEPS, Agenda, save_agenda_position, save_participants
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.tui.widgets.step_bar import step_text

SIZES = [(80, 24), (120, 40)]
T0 = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    return folder


def manifest_with(folder, text: str) -> None:
    (folder / "workshop.toml").write_text((folder / "workshop.toml").read_text() + "\n" + text)


def test_default_agenda_and_moving():
    a = Agenda()
    assert [s.id for s in a.steps] == ["participants", "maturity", "lists", "disagreement", "tal", "scorecard",
                                       "decisions", "report"]
    assert a.index is None and a.step is None
    first = a.moved(1, T0)
    assert (first.current, first.started) == ("participants", T0)  # the first move starts at step 1
    assert first.moved(-1, T0).current == "participants"  # clamped
    assert first.moved(20, T0).current == "report"


def test_timer_counts_down_and_over():
    a = Agenda(list(STEPS), "maturity", T0, {"maturity": 15})
    assert a.seconds_left(datetime(2026, 12, 3, 10, 4, 30, tzinfo=UTC)) == 630  # 15:00 - 4:30
    assert a.seconds_left(datetime(2026, 12, 3, 10, 16, tzinfo=UTC)) == -60
    assert Agenda(list(STEPS), "tal", T0, {"maturity": 15}).seconds_left(T0) is None  # no timer for that step
    assert step_text(a, 630).plain == " Step 2 of 8: Maturity reveal   < Participants   Function lists >   10:30 left"
    assert step_text(a, -60).plain.endswith("   1:00 over")
    assert step_text(Agenda(), None).plain == ""


@pytest.mark.parametrize("text, error", [
    ('[agenda]\nsteps = ["tal", "nope"]\n', "agenda.steps: must list steps from: participants, maturity, lists, "
                                            "disagreement, tal, scorecard, decisions, report"),
    ('[agenda]\nsteps = ["tal", "tal"]\n', "agenda.steps: names a step twice"),
    ('[agenda]\nsteps = ["tal"]\ncurrent = "maturity"\n', "agenda.current: must be one of the steps (tal)"),
    ("[agenda]\nminutes = { tal = 0 }\n", "agenda.minutes.tal: must be whole minutes from 1 to 600"),
    ("[agenda]\nminutes = { lunch = 30 }\n", "agenda.minutes.lunch: is not a step (participants, maturity, lists, "
                                             "disagreement, tal, scorecard, decisions, report)"),
    ('[agenda]\nstarted = "ten"\n', "agenda.started: must be a date and time, e.g. 2026-12-03T10:05:00Z"),
    ("[agenda]\ntimer = 3\n", "agenda.timer: is not a key here (steps, current, started, minutes, private, revealed, names)"),
])
def test_bad_agenda_names_its_line(ws, text, error):
    manifest_with(ws, text)
    with pytest.raises(WorkshopError) as e:
        Workshop.load(ws)
    assert str(e.value).endswith(error)
    assert str(e.value).startswith(f"{ws / 'workshop.toml'}:")


def test_position_and_participants_saved_keeping_the_file(ws):
    manifest_with(ws, "[agenda]  # ours\nsteps = [\"maturity\", \"tal\", \"report\"]\nminutes = { tal = 20 }  # twenty\n")
    w = Workshop.load(ws)
    save_agenda_position(w.manifest, w.agenda.moved(1, T0).moved(1, T0))
    save_participants(w.manifest, [("Dana | Reyes", "Sales"), ("Ola", "Finance")])
    text = (ws / "workshop.toml").read_text()
    assert "# The sample workshop" in text and "[agenda]  # ours" in text and "minutes = { tal = 20 }  # twenty" in text
    w = Workshop.load(ws)
    assert (w.agenda.current, w.agenda.started, w.agenda.minutes) == ("tal", T0, {"tal": 20})
    assert [(p.name, p.function) for p in w.participants] == [("Dana | Reyes", "Sales"), ("Ola", "Finance")]
    save_participants(w.manifest, [])
    assert Workshop.load(ws).participants == []


async def test_the_whole_agenda_by_keyboard_to_the_report(ws):
    from textual.widgets import Input, TabbedContent

    from icp_tui.tui.app import create_app
    from icp_tui.tui.widgets.step_bar import StepBar

    app = create_app(ws, remember_workshop=False)
    seen = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one(StepBar).has_class("-on")  # no agenda yet: no bar
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert type(app.screen).__name__ == "ParticipantsScreen"
        for name in ("Dana Reyes", "Marcus Lee"):
            await pilot.press("a")
            await pilot.pause()
            app.screen.query_one(Input).value = name
            await pilot.press("ctrl+s")
            await settle(pilot)
        assert "2 participants · 1 of 2 sent a self-assessment" in str(app.screen.query_one("#pp-summary").render())
        for _ in range(7):
            bar = app.screen.query_one(StepBar)
            seen.append((type(app.screen).__name__, bar.render().plain.split(":")[0].strip()))
            if type(app.screen).__name__ == "AlignmentScreen":
                seen[-1] += (app.screen.query_one(TabbedContent).active,)
            await pilot.press("greater_than_sign")
            await settle(pilot)
        seen.append((type(app.screen).__name__, app.screen.query_one(StepBar).render().plain.split(":")[0].strip()))
        await pilot.press("greater_than_sign")  # the last step: it stays
        await settle(pilot)
        assert type(app.screen).__name__ == "ReportScreen"
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert type(app.screen).__name__ == "DecisionsScreen"
        assert len(app.screen_stack) == 3  # home and the step: steps never pile up
    assert seen == [
        ("ParticipantsScreen", "Step 1 of 8"), ("CompareScreen", "Step 2 of 8"), ("AlignmentScreen", "Step 3 of 8", "lists"),
        ("AlignmentScreen", "Step 4 of 8", "disagree"), ("AlignmentScreen", "Step 5 of 8", "tal"),
        ("ScorecardScreen", "Step 6 of 8"), ("DecisionsScreen", "Step 7 of 8"), ("ReportScreen", "Step 8 of 8")]
    assert Workshop.load(ws).agenda.current == "decisions"
    report = (ws / "report.md").read_text()
    assert "| Dana Reyes | Sales |\n| Marcus Lee | Sales |" in report
    assert "**Where the room stands: Level 1 (Simple)**" in report
    assert "**93 accounts** (Tier 1 58, Tier 2 20, Tier 3 3, Nurture 5, Pass 7)" in report
    assert "AUC of the fit score against won/lost: 0.862" in report
    assert (ws / "report.html").read_text().count("<svg") == 4


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_participants_step_snapshot(snap_compare, ws, size):
    manifest_with(ws, '[agenda]\ncurrent = "participants"\n\n[[participants]]\nname = "Marcus Lee"\nfunction = "Sales"\n\n'
                      '[[participants]]\nname = "Dana Reyes"\nfunction = "Customer Success"\n')
    from icp_tui.tui.app import create_app

    async def run(pilot):
        await settle(pilot)
        await pilot.press("less_than_sign")  # already at the first step: it opens it
        await settle(pilot)

    assert snap_compare(create_app(ws, remember_workshop=False), terminal_size=size, run_before=run)
