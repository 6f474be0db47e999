"""Scorecard edits not saved belong to the app, not to a screen.

The app keeps one :class:`ScorecardSession` per workshop folder while it holds edits not saved: leaving the
Scorecard step (``<``/``>``, Escape, another workbench) and coming back shows the same edits with their undo
history. A session whose document is as saved is let go when its screen closes (the next visit reads the files
as they are then). Quitting lists what is kept and can save it.
"""

from __future__ import annotations

from pathlib import Path

from textual.app import App

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.scorecard_session import ScorecardSession

KEY = "scorecard:"  # app.unsaved keys of the kept sessions: KEY + workshop folder


def _kept(app: App) -> dict[Path, ScorecardSession]:
    kept = getattr(app, "scorecards", None)
    return kept if kept is not None else {}  # an app that keeps none (the assessment app) forgets them


def _root(workshop: Workshop) -> Path:
    return workshop.root.resolve()


def kept_session(app: App, workshop: Workshop) -> ScorecardSession | None:
    """The session with edits not saved the app keeps for ``workshop``, if any."""
    s = _kept(app).get(_root(workshop))
    return s if s is not None and s.editor.dirty else None


def keep(app: App, session: ScorecardSession) -> None:
    if session.workshop is not None:
        _kept(app)[_root(session.workshop)] = session


def release(app: App, session: ScorecardSession) -> None:
    """Its screen closed: a session as saved is let go, one with edits is kept (and the room told so)."""
    if session.workshop is None:
        return
    if n := session.unsaved_edits():
        if app.return_code is None:  # not quitting
            app.notify(f"{n} scorecard edit{'s' if n != 1 else ''} not saved: kept until saved (Ctrl+S on the "
                       "Scorecard) or discarded on quitting.", timeout=5)
        return
    root = _root(session.workshop)
    if _kept(app).get(root) is session:
        del _kept(app)[root]


def unsaved_sessions(app: App) -> list[ScorecardSession]:
    return [s for s in _kept(app).values() if s.editor.dirty]


def unsaved_line(app: App, s: ScorecardSession) -> str:
    """``Scorecard: 3 edits not saved (scorecard.toml)``; another workshop's is named."""
    n = s.unsaved_edits()
    ws = s.workshop
    current = getattr(app, "workshop", None)
    of = f" of {ws.name}" if ws is not None and (current is None or _root(current) != _root(ws)) else ""
    return f"Scorecard{of}: {n} edit{'s' if n != 1 else ''} not saved ({s.path.name})"


def mark(app: App, s: ScorecardSession) -> str:
    """Tell the app whether ``s`` has edits not saved; returns the mark for a title ("● 3 unsaved" or "")."""
    key = KEY + str(_root(s.workshop)) if s.workshop is not None else KEY
    n = s.unsaved_edits()
    if n and hasattr(app, "mark_unsaved"):
        app.mark_unsaved(key, unsaved_line(app, s))
    elif hasattr(app, "mark_saved"):
        app.mark_saved(key)
    return f"● {n} unsaved" if n else ""


def save_all(app: App) -> str:
    """Save every kept session with edits (through its own save); the first error's words, or ""."""
    for s in unsaved_sessions(app):
        try:
            s.save()
        except (IcpError, OSError) as e:
            return f"The scorecard is not saved: {e}"
        mark(app, s)
    return ""


def other_unsaved(app: App) -> list[str]:
    """What else the app marked as not saved (column choices, answers), without the kept scorecards."""
    return [d for k, d in getattr(app, "unsaved", {}).items() if not k.startswith(KEY)]
