"""Scored output: the input columns as written plus every score, reason and flag, as CSV or JSON.

CSV is written with pyarrow's writer (pandas.to_csv is far slower on large files). Text cells that
a spreadsheet would run as a formula (= + - @ first, also after leading spaces, tabs or line breaks; a
tab or carriage return first) get a leading apostrophe; plain numbers such as "-3" or "-3%" are left
alone (:mod:`icp_tui.engine.core.formula_guard`, the one guard of every CSV writer).

JSON (``scored_table(..., typed=True)`` then :func:`write_json`) writes numbers as numbers: the
scores (one decimal, coverage two, as in the CSV), the points, and the input columns read as
numbers (the canonical numeric fields and any field the scorecard compares with a range: the value
as read, in the field's unit, e.g. "1,200" as 1200, "$5M" as 5000000, "12%" as 0.12); the columns
the scorecard reads as yes/no and ``closer_to_anti_persona`` as true/false; a missing or unreadable
value as null. Every other column stays text as written.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from icp_tui.engine.core.accounts import NUMERIC_FIELDS, AccountFrame
from icp_tui.engine.core.atomic import AtomicFile, AtomicPath
from icp_tui.engine.core.formula_guard import neutralise
from icp_tui.engine.scorecard.model import Scorecard
from icp_tui.engine.scorecard.scoring import Scorer, ScoreResult, value_kind

#: Columns this module adds (an input column of the same name is replaced on re-scoring).
OUTPUT_COLUMNS = (
    "fit_score", "band", "tier", "grade", "action", "timing_score", "qualification_score", "reasons",
    "anti_personas", "closer_to_anti_persona", "excluded", "coverage", "unknown_criteria",
)


def _dict(codes: np.ndarray, texts: list[str]) -> pa.Array:
    """Dictionary-encoded text: one copy of each distinct text (the CSV writer expands it)."""
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array(texts, pa.string()))


def _decimals(x: np.ndarray, places: int) -> pa.Array:
    """Numbers with a fixed count of decimals as dictionary text: each distinct value formatted
    once (the CSV writer formats floats slowly); NaN becomes an empty cell."""
    scaled = np.floor(np.round(np.nan_to_num(x, nan=0.0) * 10**places, 6) + 0.5).astype(np.int64)  # half up
    codes, uniques = pd.factorize(scaled)
    texts = [f"{u / 10**places:.{places}f}" for u in uniques]
    mask = np.isnan(x)
    return pa.DictionaryArray.from_arrays(pa.array(codes, mask=mask if mask.any() else None), pa.array(texts, pa.string()))


def _points_column(criterion, bucket: np.ndarray) -> pa.Array:
    """A criterion's weighted points as dictionary text: one entry per bucket, then 0 for
    "no bucket" (-1) and "unknown" (-2), which index from the end."""
    values = [b.points * criterion.weight for b in criterion.buckets] + [0.0, 0.0]
    codes = np.where(bucket < 0, bucket + len(values), bucket).astype(np.int8, copy=False)
    return pa.DictionaryArray.from_arrays(pa.array(codes), pa.array([f"{v:.12g}" for v in values]))


def _significant(x: np.ndarray, digits: int = 12) -> np.ndarray:
    """Values to ``digits`` significant digits: the float noise of a unit factor dropped ("$32.7M" is read
    as 32700000.000000004, written as 32700000)."""
    out = x.copy()
    ok = np.isfinite(x) & (x != 0)
    decimals = np.clip(digits - 1 - np.floor(np.log10(np.abs(x[ok]))), 0, 22)  # 10**0..10**22 are exact
    scale = np.power(10.0, decimals)
    out[ok] = np.round(x[ok] * scale) / scale
    return out


def _numbers(x: np.ndarray, places: int | None = None) -> pa.Array:
    """Numbers for JSON: rounded half up to ``places`` (as the CSV shows them), else to 12 significant
    digits and, when every value is whole, integers; NaN as null."""
    x = np.asarray(x, dtype=float)
    mask = np.isnan(x)
    if places is not None:
        scaled = np.floor(np.round(np.nan_to_num(x, nan=0.0) * 10**places, 6) + 0.5)
        return pa.array(scaled / 10**places, pa.float64(), mask=mask)
    x = _significant(x)
    known = x[~mask]
    if np.all(np.isfinite(known)) and np.all(known == np.round(known)) and np.all(np.abs(known) < 2**53):
        return pa.array(np.nan_to_num(x, nan=0.0).astype(np.int64), pa.int64(), mask=mask)
    return pa.array(np.where(np.isfinite(x), x, 0.0), pa.float64(), mask=mask | ~np.isfinite(x))


def _typed_inputs(accounts: AccountFrame, sc: Scorecard) -> dict[str, pa.Array]:
    """Input columns read as numbers or yes/no, by header: parsed values, null where missing or unreadable."""
    numeric = {f for f in NUMERIC_FIELDS if accounts.has(f)}
    numeric |= {b.matcher.field or c.field for c in sc.criteria for b in c.buckets if b.matcher.kind == "range"}
    numeric |= {m.field for r in sc.anti_personas + sc.exclusions for m in r.conditions if m.kind == "range"}
    yes_no = {c.field for c in sc.criteria if Scorer.criterion_kind(c) == "bool"}
    yes_no |= {m.field for r in sc.anti_personas + sc.exclusions for m in r.conditions if value_kind(m) == "bool"}
    out: dict[str, pa.Array] = {}
    for f in sorted(yes_no - numeric):
        if (name := accounts.column_name(f)) is not None:
            b = accounts.booleans(f)
            out[name] = pa.array(b.values.astype(bool), pa.bool_(), mask=~b.known)
    for f in sorted(numeric):
        if (name := accounts.column_name(f)) is not None:
            out[name] = _numbers(accounts.numbers(f).values)
    return out


def scored_table(accounts: AccountFrame, result: ScoreResult, *, include_input: bool = True, typed: bool = False,
                 segment: tuple[np.ndarray, list[str]] | None = None) -> pa.Table:
    """The input columns as written, then the scores, reasons and flags, as text for CSV; ``typed``:
    numbers and yes/no as numbers and booleans, for JSON (see the module's docstring). ``segment``
    (codes into names, from :func:`icp_tui.engine.history.segment_profiles.best_profile`) adds the
    ``segment`` column, replacing an input column of that name; without it there is no such column."""
    sc = result.scorecard
    cols: dict[str, pa.Array] = {}
    if include_input:
        point_names = {f"points_{c.id}" for c in sc.criteria}
        parsed = _typed_inputs(accounts, sc) if typed else {}
        for name in accounts.table.column_names:
            if name not in OUTPUT_COLUMNS and name not in point_names and not (segment is not None and name == "segment"):
                cols[name] = parsed.get(name, accounts.table.column(name))
    tier_code, tiers, actions = result.tiers()
    band_texts = [b.label for b in result.bands] + [""]
    cols["fit_score"] = _decimals(result.fit, 1)
    cols["band"] = _dict(np.where(result.band >= 0, result.band, len(result.bands)), band_texts)
    cols["tier"] = _dict(tier_code, tiers)
    cols["grade"] = _dict(result.grades.code, result.grades.texts)
    cols["action"] = _dict(tier_code, actions)
    cols["timing_score"] = _decimals(result.timing, 1)
    cols["qualification_score"] = _decimals(result.qualification, 1)
    cols["reasons"] = _dict(*result.reasons())
    cols["anti_personas"] = _dict(*result.anti_persona_names())
    cols["closer_to_anti_persona"] = _dict(result.closer_to_anti.astype(np.int64), ["no", "yes"])
    cols["excluded"] = _dict(*result.exclusion_names())
    cols["coverage"] = _decimals(result.coverage, 2)
    cols["unknown_criteria"] = _dict(*result.unknowns())
    if segment is not None:
        cols["segment"] = _dict(*segment)
    for c, col in zip(sc.criteria, result.columns):
        cols[f"points_{c.id}"] = _points_column(c, col.bucket)
    if typed:
        for name, x, places in (("fit_score", result.fit, 1), ("timing_score", result.timing, 1),
                                ("qualification_score", result.qualification, 1), ("coverage", result.coverage, 2)):
            cols[name] = _numbers(x, places)
        cols["closer_to_anti_persona"] = pa.array(np.asarray(result.closer_to_anti, bool), pa.bool_())
        for c, col in zip(sc.criteria, result.columns):
            values = np.array([b.points * c.weight for b in c.buckets] + [0.0, 0.0])
            cols[f"points_{c.id}"] = _numbers(values[np.where(col.bucket < 0, col.bucket + len(values), col.bucket)])
    return pa.table(cols)


def write_csv(table: pa.Table, path: str | Path | None, *, stream=None) -> None:
    """Write ``table`` as CSV atomically to ``path`` (or to the binary ``stream``)."""
    names = neutralise(pa.array(table.column_names, pa.string())).to_pylist()  # headers are cells too
    safe = pa.table([neutralise(table.column(i)) for i in range(table.num_columns)], names=names)
    # 8192-row batches measured fastest here (1,024 and 65,536 are both ~1.7x slower at 1M rows)
    opts = pacsv.WriteOptions(include_header=True, batch_size=8192, quoting_style="needed")
    if stream is not None:
        pacsv.write_csv(safe, stream, write_options=opts)
        return
    if path is None:
        raise TypeError("write_csv needs a path or a stream")  # as Path(None) would
    with AtomicPath(path) as tmp:
        pacsv.write_csv(safe, tmp, write_options=opts)


def write_json(table: pa.Table, path: str | Path | None, *, stream=None) -> None:
    """Write records as a JSON array, each column in its own type: numbers as numbers, booleans as
    true/false, null as null (a NaN too); ``scored_table(..., typed=True)`` gives the typed scored table."""
    for i, name in enumerate(table.column_names):
        col = table.column(i)
        if pa.types.is_floating(col.type) and pc.any(pc.is_nan(col)).as_py():
            table = table.set_column(i, name, pc.if_else(pc.is_nan(col), pa.scalar(None, col.type), col))
    records = table.to_pylist()
    data = json.dumps(records, ensure_ascii=False, allow_nan=False, default=str).encode("utf-8")
    if stream is not None:
        stream.write(data + b"\n")
        return
    if path is None:
        raise TypeError("write_json needs a path or a stream")  # as Path(None) would
    with AtomicFile(path) as fh:
        fh.write(data + b"\n")
