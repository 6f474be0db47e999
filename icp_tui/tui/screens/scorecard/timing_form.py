"""The Bands tab's timing bands: the timing score (buying signals, 0-100) to the digit of the priority
grade (1 = reach out now). A table under the fit bands, edited by the engine's ``*_timing_band`` operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from icp_tui.engine.scorecard.grade import has_timing
from icp_tui.tui.screens.dialogs.form import FormField
from icp_tui.tui.screens.scorecard.forms import _num, _open_form, _row

if TYPE_CHECKING:
    from icp_tui.tui.screens.scorecard.editor import ScorecardScreen

TID = "timing"


def _order(screen: ScorecardScreen) -> list[int]:
    """File positions of the timing bands as shown, highest first."""
    bands = screen.session.scorecard.timing_bands
    return sorted(range(len(bands)), key=lambda i: -bands[i].min)


def _current(screen: ScorecardScreen) -> int:
    order = _order(screen)
    return order[min(_row(screen, TID), len(order) - 1)]


def show(screen: ScorecardScreen) -> None:
    s = screen.session
    bands = s.scorecard.timing_bands
    counts = s.result.grades.timing_counts(len(bands)) if s.result is not None and has_timing(s.scorecard) else None
    rows = [(f"{bands[i].min:g}", bands[i].label, str(d), f"{counts[d - 1]:,}" if counts else "–", bands[i].action)
            for d, i in enumerate(_order(screen), 1)]
    screen._fit(TID, ("Min", "Timing", "Digit", "Accts" if screen.narrow else "Accounts", "Action"), rows, flex=(4,))
    show_detail(screen)


def show_detail(screen: ScorecardScreen) -> None:
    sc = screen.session.scorecard
    i = _current(screen)
    b = sc.timing_bands[i]
    text = Text()
    text.append(b.label, style="bold")
    text.append(f" · timing {b.min:g}+ · grade digit {_order(screen).index(i) + 1}")
    if b.action:
        text.append(f": {b.action}")
    if not has_timing(sc):
        text.append("\nNo buying-signal criterion scores timing: grades are the fit letter alone.", style="dim")
    screen.query_one(f"#{TID}-detail", Static).update(text)


def edit(screen: ScorecardScreen) -> None:
    i = _current(screen)
    b = screen.session.scorecard.timing_bands[i]
    fields = [FormField("min", "Lowest timing score in the band (0-100)", f"{b.min:g}"), FormField("label", "Label", b.label),
              FormField("action", "What to do", b.action)]
    _open_form(screen, f"Timing band {b.label}", fields, "set_timing_band",
               lambda v: ((i,), {"min": _num(v["min"]), "label": v["label"].strip(), "action": v["action"].strip()}),
               hint="The timing score is the buying signals' points out of the most they can give. The lowest band starts at 0.")


def add(screen: ScorecardScreen) -> None:
    if screen._guard(screen.session.edit, "add_timing_band", _current(screen)):
        screen.after_edit("Timing band added: Enter edits it")


def delete(screen: ScorecardScreen) -> None:
    screen.session.edit("delete_timing_band", _current(screen))
    screen.after_edit("Timing band deleted (ctrl+z undoes)")
