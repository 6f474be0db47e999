"""The roadmap on the Maturity screen: the line that shows a dimension's target, and the form that sets it.

The checks are the engine's (:func:`engine.maturity.roadmap.check_target`); the form only shows them.
"""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual.screen import Screen

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.maturity.questionnaire import Questionnaire
from icp_tui.engine.maturity.roadmap import (
    Roadmap,
    RoadmapError,
    check_target,
    load_roadmap,
    remove_target,
    roadmap_path,
    save_target,
)
from icp_tui.tui.screens.dialogs.form import FormField, FormScreen

NO_TARGET = "No target"


def load_workshop_roadmap(workshop, q: Questionnaire) -> tuple[Roadmap, str]:
    """The workshop's roadmap, and the error that stops it being read ("" when none; empty without a workshop)."""
    if workshop is None:
        return Roadmap(), ""
    try:
        return load_roadmap(roadmap_path(workshop), q), ""
    except IcpError as e:
        return Roadmap(), str(e)


def target_line(q: Questionnaire, roadmap: Roadmap, error: str, did: str, now: dict[str, int | None]) -> Text:
    """ "Target 3 Developing by 2027-03-31 · Elena Rossi · room now 2" for the highlighted dimension."""
    line = Text(no_wrap=True, overflow="ellipsis")
    if error:
        line.append(f"Roadmap not read: {error}", style="red")
        return line
    t = roadmap.get(did)
    if t is None:
        line.append("No target yet", style="bold")
        line.append(" · t sets a target level, owner and due date", style="dim")
        return line
    line.append(f"Target {t.level} {q.level(t.level).name}", style="bold")
    line.append(f" by {t.due.isoformat()} · {t.owner}")
    level = now.get(did)
    if level is not None:
        line.append(" · reached" if level >= t.level else f" · room now {level}", style="dim")
    return line


def edit_target(screen: Screen, q: Questionnaire, did: str, current: int | None, roadmap: Roadmap,
                saved: Callable[[object], None]) -> None:
    """The form for one dimension's target; on save it is written to the workshop's roadmap file."""
    ws = screen.app.workshop  # type: ignore[attr-defined]
    path = roadmap_path(ws)
    t = roadmap.get(did)
    choices = tuple(f"{lv.level} {lv.name}" for lv in q.levels) + (NO_TARGET,)
    start = t.level if t else min((current or 0) + 1, 4)
    fields = [
        FormField("target", "Target level", choices[start - 1], choices),
        FormField("owner", "Owner (who takes it there)", t.owner if t else "", placeholder="a name, e.g. Elena Rossi"),
        FormField("due", "Due date", t.due.isoformat() if t else "", placeholder="YYYY-MM-DD, e.g. 2027-03-31"),
    ]
    names = [p.name for p in getattr(ws, "participants", [])][:5]
    now = f"the room is at Level {current} now" if current is not None else "no level for the room yet"
    hint = f"{q.dimension(did).name}: {now}." + (f" Participants: {', '.join(names)}." if names else "")

    def check(values: dict[str, str]) -> tuple[str | None, list[str]]:
        if values["target"] == NO_TARGET:
            return None, ["Saving takes this dimension's target off the roadmap"] if t else []
        try:
            _, warnings = check_target(q, did, values["target"], values["owner"], values["due"], current=current)
        except RoadmapError as e:
            return e.message, []
        return None, warnings

    def done(values: dict[str, str] | None) -> None:
        if values is None:
            return
        try:
            if values["target"] == NO_TARGET:
                remove_target(path, did)
                screen.notify(f"{q.dimension(did).name}: target taken off the roadmap", timeout=4)
            else:
                target, _ = check_target(q, did, values["target"], values["owner"], values["due"], current=current)
                save_target(path, target)
                screen.notify(f"{q.dimension(did).name}: Level {target.level} by {target.due.isoformat()} "
                              f"({target.owner}), saved in {path.name}", timeout=5)
        except (IcpError, OSError) as e:
            screen.notify(f"Not saved: {e}", severity="error", timeout=8)
            return
        saved(values)

    screen.app.push_screen(FormScreen(f"Roadmap target: {q.dimension(did).name}", fields, check, hint), done)
