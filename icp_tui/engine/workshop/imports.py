"""How a workshop's files are read: the ``[import.*]`` tables of workshop.toml.

    [import.accounts.columns]        # header as written = field (or "ignore")
    "Acct" = "name"
    [import.accounts.units]          # field = thousands, millions, billions or percent
    annual_revenue = "millions"

    [import.deals]
    dates = "day-first"              # or "month-first": every date column read that way
    [import.deals.columns]
    "Opp Result" = "stage"
    [import.deals.stages]            # a stage as written = won, lost or open
    "Signed" = "won"

    [import.lists.columns]           # the same for every function's list
    "Org" = "company"

The command line (``--workshop``) and the app read the same tables; the app's mapping screen writes
``columns`` back with tomlkit, so comments and order of a hand-edited file survive.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.dates import DAY_FIRST, MONTH_FIRST
from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.core.headers import IGNORE, field_names
from icp_tui.engine.core.lock import workshop_lock
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.values import unit_factor

#: workshop.toml [import.KIND] tables, and the file kind (core.headers) each maps.
SECTIONS = {"accounts": "accounts", "deals": "deals", "lists": "list"}
KEYS = {"accounts": ("columns", "units"), "deals": ("columns", "units", "stages", "dates"), "lists": ("columns",)}
ORDERS = {"day-first": DAY_FIRST, "day_first": DAY_FIRST, "month-first": MONTH_FIRST, "month_first": MONTH_FIRST}


@dataclass
class ImportSettings:
    columns: dict[str, str] = field(default_factory=dict)  # header -> field
    units: dict[str, float] = field(default_factory=dict)  # field -> factor
    unit_names: dict[str, str | float] = field(default_factory=dict)  # field -> the unit as written (for saving back)
    stages: dict[str, str] = field(default_factory=dict)  # stage -> won/lost/open
    dates: str | None = None  # DAY_FIRST / MONTH_FIRST


Fail = Callable[[list[str | int], str], WorkshopError]


def parse_imports(raw: object, fail: Fail) -> dict[str, ImportSettings]:
    """The [import] table of a manifest, checked; ``fail(keys, message)`` makes the error with its line."""
    out = {s: ImportSettings() for s in SECTIONS}
    if raw is None:
        return out
    if not isinstance(raw, dict):
        raise fail(["import"], "must be a table ([import.accounts], [import.deals] or [import.lists])")
    if (bad := unknown_key(raw, SECTIONS)) is not None:
        inner = raw[bad[0]]  # [import.contacts.columns] has no [import.contacts] line: point at its first table
        first = next(iter(inner), None) if isinstance(inner, dict) else None
        err = fail(["import", bad[0]], f"is not a file kind here ({bad[1]})")
        if err.line is None and first is not None:
            err = fail(["import", bad[0], str(first)], f"is not a file kind here ({bad[1]})")
            err.key = f"import.{bad[0]}"
        raise err
    for section, table in raw.items():
        kp: list[str | int] = ["import", section]
        if not isinstance(table, dict):
            raise fail(kp, f"must be a table ([import.{section}])")
        if (bad := unknown_key(table, KEYS[section])) is not None:
            raise fail(kp + [bad[0]], f"is not a key here ({bad[1]})")
        s = out[section]
        fields = field_names(SECTIONS[section])
        for key in ("columns", "units", "stages"):
            if key in table and not isinstance(table[key], dict):
                raise fail(kp + [key], f"must be a table ([import.{section}.{key}])")
        for header, fld in table.get("columns", {}).items():
            if not isinstance(fld, str) or (fld not in fields and fld != IGNORE):
                raise fail(kp + ["columns", header], f"must name a {SECTIONS[section]} field or \"ignore\" "
                                                     f"(fields: {', '.join(fields)}), not {fld!r}")
            s.columns[str(header)] = fld
        for fld, unit in table.get("units", {}).items():
            if fld not in fields:
                raise fail(kp + ["units", fld], f"is not a {SECTIONS[section]} field (fields: {', '.join(fields)})")
            try:
                s.units[str(fld)] = unit_factor(unit)
                s.unit_names[str(fld)] = unit
            except ValueError as e:
                raise fail(kp + ["units", fld], str(e)) from None
        for stage, outcome in table.get("stages", {}).items():
            if not isinstance(outcome, str) or outcome.strip().lower() not in ("won", "lost", "open"):
                raise fail(kp + ["stages", stage], f"must be \"won\", \"lost\" or \"open\", not {outcome!r}")
            s.stages[str(stage)] = outcome.strip().lower()
        if "dates" in table:
            order = table["dates"]
            if not isinstance(order, str) or order.strip().lower() not in ORDERS:
                raise fail(kp + ["dates"], f"must be \"day-first\" or \"month-first\", not {order!r}")
            s.dates = ORDERS[order.strip().lower()]
    return out


def save_columns(manifest: str | Path, section: str, columns: dict[str, str]) -> None:
    """Write ``[import.SECTION.columns]`` (header -> field); see :func:`save_import`."""
    save_import(manifest, section, {"columns": columns})


def save_import(manifest: str | Path, section: str, tables: dict[str, dict]) -> None:
    """Write ``[import.SECTION.KEY]`` tables (``columns``, ``units``, ``stages``) into the manifest, keeping everything
    else as it was; an empty table is removed. Read again under the workshop lock: what others wrote stays."""
    with workshop_lock(Path(manifest).parent, "saving how columns are read"):
        _save_import(Path(manifest), section, tables)


def _save_import(p: Path, section: str, tables: dict[str, dict]) -> None:
    text = read_text(p, WorkshopError)
    doc = parse_toml(text, str(p), WorkshopError)
    before = tomlkit.dumps(doc)
    wanted = any(tables.values())
    imp = doc.get("import")
    if imp is None:
        if not wanted:
            return
        imp = tomlkit.table(is_super_table=True)
        doc["import"] = imp
    sec = imp.get(section)
    if sec is None:
        if not wanted:
            return
        sec = tomlkit.table(is_super_table=True)
        imp[section] = sec
    for key, values in tables.items():
        if not values:
            if key in sec:
                del sec[key]
            continue
        if dict(sec.get(key, {})) == values:
            continue  # unchanged: keep its layout and comments
        table = tomlkit.table()
        for k, v in values.items():
            table[k] = v
        sec[key] = table
    after = tomlkit.dumps(doc)
    if after != before:
        atomic_write_text(p, after)


# -- reading a file with its settings: the scorecard's [import] first, then workshop.toml's, then the command line's --


def read_accounts_with(path: str | Path, settings: ImportSettings | None = None, scorecard=None,
                       column_map: dict[str, str] | None = None, units: dict[str, float] | None = None, *, parse: bool = True):
    """Accounts read with the scorecard's ``[import]``, then workshop.toml's ``[import.accounts]``, then ``column_map``
    and ``units`` (the command line's), each later one winning."""
    from icp_tui.engine.core.accounts import read_accounts

    s = settings or ImportSettings()
    cmap = {**(scorecard.column_map if scorecard else {}), **s.columns, **(column_map or {})}
    factors = {**(scorecard.units if scorecard else {}), **s.units, **(units or {})}
    return read_accounts(path, cmap, factors, parse=parse)


def read_deals_with(path: str | Path, settings: ImportSettings | None = None, column_map: dict[str, str] | None = None):
    """Deals read with workshop.toml's ``[import.deals]`` (columns, units, stages, dates), then ``column_map``."""
    from icp_tui.engine.history.deals import read_deals

    s = settings or ImportSettings()
    return read_deals(path, s.stages, {**s.columns, **(column_map or {})}, s.units, s.dates)


def read_list_with(path: str | Path, function: str, settings: ImportSettings | None = None):
    from icp_tui.engine.alignment.lists import read_function_list

    return read_function_list(path, function, (settings or ImportSettings()).columns)
