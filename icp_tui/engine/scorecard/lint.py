"""Scorecard lint: problems that do not stop scoring but make scores wrong or hard to trust."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from icp_tui.engine.core.accounts import AccountFrame
from icp_tui.engine.core.conditions import fmt_number
from icp_tui.engine.core.dates import months_back, months_between
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.scorecard.file import Criterion, ScorecardFile
from icp_tui.engine.scorecard.near_miss import NearMiss, near_misses
from icp_tui.engine.scorecard.scoring import Scorer, value_kind

INF = math.inf
#: Near-miss values named in one finding; the rest are counted.
NEAR_MISSES_SHOWN = 8
#: Seed 003: a profile on fewer dimensions than this is too vague to tell accounts apart.
MIN_DIMENSIONS = 3
#: Seed 003: an ICP not checked against deals for this many months needs validating again.
STALE_MONTHS = 6


@dataclass(frozen=True)
class Finding:
    severity: str  # "warning" or "info"
    key: str
    message: str
    line: int | None = None
    source: str = ""  # "seed 003" for the rules of :func:`seed_findings`

    def text(self, file: str = "") -> str:
        where = f"{file}:{self.line}: " if file and self.line else (f"{file}: " if file else "")
        return f"{where}{self.severity}: {self.key}: {self.message}"


def _interval(m) -> tuple[float, bool, float, bool]:
    lo = m.lower or (-INF, False)
    hi = m.upper or (INF, False)
    return lo[0], lo[1], hi[0], hi[1]


def _show(lo: float, lo_in: bool, hi: float, hi_in: bool) -> str:
    if lo == -INF:
        return f"{'≤' if hi_in else 'below'} {fmt_number(hi)}"
    if hi == INF:
        return f"{'≥' if lo_in else 'above'} {fmt_number(lo)}"
    if lo == hi:
        return fmt_number(lo)
    return f"{fmt_number(lo)} to {fmt_number(hi)}"


def _range_findings(c: Criterion, key: str) -> list[tuple[str, str]]:
    out = []
    ranges = [(j, _interval(b.matcher)) for j, b in enumerate(c.buckets, 1) if b.matcher.kind == "range"]
    for a in range(len(ranges)):
        for b in range(a + 1, len(ranges)):
            (ja, (alo, alo_in, ahi, ahi_in)), (jb, (blo, blo_in, bhi, bhi_in)) = ranges[a], ranges[b]
            lo, lo_in = max((alo, alo_in), (blo, blo_in), key=lambda t: (t[0], not t[1]))
            hi, hi_in = min((ahi, ahi_in), (bhi, bhi_in), key=lambda t: (t[0], t[1]))
            if lo < hi or (lo == hi and lo_in and hi_in):
                out.append((f"{key}.buckets[{jb}]", f"overlaps bucket {ja} on {_show(lo, lo_in, hi, hi_in)}; "
                            f"the first bucket in the file wins there"))
    if ranges and not any(b.matcher.kind == "otherwise" for b in c.buckets):
        spans = sorted((iv for _, iv in ranges), key=lambda t: (t[0], not t[1]))
        cur, cur_in = -INF, False  # covered up to here
        first = True
        for lo, lo_in, hi, hi_in in spans:
            gap = lo > cur or (lo == cur and not lo_in and not cur_in and not first)
            if first and lo > -INF:
                gap = True
            if gap:
                out.append((f"{key}", f"values {_show(cur, not cur_in, lo, not lo_in)} fall in no bucket (0 points)"))
            if (hi, hi_in) > (cur, cur_in):
                cur, cur_in = hi, hi_in
            first = False
        if cur < INF:
            out.append((f"{key}", f"values {_show(cur, not cur_in, INF, False)} fall in no bucket (0 points)"))
    return out


def near_miss_text(misses: list[NearMiss], column: str, path: str, consequence: str) -> str:
    """One line for the near-miss values of one criterion or condition, e.g. "column 'Industry' of a.csv:
    14 accounts have 'Technolgy' (did you mean 'Technology'?), 3 have ...; they score as no match"."""
    parts = []
    for k, m in enumerate(misses[:NEAR_MISSES_SHOWN]):
        who = f"{m.accounts:,} account{'s' if m.accounts != 1 else ''} " if k == 0 else f"{m.accounts:,} "
        parts.append(f"{who}{'has' if m.accounts == 1 else 'have'} '{m.value}' (did you mean '{m.meant}'?)")
    rest = misses[NEAR_MISSES_SHOWN:]
    if rest:
        n = sum(m.accounts for m in rest)
        parts.append(f"and {len(rest)} more near-miss value{'s' if len(rest) != 1 else ''} "
                     f"({n:,} account{'s' if n != 1 else ''})")
    return f"column '{column}' of {path}: {', '.join(parts)}; {consequence}"


