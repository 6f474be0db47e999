"""Seed 004's coverage goals: shares of the open pipeline and of closed-won inside the ICP bands."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from icp_tui.engine.history.analysis import AnalysisError
from icp_tui.engine.history.deals import DealFrame
from icp_tui.engine.scorecard.results import ScoreResult

#: Seed 004's starting goals: shares of the open pipeline and of closed-won inside the ICP.
OPEN_GOAL, WON_GOAL = 0.50, 0.70
#: Bands whose minimum is at least this make "the ICP" when no band is named (Good fit and up).
ICP_MIN_SCORE = 70.0


@dataclass
class CoverageRow:
    """One goal: the share of these deals (and of their amount) whose account is inside the ICP."""

    name: str
    goal: float
    deals: int  # deals whose account was found and scored
    in_icp: int
    amount: float  # known amounts only
    in_icp_amount: float
    unmatched: int = 0  # deals of this kind whose account was not found (left out)

    @property
    def share(self) -> float | None:
        return self.in_icp / self.deals if self.deals else None

    @property
    def amount_share(self) -> float | None:
        return self.in_icp_amount / self.amount if self.amount > 0 else None

    @property
    def met(self) -> bool | None:
        """The goal is met by the share of deals; None when there are no deals."""
        return None if self.share is None else self.share >= self.goal

    @property
    def met_by_amount(self) -> bool | None:
        return None if self.amount_share is None else self.amount_share >= self.goal


@dataclass
class Coverage:
    icp_bands: list[str]  # labels of the bands that count as the ICP, highest first
    icp_min: float  # the lowest fit score inside the ICP
    open: CoverageRow
    won: CoverageRow
    notes: list[str] = field(default_factory=list)


def icp_band_count(result: ScoreResult, icp_min_band: float | str | None = None) -> int:
    """How many of the bands (highest first) make the ICP: those with a minimum of at least
    ``icp_min_band`` (a score), down to the band labelled ``icp_min_band`` (a label), or by default
    those with a minimum of 70 or more (at least the top band)."""
    bands = result.bands
    if isinstance(icp_min_band, str):
        labels = [b.label.lower() for b in bands]
        if icp_min_band.strip().lower() not in labels:
            raise AnalysisError(f"no score band is labelled '{icp_min_band}' (bands: {', '.join(b.label for b in bands)})")
        return labels.index(icp_min_band.strip().lower()) + 1
    line = ICP_MIN_SCORE if icp_min_band is None else float(icp_min_band)
    return max(1, sum(b.min >= line for b in bands)) if bands else 0


def coverage(result: ScoreResult, deals: DealFrame, deal_rows: np.ndarray,
             icp_min_band: float | str | None = None) -> Coverage:
    """Seed 004's coverage goals: 50% of the open pipeline and 70% of closed-won inside the ICP.

    An account is inside the ICP when its fit score falls in one of the ICP bands (see
    :func:`icp_band_count`; by default the bands starting at 70 or more, Good fit and Strong fit
    with the default bands). Exclusions do not count: they keep accounts off a new-business list
    (an existing customer, a competitor), and every won deal's account is a customer by now.
    ``deal_rows`` gives per deal the row
    of ``result`` that scores its account (-1 not found: such deals are left out and counted). The
    goal is judged on the share of deals; the share of the amount is reported next to it.
    """
    n_icp = icp_band_count(result, icp_min_band)
    bands = list(result.bands[:n_icp])
    deal_rows = np.asarray(deal_rows, dtype=np.int64)
    f = deals.frame
    outcome = f["outcome"].astype(object).to_numpy()
    found = deal_rows >= 0
    safe = np.where(found, deal_rows, 0)
    band = result.band[safe]
    inside = found & (band >= 0) & (band < n_icp)
    amount = f["amount"].to_numpy(dtype=float, na_value=np.nan) if "amount" in f else np.full(len(f), np.nan)
    amount = np.nan_to_num(amount)
    rows = []
    for name, kind, goal in (("Open pipeline", "open", OPEN_GOAL), ("Closed-won", "won", WON_GOAL)):
        m = outcome == kind
        mf = m & found
        rows.append(CoverageRow(name, goal, int(mf.sum()), int((mf & inside).sum()), float(amount[mf].sum()),
                                float(amount[mf & inside].sum()), int((m & ~found).sum())))
    notes = []
    for r in rows:
        if r.unmatched:
            notes.append(f"{r.unmatched} {r.name.lower()} deal{'s' if r.unmatched != 1 else ''} whose account is not "
                         f"in the accounts file {'are' if r.unmatched != 1 else 'is'} left out")
    icp_min = float(bands[-1].min) if bands else float("inf")
    return Coverage([b.label for b in bands], icp_min, rows[0], rows[1], notes)
