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


def _header_name(line: str) -> str | None:
    m = _HEADER.match(line)
    return m.group(2).replace(" ", "") if m else None


def locate(text: str, path: list[str | int]) -> int | None:
    """1-based line of ``path`` (keys and 1-based indices) in ``text``."""
    lines = text.splitlines()
    start, end = 0, len(lines)  # the region that holds the current table
    table: list[str] = []
    best: int | None = None
    i = 0
    while i < len(path):
        # the longest run of keys from here that names a table header ([a] or [a.b] or [[a]])
        keys: list[str] = []
        for p in path[i:]:
            if isinstance(p, int):
                break
            keys.append(str(p))
        found = None
        for take in range(len(keys), 0, -1):
            name = ".".join(table + keys[:take])
            headers = [n for n in range(start, end) if _header_name(lines[n]) == name]
            if headers:
                found = (take, name, headers)
                break
        if found:
            take, name, headers = found
            nxt = i + take
            after = path[nxt] if nxt < len(path) else None
            index = after if isinstance(after, int) else None
            pick_at = (index or 1) - 1
            if pick_at >= len(headers):
                return best
            pick = headers[pick_at]
            best = pick + 1
            later = [n for n in range(pick + 1, end)
                     if (h := _header_name(lines[n])) is not None and not h.startswith(name + ".")]
            start, end = pick + 1, (later[0] if later else end)
            table = table + keys[:take]
            i = nxt + (1 if index is not None else 0)
            continue
        key = path[i]
        after = path[i + 1] if i + 1 < len(path) else None
        index = after if isinstance(after, int) else None
        own = [n for n in range(start, end) if _key_re(str(key)).match(lines[n]) and not _inside_subtable(lines, start, n, table)]
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
    return any((h := _header_name(lines[k])) is not None and h != ".".join(table) for k in range(start, n))


def _nth_inline_item(lines: list[str], key_line: int, end: int, index: int) -> int | None:
    """Line where the index-th element of the inline array that starts on ``key_line`` begins.

    Elements of any kind count (tables, strings, numbers, arrays); strings and comments are
    skipped over so that a bracket or brace inside them does not count.
    """
    depth = 0  # [] nesting
    braces = 0  # {} nesting
    expecting = False  # at depth 1, the next token starts an element
    count = 0
    for n in range(key_line, end):
        text = lines[n]
        i = text.index("=") + 1 if n == key_line and "=" in text else 0
        in_str: str | None = None
        while i < len(text):
            ch = text[i]
            if in_str:
                if ch == "\\" and in_str == '"':
                    i += 2
                    continue
                if ch == in_str:
                    in_str = None
                i += 1
                continue
            if ch == "#":
                break
            if depth == 1 and braces == 0 and expecting and ch not in " \t,]":
                count += 1
                expecting = False
                if count == index:
                    return n
            if ch in "\"'":
                in_str = ch
            elif ch == "[":
                depth += 1
                if depth == 1:
                    expecting = True
            elif ch == "]":
                depth -= 1
                if depth == 0:
                    return None
            elif ch == "{":
                braces += 1
            elif ch == "}":
                braces -= 1
            elif ch == "," and depth == 1 and braces == 0:
                expecting = True
            i += 1
    return None
