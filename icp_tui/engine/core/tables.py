"""Reading a CSV or XLSX file into a pyarrow table of text columns, with clear errors.

Encodings: UTF-8 (with or without BOM); UTF-16 and UTF-32 with a BOM (Excel's "Unicode text");
anything else is detected (:mod:`icp_tui.engine.core.encodings`: cp1252, cp1250, cp1251, ...) and
transcoded to UTF-8 before pyarrow parses it. Delimiter: sniffed among comma, semicolon and tab.
Headers are kept as written (duplicates get " (2)"); every value stays text so that the importers
decide how to read it and can report what they could not.
"""

from __future__ import annotations

import contextlib
import csv
import mmap
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from icp_tui.engine.core.encodings import bom_encoding, decode_export
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.core.quotes import blank_lines, spans_lines, stray_quote_lines
from icp_tui.engine.core.stdin import resolve
from icp_tui.engine.core.texts import some
from icp_tui.engine.core.xlsx import MAX_CELL_CHARS, read_sheet

HEAD_BYTES = 65536
#: pyarrow parses this much at a time; a row must fit in one block (the longest cell is MAX_CELL_CHARS).
BLOCK_BYTES = 1 << 24
DELIMITERS = {",": "comma", ";": "semicolon", "\t": "tab"}
_OTHER_DELIMITERS = {"|": "a pipe '|'", ":": "a colon ':'", "^": "a caret '^'", "~": "a tilde '~'"}


@dataclass
class TableInfo:
    path: str
    encoding: str = "utf-8"
    delimiter: str = ","
    rows: int = 0
    skipped_lines: list[int] = field(default_factory=list)
    skipped_count: int = 0
    quote_lines: list[int] = field(default_factory=list)  # lines skipped for a quote never closed (core.quotes)
    quote_count: int = 0
    notes: list[str] = field(default_factory=list)  # how it was read: an encoding other than UTF-8, bytes replaced, formulas

    def report_lines(self) -> list[str]:
        """The lines skipped, with their numbers (the first ten), for the file's import warnings."""
        def counted(n: int, lines: list[int]) -> tuple[str, str]:
            return f"{n:,} line{'s' * (n != 1)}", some(lines, n)

        out = list(self.notes)
        if self.quote_count:
            n, at = counted(self.quote_count, self.quote_lines)
            out.append(f"{n} with a quote (\") that is never closed skipped (line{'s' * (self.quote_count != 1)} {at}); "
                       "the lines after each were read")
        if self.skipped_count:
            n, at = counted(self.skipped_count, self.skipped_lines)
            out.append(f"{n} with the wrong number of values skipped (lines {at})")
        return out


def _decode_head(data: bytes) -> str | None:
    """The head as text if it reads as UTF-8 (a character cut by the 64 KiB window is dropped), else None."""
    head = data[:HEAD_BYTES]
    try:
        return head.decode("utf-8")
    except UnicodeDecodeError as e:
        if e.start > len(head) - 4:
            return head[: e.start].decode("utf-8")
    return None


def _unicode_with_bom(p: Path, name: str, codec: str, bom: int) -> bytes:
    """A UTF-16/UTF-32 file (its BOM already seen) transcoded to UTF-8; damaged text or a NUL character is refused."""
    data = p.read_bytes()
    try:
        text = data[bom:].decode(codec)
    except UnicodeDecodeError as e:
        line = data[bom: bom + e.start].decode(codec, errors="replace").count("\n") + 1
        raise DataFileError(f"is not valid {codec.upper()} text (at byte {bom + e.start:,}); export it again as CSV or XLSX",
                            file=name, line=line) from None
    del data
    nul = text.find("\x00")
    if nul >= 0:
        at = bom + len(text[:nul].encode(codec))
        raise DataFileError(f"is not a text file (binary data at byte {at:,}); export it as CSV (UTF-8) or XLSX",
                            file=name, line=text.count("\n", 0, nul) + 1)
    if not text.strip():
        raise DataFileError("is empty", file=name)
    return text.encode("utf-8")


def _sniff(lines: list[str], path: str) -> str:
    """The separator whose header splits into the most columns that most rows agree with."""
    best, best_key = ",", (0.0, 1)
    for d in DELIMITERS:
        rows = [r for r in csv.reader(lines, delimiter=d) if r]
        if not rows or len(rows[0]) < 2:
            continue
        agree = sum(len(r) == len(rows[0]) for r in rows[1:]) / (len(rows) - 1) if len(rows) > 1 else 1.0
        if (agree, len(rows[0])) > best_key:
            best, best_key = d, (agree, len(rows[0]))
    if best_key[1] == 1:
        # one column: fine for a plain list of names, unless another separator is obviously in use
        header = lines[0] if lines else ""
        for d, name in _OTHER_DELIMITERS.items():
            if header.count(d) >= 2:
                raise DataFileError(
                    f"values seem to be separated by {name}; save the file with commas, semicolons or tabs between values",
                    file=path, line=1,
                )
    elif best_key[0] < 0.5:
        raise DataFileError(
            f"most lines do not have the {best_key[1]} values the header has (separator {DELIMITERS[best]}); "
            "check the separator and the quoting", file=path, line=1,
        )
    return best


