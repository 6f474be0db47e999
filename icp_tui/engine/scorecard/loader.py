"""Reading a scorecard's TOML into the model, checked: a file that cannot be scored raises
:class:`ScorecardError` naming the file, the line and the key path (indices count from 1).

Softer problems (gaps between ranges, a buying signal counted in the fit score...) are lint findings,
see :mod:`icp_tui.engine.scorecard.lint`; the file as edited and saved is :mod:`icp_tui.engine.scorecard.file`.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from pathlib import Path

import tomlkit

from icp_tui.engine.core.conditions import MATCHER_KEYS, MatcherError, matcher_from_table, parse_condition
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.tomlfile import parse_toml, unknown_key
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.core.values import unit_factor
from icp_tui.engine.scorecard.limits import check_limits
from icp_tui.engine.scorecard.model import (
    CATEGORIES,
    DEFAULT_BANDS,
    DEFAULT_TIMING_BANDS,
    FIT_CATEGORIES,
    Band,
    Bucket,
    Criterion,
    Rule,
    Scorecard,
    TimingBand,
)

# ----------------------------------------------------------------------------------------------
# Loading

#: The keys each table may hold; any other key is refused (a typo such as "wieght" would silently score weight 1).
KEYS = {
    "": ("scorecard", "criteria", "bands", "timing_bands", "anti_personas", "exclusions", "import"),
    "scorecard": ("name", "version", "description", "fit_categories", "total_points", "validated", "validated_with"),
    "criteria": ("id", "label", "category", "field", "weight", "max_points", "buckets"),
    "buckets": MATCHER_KEYS + ("points", "label"),
    "bands": ("min", "label", "tier", "action"),
    "timing_bands": ("min", "label", "action"),
    "rule": ("name", "reason", "match", "conditions"),
    "condition": ("field",) + MATCHER_KEYS,
    "import": ("columns", "units"),
}
#: A criterion's buckets are numbered in one small integer per account; far fewer are ever useful.
MAX_BUCKETS = 100
#: The priority grade gives each fit band a letter (A-T; X marks an exclusion) and each timing band a digit (1-9).
MAX_BANDS, MAX_TIMING_BANDS = 20, 9


class Loader:
    def __init__(self, text: str, path: str) -> None:
        self.text = text
        self.path = path

    def fail(self, keypath: list[str | int], message: str) -> ScorecardError:
        return ScorecardError(message, file=self.path, line=locate(self.text, keypath), key=_keystr(keypath))

    def keys(self, table: dict, kind: str, keypath: list) -> None:
        if (bad := unknown_key(table, KEYS[kind])) is not None:
            raise self.fail(keypath + [bad[0]], f"is not a key here ({bad[1]})")

    def table(self, doc: dict, key: str, keypath: list) -> dict:
        value = doc.get(key, {})
        if not isinstance(value, dict):
            raise self.fail(keypath + [key], f"must be a table ([{'.'.join(str(k) for k in keypath + [key])}]), not {_kind(value)}")
        return value

    def str_(self, table: dict, key: str, keypath: list, *, required: bool = True, default: str = "") -> str:
        if key not in table:
            if required:
                raise self.fail(keypath, f"'{key}' is missing")
            return default
        value = table[key]
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise self.fail(keypath + [key], f"must be text, not {type(value).__name__}")
        value = str(value).strip()
        if required and not value:
            raise self.fail(keypath + [key], "must not be empty")
        return value

    def num(self, table: dict, key: str, keypath: list, default: float | None = None) -> float | None:
        if key not in table:
            return default
        value = table[key]
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise self.fail(keypath + [key], f"must be a number, not {value!r}")
        if not math.isfinite(value):
            raise self.fail(keypath + [key], f"must be a finite number, not {value!r}")
        return float(value)

    def date_(self, table: dict, key: str, keypath: list) -> date | None:
        """A TOML date (``validated = 2026-12-03``) or the same as text; None when absent."""
        if key not in table:
            return None
        value = table[key]
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return date(value.year, value.month, value.day)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.fail(keypath + [key], f"must be a date such as 2026-12-03, not {_kind(value)}")

    def array(self, doc: dict, key: str) -> list:
        value = doc.get(key, [])
        if not isinstance(value, list):
            raise self.fail([key], f"must be a list of tables ([[{key}]])")
        for i, item in enumerate(value, 1):
            if not isinstance(item, dict):
                raise self.fail([key, i], "must be a table")
        return value

    def criterion(self, i: int, t: dict, seen: set[str]) -> Criterion:
        kp: list[str | int] = ["criteria", i]
        self.keys(t, "criteria", kp)
        cid = self.str_(t, "id", kp)
        if cid in seen:
            raise self.fail(kp + ["id"], f"id '{cid}' is used twice")
        seen.add(cid)
        category = self.str_(t, "category", kp).lower()
        if category not in CATEGORIES:
            raise self.fail(kp + ["category"], f"'{category}' is not a category (use one of: {', '.join(CATEGORIES)})")
        fld = self.str_(t, "field", kp)
        weight = self.num(t, "weight", kp, 1.0)
        if weight is None or weight < 0:
            raise self.fail(kp + ["weight"], "must be zero or more")
        raw = t.get("buckets")
        if not isinstance(raw, list) or not raw:
            raise self.fail(kp + (["buckets"] if "buckets" in t else []), "needs at least one bucket (buckets = [{ ..., points = N }])")
        if len(raw) > MAX_BUCKETS:
            raise self.fail(kp + ["buckets"], f"has {len(raw):,} buckets; a criterion can have at most {MAX_BUCKETS}")
        buckets = []
        for j, b in enumerate(raw, 1):
            bkp = kp + ["buckets", j]
            if not isinstance(b, dict):
                raise self.fail(bkp, "must be a table such as { gte = 200, lte = 2000, points = 20 }")
            if "points" not in b:
                raise self.fail(bkp, "has no points")
            points = self.num(b, "points", bkp)
            assert points is not None  # "points" is in b: checked just above
            if "field" in b:
                raise self.fail(bkp, "a bucket tests its criterion's field; remove 'field'")
            self.keys(b, "buckets", bkp)
            try:
                m = matcher_from_table(b, default_field=fld)
            except MatcherError as e:
                raise self.fail(bkp, str(e)) from None
            buckets.append(Bucket(m, float(points), self.str_(b, "label", bkp, required=False)))
        return Criterion(
            id=cid,
            label=self.str_(t, "label", kp, required=False, default=cid),
            category=category,
            field=fld,
            buckets=tuple(buckets),
            weight=float(weight),
            max_points_claim=self.num(t, "max_points", kp),
        )

    def band(self, i: int, t: dict) -> Band:
        kp: list[str | int] = ["bands", i]
        self.keys(t, "bands", kp)
        lo = self.num(t, "min", kp)
        if lo is None:
            raise self.fail(kp, "'min' is missing (the lowest score in the band, 0-100)")
        if not 0 <= lo <= 100:
            raise self.fail(kp + ["min"], f"{lo:g} is outside 0-100")
        return Band(lo, self.str_(t, "label", kp), self.str_(t, "tier", kp, required=False),
                    self.str_(t, "action", kp, required=False))

    def timing_bands(self, tables: list) -> tuple[TimingBand, ...]:
        """``[[timing_bands]]``: min (0-100 of the timing score) and label, optional action; the lowest starts at 0."""
        out: list[TimingBand] = []
        for i, t in enumerate(tables, 1):
            kp: list[str | int] = ["timing_bands", i]
            self.keys(t, "timing_bands", kp)
            lo = self.num(t, "min", kp)
            if lo is None:
                raise self.fail(kp, "'min' is missing (the lowest timing score in the band, 0-100)")
            if not 0 <= lo <= 100:
                raise self.fail(kp + ["min"], f"{lo:g} is outside 0-100")
            if any(b.min == lo for b in out):
                raise self.fail(kp + ["min"], f"another timing band starts at {lo:g}")
            if i > MAX_TIMING_BANDS:
                raise self.fail(kp, f"is one timing band too many: at most {MAX_TIMING_BANDS} (one grade digit each)")
            out.append(TimingBand(lo, self.str_(t, "label", kp), self.str_(t, "action", kp, required=False)))
        if not out:
            return DEFAULT_TIMING_BANDS
        low = min(range(len(out)), key=lambda j: out[j].min)
        if out[low].min != 0:
            raise self.fail(["timing_bands", low + 1, "min"],
                            f"the lowest timing band must start at 0, not {out[low].min:g}, so that every account gets a timing digit")
        return tuple(out)

    def rule(self, key: str, i: int, t: dict) -> Rule:
        kp: list[str | int] = [key, i]
        self.keys(t, "rule", kp)
        name = self.str_(t, "name", kp)
        join = self.str_(t, "match", kp, required=False, default="all").lower()
        if join not in ("all", "any"):
            raise self.fail(kp + ["match"], f"must be 'all' or 'any', not '{join}'")
        raw = t.get("conditions")
        if isinstance(raw, (str, dict)):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            raise self.fail(kp, "needs conditions = [\"field op value\", ...]")
        conds = []
        for j, c in enumerate(raw, 1):
            try:
                if isinstance(c, str):
                    m = parse_condition(c)
                elif isinstance(c, dict):
                    if "field" not in c:
                        raise MatcherError("needs a field")
                    if (bad := unknown_key(c, KEYS["condition"])) is not None:
                        raise MatcherError(f"'{bad[0]}' is not a key here ({bad[1]})")
                    m = matcher_from_table(c, allow_otherwise=False)
                else:
                    raise MatcherError("must be text such as \"employees < 50\" or a table")
            except MatcherError as e:
                err = self.fail(kp + ["conditions", j], str(e))
                if isinstance(c, str) and err.line:
                    err.message = e.in_line(self.text.splitlines()[err.line - 1], c)
                raise err from None
            conds.append(m)
        return Rule(name, self.str_(t, "reason", kp, required=False), join, tuple(conds))

    def load(self, doc: dict) -> Scorecard:
        self.keys(doc, "", [])
        meta = self.table(doc, "scorecard", [])
        self.keys(meta, "scorecard", ["scorecard"])
        name = self.str_(meta, "name", ["scorecard"], required=False, default=Path(self.path).stem)
        version = self.str_(meta, "version", ["scorecard"], required=False, default="1")
        fit = meta.get("fit_categories", list(FIT_CATEGORIES))
        if not isinstance(fit, list) or any(c not in CATEGORIES for c in fit):
            raise self.fail(["scorecard", "fit_categories"], f"must list categories from: {', '.join(CATEGORIES)}")
        seen: set[str] = set()
        criteria = tuple(self.criterion(i, t, seen) for i, t in enumerate(self.array(doc, "criteria"), 1))
        if not criteria:
            raise self.fail([], "has no [[criteria]]")
        bands = tuple(self.band(i, t) for i, t in enumerate(self.array(doc, "bands"), 1)) or DEFAULT_BANDS
        if len(bands) > MAX_BANDS:
            raise self.fail(["bands", MAX_BANDS + 1], f"is one band too many: at most {MAX_BANDS} (one grade letter each)")
        timing_bands = self.timing_bands(self.array(doc, "timing_bands"))
        imp = self.table(doc, "import", [])
        self.keys(imp, "import", ["import"])
        cmap = {}
        for k, v in self.table(imp, "columns", ["import"]).items():
            if not isinstance(v, str) or not v.strip():
                raise self.fail(["import", "columns", str(k)], f"must be the field name to read this column as (text), not {_kind(v)}")
            cmap[str(k)] = v.strip()
        units = {}
        for k, v in self.table(imp, "units", ["import"]).items():
            try:
                if not isinstance(v, str):
                    raise ValueError(f"must be a unit such as \"millions\", not {_kind(v)}")
                units[str(k)] = unit_factor(v)
            except ValueError as e:
                raise self.fail(["import", "units", str(k)], str(e)) from None
        return check_limits(self.fail, Scorecard(
            name=name,
            version=version,
            description=self.str_(meta, "description", ["scorecard"], required=False),
            criteria=criteria,
            bands=bands,
            timing_bands=timing_bands,
            anti_personas=tuple(self.rule("anti_personas", i, t) for i, t in enumerate(self.array(doc, "anti_personas"), 1)),
            exclusions=tuple(self.rule("exclusions", i, t) for i, t in enumerate(self.array(doc, "exclusions"), 1)),
            fit_categories=tuple(fit),
            column_map=cmap,
            units=units,
            total_points_claim=self.num(meta, "total_points", ["scorecard"]),
            validated=self.date_(meta, "validated", ["scorecard"]),
            validated_with=self.str_(meta, "validated_with", ["scorecard"], required=False),
        ))


def _kind(value: object) -> str:
    """How a TOML value reads to its author: "a table", "a list", "text", "the number 3"."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"{str(value).lower()}"
    return f"{value!r}"


def _keystr(path: list[str | int]) -> str:
    out = ""
    for p in path:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else p)
    return out


def parse_scorecard(text: str, path: str | Path = "<scorecard>") -> tuple[tomlkit.TOMLDocument, Scorecard]:
    """Parse TOML text into (tomlkit document, Scorecard). Raises :class:`ScorecardError`."""
    loader, model = Loader(text, str(path)), []
    doc = parse_toml(text, str(path), ScorecardError, check=lambda data: model.append(loader.load(data)))
    return doc, model[0]
