"""Editing a scorecard through its tomlkit document, with undo: what the scorecard editor screen calls.

Every edit changes :attr:`ScorecardFile.doc`, so comments, key order and untouched lines survive and
a save changes only the edited lines. An edit is one transaction: the document is re-read into the
model (:meth:`ScorecardFile.reload`); if that fails the text before is restored exactly and the
:class:`ScorecardError` raised. An edit that changes nothing records no undo step.

A bucket's test is edited as one text (:mod:`icp_tui.engine.scorecard.bucket_text`); whole tables are moved,
added and deleted in the document's text (:mod:`icp_tui.engine.core.toml_tables`).
"""

from __future__ import annotations

import math
import re
from typing import Any

from tomlkit.items import Null

from icp_tui.engine.core.conditions import MATCHER_KEYS, MatcherError, parse_condition
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.toml_tables import _Tables, finite_number, plain, put_key, shown, table_text, tables_of, toml_text, toml_value
from icp_tui.engine.scorecard.bucket_text import bucket_test_text, parse_bucket_test
from icp_tui.engine.scorecard.document import DocumentEditor
from icp_tui.engine.scorecard.file import DEFAULT_BANDS
from icp_tui.engine.scorecard.timing_editing import TimingBandEdits

__all__ = ["ScorecardEditor", "bucket_test_text", "parse_bucket_test"]

KEY_ORDER = {"criteria": ("id", "label", "category", "field", "weight", "max_points", "buckets"),
             "bands": ("min", "label", "tier", "action"), "timing_bands": ("min", "label", "action"),
             "anti_personas": ("name", "reason", "match", "conditions"),
             "exclusions": ("name", "reason", "match", "conditions")}
RULE_KINDS = ("anti_personas", "exclusions")
_NOUN = {"criteria": "criterion", "bands": "band", "anti_personas": "anti-persona", "exclusions": "exclusion"}


# -- the editor -------------------------------------------------------------------------------------


