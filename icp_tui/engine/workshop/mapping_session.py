"""Confirming how a workshop file's columns are read: the engine behind the app's Columns screen.

One session per file of the workshop (accounts, deals, or one of the lists: all lists share
``[import.lists.columns]``). The user's choices are kept as overrides (header -> field, or
``ignore``); everything else is guessed again after each choice, so taking a header for one field
frees the header that had been guessed for it. :meth:`save` writes the overrides to workshop.toml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icp_tui.engine.core.headers import FIELDS, IGNORE, MappingReport, describe_mapping
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.workshop.imports import SECTIONS, save_columns
from icp_tui.engine.workshop.manifest import Workshop


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
        self.saved = dict(ws.settings(target.section).columns)
        self.overrides = dict(self.saved)
        self.report = self._describe()

    def _describe(self) -> MappingReport:
        return describe_mapping(self.kind, self.table, self.path, self.overrides)

    @property
    def dirty(self) -> bool:
        return self.overrides != self.saved

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
        save_columns(self.workshop.manifest, self.target.section, self.overrides)
        self.saved = dict(self.overrides)
        self.workshop = Workshop.load(self.workshop.root)
        return self.workshop
