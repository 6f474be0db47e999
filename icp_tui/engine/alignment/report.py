"""Plain-text summary of an alignment and its TAL, and every entry's match, for the terminal (``icp align``)."""

from __future__ import annotations

import numpy as np

from icp_tui.engine.alignment.matching import Match, Universe
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
    out += ["", f"TAL: {len(tal.members):,} account{'' if len(tal.members) == 1 else 's'} ({tiers})"]
    out += _grade_lines(tal) + [""]
    return "\n".join(out)


def _grade_lines(tal: Tal, top: int = 10) -> list[str]:
    """The TAL's accounts per priority grade; ordered by grade, its first accounts too."""
    n = tal.counts_by_grade()
    if not n:
        return []
    out = ["Grades (fit letter x timing digit): " + ", ".join(f"{g} {k}" for g, k in n.items())]
    if tal.order == "grade":
        out += ["", "The TAL by grade (then fit):"]
        out += [f"  {r.grade or '–':<3} {r.proposal.name} (fit {_num(r.proposal.fit)}, {r.proposal.votes} "
                f"vote{'' if r.proposal.votes == 1 else 's'})" for r in tal.members[:top]]
        if len(tal.members) > top:
            out.append(f"  … and {len(tal.members) - top} more")
    return out


#: How an entry was matched, in a few words: (method, status) -> text; the method alone otherwise.
HOW = {
    ("decision", "matched"): "confirmed earlier", ("decision", "new"): "decided: new",
    ("domain", "matched"): "same domain",
    ("name", "matched"): "exact name", ("name", "confirm"): "exact name, shared",
    ("fuzzy", "matched"): "similar name", ("fuzzy", "confirm"): "similar name",
    ("website", "matched"): "name from website", ("website", "confirm"): "website name, shared",
    ("website_fuzzy", "matched"): "similar website name", ("website_fuzzy", "confirm"): "similar website name",
}
_WIDTHS = (26, 32, 7, 20, 5)  # entry, account, status, how, score: 2 + 26+2+32+2+7+2+20+2+5 = 100 columns


def _cut(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


def match_how(m: Match, universe: Universe) -> str:
    if m.method == "none":  # an address finds no account with its domain or, in a universe without websites, its name
        if m.domain and not m.key:
            return "no such domain" if universe.has_domains or not len(universe) else "no name like website"
        return "no similar name"
    return HOW.get((m.method, m.status), m.method)


def matches_text(a: Alignment, universe: Universe) -> str:
    """Every list entry with the account it matched (or "no match"), how, and the similarity score,
    per function: the misses are there to see. Plain text, at most 100 columns."""
    we, wa, ws, wh, wn = _WIDTHS
    out: list[str] = []
    for f in a.functions:
        ms = a.matches[f]
        n = {s: sum(m.status == s for m in ms) for s in ("matched", "confirm", "new")}
        out += [f"{f}: {len(ms)} entr{'y' if len(ms) == 1 else 'ies'}, {n['matched']} matched, "
                f"{n['confirm']} to confirm, {n['new']} no match",
                f"  {'entry':<{we}}  {'account':<{wa}}  {'status':<{ws}}  {'how':<{wh}}  {'score':>{wn}}"]
        for m in ms:
            account = "no match" if m.account is None else f"{universe.ids[m.account]} {universe.names[m.account]}"
            score = "–" if m.account is None else (f"{m.score:.0f}" if float(m.score).is_integer() else f"{m.score:.1f}")
            line = (f"  {_cut(m.entry, we):<{we}}  {_cut(account, wa):<{wa}}  {m.status:<{ws}}  "
                    f"{_cut(match_how(m, universe), wh):<{wh}}  {score:>{wn}}")
            out.append(line.rstrip())
        out.append("")
    return "\n".join(out)


GROUP_TITLES = {"consensus": "Consensus: proposed by {k} or more functions", "contested": "Contested accounts",
                "orphans": "Orphans: proposed by one function only"}


def _proposed_by(p) -> str:
    parts = []
    for f, rank in p.ranks.items():
        why = p.reasons.get(f, "")
        said = f"rank {rank}" if rank is not None else ""
        said += (": " if said and why else "") + why
        parts.append(f"{f} ({said})" if said else f)
    return ", ".join(parts)


def group_text(a: Alignment, which: str, k: int) -> tuple[str, str]:
    """(title, every account of the group with its reasons), for the screen that opens a group in full."""
    props = {"consensus": a.consensus(k), "contested": a.contested(), "orphans": a.orphans()}[which]
    title = GROUP_TITLES[which].format(k=k) + f" ({len(props)})"
    lines = []
    for p in props:
        fit = "no fit score" if p.fit is None else f"fit {p.fit:.0f}" + (f" ({p.band})" if p.band else "")
        lines.append(f"{p.name}  ·  {fit}")
        if which == "contested":
            lines.append(f"    why contested: {'; '.join(p.contested_because)}")
        lines.append(f"    proposed by {_proposed_by(p)}")
        flags = [x for x in (f"anti-persona: {p.anti_personas}" if p.anti_personas else "",
                             f"excluded: {p.excluded}" if p.excluded else "") if x]
        if flags:
            lines.append("    " + "; ".join(flags))
    return title, "\n".join(lines) or "No accounts in this group."
