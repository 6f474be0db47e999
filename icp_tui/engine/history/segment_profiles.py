"""Segment profiles: discovered segments saved as named ICPs in ``segments.toml``, and the profile each
account fits best.

Seed 000 and seed 003 ask for several segment ICPs rather than one: a segment found by
:func:`icp_tui.engine.history.segments.discover_segments` is saved under a name as a list of
conditions in the scorecard's own rule form (the ``conditions`` of an ``[[anti_personas]]`` table:
texts such as ``"employees >= 300"`` or tables such as ``{ field = "employees", gte = 300, lte = 1600 }``),
so the file is read and checked by the scorecard's loader and its errors name file, line and key.

The profiles live in their own file beside the scorecard (``segments.toml`` in the workshop folder)
so that the scorecard stays the one thing that scores; a profile does not change any score.

From a segment (:func:`profile_conditions`), one condition per attribute the segment's description names:

* a number (employees, annual revenue, growth): its 10th-90th percentile range, rounded outward to two
  significant digits (growth to whole percents) -> ``gte``/``lte``;
* industries, use cases: the values listed (up to three, each on 10%+ of the segment) -> ``in [...]``,
  kept only when together they hold at least half of the segment's deals;
* tools: the tools listed (each on 25%+ of the segment) -> ``contains_any [...]``, kept only when the
  most held one is on at least half of the segment's deals.

Best fit (:func:`best_profile`): per account, the share of each profile's conditions it meets (an
unknown value meets none); the profile with the highest share wins, a tie goes to the profile first in
the file; a best share below :data:`MIN_MATCH` (half the conditions) leaves the account without a segment.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.conditions import Matcher
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.lock import lock_root, workshop_lock
from icp_tui.engine.core.toml_tables import table_text, tables_of, toml_text
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.history.segments import Segment, Segments
from icp_tui.engine.scorecard.loader import Loader

SEGMENTS_FILE = "segments.toml"
#: An account needs at least this share of a profile's conditions to be given that segment.
MIN_MATCH = 0.5
#: A category condition is kept when its values hold at least this share of the segment's deals.
MIN_COVER = 0.5
MATCH_RULE = ("each account gets the saved segment whose conditions it meets the largest share of "
              "(a tie: the one first in segments.toml); under half of them: no segment")

HEADER = """\
# Segment profiles: named ICP segments found in the deal history (icp segments --save, or s on
# the Segments tab of the analysis screen). Each [[segments]] table is one segment ICP; its
# conditions use the scorecard's rule form. A scored export names the profile each account fits best.
"""

_KEYS = {"": ("segments",), "rule": ("name", "description", "conditions")}


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    conditions: tuple[Matcher, ...]


@dataclass
class SegmentProfiles:
    path: Path
    profiles: list[Profile]

    def names(self) -> list[str]:
        return [p.name for p in self.profiles]


class _ProfileLoader(Loader):
    """The scorecard's loader with the keys of a segments file: its conditions are read as a rule's."""

    def keys(self, table: dict, kind: str, keypath: list) -> None:
        if kind in _KEYS:
            if (bad := unknown_key(table, _KEYS[kind])) is not None:
                raise self.fail(keypath + [bad[0]], f"is not a key here ({bad[1]})")
            return
        super().keys(table, kind, keypath)

    def profiles(self, doc: dict) -> list[Profile]:
        self.keys(doc, "", [])
        out: list[Profile] = []
        seen: set[str] = set()
        for i, t in enumerate(self.array(doc, "segments"), 1):
            rule = self.rule("segments", i, t)
            if rule.name.lower() in seen:
                raise self.fail(["segments", i, "name"], f"'{rule.name}' is used twice")
            seen.add(rule.name.lower())
            out.append(Profile(rule.name, self.str_(t, "description", ["segments", i], required=False), rule.conditions))
        return out


def parse_profiles(text: str, path: str | Path = "<segments>") -> list[Profile]:
    loader, found = _ProfileLoader(text, str(path)), []
    parse_toml(text, str(path), ScorecardError, check=lambda data: found.append(loader.profiles(data)))
    return found[0]


def load_profiles(path: str | Path) -> SegmentProfiles:
    """Read a segments file; :class:`ScorecardError` naming file, line and key when it cannot be used."""
    p = Path(path)
    return SegmentProfiles(p, parse_profiles(read_text(p, ScorecardError), p))


def load_profiles_if_any(path: str | Path | None) -> SegmentProfiles | None:
    """The profiles of ``path`` when the file exists and names at least one, else None."""
    if path is None or not Path(path).is_file():
        return None
    found = load_profiles(path)
    return found if found.profiles else None


def profiles_path(workshop, scorecard: str | Path | None = None) -> Path | None:
    """Where the segments file is: a workshop's ``[files] segments``, else segments.toml in its folder
    (``workshop``: a Workshop or its folder); without a workshop, beside the scorecard."""
    if isinstance(workshop, (str, Path)):
        return Path(workshop) / SEGMENTS_FILE
    if workshop is not None:
        named = workshop.file("segments")
        return Path(named) if named else Path(workshop.root) / SEGMENTS_FILE
    return Path(scorecard).parent / SEGMENTS_FILE if scorecard is not None else None


# -- from a segment -------------------------------------------------------------------------------


def outward(x, up: bool, attribute: str) -> np.ndarray:
    """``x`` (numbers) rounded outward (down for a lower bound, up for an upper) to two significant digits;
    growth to whole percents; employees and revenue to whole numbers at least. Vectorised."""
    x = np.asarray(x, dtype=float)
    if attribute == "growth_rate":
        step = np.full(x.shape, 0.01)
    else:
        with np.errstate(divide="ignore"):
            step = np.maximum(10.0 ** (np.floor(np.log10(np.abs(np.where(x == 0, 1.0, x)))) - 1), 1.0)
    q = np.round(x / step, 9)
    return np.round((np.ceil(q) if up else np.floor(q)) * step, 9)


def _outward(x: float, up: bool, attribute: str) -> float:
    return float(outward(x, up, attribute))


def _bound(x: float, attribute: str) -> Any:
    if attribute == "annual_revenue":
        for size, suffix in ((1e6, "M"), (1e3, "k")):
            if abs(x) >= size:
                return f"{x / size:g}{suffix}"
    if attribute == "growth_rate":
        return float(x)
    return int(x) if float(x).is_integer() else float(x)


def profile_conditions(segment: Segment) -> list[dict[str, Any]]:
    """The segment's conditions as tables (``{"field": ..., "gte": ...}``), in the order of its description."""
    conds: list[dict[str, Any]] = []
    if segment.industries and sum(s.share for s in segment.industries) >= MIN_COVER:
        conds.append({"field": "industry", "in": [s.value for s in segment.industries]})
    for r in segment.ranges:
        conds.append({"field": r.attribute, "gte": _bound(_outward(r.low, False, r.attribute), r.attribute),
                      "lte": _bound(_outward(r.high, True, r.attribute), r.attribute)})
    if segment.tools and segment.tools[0].share >= MIN_COVER:
        conds.append({"field": "tech_stack", "contains_any": [s.value for s in segment.tools]})
    if segment.use_cases and sum(s.share for s in segment.use_cases) >= MIN_COVER:
        conds.append({"field": "use_case", "in": [s.value for s in segment.use_cases]})
    return conds


