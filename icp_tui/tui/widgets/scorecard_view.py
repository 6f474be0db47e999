"""Rich renderables of the scorecard workbench: the live preview and the quality checklist."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from icp_tui.engine.workshop.scorecard_session import Preview

MARK = {"pass": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "bold red"), "na": ("·", "dim")}  # na: too few deals
BAND_STYLES = ("green", "cyan", "yellow", "magenta", "red", "red", "red")


def bars(rows: list[tuple[str, int]], total: int, width: int, styles=BAND_STYLES) -> Text:
    """A horizontal bar chart: label, bar, count and share."""
    out = Text()
    top = max((n for _, n in rows), default=0) or 1
    label_w = max((len(label) for label, _ in rows), default=4)
    show_share = width - label_w >= 24
    bar_w = max(3, width - label_w - (13 if show_share else 8))
    for i, (label, n) in enumerate(rows):
        filled = round(n / top * bar_w)
        out.append(f"{label:<{label_w}} ")
        out.append("█" * filled, style=styles[min(i, len(styles) - 1)])
        out.append(" " * (bar_w - filled))
        out.append(f" {n:>6,}")
        if show_share:
            out.append(f" {n / total:>4.0%}" if total else "    –")
        out.append("\n")
    return out


def preview_view(p: Preview | None, width: int) -> Group | Text:
    """The accounts by band, with the anti-persona and excluded counts."""
    if p is None:
        return Text("No accounts file in this workshop: nothing to preview.", style="dim")
    head = Text(f"{p.accounts:,} accounts by band", style="bold")
    counts = Text()
    counts.append(f"anti-persona {p.anti_personas:,}", style="magenta")
    counts.append(("\n" if width < 40 else " · ") + f"excluded {p.excluded:,}", style="red")
    if p.unscored:
        counts.append(f" · no band {p.unscored:,}", style="dim")
    return Group(head, bars(p.bands, p.accounts, width), counts)


def top_view(p: Preview | None, width: int, top: int = 8) -> Table | Text:
    """The best-fitting accounts, with the reasons behind each where there is room."""
    if p is None:
        return Text("")
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True, padding=(0, 1))
    wide = width >= 40
    table.add_column("Top accounts" if wide else "Account", no_wrap=True, overflow="ellipsis", ratio=1)
    table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("Grade", no_wrap=True)  # fit letter x timing digit; narrow, it stands for the band too
    if wide:
        table.add_column("Band", no_wrap=True, overflow="ellipsis", min_width=min(12, max(4, width - 32)))
    for t in p.top[:top]:
        grade = Text(t.grade or "–", style="bold")
        table.add_row(t.name, f"{t.fit:.0f}", grade, t.band) if wide else table.add_row(t.name, f"{t.fit:.0f}", grade)
        if wide and t.reasons:
            table.add_row(Text("  " + t.reasons, style="dim", overflow="ellipsis", no_wrap=True), "", "", "")
    return table


def _auc(v) -> str:
    return "–" if v.auc is None else f"{v.auc:.3f}"


def checklist_view(v, width: int | None = None) -> Group | Text:
    """The quality checklist (from :func:`icp_tui.engine.history.validation.validate`).

    With a ``width`` (a narrow pane) it is one line per item: the name (short when the full one does
    not fit) and the figure, and a failing item's detail from 40 columns. Without, each item also says
    its target and detail, wrapped under it.
    """
    if v is None:
        return Text("No deal history in this workshop: the checklist needs won and lost deals.", style="dim")
    table = Table(box=None, show_header=False, pad_edge=False, expand=True, padding=(0, 1, 0, 0))
    head = Text()
    if width is None:
        head.append("Checklist against history", style="bold")
        head.append(f"  {v.closed} closed · AUC {_auc(v)}", style="dim")
        table.add_column(width=1)
        table.add_column(ratio=1)
        for c in v.checklist:
            mark, style = MARK[c.status]
            line = Text.assemble(f"{c.name} ", (c.figure, style), (f"  (target {c.target})", "dim"))
            if c.detail:
                line.append(f"\n{c.detail}", style="dim")
            table.add_row(Text(mark, style=style), line)
        return Group(head, table)
    head.append("Checklist", style="bold")
    head.append(f" · AUC {_auc(v)}", style="dim")
    table.add_column(width=1)
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    table.add_column(justify="right", no_wrap=True)
    for c in v.checklist:
        mark, style = MARK[c.status]
        name, figure = (c.name, c.figure) if len(c.name) + len(c.figure) + 3 <= width else c.brief
        table.add_row(Text(mark, style=style), name, Text(figure, style=style))
        if c.detail and c.status != "pass" and width >= 40:  # what to look at, where there is room
            table.add_row("", Text(c.detail, style="dim", no_wrap=False, overflow="fold"), "")
    return Group(head, table)