def _find_nul(p: Path, head: bytes, size: int) -> int:
    """Offset of the first NUL byte in the file (-1 if none): a binary file, UTF-16 without a BOM, or one damaged cell
    anywhere in a big export. The whole file is searched through a memory map (a few ms per 100 MB)."""
    found = head.find(b"\x00")
    if found >= 0 or size <= len(head):
        return found
    with open(p, "rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as m:
        return m.find(b"\x00", len(head))


def _bytes_before(p: Path, offset: int) -> bytes:
    with open(p, "rb") as fh:
        return fh.read(offset)


def _unique_headers(names: list[str]) -> list[str]:
    """Headers made unique: the second "Name" is "Name (2)", the third "Name (3)". Linear in the number of
    columns (a set of the names used and, per name, the next number to try): 10,000 copies of one
    header take milliseconds, not a minute."""
    out: list[str] = []
    used: set[str] = set()
    next_k: dict[str, int] = {}
    for i, n in enumerate(names, 1):
        n = n.strip() or f"column {i}"
        if n in used:
            base, k = n, next_k.get(n, 2)
            while (n := f"{base} ({k})") in used:
                k += 1
            next_k[base] = k + 1
        used.add(n)
        out.append(n)
    return out


def read_table(path: str | Path) -> tuple[pa.Table, TableInfo]:
    """Read a CSV/TSV/XLSX file as text columns. Raises :class:`DataFileError` with a clear message.

    Only the first 64 KiB are read in Python (type, encoding, separator, header); a UTF-8 file is
    then parsed by pyarrow straight from disk, so the whole file is never held twice in memory. A file
    in another encoding is transcoded to UTF-8 in memory first. ``-`` reads standard input (named
    ``<stdin>`` in messages; see :mod:`icp_tui.engine.core.stdin`).
    """
    p, name = resolve(path)
    try:
        size = p.stat().st_size
        with p.open("rb") as fh:
            head = fh.read(HEAD_BYTES)
    except FileNotFoundError:
        raise DataFileError("file not found", file=name) from None
    except IsADirectoryError:
        raise DataFileError("is a directory, not a file", file=name) from None
    except OSError as e:
        raise DataFileError(f"cannot read: {e.strerror}", file=name) from None
    if head[:4] == b"PK\x03\x04" or p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(name, p)
    if not head.strip() and (size <= HEAD_BYTES or not p.read_bytes().strip()):
        raise DataFileError("is empty", file=name)
    info = TableInfo(name)
    source: str | bytes = str(p)  # what pyarrow parses: the path on disk (for `-`, the copy of stdin)
    unicode_bom = bom_encoding(head)
    if unicode_bom:  # UTF-16/32: NUL bytes are part of every character, so the check runs on the decoded text
        info.encoding = unicode_bom[0]
        info.notes.append(f"read as {info.encoding.upper()} (the byte order mark at its start says so), not UTF-8")
        source = _unicode_with_bom(p, name, *unicode_bom)
        head, size = source[:HEAD_BYTES], len(source)
    else:
        nul = _find_nul(p, head, size)
        if nul >= 0:
            line = (head[:nul] if nul < len(head) else _bytes_before(p, nul)).count(b"\n") + 1
            raise DataFileError(
                f"is not a text file (binary data at byte {nul:,}); export it as CSV (UTF-8) or XLSX", file=name, line=line
            )
    text_head = _decode_head(head[3:] if head.startswith(b"\xef\xbb\xbf") else head)
    if text_head is None:  # not UTF-8: the whole file in its detected code page, as UTF-8 for pyarrow
        text, info.encoding, notes = decode_export(p.read_bytes())
        info.notes += notes
        source = text.encode("utf-8")
        text_head, size = text[:HEAD_BYTES], len(source)
    head_lines = text_head.splitlines()[:50]
    if size > HEAD_BYTES and len(head_lines) > 1:
        head_lines = head_lines[:-1]  # the last line may be cut
    info.delimiter = _sniff(head_lines, name)
    header = next(csv.reader([head_lines[0]], delimiter=info.delimiter), []) if head_lines else []
    names = _unique_headers(header)
    try:
        table, skipped = _parse(source, names, info.delimiter, name=name, multiline=len(names) < 2)
        if skipped:  # rows that broke under the fast parser: perhaps quoted values with line breaks
            table, skipped = _parse(source, names, info.delimiter, name=name, multiline=True)
    except pa.ArrowInvalid as e:
        if "UTF8" not in str(e) and "utf8" not in str(e):
            raise DataFileError(f"cannot be read as CSV: {e}", file=name) from None
        text, info.encoding, notes = decode_export(p.read_bytes())  # invalid UTF-8 past the sniffed head
        info.notes += notes
        source = text.encode("utf-8")
        table, skipped = _parse(source, names, info.delimiter, name=name, multiline=True)
    if spans_lines(table, skipped, source):  # a quoted value over several lines: perhaps a stray quote that swallowed them
        data = source if isinstance(source, bytes) else p.read_bytes()
        if stray := stray_quote_lines(data, info.delimiter):
            source = blank_lines(data, stray)
            table, skipped = _parse(source, names, info.delimiter, name=name, multiline=True)
            info.quote_lines, info.quote_count = stray[:10], len(stray)
    if not all(n for n, _ in skipped):  # the multiline parser does not count lines: find them
        data = source if isinstance(source, bytes) else p.read_bytes()
        numbers = [n or _line_of(data, text) for n, text in skipped[:10]] + [n for n, _ in skipped[10:]]
    else:
        numbers = [n for n, _ in skipped]
    info.skipped_lines = sorted(n for n in numbers if n)[:10]
    info.skipped_count = len(skipped)
    if table.num_rows == 0:
        raise DataFileError("has a header but no data rows", file=name, line=1)
    info.rows = table.num_rows
    return table, info


def _line_of(data: bytes, text: str) -> int:
    at = data.find(text.encode("utf-8"))
    return data.count(b"\n", 0, at) + 1 if at >= 0 else 0


def _parse(source: str | bytes, names: list[str], delimiter: str, *, name: str,
           multiline: bool) -> tuple[pa.Table, list[tuple[int, str]]]:
    """Parse CSV (a path or UTF-8 bytes) as text columns; rows with the wrong number of values
    are skipped and listed as (line or 0, text).

    The fast parser splits rows at every line break; ``multiline`` honours line breaks inside
    quoted values (about half as fast), which a file needs when the fast parse skipped rows.
    """
    skipped: list[tuple[int, str]] = []

    def on_bad_row(row) -> str:
        skipped.append((row.number or 0, row.text if len(skipped) < 10 else ""))
        return "skip"

    try:
        table = pacsv.read_csv(
            source if isinstance(source, str) else pa.BufferReader(source),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=BLOCK_BYTES),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=multiline, invalid_row_handler=on_bad_row),
            convert_options=pacsv.ConvertOptions(column_types=pa.schema([(n, pa.string()) for n in names]),
                                                 strings_can_be_null=False),
        )
    except pa.ArrowInvalid as e:  # a row longer than a block ("straddling object"): far over the cell limit
        if "straddl" not in str(e):
            raise
        raise DataFileError(f"has a row longer than {BLOCK_BYTES >> 20} MB; one cell may hold {MAX_CELL_CHARS:,} characters "
                            "(1 MB) at most: check the export", file=name, line=_long_line(source)) from None
    _check_cells(table, name)
    return table, skipped


