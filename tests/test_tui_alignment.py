"""Alignment workbench: the five panes, the disagreement view and the TAL builder, by keyboard."""

from __future__ import annotations

import pytest
from pilot import IDS, SIZES, workers_done

from icp_tui.engine.alignment.tal import DecisionsFile
from icp_tui.tui.app import create_app
from icp_tui.tui.screens.alignment.workbench import AlignmentScreen


async def _open(pilot, tab: str | None = None) -> None:
    await workers_done(pilot.app)
    await pilot.press("2")
    await workers_done(pilot.app)
    await pilot.pause()
    if tab:
        await pilot.press(tab)
        await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_lists_snapshot(snap_compare, workshop, size):
    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=_open)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_disagreement_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await _open(pilot, "f3")

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_tal_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await _open(pilot, "f4")

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


async def test_add_confirm_and_decide_by_keyboard(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        screen = app.screen
        assert isinstance(screen, AlignmentScreen)
        s = screen.session
        sales = s.lists[0]
        assert (sales.function, len(sales.entries)) == ("Sales", 62)
        # add a company to the Sales list: it is matched by its domain and saved at once
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"https://www.initech.io/pricing", "enter")
        await pilot.pause()
        assert len(sales.entries) == 63 and sales.entries[-1].rank == 63
        assert s.alignment.matches["Sales"][-1].reason == "same domain initech.io"
        saved = (workshop / "lists" / "sales.csv").read_text(encoding="utf-8").splitlines()
        assert saved[0] == "Company,Rank,Reason" and saved[-1] == "https://www.initech.io/pricing,63,"  # its own headers kept
        # a suggested match on the Sales list: move to it and confirm it with y
        row = next(i for i, m in enumerate(s.alignment.matches["Sales"]) if m.entry == "tandem co.")
        assert s.alignment.matches["Sales"][row].status == "confirm"
        screen.query_one("#pane-list-0").highlighted = row
        await pilot.press("y")
        await pilot.pause()
        m = s.alignment.matches["Sales"][row]
        assert (m.status, m.method) == ("matched", "decision")
        suggested = s.ctx.universe.ids[m.account]
        assert DecisionsFile.load(workshop / "decisions.toml").matches == {"tandem": suggested}
        # exclude Acme Inc. from the TAL with a reason, then undo
        await pilot.press("f4")
        await pilot.pause()
        assert s.tal.rows[0].proposal.name == "Acme Inc."
        await pilot.press("x")
        await pilot.pause()
        await pilot.press(*"Already in a late-stage deal", "enter")
        await pilot.pause()
        row0 = s.tal.rows[0] if s.tal.rows[0].proposal.name == "Acme Inc." else next(
            r for r in s.tal.rows if r.proposal.name == "Acme Inc.")
        assert (row0.status, row0.decision.reason) == ("excluded", "Already in a late-stage deal")
        assert DecisionsFile.load(workshop / "decisions.toml").decisions["acc:ACC-00018"].action == "exclude"
        await pilot.press("u")
        await pilot.pause()
        assert "acc:ACC-00018" not in DecisionsFile.load(workshop / "decisions.toml").decisions
        # raise the vote threshold: fewer accounts proposed
        before = len(s.tal.members)
        await pilot.press("plus")
        await pilot.pause()
        assert s.file.rule.min_votes == 3 and len(s.tal.members) < before
        # export: CSV for the CRM and TOML for the workshop
        await pilot.press("e")
        await pilot.pause()
        rows = (workshop / "tal.csv").read_text(encoding="utf-8").splitlines()
        assert rows[0].startswith("account_id,name,tier,status,fit_score") and len(rows) == len(s.tal.members) + 1
        import tomlkit

        doc = tomlkit.parse((workshop / "tal.toml").read_text(encoding="utf-8"))
        assert doc["rule"]["min_votes"] == 3 and len(doc["accounts"]) == len(s.tal.members)
        assert doc["accounts"][0]["name"] == "Acme Inc." and doc["accounts"][0]["account"] == "ACC-00018"


async def test_paste_and_rerank(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _open(pilot)
        s = app.screen.session
        await pilot.press("tab")  # the Marketing pane
        await pilot.pause()
        await pilot.press("v")
        await pilot.pause()
        app.screen.query_one("TextArea").text = "Acme Inc.\nNew Company One\n\nglobex.com"
        await pilot.press("ctrl+s")
        await pilot.pause()
        marketing = s.lists[1]
        assert [e.text for e in marketing.entries[-3:]] == ["Acme Inc.", "New Company One", "globex.com"]
        assert [m.status for m in s.alignment.matches["Marketing"][-3:]] == ["matched", "new", "matched"]
        first = marketing.entries[0].text
        await pilot.press("shift+down")
        await pilot.pause()
        assert (marketing.entries[1].text, marketing.entries[1].rank) == (first, 2)
