"""Stray quotes in CSV files: a ``"`` that opens a value and is never closed where a value ends.

CSV lets a quoted value run over several lines, so a parser that meets ``"Zeta Big Co,21,...`` reads on
to the next quote in the file, or to its end: one stray quote swallows every line after it and the rows
are lost without a word. This finds such quotes without parsing the values (pyarrow does that): a quote
at the start of a value opens it; the quote that closes it must be followed by the separator or the end
of the line. One that closes on the same line but is followed by other text is taken leniently, as
pyarrow does (``"Acme" Inc``); one that closes that way on a later line, or never, was stray: its line
is reported and blanked, and reading resumes on the next line.

Run only when a parse shows values or skipped rows that span lines; the search jumps from quote to quote
(bytes.find), so even a big file takes a fraction of a second.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

_Q = 34  # '"'
_CR = 13


def count_lines(source: str | bytes) -> int:
    """Lines of a file (a path) or of UTF-8 bytes; a last line without a line break counts."""
    if isinstance(source, bytes):
        return source.count(b"\n") + (not source.endswith(b"\n") and bool(source))
    n, last = 0, b"\n"
    with open(source, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 24), b""):
            n, last = n + chunk.count(b"\n"), chunk[-1:]
    return n + (last != b"\n")


def spans_lines(table: pa.Table, skipped: list[tuple[int, str]], source: str | bytes) -> bool:
    """Whether a parse has a value, or skipped a row, that runs over more than one line."""
    if any(n == 0 or "\n" in text for n, text in skipped):
        return True
    if table.num_rows + len(skipped) >= count_lines(source) - 1:  # a row per line after the header: nothing spans
        return False
    return any(pc.any(pc.match_substring(table.column(i), "\n")).as_py() for i in range(table.num_columns))


def _row_end(lines: list[bytes], i: int, delim: int) -> int:
    """Index of the last line of the row that starts on line ``i``, or -1 when a quote opened there is stray."""
    k, line, pos, inq = i, lines[i], 0, False
    while True:
        end = len(line) - (1 if line.endswith(b"\r") else 0)
        at = line.find(b'"', pos, end)
        if at < 0:
            if not inq:
                return k
            k += 1
            if k >= len(lines):
                return -1  # the file ends inside the quoted value
            line, pos = lines[k], 0
            continue
        if not inq:
            inq = at == 0 or line[at - 1] == delim  # a quote in the middle of a value is a plain character
            pos = at + 1
            continue
        if at + 1 < end and line[at + 1] == _Q:  # "" inside a quoted value
            pos = at + 2
            continue
        if at + 1 < end and line[at + 1] != delim and k != i:
            return -1  # closed on a later line with text after it: the quote that opened it was stray
        inq, pos = False, at + 1


def stray_quote_lines(data: bytes, delimiter: str, first: int = 1) -> list[int]:
    """1-based numbers of the lines (from index ``first``: after the header) whose opening quote is stray."""
    lines = data.split(b"\n")
    delim, bad, i = ord(delimiter), [], first
    while i < len(lines):
        if b'"' not in lines[i]:
            i += 1
            continue
        j = _row_end(lines, i, delim)
        if j < 0:
            bad.append(i + 1)
            i += 1
        else:
            i = j + 1
    return bad


def blank_lines(data: bytes, numbers: list[int]) -> bytes:
    """``data`` with the given 1-based lines emptied (the line breaks kept, so later line numbers stay)."""
    lines = data.split(b"\n")
    for n in numbers:
        lines[n - 1] = b""
    return b"\n".join(lines)


def row_lines(data: bytes, delimiter: str, skipped: set[int]) -> list[int]:
    """The line each data row starts on, as the rows are read: empty lines, the header and the lines in ``skipped``
    (rows skipped, stray quotes) make no row; a quoted value over several lines makes one."""
    lines = data.split(b"\n")
    delim, out, i = ord(delimiter), [], 1
    while i < len(lines):
        j = i
        if lines[i].strip(b"\r"):
            j = max(_row_end(lines, i, delim), i) if b'"' in lines[i] and i + 1 not in skipped else i
            if i + 1 not in skipped:
                out.append(i + 1)
        i = j + 1
    return out
