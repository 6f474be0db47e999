"""Find the line of a key path in TOML text, so errors can say ``scorecard.toml:34``.

tomlkit keeps comments and layout but not line numbers; this scans the text for the table headers
and keys of a path such as ``criteria[2].buckets[1]`` (indices count from 1, as a person reads the
file). It returns the best line it can find, or None.
"""

from __future__ import annotations

import re

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")


def _key_re(key: str) -> re.Pattern[str]:
    return re.compile(r"^\s*(?:" + re.escape(key) + r"|\"" + re.escape(key) + r"\")\s*=")


def locate(text: str, path: list[str | int]) -> int | None:
    """1-based line of ``path`` (keys and 1-based indices) in ``text``."""
    lines = text.splitlines()
    start, end = 0, len(lines)  # the region that holds the current table
    table: list[str] = []
    best: int | None = None
    i = 0
    while i < len(path):
        key = path[i]
        index = path[i + 1] if i + 1 < len(path) and isinstance(path[i + 1], int) else None
        name = ".".join(table + [str(key)])
        headers = [n for n in range(start, end) if (m := _HEADER.match(lines[n])) and m.group(2) == name]
        if headers:
            pick = headers[(index or 1) - 1] if (index or 1) <= len(headers) else None
            if pick is None:
                return best
            best = pick + 1
            nxt = [n for n in range(pick + 1, end) if (m := _HEADER.match(lines[n])) and not m.group(2).startswith(name + ".")]
            start, end = pick + 1, (nxt[0] if nxt else end)
            # sub-tables of this table may follow before the next sibling header
            table = table + [str(key)]
            i += 2 if index is not None else 1
            continue
        key_lines = [n for n in range(start, end) if _key_re(str(key)).match(lines[n])]
        own = [n for n in key_lines if not _inside_subtable(lines, start, n, table)]
        if not own:
            return best
        best = own[0] + 1
        if index is not None:
            item = _nth_inline_item(lines, own[0], end, index)
            if item is not None:
                best = item + 1
        return best
    return best


def _inside_subtable(lines: list[str], start: int, n: int, table: list[str]) -> bool:
    for k in range(start, n):
        m = _HEADER.match(lines[k])
        if m and m.group(2) != ".".join(table):
            return True
    return False


def _nth_inline_item(lines: list[str], key_line: int, end: int, index: int) -> int | None:
    """Line of the index-th ``{ ... }`` element of an inline array that starts on ``key_line``."""
    depth_sq = 0
    count = 0
    for n in range(key_line, end):
        text = lines[n].split("#", 1)[0] if '"' not in lines[n] else lines[n]
        col = text.index("=") + 1 if n == key_line else 0
        in_str: str | None = None
        for ch in text[col:]:
            if in_str:
                if ch == in_str:
                    in_str = None
                continue
            if ch in "\"'":
                in_str = ch
            elif ch == "[":
                depth_sq += 1
            elif ch == "]":
                depth_sq -= 1
                if depth_sq == 0:
                    return None
            elif ch == "{" and depth_sq == 1:
                count += 1
                if count == index:
                    return n
    return None
