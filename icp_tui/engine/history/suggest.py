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

No signal, no suggestion to apply. A regression always returns weights, even on coin flips, so before
the weights are offered each criterion the fit weighs is tested on the same closed deals: the 2 x 2
table of "got the criterion's full points" (the split its lift uses, :mod:`validation`) against won /
lost, by Fisher's exact test (two-sided). The history **has a signal** when at least one criterion's
p-value is at most :data:`SIGNAL_ALPHA` (0.05) divided by the number of criteria tested (Bonferroni:
with m criteria tested on pure noise, the chance that any passes stays under 5%). A criterion that
every deal or no deal got full points for cannot separate anything (p = 1). Without a signal the
weights are still computed and shown, but :attr:`Suggestion.applicable` is False and
:attr:`Suggestion.caution` says why (:data:`NO_SIGNAL`): they are fitted to noise.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from icp_tui.engine.scorecard.results import ScoreResult, round_score

C_REGULARISATION = 1.0
QUARTER_DAYS = 91
MIN_CLASS = 5  # wins and losses each needed to fit anything
SIGNAL_ALPHA = 0.05  # family-wise, over the criteria tested
NO_SIGNAL = ("the deal history shows no criterion that separates wins from losses beyond chance: "
             "these weights are fitted to noise; keep the current ones")


@dataclass
class SignalTest:
    """One criterion's full points against won/lost on the closed deals (Fisher's exact test, two-sided)."""

    criterion: str
    label: str
    won_with: int  # won deals whose account got the criterion's full points
    lost_with: int
    won_without: int
    lost_without: int
    p_value: float


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
    tests: list[SignalTest] = field(default_factory=list)
    signal: bool = True  # some criterion separates wins from losses beyond chance (see the module)

    @property
    def ok(self) -> bool:
        """There are weights to show."""
        return not self.message

    @property
    def applicable(self) -> bool:
        """There are weights, and the history shows a signal for them to follow: they may be applied."""
        return self.ok and self.signal

    @property
    def caution(self) -> str:
        """Why weights that are shown may not be applied ("" when they may)."""
        return NO_SIGNAL if self.ok and not self.signal else ""

    def signal_text(self) -> str:
        """The test behind :attr:`signal`, e.g. "Fisher's exact test ...: the strongest, Industry, has p = 0.0011"."""
        if not self.tests:
            return ""
        best = min(self.tests, key=lambda t: t.p_value)
        m = len(self.tests)
        return (f"Fisher's exact test of each criterion's full points against won/lost, {m} criteri{'on' if m == 1 else 'a'}: "
                f"the strongest, {best.label}, has p = {best.p_value:.2g} (beyond chance: p ≤ {SIGNAL_ALPHA / m:.3g})")

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


def signal_tests(result: ScoreResult, rows: np.ndarray, won: np.ndarray) -> list[SignalTest]:
    """The test of every criterion the suggestion weighs (fit, some bucket with points), in scorecard order."""
    from scipy.stats import fisher_exact  # scipy comes with scikit-learn

    sc = result.scorecard
    out = []
    for j, c in enumerate(sc.criteria):  # per criterion; each a few column sums over the deals
        if sc.score_of(c) != "fit" or c.best_points <= 0:
            continue
        col = result.columns[j]
        full = (col.bucket[rows] >= 0) & (col.points[rows] >= c.best_points)
        a, b = int((full & won).sum()), int((full & ~won).sum())
        cc, d = int((~full & won).sum()), int((~full & ~won).sum())
        p = 1.0 if a + b == 0 or cc + d == 0 else float(fisher_exact([[a, b], [cc, d]]).pvalue)
        out.append(SignalTest(c.id, c.label, a, b, cc, d, min(p, 1.0)))
    return out


def has_signal(tests: list[SignalTest]) -> bool:
    """Some criterion's p-value is at most SIGNAL_ALPHA / (criteria tested): Bonferroni."""
    return any(t.p_value <= SIGNAL_ALPHA / len(tests) for t in tests)


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
    s.tests = signal_tests(result, r, won)
    s.signal = has_signal(s.tests)
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


__all__ = ["Suggestion", "WeightSuggestion", "SignalTest", "suggest_weights", "fit_with", "signal_tests", "has_signal",
           "NO_SIGNAL", "SIGNAL_ALPHA"]
