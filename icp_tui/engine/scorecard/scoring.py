"""Vectorised scoring: fit, timing and qualification scores, bands, explanations, anti-personas.

The unit of work is a column: each criterion is evaluated once for all accounts (numpy masks,
categorical codes and lookup tables), giving the index of the bucket each account falls in and
its points. Those per-criterion results are cached by (field, buckets), so a re-score after a
weight change is a few lookups and sums over cached columns, and re-scoring after editing one
criterion's buckets recomputes only that criterion.

Bucket index -1 means "a value, but no bucket matched" (0 points); -2 means the value is unknown
(missing or unparsable: 0 points, listed in the explanation and lowering coverage).
"""

from __future__ import annotations

from typing import cast

import numpy as np

from icp_tui.engine.core.accounts import LIST_FIELDS, AccountFrame
from icp_tui.engine.core.conditions import Matcher
from icp_tui.engine.scorecard.file import Criterion, Rule, Scorecard
from icp_tui.engine.scorecard.results import NO_BUCKET, UNKNOWN, CriterionPoints, RuleSet, ScoreResult, round_score

__all__ = ["Scorer", "ScoreResult", "CriterionPoints", "NO_BUCKET", "UNKNOWN", "round_score", "value_kind"]


def value_kind(m: Matcher, hint: str | None = None) -> str:
    """How a matcher reads its field: "number", "items" (a list cell), "bool" or "text".

    ``hint`` is the criterion's kind, so that a bucket such as ``otherwise`` reads the field the
    way its criterion's other buckets do."""
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


class Scorer:
    """Scores one set of accounts with any number of scorecards, caching per-criterion work."""

    def __init__(self, accounts: AccountFrame) -> None:
        self.accounts = accounts
        self.n = len(accounts)
        self._criteria: dict[tuple, CriterionPoints] = {}
        self._masks: dict[tuple, tuple[np.ndarray, np.ndarray]] = {}
        self._rules: dict[tuple, object] = {}  # ("rule", r) -> (matches, share); ("rules", rs) -> RuleSet

    # -- one matcher ---------------------------------------------------------------------------

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
        kind = value_kind(m, kind_hint)
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
        np.putmask(bucket, ~known, UNKNOWN)  # ... unless a `missing = true` bucket gives unknown values its points
        for j in range(len(c.buckets) - 1, -1, -1):  # the first bucket in file order wins
            hit, _ = self.mask(c.buckets[j].matcher, kind)  # only `missing = true` hits an unknown value
            np.putmask(bucket, hit, j)
        table = np.array([b.points for b in c.buckets] + [0.0, 0.0])  # [-2] and [-1] give 0
        result = CriterionPoints(bucket, table)
        self._criteria[key] = result
        return result

    def rule_matches(self, rule: Rule) -> tuple[np.ndarray, np.ndarray]:
        """(matches, share of conditions met) for an anti-persona or exclusion."""
        key = ("rule", rule)
        if key not in self._rules:
            met = np.zeros(self.n, np.int16)  # how many conditions hold
            for m in rule.conditions:
                met += self.mask(m)[0]
            need = len(rule.conditions) if rule.join == "all" else 1
            matched = met >= need
            share = met / len(rule.conditions) if rule.join == "all" else matched.astype(float)
            self._rules[key] = (matched, share)
        return cast("tuple[np.ndarray, np.ndarray]", self._rules[key])

    def _rule_summary(self, rules: tuple[Rule, ...]) -> RuleSet:
        key = ("rules", rules)
        if key not in self._rules:
            m = [self.rule_matches(r) for r in rules]
            any_hit, top_share = np.zeros(self.n, bool), np.zeros(self.n)
            for hit, share in m:  # a few rules: column by column, no (n x rules) reduction
                any_hit |= hit
                np.maximum(top_share, share, out=top_share)
            self._rules[key] = RuleSet([a for a, _ in m], [b for _, b in m], any_hit, top_share)
        return cast(RuleSet, self._rules[key])

    # -- the whole scorecard -------------------------------------------------------------------

    def score(self, sc: Scorecard) -> ScoreResult:
        columns = [self.criterion_points(c) for c in sc.criteria]
        return ScoreResult(sc, self.n, columns, self._rule_summary(sc.anti_personas), self._rule_summary(sc.exclusions))
