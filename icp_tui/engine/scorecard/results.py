"""Scores of a set of accounts for one scorecard, and the explanations behind them.

:class:`ScoreResult` is built by :class:`icp_tui.engine.scorecard.scoring.Scorer` from per-criterion columns;
scores, bands and flags are computed at once, the (accounts x criteria) matrices and the reason
texts only when asked for, and texts are built per distinct profile, never per account.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from icp_tui.engine.scorecard.file import Band, Rule, Scorecard

NO_BUCKET = -1
UNKNOWN = -2


def round_score(x: np.ndarray) -> np.ndarray:
    """Round half up to one decimal, the same rule the SQL export uses."""
    return np.floor(np.round(x * 10.0, 6) + 0.5) / 10.0


@dataclass(frozen=True)
class CriterionPoints:
    """One criterion evaluated: the bucket of every account; points are looked up from it."""

    bucket: np.ndarray  # int8 per account
    table: np.ndarray  # unweighted points by bucket index; [-1] and [-2] hold 0

    @property
    def points(self) -> np.ndarray:
        return self.table[self.bucket]

    def weighted(self, weight: float) -> np.ndarray:
        return (self.table * weight)[self.bucket]


@dataclass(frozen=True)
class RuleSet:
    """Anti-personas or exclusions evaluated: per rule its matches and share of conditions met."""

    hits: list[np.ndarray]
    shares: list[np.ndarray]
    any_hit: np.ndarray
    top_share: np.ndarray


def _matrix(columns: list[np.ndarray], n: int, dtype) -> np.ndarray:
    """Column-major (n x k) matrix: each column written and read contiguously."""
    out = np.empty((n, len(columns)), dtype, order="F")
    for j, col in enumerate(columns):
        out[:, j] = col
    return out


def _top_columns(columns: list[np.ndarray], top: int) -> tuple[np.ndarray, np.ndarray]:
    """Per row, the indices and values of the ``top`` largest columns (ties: lower index first).

    Column sweeps (top x columns vector operations) instead of a row-wise sort.
    """
    m = len(columns[0])
    order = np.empty((m, top), np.int64)
    values = np.empty((m, top))
    taken = np.zeros((m, len(columns)), bool)
    rows = np.arange(m)
    for t in range(top):
        best = np.full(m, -np.inf)
        best_j = np.zeros(m, np.int64)
        for j, col in enumerate(columns):
            better = (col > best) & ~taken[:, j]
            np.putmask(best, better, col)
            np.putmask(best_j, better, j)
        order[:, t], values[:, t] = best_j, best
        taken[rows, best_j] = True
    return order, values


class ScoreResult:
    """Scores of every account for one scorecard, with everything needed to explain them.

    Scores, bands and flags are computed at once from per-criterion columns; the (accounts x
    criteria) matrices that explanations need are built only when asked for.
    """

    def __init__(self, sc: Scorecard, n: int, columns: list[CriterionPoints], anti: RuleSet, excl: RuleSet) -> None:
        self.scorecard = sc
        self.n = n
        self.columns = columns
        self._anti = anti
        self._excl = excl
        self.weights = np.array([c.weight for c in sc.criteria], float)
        self.groups = {g: np.array([sc.score_of(c) == g for c in sc.criteria], bool)
                       for g in ("fit", "timing", "qualification")}
        self.fit, self.timing, self.qualification = (self._group_score(g) for g in ("fit", "timing", "qualification"))
        self.bands = tuple(sorted(sc.bands, key=lambda b: -b.min))
        self.band = self._assign_bands(self.fit)
        total = sum(c.max_points for c in sc.criteria)
        if total > 0:
            known = np.zeros(n)
            for c, col in zip(sc.criteria, columns):
                if c.max_points:
                    known += (col.bucket != UNKNOWN) * c.max_points
            self.coverage = known / total
        else:
            self.coverage = np.ones(n)
        self.anti_similarity = anti.top_share
        # Closer to an anti-persona than to the ideal profile: at least half of an anti-persona's
        # conditions hold, and that share is above the account's fit (as a share of 100).
        self.closer_to_anti = (self.anti_similarity >= 0.5) & (self.anti_similarity > np.nan_to_num(self.fit) / 100.0)
        self.is_excluded = excl.any_hit
        self.any_anti = anti.any_hit

    @cached_property
    def grades(self):  # -> grade.Grades (imported here: grade imports this module)
        """The priority grade of every account: fit letter x timing digit, e.g. "A1" (see :mod:`.grade`)."""
        from icp_tui.engine.scorecard.grade import grades

        return grades(self)

    @cached_property
    def bucket(self) -> np.ndarray:
        """Bucket index per account and criterion (-1 no bucket, -2 unknown)."""
        return _matrix([c.bucket for c in self.columns], self.n, np.int8)

    @cached_property
    def raw(self) -> np.ndarray:
        """Unweighted points per account and criterion."""
        return _matrix([c.points for c in self.columns], self.n, np.float64)

    @cached_property
    def points(self) -> np.ndarray:
        """Weighted points per account and criterion."""
        return _matrix([c.weighted(w) for c, w in zip(self.columns, self.weights)], self.n, np.float64)

    @cached_property
    def anti(self) -> np.ndarray:
        return _matrix(self._anti.hits, self.n, bool)

    @cached_property
    def anti_share(self) -> np.ndarray:
        return _matrix(self._anti.shares, self.n, np.float64)

    @cached_property
    def excluded(self) -> np.ndarray:
        return _matrix(self._excl.hits, self.n, bool)

    def __len__(self) -> int:
        return self.n

    def max_points(self, group: str) -> float:
        sc = self.scorecard
        return float(sum(c.max_points for c, g in zip(sc.criteria, self.groups[group]) if g))

    def _group_score(self, group: str) -> np.ndarray:
        """0-100: the group's weighted points over the most it can reach; NaN if it has no criteria."""
        top = self.max_points(group)
        if top <= 0:
            return np.full(self.n, np.nan)
        total = np.zeros(self.n)
        for c, col, in_group in zip(self.scorecard.criteria, self.columns, self.groups[group]):
            if in_group and c.weight:
                total += col.weighted(c.weight)
        return round_score(total * (100.0 / top))

    def _assign_bands(self, score: np.ndarray) -> np.ndarray:
        """Index into the bands (highest first) of each score; -1 below the lowest band or no score."""
        reached = np.zeros(len(score), np.int8)  # how many band minimums the score reaches
        for b in self.bands:  # NaN reaches none
            reached += score >= b.min
        return np.where(reached > 0, len(self.bands) - reached, -1).astype(np.int8)

    def band_of(self, i: int) -> Band | None:
        b = int(self.band[i])
        return self.bands[b] if b >= 0 else None

    def band_counts(self) -> list[tuple[Band, int]]:
        counts = np.bincount(self.band[self.band >= 0], minlength=len(self.bands))
        return list(zip(self.bands, counts.tolist()))

    # -- explanations --------------------------------------------------------------------------

    def _slot_text(self, j: int, b: int) -> str:
        c = self.scorecard.criteria[j]
        return f"{c.label}: {c.buckets[b].text} (+{c.buckets[b].points * c.weight:g})"

    def reasons_for_row(self, i: int, top: int = 3) -> str:
        pts = self.points[i]
        order = sorted((j for j in range(len(pts)) if pts[j] > 0), key=lambda j: (-pts[j], j))[:top]
        return "; ".join(self._slot_text(j, int(self.bucket[i, j])) for j in order)

    def unknown_for_row(self, i: int) -> str:
        return ", ".join(c.id for c, b in zip(self.scorecard.criteria, self.bucket[i]) if b == UNKNOWN)

    def reasons(self, top: int = 3) -> tuple[np.ndarray, list[str]]:
        """Each account's top reasons as (code per account, texts): the criteria that gave the most
        points, highest first (ties in file order).

        Vectorised twice over: accounts are grouped by their bucket profile (the tuple of bucket
        indices), the top criteria are found once per distinct profile with column sweeps, and a
        text is built once per distinct (criterion, bucket) triple.
        """
        crits = self.scorecard.criteria
        k, n = len(crits), self.n
        if k == 0:
            return np.zeros(n, np.int64), [""]
        top = min(top, k)
        radix = [len(c.buckets) + 2 for c in crits]
        if float(np.prod(np.array(radix, float))) < 2**62:
            key = np.zeros(n, np.int64)
            for r, col in zip(radix, self.columns):
                key = key * r + (col.bucket.astype(np.int64) + 2)
            row_profile, profiles = pd.factorize(key)
            profiles = np.asarray(profiles, np.int64)
            buckets = np.empty((len(profiles), k), np.int64)
            for j in range(k - 1, -1, -1):
                buckets[:, j] = profiles % radix[j] - 2
                profiles = profiles // radix[j]
        else:  # too many buckets for one integer key: one profile per account
            row_profile = np.arange(n)
            buckets = self.bucket.astype(np.int64)
        weighted = []
        for j, c in enumerate(crits):
            table = np.array([b.points * c.weight for b in c.buckets] + [0.0, 0.0])
            weighted.append(table[buckets[:, j]])
        order, top_pts = _top_columns(weighted, top)
        m = len(buckets)
        top_b = np.stack([buckets[np.arange(m), order[:, t]] for t in range(top)], axis=1)
        width = max(radix)
        slot = np.where(top_pts > 0, order * width + top_b + 2, -1) + 1  # 0 = empty slot
        base = k * width + 1
        triple = np.zeros(m, np.int64)
        for t in range(top):
            triple = triple * base + slot[:, t]
        profile_text, triples = pd.factorize(triple)
        texts = []
        for u in triples:
            parts = []
            for t in range(top):
                code = int(u) // base ** (top - 1 - t) % base
                if code:
                    j, b = divmod(code - 1, width)
                    parts.append(self._slot_text(j, b - 2))
            texts.append("; ".join(parts))
        return profile_text[row_profile], texts

    def unknowns(self) -> tuple[np.ndarray, list[str]]:
        """Each account's unknown criteria (ids) as (code per account, texts)."""
        ids = [c.id for c in self.scorecard.criteria]
        if len(ids) > 62:  # too many for a bit mask: distinct rows instead
            uniq, codes = np.unique(self.bucket == UNKNOWN, axis=0, return_inverse=True)
            return codes.ravel().astype(np.int64), [", ".join(i for i, m in zip(ids, row) if m) for row in uniq]
        bits = np.zeros(self.n, np.int64)
        for j, col in enumerate(self.columns):
            bits |= (col.bucket == UNKNOWN).astype(np.int64) << j
        codes, uniques = pd.factorize(bits)
        return codes, [", ".join(i for j, i in enumerate(ids) if int(u) >> j & 1) for u in uniques]

    @staticmethod
    def _names(hits: list[np.ndarray], rules: tuple[Rule, ...], n: int) -> tuple[np.ndarray, list[str]]:
        """Names of the rules each account matches, as (code per account, texts)."""
        bits = np.zeros(n, np.int64)
        for j, hit in enumerate(hits):
            bits |= hit.astype(np.int64) << j
        codes, uniques = pd.factorize(bits)
        texts = ["; ".join(r.name for j, r in enumerate(rules) if int(u) >> j & 1) for u in uniques]
        return codes, texts

    def anti_persona_names(self) -> tuple[np.ndarray, list[str]]:
        return self._names(self._anti.hits, self.scorecard.anti_personas, self.n)

    def exclusion_names(self) -> tuple[np.ndarray, list[str]]:
        return self._names(self._excl.hits, self.scorecard.exclusions, self.n)

    def explain(self, i: int) -> list[dict]:
        """One account's score, criterion by criterion (for screens and reports)."""
        rows = []
        for j, c in enumerate(self.scorecard.criteria):
            b = int(self.bucket[i, j])
            rows.append({
                "id": c.id,
                "label": c.label,
                "score": self.scorecard.score_of(c),
                "bucket": c.buckets[b].text if b >= 0 else ("unknown" if b == UNKNOWN else "no bucket"),
                "points": float(self.points[i, j]),
                "max": c.max_points,
                "unknown": b == UNKNOWN,
            })
        return rows

    def tiers(self) -> tuple[np.ndarray, list[str], list[str]]:
        """(code per account, tier texts, action texts); excluded accounts get the last code."""
        tiers = [b.tier or b.label for b in self.bands] + ["", "Excluded"]
        actions = [b.action for b in self.bands] + ["", "Do not pursue: hard exclusion"]
        code = np.where(self.band >= 0, self.band, len(self.bands)).astype(np.int64)
        code[self.is_excluded] = len(self.bands) + 1
        return code, tiers, actions
