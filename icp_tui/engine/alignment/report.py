"""Plain-text summary of an alignment and its TAL, for the terminal (``icp align``)."""

from __future__ import annotations

import numpy as np

from icp_tui.engine.alignment.overlap import Alignment
from icp_tui.engine.alignment.tal import Tal


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _num(x: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


def alignment_text(a: Alignment, tal: Tal) -> str:
    short = [f[:10] for f in a.functions]
    w = max(12, *(len(s) for s in short))
    out = ["Overlap (shared accounts; Jaccard below the diagonal)", " " * w + "".join(f"{s:>{w}}" for s in short)]
    for i, s in enumerate(short):
        cells = []
        for j in range(len(short)):
            cells.append(f"{a.overlap[i, j]:>{w}}" if j >= i else f"{a.jaccard[i, j]:>{w}.2f}")
        out.append(f"{s:<{w}}" + "".join(cells))
    out += ["", "Rank agreement (rank-biased overlap, p = 0.9; – where a list has no ranks)",
            " " * w + "".join(f"{s:>{w}}" for s in short)]
    for i, s in enumerate(short):
        out.append(f"{s:<{w}}" + "".join(f"{'–' if np.isnan(v) else f'{v:.2f}':>{w}}" for v in a.rbo[i]))
    out += ["", "Each function's list, scored with the shared scorecard",
            f"{'function':<18}{'accounts':>9}{'mean fit':>9}{'top 2 bands':>12}{'anti-persona':>13}"
            f"{'band win rate':>14}{'band ACV':>10}"]
    for f in a.fit:
        acv = "–" if f.band_acv is None else f"${f.band_acv / 1000:,.0f}k"
        out.append(f"{f.function:<18}{f.entries:>9}{_num(f.mean_fit):>9}{_pct(f.top_bands):>12}{f.anti_persona:>13}"
                   f"{_pct(f.band_win_rate):>14}{acv:>10}")
    k = tal.rule.min_votes
    cons, cont, orph = a.consensus(k), a.contested(), a.orphans()
    out += ["", f"Consensus (proposed by {k}+ functions): {len(cons)}"]
    out += [f"  {p.name} ({p.votes}: {', '.join(p.ranks)}; fit {_num(p.fit)})" for p in cons[:15]]
    if len(cons) > 15:
        out.append(f"  … and {len(cons) - 15} more")
    out += ["", f"Contested: {len(cont)}"]
    out += [f"  {p.name}: {'; '.join(p.contested_because)}" for p in cont[:15]]
    if len(cont) > 15:
        out.append(f"  … and {len(cont) - 15} more")
    out += ["", f"Orphans (one function only): {len(orph)}"]
    confirm = a.to_confirm()
    if confirm:
        out += ["", f"Matches to confirm: {len(confirm)}"]
        out += [f"  {f}: {m.entry} -> {m.reason}" for f, m in confirm]
    tiers = ", ".join(f"{t} {n}" for t, n in tal.counts_by_tier().items())
    out += ["", f"TAL: {len(tal.members)} accounts ({tiers})", ""]
    return "\n".join(out)
