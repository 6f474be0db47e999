"""Renderables for the disagreement view: overlap matrix, each list's fit, the three groups."""

from __future__ import annotations

import numpy as np
from rich.table import Table
from rich.text import Text

from icp_tui.engine.alignment.overlap import Alignment, Proposal


def short(function: str) -> str:
    words = function.split()
    return "".join(w[0] for w in words).upper() if len(words) > 1 else function[:9]


def overlap_table(a: Alignment) -> Table:
    t = Table(title="Overlap: shared accounts (Jaccard)", title_justify="left", title_style="bold",
              box=None, padding=(0, 1), pad_edge=False)
    t.add_column("")
    for f in a.functions:
        t.add_column(short(f), justify="right", no_wrap=True)
    for i, f in enumerate(a.functions):
        cells = []
        for j in range(len(a.functions)):
            if i == j:
                cells.append(Text(str(a.overlap[i, j]), style="dim"))
            else:
                jac = a.jaccard[i, j]
                style = "bold green" if jac >= 0.4 else ("yellow" if jac >= 0.15 else "red")
                cells.append(Text(f"{a.overlap[i, j]} ({jac:.2f})", style=style))
        t.add_row(Text(short(f), style="bold"), *cells)
    return t


def _bar(x: float | None, width: int = 10) -> Text:
    if x is None:
        return Text("–", style="dim")
    filled = round(width * x)
    return Text("█" * filled, style="green" if x >= 0.5 else ("yellow" if x >= 0.35 else "red")) + Text(
        "░" * (width - filled), style="dim") + Text(f" {x:.0%}")


def fit_table(a: Alignment) -> Table:
    t = Table(title="Each list, scored with the shared scorecard", title_justify="left", title_style="bold",
              box=None, padding=(0, 1), pad_edge=False)
    for col, just in (("list", "left"), ("fit", "right"), ("top 2 bands", "right"), ("anti", "right"),
                      ("win rate of its bands", "left"), ("ACV", "right")):
        t.add_column(col, justify=just, no_wrap=True)
    best = max((f.band_win_rate or 0) for f in a.fit) if a.fit else 0
    for f in a.fit:
        name = Text(short(f.function), style="bold" if (f.band_win_rate or 0) == best and best else "")
        acv = "–" if f.band_acv is None else f"${f.band_acv / 1000:,.0f}k"
        t.add_row(name, "–" if f.mean_fit is None else f"{f.mean_fit:.0f}",
                  "–" if f.top_bands is None else f"{f.top_bands:.0%}", str(f.anti_persona), _bar(f.band_win_rate), acv)
    return t


def rbo_line(a: Alignment) -> Text:
    pairs = [(a.functions[i], a.functions[j], a.rbo[i, j]) for i in range(len(a.functions))
             for j in range(i + 1, len(a.functions)) if not np.isnan(a.rbo[i, j])]
    text = Text("Rank agreement (RBO): ", style="bold")
    text.append("  ".join(f"{short(x)}-{short(y)} {v:.2f}" for x, y, v in pairs) or "no two ranked lists")
    return text


def group_table(title: str, proposals: list[Proposal], detail, limit: int) -> Table:
    t = Table(title=f"{title} ({len(proposals)})", title_justify="left", title_style="bold", box=None,
              padding=(0, 1), pad_edge=False, expand=True)
    t.add_column("account", ratio=2, no_wrap=True, overflow="ellipsis")
    t.add_column("", ratio=3, no_wrap=True, overflow="ellipsis", style="dim")
    for p in proposals[:limit]:
        t.add_row(p.name, detail(p))
    if len(proposals) > limit:
        t.add_row(Text(f"… {len(proposals) - limit} more", style="dim"), "")
    return t


def group_tables(a: Alignment, k: int, limit: int = 8) -> list[tuple[str, Table]]:
    """(group, its first ``limit`` accounts) for consensus, contested and orphans."""
    fit = lambda p: "–" if p.fit is None else f"{p.fit:.0f}"  # noqa: E731
    return [
        ("consensus", group_table(f"Consensus: {k}+ functions", a.consensus(k),
                                  lambda p: f"{p.votes} · fit {fit(p)} · {', '.join(short(f) for f in p.ranks)}", limit)),
        ("contested", group_table("Contested", a.contested(), lambda p: "; ".join(p.contested_because), limit)),
        ("orphans", group_table("Orphans: one function only", a.orphans(),
                                lambda p: f"{short(next(iter(p.ranks)))} · fit {fit(p)}", limit)),
    ]
