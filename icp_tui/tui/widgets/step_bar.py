"""The agenda's step bar: where the room is ("Step 3 of 8: Function lists"), the steps either side, and the timer.

Hidden until the facilitator starts the agenda (``>``); shown at the top of the workbench screens. With
minutes set for the step it counts down once a second (red when over time); without, it never changes,
so snapshots of it are stable.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from icp_tui.engine.workshop.agenda import Agenda


def step_text(agenda: Agenda, seconds_left: int | None) -> Text:
    i = agenda.index
    if i is None:
        return Text("")
    steps = agenda.steps
    out = Text()
    out.append(f" Step {i + 1} of {len(steps)}: ", style="bold")
    out.append(steps[i].title, style="bold reverse")
    if i > 0:
        out.append(f"   < {steps[i - 1].title}", style="dim")
    if i + 1 < len(steps):
        out.append(f"   {steps[i + 1].title} >", style="dim")
    if seconds_left is not None:
        m, s = divmod(abs(seconds_left), 60)
        clock = f"{m}:{s:02d} {'over' if seconds_left < 0 else 'left'}"
        out.append(f"   {clock}", style="bold red" if seconds_left < 0 else ("bold yellow" if seconds_left < 120 else "bold"))
    return out


class StepBar(Static):
    DEFAULT_CSS = """
    StepBar { height: 1; background: $boost; display: none; }
    StepBar.-on { display: block; }
    """

    def on_mount(self) -> None:
        self.show_step()

    def show_step(self) -> None:
        ws = getattr(self.app, "workshop", None)
        agenda = ws.agenda if ws is not None else Agenda()
        on = agenda.index is not None
        self.set_class(on, "-on")
        left = agenda.seconds_left()
        self.update(step_text(agenda, left))
        if on and left is not None and not getattr(self, "_ticking", False):
            self._ticking = True
            self.set_interval(1.0, self.show_step)
