"""Function lists: the target accounts one GTM function proposes, with optional rank and reason.

Read from the spreadsheets people keep (the company column may be called Company, Account,
Company Name...; a Website, Rank/Priority and Reason/Why/Notes column are optional) and saved as
CSV with the columns Company, Website, Rank, Reason (atomically; formula-like cells neutralised).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.core.formula_guard import safe_cell
from icp_tui.engine.core.headers import guess_mapping
from icp_tui.engine.core.lock import Fingerprint, write_checked
from icp_tui.engine.core.quotes import row_lines
from icp_tui.engine.core.stdin import resolve
from icp_tui.engine.core.tables import TableInfo, read_table
from icp_tui.engine.core.texts import some

DEFAULT_FUNCTIONS = ("Sales", "Marketing", "Customer Success", "Product", "Finance")


@dataclass
class Entry:
    text: str  # the company as typed: a name, domain, URL or e-mail address
    rank: int | None = None
    reason: str = ""
    website: str = ""
    extra: dict[str, str] = field(default_factory=dict)  # the file's other columns (header -> value), kept as they were


@dataclass
class FunctionList:
    function: str
    entries: list[Entry] = field(default_factory=list)
    path: Path | None = None
    headers: list[str] = field(default_factory=list)  # the file's header row as its owner wrote it ([]: ours)
    columns: dict[str, str] = field(default_factory=dict)  # company / website / rank / reason -> its header there
    notes: list[str] = field(default_factory=list, compare=False)  # lines of the file skipped, with their numbers
    # the file as read (watch): saving over it checks, under the workshop lock, that it is still that file
    watched: bool = field(default=False, compare=False, repr=False)
    seen: Fingerprint | None = field(default=None, compare=False, repr=False)

    def report_lines(self) -> list[str]:
        """What was not read from the file (lines skipped), for the warnings the CLI and the app show."""
        return list(self.notes)

    def watch(self, seen: Fingerprint | None) -> FunctionList:
        """Remember the file as it was when read (``seen``, taken before reading; None: there was none)."""
        self.watched, self.seen = True, seen
        return self

    @property
    def ranked(self) -> bool:
        return any(e.rank is not None for e in self.entries)

    def renumber(self) -> None:
        """Ranks follow the order of the entries (after a move, add or removal on a ranked list)."""
        for i, e in enumerate(self.entries, 1):
            e.rank = i


def _line_finder(path: str | Path, info: TableInfo):
    """Row number (2: the first data row) -> its line in the file, which differs once a line was skipped or blank."""
    starts: list[int] = []

    def line_of(row: int) -> int:
        if not starts and info.delimiter:  # a CSV file (an XLSX sheet's rows are its lines)
            skipped = {*info.skipped_lines, *info.quote_lines}
            starts.extend(row_lines(resolve(path)[0].read_bytes(), info.delimiter, skipped) or [0])
        return starts[row - 2] if 0 <= row - 2 < len(starts) and starts[row - 2] else row
    return line_of


def read_function_list(path: str | Path, function: str, column_map: dict[str, str] | None = None) -> FunctionList:
    """One function's list. ``column_map``: header -> company, website, rank, reason (or ``ignore``)."""
    table, info = read_table(path)
    headers = table.column_names
    found = {f: m.header for f, m in guess_mapping("list", headers, column_map).items()}
    company, website, rank, reason = (found.get(f) for f in ("company", "website", "rank", "reason"))
    first: list[Entry] = []
    others = [h for h in headers if h not in found.values()]
    if company is None and website is None and len(others) == 1 and len(headers) > 1:
        company = others[0]  # the one column that is not a rank or a reason holds the companies
    if company is None:
        if website is not None:
            company, website = website, None
        elif len(headers) == 1 and rank is None and reason is None:  # one column of names, no header row
            company = headers[0]
            first = [Entry(headers[0].strip())] if headers[0].strip() else []
        else:
            seen = some(headers, limit=6, show=repr)
            raise DataFileError(f"has no column of companies: name one Company, Account, Name or Website, or map it "
                                f"([import.lists.columns] \"HEADER\" = \"company\") (headers seen: {seen})",
                                file=info.path, line=1)
    col = lambda h: table.column(h).to_pylist() if h else [""] * table.num_rows  # noqa: E731
    headerless = bool(first)  # the one "header" was the first company
    entries = first
    used = {company, website, rank, reason}
    others = [h for h in headers if h not in used] if not headerless else []
    other_values = [col(h) for h in others]
    nameless: list[int] = []  # rows with a rank, a reason or another value but no company
    line_of = _line_finder(path, info)
    for row, (text, site, r, why) in enumerate(zip(col(company), col(website), col(rank), col(reason)), 2):
        text = (text or "").strip()
        if not text and not (site or "").strip():
            if (r or "").strip() or (why or "").strip() or any(str(values[row - 2] or "").strip() for values in other_values):
                nameless.append(line_of(row))
            continue
        r = (r or "").strip()
        if r and not re.fullmatch(r"#?\d+", r):
            raise DataFileError(f"rank '{r}' is not a whole number", file=info.path, line=line_of(row), key=rank)
        extra = {h: str(values[row - 2] or "") for h, values in zip(others, other_values)}
        entries.append(Entry(text or site.strip(), int(r.lstrip("#")) if r else None, (why or "").strip(), (site or "").strip(),
                             extra))
    if not entries:
        raise DataFileError(f"proposes no company: every row of column '{company}' is blank", file=info.path)
    kept = {f: h for f, h in (("company", company), ("website", website), ("rank", rank), ("reason", reason)) if h}
    notes = info.report_lines()
    if nameless:
        shown = some(nameless)
        notes.append(f"{len(nameless):,} line{'s' * (len(nameless) != 1)} with no company in column '{company}' skipped "
                     f"(line{'s' * (len(nameless) != 1)} {shown})")
    return FunctionList(function, entries, Path(path), [] if headerless else list(headers), {} if headerless else kept,
                        notes=notes)


