"""The validation screen's deal window (w) and "record as validated" (r), by keyboard; snapshots at 80x24 and
120x40 of the screen with a window and of the window prompt."""

from __future__ import annotations

from datetime import date

import pytest
from pilot import IDS, SIZES, settle
from pilot import keys as _keys

from icp_tui.engine.history.window import apply_window
from icp_tui.tui.app import create_app
from icp_tui.tui.screens.dialogs.form import FormScreen
from icp_tui.tui.screens.scorecard.validation import ValidationScreen

SINCE = "2025-12-03"  # a date, not "12m": the snapshot must not move with the clock


async def test_window_by_keyboard(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _keys(pilot, "3", "f3")
        screen = app.screen
        assert isinstance(screen, ValidationScreen)
        every = screen.validation.closed
        assert str(screen.query_one("#va-window").render()).startswith(f"All closed deals: {screen.session.window.closed}")
        await _keys(pilot, "w")
        form = app.screen
        assert isinstance(form, FormScreen)
        await pilot.press(*"12x")
        await pilot.pause()
        assert form.error is not None and form.error.startswith("'12x' is not a date or a number of months")
        await pilot.press("enter")  # refused: the prompt stays
        await pilot.pause()
        assert app.screen is form
        await pilot.press("ctrl+u", *SINCE, "enter")
        await settle(pilot)
        assert app.screen is screen
        s = screen.session
        _, keep, expected = apply_window(s._all_deals, date(2025, 12, 3))  # the engine's own count
        assert s.window.since == date(2025, 12, 3) and s.window.closed == expected.closed
        assert len(s.deals) == int(keep.sum()) and len(s.deal_rows) == len(s.deals)
        assert screen.validation.closed < every  # recomputed over the window
        line = str(screen.query_one("#va-window").render())
        assert line.startswith(f"Deals closed since {SINCE}: {expected.closed} of {expected.closed_before} closed")
        await _keys(pilot, "w")  # the prompt opens on the current start; emptied, every deal counts again
        assert app.screen.values() == {"since": SINCE}
        await pilot.press("ctrl+u", "enter")
        await settle(pilot)
        assert s.window.since is None and screen.validation.closed == every


async def test_record_as_validated_is_an_undoable_edit(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _keys(pilot, "3", "f3")
        screen = app.screen
        s = screen.session
        assert any(f.key == "scorecard" and f.source for f in s.lint())  # not yet validated
        await _keys(pilot, "r")
        assert s.scorecard.validated == date.today()
        assert s.scorecard.validated_with.startswith(f"{sum(c.status == 'pass' for c in screen.validation.checklist)} of "
                                                     f"{len(screen.validation.checklist)} checks passed")
        assert not any(f.source for f in s.lint())
        assert s.editor.dirty  # saved with the scorecard (ctrl+s in the editor)
        await _keys(pilot, "ctrl+z")
        assert s.scorecard.validated is None and not s.editor.dirty


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_validation_window_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await _keys(pilot, "3", "f3", "w")
        await pilot.press(*SINCE, "enter")
        await settle(pilot)

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_window_prompt_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await _keys(pilot, "3", "f3", "w")
        await pilot.press(*"18 mon")  # not a value: the prompt says what it takes
        await pilot.pause()

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)
