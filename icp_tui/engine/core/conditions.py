"""Matchers: the one small, safe rule language shared by buckets, anti-personas and exclusions.

A matcher tests one field of an account. It is written either as a TOML table
(``{ field = "employees", lt = 50 }``, the same keys a bucket uses) or as a short text that we parse
ourselves (``"employees < 50"``, ``"funding_stage in [Seed, Pre-seed]"``,
``"tech_stack contains any [Salesforce, Snowflake]"``, ``"economic_buyer is missing"``).
Nothing is ever evaluated as code.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from icp_tui.engine.core.values import FALSE_TOKENS, TRUE_TOKENS, parse_scalar_number

#: Matcher kinds and the TOML keys that select them.
RANGE_KEYS = ("gt", "gte", "lt", "lte")
SET_KEYS = ("in", "not_in", "contains_any", "contains_all", "contains_none")
FLAG_KEYS = ("is", "missing", "known", "otherwise")  # known = true is missing = false
MATCHER_KEYS = RANGE_KEYS + SET_KEYS + FLAG_KEYS


@dataclass(frozen=True)
class Matcher:
    """A test on one field. ``kind`` is "range", one of :data:`SET_KEYS`, "is", "missing" or "otherwise"."""

    kind: str
    field: str = ""
    gt: float | None = None
    gte: float | None = None
    lt: float | None = None
    lte: float | None = None
    values: tuple[str, ...] = ()
    flag: bool | None = None
    source: str = dataclasses.field(default="", compare=False)

    @property
    def numeric(self) -> bool:
        return self.kind == "range"

    @property
    def lower(self) -> tuple[float, bool] | None:
        """(bound, inclusive) or None."""
        if self.gte is not None:
            return self.gte, True
        if self.gt is not None:
            return self.gt, False
        return None

    @property
    def upper(self) -> tuple[float, bool] | None:
        if self.lte is not None:
            return self.lte, True
        if self.lt is not None:
            return self.lt, False
        return None

    def describe(self) -> str:
        """Human text of the test without the field name, e.g. "200 to 2,000" or "in SaaS, FinTech"."""
        if self.kind == "range":
            lo, hi = self.lower, self.upper
            if lo and hi:
                left = "" if lo[1] else "over "
                right = "" if hi[1] else " (excl.)"
                return f"{left}{fmt_number(lo[0])} to {fmt_number(hi[0])}{right}"
            if lo:
                return f"{'≥' if lo[1] else '>'} {fmt_number(lo[0])}"
            if hi:
                return f"{'≤' if hi[1] else '<'} {fmt_number(hi[0])}"
            return "any number"
        if self.kind in SET_KEYS:
            words = {"in": "", "not_in": "not ", "contains_any": "has any of ",
                     "contains_all": "has all of ", "contains_none": "has none of "}[self.kind]
            return words + ", ".join(self.values)
        if self.kind == "is":
            return "yes" if self.flag else "no"
        if self.kind == "missing":
            return "unknown" if self.flag else "known"
        return "any other value"


def fmt_number(x: float) -> str:
    """Short human form: 2000 -> "2,000", 30e6 -> "30M", 0.2 -> "0.2"."""
    ax = abs(x)
    for size, suffix in ((1e9, "bn"), (1e6, "M")):
        if ax >= size:
            v = x / size
            return f"{v:,.2f}".rstrip("0").rstrip(".") + suffix
    if x == int(x):
        return f"{int(x):,}"
    return f"{x:g}"


class MatcherError(ValueError):
    """A matcher that does not make sense; the message is for the user. ``at``: where in the condition's
    text the fault is (0-based), when known."""

    def __init__(self, message: str, at: int | None = None) -> None:
        super().__init__(message)
        self.at = at

    def in_line(self, line_text: str | None, condition: str) -> str:
        """The message with the column of the fault in the file line that holds ``condition`` (1-based)."""
        if self.at is None:
            return str(self)
        start = line_text.find(condition) if line_text else -1
        where = f"column {start + self.at + 1}" if start >= 0 else f"character {self.at + 1} of the condition"
        return f"{where}: {self}"


def matcher_from_table(table: dict, *, default_field: str = "", allow_otherwise: bool = True) -> Matcher:
    """Build a matcher from a bucket or condition table. Raises :class:`MatcherError`."""
    fld = str(table.get("field", default_field) or "")
    present = [k for k in MATCHER_KEYS if k in table]
    if not present:
        raise MatcherError(
            "says nothing to match: give a range (gte/gt/lte/lt), a set (in, not_in, contains_any, "
            "contains_all, contains_none), is = true/false, missing = true or otherwise = true"
        )
    ranges = [k for k in present if k in RANGE_KEYS]
    others = [k for k in present if k not in RANGE_KEYS]
    if ranges and others or len(others) > 1:
        raise MatcherError(f"mixes {', '.join(present)}: one bucket tests one thing")
    if ranges:
        if "gt" in table and "gte" in table or "lt" in table and "lte" in table:
            raise MatcherError("has two lower or two upper bounds")
        bounds: dict[str, Any] = {}
        for k in ranges:
            try:
                bounds[k] = parse_scalar_number(table[k])
            except ValueError:
                raise MatcherError(f"{k} = {table[k]!r} is not a number") from None
        m = Matcher("range", fld, source=_src(table), **bounds)
        lo, hi = m.lower, m.upper
        if lo and hi:
            if lo[0] > hi[0]:
                raise MatcherError(f"lower bound {fmt_number(lo[0])} is above upper bound {fmt_number(hi[0])}")
            if lo[0] == hi[0] and not (lo[1] and hi[1]):
                raise MatcherError(f"range around {fmt_number(lo[0])} is empty")
        return m
    kind = others[0]
    value = table[kind]
    if kind in SET_KEYS:
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, (list, tuple)) or not value:
            raise MatcherError(f"{kind} needs a non-empty list of values")
        odd = next((v for v in value if isinstance(v, (bool, dict, list, tuple)) or not isinstance(v, (str, int, float))), None)
        if odd is not None:
            raise MatcherError(f"{kind} lists values as text or numbers, not {odd!r}")
        values = tuple(str(v).strip() for v in value)
        if any(not v for v in values):
            raise MatcherError(f"{kind} has an empty value")
        return Matcher(kind, fld, values=values, source=_src(table))
    if kind == "otherwise" and not allow_otherwise:
        raise MatcherError("otherwise is only for buckets")
    if not isinstance(value, bool):
        raise MatcherError(f"{kind} must be true or false, not {value!r}")
    if kind == "otherwise" and not value:
        raise MatcherError("otherwise = false matches nothing")
    if kind == "known":
        return Matcher("missing", fld, flag=not value, source=_src(table))
    return Matcher(kind, fld, flag=value, source=_src(table))


def _src(table: dict) -> str:
    return ", ".join(f"{k} = {table[k]!r}" for k in table if k in MATCHER_KEYS)


_FIELD = r"(?P<field>[A-Za-z_][\w.]*|\"[^\"]+\"|'[^']+'|`[^`]+`)"
_OPS = (
    "is not missing", "is missing", "is known", "is not", "is",
    "not in", "in", "contains any", "contains all", "contains none", "contains",
    "<=", ">=", "==", "!=", "=", "<", ">",
)
_COND_RE = re.compile(
    r"^\s*" + _FIELD + r"\s*(?P<op>" + "|".join(re.escape(o) + (r"\b" if o[0].isalpha() else "") for o in _OPS) + r")\s*(?P<value>.*?)\s*$",
    re.IGNORECASE,
)
_FIELD_ONLY_RE = re.compile(r"^\s*" + _FIELD + r"\s*")


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _parse_values(text: str, cond: str = "", at: int = 0) -> list[str]:
    """The values of a set test, ``[a, 'b c', "d"]`` or ``a, b``, read strictly: a bracket or a quote that is never
    closed, text after the ``]``, a bracket inside the list and an empty value are refused with where they are
    (``at``: where ``text`` starts in ``cond``, the whole condition; without it, ``text`` is all there is)."""
    cond = cond or text
    body, base = text, at
    if text.startswith("["):
        close, quote, opened, start = -1, "", 0, True  # start: where a value starts, so a quote there opens one
        for k, ch in enumerate(text[1:], 1):  # the ] that closes the list, outside quoted values
            if quote:
                quote = "" if ch == quote else quote
            elif ch in "'\"" and start:
                quote, opened = ch, k
            elif ch == "[":
                raise MatcherError(f"{cond!r}: a [ inside the list of values", at + k)
            elif ch == "]":
                close = k
                break
            start = ch == "," or (start and ch.isspace())
        if quote:
            raise MatcherError(f"{cond!r}: the {quote} is never closed", at + opened)
        if close < 0:
            raise MatcherError(f"{cond!r}: the [ is never closed", at)
        rest = text[close + 1:]
        if rest.strip():
            raise MatcherError(f"{cond!r}: {rest.strip()!r} after the ] is not part of the condition",
                               at + close + 1 + (len(rest) - len(rest.lstrip())))
        body, base = text[1:close], at + 1
    items: list[str] = []
    pos = _skip(body, 0)
    while pos < len(body):
        ch = body[pos]
        if ch in "'\"":
            end = body.find(ch, pos + 1)
            if end < 0:
                raise MatcherError(f"{cond!r}: the {ch} is never closed", base + pos)
            item, nxt = body[pos + 1:end], _skip(body, end + 1)
            if nxt < len(body) and body[nxt] != ",":
                raise MatcherError(f"{cond!r}: {body[nxt:].split(',')[0].strip()!r} follows the quoted value {item!r}; "
                                   "separate values with commas", base + nxt)
            if not item.strip():
                raise MatcherError(f"{cond!r}: has an empty value", base + pos)
        else:
            end = body.find(",", pos)
            nxt = len(body) if end < 0 else end
            item = body[pos:nxt].strip()
            bracket = next((k for k, c in enumerate(body[pos:nxt]) if c in "[]"), None)
            if bracket is not None:
                raise MatcherError(f"{cond!r}: a {body[pos + bracket]} inside the list of values", base + pos + bracket)
            if not item:
                raise MatcherError(f"{cond!r}: has an empty value", base + pos)
        items.append(item.strip())
        pos = _skip(body, nxt + 1) if nxt < len(body) else nxt  # past the comma; a comma at the end is allowed
    if not items:
        raise MatcherError(f"{cond!r}: needs at least one value", at)
    return items


def _unquote(text: str) -> str:
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "'\"`":
        return text[1:-1]
    return text


def parse_condition(text: str) -> Matcher:
    """Parse one condition such as ``"employees < 50"``. Raises :class:`MatcherError`."""
    m = _COND_RE.match(text)
    if not m:
        f = _FIELD_ONLY_RE.match(text)
        word = text[f.end():].split()[0] if f and text[f.end():].strip() else ""
        raise MatcherError(
            f"cannot read condition {text!r}: write FIELD OP VALUE, e.g. \"employees < 50\", "
            "\"industry in [Retail, Manufacturing]\", \"tech_stack contains Salesforce\", \"country is missing\""
            + (f" ({word!r} is not an operator)" if word else ""),
            f.end() if word and f else None,
        )
    fld = _unquote(m["field"])
    op = " ".join(m["op"].lower().split())
    value = m["value"]
    if op in ("is missing", "is not missing", "is known"):
        if value:
            raise MatcherError(f"{text!r}: nothing may follow '{op}'")
        return Matcher("missing", fld, flag=op == "is missing", source=text)
    if not value:
        raise MatcherError(f"{text!r}: a value must follow '{op}'")
    if op in ("<", "<=", ">", ">="):
        try:
            number = parse_scalar_number(_unquote(value))
        except ValueError:
            raise MatcherError(f"{text!r}: {value!r} is not a number") from None
        key = {"<": "lt", "<=": "lte", ">": "gt", ">=": "gte"}[op]
        bound: dict[str, Any] = {key: number}
        return Matcher("range", fld, source=text, **bound)
    if op in ("is", "is not"):
        word = _unquote(value).lower()
        if word not in TRUE_TOKENS + FALSE_TOKENS:
            raise MatcherError(f"{text!r}: 'is' takes true or false")
        flag = word in TRUE_TOKENS
        return Matcher("is", fld, flag=flag if op == "is" else not flag, source=text)
    if op in ("=", "==", "!="):
        if value[0] in "<>":
            raise MatcherError(f"{text!r}: write {value[0]}= rather than ={value[0]}")
        if value[0] in "'\"`" and (len(value) < 2 or value[-1] != value[0]):
            raise MatcherError(f"{text!r}: the {value[0]} is never closed", m.start("value"))
        if not _unquote(value).strip():
            raise MatcherError(f"{text!r}: has an empty value")
        return Matcher("in" if op != "!=" else "not_in", fld, values=(_unquote(value),), source=text)
    kind = {"in": "in", "not in": "not_in", "contains": "contains_any", "contains any": "contains_any",
            "contains all": "contains_all", "contains none": "contains_none"}[op]
    return Matcher(kind, fld, values=tuple(_parse_values(value, text, m.start("value"))), source=text)
