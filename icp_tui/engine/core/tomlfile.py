"""Reading a TOML file with errors that name the file and line, for every kind of file we keep.

Text is checked first with :mod:`tomllib` (strict, and its errors carry a line: a key given twice, a
table defined twice), then parsed with tomlkit, which keeps comments and layout for saving. A
``check`` callback sees the plain data before tomlkit parses it, so limits (a criterion with
100,000 buckets) are refused in seconds, not after a minute of round-trip parsing.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import ParseError, TOMLKitError

from icp_tui.engine.core.errors import IcpError

_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_AT_END = re.compile(r"\s*\(at end of document\)\s*$")

#: Arrays and inline tables nested deeper than this are refused before any parser sees them (tomllib
#: and tomlkit recurse once per level: 500 levels end in a RecursionError). Our files need three or four.
MAX_DEPTH = 32
# what can hold a bracket that is not one: strings of the four kinds and comments; then the brackets
_TOKENS = re.compile("|".join((
    r'"""(?:[^\\]|\\.)*?"""(?!")',  # multi-line basic string
    r"'''[\s\S]*?'''(?!')",  # multi-line literal string
    r'"(?:[^"\\\n]|\\.)*"',  # basic string
    r"'[^'\n]*'",  # literal string
    r"#[^\n]*",  # comment
    r"[\[\]{}]",
)), re.S)


def check_depth(text: str, path: str, error: type[IcpError]) -> None:
    """Refuse ``text`` when its arrays and inline tables nest more than :data:`MAX_DEPTH` levels: one
    pass of a regular expression over strings, comments and brackets, so no parser ever recurses on it."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth, opened = 0, 0
    for m in _TOKENS.finditer(text):
        ch = m.group()
        if ch in "[{":
            if depth == 0:
                opened = m.start()
            depth += 1
            if depth > MAX_DEPTH:
                start = text.rfind("\n", 0, opened) + 1
                key = text[start:opened].split("=")[0].strip() or None
                raise error(f"nested more than {MAX_DEPTH} levels deep (arrays [ ] and inline tables {{ }} inside each "
                            "other); write the value with fewer levels", file=path, line=text.count("\n", 0, m.start()) + 1,
                            key=key)
        elif ch in "]}":
            depth = max(depth - 1, 0)


def _strict(text: str, path: str, error: type[IcpError]) -> dict[str, Any]:
    check_depth(text, path, error)
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        if len(text) < 1_000_000:  # tomlkit words most mistakes better ("Unexpected character: 'A'")
            try:
                tomlkit.parse(text)
            except ParseError as pe:
                raise error(f"not valid TOML: {str(pe).split(' at line ')[0]} (column {pe.col})", file=path, line=pe.line) from None
            except TOMLKitError:
                pass
        msg = str(e)
        if m := _AT.search(msg):
            raise error(f"not valid TOML: {msg[:m.start()]} (column {m.group(2)})", file=path, line=int(m.group(1))) from None
        msg = _AT_END.sub("", msg)
        raise error(f"not valid TOML: {msg} (at the end of the file)", file=path, line=text.count("\n") + 1) from None


def toml_data(text: str, path: str, error: type[IcpError]) -> dict[str, Any]:
    """The plain data of ``text`` (tomllib: fast, no layout kept), or ``error`` naming the file and line."""
    return _strict(text, path, error)


def parse_toml(text: str, path: str, error: type[IcpError],
               check: Callable[[dict[str, Any]], None] | None = None) -> tomlkit.TOMLDocument:
    """The tomlkit document of ``text``, or ``error`` naming the file and line of what is wrong."""
    data = _strict(text, path, error)
    if check is not None:
        check(data)
    try:
        return tomlkit.parse(text)
    except ParseError as e:
        msg = str(e).split(" at line ")[0]
        raise error(f"not valid TOML: {msg} (column {e.col})", file=path, line=e.line) from None
    except TOMLKitError as e:  # tomllib took it, tomlkit did not: still the user's file, not our bug
        raise error(f"cannot be read for editing: {e}", file=path) from None


def read_text(path: str | Path, error: type[IcpError]) -> str:
    """The file's text (UTF-8, a byte-order mark dropped), or ``error`` saying why not."""
    p = Path(path)
    try:
        return p.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error("file not found", file=str(p)) from None
    except IsADirectoryError:
        raise error("is a directory, not a file", file=str(p)) from None
    except UnicodeDecodeError as e:
        line = e.object[:e.start].count(b"\n") + 1
        raise error(f"is not UTF-8 text (byte {e.start:,}); save it as UTF-8", file=str(p), line=line) from None
    except OSError as e:
        raise error(f"cannot read: {e.strerror}", file=str(p)) from None


def unknown_key(table: dict[str, Any], known: Iterable[str]) -> tuple[str, str] | None:
    """The first key of ``table`` that is not in ``known``, with a hint: ("wieght", "did you mean 'weight'?")."""
    known = tuple(known)
    for k in table:
        if k not in known:
            close = difflib.get_close_matches(str(k), known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known keys: {', '.join(known)}"
            return str(k), hint
    return None
