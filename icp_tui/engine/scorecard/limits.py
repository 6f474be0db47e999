"""Magnitudes a scorecard may hold, so that a typo (``points = -1e308``) is refused with its line instead of
giving a fit score of -9.2e17.

Points (a bucket's, ``max_points``, ``total_points``) and weights are at most a million in absolute value; a range
bound (``gte``, ``lt``, ``employees < N`` ...) at most 10^12 (a trillion dollars of revenue). NaN and infinity are
refused by the loader before this check.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from icp_tui.engine.core.conditions import Matcher, fmt_number
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.scorecard.model import Scorecard

MAX_POINTS = 1e6
MAX_WEIGHT = 1e6
MAX_BOUND = 1e12

Fail = Callable[[list[str | int], str], ScorecardError]


def _check(value: float | None, limit: float, keypath: list[str | int], what: str, fail: Fail) -> None:
    if value is None:
        return
    if not math.isfinite(value):
        raise fail(keypath, f"must be a finite number, not {value!r}")
    if abs(value) > limit:
        span = f"at most {limit:,.0f}" if what == "a weight" else f"between {-limit:,.0f} and {limit:,.0f}"
        raise fail(keypath, f"{value:g} is too large: {what} must be {span}")


def _bounds(m: Matcher, keypath: list[str | int], fail: Fail, *, key: bool) -> None:
    for name in ("gt", "gte", "lt", "lte"):
        value = getattr(m, name)
        if value is not None and (not math.isfinite(value) or abs(value) > MAX_BOUND):
            where = keypath + [name] if key else keypath
            raise fail(where, f"the bound {value:g} is too large: a range bound must be between -{fmt_number(MAX_BOUND)} "
                              f"and {fmt_number(MAX_BOUND)}")


def check_limits(fail: Fail, sc: Scorecard) -> Scorecard:
    """``sc`` when every magnitude is sane; else ``fail(keypath, message)`` is raised for the first one that is not."""
    for i, c in enumerate(sc.criteria, 1):
        kp: list[str | int] = ["criteria", i]
        _check(c.weight, MAX_WEIGHT, kp + ["weight"], "a weight", fail)
        _check(c.max_points_claim, MAX_POINTS, kp + ["max_points"], "max_points", fail)
        for j, b in enumerate(c.buckets, 1):
            _check(b.points, MAX_POINTS, kp + ["buckets", j, "points"], "points", fail)
            _bounds(b.matcher, kp + ["buckets", j], fail, key=True)
    for kind, rules in (("anti_personas", sc.anti_personas), ("exclusions", sc.exclusions)):
        for i, r in enumerate(rules, 1):
            for j, m in enumerate(r.conditions, 1):
                _bounds(m, [kind, i, "conditions", j], fail, key=False)
    _check(sc.total_points_claim, MAX_POINTS, ["scorecard", "total_points"], "total_points", fail)
    return sc
