"""Deal history from opportunity exports: outcome won/lost/open from the stage, money, dates.

Stages people really write ("Closed Won", "closedwon", "Won", "Closed Lost", "Prospecting" ...) map
to won / lost / open; anything else is reported and can be mapped by the user (``stage_map``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa

from icp_tui.engine.core.accounts import ColumnIssue, header_units
from icp_tui.engine.core.dates import parse_dates
from icp_tui.engine.core.errors import DataFileError
from icp_tui.engine.core.headers import aliases, guess_mapping
from icp_tui.engine.core.tables import TableInfo, read_table
from icp_tui.engine.core.texts import some
from icp_tui.engine.core.values import encode_categories, parse_booleans, parse_numbers

DEAL_ALIASES: dict[str, str] = aliases("deals")

WON = ("closed won", "closedwon", "won", "closed-won", "close won", "win")
LOST = ("closed lost", "closedlost", "lost", "closed-lost", "close lost", "loss", "closed - lost")
OPEN = ("prospecting", "engaging", "negotiation", "proposal", "qualification", "discovery", "demo",
        "contract sent", "appointment scheduled", "qualified to buy", "presentation scheduled",
        "decision maker bought in", "open", "evaluation", "pipeline", "commit")
OUTCOMES = ("won", "lost", "open")


def stage_outcome(stage: str, user: dict[str, str] | None = None) -> str | None:
    """won, lost, open or None for a lower-cased stage: the user's map first, then the stages CRMs write."""
    o = (user or {}).get(stage) or ("won" if stage in WON else "lost" if stage in LOST else "open" if stage in OPEN else None)
    if o is None:  # "closed won - expansion" and the like; a stage naming both stays unmapped
        won, lost = "won" in stage, "lost" in stage
        o = "won" if won and not lost else "lost" if lost and not won else None
    return o


@dataclass
class DealFrame:
    frame: pd.DataFrame  # canonical columns; outcome is "won", "lost", "open" or missing
    info: TableInfo
    mapping: dict[str, str]
    issues: list[ColumnIssue] = field(default_factory=list)
    unmapped_stages: dict[str, int] = field(default_factory=dict)
    info_headers: list[str] = field(default_factory=list)  # the file's headers as written
    date_notes: list[str] = field(default_factory=list)  # how a column was read: day/month order, NRR percentages
    no_stage: int = 0  # deals whose stage cell is blank: no outcome, left out of every figure
    no_stage_lines: list[int] = field(default_factory=list)  # the first few of their lines

    def no_stage_text(self) -> str:
        """ "3 deals with no stage (lines 4, 9, 12) left out", or "" when every deal has one."""
        if not self.no_stage:
            return ""
        shown = some(self.no_stage_lines, self.no_stage)
        return f"{self.no_stage:,} deal{'s' * (self.no_stage != 1)} with no stage (line{'s' * (self.no_stage != 1)} {shown}) left out"

    def __len__(self) -> int:
        return len(self.frame)

    def require(self, *fields: str, what: str) -> None:
        """Refuse a deal file that has none of ``fields``, naming the headers it does have."""
        if not any(f in self.mapping for f in fields):
            seen = some(self.info_headers, limit=12, show=repr)
            raise DataFileError(f"has no {what}; headers seen: {seen} (map one with --deals-map \"HEADER={fields[0]}\")",
                                file=self.info.path, line=1)

    def blank_account(self) -> np.ndarray:
        """Deals whose account id, name and domain are all blank: counted apart from accounts not found."""
        blank = np.ones(len(self.frame), bool)
        for f in ("account_id", "account_name", "domain"):
            if f in self.frame:
                blank &= self.frame[f].fillna("").astype(str).str.strip().eq("").to_numpy()
        return blank

    def report_lines(self) -> list[str]:
        """What was read but not understood: lines skipped, values not read, stages with no outcome, and
        how dates were read where their day/month order had to be decided."""
        lines = self.info.report_lines()
        lines += [i.text() for i in self.issues]
        if self.unmapped_stages:
            shown = ", ".join(f"'{k}' ({n:,})" for k, n in sorted(self.unmapped_stages.items(), key=lambda kv: -kv[1])[:5])
            total = sum(self.unmapped_stages.values())
            lines.append(f"column '{self.mapping.get('stage')}': {total:,} deal{'s' if total != 1 else ''} with a stage that reads "
                         f"as neither won, lost nor open: {shown}; left out")
        if self.no_stage:
            lines.append(f"column '{self.mapping.get('stage')}': {self.no_stage_text()}")
        return lines + self.date_notes

    def gaps(self) -> list[str]:
        """Fields the figures need that no column was read as (said once, so that a '–' is not a mystery)."""
        lines = []
        for fld, what in (("amount", "the deal amount (ACV is not shown)"),
                          ("closed", "the close date (sales cycle and the latest quarter are not measured)")):
            if fld not in self.mapping and "stage" in self.mapping:
                lines.append(f"no column was read as {what}: map one with --map \"deals:HEADER={fld}\" "
                             f"or [import.deals.columns] in workshop.toml")
        return lines

    def outcome_counts(self) -> dict[str, int]:
        counts = self.frame["outcome"].value_counts()
        return {o: int(counts.get(o, 0)) for o in OUTCOMES}


