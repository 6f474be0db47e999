"""New workshop and Columns in the app: created and mapped by keyboard, then read with what was chosen."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pilot import workers_done
from textual.widgets import DataTable, Input

from icp_tui.engine.workshop.imports import read_deals_with
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.tui.app import create_app
from icp_tui.tui.screens.shell.home import HomeScreen
from icp_tui.tui.screens.shell.mapping import FieldPicker, MappingScreen
from icp_tui.tui.screens.shell.new_workshop import NewWorkshopScreen

DATA = Path(__file__).parent / "data"
SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def crm(tmp_path) -> Path:
    """A copy of the CRM-export workshop (its files one folder up, as in tests/data)."""
    shutil.copytree(DATA / "crm_exports", tmp_path / "crm_exports")
    shutil.copytree(DATA / "crm_workshop", tmp_path / "crm_workshop")
    return tmp_path / "crm_workshop"


async def _loaded(pilot) -> None:
    await workers_done(pilot.app)
    await pilot.pause()


async def _pick(pilot, row: int, field_index: int) -> None:
    """On the Columns table, choose field number ``field_index`` of the picker for row ``row``."""
    table = pilot.app.screen.query_one(DataTable)
    table.move_cursor(row=row)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(pilot.app.screen, FieldPicker)
    await pilot.press("home", *["down"] * field_index, "enter")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_columns_snapshot(snap_compare, size):
    async def open_deals(pilot):
        await _loaded(pilot)
        await pilot.press("c")
        await pilot.pause()
        await pilot.press("right_square_bracket")
        await pilot.pause()

    app = create_app(DATA / "crm_workshop", remember_workshop=False)
    assert snap_compare(app, terminal_size=size, run_before=open_deals)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_new_workshop_snapshot(snap_compare, size):
    app = create_app(new_in=Path("tests/data/crm_exports"), remember_workshop=False)
    assert snap_compare(app, terminal_size=size, run_before=_loaded)


async def test_deal_columns_mapped_in_the_app_are_saved_and_read(crm):
    app = create_app(crm, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, MappingScreen)
        assert screen.session is not None and screen.session.kind == "accounts"
        await pilot.press("right_square_bracket")
        await pilot.pause()
        s = screen.session
        assert s is not None and s.kind == "deals"
        assert [c.header for c in s.report.columns] == ["Opp #", "Client", "Opp Result", "Booked (USD)", "Opened On",
                                                         "Signed On", "Owner"]
        assert s.report.mapping() == {"account_name": "Client", "stage": "Opp Result"}
        # deal fields in order: deal_id, deal_name, account_id, account_name, domain, stage, amount, created, closed
        await _pick(pilot, 3, 6)
        await _pick(pilot, 4, 7)
        await _pick(pilot, 5, 8)
        await _pick(pilot, 0, 0)
        assert s.dirty and app.unsaved == {"mapping": "column choices (Columns)"}
        assert s.report.mapping() == {"deal_id": "Opp #", "account_name": "Client", "stage": "Opp Result",
                                      "amount": "Booked (USD)", "created": "Opened On", "closed": "Signed On"}
        await pilot.press("ctrl+s")
        await _loaded(pilot)
        assert not s.dirty and app.unsaved == {}
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
    text = (crm / "workshop.toml").read_text(encoding="utf-8")
    assert text.startswith("# A workshop over raw CRM exports")  # the hand-written comment survives
    assert text.endswith('[import.deals.columns]\n"Booked (USD)" = "amount"\n"Opened On" = "created"\n'
                         '"Signed On" = "closed"\n"Opp #" = "deal_id"\n')
    ws = Workshop.load(crm)
    deals = read_deals_with(ws.file("deals"), ws.settings("deals"))
    f = deals.frame
    assert deals.outcome_counts() == {"won": 4, "lost": 4, "open": 1}
    assert f.loc[f.outcome == "won", "amount"].sum() == 44_000
    assert f.loc[f.outcome == "lost", "amount"].sum() == 142_500
    assert str(f["created"].iloc[0].date()) == "2024-01-13" and str(f["closed"].iloc[2].date()) == "2024-05-01"


async def test_a_choice_can_be_undone_and_unsaved_choices_are_warned(crm):
    app = create_app(crm, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await _loaded(pilot)
        await pilot.press("c")
        await pilot.pause()
        s = app.screen.session
        await _pick(pilot, 6, 15)  # 'Created By' -> not read (the 16th option after 15 accounts fields)
        assert s.overrides == {"Created By": "ignore"}
        await _pick(pilot, 1, 16)  # 'Web' -> as guessed: nothing to forget, still domain
        assert s.report.mapping()["domain"] == "Web"
        await _pick(pilot, 0, 15)  # 'Acct' not read: the name is then not found
        assert "name" in s.report.missing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MappingScreen)  # the first escape warns
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen) and app.unsaved == {}
    assert "[import" not in (crm / "workshop.toml").read_text(encoding="utf-8")


async def test_new_workshop_from_the_home_screen(tmp_path, sample_dir):
    exports = DATA / "crm_exports"
    app = create_app(sample_dir, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("n")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, NewWorkshopScreen)
        form.query_one("#new-folder", Input).value = str(tmp_path / "acme")
        form.query_one("#new-accounts", Input).value = str(exports / "accounts_export.csv")
        form.query_one("#new-deals", Input).value = str(exports / "opportunities.csv")
        form.query_one("#new-lists", Input).value = f"Sales={exports / 'sales.csv'}; Marketing={exports / 'nope.csv'}"
        await pilot.pause()
        assert form.problem == f"Marketing list file {exports / 'nope.csv'} is not there"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, NewWorkshopScreen)  # refused: nothing made
        assert not (tmp_path / "acme").exists()
        form.query_one("#new-lists", Input).value = f"Sales={exports / 'sales.csv'}"
        form.query_one("#new-organisation", Input).focus()
        await pilot.press(*"Acme", "enter")  # Enter on the last field creates
        await _loaded(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert app.workshop.root == (tmp_path / "acme").resolve() and app.workshop.organisation == "Acme"
        assert [f.label for f in app.screen.files] == ["Accounts", "Deal history", "Scorecard", "Sales list", "Assessments"]
        assert app.screen.files[3].detail == "3 accounts proposed"
    made = sorted(str(p.relative_to(tmp_path / "acme")) for p in (tmp_path / "acme").rglob("*"))
    assert made == ["assessments", "data", "data/accounts.csv", "data/deals.csv", "lists", "lists/sales.csv",
                    "scorecard.toml", "workshop.toml"]
    assert (tmp_path / "acme" / "data" / "deals.csv").read_bytes() == (exports / "opportunities.csv").read_bytes()


async def test_open_on_a_folder_without_a_workshop_offers_the_form(tmp_path):
    folder = tmp_path / "exports"
    shutil.copytree(DATA / "crm_exports", folder)
    app = create_app(new_in=folder, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        form = app.screen
        assert isinstance(form, NewWorkshopScreen)
        values = form.read()
        assert values["folder"] == str(folder)
        assert values["accounts"] == str(folder / "accounts_export.csv")
        assert values["deals"] == str(folder / "opportunities.csv")
        assert values["lists"] == f"Sales={folder / 'sales.csv'}"
        await pilot.press("ctrl+s")
        await _loaded(pilot)
        assert isinstance(app.screen, HomeScreen)
    ws = Workshop.load(folder)  # the files were inside the folder already: named where they are
    assert ws.file("accounts") == folder / "accounts_export.csv" and ws.lists[0].path == folder / "sales.csv"


async def test_cancelling_the_form_of_icp_open_leaves(tmp_path):
    app = create_app(new_in=tmp_path / "empty", remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("escape")
        await pilot.pause()
    assert app.return_code == 0 and not (tmp_path / "empty").exists()


async def test_units_and_stages_set_in_the_app(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    (ws / "accounts.csv").write_text("Company,Revenue\nAcme,12.5\nGlobex,300\nInitech,0.8\nHooli,45\nSoylent,7\n", encoding="utf-8")
    (ws / "deals.csv").write_text("Company,Result,Value\nAcme,Signed,10\nGlobex,Walked away,20\nInitech,signed,5\n"
                                  "Hooli,Pipeline,7\nSoylent,Closed Lost,3\n", encoding="utf-8")
    (ws / "workshop.toml").write_text('# mine\n[files]\naccounts = "accounts.csv"\ndeals = "deals.csv"\n', encoding="utf-8")
    app = create_app(ws, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await _loaded(pilot)
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        s = screen.session
        screen.query_one(DataTable).move_cursor(row=1)  # Revenue -> annual_revenue
        await pilot.press("u", "u")
        assert s.units == {"annual_revenue": "millions"}
        await pilot.press("u", "u", "u")  # billions, percent, back to none
        assert s.units == {}
        await pilot.press("u", "u")
        await pilot.press("right_square_bracket")  # unsaved: warned, not switched
        assert screen.session is s
        await pilot.press("ctrl+s")
        await _loaded(pilot)
        await pilot.press("right_square_bracket")
        await pilot.pause()
        d = screen.session
        assert d.kind == "deals"
        assert [(r.stage, r.deals, r.outcome) for r in d.stages()] == [
            ("Signed", 2, None), ("Walked away", 1, None), ("Pipeline", 1, "open"), ("Closed Lost", 1, "lost")]
        await pilot.press("o")
        await pilot.pause()
        await pilot.press("enter")  # Signed
        await pilot.pause()
        await pilot.press("home", "enter")  # won
        await pilot.pause()
        await pilot.press("down", "enter")  # Walked away
        await pilot.pause()
        await pilot.press("home", "down", "enter")  # lost
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert [r.outcome for r in d.stages()] == ["won", "lost", "open", "lost"]
        await pilot.press("ctrl+s")
        await _loaded(pilot)
    assert (ws / "workshop.toml").read_text(encoding="utf-8") == (
        '# mine\n[files]\naccounts = "accounts.csv"\ndeals = "deals.csv"\n\n'
        '[import.accounts.units]\nannual_revenue = "millions"\n\n'
        '[import.deals.stages]\nSigned = "won"\n"Walked away" = "lost"\n')
    loaded = Workshop.load(ws)
    deals = read_deals_with(loaded.file("deals"), loaded.settings("deals"))
    assert deals.outcome_counts() == {"won": 2, "lost": 2, "open": 1} and deals.unmapped_stages == {}
    from icp_tui.engine.workshop.imports import read_accounts_with

    acc = read_accounts_with(loaded.file("accounts"), loaded.settings("accounts"))
    assert acc.numbers("annual_revenue").values.tolist() == [12_500_000, 300_000_000, 800_000, 45_000_000, 7_000_000]
    assert acc.unit_doubts() == []


def test_icp_open_without_a_terminal_says_how_to_make_one(tmp_path, capsys):
    from icp_tui.cli.main import main

    assert main(["open", str(tmp_path)]) == 1  # pytest's stdin is not a terminal
    err = capsys.readouterr().err
    assert err == (f"icp: error: {tmp_path}: no workshop.toml here: make one with  icp workshop new {tmp_path} --accounts FILE "
                   "(or run icp open in a terminal to fill in the New workshop form)\n")
    assert list(tmp_path.iterdir()) == []
