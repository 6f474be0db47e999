"""Seed 001's customer tiers 1/2/3 of the won deals, from ACV, sales cycle, churn and expansion."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from icp_tui.engine.history.analysis import mean_and_count

TIER_RULE = (
    "each won deal gets +1 for ACV in the top third of won ACV (-1 bottom third), +1 for growing "
    "(expansion > 0 or NRR >= 110%; -1 when NRR < 100%), +1 for a cycle in the fastest third "
    "(-1 slowest third); unknown counts 0. Tier 1: not churned and 2+ points (two best marks, no "
    "worst one). Tier 3: churned, or below 0 points. Tier 2: the rest."
)
GROWTH_NRR, SHRINK_NRR = 1.10, 1.00


@dataclass
class TierStats:
    tier: int
    deals: int
    share: float | None
    mean_acv: float | None
    median_cycle: float | None
    churn_rate: float | None  # of the deals whose churn is known
    mean_nrr: float | None
    top_industry: str | None
    top_industry_share: float | None  # of the tier's deals with a known industry
    median_employees: float | None
    top_use_case: str | None = None


@dataclass
class Tiers:
    rule: str
    acv_low: float | None  # ACV at or below: bottom third; at or above acv_high: top third
    acv_high: float | None
    cycle_fast: float | None  # cycle at or below: fastest third; at or above cycle_slow: slowest third
    cycle_slow: float | None
    points: np.ndarray  # per won deal (in frame order)
    tier: np.ndarray  # 1, 2 or 3 per won deal (in frame order)
    deal_ids: np.ndarray
    tiers: list[TierStats]


def _terciles(v: np.ndarray) -> tuple[float | None, float | None]:
    k = v[~np.isnan(v)]
    if not len(k):
        return None, None
    lo, hi = np.quantile(k, [1 / 3, 2 / 3])
    return float(lo), float(hi)


def _col(frame: pd.DataFrame, fld: str) -> np.ndarray:
    if fld not in frame:
        return np.full(len(frame), np.nan)
    return frame[fld].to_numpy(dtype=float, na_value=np.nan)


def _top(s: pd.Series) -> tuple[str | None, float | None]:
    counts = s.dropna().astype(object).value_counts()
    if counts.empty:
        return None, None
    best = sorted(counts.index[counts == counts.iloc[0]], key=lambda v: str(v).lower())[0]
    return str(best), float(counts[best] / counts.sum())


def customer_tiers(frame: pd.DataFrame) -> Tiers:
    """Seed 001's customer tiers for the WON deals of ``frame`` (lost rows are ignored).

    Tier 1 are the best customers (high ACV, fast close, low churn, expansion), Tier 3 the ones
    one wishes one had not closed (low ACV, slow, churned). The rule, relative to the won deals
    themselves: +1 point for ACV in the top third of won ACV, -1 in the bottom third; +1 for growing
    (expansion > 0 or NRR >= 110%), -1 for shrinking (NRR < 100%); +1 for a sales cycle in the
    fastest third, -1 in the slowest third; an unknown figure counts 0. Tier 1: not churned and at
    least 2 points (that is two best marks and no worst one); Tier 3: churned, or fewer than 0 points
    (more worst marks than best); Tier 2: everything else. Thirds are the 1/3 and 2/3 quantiles
    (linear interpolation); a value on a cut-off belongs to the outer third.
    """
    won = frame[frame["won"].to_numpy(bool)] if "won" in frame else frame
    acv, cycle, nrr, expansion = (_col(won, f) for f in ("amount", "cycle_days", "nrr", "expansion"))
    churned = (won["churned"].to_numpy(dtype=float, na_value=np.nan) if "churned" in won
               else np.full(len(won), np.nan))
    acv_lo, acv_hi = _terciles(acv)
    cyc_lo, cyc_hi = _terciles(cycle)
    pts = np.zeros(len(won), np.int64)
    if acv_lo is not None:
        pts += (acv >= acv_hi).astype(np.int64) - (acv <= acv_lo)
    grew = (expansion > 0) | (nrr >= GROWTH_NRR)
    pts += grew.astype(np.int64) - (~grew & (nrr < SHRINK_NRR))
    if cyc_lo is not None:
        pts += (cycle <= cyc_lo).astype(np.int64) - (cycle >= cyc_hi)
    is_churned = churned == 1
    tier = np.where(is_churned | (pts < 0), 3, np.where(pts >= 2, 1, 2))
    stats = []
    n = len(won)
    for t in (1, 2, 3):
        m = tier == t
        sub = won[m]
        a, c, r, ch = acv[m], cycle[m], nrr[m], churned[m]
        emp = _col(sub, "employees")
        ind, ind_share = _top(sub["industry"]) if "industry" in sub else (None, None)
        uc, _ = _top(sub["use_case"]) if "use_case" in sub else (None, None)
        stats.append(TierStats(
            t, int(m.sum()), float(m.mean()) if n else None, mean_and_count(a)[0],
            float(np.median(c[~np.isnan(c)])) if (~np.isnan(c)).any() else None,
            mean_and_count(ch)[0], mean_and_count(r)[0], ind, ind_share,
            float(np.median(emp[~np.isnan(emp)])) if (~np.isnan(emp)).any() else None, uc))
    ids = won["deal_id"].to_numpy(dtype=object) if "deal_id" in won else np.arange(n).astype(object)
    return Tiers(TIER_RULE, acv_lo, acv_hi, cyc_lo, cyc_hi, pts, tier, ids, stats)
