"""Scorecard edits not saved live in the app: the agenda, Escape and the workbenches keep them, quitting asks."""

from __future__ import annotations

import pytest
from pilot import IDS, SIZES, keys, settle
from textual.command import CommandList
from textual.widgets import DataTable

from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.tui import kept_scorecards
from icp_tui.tui.app import create_app
from icp_tui.tui.screens.scorecard.editor import ScorecardScreen
from icp_tui.tui.screens.shell.confirm_quit import ConfirmQuitScreen
from icp_tui.tui.screens.shell.home import HomeScreen

ASKED = ("Save before quitting?\n"
         "• Scorecard: 1 edit not saved (scorecard.toml)")


def _at_scorecard_step(workshop) -> None:
    manifest = workshop / "workshop.toml"
    manifest.write_text(manifest.read_text(encoding="utf-8") + '\n[agenda]\ncurrent = "scorecard"\n', encoding="utf-8")


def _shown_weight(screen: ScorecardScreen, row: int = 0) -> str:
    """The Weight cell of a criteria row as the screen shows it."""
    table = screen.query_one("#criteria", DataTable)
    labels = [str(c.label) for c in table.columns.values()]
    return str(table.get_row_at(row)[labels.index("Weight")])


def _dialog_text(dialog: ConfirmQuitScreen) -> str:
    return "\n".join(str(w.render()) for w in dialog.query("#confirm Static"))


async def _edited(pilot, workshop):
    """The Scorecard step opened from home (``>``: the step the room is at), Company size's weight raised to 1.5."""
    await keys(pilot, "greater_than_sign")
    screen = pilot.app.screen
    assert isinstance(screen, ScorecardScreen) and screen.session is not None
    await keys(pilot, "plus")
    assert screen.session.scorecard.criterion("company_size").weight == 1.5
    return screen


async def test_agenda_away_and_back_keeps_the_edit_and_its_undo(workshop):
    _at_scorecard_step(workshop)
    on_disk = (workshop / "scorecard.toml").read_bytes()
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        first = await _edited(pilot, workshop)
        session = first.session
        assert _shown_weight(first) == "1.5"
        assert first.sub_title == "Scorecard · Sample ICP workshop · ● 1 unsaved"
        await keys(pilot, "greater_than_sign")
        assert type(app.screen).__name__ == "DecisionsScreen"
        await keys(pilot, "less_than_sign")
        back = app.screen
        assert isinstance(back, ScorecardScreen) and back is not first
        assert back.session is session  # the same session: its document and undo history
        assert _shown_weight(back) == "1.5"
        assert "weight = 1.5" in back.session.editor.file.as_string()
        assert back.sub_title == "Scorecard · Sample ICP workshop · ● 1 unsaved"
        assert (workshop / "scorecard.toml").read_bytes() == on_disk
        await keys(pilot, "ctrl+z")  # the undo history came back with it
        assert _shown_weight(back) == "1" and not back.session.editor.dirty
        assert back.sub_title == "Scorecard · Sample ICP workshop" and not app.unsaved
        assert kept_scorecards.unsaved_sessions(app) == []  # nothing left for the quit dialog to ask about
    assert (workshop / "scorecard.toml").read_bytes() == on_disk


async def test_escape_home_and_the_workbench_keep_the_edit(workshop):
    on_disk = (workshop / "scorecard.toml").read_bytes()
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await keys(pilot, "3", "plus")
        session = app.screen.session
        await keys(pilot, "escape")
        assert isinstance(app.screen, HomeScreen)
        await keys(pilot, "2", "escape", "3")  # another workbench between
        assert app.screen.session is session and _shown_weight(app.screen) == "1.5"
        assert app.screen.session.scorecard.criterion("company_size").weight == 1.5
    assert (workshop / "scorecard.toml").read_bytes() == on_disk


