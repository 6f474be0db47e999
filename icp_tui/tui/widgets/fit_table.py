"""A DataTable filled to the width it has: the short columns whole, the long text cut with an ellipsis.

A table wider than its pane scrolls sideways, and on a projector that hides the columns at its right
(the account counts) behind a scrollbar nobody scrolls. Instead the free-text columns (a test, a
label, conditions, what to do) share what the other columns leave; the screen shows the highlighted
row's text whole (and Enter edits it).
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import DataTable

PADDING = 2  # a DataTable cell has one column of padding either side
MIN_FLEX = 5


def clip(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with an ellipsis where it was cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def fit_widths(heads: Sequence[str], rows: Sequence[Sequence[object]], room: int, flex: Sequence[int]) -> list[int]:
    """Each column's width: its widest cell, except the ``flex`` columns, which share what is left."""
    widths = [max([len(h), *(len(str(r[i])) for r in rows)]) for i, h in enumerate(heads)]
    left = room - PADDING * len(heads) - sum(w for i, w in enumerate(widths) if i not in flex)
    todo = sorted(flex, key=lambda i: widths[i])  # the narrowest first: what it does not need goes to the next
    for n, i in enumerate(todo):
        share = left // (len(todo) - n)
        widths[i] = max(min(MIN_FLEX, widths[i]), len(heads[i]), min(widths[i], share))
        left -= widths[i]
    return widths


def fill(table: DataTable, heads: Sequence[str], rows: Sequence[Sequence[object]], room: int,
         flex: Sequence[int] = ()) -> None:
    """Columns sized by :func:`fit_widths` (rebuilt when they change), then the rows, the cursor kept."""
    widths = fit_widths(heads, rows, room, flex)
    if [(str(c.label), c.width) for c in table.columns.values()] != list(zip(heads, widths)):
        table.clear(columns=True)
        for h, w in zip(heads, widths):
            table.add_column(h, width=w)
    row = table.cursor_row
    table.clear()
    for r in rows:
        table.add_row(*(clip(c, widths[i]) if i in flex and isinstance(c, str) else c for i, c in enumerate(r)))
    if table.row_count:
        table.move_cursor(row=min(max(row, 0), table.row_count - 1))
