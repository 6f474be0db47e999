"""The analysis screen's segment profiles and Tier 3 anti-persona: the picked segment, saving it as a named
profile (segments.toml), the saved profiles, and the anti-persona proposed from the customer tiers.

Functions of the :class:`~icp_tui.tui.screens.scorecard.analysis.AnalysisScreen` they are given; the rules
are the engine's (:mod:`icp_tui.engine.history.segment_profiles`, :mod:`icp_tui.engine.history.tier_antipersona`).
"""

from __future__ import annotations

from pathlib import Path

from icp_tui.engine.core.errors import IcpError

MARK = "▶"
TIER_HINT = ["", "  a proposes an anti-persona: what Tier 3 customers share and Tier 1 customers do not"]


def profiles_file(session) -> Path | None:
    from icp_tui.engine.history.segment_profiles import profiles_path

    return profiles_path(session.workshop, session.path)


def saved_lines(session) -> list[str]:
    """The saved profiles and the accounts that fit each best, or why they cannot be read."""
    from icp_tui.engine.history.segment_profiles import best_profile, load_profiles, profile_lines

    path = profiles_file(session)
    if path is None or not path.is_file():
        return [f"  No saved segment profiles yet ({path.name if path else 'segments.toml'})."]
    try:
        found = load_profiles(path)
    except IcpError as e:
        return [f"  Saved segment profiles: {path.name}", f"  note: cannot read it: {e}"]
    if not found.profiles:
        return [f"  No saved segment profiles yet ({path.name})."]
    fit = best_profile(session.scorer, found.profiles) if session.scorer is not None else None
    return profile_lines(found, fit)


def decorate_segments(screen) -> None:
    """The Segments tab's report with the picked segment marked, the keys, and the saved profiles."""
    n = screen.picked
    lines = [MARK + line[1:] if line.startswith((f"  segment {n} ", f"  segment {n}:")) else line
             for line in screen.lines.get("segments", [])]
    hint = f"  {MARK} segment {n} is picked: [ and ] pick another, s saves it as a named profile"
    screen.lines["segments"] = lines + ["", hint, ""] + saved_lines(screen.session)


def pick(screen, delta: int) -> None:
    if screen.segments is None:
        return
    k = len(screen.segments.segments)
    screen.picked = (screen.picked - 1 + delta) % k + 1
    screen.show_segments(screen.segments)


def ask_save(screen) -> None:
    """s: a name for the picked segment, then it is saved in segments.toml."""
    from icp_tui.tui.screens.dialogs.prompt import PromptScreen

    if screen.segments is None:
        screen.notify("The segments are not ready yet.", severity="warning")
        return
    n = screen.picked
    path = profiles_file(screen.session)

    def done(name: str | None) -> None:
        if name is None or not name.strip():
            return
        from icp_tui.engine.history.segment_profiles import save_profile

        try:
            saved, replaced = save_profile(path, name, screen.segments, n)
        except (IcpError, OSError) as e:
            screen.notify(str(e), severity="error", timeout=8)
            return
        screen.notify(f"Segment {n} saved as '{name.strip()}' in {saved.name}" + (" (replaced)" if replaced else ""))
        screen.show_segments(screen.segments)

    screen.app.push_screen(PromptScreen(f"Save segment {n} as a named profile", placeholder="e.g. Mid-market SaaS",
                                        hint=f"Enter saves it in {path.name if path else 'segments.toml'}; "
                                             "the same name replaces it. Escape cancels."), done)


def propose(screen) -> None:
    """a: the anti-persona the customer tiers suggest, added to the scorecard when confirmed (one undoable edit)."""
    from icp_tui.engine.history.tier_antipersona import propose_anti_persona
    from icp_tui.tui.screens.scorecard.anti_persona_dialog import AntiPersonaScreen

    session = screen.session
    if screen.frame is None or screen.tiers is None or session.scorer is None:
        screen.notify("No customer tiers: the workshop needs accounts and deals.", severity="warning")
        return
    try:
        p = propose_anti_persona(screen.frame, screen.tiers, session.scorer,
                                 taken=tuple(r.name for r in session.scorecard.anti_personas),
                                 existing=tuple(session.scorecard.anti_personas))
    except IcpError as e:
        screen.notify(f"No anti-persona to propose: {e}", severity="warning", timeout=8)
        return

    def done(add: bool | None) -> None:
        if not add:
            return
        try:
            session.edit("add_rule", "anti_personas", p.name, p.conditions, reason=p.reason)
        except (IcpError, ValueError) as e:
            screen.notify(str(e), severity="error", timeout=8)
            return
        screen.notify(f"Anti-persona '{p.name}' added: ctrl+s in the editor saves it, ctrl+z undoes it.", timeout=6)

    screen.app.push_screen(AntiPersonaScreen(p), done)
