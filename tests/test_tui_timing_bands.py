"""The scorecard editor's timing bands (Bands tab), by keyboard: Enter edits one, the file gets them."""

from __future__ import annotations

from pilot import settle as _settle
from textual.widgets import DataTable

from icp_tui.tui.app import create_app


async def test_edit_a_timing_band_by_keyboard(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        for key in ("3", "shift+tab", "right", "tab"):
            await pilot.press(key)
            await _settle(pilot)
        screen = app.screen
        table = screen.query_one("#timing", DataTable)
        # the sample has no [[timing_bands]]: the defaults, with the accounts in each (513 + 877 + 602 = 1,992;
        # 8 accounts have no timing data at all)
        assert [tuple(str(c) for c in table.get_row_at(i)[:4]) for i in range(3)] == [
            ("60", "Now", "1", "513"), ("30", "Soon", "2", "877"), ("0", "Later", "3", "602")]
        table.focus()
        table.move_cursor(row=1)
        await _settle(pilot)
        assert "Soon · timing 30+ · grade digit 2" in str(screen.query_one("#timing-detail").render())
        await pilot.press("enter")
        await _settle(pilot)
        await pilot.press("end", "backspace", "backspace", "2", "5", "enter")
        await _settle(pilot)
        assert [b.min for b in screen.session.scorecard.timing_bands] == [60, 25, 0]
        await pilot.press("ctrl+s")
        await _settle(pilot)
    text = (workshop / "scorecard.toml").read_text(encoding="utf-8")
    assert '[[timing_bands]]\nmin = 25\nlabel = "Soon"\n' in text
