"""Snapshots at 80x24 and 120x40 of the screens the other snapshot tests leave out: the scorecard
editor's other tabs, its forms and diff, the analysis tabs, the Columns dialogs and the maturity
dimension picker."""

from __future__ import annotations

from pathlib import Path

import pytest
from pilot import IDS, SIZES
from pilot import keys as _keys

from icp_tui.engine.maturity.assessment import Response, save_response
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.tui.app import create_app
from icp_tui.tui.assess_app import create_assess_app
from icp_tui.tui.screens.dialogs.form import FormScreen
from icp_tui.tui.screens.maturity.dimension_picker import DimensionPicker
from icp_tui.tui.screens.scorecard.analysis import AnalysisScreen
from icp_tui.tui.screens.shell.mapping import FieldPicker, MappingScreen

SAMPLE = Path("sample_data")  # read only, and at the same path every run: the Columns screen shows it


def _snap(snap_compare, workshop, size, *keys: str, check=None) -> bool:
    async def run(pilot):
        await _keys(pilot, *keys)
        if check is not None:
            assert check(pilot.app.screen)

    return snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


# -- the scorecard editor's other tabs (shift+tab to the tabs, arrows across, tab into the table) ----------


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_editor_bands_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "shift+tab", "right", "tab",
                 check=lambda s: s.query_one("#sc-tabs").active == "bands-tab")


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_editor_anti_personas_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "shift+tab", "right", "right", "tab",
                 check=lambda s: s.query_one("#sc-tabs").active == "anti-tab")


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_editor_exclusions_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "shift+tab", "right", "right", "right", "tab",
                 check=lambda s: s.query_one("#sc-tabs").active == "excl-tab")


# -- the editor's forms ("end": the cursor after the value, not the value selected) and diff ------------


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_all_weights_form_snapshot(snap_compare, workshop, size):
    """Ten criteria: at 80x24 the fields fit (one line each) with the check and the keys under them."""
    assert _snap(snap_compare, workshop, size, "3", "w", "end", check=lambda s: isinstance(s, FormScreen))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_criterion_form_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "enter", "end", check=lambda s: isinstance(s, FormScreen))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_diff_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "plus", "f7")


# -- analysis: win/loss, tiers and coverage (segments has its own) ----------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_analysis_win_loss_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "f4", "f5", check=lambda s: isinstance(s, AnalysisScreen))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_analysis_tiers_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "f4", "f7")


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_analysis_coverage_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "f4", "f8")


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_analysis_economics_snapshot(snap_compare, workshop, size):
    assert _snap(snap_compare, workshop, size, "3", "f4", "f9",
                 check=lambda s: isinstance(s, AnalysisScreen) and s.segments is not None)


# -- Columns: the field picker and the deal stages -------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_columns_field_picker_snapshot(snap_compare, size):
    assert _snap(snap_compare, SAMPLE, size, "c", "enter", check=lambda s: isinstance(s, FieldPicker))


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_columns_stages_snapshot(snap_compare, size):
    async def run(pilot):
        await _keys(pilot, "c")
        screen = pilot.app.screen
        assert isinstance(screen, MappingScreen)
        for _ in range(5):  # the next file until the deals file
            if screen.session is not None and screen.session.kind == "deals":
                break
            await _keys(pilot, "right_square_bracket")
        assert screen.session is not None and screen.session.kind == "deals"
        await _keys(pilot, "o")

    assert snap_compare(create_app(SAMPLE, remember_workshop=False), terminal_size=size, run_before=run)


# -- maturity: the dimension picker ------------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_dimension_picker_snapshot(snap_compare, tmp_path, size):
    q = default_questionnaire()
    r = Response.new(q, "Dana", "Marketing", "Northwind Analytics")
    r.date = "2026-11-20"
    r.answers.update({"selection.basis": 2})
    save_response(r, tmp_path / "dana.toml")

    async def run(pilot):
        await _keys(pilot, "d")
        assert isinstance(pilot.app.screen, DimensionPicker)

    assert snap_compare(create_assess_app(q, r), terminal_size=size, run_before=run)
