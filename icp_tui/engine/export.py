"""Scored output: the input columns as written plus every score, reason and flag, as CSV or JSON.

CSV is written with pyarrow's writer (pandas.to_csv is far slower on large files). Text cells that
a spreadsheet would run as a formula (starting with = + - @, tab or carriage return) get a leading
apostrophe; plain negative numbers such as "-3" are left alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from icp_tui.engine.accounts import AccountFrame
from icp_tui.engine.atomic import AtomicFile
from icp_tui.engine.scoring import ScoreResult

_FORMULA = r"^[=+\-@\t\r]"
_PLAIN_NUMBER = r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$"

#: Columns this module adds (an input column of the same name is replaced on re-scoring).
OUTPUT_COLUMNS = (
    "fit_score", "band", "tier", "action", "timing_score", "qualification_score", "reasons",
    "anti_personas", "closer_to_anti_persona", "excluded", "coverage", "unknown_criteria",
)


def neutralise(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Prefix formula-looking text with an apostrophe (CSV injection), vectorised."""
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arr
    risky = pc.and_(
        pc.match_substring_regex(arr, _FORMULA),
        pc.invert(pc.match_substring_regex(arr, _PLAIN_NUMBER)),
    )
    if not pc.any(risky).as_py():
        return arr
    return pc.if_else(risky, pc.binary_join_element_wise("'", arr, ""), arr)


def _dict(codes: np.ndarray, texts: list[str]) -> pa.Array:
    return pc.take(pa.array(texts, pa.string()), pa.array(codes))


def _score_array(x: np.ndarray) -> pa.Array:
    return pa.array(x, pa.float64(), from_pandas=True)  # NaN -> null (empty cell)


def scored_table(accounts: AccountFrame, result: ScoreResult, *, include_input: bool = True) -> pa.Table:
    sc = result.scorecard
    cols: dict[str, pa.Array] = {}
    if include_input:
        point_names = {f"points_{c.id}" for c in sc.criteria}
        for name in accounts.table.column_names:
            if name not in OUTPUT_COLUMNS and name not in point_names:
                cols[name] = accounts.table.column(name)
    tier_code, tiers, actions = result.tiers()
    band_texts = [b.label for b in result.bands] + [""]
    cols["fit_score"] = _score_array(result.fit)
    cols["band"] = _dict(np.where(result.band >= 0, result.band, len(result.bands)), band_texts)
    cols["tier"] = _dict(tier_code, tiers)
    cols["action"] = _dict(tier_code, actions)
    cols["timing_score"] = _score_array(result.timing)
    cols["qualification_score"] = _score_array(result.qualification)
    cols["reasons"] = _dict(*result.reasons())
    cols["anti_personas"] = _dict(*result.anti_persona_names())
    cols["closer_to_anti_persona"] = _dict(result.closer_to_anti.astype(np.int64), ["no", "yes"])
    cols["excluded"] = _dict(*result.exclusion_names())
    cols["coverage"] = pa.array(np.round(result.coverage, 2))
    cols["unknown_criteria"] = _dict(*result.unknowns())
    for j, c in enumerate(sc.criteria):
        cols[f"points_{c.id}"] = pa.array(result.points[:, j])
    return pa.table(cols)


def write_csv(table: pa.Table, path: str | Path | None, *, stream=None) -> None:
    """Write ``table`` as CSV atomically to ``path`` (or to the binary ``stream``)."""
    safe = pa.table({name: neutralise(table.column(name)) for name in table.column_names})
    opts = pacsv.WriteOptions(include_header=True, batch_size=1 << 16)
    if stream is not None:
        pacsv.write_csv(safe, stream, write_options=opts)
        return
    with AtomicFile(path) as fh:
        pacsv.write_csv(safe, fh, write_options=opts)


def write_json(table: pa.Table, path: str | Path | None, *, stream=None) -> None:
    """Write records as a JSON array (NaN as null)."""
    records = table.to_pylist()
    data = json.dumps(records, ensure_ascii=False, allow_nan=False, default=str).encode("utf-8")
    if stream is not None:
        stream.write(data + b"\n")
        return
    with AtomicFile(path) as fh:
        fh.write(data + b"\n")
