"""Checking a scorecard against won and lost deals: the quality checklist and what stands behind it.

Every closed deal's account is scored; then (seed 003's checklist) at least 20-30 closed deals,
the share of wins scoring 70+ and of losses below 55 (targets 70%+ each), the share of wins inside
the firmographic ranges, and no criterion carrying weight without predictive power; then the checks of
seeds 002 and 003 that :mod:`icp_tui.engine.history.seed_checks` adds (Tier 1 against Tier 3, the close
rate at 85+, the latest wins, won against lost scores). Behind it: per
band the deals, win rate, mean won ACV, median cycle and NRR; the AUC of the fit score against the
outcome; each criterion's lift (win rate with its full points over the win rate without); the deals
the scorecard gets wrong; and the latest quarter against the deals before it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.history.deals import DealFrame
from icp_tui.engine.scorecard.results import UNKNOWN, ScoreResult

MIN_DEALS, GOOD_DEALS = 20, 30
WIN_LINE, LOSS_LINE, TARGET = 70.0, 55.0, 0.70
#: A criterion with this share of the fit points needs this lift to earn them.
HEAVY_SHARE, MIN_LIFT = 0.10, 1.10
#: The deals it gets wrong kept for the reports (worst first); all of them are counted.
MISSES_KEPT = 50


class ValidationError(IcpError):
    """Deal history that cannot validate a scorecard."""


@dataclass
class CheckItem:
    name: str
    status: str  # "pass", "warn", "fail" or "na" (not enough data to say)
    figure: str
    target: str
    detail: str = ""
    short: str = ""  # the name in a few words, for a narrow pane
    short_figure: str = ""  # the figure in a few characters, likewise

    @property
    def brief(self) -> tuple[str, str]:
        """(name, figure) in their short forms, where there are any."""
        return self.short or self.name, self.short_figure or self.figure


@dataclass
class BandStats:
    label: str
    deals: int
    won: int
    win_rate: float | None
    mean_acv: float | None
    median_cycle: float | None
    nrr: float | None


@dataclass
class Lift:
    criterion: str
    label: str
    share_of_points: float
    with_full: int  # closed deals where the criterion gave its full points
    win_with: float | None
    win_without: float | None

    @property
    def lift(self) -> float | None:
        """Win rate with the full points over without; inf when only deals with them were won."""
        if self.win_with is None or self.win_without is None:
            return None  # not measurable: no deal on one side
        if self.win_without == 0:
            return float("inf") if self.win_with > 0 else None
        return self.win_with / self.win_without


@dataclass
class Miss:
    deal: str
    account: str
    outcome: str
    fit: float
    points: list[tuple[str, float]]


@dataclass
class Validation:
    closed: int
    won: int
    lost: int
    open: int
    unmatched: int  # deals whose account was not found
    checklist: list[CheckItem]
    bands: list[BandStats]
    auc: float | None
    lifts: list[Lift]
    misses: list[Miss]  # the worst MISSES_KEPT of them, worst first
    periods: list[tuple[str, int, float | None, float | None, float | None]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wrong: int | None = None  # how many deals it gets wrong in all (None: len(misses))
    window: str = ""  # the deal window it was computed over, e.g. "deals closed since 2025-12-03: 156 of 320 closed"

    @property
    def wrong_total(self) -> int:
        return len(self.misses) if self.wrong is None else self.wrong


def result_line(v: Validation) -> str:
    """What a validation found in one line, as ``validated_with`` records it: "10 of 12 checks passed (1 not
    enough data), AUC 0.862, 320 closed deals since 2025-12-03"."""
    passed = sum(c.status == "pass" for c in v.checklist)
    na = sum(c.status == "na" for c in v.checklist)
    since = v.window.split(":")[0].removeprefix("deals closed ") if v.window else ""
    return (f"{passed} of {len(v.checklist)} checks passed" + (f" ({na} not enough data)" if na else "")
            + ("" if v.auc is None else f", AUC {v.auc:.3f}") + f", {v.closed} closed deals" + (f" {since}" if since else ""))


