"""Weights suggested by the deal history, and a check of them on the latest quarter.

Method (stated in the README): a logistic regression with L2 regularisation (scikit-learn,
``C = 1``, balanced classes) of won/lost on *bucket indicators*: for every fit criterion one 0/1
column per bucket an account can fall in, the criterion's lowest-scoring bucket (and unknown values)
being the reference. The fitted effect of each bucket is then turned back into one weight per
criterion: the weight that best reproduces the bucket effects with the scorecard's own bucket points
(least squares, each bucket counted by its number of deals), negative weights set to 0, and all
weights scaled so that the fit criteria keep the total points they have now. Weights are rounded to
0.1. The bucket points themselves are not changed: a criterion whose buckets are in the wrong order
shows up as a weight near 0 and a low lift.

The time split (seed 002: rolling windows, old wins can mislead): suggest from the deals closed
before the latest quarter (91 days), then compare the AUC of the current and the suggested weights on
the latest quarter alone.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from icp_tui.engine.scorecard.results import ScoreResult, round_score

C_REGULARISATION = 1.0
QUARTER_DAYS = 91
MIN_CLASS = 5  # wins and losses each needed to fit anything


@dataclass
class WeightSuggestion:
    criterion: str
    label: str
    current: float
    suggested: float
    current_points: float  # best bucket x weight
    suggested_points: float


@dataclass
class Suggestion:
    weights: list[WeightSuggestion]
    deals: int
    auc_current: float | None
    auc_suggested: float | None
    #: the time split: fitted on older deals, measured on the latest quarter
    split: dict[str, float | int | None] = field(default_factory=dict)
    message: str = ""  # why nothing could be suggested

    @property
    def ok(self) -> bool:
        return not self.message

    def as_dict(self) -> dict[str, float]:
        return {w.criterion: w.suggested for w in self.weights}


def _auc(won: np.ndarray, score: np.ndarray) -> float | None:
    if len(np.unique(won)) < 2:
        return None
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score(won, score))


def _design(result: ScoreResult, fit_idx: list[int], rows: np.ndarray) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """0/1 columns, one per (criterion, bucket) except each criterion's reference buckets."""
    sc = result.scorecard
    cols, keys = [], []
    for j in fit_idx:
        c = sc.criteria[j]
        bucket = result.columns[j].bucket[rows]
        ref = min(b.points for b in c.buckets)
        for b_i, b in enumerate(c.buckets):
            if b.points == ref:
                continue  # the reference: lowest points (with no bucket and unknown values)
            hit = bucket == b_i
            if hit.any():
                cols.append(hit)
                keys.append((j, b_i))
    x = np.column_stack(cols).astype(float) if cols else np.zeros((len(rows), 0))
    return x, keys


def _fit_weights(result: ScoreResult, rows: np.ndarray, won: np.ndarray) -> dict[int, float] | None:
    sc = result.scorecard
    fit_idx = [j for j, c in enumerate(sc.criteria) if sc.score_of(c) == "fit" and c.best_points > 0]
    x, keys = _design(result, fit_idx, rows)
    if x.shape[1] == 0:
        return None
    from sklearn.linear_model import LogisticRegression  # lazily: scikit-learn costs ~1.4 s to import

    model = LogisticRegression(C=C_REGULARISATION, class_weight="balanced", max_iter=2000)
    model.fit(x, won)
    beta = model.coef_[0]
    counts = x.sum(axis=0)
    raw: dict[int, float] = {}
    for j in fit_idx:
        c = sc.criteria[j]
        ref = min(b.points for b in c.buckets)
        idx = [k for k, (jj, _) in enumerate(keys) if jj == j]
        if not idx:
            raw[j] = 0.0
            continue
        p = np.array([c.buckets[keys[k][1]].points - ref for k in idx])
        n = counts[idx]
        denom = float((n * p * p).sum())
        raw[j] = max(0.0, float((n * p * beta[idx]).sum()) / denom) if denom else 0.0
    total_now = sum(sc.criteria[j].max_points for j in fit_idx)
    total_raw = sum(raw[j] * sc.criteria[j].best_points for j in fit_idx)
    if total_raw <= 0:
        return dict.fromkeys(fit_idx, 0.0)
    scale = total_now / total_raw
    return {j: round(raw[j] * scale, 1) for j in fit_idx}


def fit_with(result: ScoreResult, weights: dict[int, float], rows: np.ndarray | None = None) -> np.ndarray:
    """Fit scores (0-100) under other weights, from the cached per-criterion points."""
    sc = result.scorecard
    sel = slice(None) if rows is None else rows
    total = np.zeros(result.n if rows is None else len(rows))
    top = 0.0
    for j, c in enumerate(sc.criteria):
        if sc.score_of(c) != "fit":
            continue
        w = weights.get(j, c.weight)
        top += max(c.best_points, 0.0) * w
        if w:
            total += result.columns[j].points[sel] * w
    return round_score(total * (100.0 / top)) if top > 0 else np.full(len(total), np.nan)


def suggest_weights(result: ScoreResult, outcome: np.ndarray, rows: np.ndarray,
                    closed_on: np.ndarray | None = None) -> Suggestion:
    """``outcome`` per deal ("won", "lost", "open", None), ``rows`` the account row of each deal (-1: none),
    ``closed_on`` the close dates (datetime64) for the time split."""
    sc = result.scorecard
    closed = (rows >= 0) & np.isin(outcome, ["won", "lost"])
    r, won = rows[closed], (outcome[closed] == "won")
    n_won, n_lost = int(won.sum()), int((~won).sum())
    if n_won < MIN_CLASS or n_lost < MIN_CLASS:
        return Suggestion([], int(closed.sum()), None, None,
                          message=f"needs at least {MIN_CLASS} won and {MIN_CLASS} lost deals with a known account "
                                  f"(has {n_won} won, {n_lost} lost)")
    fitted = _fit_weights(result, r, won)
    if fitted is None:
        return Suggestion([], int(closed.sum()), None, None, message="no fit criterion has a bucket with points")
    rows_w = [WeightSuggestion(sc.criteria[j].id, sc.criteria[j].label, sc.criteria[j].weight, w,
                               sc.criteria[j].max_points, max(sc.criteria[j].best_points, 0.0) * w)
              for j, w in fitted.items()]
    s = Suggestion(rows_w, int(closed.sum()), _auc(won, np.nan_to_num(result.fit[r])),
                   _auc(won, np.nan_to_num(fit_with(result, fitted, r))))
    if closed_on is not None:
        s.split = _time_split(result, r, won, closed_on[closed])
    return s


def _time_split(result: ScoreResult, rows: np.ndarray, won: np.ndarray, when: np.ndarray) -> dict:
    known = ~np.isnat(when)
    if not known.any():
        return {}
    cut = when[known].max() - np.timedelta64(QUARTER_DAYS, "D")
    old, new = known & (when <= cut), known & (when > cut)
    out: dict[str, float | int | None] = {"train": int(old.sum()), "test": int(new.sum())}
    if min(int(won[old].sum()), int((~won[old]).sum())) < MIN_CLASS:
        return out | {"message": "too few older wins or losses to fit on"}
    fitted = _fit_weights(result, rows[old], won[old])
    if fitted is None:
        return out
    out["auc_current"] = _auc(won[new], np.nan_to_num(result.fit[rows[new]]))
    out["auc_suggested"] = _auc(won[new], np.nan_to_num(fit_with(result, fitted, rows[new])))
    return out


__all__ = ["Suggestion", "WeightSuggestion", "suggest_weights", "fit_with"]
