"""Vectorised parsing of the values people really type into CRM exports.

Every function takes a pyarrow string array and returns numpy arrays; nothing loops per row in
Python. Missing markers ("", "n/a", "-", ...) become missing; text that is present but cannot be
read as the wanted type is reported by the caller as unparsable, never dropped silently.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: Text that means "no value" in exports and spreadsheets (compared lower-cased and trimmed).
MISSING_TOKENS = (
    "", "n/a", "na", "n.a.", "n/d", "-", "--", "---", "\u2014", "\u2013", "none", "null", "nil",
    "nan", "unknown", "?", "#n/a", "#na", "not available",
)
_MISSING = pa.array(MISSING_TOKENS, pa.string())

#: Column-level units: a plain number in such a column is multiplied by the factor.
UNITS = {
    "units": 1.0, "one": 1.0, "ones": 1.0,
    "thousands": 1e3, "k": 1e3,
    "millions": 1e6, "m": 1e6,
    "billions": 1e9, "bn": 1e9,
    "percent": 0.01, "%": 0.01,
}

# sign, optional currency, the number (digits with any "." and ","; see _SHAPES), a magnitude suffix.
_NUMBER_RE = (
    r"^(?P<neg>[-\x{2212}(])?\s*(?:[$\x{20ac}\x{a3}\x{a5}]|usd|eur|gbp)?\s*"
    r"(?P<num>\d[\d.,]*|[.,]\d+)(?:e(?P<exp>[-+]?\d+))?\s*"
    r"(?P<suf>%|k|thousand|m|mm|mn|mio|million|millions|b|bn|billion|billions)?\s*"
    r"(?:usd|eur|gbp|[$\x{20ac}\x{a3}])?\)?$"
)
_SUFFIXES = pa.array(
    ["%", "k", "thousand", "m", "mm", "mn", "mio", "million", "millions", "b", "bn", "billion", "billions"]
)
_SUFFIX_FACTORS = np.array([0.01, 1e3, 1e3, 1e6, 1e6, 1e6, 1e6, 1e6, 1e6, 1e9, 1e9, 1e9, 1e9])

TRUE_TOKENS = ("true", "yes", "y", "1", "x", "t", "\u2713", "on")
FALSE_TOKENS = ("false", "no", "n", "0", "f", "off")


def unit_factor(unit: str | float | int | None) -> float:
    """The multiplier of a column-level unit: a number or a name from :data:`UNITS`."""
    if unit is None:
        return 1.0
    if isinstance(unit, (int, float)) and not isinstance(unit, bool):
        return float(unit)
    key = str(unit).strip().lower()
    if key not in UNITS:
        raise ValueError(f"unknown unit {unit!r} (use one of: thousands, millions, billions, percent)")
    return UNITS[key]


def _as_array(arr: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks() if arr.num_chunks != 1 else arr.chunk(0)
    if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
        arr = pc.cast(arr, pa.string())
    return arr


def clean_text(arr: pa.Array | pa.ChunkedArray) -> tuple[pa.Array, np.ndarray]:
    """Lower-case, trimmed text and a mask of the values that are missing."""
    s = pc.utf8_lower(pc.utf8_trim_whitespace(_as_array(arr)))
    missing = pc.or_kleene(pc.is_null(s), pc.is_in(s, value_set=_MISSING))
    return s, _bool(missing)


def _bool(arr: pa.Array, null: bool = False) -> np.ndarray:
    return np.asarray(pc.fill_null(arr, null).to_numpy(zero_copy_only=False), dtype=bool)


@dataclass(frozen=True)
class Parsed:
    """Values of one column read as a type: ``missing`` had no value, ``bad`` had one we could not read.

    Numbers also say how the column writes decimals: ``decimal`` is "point" or "comma" when its values
    show it (:func:`parse_numbers`), else None; ``ambiguous`` marks the values ("1,234", "1.234") read
    the usual way (comma = thousands, point = decimal) only because nothing in the column said which.
    """

    values: np.ndarray
    missing: np.ndarray
    bad: np.ndarray
    decimal: str | None = None
    ambiguous: np.ndarray | None = None

    @property
    def known(self) -> np.ndarray:
        return ~(self.missing | self.bad)


_PLAIN_NUMBER = r"^[-+]?\d+(\.\d+)?$"

# How a number's digits use "." and ",": either way, only with a decimal point (or commas between
# thousands), only with a decimal comma (or points between thousands), or one separator before exactly
# three digits that reads both ways ("1,234": 1234 or 1.234; "1.234": 1.234 or 1234).
NEUTRAL, POINT, COMMA, AMBIGUOUS, INVALID = range(5)
_SHAPES = (  # later patterns win; the ambiguous ones overlap the POINT/COMMA ones
    (POINT, r"^(?:\d*\.\d+|\d+\.|[1-9]\d{0,2}(?:,\d{3})+(?:\.\d+)?)$"),
    (COMMA, r"^(?:\d*,\d+|[1-9]\d{0,2}(?:\.\d{3})+(?:,\d+)?)$"),
    (AMBIGUOUS, r"^[1-9]\d{0,2}[.,]\d{3}$"),
    (NEUTRAL, r"^\d+$"),
)
_PLAIN_AMBIGUOUS = r"^[-+]?[1-9]\d{0,2}\.\d{3}$"


def _floats(arr: pa.Array) -> np.ndarray:
    return np.asarray(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), dtype=float)


def _parse_messy(s: pa.Array, factor: float) -> tuple[pa.Array, np.ndarray, np.ndarray, np.ndarray]:
    """Cleaned text parsed with the full pattern (sign, currency, separators, suffix), once per value:
    (the number's digits and separators, their shape, the multiplier: sign, exponent, suffix or unit,
    the number read with a decimal point where it has no comma and at most one point, else NaN)."""
    parts = pc.extract_regex(s, _NUMBER_RE)
    num = pc.struct_field(parts, "num")
    shape = np.full(len(s), INVALID, np.int8)
    found = _bool(pc.is_valid(num))
    simple = found & ~_bool(pc.match_substring(num, ",")) & (np.asarray(
        pc.fill_null(pc.count_substring(num, "."), 0).to_numpy(zero_copy_only=False)) <= 1)
    if (found & ~simple).any():
        at = np.flatnonzero(found & ~simple)
        text = num.take(pa.array(at))
        shapes = np.full(len(at), INVALID, np.int8)
        for code, pattern in _SHAPES:
            shapes[_bool(pc.match_substring_regex(text, pattern))] = code
        shape[at] = shapes
    point = np.full(len(s), np.nan)
    if simple.any():  # digits with at most one point, the usual case: shaped from the numbers
        at = np.flatnonzero(simple)
        text = num.take(pa.array(at))
        point[at] = _floats(text)
        shape[at] = _plain_shapes(text, point[at], exact=(shape == COMMA).any())
    exp = pc.struct_field(parts, "exp")
    scale = np.ones(len(s))
    if _bool(pc.not_equal(exp, "")).any():
        scale = np.power(10.0, np.nan_to_num(_floats(pc.if_else(pc.equal(exp, ""), "0", exp))))
    suf_idx = np.asarray(pc.fill_null(pc.index_in(pc.struct_field(parts, "suf"), value_set=_SUFFIXES), -1)
                         .to_numpy(zero_copy_only=False))
    scale = scale * np.where(suf_idx >= 0, _SUFFIX_FACTORS[np.maximum(suf_idx, 0)], factor)
    neg = _bool(pc.not_equal(pc.struct_field(parts, "neg"), ""))
    scale = np.where(neg, -scale, scale)
    # "(300)" is an accountant's -300; a lone "(" or ")" is a typo, not a sign
    unbalanced = _bool(pc.match_substring(s, "(")) != _bool(pc.match_substring(s, ")"))
    scale[unbalanced] = np.nan
    return num, shape, scale, point


def _read(num: pa.Array, shape: np.ndarray, point: np.ndarray, decimal: str | None) -> np.ndarray:
    """The numbers read with a decimal comma ("comma") or point (else); NaN where the shape does not allow it."""
    comma = decimal == "comma"
    ok = np.isin(shape, (NEUTRAL, COMMA if comma else POINT, AMBIGUOUS))
    if not comma and not (ok & np.isnan(point)).any():  # read already
        return np.where(ok, point, np.nan)
    text = pc.if_else(pa.array(ok), num, pa.scalar(None, pa.string()))
    if comma:  # points between thousands go, the comma becomes the point
        return _floats(pc.replace_substring(pc.replace_substring(text, ".", ""), ",", "."))
    return _floats(pc.replace_substring(text, ",", ""))


_POW10 = 10.0 ** np.arange(1, 19)


def _has_point(text: pa.Array) -> bool:
    """Whether any value of a string array holds a ".": one scan of its character buffer."""
    width = np.int64 if pa.types.is_large_string(text.type) else np.int32
    _, offsets, data = text.buffers()
    first, last = np.frombuffer(offsets, width)[[text.offset, text.offset + len(text)]] if len(text) else (0, 0)
    return data is not None and bool((np.frombuffer(data, np.uint8)[first:last] == ord(".")).any())


def _plain_shapes(text: pa.Array, values: np.ndarray, exact: bool) -> np.ndarray:
    """NEUTRAL, POINT or AMBIGUOUS for plain numbers ("12", "3.5", "1.234") and their float values,
    from the numbers where they can be: a value with a fraction has a point, one whose text is longer
    than its integer digits (and sign) by 4 or 5 may be "1.234"; only those and whole ones written
    longer ("1.000", "+5", "007") have their text looked at. Not ``exact``: when one value surely has
    a decimal point the rest are left as they are (nothing then depends on them)."""
    shape = np.full(len(values), NEUTRAL, np.int8)
    if not _has_point(text):
        return shape
    a = np.abs(values)
    frac = a != np.floor(a)
    shape[frac] = POINT
    length = np.asarray(pc.binary_length(text).to_numpy(zero_copy_only=False)) - np.signbit(values)
    extra = length - (1 + (a >= 10).view(np.int8) + (a >= 100).view(np.int8))
    look = frac & (a >= 1) & (a < 1000) & ((extra == 4) | (extra == 5))
    if not exact and (frac & ~look).any():
        return shape
    whole = np.flatnonzero(~frac)
    look[whole[length[whole] > 1 + np.searchsorted(_POW10, a[whole], side="right")]] = True
    check = np.flatnonzero(look)
    if len(check):
        sub = text.take(pa.array(check))
        dotted = _bool(pc.match_substring(sub, "."))
        ambiguous = _bool(pc.match_substring_regex(sub, _PLAIN_AMBIGUOUS))
        shape[check] = np.where(ambiguous, AMBIGUOUS, np.where(dotted, POINT, NEUTRAL))
    return shape


def parse_numbers(arr: pa.Array | pa.ChunkedArray, unit: str | float | None = None) -> Parsed:
    """Read "1,200", "1.2k", "$5M", "€3.4m", "2.5bn", "12%", "(300)", "1.234,56" as floats; NaN where not known.

    A suffix written in the cell wins over the column unit (a "$5M" in a millions column is 5e6).
    The column decides whether "," is a decimal mark: "1.234,56", "12,5" or "1.234.567" say comma,
    "1,234.56", "3.5" or "1,234,567" say point, and the side more rows take wins (``decimal``);
    values that only read the other way are then not read (reported, never guessed). "1,234" and
    "1.234" read both ways and follow the column; with no evidence they keep the usual reading
    (1234 and 1.234) and are marked ``ambiguous``. Plain numbers take a fast path (one cast); the
    other cells are parsed once per distinct text.
    """
    factor = unit_factor(unit)
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type):
        values = np.asarray(pc.cast(arr, pa.float64()).to_numpy(zero_copy_only=False), dtype=float) * factor
        return Parsed(values, np.isnan(values), np.zeros(len(values), bool), None, np.zeros(len(values), bool))
    s, missing = clean_text(arr)
    values = np.full(len(s), np.nan)
    plain_np = _bool(plain := pc.match_substring_regex(s, _PLAIN_NUMBER))
    rest = ~plain_np & ~missing
    votes = {POINT: 0, COMMA: 0}
    codes, shape, num, scale, point = np.zeros(0, np.int64), np.zeros(0, np.int8), pa.array([], pa.string()), np.zeros(0), np.zeros(0)
    if rest.any():
        enc = pc.dictionary_encode(pc.filter(s, pa.array(rest)))
        codes = np.asarray(enc.indices.to_numpy(zero_copy_only=False))
        num, shape, scale, point = _parse_messy(enc.dictionary, factor)
        if (shape == COMMA).any():  # rows are counted only when both sides may have some
            rows = np.bincount(codes, minlength=len(shape))
            votes[POINT] += int(rows[shape == POINT].sum())
            votes[COMMA] += int(rows[shape == COMMA].sum())
        else:
            votes[POINT] += int((shape == POINT).any())
    plain_shape = np.zeros(0, np.int8)
    if plain_np.any():
        plain_text = pc.filter(s, plain)
        plain_values = _floats(plain_text)
        values[plain_np] = plain_values * factor
        plain_shape = _plain_shapes(plain_text, plain_values, exact=votes[COMMA] > 0)
        votes[POINT] += int((plain_shape == POINT).sum())
    decimal = "comma" if votes[COMMA] > votes[POINT] else "point" if votes[POINT] > votes[COMMA] else None
    values[rest] = (_read(num, shape, point, decimal) * scale)[codes]
    if decimal == "comma" and len(plain_shape):  # "1.234" is 1234 here, and "3.5" cannot be read
        fix = np.flatnonzero(plain_np)
        values[fix[plain_shape == POINT]] = np.nan
        ambiguous_rows = fix[plain_shape == AMBIGUOUS]
        if len(ambiguous_rows):
            text = pc.replace_substring(s.take(pa.array(ambiguous_rows)), ".", "")
            values[ambiguous_rows] = _floats(text) * factor
    bad = np.isnan(values) & ~missing
    ambiguous = np.zeros(len(s), bool)
    if decimal is None and ((plain_shape == AMBIGUOUS).any() or (shape == AMBIGUOUS).any()):
        ambiguous[plain_np], ambiguous[rest] = plain_shape == AMBIGUOUS, (shape == AMBIGUOUS)[codes]
        ambiguous &= ~bad
    return Parsed(values, missing, bad, decimal, ambiguous)


def _dictionary(arr: pa.Array | pa.ChunkedArray) -> tuple[np.ndarray, pa.Array]:
    """Raw text as (code per row, distinct values); null rows get code -1.

    Cleaning, splitting and matching then run once per distinct value, not once per row.
    """
    enc = pc.dictionary_encode(_as_array(arr))
    codes = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int32)
    return codes, enc.dictionary


def _remap(codes: np.ndarray, table: np.ndarray) -> np.ndarray:
    """``table[codes]`` with code -1 kept as -1."""
    return np.append(table, -1).astype(np.int32)[codes]


@dataclass(frozen=True)
class Categories:
    """A text column as integer codes into lower-cased categories; code -1 means missing."""

    codes: np.ndarray
    categories: np.ndarray  # object array of lower-cased strings

    @property
    def known(self) -> np.ndarray:
        return self.codes >= 0

    def lookup(self, wanted: set[str] | frozenset[str]) -> np.ndarray:
        """Mask of rows whose value is one of ``wanted`` (compare lower-cased)."""
        lowered = [w.lower() for w in wanted]
        table = np.isin(self.categories, lowered) if len(self.categories) else np.zeros(0, bool)
        return _take(table, self.codes)


def _take(table: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """``table[codes]`` with code -1 giving False."""
    padded = np.append(table, False)
    return padded[codes]


def encode_categories(arr: pa.Array | pa.ChunkedArray) -> Categories:
    raw_codes, values = _dictionary(arr)
    s, missing = clean_text(values)
    enc = pc.dictionary_encode(pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), s))
    table = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int32)
    return Categories(_remap(raw_codes, table), np.asarray(enc.dictionary.to_pylist(), dtype=object))


def parse_booleans(arr: pa.Array | pa.ChunkedArray) -> Parsed:
    cats = encode_categories(arr)
    is_true = cats.lookup(frozenset(TRUE_TOKENS))
    is_false = cats.lookup(frozenset(FALSE_TOKENS))
    missing = ~cats.known
    bad = cats.known & ~is_true & ~is_false
    return Parsed(is_true, missing, bad)


@dataclass(frozen=True)
class Items:
    """A list column ("Salesforce; Snowflake") exploded on its separators.

    Work is done per distinct cell: ``cell[r]`` is row r's distinct cell (-1 if empty), and item i
    of the exploded distinct cells belongs to cell ``item_cell[i]`` with value
    ``categories[item_code[i]]``. Matching is on whole items, so "salesforce" never matches
    "salesforce marketing cloud".
    """

    cell: np.ndarray
    item_cell: np.ndarray
    item_code: np.ndarray
    categories: np.ndarray
    cell_known: np.ndarray  # per distinct cell: it has at least one item

    @property
    def known(self) -> np.ndarray:
        return _take(self.cell_known, self.cell)

    def _cells_with(self, wanted: set[str] | frozenset[str]) -> np.ndarray:
        lowered = [w.lower() for w in wanted]
        table = np.isin(self.categories, lowered) if len(self.categories) else np.zeros(0, bool)
        hit = np.zeros(len(self.cell_known), bool)
        hit[self.item_cell[table[self.item_code]]] = True
        return hit

    def any_of(self, wanted: set[str] | frozenset[str]) -> np.ndarray:
        return _take(self._cells_with(wanted), self.cell)

    def all_of(self, wanted: set[str] | frozenset[str]) -> np.ndarray:
        count = np.zeros(len(self.cell_known), np.int32)
        for value in wanted:  # loops over the rule's values, not over accounts
            count += self._cells_with({value})
        return _take(count == len(wanted), self.cell)


#: Separators between the items of a list cell.
LIST_SEPARATORS = r"\s*[;,|\n]\s*"


def explode_items(arr: pa.Array | pa.ChunkedArray) -> Items:
    raw_codes, values = _dictionary(arr)
    s, missing = clean_text(values)
    s = pc.if_else(pa.array(missing), pa.scalar(None, pa.string()), s)
    lists = pc.split_pattern_regex(s, LIST_SEPARATORS)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parents = np.asarray(pc.list_parent_indices(lists).to_numpy(zero_copy_only=False), dtype=np.int64)
    keep = pc.and_(pc.not_equal(flat, ""), pc.invert(pc.is_in(flat, value_set=_MISSING)))
    keep_np = _bool(keep)
    enc = pc.dictionary_encode(pc.filter(flat, keep))
    item_cell = parents[keep_np]
    cell_known = np.zeros(len(values), bool)
    cell_known[item_cell] = True
    return Items(
        raw_codes,
        item_cell,
        np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int32),
        np.asarray(enc.dictionary.to_pylist(), dtype=object),
        cell_known,
    )


def parse_scalar_number(text: str | int | float) -> float:
    """One number written by a person in a scorecard ("30M", "20%", 1500). Raises ValueError."""
    if isinstance(text, bool):
        raise ValueError(f"{text!r} is not a number")
    value = float(text) if isinstance(text, (int, float)) else _scalar_text(str(text))
    if not math.isfinite(value):
        raise ValueError(f"{text!r} is not a finite number")
    return value


@functools.lru_cache(maxsize=4096)
def _scalar_text(text: str) -> float:
    # cached: a scorecard re-read after each edit in the workbench reads the same few bounds again
    parsed = parse_numbers(pa.array([text]))
    if not parsed.known[0]:
        raise ValueError(f"{text!r} is not a number")
    return float(parsed.values[0])
