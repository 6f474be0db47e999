"""A bucket's test as one line of text, both ways: what the scorecard editor shows and reads.

``>= 200, <= 2000`` (also ``200 to 2000``, ``200-2000``, ``between 200 and 2000``), ``< 0.05``,
``>= 30M``; ``in SaaS, FinTech``, ``not in ...``, ``contains any|all|none ...``; ``is true``,
``is false``; ``missing``, ``known``; ``otherwise``. Bounds keep the number as written ("30M").
"""

from __future__ import annotations

import re
from typing import Any

from tomlkit.items import Float

from icp_tui.engine.core.conditions import MATCHER_KEYS, RANGE_KEYS, SET_KEYS, MatcherError, _parse_values, matcher_from_table
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.toml_tables import plain
from icp_tui.engine.core.values import parse_scalar_number

_SET_WORDS = {"in": "in", "not_in": "not in", "contains_any": "contains any", "contains_all": "contains all",
              "contains_none": "contains none"}
_SET_KIND = {w: k for k, w in _SET_WORDS.items()} | {"contains": "contains_any"}
_OPS = {">=": "gte", "=>": "gte", "≥": "gte", ">": "gt", "<=": "lte", "=<": "lte", "≤": "lte", "<": "lt"}
_FLAGS = {w: {"otherwise": True} for w in ("otherwise", "else", "any other value")} | {
    w: {"is": w in ("true", "yes")} for w in ("true", "yes", "false", "no")} | {
    w: {"missing": w in ("missing", "unknown")} for w in ("missing", "unknown", "known", "not missing")}
_SET_RE = re.compile(r"(not\s+in|in|contains\s+(?:any|all|none)|contains)(?:\s+|(?=\[))(.*\S)", re.I | re.S)
_SYNTAX = ("write a range (>= 200, <= 2000 or 200 to 2000), a set (in SaaS, FinTech; contains any Salesforce), "
           "is true, missing, known or otherwise")


def _quoted(v: str) -> str:
    if v and "," not in v and v[0] not in "'\"[" and v[-1] not in "'\"]":
        return v
    q = "'" if '"' in v else '"'
    return f"{q}{v}{q}"


def bucket_test_text(bucket: Any) -> str:
    """The editable text of a bucket's test (a TOML inline table or a dict), e.g. ``>= 200, <= 2000``."""
    keys = [k for k in MATCHER_KEYS if k in bucket]
    if not keys:
        return ""
    if keys[0] in RANGE_KEYS:  # bounds as written: "0.20", "30M"
        shown = {k: (bucket[k].as_string() if isinstance(bucket[k], Float) else str(plain(bucket[k]))).strip() for k in keys}
        return ", ".join(f"{op} {shown[k]}" for k, op in (("gte", ">="), ("gt", ">"), ("lte", "<="), ("lt", "<"))
                         if k in shown)
    kind, value = keys[0], plain(bucket[keys[0]])
    if kind in SET_KEYS:
        values = [value] if isinstance(value, str) else value
        return f"{_SET_WORDS[kind]} " + ", ".join(_quoted(str(v).strip()) for v in values)
    if kind == "is":
        return f"is {str(bool(value)).lower()}"
    if kind == "known":
        return "known" if value else "missing"
    return ("missing" if value else "known") if kind == "missing" else "otherwise"


def _number(token: str, text: str) -> int | float | str:
    """A bound as a person wrote it: plain integers and decimals become numbers, "30M" or "20%" stay text."""
    t = token.strip()
    for conv, pattern in ((int, r"[-+]?\d+(?:_\d+)*"), (float, r"[-+]?(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][-+]?\d+)?")):
        if re.fullmatch(pattern, t):
            try:
                return conv(t)
            except ValueError:
                pass
    try:
        parse_scalar_number(t)
    except ValueError:
        raise ScorecardError(f"cannot read '{text}': '{t}' is not a number") from None
    return t


def _range(text: str) -> dict[str, Any]:
    ops = list(re.finditer(r">=|<=|=>|=<|≥|≤|>|<", text))
    keys: dict[str, Any] = {}
    if ops and not text[:ops[0].start()].strip():
        for m, nxt in zip(ops, ops[1:] + [None]):
            raw = re.sub(r"(?:[\s,;]|\band\b)+$", "", text[m.end():nxt.start() if nxt else None], flags=re.I).strip()
            key = _OPS[m.group()]
            if not raw:
                raise ScorecardError(f"cannot read '{text}': a number must follow '{m.group()}'")
            if any(k[:2] == key[:2] for k in keys):
                raise ScorecardError(f"cannot read '{text}': it has two {'lower' if key[0] == 'g' else 'upper'} bounds")
            keys[key] = _number(raw, text)
        return {k: keys[k] for k in ("gte", "gt", "lte", "lt") if k in keys}
    pair = None if ops else (re.fullmatch(r"between\s+(.+?)\s+and\s+(.+)", text, re.I)
                             or re.fullmatch(r"(.+?)\s+to\s+(.+)", text, re.I) or re.fullmatch(r"(.+?)\s*(?:\.\.|[-–—])\s*(.+)", text))
    if not pair:
        raise ScorecardError(f"cannot read '{text}': {_SYNTAX}")
    return {"gte": _number(pair[1], text), "lte": _number(pair[2], text)}


def parse_bucket_test(text: str) -> dict[str, Any]:
    """The TOML keys of a bucket test written as text, e.g. ``{"gte": 200, "lte": 2000}``. Raises ScorecardError."""
    s = " ".join(text.split())
    word = re.sub(r"^is\s+", "", s.lower())
    if not s:
        raise ScorecardError(f"the test is empty: {_SYNTAX}")
    keys: dict[str, Any]
    if word in _FLAGS:
        keys = dict(_FLAGS[word])
    elif m := _SET_RE.fullmatch(s):
        op = " ".join(m[1].lower().split())
        try:
            keys = {_SET_KIND[op]: _parse_values(m[2])}
        except MatcherError as e:
            raise ScorecardError(f"cannot read '{s}': {e}") from None
    else:
        keys = _range(s)
    try:
        matcher_from_table(keys, default_field="x")
    except MatcherError as e:
        raise ScorecardError(f"'{s}': {e}") from None
    return keys


# -- whole tables as text ---------------------------------------------------------------------------
