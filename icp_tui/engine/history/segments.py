"""Segment discovery: cluster the closed deals on who the account is, then see which cluster wins.

Seed 000: an ICP segment is a cluster of accounts that share targetable attributes and beat the
baseline on product-market fit (LTV, NRR) and message-market fit (win rate, ACV, sales velocity).
:func:`discover_segments` clusters the closed deals (won and lost; the outcome is not a feature, so
the clusters are found blind and then judged on their results) with k-means, picks the number of
clusters by the silhouette score, describes each segment by its attribute ranges and dominant
values, and compares its figures with all closed deals. Segments are ranked by a stated metric
(:data:`RANKS`: value per opportunity = win rate x won ACV by default, LTV, or win rate), not by
win rate alone; :func:`rank_segments` re-ranks without clustering again.

Features, each attribute one block that weighs the same (every block is centred and scaled to a
total variance of 1, so no attribute counts more because it has more columns or a wider unit):

* size: log10 employees and log10 annual revenue together (two measures of one thing);
* growth rate;
* industry and use case: one column per value held by at least 2% of the deals (and at least 3
  deals), the rarer values together in one column;
* tech stack: one column per tool on at least 5% of the deals (whole items), plus "stack unknown".

A missing number is replaced by the median of the known ones, with a missing indicator in the
same block. Buying signals (intent) are left out on purpose: they say when, not who (seed 000).

The silhouette can be nearly flat over small k when one population is broad (a wide market around
a compact ideal segment): the report shows the score of every k, and ``k`` can be given to compare.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from icp_tui.engine.history.analysis import AnalysisError, item_indicators
from icp_tui.engine.history.economics import ltv_values

#: Rarer values than this share of the deals (or fewer than MIN_VALUE_DEALS) share one column.
MIN_VALUE_SHARE, MIN_VALUE_DEALS = 0.02, 3
#: Tools on fewer than this share of the deals are not features.
MIN_TOOL_SHARE = 0.05
#: Silhouette on a sample of this many deals when there are more (it costs n squared).
SILHOUETTE_SAMPLE = 3000
K_RANGE = range(2, 9)
#: Weight of each attribute block (each block is first scaled to a total variance of 1).
BLOCK_WEIGHTS = {"size": 1.0, "growth": 1.0, "industry": 1.0, "use_case": 1.0, "tech stack": 1.0}

Progress = Callable[[int, int, str], None]


@dataclass
class Range:
    """A numeric attribute within a segment: 10th percentile, median and 90th percentile."""

    attribute: str
    low: float
    median: float
    high: float
    known: int


@dataclass
class Share:
    value: str
    share: float  # of the segment's deals with a known value
    baseline: float  # of all closed deals with a known value


@dataclass
class Stats:
    """Deal figures of a group of closed deals (a segment or the baseline)."""

    deals: int
    won: int
    win_rate: float | None
    mean_acv: float | None  # won deals
    median_cycle: float | None  # won deals: days from created to closed (sales velocity)
    nrr: float | None  # mean over won deals
    churn_rate: float | None  # of won deals whose churn is known
    ltv: float | None
    ltv_estimated: bool  # True: some won deal's LTV is estimated (economics.ltv_values); False: all the file's own

    @property
    def value(self) -> float | None:
        """Expected revenue of one opportunity: win rate x mean won ACV."""
        return None if self.win_rate is None or self.mean_acv is None else self.win_rate * self.mean_acv

    @property
    def velocity(self) -> float | None:
        """Sales velocity per opportunity: value / median won cycle, in $ per day."""
        v = self.value
        return None if v is None or not self.median_cycle else v / self.median_cycle


@dataclass
class Segment:
    number: int  # 1 = best by the segments' rank
    stats: Stats
    lift: float | None  # win rate over the baseline's
    ranges: list[Range]
    industries: list[Share]
    use_cases: list[Share]
    tools: list[Share]
    rows: np.ndarray  # positions in the frame

    @property
    def deals(self) -> int:
        return self.stats.deals

    @property
    def win_rate(self) -> float | None:
        return self.stats.win_rate

    def describe(self) -> str:
        """The segment in attribute terms, e.g. "SaaS 45%, FinTech 30%; employees 210-1,900; ..."."""
        parts = []
        if self.industries:
            parts.append(", ".join(f"{s.value} {s.share:.0%}" for s in self.industries))
        for r in self.ranges:
            parts.append(f"{RANGE_WORDS.get(r.attribute, r.attribute)} {fmt_range(r)}")
        if self.tools:
            parts.append("stack: " + ", ".join(f"{s.value} {s.share:.0%}" for s in self.tools))
        if self.use_cases:
            parts.append("use case: " + ", ".join(f"{s.value} {s.share:.0%}" for s in self.use_cases))
        return "; ".join(parts)


@dataclass
class Segments:
    k: int
    criterion: str  # "silhouette" (best silhouette over k_range) or "given" (k was given)
    silhouette: dict[int, float]  # per k tried
    segments: list[Segment]  # best first by ``rank``
    labels: np.ndarray  # per frame row: index into segments
    baseline: Stats  # all closed deals
    features: list[str]
    seed: int
    notes: list[str] = field(default_factory=list)
    rank: str = "value"  # the metric the segments are ordered (and numbered) by: a key of RANKS

    def best(self, min_deals: int = 20) -> Segment | None:
        """The best segment by ``rank`` among those with at least ``min_deals`` deals."""
        return next((s for s in self.segments if s.deals >= min_deals), None)

    @property
    def rank_label(self) -> str:
        return RANKS[self.rank][0]


#: Ways to rank segments: name -> (what it is, the figure of a segment's Stats). Seed 000: a segment is
#: judged on what it is worth, not only on how often it is won.
RANKS: dict[str, tuple[str, Callable[[Stats], float | None]]] = {
    "value": ("value per opportunity (win rate x won ACV)", lambda s: s.value),
    "ltv": ("LTV (lifetime value of a won customer)", lambda s: s.ltv),
    "win-rate": ("win rate", lambda s: s.win_rate),
}
DEFAULT_RANK = "value"


def _rank_key(st: Stats, rank: str, tie: int) -> tuple:
    x = RANKS[rank][1](st)
    return (x is None, -(x or 0.0), -(st.win_rate or 0.0), -st.deals, tie)


def rank_segments(segs: Segments, rank: str) -> Segments:
    """The same segments ordered and numbered (1 = best) by ``rank`` (a key of :data:`RANKS`): highest
    first, unknown figures last; ties by win rate, then more deals, then the previous order."""
    if rank not in RANKS:
        raise AnalysisError(f"cannot rank segments by '{rank}' (use {', '.join(RANKS)})")
    order = sorted(range(len(segs.segments)), key=lambda i: _rank_key(segs.segments[i].stats, rank, i))
    new_index = np.empty(len(order), np.int64)
    new_index[order] = np.arange(len(order))
    segments = [replace(segs.segments[i], number=j + 1) for j, i in enumerate(order)]
    labels = new_index[segs.labels] if len(segs.labels) else segs.labels
    return replace(segs, segments=segments, labels=labels, rank=rank)


RANGE_WORDS = {"employees": "employees", "annual_revenue": "revenue", "growth_rate": "growth"}


def _num(x: float, money: bool = False) -> str:
    sign = "-" if x < 0 else ""
    x = abs(x)
    unit = "$" if money else ""
    if money and x >= 1e9:
        return f"{sign}{unit}{x / 1e9:.1f}B"
    if money and x >= 1e6:
        return f"{sign}{unit}{x / 1e6:,.0f}M"
    if money and x >= 1e3:
        return f"{sign}{unit}{x / 1e3:,.0f}k"
    return f"{sign}{unit}{x:,.0f}"


def fmt_range(r: Range) -> str:
    if r.attribute == "growth_rate":
        return f"{r.low:.0%} to {r.high:.0%}"
    money = r.attribute == "annual_revenue"
    return f"{_num(r.low, money)}-{_num(r.high, money)}"


# -- features -----------------------------------------------------------------------------------


def _block(columns: list[np.ndarray], names: list[str], label: str) -> tuple[np.ndarray, list[str]] | None:
    if not columns:
        return None
    m = np.column_stack(columns).astype(float)
    m = m - m.mean(axis=0)
    total = float((m ** 2).sum(axis=1).mean())
    if total <= 1e-12:
        return None  # the same for every deal: nothing to tell deals apart
    return m * (BLOCK_WEIGHTS.get(label, 1.0) / np.sqrt(total)), [f"{label}: {n}" for n in names]


def _numbers(frame: pd.DataFrame, fields: list[tuple[str, bool]]) -> tuple[list[np.ndarray], list[str]]:
    cols, names = [], []
    for fld, log in fields:
        if fld not in frame:
            continue
        v = frame[fld].to_numpy(dtype=float, na_value=np.nan)
        if log:
            v = np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan)
        missing = np.isnan(v)
        if missing.all():
            continue
        v = np.where(missing, np.median(v[~missing]), v)
        sd = v.std()
        cols.append((v - v.mean()) / sd if sd > 0 else v - v.mean())
        names.append(f"log {fld}" if log else fld)
        if missing.any():
            cols.append(missing.astype(float))
            names.append(f"{fld} missing")
    return cols, names


def _one_hot(s: pd.Series) -> tuple[list[np.ndarray], list[str]]:
    values = s.astype(object).where(s.notna(), "(unknown)")
    counts = values.value_counts()
    often = (counts >= MIN_VALUE_DEALS) & (counts / max(len(values), 1) >= MIN_VALUE_SHARE)
    common = sorted(counts.index[often], key=lambda v: (-int(counts[v]), str(v).lower()))
    cols = [(values == v).to_numpy(float) for v in common]
    names = [str(v) for v in common]
    rare = ~values.isin(common).to_numpy()
    if rare.any():
        cols.append(rare.astype(float))
        names.append("other values")
    return cols, names


def segment_features(frame: pd.DataFrame) -> tuple[np.ndarray, list[str]]:
    """The feature matrix (deals x columns) and its column names; see the module docstring."""
    blocks = []
    cols, names = _numbers(frame, [("employees", True), ("annual_revenue", True)])
    blocks.append(_block(cols, names, "size"))
    cols, names = _numbers(frame, [("growth_rate", False)])
    blocks.append(_block(cols, names, "growth"))
    for fld in ("industry", "use_case"):
        if fld in frame:
            blocks.append(_block(*_one_hot(frame[fld]), fld))
    if "tech_stack" in frame:
        tools = item_indicators(frame["tech_stack"], min_share=MIN_TOOL_SHARE)
        cols = [tools[t].to_numpy(float) for t in tools.columns]
        names = [str(t) for t in tools.columns]
        unknown = frame["tech_stack"].isna().to_numpy()
        if unknown.any():
            cols.append(unknown.astype(float))
            names.append("stack unknown")
        blocks.append(_block(cols, names, "tech stack"))
    kept = [b for b in blocks if b is not None]
    if not kept:
        return np.zeros((len(frame), 0)), []
    return np.column_stack([b[0] for b in kept]), [n for b in kept for n in b[1]]


# -- figures ------------------------------------------------------------------------------------


def _mean(v: np.ndarray) -> float | None:
    v = v[~np.isnan(v)]
    return float(v.mean()) if len(v) else None


def _median(v: np.ndarray) -> float | None:
    v = v[~np.isnan(v)]
    return float(np.median(v)) if len(v) else None


def _col(frame: pd.DataFrame, fld: str) -> np.ndarray:
    if fld not in frame:
        return np.full(len(frame), np.nan)
    return frame[fld].to_numpy(dtype=float, na_value=np.nan)


def group_stats(frame: pd.DataFrame) -> Stats:
    """Win rate, mean won ACV, median won cycle, NRR, churn and LTV of a group of closed deals.

    LTV (:mod:`icp_tui.engine.history.economics`): the mean over the won deals of each deal's own
    LTV where the file has one, else its ACV x the revenue of 5 years at the group's NRR (else
    1 - churn rate) as the yearly retention; no estimate with neither."""
    won = frame["won"].to_numpy(bool)
    n, w = len(frame), int(won.sum())
    amount = _col(frame, "amount")[won]
    acv = _mean(amount)
    nrr = _mean(_col(frame, "nrr")[won])
    churn = _mean(_col(frame, "churned")[won]) if "churned" in frame else None
    retention = nrr if nrr is not None else (1.0 - churn if churn is not None else np.nan)
    own = _col(frame, "ltv")[won]
    values = ltv_values(amount, own, retention)
    ltv = _mean(values)
    estimated = bool((~np.isnan(values) & np.isnan(own)).any())
    return Stats(n, w, w / n if n else None, acv, _median(_col(frame, "cycle_days")[won]), nrr, churn, ltv, estimated)


def _shares(s: pd.Series, base: pd.Series, top: int = 3, min_share: float = 0.10) -> list[Share]:
    counts = s.dropna().astype(object).value_counts()
    if counts.empty:
        return []
    base_counts = base.dropna().astype(object).value_counts()
    shares = counts / counts.sum()
    order = sorted(shares.index, key=lambda v: (-float(shares[v]), str(v).lower()))
    return [Share(str(v), float(shares[v]), float(base_counts.get(v, 0) / base_counts.sum()))
            for v in order[:top] if shares[v] >= min_share]


def _tool_shares(tools: pd.DataFrame, known: np.ndarray, m: np.ndarray, top: int = 3, min_share: float = 0.25) -> list[Share]:
    """The ``top`` tools held by at least ``min_share`` of the segment's deals (known stacks), most held first."""
    seg_known = m & known
    if not seg_known.any() or tools.empty:
        return []
    seg = tools[seg_known].mean()
    base = tools[known].mean()
    picked = [t for t in tools.columns if seg[t] >= min_share]
    picked.sort(key=lambda t: (-float(seg[t]), str(t).lower()))
    return [Share(str(t), float(seg[t]), float(base[t])) for t in picked[:top]]


