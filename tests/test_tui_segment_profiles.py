"""The analysis screen's segment profiles and Tier 3 anti-persona, by keyboard: pick a segment, save it as a
named profile (segments.toml), see the saved profiles; propose an anti-persona from the tiers, refuse it,
accept it (one undoable edit of the scorecard, logged when saved). Snapshots at 80x24 and 120x40."""

from __future__ import annotations

import pytest
from pilot import IDS, SIZES, keys, settle

from icp_tui.engine.history.segment_profiles import load_profiles, profile_conditions
from icp_tui.tui.app import create_app
from icp_tui.tui.screens.dialogs.prompt import PromptScreen
from icp_tui.tui.screens.scorecard.analysis import AnalysisScreen
from icp_tui.tui.screens.scorecard.anti_persona_dialog import AntiPersonaScreen
from icp_tui.tui.screens.scorecard.editor import ScorecardScreen


async def test_pick_and_save_a_segment_then_see_it_listed(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "f4", "f6")
        screen = app.screen
        assert isinstance(screen, AnalysisScreen) and screen.picked == 1
        k = len(screen.segments.segments)
        assert any(line.startswith("▶ segment 1 ") for line in screen.lines["segments"])
        await keys(pilot, "right_square_bracket")
        assert screen.picked == 2
        assert "  ▶ segment 2 is picked: [ and ] pick another, s saves it as a named profile" in screen.lines["segments"]
        await keys(pilot, "left_square_bracket", "left_square_bracket")
        assert screen.picked == k  # 2 -> 1 -> the last one: it wraps around
        await keys(pilot, "right_square_bracket", "right_square_bracket")  # k -> 1 -> 2
        assert screen.picked == 2
        assert not (workshop / "segments.toml").exists()
        assert "  No saved segment profiles yet (segments.toml)." in screen.lines["segments"]
        await keys(pilot, "s")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"Broad market", "enter")
        await settle(pilot)
        assert app.screen is screen
        found = load_profiles(workshop / "segments.toml")
        assert found.names() == ["Broad market"]
        expected = profile_conditions(screen.segments.segments[1])
        assert [m.field for m in found.profiles[0].conditions] == [c["field"] for c in expected]
        listed = [line for line in screen.lines["segments"] if line.startswith("  • Broad market (")]
        assert len(listed) == 1 and "accounts fit it best): employees " in listed[0]
        await keys(pilot, "s", "escape")  # Escape: nothing saved
        assert load_profiles(workshop / "segments.toml").names() == ["Broad market"]


async def test_anti_persona_from_the_tiers_refused_then_added_undoable_and_logged(workshop):
    app = create_app(workshop, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await keys(pilot, "3", "f4", "f7")
        screen = app.screen
        assert isinstance(screen, AnalysisScreen)
        session = screen.session
        assert screen.lines["tiers"][-1] == "  a proposes an anti-persona: what Tier 3 customers share and Tier 1 customers do not"
        await keys(pilot, "s")  # saving a segment is the Segments tab's: nothing opens here
        assert app.screen is screen
        await keys(pilot, "a")
        dialog = app.screen
        assert isinstance(dialog, AntiPersonaScreen)
        # the sample: growth up to 27% and up to 250 employees hold for 11 of 31 Tier 3 customers and 2 of 44 Tier 1
        assert dialog.proposal.conditions == ["growth_rate <= 0.27", "employees <= 250"]
        assert dialog.proposal.tiers == [(1, 2, 44), (2, 2, 32), (3, 11, 31)]
        await keys(pilot, "escape")
        assert app.screen is screen and len(session.scorecard.anti_personas) == 3 and not session.editor.dirty
        await keys(pilot, "a", "y")
        assert app.screen is screen
        rule = session.scorecard.anti_personas[-1]
        assert (rule.name, [m.source for m in rule.conditions]) == ("Like our Tier 3 customers",
                                                                  ["growth_rate <= 0.27", "employees <= 250"])
        assert int(session.result.any_anti.sum()) == 1097  # was 525: the rule flags 821 accounts, some already flagged
        await keys(pilot, "escape")
        editor = app.screen
        assert isinstance(editor, ScorecardScreen) and app.unsaved
        await keys(pilot, "ctrl+z")
        assert len(session.scorecard.anti_personas) == 3 and int(session.result.any_anti.sum()) == 525
        await keys(pilot, "ctrl+y", "ctrl+s")
        assert not app.unsaved
    saved = (workshop / "scorecard.toml").read_text(encoding="utf-8")
    assert saved.startswith("# Starter ICP scorecard for the sample workshop.")
    assert 'name = "Like our Tier 3 customers"' in saved
    assert "add anti-persona Like our Tier 3 customers" in (workshop / "log.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_save_segment_prompt_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await keys(pilot, "3", "f4", "f6", "right_square_bracket", "s")
        await pilot.press(*"Broad market")
        await pilot.pause()

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_saved_segment_profiles_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await keys(pilot, "3", "f4", "f6", "s")
        await pilot.press(*"Core", "enter")
        await settle(pilot)
        pilot.app.clear_notifications()
        await keys(pilot, "end")

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_anti_persona_proposal_snapshot(snap_compare, workshop, size):
    async def run(pilot):
        await keys(pilot, "3", "f4", "f7", "a")
        assert isinstance(pilot.app.screen, AntiPersonaScreen)

    assert snap_compare(create_app(workshop, remember_workshop=False), terminal_size=size, run_before=run)
