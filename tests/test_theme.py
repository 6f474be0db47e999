"""The projector theme: registered, remembered between runs, and readable (snapshots at 80x24 and 120x40)."""

from __future__ import annotations

import pytest
from pilot import workers_done

from icp_tui.engine.workshop.manifest import read_state
from icp_tui.tui.app import create_app

SIZES = [(80, 24), (120, 40)]


async def test_the_theme_chosen_is_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("ICP_TUI_STATE_DIR", str(tmp_path / "state"))
    app = create_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        assert "projector" in app.available_themes
        app.theme = "projector"
        await pilot.pause()
    assert read_state()["theme"] == "projector"
    assert read_state()["last_workshop"]  # the other things remembered stay
    again = create_app()
    async with again.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert again.theme == "projector"
    tests_app = create_app(remember_workshop=False)  # tests and snapshots: never the user's theme
    async with tests_app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert tests_app.theme != "projector"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_projector_theme_snapshot(snap_compare, size):
    async def run(pilot):
        pilot.app.theme = "projector"
        await workers_done(pilot.app)
        await pilot.pause()
        await pilot.press("3")
        await workers_done(pilot.app)
        await pilot.pause()
        await workers_done(pilot.app)
        await pilot.pause()

    assert snap_compare(create_app(remember_workshop=False), terminal_size=size, run_before=run)