def segment_summary(segs: Segments, segment: Segment) -> str:
    """One line of where a profile came from and how the segment did."""
    wr = "–" if segment.win_rate is None else f"{segment.win_rate:.0%}"
    lift = "" if segment.lift is None else f", {segment.lift:.2f}x the baseline"
    return (f"segment {segment.number} of {segs.k} (k-means on {segs.baseline.deals} closed deals): "
            f"{segment.deals} deals, win rate {wr}{lift}")


def _inline(c: dict[str, Any]) -> str:
    return "{ " + ", ".join(f"{k} = {toml_text(v)}" for k, v in c.items()) + " }"


def profile_text(name: str, description: str, conditions: list[dict[str, Any]]) -> str:
    """One ``[[segments]]`` table as TOML text, conditions one per line as in the sample scorecard."""
    body = "".join(f"  {_inline(c)},\n" for c in conditions)
    return table_text("segments", [("name", name), ("description", description or None)], f"conditions = [\n{body}]\n")


def save_profile(path: str | Path, name: str, segs: Segments, number: int) -> tuple[Path, bool]:
    """Save segment ``number`` of ``segs`` as profile ``name`` in the segments file (made if missing; a
    profile of the same name, case aside, is replaced in place). Written atomically; comments, order and
    the other profiles of the file are kept as they were. Returns (path, replaced)."""
    name = name.strip()
    if not name:
        raise ScorecardError("a segment profile needs a name")
    seg = next((s for s in segs.segments if s.number == number), None)
    if seg is None:
        raise ScorecardError(f"there is no segment {number} (there are {len(segs.segments)})")
    conds = profile_conditions(seg)
    if not conds:
        raise ScorecardError(f"segment {number} has no attribute to describe it by: nothing to save")
    p = Path(path)
    with workshop_lock(lock_root(p), f"saving {p.name}"):  # read again under the lock: nobody's profile is lost
        return _save_profile(p, name, segs, seg, conds)


