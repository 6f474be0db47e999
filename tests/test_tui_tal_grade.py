"""The TAL tab by priority grade: g orders the TAL by grade (then fit) and back by votes, by keyboard."""

from __future__ import annotations

import pytest
from pilot import IDS, SIZES, workers_done
from textual.widgets import DataTable

from icp_tui.tui.app import create_app
from icp_tui.tui.widgets.tal_table import TAL_HEADS


async def _tal(pilot) -> None:
    for key in ("2", "f4"):
        await workers_done(pilot.app)
        await pilot.press(key)
        await pilot.pause()
    await workers_done(pilot.app)
    await pilot.pause()


def _rows(table: DataTable, n: int) -> list[tuple[str, str, str]]:
    """(account, fit, grade) of the first n rows."""
    return [tuple(str(c) for c in (table.get_row_at(i)[0], table.get_row_at(i)[2], table.get_row_at(i)[3]))
            for i in range(n)]


async def test_g_orders_the_tal_by_grade_and_back(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _tal(pilot)
        screen = app.screen
        table = screen.query_one("#tal-table", DataTable)
        assert [str(c.label) for c in table.columns.values()] == list(TAL_HEADS)
        by_votes = _rows(table, 12)
        # most votes first: Zaritex GmbH (5 votes, fit 95, A1) comes before the 4-vote accounts with fit 100
        assert by_votes[4] == ("Zaritex GmbH", "95", "A1")
        assert by_votes[10] == ("Lowell & Holt Co.", "88", "A2")
        await pilot.press("g")
        await pilot.pause()
        assert screen.session.order == "grade"
        # by grade, then fit: the A1 accounts with fit 100 first (5 votes before 4), Zaritex (A1, 95) after them
        rows = _rows(table, 12)
        assert rows[:6] == [("Acme Inc.", "100", "A1"), ("Cevovia LLC", "100", "A1"), ("Globex Corporation", "100", "A1"),
                            ("Terkamo Cloud LLC", "100", "A1"), ("Altair Labs Ltd", "100", "A1"), ("Summitridge", "100", "A1")]
        assert all(g == "A1" for _, _, g in rows)
        assert table.cursor_row == 0
        codes = [r.proposal.grade_rank if r.proposal.grade_rank is not None else 1 << 30 for r in screen.session.tal.rows]
        assert codes == sorted(codes)
        await pilot.press("g")
        await pilot.pause()
        assert screen.session.order == "votes"
        assert _rows(table, 12) == by_votes


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_tal_by_grade_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await _tal(pilot)
        await pilot.press("g")
        await pilot.pause()
        await pilot.press("down", "down")
        await pilot.pause()

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)
