"""The checks seeds 002 and 003 name for an ICP that works, as checklist items of the validation.

Seed 002: Tier 1 must beat Tier 3 on all four of win rate, average contract value, sales cycle
(shorter) and net revenue retention. A deal's tier is the tier of its account's band (the scorecard's
``[[bands]]`` carry tiers; the default bands give Strong fit Tier 1 and Possible fit Tier 3).

Seed 003: accounts scoring 85+ close at 70% or more; 80% or more of the latest 10-15 wins score 70+;
and the mean score of the won deals is above that of the lost ones.

Each item is "pass", "fail" or "na" (not enough data to say), with both figures behind it. The minimums
(:data:`MIN_DEALS`, :data:`MIN_WON`) follow seed 003, which reads a sample of 10 recent deals as the
least it will judge: a win rate over fewer than 10 deals moves 10 points with every deal, and a mean over
fewer than 5 deals is one deal's value.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from icp_tui.engine.history.validation import CheckItem
from icp_tui.engine.scorecard.model import Band

#: Closed deals a tier (or the 85+ group) needs for a win rate; won deals with the figure for a mean.
MIN_DEALS, MIN_WON = 10, 5
STRONG, GOOD, CLOSE_TARGET, RECENT_TARGET = 85.0, 70.0, 0.70, 0.80
#: The latest wins read: the last RECENT_MAX when there are that many, else all of at least RECENT_MIN.
RECENT_MIN, RECENT_MAX = 10, 15
_TIER = re.compile(r"^\s*(?:tier|t)\s*[-_ ]?\s*([0-9]+)\s*$", re.I)


def tier_number(tier: str) -> int | None:
    """1 for "Tier 1", "tier1", "T1"; None for "Nurture", "Pass" or ""."""
    m = _TIER.match(tier or "")
    return int(m.group(1)) if m else None


def _money(x: float) -> str:
    return f"${x / 1000:,.0f}k" if abs(x) >= 10_000 else f"${x:,.0f}"


def _pct(x: float) -> str:
    return f"{x:.0%}"


def _pair(a: float, b: float, fmt) -> str:
    """Two figures in a few characters, the unit said once: "78/40%", "$84k/46k", "63/129d"."""
    fa, fb = fmt(a), fmt(b)
    if fa.startswith("$") and fb.startswith("$"):
        fb = fb[1:]
    for unit in ("%", "d"):
        if fa.endswith(unit) and fb.endswith(unit):
            fa = fa[:-1]
    return f"{fa}/{fb}"


def _na(name: str, short: str, target: str, why: str) -> CheckItem:
    return CheckItem(name, "na", "not enough data", target, why, short=short, short_figure="n/a")


def _deals(n: int) -> str:
    return f"{n} deal{'s' if n != 1 else ''}"


def tier_checks(won: np.ndarray, band: np.ndarray, bands: Sequence[Band], amount: np.ndarray,
                cycle: np.ndarray, nrr: np.ndarray) -> list[CheckItem]:
    """Seed 002's four comparisons of Tier 1 with Tier 3 over the closed deals (``band``: index into
    ``bands`` of each deal's account, -1 for none). Win rate over the closed deals; ACV, cycle and NRR
    over the won deals that have the figure (a lost deal's cycle is how long it took to lose)."""
    tiers = np.array([tier_number(b.tier) or 0 for b in bands] + [0])  # [-1]: no band, no tier
    tier = tiers[band]
    one, three = tier == 1, tier == 3
    out = []
    missing = [f"Tier {t}" for t, m in ((1, 1 in tiers), (3, 3 in tiers)) if not m]
    win_target = "Tier 1 above Tier 3"
    name, short = "Win rate: Tier 1 above Tier 3", "T1>T3 win rate"
    if missing:
        why = f"no band has tier {' or '.join(missing)} ([[bands]] tier = \"Tier 1\" ...)"
        return [_na(n, s, t, why) for n, s, t in (
            (name, short, win_target), ("Mean won ACV: Tier 1 above Tier 3", "T1>T3 ACV", win_target),
            ("Sales cycle: Tier 1 shorter than Tier 3", "T1<T3 cycle", "Tier 1 shorter than Tier 3"),
            ("NRR: Tier 1 above Tier 3", "T1>T3 NRR", win_target))]
    n1, n3 = int(one.sum()), int(three.sum())
    detail = f"Tier 1: {_deals(n1)} ({int((won & one).sum())} won); Tier 3: {_deals(n3)} ({int((won & three).sum())} won)"
    if min(n1, n3) < MIN_DEALS:
        out.append(_na(name, short, win_target, f"{detail}; a win rate needs {MIN_DEALS}+ closed deals in each"))
    else:
        a, b = float(won[one].mean()), float(won[three].mean())
        out.append(CheckItem(name, "pass" if a > b else "fail", f"{_pct(a)} vs {_pct(b)}", win_target, detail,
                             short=short, short_figure=_pair(a, b, _pct)))
    for label, short, values, better, fmt, target, stat in (
            ("Mean won ACV: Tier 1 above Tier 3", "T1>T3 ACV", amount, 1, _money, win_target, np.mean),
            ("Sales cycle: Tier 1 shorter than Tier 3", "T1<T3 cycle", cycle, -1, lambda x: f"{x:.0f}d",
             "Tier 1 shorter: median days to win", np.median),
            ("NRR: Tier 1 above Tier 3", "T1>T3 NRR", nrr, 1, _pct, win_target, np.mean)):
        known = won & ~np.isnan(values)
        k1, k3 = int((known & one).sum()), int((known & three).sum())
        what = f"won deals with the figure: Tier 1 {k1}, Tier 3 {k3}"
        if min(k1, k3) < MIN_WON:
            out.append(_na(label, short, target, f"{what}; {MIN_WON}+ needed in each"))
            continue
        a, b = float(stat(values[known & one])), float(stat(values[known & three]))
        ok = (a - b) * better > 0
        out.append(CheckItem(label, "pass" if ok else "fail", f"{fmt(a)} vs {fmt(b)}", target, what,
                             short=short, short_figure=_pair(a, b, fmt)))
    return out


def score_checks(won: np.ndarray, fit: np.ndarray, when: np.ndarray, order: np.ndarray) -> list[CheckItem]:
    """Seed 003's checks on the scores of the closed deals: the close rate at 85+, the latest wins at
    70+ (by close date, latest first; ``order`` breaks ties: a higher value is later) and won above lost."""
    out = []
    high = fit >= STRONG
    n = int(high.sum())
    name, short, target = "Close rate of deals scoring 85+", "85+ close rate", f"{CLOSE_TARGET:.0%}+ won"
    if n < MIN_DEALS:
        out.append(_na(name, short, target, f"{_deals(n)} scored 85+; {MIN_DEALS}+ needed"))
    else:
        k = int((won & high).sum())
        rate = k / n
        ok = rate >= CLOSE_TARGET - 1e-12
        out.append(CheckItem(name, "pass" if ok else "fail", f"{_pct(rate)} ({k} of {n})", target,
                             "" if ok else f"{CLOSE_TARGET:.0%}+ of them should be won: the model overrates some accounts",
                             short=short, short_figure=_pct(rate)))
    name, short = "Latest wins scoring 70+", "Recent wins 70+"
    target = f"{RECENT_TARGET:.0%}+ of the last {RECENT_MIN}-{RECENT_MAX} wins"
    dated = won & ~np.isnat(when)
    m = int(dated.sum())
    if m < RECENT_MIN:
        undated = int((won & np.isnat(when)).sum())
        why = f"{_deals(m)} won with a close date" + (f" ({undated} without)" if undated else "") + f"; {RECENT_MIN}+ needed"
        out.append(_na(name, short, target, why))
    else:
        idx = np.flatnonzero(dated)
        latest = idx[np.lexsort((-order[idx], -when[idx].astype("int64")))][:RECENT_MAX]
        k = int((fit[latest] >= GOOD).sum())
        share = k / len(latest)
        since = np.datetime_as_string(when[latest].min(), unit="D")
        out.append(CheckItem(name, "pass" if share >= RECENT_TARGET - 1e-12 else "fail",
                             f"{_pct(share)} ({k} of the last {len(latest)})", target,
                             f"won since {since}; {RECENT_TARGET:.0%}+ should score 70+", short=short,
                             short_figure=f"{k}/{len(latest)}"))
    name, short, target = "Mean score: won above lost", "Won > lost score", "won deals' mean score above the lost ones'"
    nw, nl = int(won.sum()), int((~won).sum())
    if min(nw, nl) < MIN_WON:
        out.append(_na(name, short, target, f"{nw} won, {nl} lost; {MIN_WON}+ of each needed"))
    else:
        a, b = float(fit[won].mean()), float(fit[~won].mean())
        out.append(CheckItem(name, "pass" if a > b else "fail", f"{a:.1f} vs {b:.1f} ({a - b:+.1f})", target,
                             f"{nw} won, {nl} lost", short=short, short_figure=f"{a:.0f}/{b:.0f}"))
    return out
