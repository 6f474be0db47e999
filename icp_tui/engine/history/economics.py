"""Unit economics of groups of closed deals: what a customer brings against what it cost to win.

Seed 000 judges a segment on product-market fit (LTV, NRR, use case: does the product keep its
customers and grow with them?) and on message-market fit (win rate, ACV, sales velocity: does the
pitch land?); seed 004 puts CLV, CAC and LTV:CAC into a mature (level 4) ICP. Per group of closed
deals (all of them, each segment, each score band, each customer tier):

* win rate: won / closed deals; ACV: mean amount of the won deals; cycle: median days from created
  to closed of the won deals;
* value per opportunity: win rate x ACV, the revenue one opportunity of the group brings on average;
* sales velocity: value per opportunity / cycle, in dollars per day of sales cycle;
* NRR: mean of the won deals' NRR; churn: share of the won deals (churn known) that churned;
* LTV: per won deal its own ``ltv`` where the file has one; else its ACV x the group's lifetime
  factor, the revenue of :data:`LTV_YEARS` years in which each year brings the year before x the
  yearly retention r: ACV x (1 + r + ... + r^(H-1)) = ACV x (1 - r^H) / (1 - r), ACV x H when r = 1.
  r is the group's NRR (it already nets churn, contraction and expansion), else 1 - its churn rate
  (no expansion known); with neither there is no estimate ("not in the data"). The horizon keeps an
  NRR of 100% or more from giving an endless lifetime (finance teams commonly cap it at 3-5 years).
  The group's LTV is the mean over its won deals with a figure;
* CAC: mean acquisition cost (``cac``) of the won deals; spend per win: the acquisition cost of all
  the group's closed deals (the lost ones too) over its won deals (when every closed deal has one);
* LTV:CAC = LTV / CAC; CAC payback = CAC / (ACV / 12) months.

Revenue, not margin: with a gross ``margin`` (0-1) LTV is multiplied by it and payback divided by
it. Every figure comes with the number of deals behind it; one resting on fewer than
:data:`MIN_DEALS` deals is flagged ``few`` (a hint, not a pattern).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from icp_tui.engine.history.segments import Segments
    from icp_tui.engine.history.tiers import Tiers
    from icp_tui.engine.scorecard.results import ScoreResult

#: LTV estimate: years of revenue counted (the horizon of the lifetime factor).
LTV_YEARS = 5
#: A figure from fewer deals than this is marked: too few to read as a pattern.
MIN_DEALS = 10
NOT_IN_DATA = "not in the data"

#: Seed 000's two families of segment metrics.
PMF_METRICS = ("LTV", "NRR", "use case")
MMF_METRICS = ("win rate", "ACV", "sales velocity")


def lifetime_factor(retention: np.ndarray | float) -> np.ndarray:
    """Years of ACV over :data:`LTV_YEARS` when each year keeps ``retention`` of the year before:
    (1 - r^H) / (1 - r), H when r = 1; NaN where r is NaN. r below 0 counts as 0."""
    r = np.clip(np.asarray(retention, dtype=float), 0.0, None)
    flat = np.isclose(r, 1.0)
    safe = np.where(flat, 0.5, r)
    return np.where(flat, float(LTV_YEARS), (1.0 - safe ** LTV_YEARS) / (1.0 - safe))


def ltv_values(acv: np.ndarray, own: np.ndarray, retention: np.ndarray | float) -> np.ndarray:
    """Per won deal: its own LTV where known, else ACV x :func:`lifetime_factor` (NaN: no figure)."""
    own = np.asarray(own, dtype=float)
    return np.where(np.isnan(own), np.asarray(acv, dtype=float) * lifetime_factor(retention), own)


def _col(frame: pd.DataFrame, fld: str) -> np.ndarray:
    if fld not in frame:
        return np.full(len(frame), np.nan)
    return frame[fld].to_numpy(dtype=float, na_value=np.nan)


@dataclass
class UnitEconomics:
    """The figures of one group of closed deals; ``n_*``: the deals each figure rests on."""

    label: str
    kind: str  # "all", "segment", "band" or "tier"
    deals: int  # closed deals (for a tier: its won deals)
    won: int
    win_rate: float | None  # None for tiers: they are made of won deals only
    acv: float | None
    n_acv: int
    cycle: float | None  # median days, won deals
    n_cycle: int
    nrr: float | None
    n_nrr: int
    churn: float | None
    n_churn: int
    ltv: float | None
    n_ltv: int
    n_ltv_given: int  # of n_ltv: the deal file's own LTV (the rest estimated)
    cac: float | None
    n_cac: int
    spend_per_win: float | None  # acquisition cost of all closed deals / won deals
    margin: float | None = None  # the gross margin applied (None: revenue)

    @property
    def value(self) -> float | None:
        """Expected revenue of one opportunity: win rate x ACV."""
        return None if self.win_rate is None or self.acv is None else self.win_rate * self.acv

    @property
    def velocity(self) -> float | None:
        """Sales velocity per opportunity: value / cycle days ($ per day)."""
        v = self.value
        return None if v is None or not self.cycle else v / self.cycle

    @property
    def ltv_estimated(self) -> bool:
        return self.n_ltv > self.n_ltv_given

    @property
    def ltv_cac(self) -> float | None:
        return None if self.ltv is None or not self.cac else self.ltv / self.cac

    @property
    def payback_months(self) -> float | None:
        """Months of the deal's revenue (x margin, when given) that pay back its acquisition cost."""
        if self.cac is None or not self.acv:
            return None
        return self.cac / (self.acv * (self.margin or 1.0) / 12.0)

    def count(self, figure: str) -> int:
        """The deals a figure rests on (``figure``: a property or field name)."""
        n = {"win_rate": self.deals, "acv": self.n_acv, "value": min(self.deals, self.n_acv), "cycle": self.n_cycle,
             "velocity": min(self.deals, self.n_acv, self.n_cycle), "nrr": self.n_nrr, "churn": self.n_churn,
             "ltv": self.n_ltv, "cac": self.n_cac, "spend_per_win": self.won,
             "ltv_cac": min(self.n_ltv, self.n_cac), "payback_months": min(self.n_acv, self.n_cac)}
        return n[figure]

    def few(self, figure: str) -> bool:
        return self.count(figure) < MIN_DEALS


