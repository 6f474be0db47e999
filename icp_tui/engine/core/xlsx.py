"""Reading the first sheet of an XLSX workbook as text columns, within limits checked before unpacking.

An XLSX file is a zip archive: a few kilobytes can unpack to gigabytes (a "zip bomb"), and one cell
far away (``XFD1048576``) makes a sheet of 17 billion cells. So before any XML is read, the archive's
own table of contents (:meth:`zipfile.ZipFile.infolist`: each member's declared size, which zipfile
never reads past) and the sheet's declared dimension (``<dimension ref=...>``, openpyxl's read-only
``max_row`` / ``max_column``) are checked against the limits below, and the rows are then streamed
(openpyxl read-only mode) with the cells counted, in case the dimension is missing or wrong.

Values are text as a spreadsheet shows them: whole numbers without ``.0``, other cells as openpyxl
reads their saved value. A formula's saved value is read; a formula that was never calculated (a
file written by a script, not saved in Excel) has none: those cells are blank and are reported.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.core.texts import some

#: The most an XLSX file may unpack to (all its members together), in bytes.
MAX_UNPACKED = 200 * 2**20
#: A member over 1 MiB compressed more than this many times is refused (sheet XML compresses 5-20 times).
MAX_RATIO = 100
#: Cells of the sheet (rows x columns, as declared and as read): 10 million is 500,000 rows of 20 columns.
MAX_CELLS = 10_000_000
#: The longest value of one cell, in characters (Excel itself stops at 32,767).
MAX_CELL_CHARS = 2**20

_SAVE_AS_CSV = "save the sheet as CSV (read in constant memory, any size)"


@dataclass
class Sheet:
    header: list[str]
    rows: list[list[str]]
    notes: list[str] = field(default_factory=list)


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def check_archive(p: Path, name: str) -> None:
    """Refuse a workbook whose members would unpack to too much, before anything is unpacked."""
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        raise DataFileError(f"cannot be read as an Excel workbook ({type(e).__name__}: {e})", file=name) from None
    total = sum(i.file_size for i in infos)
    if total > MAX_UNPACKED:
        raise DataFileError(f"unpacks to {_mb(total)}, over the {_mb(MAX_UNPACKED)} an XLSX file may unpack to; "
                            f"{_SAVE_AS_CSV}", file=name)
    for i in infos:
        if i.file_size > 2**20 and i.file_size > MAX_RATIO * max(i.compress_size, 1):
            raise DataFileError(f"part '{i.filename}' unpacks from {i.compress_size:,} bytes to {_mb(i.file_size)} "
                                f"(more than {MAX_RATIO} times): not a workbook a spreadsheet saved; {_SAVE_AS_CSV}", file=name)


def _text(cell) -> str:
    v = cell.value
    if v is None or cell.data_type == "e":  # blank, or an error such as #N/A
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _too_many(rows: int, cols: int, name: str, declared: bool) -> DataFileError:
    from openpyxl.utils import get_column_letter

    what = "declares" if declared else "has"
    return DataFileError(
        f"{what} {rows:,} rows x {cols:,} columns (A1:{get_column_letter(min(cols, 18278))}{rows}), over the "
        f"{MAX_CELLS:,} cells read from an XLSX file: delete the rows and columns past the data (one cell far "
        f"away makes the sheet that big), or {_SAVE_AS_CSV}", file=name)


def read_sheet(p: Path, name: str) -> Sheet:
    """The first sheet's rows as text (blank rows left out), within the module's limits."""
    import openpyxl

    check_archive(p, name)
    with open(p, "rb") as fh:  # a file, not its name: openpyxl refuses a name without .xlsx (standard input's copy)
        try:
            wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as e:  # openpyxl raises many types for a broken workbook
            raise DataFileError(f"cannot be read as an Excel workbook ({type(e).__name__}: {e})", file=name) from None
        try:
            if not wb.worksheets:
                raise DataFileError("has no sheet", file=name)
            ws = wb.worksheets[0]
            rows, cols = ws.max_row, ws.max_column  # the declared dimension (None when the file has none)
            if rows and cols and rows * cols > MAX_CELLS:
                raise _too_many(rows, cols, name, declared=True)
            return _rows(ws, p, name)
        except DataFileError:
            raise
        except Exception as e:
            raise DataFileError(f"cannot be read as an Excel workbook ({type(e).__name__}: {e})", file=name) from None
        finally:
            wb.close()


def _rows(ws, p: Path, name: str) -> Sheet:
    kept: dict[int, list[str]] = {}  # the sheet's row number -> its values, blank rows left out
    cells = width = 0
    for r, row in enumerate(ws.iter_rows(), 1):
        values = [_text(c) for c in row]
        while values and values[-1] == "":
            values.pop()
        width = max(width, len(values))
        cells += len(row)
        if r * max(width, 1) > MAX_CELLS or cells > MAX_CELLS:
            raise _too_many(r, width, name, declared=False)
        for j, v in enumerate(values):
            if len(v) > MAX_CELL_CHARS:
                raise DataFileError(f"a value of {len(v):,} characters, longer than the {MAX_CELL_CHARS:,} a cell may "
                                    f"hold here (row {r}, column {j + 1})", file=name, line=r)
        if values:
            kept[r] = values
    for values in kept.values():
        values += [""] * (width - len(values))
    rows = list(kept.values())
    sheet = Sheet(rows[0] if rows else [], rows[1:])
    if rows and _has_formulas(p):
        sheet.notes = _formula_notes(p, kept, min(kept))
    return sheet


def _has_formulas(p: Path) -> bool:
    """Whether any worksheet of the archive holds a formula (``<f>``), read a megabyte at a time."""
    with zipfile.ZipFile(p) as zf:
        for info in zf.infolist():
            if not info.filename.startswith("xl/worksheets/"):
                continue
            with zf.open(info) as fh:
                tail = b""
                while chunk := fh.read(2**20):
                    if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                        return True
                    tail = chunk[-3:]
    return False


def _formula_notes(p: Path, kept: dict[int, list[str]], header_row: int) -> list[str]:
    """Cells that hold a formula but no saved value, one line per column: the sheet read again without
    ``data_only`` (a second pass, made only when the archive holds formulas)."""
    import openpyxl

    with open(p, "rb") as fh:
        return _formula_cells(openpyxl.load_workbook(fh, read_only=True, data_only=False), kept, header_row)


def _formula_cells(wb, kept: dict[int, list[str]], header_row: int) -> list[str]:
    header = kept[header_row]
    found: dict[int, list[int]] = {}
    try:
        for r, cells in enumerate(wb.worksheets[0].iter_rows(min_row=header_row + 1), header_row + 1):
            saved = kept.get(r, [])
            for j, c in enumerate(cells):
                if c.data_type == "f" and (j >= len(saved) or saved[j] == ""):
                    found.setdefault(j, []).append(r)
    finally:
        wb.close()
    notes = []
    for j, at in sorted(found.items()):
        col = (header[j] if j < len(header) else "") or f"column {j + 1}"
        n = len(at)
        shown = some(at)
        notes.append(f"{n:,} cell{'s' * (n != 1)} in column '{col}' {'are formulas' if n != 1 else 'is a formula'} with no "
                     f"saved value, read as blank (open the file in Excel and save it): row{'s' * (n != 1)} {shown}")
    return notes
