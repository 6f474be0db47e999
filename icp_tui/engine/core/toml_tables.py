"""Whole ``[[key]]`` tables of a tomlkit document moved, added and deleted as text.

tomlkit files the comments above a header under the table before it, so moving table objects would
move the wrong comments: here a table's own lines and the comment lines directly above its header
move with it; blank lines and comment blocks set off by a blank line (section headings) stay put.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import tomlkit
from tomlkit.items import Comment, Whitespace

from icp_tui.engine.core.errors import ScorecardError


def plain(v: Any) -> Any:
    return v.unwrap() if hasattr(v, "unwrap") else v


def toml_text(v: Any) -> str:
    return tomlkit.item(v).as_string()


def toml_value(text: str) -> Any:
    return tomlkit.parse("v = " + text)["v"]


def finite_number(x: float) -> int | float:
    x = float(x)
    if not math.isfinite(x):
        raise ScorecardError(f"{x} is not a number")
    return int(x) if x.is_integer() else x


def _split_attached(s: str) -> tuple[str, str]:
    """(text, the comment lines at its end): those lines sit right above the next header."""
    m = re.search(r"(?:^[ \t]*#[^\n]*\n)+\Z", s, re.M)
    return (s[:m.start()], m.group()) if m else (s, "")


@dataclass
class _Tables:
    """The ``[[key]]`` tables of a document as ``head + (att + core + gap) per table + rest``.

    ``core`` is a table's header and keys, ``att`` the comment lines right above its header (they go
    with it), ``gap`` the blank lines and comment blocks after it (they stay where they are).
    """

    head: str
    atts: list[str]
    cores: list[str]
    gaps: list[str]
    rest: str

    def text(self) -> str:
        return self.head + "".join(a + c + g for a, c, g in zip(self.atts, self.cores, self.gaps)) + self.rest

    def move(self, i: int, j: int) -> str:
        self.atts.insert(j, self.atts.pop(i))
        self.cores.insert(j, self.cores.pop(i))
        return self.text()

    def insert(self, pos: int, core: str) -> str:
        self.atts.insert(pos, "")
        self.cores.insert(pos, core)
        self.gaps.insert(max(pos - 1, 0), "\n")
        return self.text()

    def delete(self, i: int) -> str:
        """Drop table ``i``; the comment blocks before and after it are kept, the blank lines joined."""
        del self.atts[i], self.cores[i]
        after, before = self.gaps.pop(i), self.head if i == 0 else self.gaps[i - 1]
        joined = before + after.lstrip("\n") if after else (before.rstrip("\n") + "\n" if before.strip() else "")
        if i == 0:
            self.head = joined
        else:
            self.gaps[i - 1] = joined
        return self.text()


def tables_of(doc: Any, key: str) -> _Tables | None:
    tables = list(doc.get(key) or [])
    if not tables:
        return None
    text = doc.as_string()
    heads = list(re.finditer(r"^[ \t]*\[\[[ \t]*" + re.escape(key) + r"[ \t]*\]\][^\n]*(?:\n|\Z)", text, re.M))
    cores, tails = [], []
    for n, (m, t) in enumerate(zip(heads, tables)):
        body, items = t.as_string(), t.value.body
        k = len(items)
        while k and items[k - 1][0] is None and isinstance(items[k - 1][1], (Comment, Whitespace)):
            k -= 1
        tail = "".join(v.as_string() for _, v in items[k:])
        end = heads[n + 1].start() if n + 1 < len(heads) else m.end() + len(body)
        if len(heads) != len(tables) or text[m.end():end] != body or not body.endswith(tail):
            raise ScorecardError(f"cannot rearrange the [[{key}]] tables: they are not one after another in the file")
        core = text[m.start():end - len(tail)]
        cores.append(core if core.endswith("\n") else core + "\n")
        tails.append(tail)
    head, att = _split_attached(text[:heads[0].start()])
    atts, gaps = [att], []
    for tail in tails[:-1]:
        gap, att = _split_attached(tail)
        gaps.append(gap)
        atts.append(att)
    return _Tables(head, atts, cores, gaps + [tails[-1]], text[heads[-1].end() + len(tables[-1].as_string()):])


def table_text(key: str, pairs: list[tuple[str, Any]], extra: str = "") -> str:
    return f"[[{key}]]\n" + "".join(f"{k} = {toml_text(v)}\n" for k, v in pairs if v is not None) + extra


def put_key(t: Any, key: str, value: Any, order: tuple[str, ...], default: Any = None) -> None:
    """Set ``t[key]``; "" removes a key that has a default; a new key goes after its neighbours in ``order``."""
    if (key in t and plain(t[key]) == value) or (key not in t and value == default):
        return
    if key in t and value == "" and default is not None:
        del t[key]
    elif key in t:
        t[key] = value
    else:  # after the table's own keys, not after the comments that follow them
        before = [k for k in order[:order.index(key)] if k in t] or list(t.keys())
        t.value._insert_after(before[-1], key, value)


def shown(v: Any) -> str:
    return f"{v:g}" if isinstance(v, (int, float)) and not isinstance(v, bool) else f"'{v}'"