def parse_pasted(text: str) -> list[str]:
    """Companies pasted at once: one per line (a spreadsheet column), or separated by ; or tabs."""
    parts = re.split(r"[\r\n;\t]+", text)
    return [p.strip().strip('"').strip() for p in parts if p.strip().strip('"').strip()]


OUR_HEADERS = {"company": "Company", "website": "Website", "rank": "Rank", "reason": "Reason"}


def list_to_csv(fl: FunctionList) -> str:
    """The list as CSV with the header names and the other columns of the file it came from (in their order);
    a field the file did not have is added at the end only once an entry needs it (a rank after a move)."""
    def value(e: Entry, fld: str) -> str:
        return {"company": e.text, "website": e.website, "rank": "" if e.rank is None else str(e.rank), "reason": e.reason}[fld]

    columns = dict(fl.columns) if fl.headers else {}
    order: list[tuple[str, str]] = []  # (header, field or "" for another column)
    if fl.headers:
        by_header = {h: f for f, h in columns.items()}
        order = [(h, by_header.get(h, "")) for h in fl.headers]
    for fld, ours in OUR_HEADERS.items():
        if fld not in columns and (not fl.headers or fld == "company" or any(value(e, fld) for e in fl.entries)):
            order.append((ours, fld))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow([safe_cell(h) for h, _ in order])
    for e in fl.entries:
        w.writerow([value(e, fld) if fld == "rank" else safe_cell(value(e, fld) if fld else e.extra.get(h, "")) for h, fld in order])
    return buf.getvalue()


def save_function_list(fl: FunctionList, path: str | Path | None = None) -> Path:
    target = Path(path) if path else fl.path
    if target is None:
        raise ValueError("no path to save the list to")
    data = list_to_csv(fl)
    fl.seen = write_checked(target, lambda: atomic_write_text(target, data), watched=fl.watched and target == fl.path,
                            seen=fl.seen)
    fl.path = target
    return target
