"""The TAL tab's hold-out by keyboard: h opens the form (share, seed), Enter sets it (stored, logged, counted,
marked ○), an empty share ends it; d picks a later deal file and shows targeted against control. Snapshots of
the TAL tab with the control marks and of the comparison, at 80x24 and 120x40."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from pilot import IDS, SIZES, settle
from textual.widgets import Input, Static

from icp_tui.engine.alignment.holdout import Holdout
from icp_tui.engine.alignment.tal import DecisionsFile
from icp_tui.engine.workshop.log import read_log
from icp_tui.tui.app import create_app
from icp_tui.tui.screens.alignment.holdout_compare import HoldoutCompareScreen
from icp_tui.tui.screens.alignment.workbench import AlignmentScreen
from icp_tui.tui.screens.dialogs.file_picker import FilePicker
from icp_tui.tui.screens.dialogs.form import FormScreen

LATER = Path(__file__).parent / "data" / "holdout_later_deals.csv"
HOLDOUT = '\n[holdout]\nshare = 0.2\nseed = 482913\nsince = 2026-12-03\n'


@pytest.fixture
def workshop(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    shutil.copy(LATER, folder / LATER.name)
    return folder


@pytest.fixture
def held_out(workshop):
    """The sample with a hold-out of 20%, seed 482913, set on 2026-12-03 (76 targeted, 17 control)."""
    (workshop / "decisions.toml").write_text(HOLDOUT, encoding="utf-8")
    return workshop


async def pick_later_deals(pilot, folder: Path) -> None:
    """d, then the file as Enter on it takes it (the picker's tree has a worker that never ends: pauses, not settle)."""
    await pilot.press("d")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FilePicker)
    pilot.app.screen.dismiss(folder / LATER.name)
    for _ in range(100):  # the comparison runs in a worker
        await pilot.pause(0.05)
        if isinstance(pilot.app.screen, HoldoutCompareScreen):
            break
    await pilot.pause()


async def open_tal(pilot) -> None:
    await settle(pilot)
    await pilot.press("2")
    await settle(pilot)
    await pilot.press("f4")
    await settle(pilot)


async def test_set_and_clear_the_holdout_by_keyboard(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tal(pilot)
        screen = app.screen
        assert isinstance(screen, AlignmentScreen)
        await pilot.press("h")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, FormScreen)
        assert form.query_one("#f-share", Input).value == "20"
        drawn = form.query_one("#f-seed", Input).value
        assert drawn.isdigit() and len(drawn) == 6  # a fresh seed, drawn once for the form
        form.query_one("#f-share", Input).value = "90"
        await pilot.pause()
        assert "the share must be from 5% to 50%" in str(form.query_one("#form-error", Static).render())
        form.query_one("#f-share", Input).value = "20"
        form.query_one("#f-seed", Input).value = "482913"
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen
        s = screen.session
        assert s.file.holdout == Holdout(0.2, 482913, dt.date.today())
        assert DecisionsFile.load(workshop / "decisions.toml").holdout == s.file.holdout
        assert s.tal.counts_by_group() == {"target": 76, "control": 17}
        summary = str(screen.query_one("#tal-summary", Static).render())
        assert "76 targeted, 17 control ○" in summary
        assert read_log(workshop)[-1].text.endswith("; 76 targeted, 17 control")
        # h again: the stored seed, and an empty share ends the hold-out
        await pilot.press("h")
        await settle(pilot)
        assert app.screen.query_one("#f-seed", Input).value == "482913"
        app.screen.query_one("#f-share", Input).value = ""
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        assert s.file.holdout is None and "control" not in str(screen.query_one("#tal-summary", Static).render())
        assert read_log(workshop)[-1].text.startswith("hold-out cleared")


async def test_compare_with_a_later_deal_file(held_out):
    app = create_app(held_out, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tal(pilot)
        await pick_later_deals(pilot, held_out)
        shown = app.screen
        assert isinstance(shown, HoldoutCompareScreen)
        c = shown.comparison
        assert (c.target.accounts, c.target.deals, c.target.pipeline, c.control.accounts, c.control.won) == (76, 7, 425000.0, 17, 1)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, AlignmentScreen)


async def test_compare_without_a_holdout_says_how_to_set_one(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_tal(pilot)
        await pilot.press("d")
        await settle(pilot)
        assert isinstance(app.screen, AlignmentScreen)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_tal_with_holdout_snapshot(snap_compare, held_out, size):
    async def run(pilot):
        await open_tal(pilot)
        for _ in range(18):  # down to Kaxenis Ledger, in the control group: its mark and the line under the table
            await pilot.press("down")
        await settle(pilot)

    assert snap_compare(create_app(held_out, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_holdout_comparison_snapshot(snap_compare, held_out, size):
    async def run(pilot):
        await open_tal(pilot)
        await pick_later_deals(pilot, held_out)

    assert snap_compare(create_app(held_out, remember_workshop=False), terminal_size=size, run_before=run)
