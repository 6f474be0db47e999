"""Accounts: CRM exports read into canonical fields, parsed lazily and reported honestly.

:func:`read_accounts` maps common Salesforce and HubSpot headers to the canonical fields of
DESIGN.md (overridable), keeps every input column as it was written (for the scored output), and
parses a field only when something needs it: as numbers, categories, booleans or list items. What
cannot be read becomes missing and is counted per column with the first row numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa

from icp_tui.engine.core.headers import Mapped, aliases, guess_mapping, header_key
from icp_tui.engine.core.tables import TableInfo, read_table
from icp_tui.engine.core.texts import some
from icp_tui.engine.core.values import (
    Categories,
    Items,
    Parsed,
    encode_categories,
    explode_items,
    parse_booleans,
    parse_numbers,
    unit_factor,
)

CANONICAL = (
    "account_id", "name", "domain", "industry", "sub_industry", "employees", "annual_revenue",
    "growth_rate", "funding_stage", "founded_year", "country", "region", "tech_stack", "use_case",
    "intent_score",
)
NUMERIC_FIELDS = frozenset({"employees", "annual_revenue", "growth_rate", "founded_year", "intent_score"})
LIST_FIELDS = frozenset({"tech_stack"})
#: Below this median, an annual revenue column is taken to be written in thousands or millions.
REVENUE_FLOOR = 100_000

#: Headers seen in CRM exports (compared after :func:`header_key`) and the field each one means.
HEADER_ALIASES: dict[str, str] = aliases("accounts")


@dataclass
class ColumnIssue:
    """Values of one column that were present but could not be read."""

    column: str
    field: str
    expected: str
    count: int
    rows: list[int]  # spreadsheet row numbers (the header is row 1)
    examples: list[str]

    def text(self) -> str:
        ex = ", ".join(repr(e) for e in self.examples)
        return (f"column '{self.column}': {self.count} value{'s' if self.count != 1 else ''} not read as "
                f"{self.expected} (rows {some(self.rows, self.count)}; e.g. {ex}); treated as unknown")


@dataclass
class AccountFrame:
    """Accounts as read: raw text columns plus lazily parsed fields."""

    table: pa.Table
    info: TableInfo
    mapping: dict[str, str]  # field -> header in the file
    units: dict[str, float] = field(default_factory=dict)
    issues: dict[str, ColumnIssue] = field(default_factory=dict)
    _cache: dict[tuple[str, str], object] = field(default_factory=dict, repr=False)

    def __len__(self) -> int:
        return self.table.num_rows

    @property
    def path(self) -> str:
        return self.info.path

    def column_name(self, fld: str) -> str | None:
        """The header that holds ``fld``: a mapped field, an exact header or a loosely equal one."""
        if fld in self.mapping:
            return self.mapping[fld]
        names = self._cache.get(("header keys", ""))
        if not isinstance(names, tuple):  # built once: a file of 10,000 columns is asked about a hundred fields
            loose = dict[str, str]()
            for n in self.table.column_names:
                loose.setdefault(header_key(n), n)
            names = (set(self.table.column_names), loose)
            self._cache[("header keys", "")] = names
        exact, loose = names
        return fld if fld in exact else loose.get(header_key(fld))

    def has(self, fld: str) -> bool:
        return self.column_name(fld) is not None

    def raw(self, fld: str) -> pa.ChunkedArray:
        name = self.column_name(fld)
        if name is None:
            raise KeyError(fld)
        return self.table.column(name)

    def _cached(self, kind: str, fld: str, make):
        key = (kind, fld)
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def numbers(self, fld: str) -> Parsed:
        def make() -> Parsed:
            p = parse_numbers(self.raw(fld), self.units.get(fld))
            self._note(fld, p, "a number")
            return p
        return self._cached("num", fld, make)

    def booleans(self, fld: str) -> Parsed:
        def make() -> Parsed:
            p = parse_booleans(self.raw(fld))
            self._note(fld, p, "yes/no")
            return p
        return self._cached("bool", fld, make)

    def categories(self, fld: str) -> Categories:
        return self._cached("cat", fld, lambda: encode_categories(self.raw(fld)))

    def items(self, fld: str) -> Items:
        return self._cached("items", fld, lambda: explode_items(self.raw(fld)))

    def _note(self, fld: str, parsed: Parsed, expected: str) -> None:
        bad = np.flatnonzero(parsed.bad)
        if len(bad):
            col = self.raw(fld)
            examples = list(dict.fromkeys(col.take(pa.array(bad[:50])).to_pylist()))[:3]
            self.issues[f"{fld}:{expected}"] = ColumnIssue(
                self.column_name(fld) or fld, fld, expected, len(bad), [int(r) + 2 for r in bad[:5]], examples
            )

    def parse_all(self) -> None:
        """Parse every mapped numeric field now, so the import report is complete."""
        for f in CANONICAL:
            if f in NUMERIC_FIELDS and self.has(f):
                self.numbers(f)

    def report_lines(self) -> list[str]:
        lines = self.info.report_lines()  # lines skipped
        lines += [i.text() for i in self.issues.values()]
        lines += self.unit_doubts()
        return lines

    def unit_doubts(self) -> list[str]:
        """Money read as dollars that looks like thousands or millions (a company's revenue below $100k)."""
        parsed = self._cache.get(("num", "annual_revenue"))
        if "annual_revenue" in self.units or not isinstance(parsed, Parsed) or parsed.known.sum() < 5:
            return []
        median = float(np.median(parsed.values[parsed.known]))
        if median >= REVENUE_FLOOR:
            return []
        return [f"column '{self.column_name('annual_revenue')}': the median annual revenue is {median:,.6g}, which looks like "
                "thousands or millions, not dollars: set annual_revenue = \"millions\" in [import.accounts.units] of "
                "workshop.toml or [import.units] of the scorecard (or --unit annual_revenue=millions)"]


def resolve_mapping(headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, str]:
    """field -> header. ``overrides`` maps a header (exact or loosely equal) to a field name (or ``ignore``)."""
    return {f: m.header for f, m in guess_mapping("accounts", headers, overrides).items()}


def header_units(guess: dict[str, Mapped]) -> dict[str, float]:
    """Units the headers name ("Annual Revenue (in millions)"), as factors; what the user set wins over them."""
    return {f: unit_factor(m.unit) for f, m in guess.items() if m.unit}


def read_accounts(
    path: str | Path,
    column_map: dict[str, str] | None = None,
    units: dict[str, float] | None = None,
    *,
    parse: bool = True,
) -> AccountFrame:
    """Read an accounts file. ``column_map``: header -> field; ``units``: field -> factor."""
    table, info = read_table(path)
    guess = guess_mapping("accounts", table.column_names, column_map)
    frame = AccountFrame(table, info, {f: m.header for f, m in guess.items()}, {**header_units(guess), **(units or {})})
    if parse:
        frame.parse_all()
    return frame
