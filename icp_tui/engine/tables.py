"""Reading a CSV or XLSX file into a pyarrow table of text columns, with clear errors.

Encodings: UTF-8 (with or without BOM), then cp1252, then latin-1. Delimiter: sniffed among comma,
semicolon and tab. Headers are kept as written (duplicates get " (2)"); every value stays text so
that the importers decide how to read it and can report what they could not.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

from icp_tui.engine.errors import DataFileError

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


def _decode_head(data: bytes) -> tuple[str, str]:
    head = data[:65536]
    for enc in ("utf-8", "cp1252", "latin-1"):
        try:
            return head.decode(enc), enc
        except UnicodeDecodeError as e:
            if enc == "utf-8" and e.start > len(head) - 4:  # a character cut by the 64 KiB window
                return head[: e.start].decode("utf-8"), "utf-8"
    raise AssertionError("latin-1 decodes everything")


def _sniff(lines: list[str], path: str) -> str:
    best, best_cols = ",", 1
    for d in DELIMITERS:
        counts = {len(r) for r in csv.reader(lines, delimiter=d) if r}
        if len(counts) == 1 and (cols := counts.pop()) > best_cols:
            best, best_cols = d, cols
    if best_cols == 1:
        # one column: fine for a plain list of names, unless another separator is obviously in use
        header = lines[0] if lines else ""
        for d, name in _OTHER_DELIMITERS.items():
            if header.count(d) >= 2:
                raise DataFileError(
                    f"values seem to be separated by {name}; save the file with commas, semicolons or tabs between values",
                    file=path, line=1,
                )
        if len(lines) > 1:
            for d in DELIMITERS:  # lines disagree on their number of columns for every separator
                counts = [len(r) for r in csv.reader(lines, delimiter=d) if r]
                if len(set(counts)) > 1 and max(counts) > 1:
                    row = next(i for i, c in enumerate(counts, 1) if c != counts[0])
                    raise DataFileError(
                        f"line {row} has {counts[row - 1]} values where the header has {counts[0]} "
                        f"(separator {DELIMITERS[d]}); check the quoting of that line",
                        file=path, line=row,
                    )
    return best


def _unique_headers(names: list[str]) -> list[str]:
    out: list[str] = []
    for i, n in enumerate(names, 1):
        n = n.strip() or f"column {i}"
        base, k = n, 2
        while n in out:
            n, k = f"{base} ({k})", k + 1
        out.append(n)
    return out


def read_table(path: str | Path) -> tuple[pa.Table, TableInfo]:
    """Read a CSV/TSV/XLSX file as text columns. Raises :class:`DataFileError` with a clear message."""
    p = Path(path)
    name = str(p)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise DataFileError("file not found", file=name) from None
    except IsADirectoryError:
        raise DataFileError("is a directory, not a file", file=name) from None
    except OSError as e:
        raise DataFileError(f"cannot read: {e.strerror}", file=name) from None
    if not data.strip():
        raise DataFileError("is empty", file=name)
    if data[:4] == b"PK\x03\x04" or p.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(p, data)
    nul = data.find(b"\x00", 0, 65536)
    if nul >= 0:
        raise DataFileError(
            f"is not a text file (binary data at byte {nul}); export it as CSV (UTF-8) or XLSX", file=name
        )
    info = TableInfo(name)
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text_head, info.encoding = _decode_head(data)
    if info.encoding != "utf-8":
        data = data.decode(info.encoding).encode("utf-8")
        text_head = data[:65536].decode("utf-8", errors="ignore")
    head_lines = text_head.splitlines()[:50]
    if len(data) > 65536 and head_lines:
        head_lines = head_lines[:-1]  # the last line may be cut
    info.delimiter = _sniff(head_lines, name)
    header = next(csv.reader([head_lines[0]], delimiter=info.delimiter), [])
    names = _unique_headers(header)
    skipped: list[int] = []

    def on_bad_row(row) -> str:
        skipped.append(row.number if row.number is not None else -1)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(delimiter=info.delimiter, newlines_in_values=True, invalid_row_handler=on_bad_row),
            convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False),
        )
    except pa.ArrowInvalid as e:
        if "UTF8" in str(e) or "utf8" in str(e):  # invalid UTF-8 past the sniffed head
            info.encoding = "cp1252"
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                text, info.encoding = data.decode("latin-1"), "latin-1"
            table = pacsv.read_csv(
                io.BytesIO(text.encode("utf-8")),
                read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
                parse_options=pacsv.ParseOptions(delimiter=info.delimiter, newlines_in_values=True, invalid_row_handler=on_bad_row),
                convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False),
            )
        else:
            raise DataFileError(f"cannot be read as CSV: {e}", file=name) from None
    info.skipped_lines = sorted(skipped)[:10]
    info.skipped_count = len(skipped)
    if table.num_rows == 0:
        raise DataFileError("has a header but no data rows", file=name, line=1)
    info.rows = table.num_rows
    return table, info


def _read_xlsx(p: Path, data: bytes) -> tuple[pa.Table, TableInfo]:
    import pandas as pd

    try:
        frame = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False, engine="openpyxl")
    except Exception as e:  # openpyxl raises many types for a broken workbook
        raise DataFileError(f"cannot be read as an Excel workbook ({type(e).__name__}: {e})", file=str(p)) from None
    if frame.empty:
        raise DataFileError("has a header but no data rows" if len(frame.columns) else "is empty", file=str(p))
    names = _unique_headers([str(c) if not str(c).startswith("Unnamed:") else "" for c in frame.columns])
    table = pa.table({n: pa.array(frame.iloc[:, i].astype(str).tolist(), pa.string()) for i, n in enumerate(names)})
    return table, TableInfo(str(p), encoding="xlsx", delimiter="", rows=table.num_rows)
