"""Confirming how a workshop file's columns are read: the engine behind the app's Columns screen.

One session per file of the workshop (accounts, deals, or one of the lists: all lists share
``[import.lists.columns]``). The user's choices are kept as overrides (header -> field, or
``ignore``); everything else is guessed again after each choice, so taking a header for one field
frees the header that had been guessed for it. A number field can be given a unit (revenue written
in millions), and a deal file's stages an outcome ("Signed" is won). :meth:`save` writes the
choices to workshop.toml: ``[import.KIND.columns]``, ``.units`` and ``.stages``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyarrow.compute as pc

from icp_tui.engine.core.headers import FIELDS, IGNORE, MappingReport, describe_mapping
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.history.deals import OUTCOMES, stage_outcome
from icp_tui.engine.workshop.imports import SECTIONS, save_import
from icp_tui.engine.workshop.manifest import Workshop

#: Fields read as numbers, which may be written in a unit; the units a user can choose, in turn.
NUMBER_FIELDS = frozenset({"employees", "annual_revenue", "growth_rate", "founded_year", "intent_score",
                           "amount", "nrr", "expansion", "ltv", "cac"})
UNIT_CYCLE = ("", "thousands", "millions", "billions", "percent")


@dataclass(frozen=True)
class StageRow:
    stage: str  # as first written
    deals: int
    outcome: str | None  # won, lost, open, or None (left out)
    set_by_user: bool


@dataclass(frozen=True)
class Target:
    label: str  # "Accounts", "Deal history", "Sales list"
    section: str  # accounts, deals, lists
    path: Path


def targets(ws: Workshop) -> list[Target]:
    """The workshop's files whose columns can be mapped (those that are there)."""
    out = []
    for key, label in (("accounts", "Accounts"), ("deals", "Deal history")):
        p = ws.file(key)
        if p is not None and p.is_file():
            out.append(Target(label, key, p))
    out += [Target(f"{fl.function} list", "lists", fl.path) for fl in ws.lists if fl.path.is_file()]
    return out


class MappingSession:
    def __init__(self, ws: Workshop, target: Target) -> None:
        self.workshop, self.target = ws, target
        self.kind = SECTIONS[target.section]
        self.table, info = read_table(target.path)
        self.path = info.path
        settings = ws.settings(target.section)
        self.saved = dict(settings.columns)
        self.overrides = dict(self.saved)
        self.saved_units: dict[str, str | float] = dict(settings.unit_names)
        self.units = dict(self.saved_units)
        self.saved_stages = dict(settings.stages)
        self.stage_map = dict(self.saved_stages)
        self.report = self._describe()

    def _describe(self) -> MappingReport:
        return describe_mapping(self.kind, self.table, self.path, self.overrides)

    @property
    def dirty(self) -> bool:
        return (self.overrides, self.units, self.stage_map) != (self.saved, self.saved_units, self.saved_stages)

    def revert(self) -> None:
        self.overrides, self.units, self.stage_map = dict(self.saved), dict(self.saved_units), dict(self.saved_stages)
        self.report = self._describe()

    # -- units -------------------------------------------------------------------------------------

    def unit_of(self, fld: str | None) -> str:
        """The unit a field is read in: the user's, else the header's ("(in millions)"), else ""."""
        if not fld:
            return ""
        if fld in self.units:
            return str(self.units[fld])
        return next((c.unit for c in self.report.columns if c.field == fld), "")

    def next_unit(self, header: str) -> str | None:
        """Give the column's number field the next unit of :data:`UNIT_CYCLE`; None if it is not read as a number."""
        fld = next((c.field for c in self.report.columns if c.header == header), None)
        if fld not in NUMBER_FIELDS:
            return None
        unit = UNIT_CYCLE[(UNIT_CYCLE.index(self.unit_of(fld)) + 1) % len(UNIT_CYCLE)] if self.unit_of(fld) in UNIT_CYCLE \
            else UNIT_CYCLE[1]
        self.units[fld] = unit
        if not unit:
            del self.units[fld]
        return unit

    # -- stages ------------------------------------------------------------------------------------

    def stages(self) -> list[StageRow]:
        """Each stage the deal file's stage column holds, most deals first, with the outcome it is read as."""
        header = self.report.mapping().get("stage")
        if self.kind != "deals" or header is None:
            return []
        col = pc.utf8_trim_whitespace(self.table.column(header).combine_chunks())
        counts = pc.value_counts(pc.filter(col, pc.not_equal(col, ""))).to_pylist()
        user = {k.strip().lower(): v for k, v in self.stage_map.items()}
        rows: dict[str, StageRow] = {}
        for item in sorted(counts, key=lambda d: -d["counts"]):
            text, n = str(item["values"]), int(item["counts"])
            key = text.lower()
            if key in rows:  # "Closed Won" and "closed won": one stage
                r = rows[key]
                rows[key] = StageRow(r.stage, r.deals + n, r.outcome, r.set_by_user)
            else:
                rows[key] = StageRow(text, n, stage_outcome(key, user), key in user)
        return list(rows.values())

    def choose_stage(self, stage: str, outcome: str | None) -> None:
        """Read ``stage`` as won, lost or open; None goes back to what the importer reads it as."""
        for k in [k for k in self.stage_map if k.strip().lower() == stage.strip().lower()]:
            del self.stage_map[k]
        if outcome is not None:
            if outcome not in OUTCOMES:
                raise ValueError(f"outcome {outcome!r}: use won, lost or open")
            self.stage_map[stage] = outcome

    def fields(self) -> list[tuple[str, str]]:
        """(field, what it is) for the picker, in the kind's order."""
        return [(f.name, f.what) for f in FIELDS[self.kind]]

    def choose(self, header: str, fld: str | None) -> None:
        """Read ``header`` as ``fld``; ``ignore`` leaves it unread; None goes back to the guess."""
        if fld is None:
            self.overrides.pop(header, None)
        else:
            if fld != IGNORE:  # one header per field: another header the user gave this field goes back to guessing
                for h in [h for h, f in self.overrides.items() if f == fld and h != header]:
                    del self.overrides[h]
            self.overrides[header] = fld
        self.report = self._describe()

    def save(self) -> Workshop:
        """Write the choices to workshop.toml and return the workshop read again."""
        tables: dict[str, dict] = {"columns": self.overrides, "units": self.units}
        if self.kind == "deals":
            tables["stages"] = self.stage_map
        if self.kind == "list":
            del tables["units"]
        save_import(self.workshop.manifest, self.target.section, tables)
        self.saved, self.saved_units, self.saved_stages = dict(self.overrides), dict(self.units), dict(self.stage_map)
        self.workshop = Workshop.load(self.workshop.root)
        return self.workshop