def _save_profile(p: Path, name: str, segs: Segments, seg, conds: list[dict[str, Any]]) -> tuple[Path, bool]:
    text = read_text(p, ScorecardError) if p.exists() else HEADER
    old = parse_profiles(text, p)  # a broken file is reported, not overwritten
    core = profile_text(name, segment_summary(segs, seg), conds)
    at = next((i for i, x in enumerate(old) if x.name.lower() == name.lower()), None)
    if at is None:
        out = text.rstrip("\n") + "\n\n" + core if text.strip() else core
    else:
        tables = tables_of(parse_toml(text, str(p), ScorecardError), "segments")
        assert tables is not None  # the file has the profile being replaced
        tables.cores[at] = core
        out = tables.text()
    parse_profiles(out, p)
    atomic_write_text(p, out)
    return p, at is not None


# -- best fit -------------------------------------------------------------------------------------


@dataclass
class BestFit:
    codes: np.ndarray  # per account: index into names (len(profiles) = no segment)
    names: list[str]  # the profiles' names, then "" (no segment)
    share: np.ndarray  # per account: the share of the best profile's conditions met

    def counts(self) -> list[int]:
        """Accounts per profile (file order), then the accounts without a segment."""
        return np.bincount(self.codes, minlength=len(self.names)).tolist()


def best_profile(scorer, profiles: list[Profile], min_match: float = MIN_MATCH) -> BestFit:
    """The profile each account of ``scorer`` fits best (see the module docstring); vectorised per condition."""
    n, k = scorer.n, len(profiles)
    shares = np.zeros((n, k))
    for j, p in enumerate(profiles):
        met = np.zeros(n)
        for m in p.conditions:
            met += scorer.mask(m)[0]
        shares[:, j] = met / max(len(p.conditions), 1)
    if k == 0:
        return BestFit(np.zeros(n, np.int64), [""], np.zeros(n))
    best = shares.argmax(axis=1)  # the first of equal shares: the profile first in the file
    top = shares[np.arange(n), best]
    codes = np.where((top >= min_match) & (top > 0), best, k).astype(np.int64)
    return BestFit(codes, [p.name for p in profiles] + [""], top)


def profile_lines(found: SegmentProfiles, fit: BestFit | None) -> list[str]:
    """The saved profiles with their conditions and, given ``fit``, how many accounts fit each best."""
    out = [f"  Saved segment profiles ({found.path.name}): each account gets the one whose conditions it meets most "
           "(half of them at least)"]
    counts = fit.counts() if fit is not None else None
    for j, p in enumerate(found.profiles):
        n = "" if counts is None else f" ({counts[j]:,} accounts fit it best)"
        out.append(f"  • {p.name}{n}: " + "; ".join(f"{m.field} {m.describe()}" for m in p.conditions))
    if counts is not None:
        out.append(f"  • no segment: {counts[-1]:,} accounts")
    return out