def _describe(frame: pd.DataFrame, m: np.ndarray, tools: pd.DataFrame, tools_known: np.ndarray) -> tuple:
    ranges = []
    for fld in ("employees", "annual_revenue", "growth_rate"):
        v = _col(frame, fld)[m]
        v = v[~np.isnan(v)]
        if len(v):
            lo, med, hi = np.percentile(v, [10, 50, 90])
            ranges.append(Range(fld, float(lo), float(med), float(hi), len(v)))
    sub = frame[m]
    ind = _shares(sub["industry"], frame["industry"]) if "industry" in frame else []
    uc = _shares(sub["use_case"], frame["use_case"]) if "use_case" in frame else []
    return ranges, ind, uc, _tool_shares(tools, tools_known, m)


# -- clustering ---------------------------------------------------------------------------------


def discover_segments(frame: pd.DataFrame, *, k: int | None = None, k_range=K_RANGE, seed: int = 0,
                      progress: Progress | None = None, rank: str = DEFAULT_RANK) -> Segments:
    """Cluster the closed deals of ``frame`` (from :func:`closed_deal_frame`) into segments.

    k-means (scikit-learn, ``n_init=10``, ``random_state=seed``) on the features of
    :func:`segment_features`. Without ``k``, every k of ``k_range`` (those below the number of
    deals) is tried and the k with the best (highest) mean silhouette score wins (criterion
    "silhouette"; ties: the smaller k); ``progress(done, total, text)`` is called after each. Each
    segment is described (10th-90th percentile of employees, revenue and growth; its dominant
    industries, use cases and tools with their shares) and measured with :func:`group_stats`, with
    its lift (win rate over the baseline's, all closed deals). Segments are ordered and numbered by
    ``rank`` (:func:`rank_segments`; default value per opportunity = win rate x won ACV), best
    first. The same frame and seed give the same segments.
    """
    n = len(frame)
    if rank not in RANKS:
        raise AnalysisError(f"cannot rank segments by '{rank}' (use {', '.join(RANKS)})")
    X, names = segment_features(frame)
    if n < 3:
        raise AnalysisError(f"{n} closed deals cannot be clustered (at least 3 are needed)")
    if X.shape[1] == 0:
        raise AnalysisError("the accounts have no attribute to cluster on (employees, revenue, growth, industry, "
                            "use case or tech stack)")
    if k is not None:
        if not 2 <= k < n:
            raise AnalysisError(f"cannot make {k} segments of {n} closed deals (use 2 to {n - 1})")
        ks = [k]
    else:
        ks = [x for x in k_range if 2 <= x < n]
        if not ks:
            raise AnalysisError(f"no number of segments in {list(k_range)} fits {n} closed deals")
    from sklearn.cluster import KMeans  # costs ~1.4 s to import: only when clustering
    from sklearn.metrics import silhouette_score

    distinct = len(np.unique(X.round(12), axis=0))
    scores: dict[int, float] = {}
    fits: dict[int, np.ndarray] = {}
    notes = []
    for i, kk in enumerate(ks):
        if kk > distinct:
            notes.append(f"k={kk} skipped: only {distinct} distinct deal profiles")
        else:
            labels = KMeans(n_clusters=kk, n_init=10, random_state=seed).fit(X).labels_
            fits[kk] = labels
            if len(np.unique(labels)) > 1:
                sample = SILHOUETTE_SAMPLE if n > SILHOUETTE_SAMPLE else None
                scores[kk] = float(silhouette_score(X, labels, sample_size=sample, random_state=seed))
        if progress:
            progress(i + 1, len(ks), f"k={kk}" + (f": silhouette {scores[kk]:.3f}" if kk in scores else ""))
    if not fits:
        raise AnalysisError(f"the {n} closed deals have only {distinct} distinct profiles: too few to cluster")
    if k is not None:
        chosen, criterion = k, "given"
    else:
        chosen = max(scores, key=lambda kk: (scores[kk], -kk)) if scores else min(fits)
        criterion = "silhouette"
    raw = fits[chosen]

    baseline = group_stats(frame)
    tools = item_indicators(frame["tech_stack"]) if "tech_stack" in frame else pd.DataFrame(index=frame.index)
    tools_known = frame["tech_stack"].notna().to_numpy() if "tech_stack" in frame else np.zeros(n, bool)
    groups = []
    for c in np.unique(raw):
        m = raw == c
        st = group_stats(frame[m])
        groups.append((c, m, st))
    groups.sort(key=lambda g: (-(g[2].win_rate or 0.0), -g[2].deals, int(g[0])))
    labels = np.empty(n, np.int64)
    segments = []
    for number, (_c, m, st) in enumerate(groups, start=1):
        labels[m] = number - 1
        lift = (st.win_rate / baseline.win_rate) if (st.win_rate is not None and baseline.win_rate) else None
        ranges, ind, uc, tl = _describe(frame, m, tools, tools_known)
        segments.append(Segment(number, st, lift, ranges, ind, uc, tl, np.flatnonzero(m)))
    return rank_segments(Segments(chosen, criterion, scores, segments, labels, baseline, names, seed, notes,
                                  rank="win-rate"), rank)
