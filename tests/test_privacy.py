"""Private then reveal: self-assessments and lists as counts until the facilitator reveals them; leaders by function."""

from __future__ import annotations

import shutil

import pytest
from pilot import settle

from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.maturity.assessment import load_response, save_response, score
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.maturity.report import labels
from icp_tui.engine.workshop.manifest import Workshop

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    with open(folder / "workshop.toml", "a") as fh:
        fh.write("\n[agenda]\nprivate = true\n")
    return folder


def second_sales_leader(folder) -> None:
    r = load_response(folder / "assessments" / "sales.toml")
    r.respondent = "Dana Reyes"
    save_response(r, folder / "assessments" / "sales_2.toml")


def test_labels_with_and_without_names(tmp_path):
    q = default_questionnaire()
    rs = [load_response(f"sample_data/assessments/{n}.toml") for n in ("sales", "finance")]
    twin = load_response("sample_data/assessments/sales.toml")
    twin.respondent, twin.path = "Dana Reyes", tmp_path / "x.toml"
    anon = load_response("sample_data/assessments/product.toml")
    anon.respondent, anon.function, anon.path = "", "", tmp_path / "y.toml"
    results = [score(q, r) for r in (*rs, twin, anon)]
    assert labels(results) == ["Marcus Lee (Sales)", "Elena Rossi (Finance)", "Dana Reyes (Sales)", "Leader 4"]
    assert labels(results, names=False) == ["Sales 1", "Finance", "Sales 2", "Leader 4"]


@pytest.mark.parametrize("text, error", [
    ("private = 1\n", "agenda.private: must be true or false"),
    ('revealed = ["tal"]\n', "agenda.revealed: must list what is revealed, from: maturity, lists"),
    ('names = "no"\n', "agenda.names: must be true or false"),
])
def test_bad_privacy_keys(ws, text, error):
    manifest = ws / "workshop.toml"
    manifest.write_text(manifest.read_text().replace("private = true\n", text))
    with pytest.raises(WorkshopError) as e:
        Workshop.load(ws)
    assert str(e.value).endswith(error)


async def test_maturity_hidden_then_revealed_then_by_function(ws):
    from textual.widgets import DataTable

    from icp_tui.tui.app import create_app

    second_sales_leader(ws)
    app = create_app(ws, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)
        screen = app.screen
        text = str(screen.query_one("#cmp-summary").render())
        assert text.startswith("6 leaders answered (Customer Success, Finance, Marketing, Product, Sales)")
        assert "Marcus" not in text and not screen.query_one("#cmp-grid").display
        await pilot.press("r")
        await settle(pilot)
        assert Workshop.load(ws).agenda.revealed == ("maturity",)
        grid = app.screen.query_one("#cmp-grid", DataTable)
        assert grid.display
        assert [str(c.label) for c in grid.columns.values()] == ["Dimension", "CS", "Finance", "Marketing", "Product",
                                                                 "Sales 1", "Sales 2", "Range"]
        assert "Marcus Lee (Sales) 2" in str(app.screen.query_one("#cmp-summary").render())
        await pilot.press("m")
        await settle(pilot)
        summary = str(app.screen.query_one("#cmp-summary").render())
        assert "Marcus" not in summary and "Sales 1 2" in summary and "Sales 2 2" in summary
        assert Workshop.load(ws).agenda.names is False
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.labels[-2:] == ["Sales 1", "Sales 2"]  # the drill-down by function too


async def test_lists_hidden_until_revealed(ws):
    from icp_tui.tui.app import create_app
    from icp_tui.tui.widgets.function_pane import FunctionPane

    app = create_app(ws, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("2")
        await settle(pilot)
        panes = list(app.screen.query(FunctionPane))
        assert [str(p.query_one(".pane-title").render()) for p in panes] == [
            "Sales 62", "Marketing 74", "Customer Success 50", "Product 56", "Finance 48"]
        assert all(p.entries.option_count == 1 for p in panes)
        assert "5 of 5 functions sent a list" in str(app.screen.query_one("#tal-summary").render())
        await pilot.press("r")
        await settle(pilot)
        assert panes[0].entries.option_count == 62
        assert Workshop.load(ws).agenda.revealed == ("lists",)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_private_maturity_snapshot(snap_compare, ws, size):
    from icp_tui.tui.app import create_app

    async def run(pilot):
        await settle(pilot)
        await pilot.press("1")
        await settle(pilot)

    assert snap_compare(create_app(ws, remember_workshop=False), terminal_size=size, run_before=run)