def _criterion_near_misses(c: Criterion, accounts: AccountFrame) -> str | None:
    kind = Scorer.criterion_kind(c)
    sets = ("in", "not_in") if kind == "text" else ("contains_any", "contains_all", "contains_none")
    listed = [v for b in c.buckets if b.matcher.kind in sets for v in b.matcher.values]
    if kind not in ("text", "items") or not listed:
        return None
    misses = near_misses(accounts, c.field, kind, listed)
    if not misses:
        return None
    other = next((b for b in c.buckets if b.matcher.kind == "otherwise"), None)
    if kind == "items":
        consequence = "those items match no bucket"
    elif other is not None:
        consequence = f"they score as any other value ({other.points:g} points)"
    else:
        consequence = "they score as no match"
    return near_miss_text(misses, accounts.column_name(c.field) or c.field, accounts.path, consequence)


def lint_scorecard(sf: ScorecardFile, accounts: AccountFrame | None = None, today: date | None = None) -> list[Finding]:
    """Every finding for the scorecard (with accounts, also its fields and values against them);
    ``today`` (default: the clock's) dates the check of ``[scorecard] validated``."""
    sc = sf.scorecard
    findings: list[Finding] = []

    def add(path: list, message: str, severity: str = "warning", source: str = "") -> None:
        key = ""
        for p in path:
            key += f"[{p}]" if isinstance(p, int) else (f".{p}" if key else p)
        findings.append(Finding(severity, key, message, locate(sf.text, path), source))

    for i, c in enumerate(sc.criteria, 1):
        kp: list = ["criteria", i]
        for where, msg in _range_findings(c, f"criteria[{i}]"):
            path = kp + (["buckets", int(where.rsplit("[", 1)[1][:-1])] if ".buckets[" in where else [])
            add(path, msg)
        seen: dict[str, int] = {}
        after_otherwise = False
        for j, b in enumerate(c.buckets, 1):
            if after_otherwise:
                add(kp + ["buckets", j], "comes after 'otherwise = true' and can never match")
            after_otherwise = after_otherwise or b.matcher.kind == "otherwise"
            if b.matcher.kind in ("in", "contains_any"):
                for v in b.matcher.values:
                    if seen.get(v.lower()) == j:
                        add(kp + ["buckets", j], f"'{v}' is listed twice")
                    elif v.lower() in seen:
                        add(kp + ["buckets", j], f"'{v}' is already in bucket {seen[v.lower()]}; that bucket wins")
                    seen.setdefault(v.lower(), j)
        if c.max_points_claim is not None and not math.isclose(c.max_points, c.max_points_claim):
            fewer = " only" if c.max_points < c.max_points_claim else ""
            weighted = f" ({c.best_points:g} x weight {c.weight:g})" if c.weight != 1 else ""
            add(kp + ["max_points"], f"says {c.max_points_claim:g} points, but the best bucket gives{fewer} {c.max_points:g}{weighted}")
        for j, b in enumerate(c.buckets, 1):
            if b.points < 0 and c.weight > 0:
                add(kp + ["buckets", j, "points"], f"{b.points:g} points: the {sc.score_of(c)} score can fall below 0 "
                    "(use an anti-persona or an exclusion to mark accounts to avoid)")
        if c.best_points <= 0:
            add(kp, "no bucket gives any points: the criterion never counts")
        elif c.weight == 0:
            add(kp + ["weight"], "weight is 0: the criterion never counts", "info")
        if sc.score_of(c) == "fit" and c.category not in ("firmographic", "technographic", "geographic", "use_case"):
            add(kp + ["category"], f"a {c.category.replace('_', ' ')} criterion is counted in the fit score; "
                "fit (who), timing (when) and qualification (is the deal worth it) should be separate scores")
        if accounts is not None and not accounts.has(c.field):
            add(kp + ["field"], f"field '{c.field}' is not in {accounts.path} (every account scores 'unknown')")
        elif accounts is not None and (text := _criterion_near_misses(c, accounts)):
            add(kp + ["buckets"], text)
    for score in sc.empty_scores():
        add([], f"every {score} criterion weighs 0 or gives no points: the {score} score is empty for every account")
    mixed = [g for g in sc.fit_categories if g in ("buying_signal", "qualification")]
    if mixed:
        add(["scorecard", "fit_categories"], f"counts {', '.join(mixed)} in the fit score (see the criteria warned above)", "info")
    if sc.total_points_claim is not None:
        total = sum(c.max_points for c in sc.criteria if sc.score_of(c) == "fit")
        if not math.isclose(total, sc.total_points_claim):
            add(["scorecard", "total_points"], f"says {sc.total_points_claim:g}, but the fit criteria add up to {total:g}")
    mins = [b.min for b in sc.bands]
    for i in range(1, len(mins)):
        if mins[i] >= mins[i - 1]:
            add(["bands", i + 1], f"min {mins[i]:g} is not below the band before it ({mins[i - 1]:g}): list bands from the highest down")
    if mins and min(mins) > 0:
        add(["bands", len(mins)], f"scores below {min(mins):g} fall in no band")
    labels = [b.label for b in sc.bands]
    for i, lab in enumerate(labels, 1):
        if labels.index(lab) < i - 1:
            add(["bands", i, "label"], f"label '{lab}' is used twice")
    for path, message, severity in seed_findings(sf, today or date.today()):
        add(path, message, severity, "seed 003")
    for key, rules in (("anti_personas", sc.anti_personas), ("exclusions", sc.exclusions)):
        for i, r in enumerate(rules, 1):
            if not r.reason:
                add([key, i], f"'{r.name}' has no reason: say why these accounts are avoided")
            if accounts is not None:
                for j, m in enumerate(r.conditions, 1):
                    if not accounts.has(m.field):
                        add([key, i, "conditions", j], f"field '{m.field}' is not in {accounts.path}")
                    elif m.kind in ("in", "not_in", "contains_any", "contains_all", "contains_none") and (
                            misses := near_misses(accounts, m.field, value_kind(m), list(m.values))):
                        add([key, i, "conditions", j], near_miss_text(
                            misses, accounts.column_name(m.field) or m.field, accounts.path,
                            "the condition does not count them as those values"))
    return findings


