"""Snapshots of the alignment dialogs (paste, prompt, which account, a group in full) and the agenda's Decisions
and Report screens, at 80x24 and 120x40 (each looked at as a picture before it was committed)."""

from __future__ import annotations

import pytest
from pilot import IDS, SIZES, settle

from icp_tui.tui.app import create_app


def keys(*presses: str):
    async def run(pilot):
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        for k in presses:
            await pilot.press(k)
            await settle(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_paste_snapshot(snap_compare, workshop, size):
    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=keys("v"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_prompt_snapshot(snap_compare, workshop, size):
    # end: the cursor placed the same way every run (a focused input may or may not select its text first)
    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=keys("a", "end"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_match_picker_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await keys()(pilot)
        s = pilot.app.screen.session
        row = next(i for i, m in enumerate(s.alignment.matches["Sales"]) if m.entry == "tandem co.")
        pilot.app.screen.query_one("#pane-list-0").highlighted = row
        await pilot.press("enter")
        await settle(pilot)

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_contested_in_full_snapshot(snap_compare, workshop, size):
    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size,
                        run_before=keys("f3", "down", "enter"))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_decisions_step_snapshot(snap_compare, workshop, size):
    with open(workshop / "workshop.toml", "a") as fh:
        fh.write('\n[agenda]\ncurrent = "decisions"\n')
    (workshop / "log.toml").write_text(
        '[[entry]]\ntime = 2026-12-03T10:05:00Z\nkind = "tal"\ntext = "exclude Acme Inc.: already a customer of a partner"\n\n'
        '[[entry]]\ntime = 2026-12-03T10:07:00Z\nkind = "rule"\ntext = "TAL rule: 3+ functions or Strong fit / Good fit"\n')

    async def run(pilot):
        await settle(pilot)
        await pilot.press("greater_than_sign")  # on home: back into the room's step
        await settle(pilot)

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)