def _long_line(source: str | bytes) -> int | None:
    """The number of the first line longer than a block, or None (a row of many shorter lines)."""
    with contextlib.ExitStack() as stack:
        if isinstance(source, str):
            fh = stack.enter_context(open(source, "rb"))
            data: bytes | mmap.mmap = stack.enter_context(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
        else:
            data = source
        start, line = 0, 1
        while (end := data.find(b"\n", start)) >= 0 or start < len(data):
            end = len(data) if end < 0 else end
            if end - start > BLOCK_BYTES:
                return line
            start, line = end + 1, line + 1
    return None


def _check_cells(table: pa.Table, name: str) -> None:
    """Refuse a value longer than :data:`MAX_CELL_CHARS`, naming its row (the header is row 1) and column."""
    if table.nbytes <= MAX_CELL_CHARS:
        return
    for col_name, col in zip(table.column_names, table.columns):
        if (pc.max(pc.binary_length(col)).as_py() or 0) <= MAX_CELL_CHARS:  # bytes, read off the offsets: no cell can be over
            continue
        lengths = pc.utf8_length(col)
        if (pc.max(lengths).as_py() or 0) > MAX_CELL_CHARS:
            i = pc.index(pc.greater(lengths, MAX_CELL_CHARS), True).as_py()
            n = lengths[i].as_py()
            raise DataFileError(f"row {i + 2:,} has a value of {n:,} characters in column '{col_name}', longer than the "
                                f"{MAX_CELL_CHARS:,} (1 MB) one cell may hold: check the export", file=name)


def _read_xlsx(name: str, p: Path) -> tuple[pa.Table, TableInfo]:
    """The first sheet of a workbook, its limits checked before it is unpacked (:mod:`icp_tui.engine.core.xlsx`)."""
    sheet = read_sheet(p, name)
    if not sheet.rows:
        if any(sheet.header):
            raise DataFileError("has a header but no data rows", file=name, line=1)
        raise DataFileError("is empty", file=name)
    names = _unique_headers(sheet.header)
    table = pa.table({n: pa.array([r[i] for r in sheet.rows], pa.string()) for i, n in enumerate(names)})
    return table, TableInfo(name, encoding="xlsx", delimiter="", rows=table.num_rows, notes=sheet.notes)