def score_bounds(sf: ScorecardFile, score: str = "fit") -> tuple[float, float, float] | None:
    """(lowest, highest, most points) the ``score`` (fit, timing or qualification) can reach, from every
    criterion's buckets times its weight; a value without a bucket or unknown gives 0, so each criterion
    spans from min(points, 0) x weight to max(points, 0) x weight. The score is the points over the most
    points (best bucket x weight, summed) times 100. None when the score has no criteria or no points."""
    sc = sf.scorecard
    lo = hi = top = 0.0
    for c in sc.criteria:
        if sc.score_of(c) != score:
            continue
        pts = [b.points for b in c.buckets] + [0.0]
        a, b = min(pts) * c.weight, max(pts) * c.weight
        lo, hi, top = lo + min(a, b), hi + max(a, b), top + c.max_points
    if not math.isfinite(top) or not math.isfinite(lo) or not math.isfinite(hi):
        return math.nan, math.nan, top
    if top <= 0:
        return None
    return 100.0 * lo / top, 100.0 * hi / top, top


def seed_findings(sf: ScorecardFile, today: date) -> list[tuple[list, str, str]]:
    """Seed 003's rules for a scorecard: 3+ dimensions, an anti-persona, scores that stay in 0-100 (and
    points on a 100-point scale), and a validation against deals in the last 6 months."""
    sc = sf.scorecard
    out: list[tuple[list, str, str]] = []
    for i, c in enumerate(sc.criteria, 1):
        if not math.isfinite(c.weight) or c.weight < 0:
            out.append((["criteria", i, "weight"], f"weight {c.weight:g} is not a number of zero or more: "
                        "the scores cannot be read (set a weight such as 1)", "warning"))
        for j, b in enumerate(c.buckets, 1):
            if not math.isfinite(b.points):
                out.append((["criteria", i, "buckets", j, "points"], f"{b.points:g} points is not a number", "warning"))
    dims = list(dict.fromkeys(c.field for c in sc.criteria
                              if sc.score_of(c) == "fit" and c.weight > 0 and c.best_points > 0))
    if len(dims) < MIN_DIMENSIONS:
        which = f" ({', '.join(dims)})" if dims else ""
        out.append((["criteria"], f"the fit score rests on {len(dims)} dimension{'s' if len(dims) != 1 else ''}{which}: give it "
                    f"{MIN_DIMENSIONS} or more (e.g. company size, revenue, industry, use case) so that it tells "
                    "accounts apart", "warning"))
    if not sc.anti_personas:
        out.append((["anti_personas"], "none: describe the accounts to avoid ([[anti_personas]] with a reason) so that "
                    "look-alikes of poor customers are flagged", "warning"))
    for score in ("fit", "timing", "qualification"):
        bounds = score_bounds(sf, score)
        if bounds is None:
            continue
        lo, hi, top = bounds
        if math.isnan(lo):
            out.append((["criteria"], f"the {score} score cannot be computed: a weight or points value is not a finite number",
                        "warning"))
            continue
        if lo < 0 or hi > 100 + 1e-9:
            out.append((["criteria"], f"the {score} score can range from {lo:.1f} to {hi:.1f}, outside 0-100 (negative points or "
                        "weights): the bands read 0-100", "warning"))
        if top > 100 + 1e-9:
            out.append((["criteria"], f"the {score} criteria give up to {top:g} points (best bucket x weight), more than 100: "
                        f"scores are scaled to 0-100, so a bucket's points are not score points "
                        f"(20 points count {20 * 100 / top:.1f})", "info"))
    cut = months_back(today, STALE_MONTHS)
    if sc.validated is None:
        out.append((["scorecard"], "not yet validated: icp validate --record (F3, r in the app)", "info"))
    elif sc.validated > today:
        out.append((["scorecard", "validated"], f"{sc.validated.isoformat()} is after today ({today.isoformat()})",
                    "warning"))
    elif sc.validated < cut:
        months = months_between(sc.validated, today)
        out.append((["scorecard", "validated"], f"last validated {sc.validated.isoformat()}, {months} months ago: "
                    f"check it against recent deals (icp validate --record) at least every {STALE_MONTHS} months",
                    "warning"))
    return out