@dataclass
class Economics:
    """Unit economics per group: all closed deals, then segments, bands and tiers (those given)."""

    overall: UnitEconomics
    segments: list[UnitEconomics] = field(default_factory=list)
    bands: list[UnitEconomics] = field(default_factory=list)
    tiers: list[UnitEconomics] = field(default_factory=list)
    margin: float | None = None
    notes: list[str] = field(default_factory=list)

    def groups(self) -> list[UnitEconomics]:
        return [self.overall, *self.segments, *self.bands, *self.tiers]


def group_economics(frame: pd.DataFrame, codes: np.ndarray, labels: list[str], *, kind: str,
                    margin: float | None = None, outcomes: bool = True) -> list[UnitEconomics]:
    """The figures of each group: ``codes`` per row of ``frame`` (closed deals, from
    :func:`closed_deal_frame`) the index into ``labels``, -1 for none. ``outcomes=False`` for groups
    of won deals only (tiers): no win rate, value or velocity. Vectorised: sums and counts of every
    group at once (``np.bincount``), the median cycle by one groupby."""
    k = len(labels)
    codes = np.asarray(codes, dtype=np.int64)
    keep = (codes >= 0) & (codes < k)
    g = codes[keep]
    won = (frame["won"].to_numpy(bool) if "won" in frame else np.ones(len(frame), bool))[keep]

    def won_col(fld: str) -> np.ndarray:  # a won deal's figure, NaN for a lost one
        return np.where(won, _col(frame, fld)[keep], np.nan)

    def sums(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        known = ~np.isnan(v)
        return np.bincount(g[known], weights=v[known], minlength=k), np.bincount(g[known], minlength=k)

    def means(v: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        total, n = sums(v)
        return np.divide(total, n, out=np.full(k, np.nan), where=n > 0), n

    deals, n_won = np.bincount(g, minlength=k), np.bincount(g[won], minlength=k)
    acv_v, own = won_col("amount"), won_col("ltv")
    acv, n_acv = means(acv_v)
    nrr, n_nrr = means(won_col("nrr"))
    churn, n_churn = means(won_col("churned"))
    cac, n_cac = means(won_col("cac"))
    cost, n_cost = sums(_col(frame, "cac")[keep])
    _, n_own = sums(own)
    cyc = won_col("cycle_days")
    known = ~np.isnan(cyc)
    cycle = pd.Series(cyc[known]).groupby(g[known]).median().reindex(range(k)).to_numpy(dtype=float)
    n_cycle = np.bincount(g[known], minlength=k)
    retention = np.where(np.isnan(nrr), 1.0 - churn, nrr)  # NRR nets churn; without it, 1 - churn rate
    ltv, n_ltv = means(ltv_values(acv_v, own, retention[g]) * (margin or 1.0))
    num = lambda x: None if np.isnan(x) else float(x)  # noqa: E731
    out = []
    for c, label in enumerate(labels):  # one object per group (a handful), not per deal
        d, w = int(deals[c]), int(n_won[c])
        spend = float(cost[c]) / w if outcomes and w and int(n_cost[c]) == d else None
        out.append(UnitEconomics(
            label, kind, d, w, (w / d if d else None) if outcomes else None, num(acv[c]), int(n_acv[c]),
            num(cycle[c]), int(n_cycle[c]), num(nrr[c]), int(n_nrr[c]), num(churn[c]),
            int(n_churn[c]), num(ltv[c]), int(n_ltv[c]), int(n_own[c]), num(cac[c]), int(n_cac[c]), spend, margin))
    return out


def economics(frame: pd.DataFrame, *, segments: Segments | None = None, result: ScoreResult | None = None,
              tiers: Tiers | None = None, margin: float | None = None) -> Economics:
    """Unit economics of all closed deals of ``frame``, and per segment (in the segments' order),
    per score band of ``result`` (the scorecard's scores of the accounts; ``frame["account_row"]``
    says which) and per customer tier 1/2/3 (of the won deals), where given."""
    if margin is not None and not 0 < margin <= 1:
        raise ValueError(f"gross margin {margin!r}: use a share above 0 and at most 1 (e.g. 0.8 for 80%)")
    n = len(frame)
    overall = group_economics(frame, np.zeros(n, np.int64), ["all closed"], kind="all", margin=margin)[0]
    eco = Economics(overall, margin=margin)
    if segments is not None:
        eco.segments = group_economics(frame, segments.labels, [f"segment {s.number}" for s in segments.segments],
                                       kind="segment", margin=margin)
    if result is not None and "account_row" in frame:
        band = np.asarray(result.band, dtype=np.int64)[frame["account_row"].to_numpy(np.int64)]
        eco.bands = group_economics(frame, band, [b.label for b in result.bands], kind="band", margin=margin)
    if tiers is not None:
        won = frame["won"].to_numpy(bool)
        codes = np.full(n, -1, np.int64)
        codes[won] = np.asarray(tiers.tier, dtype=np.int64) - 1
        eco.tiers = group_economics(frame, codes, ["Tier 1", "Tier 2", "Tier 3"], kind="tier", margin=margin,
                                    outcomes=False)
    o = overall
    if "cac" not in frame or not o.n_cac:
        eco.notes.append(f"CAC, LTV:CAC and payback: {NOT_IN_DATA} (no acquisition cost on the won deals; "
                         "a column such as 'Acquisition Cost' or 'CAC' is read as cac)")
    elif o.n_cac < o.won:
        eco.notes.append(f"acquisition cost known for {o.n_cac} of {o.won} won deals: CAC is their mean")
    if o.n_ltv == 0:
        eco.notes.append(f"LTV: {NOT_IN_DATA} (no LTV column, and neither NRR nor churn to estimate it from)")
    elif o.n_ltv < o.won:
        eco.notes.append(f"LTV known or estimated for {o.n_ltv} of {o.won} won deals")
    return eco


def history_economics(deals, accounts, deal_rows: np.ndarray, result: ScoreResult | None = None,
                      margin: float | None = None) -> Economics:
    """Unit economics of a deal file's closed deals (joined to ``accounts`` by ``deal_rows``) per score
    band of ``result`` and per customer tier, without clustering (the workshop report)."""
    from icp_tui.engine.history.analysis import closed_deal_frame
    from icp_tui.engine.history.tiers import customer_tiers

    frame = closed_deal_frame(deals, accounts, deal_rows)
    return economics(frame, result=result, tiers=customer_tiers(frame), margin=margin)
