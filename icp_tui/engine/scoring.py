"""Vectorised scoring: fit, timing and qualification scores, bands, explanations, anti-personas.

The unit of work is a column: each criterion is evaluated once for all accounts (numpy masks,
categorical codes and lookup tables), giving the index of the bucket each account falls in and
its unweighted points. Those per-criterion results are cached by (field, buckets), so a re-score
after a weight change is a matrix-vector product and re-scoring after editing one criterion's
buckets recomputes only that criterion.

Bucket index -1 means "a value, but no bucket matched" (0 points); -2 means the value is unknown
(missing or unparsable: 0 points, listed in the explanation and lowering coverage).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from icp_tui.engine.accounts import LIST_FIELDS, AccountFrame
from icp_tui.engine.conditions import Matcher
from icp_tui.engine.scorecard import Band, Criterion, Rule, Scorecard

NO_BUCKET = -1
UNKNOWN = -2


def round_score(x: np.ndarray) -> np.ndarray:
    """Round half up to one decimal, the same rule the SQL export uses."""
    return np.floor(np.round(x * 10.0, 6) + 0.5) / 10.0


@dataclass(frozen=True)
class CriterionPoints:
    bucket: np.ndarray  # int8 per account
    points: np.ndarray  # float64 per account, unweighted


class Scorer:
    """Scores one set of accounts with any number of scorecards, caching per-criterion work."""

    def __init__(self, accounts: AccountFrame) -> None:
        self.accounts = accounts
        self.n = len(accounts)
        self._criteria: dict[tuple, CriterionPoints] = {}
        self._masks: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._rules: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._stack_key: tuple | None = None
        self._stack_value: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None

    # -- one matcher ---------------------------------------------------------------------------

    def _kind_of_field(self, m: Matcher, hint: str | None = None) -> str:
        if hint:
            return hint
        if m.kind == "range":
            return "number"
        if m.kind.startswith("contains"):
            return "items"
        if m.kind == "is":
            return "bool"
        if m.kind in ("missing", "otherwise") and m.field in LIST_FIELDS:
            return "items"
        return "text"

    def known(self, fld: str, kind: str) -> np.ndarray:
        acc = self.accounts
        if not acc.has(fld):
            return np.zeros(self.n, bool)
        if kind == "number":
            return acc.numbers(fld).known
        if kind == "items":
            return acc.items(fld).known
        if kind == "bool":
            return acc.booleans(fld).known
        return acc.categories(fld).known

    def mask(self, m: Matcher, kind_hint: str | None = None) -> tuple[np.ndarray, np.ndarray]:
        """(matches, known) for one matcher over all accounts."""
        key = (m, kind_hint)
        if key in self._masks:
            return self._masks[key]
        acc, fld = self.accounts, m.field
        kind = self._kind_of_field(m, kind_hint)
        known = self.known(fld, kind)
        if not acc.has(fld):
            hit = np.ones(self.n, bool) if (m.kind == "missing" and m.flag) else np.zeros(self.n, bool)
        elif m.kind == "range":
            v = acc.numbers(fld).values
            with np.errstate(invalid="ignore"):
                hit = known.copy()
                if m.gte is not None:
                    hit &= v >= m.gte
                if m.gt is not None:
                    hit &= v > m.gt
                if m.lte is not None:
                    hit &= v <= m.lte
                if m.lt is not None:
                    hit &= v < m.lt
        elif m.kind in ("in", "not_in"):
            hit = acc.categories(fld).lookup({v.lower() for v in m.values})
            if m.kind == "not_in":
                hit = known & ~hit
        elif m.kind in ("contains_any", "contains_all", "contains_none"):
            items = acc.items(fld)
            wanted = {v.lower() for v in m.values}
            if m.kind == "contains_all":
                hit = items.all_of(wanted)
            else:
                hit = items.any_of(wanted)
                if m.kind == "contains_none":
                    hit = items.known & ~hit
        elif m.kind == "is":
            b = acc.booleans(fld)
            hit = b.known & (b.values == bool(m.flag))
        elif m.kind == "missing":
            hit = ~known if m.flag else known.copy()
        else:  # otherwise: any known value (earlier buckets win)
            hit = known.copy()
        if m.kind == "missing":
            known = np.ones(self.n, bool)
        self._masks[key] = (hit, known)
        return hit, known

    # -- one criterion -------------------------------------------------------------------------

    @staticmethod
    def criterion_kind(c: Criterion) -> str:
        kinds = {b.matcher.kind for b in c.buckets}
        if "range" in kinds:
            return "number"
        if kinds & {"contains_any", "contains_all", "contains_none"}:
            return "items"
        if "is" in kinds:
            return "bool"
        return "items" if c.field in LIST_FIELDS and not kinds & {"in", "not_in"} else "text"

    def criterion_points(self, c: Criterion) -> CriterionPoints:
        key = (c.field, c.buckets)
        cached = self._criteria.get(key)
        if cached is not None:
            return cached
        kind = self.criterion_kind(c)
        known = self.known(c.field, kind)
        bucket = np.full(self.n, NO_BUCKET, np.int8)
        for j in range(len(c.buckets) - 1, -1, -1):  # the first bucket in file order wins
            hit, _ = self.mask(c.buckets[j].matcher, kind)
            bucket[hit & known] = j
        bucket[~known] = UNKNOWN
        table = np.array([b.points for b in c.buckets] + [0.0, 0.0])  # [-2] and [-1] give 0
        result = CriterionPoints(bucket, table[bucket])
        self._criteria[key] = result
        return result

    def rule_matches(self, rule: Rule) -> tuple[np.ndarray, np.ndarray]:
        """(matches, share of conditions met) for an anti-persona or exclusion."""
        key = ("rule", rule)
        if key not in self._rules:
            hits = np.column_stack([self.mask(m)[0] for m in rule.conditions])
            matched = hits.all(axis=1) if rule.join == "all" else hits.any(axis=1)
            share = hits.mean(axis=1) if rule.join == "all" else matched.astype(float)
            self._rules[key] = (matched, share)
        return self._rules[key]

    def _stack(self, sc: Scorecard) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(bucket, raw points, known) matrices for the scorecard's criteria, cached as a whole."""
        key = tuple((c.field, c.buckets) for c in sc.criteria)
        if key != self._stack_key:
            results = [self.criterion_points(c) for c in sc.criteria]
            bucket = np.column_stack([r.bucket for r in results]) if results else np.zeros((self.n, 0), np.int8)
            raw = np.column_stack([r.points for r in results]) if results else np.zeros((self.n, 0))
            self._stack_key, self._stack_value = key, (bucket, raw, (bucket != UNKNOWN).astype(np.float64))
        return self._stack_value

    def _rule_stack(self, rules: tuple[Rule, ...]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """(matches, shares, any match, highest share) over the rules, cached as a whole."""
        key = ("rules", rules)
        if key not in self._rules:
            m = [self.rule_matches(r) for r in rules]
            any_hit, top_share = np.zeros(self.n, bool), np.zeros(self.n)
            for hit, share in m:  # a few rules: column by column beats a reduction over axis 1
                any_hit |= hit
                np.maximum(top_share, share, out=top_share)
            self._rules[key] = (
                np.column_stack([a for a, _ in m]) if m else np.zeros((self.n, 0), bool),
                np.column_stack([b for _, b in m]) if m else np.zeros((self.n, 0)),
                any_hit,
                top_share,
            )
        return self._rules[key]

    # -- the whole scorecard -------------------------------------------------------------------

    def score(self, sc: Scorecard) -> "ScoreResult":
        bucket, raw, known = self._stack(sc)
        anti, anti_share, _, anti_top = self._rule_stack(sc.anti_personas)
        excluded, _, any_excluded, _ = self._rule_stack(sc.exclusions)
        return ScoreResult(sc, bucket, raw, anti, anti_share, excluded, known, anti_top, any_excluded)


def score_accounts(accounts: AccountFrame, sc: Scorecard) -> "ScoreResult":
    return Scorer(accounts).score(sc)


class ScoreResult:
    """Scores of every account for one scorecard, with everything needed to explain them."""

    def __init__(self, sc: Scorecard, bucket: np.ndarray, raw: np.ndarray, anti: np.ndarray,
                 anti_share: np.ndarray, excluded: np.ndarray, known: np.ndarray | None = None,
                 anti_top: np.ndarray | None = None, any_excluded: np.ndarray | None = None) -> None:
        n = len(bucket)
        self.scorecard = sc
        self.bucket = bucket
        self.raw = raw
        self.anti = anti
        self.anti_share = anti_share
        self.excluded = excluded
        self.weights = np.array([c.weight for c in sc.criteria], float)
        self.groups = {g: np.array([sc.score_of(c) == g for c in sc.criteria], bool)
                       for g in ("fit", "timing", "qualification")}
        self.fit, self.timing, self.qualification = self._group_scores()
        self.bands = tuple(sorted(sc.bands, key=lambda b: -b.min))
        self.band = self._assign_bands(self.fit)
        maxes = np.array([c.max_points for c in sc.criteria], float)
        total = maxes.sum()
        if known is None:
            known = (bucket != UNKNOWN).astype(np.float64)
        self.coverage = known @ maxes / total if total > 0 else np.ones(n)
        if anti_top is None:
            anti_top = anti_share.max(axis=1) if anti_share.shape[1] else np.zeros(n)
        self.anti_similarity = anti_top
        # Closer to an anti-persona than to the ideal profile: at least half of an anti-persona's
        # conditions hold, and that share is above the account's fit (as a share of 100).
        self.closer_to_anti = (self.anti_similarity >= 0.5) & (self.anti_similarity > np.nan_to_num(self.fit) / 100.0)
        if any_excluded is None:
            any_excluded = excluded.any(axis=1) if excluded.shape[1] else np.zeros(n, bool)
        self.is_excluded = any_excluded

    @cached_property
    def points(self) -> np.ndarray:
        """Weighted points per account and criterion."""
        return self.raw * self.weights

    def __len__(self) -> int:
        return len(self.bucket)

    def max_points(self, group: str) -> float:
        sc = self.scorecard
        return float(sum(c.max_points for c, g in zip(sc.criteria, self.groups[group]) if g))

    def _group_scores(self) -> list[np.ndarray]:
        """Fit, timing and qualification in one matrix product; NaN where a score has no criteria."""
        tops = [self.max_points(g) for g in ("fit", "timing", "qualification")]
        cols = np.column_stack([self.weights * self.groups[g] * (100.0 / t if t > 0 else 0.0)
                                for g, t in zip(("fit", "timing", "qualification"), tops)])
        scores = round_score(self.raw @ cols)
        return [scores[:, i] if t > 0 else np.full(len(self.raw), np.nan) for i, t in enumerate(tops)]

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

    @cached_property
    def _profiles(self) -> tuple[np.ndarray, np.ndarray]:
        """(code per account, one representative row per distinct bucket profile)."""
        b = self.bucket.astype(np.int64) + 2
        sizes = np.array([len(c.buckets) + 2 for c in self.scorecard.criteria], np.int64)
        if len(sizes) and np.prod(sizes.astype(float)) < 2**62:
            strides = np.concatenate([[1], np.cumprod(sizes)[:-1]])
            codes, uniques = pd.factorize(b @ strides)
            firsts = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
        else:
            _, firsts, codes = np.unique(b, axis=0, return_index=True, return_inverse=True)
            codes = codes.ravel()
        return codes.astype(np.int64), firsts

    def reasons_for_row(self, i: int, top: int = 3) -> str:
        sc = self.scorecard
        pts = self.points[i]
        order = sorted((j for j in range(len(sc.criteria)) if pts[j] > 0), key=lambda j: (-pts[j], j))[:top]
        return "; ".join(
            f"{sc.criteria[j].label}: {sc.criteria[j].buckets[self.bucket[i, j]].text} (+{pts[j]:g})" for j in order
        )

    def unknown_for_row(self, i: int) -> str:
        return ", ".join(c.id for c, b in zip(self.scorecard.criteria, self.bucket[i]) if b == UNKNOWN)

    def _per_profile(self, make) -> tuple[np.ndarray, list[str]]:
        codes, firsts = self._profiles
        return codes, [make(int(r)) for r in firsts]

    def reasons(self, top: int = 3) -> tuple[np.ndarray, list[str]]:
        """Dictionary-encoded text of each account's top reasons: (codes, texts)."""
        return self._per_profile(lambda r: self.reasons_for_row(r, top))

    def unknowns(self) -> tuple[np.ndarray, list[str]]:
        return self._per_profile(self.unknown_for_row)

    @staticmethod
    def _names(mask: np.ndarray, rules: tuple[Rule, ...]) -> tuple[np.ndarray, list[str]]:
        if not rules:
            return np.zeros(len(mask), np.int64), [""]
        bits = mask.astype(np.int64) @ (1 << np.arange(len(rules), dtype=np.int64))
        codes, uniques = pd.factorize(bits)
        texts = ["; ".join(r.name for j, r in enumerate(rules) if int(u) >> j & 1) for u in uniques]
        return codes.astype(np.int64), texts

    def anti_persona_names(self) -> tuple[np.ndarray, list[str]]:
        return self._names(self.anti, self.scorecard.anti_personas)

    def exclusion_names(self) -> tuple[np.ndarray, list[str]]:
        return self._names(self.excluded, self.scorecard.exclusions)

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
