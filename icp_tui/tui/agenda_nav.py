"""Moving through the workshop's agenda: ``>`` and ``<`` save where the room is and open that step's screen."""

from __future__ import annotations

from textual.app import App

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.agenda import save_agenda_position
from icp_tui.tui.widgets.step_bar import StepBar


def move_step(app: App, delta: int) -> None:
    ws = getattr(app, "workshop", None)
    if ws is None:
        return
    if ws.agenda.index is not None and len(app.screen_stack) <= 2:  # on home: back into the step the room is at
        open_step(app, ws.agenda.current)
        return
    agenda = ws.agenda.moved(delta)
    if agenda.current == ws.agenda.current and ws.agenda.index is not None:
        app.notify("That is the last step." if delta > 0 else "That is the first step.", timeout=3)
        return
    try:
        save_agenda_position(ws.manifest, agenda)
    except (IcpError, OSError) as e:
        app.notify(f"The step is not saved: {e}", severity="error", timeout=8)
    ws.agenda = agenda
    open_step(app, agenda.current)
    for screen in app.screen_stack:
        for bar in screen.query(StepBar):
            bar.show_step()


def open_step(app: App, step: str) -> None:
    """The screen of an agenda step, opened from home (whatever was open before is closed)."""
    from icp_tui.tui.workbenches import maturity_screen

    ws = app.workshop  # type: ignore[attr-defined]
    while len(app.screen_stack) > 2:
        app.pop_screen()
    if step == "participants":
        from icp_tui.tui.screens.shell.participants import ParticipantsScreen

        app.push_screen(ParticipantsScreen(ws))
    elif step == "maturity":
        app.push_screen(maturity_screen(ws))
    elif step in ("lists", "disagreement", "tal"):
        from icp_tui.tui.screens.alignment.workbench import AlignmentScreen

        app.push_screen(AlignmentScreen(ws, {"lists": "lists", "disagreement": "disagree", "tal": "tal"}[step]))
    elif step == "scorecard":
        from icp_tui.tui.screens.scorecard.editor import ScorecardScreen

        app.push_screen(ScorecardScreen(ws))
    elif step == "decisions":
        from icp_tui.tui.screens.shell.decisions import DecisionsScreen

        app.push_screen(DecisionsScreen(ws))
    elif step == "report":
        from icp_tui.tui.screens.shell.report_view import ReportScreen

        app.push_screen(ReportScreen(ws))