class ScorecardEditor(TimingBandEdits, DocumentEditor):
    """Undoable, transactional edits of one scorecard file (see the module docstring)."""

    # -- lookups: tables by kind and index, criteria by id (indices count from 0)

    def _check(self, key: str, i: int | None, kinds: tuple[str, ...] = RULE_KINDS) -> int:
        if key not in kinds:
            raise ScorecardError(f"'{key}' is not one of: {', '.join(kinds)}")
        n = len(getattr(self.scorecard, key))
        if i is not None and not 0 <= i < n:
            raise ScorecardError(f"there is no {_NOUN[key]} {i + 1}")
        return n

    def _index(self, cid: str) -> int:
        for i, c in enumerate(self.scorecard.criteria):
            if c.id == cid:
                return i
        raise ScorecardError(f"there is no criterion '{cid}'")

    def _buckets(self, cid: str, j: int | None = None) -> Any:
        arr = self.file.doc["criteria"][self._index(cid)]["buckets"]
        if j is not None and not 0 <= j < len(arr):
            raise ScorecardError(f"criterion '{cid}' has no bucket {j + 1}")
        return arr

    def _edit_table(self, key: str, i: int, values: dict[str, Any], defaults: dict[str, Any], what: str,
                    drop: tuple[str, ...] = ()) -> bool:
        """Set the keys of values that are not None in table ``i`` of ``[[key]]`` and remove the keys in ``drop``."""
        def change() -> None:
            if key == "bands":
                self._ensure_bands()
            t = self.file.doc[key][i]
            for k, v in values.items():
                if k == "conditions":
                    self._set_conditions(t, v)
                elif v is not None:
                    put_key(t, k, v, KEY_ORDER[key], defaults.get(k))
            for k in drop:
                t.pop(k, None)
        return self._apply(what, change)

    def _add_table(self, key: str, pos: int, core: str) -> None:
        if (tables := tables_of(self.file.doc, key)) is not None:
            return self._replace(tables.insert(pos, core))
        for prev in reversed(list(KEY_ORDER)[:list(KEY_ORDER).index(key)]):  # a new [[key]] follows the kinds before it
            if (before := tables_of(self.file.doc, prev)) is not None:
                before.cores[-1] += "\n" + core
                return self._replace(before.text())
        self._replace(self.file.as_string().rstrip("\n") + "\n\n" + core)

    def _tables(self, key: str) -> _Tables:
        """The ``[[key]]`` tables as text blocks; they exist whenever an index into them was checked."""
        tables = tables_of(self.file.doc, key)
        if tables is None:
            raise ScorecardError(f"the scorecard has no [[{key}]] tables")
        return tables

    def _delete_table(self, key: str, i: int, what: str) -> None:
        def change() -> None:
            if key == "bands":
                self._ensure_bands()
            self._replace(self._tables(key).delete(i))
        self._apply(what, change)

    # -- criteria

    def set_weight(self, cid: str, weight: float) -> bool:
        c = self.scorecard.criteria[self._index(cid)]
        return self.set_weights({cid: weight}, f"weight of {c.label} {c.weight:g} → {float(weight):g}")

    def set_weights(self, weights: dict[str, float], description: str = "set weights") -> bool:
        """Several weights in one undo step (e.g. the suggested weights)."""
        def change() -> None:
            for cid, w in weights.items():
                put_key(self.file.doc["criteria"][self._index(cid)], "weight", finite_number(w), KEY_ORDER["criteria"], 1)
        return self._apply(description, change)

    def set_criterion(self, cid: str, *, id: str | None = None, label: str | None = None, category: str | None = None,
                      field: str | None = None, max_points: float | None = None, clear_max_points: bool = False) -> bool:
        """Change a criterion's keys; ``clear_max_points`` removes a stale ``max_points`` claim ("" clears label)."""
        i = self._index(cid)
        c = self.scorecard.criteria[i]
        if id and id != cid and any(x.id == id for x in self.scorecard.criteria):
            raise ScorecardError(f"id '{id}' is already used by another criterion")
        new = {"id": id, "label": label, "category": category, "field": field,
               "max_points": None if max_points is None else finite_number(max_points)}
        old = {"id": c.id, "label": c.label, "category": c.category, "field": c.field, "max_points": c.max_points_claim}
        changed = [k for k, v in new.items() if v is not None and v != old[k]]
        changed += ["max_points"] * (clear_max_points and c.max_points_claim is not None)
        what = (f"{changed[0]} of {c.label} {shown(old[changed[0]])} → {shown(new[changed[0]])}"
                if len(changed) == 1 and new[changed[0]] is not None else f"edit {', '.join(changed) or 'criterion'} of {c.label}")
        return self._edit_table("criteria", i, new, {"label": cid}, what, ("max_points",) * clear_max_points)

    def add_criterion(self, after: str | None, id: str, label: str, category: str, field: str) -> int:
        """A new criterion after ``after`` (None: last), with one bucket ``otherwise = 0 points``; its index."""
        if any(c.id == id for c in self.scorecard.criteria):
            raise ScorecardError(f"id '{id}' is already used by another criterion")
        pos = len(self.scorecard.criteria) if after is None else self._index(after) + 1
        core = table_text("criteria", [("id", id), ("label", label or None), ("category", category), ("field", field),
                                        ("weight", 1)], "buckets = [\n  { otherwise = true, points = 0 },\n]\n")
        self._apply(f"add criterion {label or id}", lambda: self._add_table("criteria", pos, core))
        return pos

    def delete_criterion(self, cid: str) -> None:
        i = self._index(cid)
        if len(self.scorecard.criteria) == 1:
            raise ScorecardError("cannot delete the only criterion: a scorecard needs at least one")
        self._delete_table("criteria", i, f"delete criterion {self.scorecard.criteria[i].label}")

    def move_criterion(self, cid: str, delta: int) -> int:
        """Move a criterion up (-1) or down (+1); returns its new index (unchanged at either end)."""
        i = self._index(cid)
        if delta == 0 or not 0 <= i + delta < len(self.scorecard.criteria):
            return i
        what = f"move {self.scorecard.criteria[i].label} {'up' if delta < 0 else 'down'}"
        self._apply(what, lambda: self._replace(self._tables("criteria").move(i, i + delta)))
        return i + delta

    # -- buckets: inline tables written test keys first, then points, then label

    def set_bucket(self, cid: str, j: int, *, test: str | None = None, points: float | None = None,
                   label: str | None = None) -> bool:
        """Change a bucket's test (text, see :func:`parse_bucket_test`), points or label ("" removes it)."""
        keys = parse_bucket_test(test) if test is not None else None
        b = self._buckets(cid, j)[j]
        raw = {k.key: f"{k.as_string().strip()} = {v.as_string().strip()}" for k, v in b.value.body if k is not None}
        changed = [name for name, new, old in (("test", keys, {k: plain(b[k]) for k in MATCHER_KEYS if k in b}),
                                               ("points", None if points is None else finite_number(points), plain(b.get("points"))),
                                               ("label", label, plain(b.get("label", "")))) if new is not None and new != old]
        if not changed:
            return False
        if "test" in changed and keys is not None:
            parts = [f"{k} = {toml_text(v)}" for k, v in keys.items()]
        else:
            parts = [raw[k] for k in raw if k in MATCHER_KEYS]
        if "points" in changed and points is not None:
            parts += [f"points = {toml_text(finite_number(points))}"]
        else:
            parts += [raw[k] for k in raw if k == "points"]
        parts += ([f"label = {toml_text(label)}"] if label else []) if "label" in changed else [raw[k] for k in raw if k == "label"]
        parts += [raw[k] for k in raw if k not in MATCHER_KEYS and k not in ("points", "label")]
        new = toml_value("{ " + ", ".join(parts) + " }")

        def change() -> None:
            self._buckets(cid, j)[j] = new
        return self._apply(f"{', '.join(changed)} of {self.scorecard.criterion(cid).label} bucket {j + 1}", change)

    def add_bucket(self, cid: str, after_j: int | None = None) -> int:
        """A bucket after ``after_j`` (None: last) but never after ``otherwise`` (it could not match); its index.

        It copies the test of the bucket above it with 0 points and no label (``in ["edit me"]`` when
        there is none but ``otherwise``): the user edits it from there.
        """
        arr = self._buckets(cid, after_j)
        pos = len(arr) if after_j is None else after_j + 1
        while pos > 0 and "otherwise" in arr[pos - 1]:
            pos -= 1
        test = ", ".join(f"{k.as_string().strip()} = {v.as_string().strip()}" for k, v in arr[pos - 1].value.body
                         if k is not None and k.key in MATCHER_KEYS) if pos else 'in = ["edit me"]'
        new = toml_value("{ " + test + ", points = 0 }")
        self._apply(f"add bucket {pos + 1} to {self.scorecard.criterion(cid).label}", lambda: self._buckets(cid).insert(pos, new))
        return pos

    def delete_bucket(self, cid: str, j: int) -> None:
        arr, name = self._buckets(cid, j), self.scorecard.criterion(cid).label
        if len(arr) == 1:
            raise ScorecardError(f"cannot delete the last bucket of {name}: a criterion needs one (delete the criterion instead)")
        self._apply(f"delete bucket {j + 1} of {name}", lambda: self._buckets(cid).__delitem__(j))

    def move_bucket(self, cid: str, j: int, delta: int) -> int:
        """Move a bucket up or down with its end-of-line comment; returns its new index."""
        k = j + delta
        if delta == 0 or not 0 <= k < len(self._buckets(cid, j)):
            return j

        def change() -> None:  # tomlkit array items are (indent, value, comma, comment) groups
            groups = [g for g in self._buckets(cid)._value if g.value is not None and not isinstance(g.value, Null)]
            pairs = [(g.value, g.comment) for g in groups]
            pairs.insert(k, pairs.pop(j))
            for g, (value, comment) in zip(groups, pairs):
                g.value, g.comment = value, comment
        self._apply(f"move bucket {j + 1} of {self.scorecard.criterion(cid).label} {'up' if delta < 0 else 'down'}", change)
        return k

    # -- bands, in file order (without [[bands]] in the file the first band edit writes the defaults)

    def _ensure_bands(self) -> None:
        if not self.file.doc.get("bands"):
            self._add_table("bands", 0, "\n".join(table_text("bands", [("min", finite_number(b.min)), ("label", b.label), ("tier", b.tier),
                                                                        ("action", b.action)]) for b in DEFAULT_BANDS))

    def set_band(self, i: int, *, min: float | None = None, label: str | None = None, tier: str | None = None,
                 action: str | None = None) -> bool:
        """Change a band ("" removes tier or action)."""
        self._check("bands", i, ("bands",))
        b = self.scorecard.bands[i]
        new = {"min": None if min is None else finite_number(min), "label": label, "tier": tier, "action": action}
        if all(v is None or getattr(b, k) == v for k, v in new.items()):
            return False
        return self._edit_table("bands", i, new, {"tier": "", "action": ""}, f"edit band {b.label}")

    def add_band(self, after_i: int | None = None) -> int:
        """A band "New band" after ``after_i`` (None: last), its min halfway between its neighbours'; its index."""
        n = self._check("bands", after_i, ("bands",))
        bands, pos = self.scorecard.bands, n if after_i is None else after_i + 1
        hi, lo = bands[pos - 1].min if pos else 100.0, bands[pos].min if pos < n else 0.0
        label = next(x for x in ["New band"] + [f"New band {k}" for k in range(2, n + 3)] if x not in {b.label for b in bands})
        core = table_text("bands", [("min", math.floor((hi + lo) / 2)), ("label", label)])

        def change() -> None:
            self._ensure_bands()
            self._add_table("bands", pos, core)
        self._apply(f"add band {label}", change)
        return pos

    def delete_band(self, i: int) -> None:
        if self._check("bands", i, ("bands",)) == 1:
            raise ScorecardError("cannot delete the only band: a scorecard needs at least one")
        self._delete_table("bands", i, f"delete band {self.scorecard.bands[i].label}")

    # -- anti-personas and exclusions: kind is "anti_personas" or "exclusions"

    def set_rule(self, kind: str, i: int, *, name: str | None = None, reason: str | None = None, match: str | None = None,
                 conditions: list[str] | None = None) -> bool:
        """Change a rule ("" removes the reason); ``conditions`` are texts such as ``"employees < 50"``."""
        self._check(kind, i)
        if conditions is not None:
            _check_conditions(conditions)
        values = {"name": name, "reason": reason, "match": match, "conditions": conditions}
        rule = getattr(self.scorecard, kind)[i]
        return self._edit_table(kind, i, values, {"reason": "", "match": "all"}, f"edit {_NOUN[kind]} {rule.name}")

    @staticmethod
    def _set_conditions(t: Any, texts: list[str] | None) -> None:
        cur = t.get("conditions")
        if texts is None or isinstance(cur, list) and [plain(c) for c in cur] == texts:
            return
        if isinstance(cur, list) and len(cur) == len(texts):  # one changed line each
            for k, s in enumerate(texts):
                if plain(cur[k]) != s:
                    cur[k] = s
            return
        m = re.search(r"\n([ \t]*)\S", cur.as_string() if cur is not None else "")
        text = ("[\n" + "".join(f"{m[1] or '  '}{toml_text(s)},\n" for s in texts) + "]" if m
                else "[" + ", ".join(toml_text(s) for s in texts) + "]")
        put_key(t, "conditions", toml_value(text), KEY_ORDER["exclusions"])

    def add_rule(self, kind: str, name: str, conditions: list[str] | None = None, *, after: int | None = None,
                 reason: str = "") -> int:
        """A new rule after ``after`` (None: last); without conditions it gets a placeholder that matches nothing."""
        n = self._check(kind, after)
        conditions = conditions or [f"{self.scorecard.criteria[0].field} in [edit me]"]
        _check_conditions(conditions)
        pos = n if after is None else after + 1
        core = table_text(kind, [("name", name), ("reason", reason), ("match", "all"), ("conditions", conditions)])
        self._apply(f"add {_NOUN[kind]} {name}", lambda: self._add_table(kind, pos, core))
        return pos

    def delete_rule(self, kind: str, i: int) -> None:
        self._check(kind, i)
        self._delete_table(kind, i, f"delete {_NOUN[kind]} {getattr(self.scorecard, kind)[i].name}")



def _check_conditions(texts: list[str]) -> None:
    if not texts:
        raise ScorecardError('needs at least one condition, e.g. "employees < 50"')
    for k, text in enumerate(texts, 1):
        try:
            parse_condition(text)
        except MatcherError as e:
            raise ScorecardError(f"condition {k}: {e}") from None
