"""The app shell: home, help, the workbench screens and quit, driven by keyboard."""

from __future__ import annotations

import pytest
from pilot import workers_done

from icp_tui.tui.app import create_app
from icp_tui.tui.screens.alignment.workbench import AlignmentScreen
from icp_tui.tui.screens.maturity.compare import CompareScreen
from icp_tui.tui.screens.scorecard.editor import ScorecardScreen
from icp_tui.tui.screens.shell.confirm_quit import ConfirmQuitScreen
from icp_tui.tui.screens.shell.help import HelpScreen
from icp_tui.tui.screens.shell.home import HomeScreen

SIZES = [(80, 24), (120, 40)]


async def _loaded(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home_snapshot(snap_compare, size):
    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=_loaded)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help_snapshot(snap_compare, size):
    async def open_help(pilot):
        await _loaded(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=open_help)


async def test_home_lists_the_workshop_files():
    app = create_app(remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        labels = [f.label for f in home.files]
        assert labels == ["Accounts", "Deal history", "Scorecard", "Sales list", "Marketing list",
                          "Customer Success list", "Product list", "Finance list", "Assessments"]
        assert all(not f.problem for f in home.files)
        assert home.files[2].detail == "Starter ICP scorecard v1.0: 10 criteria, 3 anti-personas"


async def test_navigate_to_each_workbench_and_back():
    app = create_app(remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("1")
        assert isinstance(app.screen, CompareScreen)
        assert len(app.screen.responses) == 5
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("2")
        assert isinstance(app.screen, AlignmentScreen)
        await workers_done(pilot.app)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("3")
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        # by focus and enter: the first card has focus; right moves to the second
        assert app.focused.id == "card-maturity"
        await pilot.press("right", "right", "enter")
        assert isinstance(app.screen, ScorecardScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_help_opens_and_closes():
    app = create_app(remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)


async def test_command_palette_opens_a_workbench():
    app = create_app(remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"scorecard work")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ScorecardScreen)


async def test_quit_without_unsaved_work_exits():
    app = create_app(remember_workshop=False)
    async with app.run_test() as pilot:
        await _loaded(pilot)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app._exit is True or app.return_code == 0


async def test_quit_asks_when_something_is_unsaved():
    app = create_app(remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        app.mark_unsaved("scorecard", "Scorecard: weight of revenue changed")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.unsaved == {"scorecard": "Scorecard: weight of revenue changed"}
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0 and not app.is_running


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_confirm_quit_snapshot(snap_compare, size):
    async def ask(pilot):
        await _loaded(pilot)
        pilot.app.mark_unsaved("scorecard", "Scorecard: weight of revenue changed")
        await pilot.press("ctrl+q")
        await pilot.pause()

    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=ask)