def _share(mask: np.ndarray) -> float | None:
    return float(mask.mean()) if len(mask) else None


def _auc(won: np.ndarray, score: np.ndarray) -> float | None:
    if len(np.unique(won)) < 2:
        return None
    from sklearn.metrics import roc_auc_score  # costs ~1 s to import: only when validating

    return float(roc_auc_score(won, score))


def validate(result: ScoreResult, deals: DealFrame, deal_rows: np.ndarray) -> Validation:
    """``deal_rows`` gives, per deal, the row of ``result`` that scores its account (-1: not found)."""
    f = deals.frame
    deals.require("stage", what="stage or outcome column (e.g. 'Stage' with 'Closed Won', 'Closed Lost')")
    if f["outcome"].isna().all():
        raise ValidationError("has no stage or outcome that reads as won, lost or open "
                              "(map the stages, e.g. 'Closed Won' = won)", file=deals.info.path)
    outcome = f["outcome"].astype(object).to_numpy()
    found = deal_rows >= 0
    closed = found & np.isin(outcome, ["won", "lost"])
    rows = deal_rows[closed]
    won = outcome[closed] == "won"
    fit = np.nan_to_num(result.fit[rows])
    sc = result.scorecard
    notes = [deals.no_stage_text()] if deals.no_stage else []
    blank = deals.blank_account()
    if (k := int((blank & ~found).sum())):
        notes.append(f"{k} deal{'s' if k != 1 else ''} with no account (blank id, name and website) "
                     f"{'were' if k != 1 else 'was'} left out")
    if (k := int((~found & ~blank).sum())):
        notes.append(f"{k} deal{'s' if k != 1 else ''} whose account is not in the accounts file "
                     f"{'were' if k != 1 else 'was'} left out")

    checklist = []
    n = int(closed.sum())
    checklist.append(CheckItem("Closed deals to learn from", "pass" if n >= GOOD_DEALS else ("warn" if n >= MIN_DEALS else "fail"),
                               f"{n}", f"at least {MIN_DEALS}-{GOOD_DEALS}", short="Closed deals"))
    wins_high = _share(fit[won] >= WIN_LINE)
    losses_low = _share(fit[~won] < LOSS_LINE)
    for name, short, share, line in (("Wins scoring 70+", "", wins_high, "70%+ of wins"),
                                     ("Losses scoring below 55", "Losses below 55", losses_low, "70%+ of losses")):
        checklist.append(CheckItem(name, "fail" if share is None or share < TARGET else "pass",
                                   "–" if share is None else f"{share:.0%}", line, short=short))
    firmo = [j for j, c in enumerate(sc.criteria) if c.category == "firmographic" and c.best_points > 0]
    if firmo and won.any():
        inside = np.ones(int(won.sum()), bool)
        for j in firmo:
            col = result.columns[j]
            inside &= col.points[rows[won]] > 0
        share = float(inside.mean())
        checklist.append(CheckItem("Wins inside the firmographic ranges", "pass" if share >= TARGET else "fail",
                                   f"{share:.0%}", "70%+ of wins", short="Wins in ranges"))

    top_fit = sum(c.max_points for c in sc.criteria if sc.score_of(c) == "fit")
    lifts = []
    for j, c in enumerate(sc.criteria):
        col = result.columns[j]
        full = col.bucket[rows] >= 0
        full &= col.points[rows] >= c.best_points
        lifts.append(Lift(c.id, c.label, c.max_points / top_fit if top_fit and sc.score_of(c) == "fit" else 0.0,
                          int(full.sum()), _share(won[full]), _share(won[~full])))
    heavy = [x for x in lifts if x.share_of_points >= HEAVY_SHARE]
    unearned = [x for x in heavy if x.lift is not None and x.lift < MIN_LIFT]
    unmeasured = [x for x in heavy if x.lift is None]
    word = "criterion" if len(unearned) == 1 else "criteria"
    detail = ", ".join(f"{x.label} (lift {x.lift:.2f})" for x in unearned)
    if unmeasured:
        detail += ("; " if detail else "") + "not measurable (no deal on one side): " + ", ".join(x.label for x in unmeasured)
    checklist.append(CheckItem("Weight follows predictive power",
                               "fail" if unearned else ("warn" if unmeasured else "pass"),
                               f"{len(unearned)} heavy {word} without lift",
                               f"criteria with {HEAVY_SHARE:.0%}+ of the points lift the win rate {MIN_LIFT}x+", detail,
                               short="Unearned weight", short_figure=f"{len(unearned)}"))

    amount = f["amount"].to_numpy(float)[closed] if "amount" in f else np.full(n, np.nan)
    cycle = f["cycle_days"].to_numpy(float)[closed] if "cycle_days" in f else np.full(n, np.nan)
    nrr = f["nrr"].to_numpy(float)[closed] if "nrr" in f else np.full(n, np.nan)
    band = result.band[rows]
    bands = []
    for b_i, b in enumerate(result.bands):
        m = band == b_i
        won_m = m & won
        acv = amount[won_m]
        acv = acv[~np.isnan(acv)]
        cyc = cycle[m & ~np.isnan(cycle)]
        r = nrr[won_m]
        r = r[~np.isnan(r)]
        bands.append(BandStats(b.label, int(m.sum()), int(won_m.sum()), _share(won[m]),
                               float(acv.mean()) if len(acv) else None, float(np.median(cyc)) if len(cyc) else None,
                               float(r.mean()) if len(r) else None))
    from icp_tui.engine.history.seed_checks import score_checks, tier_checks  # (it imports CheckItem from here)

    closed_on = (f["closed"].to_numpy("datetime64[ns]")[closed] if "closed" in f
                 else np.full(n, np.datetime64("NaT"), "datetime64[ns]"))
    checklist += tier_checks(won, band, result.bands, amount, cycle, nrr)  # seed 002
    checklist += score_checks(won, fit, closed_on, np.flatnonzero(closed))  # seed 003

    misses = []
    ids = f["deal_id"].astype(str).to_numpy()[closed] if "deal_id" in f else np.arange(n).astype(str)
    names = f["account_name"].astype(str).to_numpy()[closed] if "account_name" in f else ids
    wrong = np.flatnonzero((won & (fit < LOSS_LINE)) | (~won & (fit > WIN_LINE)))
    for k in wrong[np.lexsort((ids[wrong], -np.abs(fit[wrong] - 62.5)))][:MISSES_KEPT]:  # worst first, then by deal id
        pts = [(c.label, float(result.columns[j].weighted(c.weight)[rows[k]]))
               for j, c in enumerate(sc.criteria)
               if sc.score_of(c) == "fit" and result.columns[j].bucket[rows[k]] != UNKNOWN]
        misses.append(Miss(ids[k], names[k], "won" if won[k] else "lost", float(fit[k]), pts))

    periods = []
    when = pd.to_datetime(f["closed"]).to_numpy()[closed] if "closed" in f else np.array([], "datetime64[ns]")
    if (~np.isnat(when)).any():
        latest = when[~np.isnat(when)].max()
        cut = latest - np.timedelta64(91, "D")
        for label, m in (("earlier deals", when <= cut), ("latest quarter", when > cut)):
            if m.any():
                periods.append((label, int(m.sum()), _share(won[m]), _auc(won[m], fit[m]), _share(fit[m & won] >= WIN_LINE)))
    return Validation(n, int(won.sum()), int((~won).sum()), int((found & (outcome == "open")).sum()),
                      int((~found).sum()), checklist, bands, _auc(won, fit), lifts, misses, periods, notes, len(wrong))
