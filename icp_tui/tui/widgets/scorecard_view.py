"""Rich renderables of the scorecard workbench: the live preview and the quality checklist."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text

from icp_tui.engine.workshop.scorecard_session import Preview

MARK = {"pass": ("✓", "green"), "warn": ("!", "yellow"), "fail": ("✗", "bold red")}
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


def preview_view(p: Preview | None, width: int, top: int = 8) -> Group | Text:
    if p is None:
        return Text("No accounts file in this workshop: nothing to preview.", style="dim")
    head = Text(f"{p.accounts:,} accounts by band\n", style="bold")
    counts = Text()
    counts.append(f"anti-persona {p.anti_personas:,}", style="magenta")
    counts.append(("\n" if width < 40 else " · ") + f"excluded {p.excluded:,}", style="red")
    if p.unscored:
        counts.append(f" · no band {p.unscored:,}", style="dim")
    table = Table(box=None, show_header=True, header_style="bold", pad_edge=False, expand=True, padding=(0, 1))
    table.add_column("Top accounts", no_wrap=True, overflow="ellipsis", ratio=1)
    table.add_column("Fit", justify="right", no_wrap=True)
    table.add_column("Band", no_wrap=True, overflow="ellipsis", min_width=min(12, max(4, width - 26)))
    wide = width >= 40
    for t in p.top[:top]:
        table.add_row(t.name, f"{t.fit:.0f}", t.band)
        if wide and t.reasons:
            table.add_row(Text("  " + t.reasons, style="dim", overflow="ellipsis", no_wrap=True), "", "")
    return Group(head, bars(p.bands, p.accounts, width), counts, Text(""), table)


def checklist_view(v, compact: bool = False) -> Text:
    """The quality checklist (from :func:`icp_tui.engine.history.validation.validate`)."""
    if v is None:
        return Text("No deal history in this workshop: the checklist needs won and lost deals.", style="dim")
    out = Text()
    out.append("Checklist" if compact else "Checklist against history", style="bold")
    out.append(f"{chr(10) if compact else '  '}{v.closed} closed · AUC {'–' if v.auc is None else f'{v.auc:.3f}'}\n", style="dim")
    for c in v.checklist:
        mark, style = MARK[c.status]
        out.append(f"{mark} ", style=style)
        out.append(f"{c.name} ")
        out.append(c.figure, style=style)
        if not compact:
            out.append(f"  (target {c.target})", style="dim")
            if c.detail:
                out.append(f"\n    {c.detail}", style="dim")
        out.append("\n")
    return out
