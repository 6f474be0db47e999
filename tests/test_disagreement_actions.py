"""Disagreement the room can act on: lists keep their owners' headers, undoable list edits, repeated entries flagged,
a suggested match's candidates to choose from, groups opened in full, TAL exports with parked and excluded."""

from __future__ import annotations

import shutil

import pytest
from pilot import settle

from icp_tui.engine.alignment.lists import Entry, list_to_csv, read_function_list
from icp_tui.engine.alignment.matching import Match, choices_for, repeats
from icp_tui.engine.alignment.report import group_text
from icp_tui.engine.alignment.tal import DecisionsFile
from icp_tui.engine.workshop.alignment_session import AlignmentSession
from icp_tui.engine.workshop.manifest import Workshop


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    return folder


def test_a_list_keeps_its_headers_and_other_columns(tmp_path):
    f = tmp_path / "sales.csv"
    f.write_text("Priority,Account to target,Owner,Why\n1,Acme,sam,big\n2,Birch,jo,=cmd\n", encoding="utf-8")
    fl = read_function_list(f, "Sales")
    assert (fl.headers, fl.columns) == (["Priority", "Account to target", "Owner", "Why"],
                                        {"company": "Account to target", "rank": "Priority", "reason": "Why"})
    fl.entries.append(Entry("Cobalt", 3))
    fl.entries[0].website = "acme.com"  # a field the file had no column for: added at the end
    assert list_to_csv(fl).splitlines() == ["Priority,Account to target,Owner,Why,Website", "1,Acme,sam,big,acme.com",
                                            "2,Birch,jo,'=cmd,", "3,Cobalt,,,"]


def test_a_list_without_a_header_row_gets_ours(tmp_path):
    f = tmp_path / "names.csv"
    f.write_text("Acme\nBirch\n", encoding="utf-8")
    assert list_to_csv(read_function_list(f, "Sales")).splitlines() == ["Company,Website,Rank,Reason", "Acme,,,", "Birch,,,"]


def m(entry: str, account: int | None) -> Match:
    return Match(entry, entry.lower(), "", account, "matched" if account is not None else "new", "name", 100.0, "")


def test_repeats_by_account_or_name():
    rows = [m("Acme", 4), m("Birch", 7), m("acme.com", 4), m("New Co", None), m("new co", None), m("", None)]
    assert repeats(rows) == [None, None, 0, None, 3, None]


def test_removing_an_entry_is_undone_with_the_file(ws):
    s = AlignmentSession(Workshop.load(ws))
    before = (ws / "lists" / "sales.csv").read_text(encoding="utf-8")
    assert s.remove(0, 0) == "Zamimo Apps Corp"
    assert (ws / "lists" / "sales.csv").read_text(encoding="utf-8") != before
    s.move(0, 3, -1)
    assert s.undo() and s.last_undone == "the last change to Sales's list"
    assert s.undo()
    assert (ws / "lists" / "sales.csv").read_text(encoding="utf-8") == before
    assert [e.text for e in s.lists[0].entries][:2] == ["Zamimo Apps Corp", "Altair Labs Ltd"]
    assert not s.undo()


def test_candidates_of_a_suggested_match(ws):
    s = AlignmentSession(Workshop.load(ws))
    u = s.ctx.universe
    tandem = next(x for x in s.alignment.matches["Sales"] if x.entry == "tandem co.")
    assert [(u.names[i], score) for i, score in choices_for(tandem, u)] == [("Tandem Co.", 100.0), ("The Tandem Company", 100.0)]
    falcon = next(x for x in s.alignment.matches["Marketing"] if x.entry == "Falconleaf Systems")
    names = [u.names[i] for i, _ in choices_for(falcon, u)]
    assert names[0] == "Falconhaven Systems Corp" and "Falconleaf Tools" in names  # the suggested one first
    choices = s.match_choices(falcon)
    assert choices[0][1] == "Falconhaven Systems Corp" and choices[0][2].startswith("81% alike")
    # the room says it is the other one: remembered by its id
    other = next(i for i, name, _ in choices if name == "Falconleaf Tools")
    s.settle_match(falcon, True, other)
    assert DecisionsFile.load(ws / "decisions.toml").matches == {"falconleaf systems": str(u.ids[other])}
    again = next(x for x in s.alignment.matches["Marketing"] if x.entry == "Falconleaf Systems")
    assert (again.status, u.names[again.account]) == ("matched", "Falconleaf Tools")


def test_groups_in_full_with_the_reasons(ws):
    s = AlignmentSession(Workshop.load(ws))
    title, text = group_text(s.alignment, "contested", 2)
    assert title == "Contested accounts (78)"
    assert text.splitlines()[:3] == [
        "The Blue Collective GmbH  ·  fit 95 (Strong fit)",
        "    why contested: ranked 6 by Product, 47 by Sales",
        "    proposed by Sales (rank 47: Competitor contract up for renewal), Customer Success (rank 36: Same stack as "
        "our happiest accounts), Product (rank 6: Design partner candidate)"]
    assert group_text(s.alignment, "consensus", 2)[0] == "Consensus: proposed by 2 or more functions (67)"
    assert group_text(s.alignment, "orphans", 2)[0] == "Orphans: proposed by one function only (115)"


def test_export_holds_the_parked_and_excluded_with_reasons(ws):
    s = AlignmentSession(Workshop.load(ws))
    key = next(r.proposal.key for r in s.tal.rows if r.proposal.name == "Acme Inc.")
    s.decide(key, "park", "Wait for the renewal")
    rows = s.export().read_text(encoding="utf-8").splitlines()
    assert len(rows) == 1 + len(s.tal.members) + 1
    assert rows[-1].startswith("ACC-00018,Acme Inc.,Tier 1,parked,") and rows[-1].endswith(",park,Wait for the renewal,,")  # note, holdout


async def test_by_keyboard_delete_undo_pick_and_open_a_group(ws):
    from icp_tui.tui.app import create_app
    from icp_tui.tui.screens.alignment.match_picker import MatchPicker
    from icp_tui.tui.screens.alignment.paste import PasteScreen
    from icp_tui.tui.screens.dialogs.text_view import TextScreen

    app = create_app(ws, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        screen = app.screen
        s = screen.session
        await pilot.press("delete")  # asks nothing
        await pilot.pause()
        assert len(s.lists[0].entries) == 61
        await pilot.press("u")
        await pilot.pause()
        assert len(s.lists[0].entries) == 62 and s.lists[0].entries[0].text == "Zamimo Apps Corp"
        # paste a company already on the list: flagged
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, PasteScreen)
        app.screen.query_one("TextArea").text = "Zamimo Apps Corp\nBrand New Co"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert repeats(s.alignment.matches["Sales"])[-2:] == [0, None]
        assert "=1" in str(screen.query_one("#pane-0 .pane-title").render())
        # a suggested match: Enter shows the accounts it could be
        row = next(i for i, x in enumerate(s.alignment.matches["Sales"]) if x.entry == "tandem co.")
        screen.query_one("#pane-list-0").highlighted = row
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MatchPicker)
        await pilot.press("down", "enter")  # the second one: The Tandem Company
        await settle(pilot)
        chosen = s.alignment.matches["Sales"][row]
        assert (chosen.status, s.ctx.universe.names[chosen.account]) == ("matched", "The Tandem Company")
        # Disagreement: Enter on a group opens all of it
        await pilot.press("f3")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, TextScreen)