async def test_a_saved_scorecard_is_read_again_on_the_next_visit(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "plus", "ctrl+s")
        saved = app.screen.session
        await keys(pilot, "escape")
        assert app.scorecards == {}  # nothing to keep
        await keys(pilot, "3")
        assert app.screen.session is not saved and _shown_weight(app.screen) == "1.5"


async def test_quit_asks_and_cancel_keeps_the_app(workshop):
    _at_scorecard_step(workshop)
    on_disk = (workshop / "scorecard.toml").read_bytes()
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        editor = await _edited(pilot, workshop)
        await keys(pilot, "greater_than_sign")  # away from the Scorecard: quitting still asks
        await keys(pilot, "ctrl+q")
        dialog = app.screen
        assert isinstance(dialog, ConfirmQuitScreen)
        assert _dialog_text(dialog) == ASKED
        assert [str(b.label) for b in dialog.query("Button")] == ["Save and quit (s)", "Discard and quit (y)", "Cancel (n)"]
        await keys(pilot, "n")
        assert app.is_running and type(app.screen).__name__ == "DecisionsScreen"
        assert editor.session.editor.dirty
    assert (workshop / "scorecard.toml").read_bytes() == on_disk


async def test_quit_discard_quits_without_writing(workshop):
    on_disk = (workshop / "scorecard.toml").read_bytes()
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "plus", "ctrl+q")
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running
    assert (workshop / "scorecard.toml").read_bytes() == on_disk


async def test_quit_save_writes_the_scorecard_then_quits(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "plus", "escape", "ctrl+q")
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.click("#save")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running
    saved = ScorecardFile.open(workshop / "scorecard.toml")
    assert saved.scorecard.criterion("company_size").weight == 1.5
    assert "# Starter ICP scorecard for the sample workshop." in saved.text  # comments kept


async def test_quit_save_that_fails_says_why_and_stays(workshop, monkeypatch):
    app = create_app(workshop, remember_workshop=False)
    shown: list[str] = []
    notify = app.notify
    monkeypatch.setattr(app, "notify", lambda message, **kw: (shown.append(str(message)), notify(message, **kw)))
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "plus")
        session = app.screen.session
        (workshop / "scorecard.toml").unlink()
        (workshop / "scorecard.toml").mkdir()  # a folder where the file was: the save cannot write
        await keys(pilot, "ctrl+q", "s")
        assert app.is_running and isinstance(app.screen, ScorecardScreen)
        assert session.editor.dirty and app.scorecards
        assert any(m.startswith("The scorecard is not saved: ") for m in shown), shown


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_quit_with_unsaved_scorecard_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await keys(pilot, "3", "plus", "ctrl+q")
        assert isinstance(pilot.app.screen, ConfirmQuitScreen)
        await settle(pilot)

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


def test_unsaved_edits_counts_edits_since_the_save_and_saved_ones_undone(workshop):
    from icp_tui.engine.workshop.manifest import Workshop
    from icp_tui.engine.workshop.scorecard_session import ScorecardSession

    s = ScorecardSession(Workshop.load(workshop))
    assert s.unsaved_edits() == 0
    for w in (1.5, 2.0, 2.5):
        s.edit("set_weight", "company_size", w)
    assert s.unsaved_edits() == 3
    s.save()
    assert s.unsaved_edits() == 0
    s.undo()
    s.undo()  # two saved changes undone: the file is two edits ahead of the document
    assert s.unsaved_edits() == 2
    s.redo()
    s.redo()
    assert s.unsaved_edits() == 0


async def test_the_palette_quit_asks_too(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "plus", "ctrl+p")
        await pilot.press(*"quit")
        found = app.screen.query_one(CommandList)
        for _ in range(1000):  # the palette searches in the background: wait for what it found, not for a time
            if found.option_count:
                break
            await pilot.pause(0.01)
        await keys(pilot, "enter")
        assert isinstance(app.screen, ConfirmQuitScreen) and app.is_running
        assert _dialog_text(app.screen) == ASKED