def _issue(col: pa.ChunkedArray, name: str, fld: str, bad: np.ndarray, expected: str) -> ColumnIssue | None:
    idx = np.flatnonzero(bad)
    if not len(idx):
        return None
    ex = list(dict.fromkeys(col.take(pa.array(idx[:50])).to_pylist()))[:3]
    return ColumnIssue(name, fld, expected, len(idx), [int(i) + 2 for i in idx[:5]], ex)


#: NRR is a fraction (1.10 = 110%); a value above this is a percentage typed without its % sign.
NRR_MAX_FRACTION = 3.0


def _nrr_percent_numbers(out: dict, header: str) -> str | None:
    """NRR written as 110 (not 110% or 1.10) is read as 110%: divided by 100, and said."""
    v = np.asarray(out["nrr"], dtype=float)
    big = v > NRR_MAX_FRACTION
    if not big.any():
        return None
    out["nrr"] = np.where(big, v / 100.0, v)
    ex = ", ".join(f"{x:g}" for x in v[big][:3])
    n = int(big.sum())
    return (f"column '{header}': {n:,} NRR value{'s' * (n != 1)} above {NRR_MAX_FRACTION:g} read as percentages "
            f"(e.g. {ex} -> {v[big][0]:g}%)")


def read_deals(path: str | Path, stage_map: dict[str, str] | None = None,
               column_map: dict[str, str] | None = None, units: dict[str, float] | None = None,
               date_order: str | None = None) -> DealFrame:
    """Read an opportunity export. ``column_map``: header -> field (or ``ignore``); ``stage_map``: stage -> won/lost/open;
    ``units``: field -> factor; ``date_order``: "day_first" or "month_first" for every date column (default: decided
    per column from the values)."""
    table, info = read_table(path)
    guess = guess_mapping("deals", table.column_names, column_map)
    mapping = {f: m.header for f, m in guess.items()}
    units = {**header_units(guess), **(units or {})}
    out: dict[str, object] = {}
    issues: list[ColumnIssue] = []
    notes: list[str] = []  # how a column was read: NRR percentages, a date column's day/month order
    for fld in ("deal_id", "deal_name", "account_id", "account_name", "domain", "use_case", "segment"):
        if fld in mapping:
            out[fld] = table.column(mapping[fld]).to_pandas()
    for fld in ("amount", "nrr", "expansion", "ltv", "cac"):
        if fld in mapping:
            p = parse_numbers(table.column(mapping[fld]), units.get(fld))
            out[fld] = p.values
            if (i := _issue(table.column(mapping[fld]), mapping[fld], fld, p.bad, "a number")):
                issues.append(i)
    if "nrr" in out and (note := _nrr_percent_numbers(out, mapping["nrr"])):
        notes.append(note)
    if "churned" in mapping:
        b = parse_booleans(table.column(mapping["churned"]))
        churned = pd.array(np.where(b.known, b.values, False), dtype="boolean")
        churned[~b.known] = pd.NA
        out["churned"] = churned
        if (i := _issue(table.column(mapping["churned"]), mapping["churned"], "churned", b.bad, "yes/no")):
            issues.append(i)
    for fld in ("created", "closed"):
        if fld in mapping:
            dates = parse_dates(table.column(mapping[fld]), date_order)  # one day/month order for the whole column
            out[fld] = dates.values
            if (i := _issue(table.column(mapping[fld]), mapping[fld], fld, dates.bad, "a date")):
                issues.append(i)
            if (note := dates.note(mapping[fld])):
                notes.append(note)
    frame = pd.DataFrame(out)
    unmapped: dict[str, int] = {}
    blank = np.zeros(0, dtype=np.int64)
    if "stage" in mapping:
        cats = encode_categories(table.column(mapping["stage"]))
        user = {}
        for k, v in (stage_map or {}).items():
            outcome = str(v).strip().lower()
            if outcome not in OUTCOMES:
                raise DataFileError(f"stage '{k}' is mapped to '{v}'; use won, lost or open", file=info.path)
            user[str(k).strip().lower()] = outcome
        outcome_of = [stage_outcome(c, user) for c in cats.categories]
        lookup = np.array(outcome_of + [None], dtype=object)
        frame["outcome"] = pd.Categorical(lookup[cats.codes], categories=list(OUTCOMES))
        for j, o in enumerate(outcome_of):
            if o is None:
                unmapped[cats.categories[j]] = int((cats.codes == j).sum())
        blank = np.flatnonzero(cats.codes < 0)
    else:
        frame["outcome"] = pd.Categorical([None] * len(frame), categories=list(OUTCOMES))
    if "created" in frame and "closed" in frame:
        frame["cycle_days"] = (frame["closed"] - frame["created"]).dt.days
    return DealFrame(frame, info, mapping, issues, unmapped, list(table.column_names), notes,
                     no_stage=len(blank), no_stage_lines=[int(r) + 2 for r in blank[:5]])
