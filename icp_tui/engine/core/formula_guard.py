"""The one guard against CSV formula injection, for every CSV the product writes.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula, and some
(LibreOffice with "trim spaces", Google Sheets on import) do so after leading spaces, tabs or line
breaks too: ``  =cmd()``, ``\\n=1+1``, ``\\t+x``. Such a cell gets a leading apostrophe, which every
spreadsheet shows as text. A cell that starts with a tab or a carriage return gets one as well.

A plain number is data, not a formula, and is written as it is, whatever the writer: ``-3``,
``-12.5``, ``-3%``, ``+12.5%``, ``-$5M``, ``-1,200.50``, ``-1e5``, ``-2.5bn`` (also after leading
white space), and the placeholders ``-`` and ``--``. ``-2+3`` is a formula and is neutralised.

:func:`safe_cell` is for writers that build rows in Python (the TAL, a function's list);
:func:`neutralise` is the same rule on Arrow columns, vectorised (the scored export).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: White space a spreadsheet may skip before a formula.
LEADING_SPACE = " \t\r\n\x0b\x0c"
_SPACE = r"[ \t\r\n\x0b\x0c]*"
#: A plain number (with a sign, a currency, thousands separators, a unit): RE2 (Arrow) and Python alike.
_NUMBER = _SPACE + r"([+-]?[$€£]?([0-9][0-9,]*\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?[ ]?(%|[kKmMbB]|bn)?|[+-]+)"
PLAIN_NUMBER = "^" + _NUMBER + "$"
#: A formula: = + - @ as the first character after leading white space, or a tab or CR first.
FORMULA = r"^[\t\r]|^" + _SPACE + r"[=+\-@]"

_PLAIN = re.compile(_NUMBER)  # used with fullmatch: Python's $ would let a final line break pass
_FORMULA = re.compile(FORMULA)
_FIRST_BYTES = np.zeros(256, bool)  # a first byte that may start a formula: checked further
_FIRST_BYTES[[ord(c) for c in "=+-@" + LEADING_SPACE]] = True


def is_formula(cell: str) -> bool:
    """Whether a spreadsheet could run ``cell`` (see the module docstring)."""
    return bool(_FORMULA.match(cell)) and not _PLAIN.fullmatch(cell)


def safe_cell(cell: str) -> str:
    """``cell`` with a leading apostrophe when a spreadsheet could run it as a formula."""
    return "'" + cell if cell and is_formula(cell) else cell


def _first_byte_suspect(arr: pa.Array) -> np.ndarray:
    """Per value: does it start with = + - @ or white space? Read straight from Arrow's buffers."""
    if len(arr) == 0:
        return np.zeros(0, bool)
    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    offsets = np.frombuffer(arr.buffers()[1], dtype=width, count=len(arr) + 1, offset=arr.offset * np.dtype(width).itemsize)
    data = arr.buffers()[2]
    if data is None or data.size == 0:
        return np.zeros(len(arr), bool)
    data = np.frombuffer(data, dtype=np.uint8)
    starts = offsets[:-1]
    nonempty = np.greater(offsets[1:], starts)
    suspect = np.zeros(len(arr), bool)
    suspect[nonempty] = _FIRST_BYTES[data[starts[nonempty]]]
    if arr.null_count:
        suspect &= np.asarray(arr.is_valid().to_numpy(zero_copy_only=False))
    return suspect


def _matches(arr: pa.Array, pattern: str) -> np.ndarray:
    return np.asarray(pc.fill_null(pc.match_substring_regex(arr, pattern), False).to_numpy(zero_copy_only=False))


def neutralise(arr: pa.Array | pa.ChunkedArray) -> pa.Array | pa.ChunkedArray:
    """Every formula-looking text of an Arrow column prefixed with an apostrophe, vectorised (only the
    values whose first byte is suspect are looked at further). Other types are returned unchanged."""
    if pa.types.is_dictionary(arr.type):
        if isinstance(arr, pa.ChunkedArray):
            return pa.chunked_array([neutralise(c) for c in arr.chunks], arr.type)
        return pa.DictionaryArray.from_arrays(arr.indices, neutralise(arr.dictionary))
    if not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return arr
    if isinstance(arr, pa.ChunkedArray):  # chunk by chunk: no copy of the whole column
        return pa.chunked_array([neutralise(c) for c in arr.chunks], arr.type)
    idx = np.flatnonzero(_first_byte_suspect(arr))
    if not len(idx):
        return arr
    candidates = arr.take(pa.array(idx))
    idx = idx[_matches(candidates, FORMULA) & ~_matches(candidates, PLAIN_NUMBER)]
    if not len(idx):
        return arr
    risky = np.zeros(len(arr), bool)
    risky[idx] = True
    quoted = pc.binary_join_element_wise(pa.scalar("'", arr.type), arr, pa.scalar("", arr.type))
    return pc.if_else(pa.array(risky), quoted, arr)
