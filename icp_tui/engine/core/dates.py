"""Dates as CRMs and spreadsheets write them, read one way per column.

"03/04/2024" is March 4 in a US export and 3 April in a European one; reading each cell on its own
(as ``pandas.to_datetime(format="mixed")`` does) can give both in one column. :func:`parse_dates`
decides the day/month order for the whole column from the values that show it ("13/04/2024" can
only be day-first, "04/13/2024" only month-first) and reads every value that way. Work is done once
per distinct text, with regular expressions and numpy arithmetic; nothing loops per row in Python.

Read: ISO dates and datetimes ("2024-01-05", "2024/01/05", "2024-01-05T13:45:00.000Z",
"2024-01-05 13:45:00"), "20240105", day/month/year with "/", "." or "-" and 2- or 4-digit years
("05.01.2024", "1/5/24 1:45 PM"), and English month names ("5-Jan-2024", "Jan 5, 2024", "Friday,
January 5, 2024"). A time zone offset is ignored: the date and time are kept as written. Two-digit
years are 2000-2068 for 00-68 and 1969-1999 for 69-99, as :func:`time.strptime` reads them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date as _date

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from icp_tui.engine.core.values import _as_array, _bool, clean_text

ISO, DAY_FIRST, MONTH_FIRST, AMBIGUOUS = "iso", "day_first", "month_first", "ambiguous"

_TIME = (
    r"(?:(?:t|\s+|\s*,\s*)(?P<hh>\d{1,2}):(?P<mi>\d{2})(?::(?P<ss>\d{2})(?:[.,](?P<fr>\d{1,9})\d*)?)?"
    r"(?:\s*(?P<ap>[ap])\.?m\.?)?)?\s*(?:z|utc|gmt|[+-]\d{2}(?::?\d{2})?)?$"
)
_WEEKDAY = r"(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+)?"
_YEAR = r"(?P<y>\d{4}|\d{2})"
_ISO = r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME
_BASIC = r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"
_NUMERIC = r"^(?P<a>\d{1,2})[-/.](?P<b>\d{1,2})[-/.]" + _YEAR + _TIME
_DAY_NAME = r"^" + _WEEKDAY + r"(?P<d>\d{1,2})(?:st|nd|rd|th)?[-\s./]*(?P<mon>[a-z]{3,9})\.?[-\s./,]*" + _YEAR + _TIME
_NAME_DAY = r"^" + _WEEKDAY + r"(?P<mon>[a-z]{3,9})\.?[-\s./]*(?P<d>\d{1,2})(?:st|nd|rd|th)?,?[-\s./]*" + _YEAR + _TIME

_MONTHS = ["jan", "january", "feb", "february", "mar", "march", "apr", "april", "may", "jun", "june", "jul", "july",
           "aug", "august", "sep", "sept", "september", "oct", "october", "nov", "november", "dec", "december"]
_MONTH_OF = np.array([1, 1, 2, 2, 3, 3, 4, 4, 5, 6, 6, 7, 7, 8, 8, 9, 9, 9, 10, 10, 11, 11, 12, 12])
_NAT = np.datetime64("NaT", "ns").astype(np.int64)


@dataclass(frozen=True)
class ParsedDates:
    """One date column: ``values`` (datetime64[ns], NaT where not known), ``missing`` (no value),
    ``bad`` (a value that is not a date, or only one written in the order the column does not use).

    ``order`` is how day/month dates were read: "day_first" or "month_first" as the values showed it,
    "ambiguous" when none did (or as many each way) and month-first was used, "iso" when no value
    needed the choice. ``day_first`` / ``month_first`` count the rows whose text shows that order,
    ``either`` the rows like 03/04/2024 that read both ways as different dates; ``examples`` holds
    the first text of each of the three kinds that occurs.
    """

    values: np.ndarray
    missing: np.ndarray
    bad: np.ndarray
    order: str
    day_first: int = 0
    month_first: int = 0
    either: int = 0
    examples: dict[str, str] | None = None
    chosen: bool = False  # the order was set by the user (workshop.toml ``dates``), not decided from the values

    @property
    def known(self) -> np.ndarray:
        return ~(self.missing | self.bad)

    def note(self, column: str) -> str | None:
        """What a reader should know about the order, as one line; None when nothing was decided."""
        ex = self.examples or {}

        def shown(kind: str, n: int) -> str:
            return f"{ex[kind]} and {n - 1:,} more show it" if n > 1 else f"{ex[kind]} shows it"

        def dates(n: int) -> str:
            return f"{n:,} date{'s' if n != 1 else ''}"

        if self.chosen:
            against = self.month_first if self.order == DAY_FIRST else self.day_first
            if not against:
                return None
            ex_other = ex[MONTH_FIRST if self.order == DAY_FIRST else DAY_FIRST]
            return (f"column '{column}': dates read {_words(self.order)} as set; {dates(against)} written the other way "
                    f"(e.g. {ex_other}) treated as unknown")
        if self.order in (DAY_FIRST, MONTH_FIRST):
            kind, other = (DAY_FIRST, MONTH_FIRST) if self.order == DAY_FIRST else (MONTH_FIRST, DAY_FIRST)
            n, against = (self.day_first, self.month_first) if kind == DAY_FIRST else (self.month_first, self.day_first)
            text = f"column '{column}': dates read {_words(kind)} ({shown(kind, n)})"
            if against:
                verb = "contradicts that and is" if against == 1 else "contradict that and are"
                text += f"; {dates(against)} written {_words(other)} (e.g. {ex[other]}) {verb} treated as unknown"
            return text
        if self.order != AMBIGUOUS:
            return None
        if self.day_first or self.month_first:
            text = (f"column '{column}': as many dates show day-first ({self.day_first:,}, e.g. {ex[DAY_FIRST]}) as "
                    f"month-first ({self.month_first:,}, e.g. {ex[MONTH_FIRST]}); read month-first, the day-first ones "
                    "treated as unknown")
            if self.either:
                text += f"; {dates(self.either)} like {ex['either']} could be either"
            return text
        return (f"column '{column}': {dates(self.either)} like {ex['either']} could be day-first or month-first; "
                "read month-first")


def _words(order: str) -> str:
    return order.replace("_", "-")


def _ints(parts: pa.StructArray, name: str) -> np.ndarray:
    """A captured group as integers; 0 where it did not match or is empty."""
    text = pc.struct_field(parts, name)
    text = pc.if_else(pc.equal(text, ""), pa.scalar(None, pa.string()), text)
    return np.asarray(pc.fill_null(pc.cast(text, pa.int64()), 0).to_numpy(zero_copy_only=False), dtype=np.int64)


def _year(parts: pa.StructArray) -> np.ndarray:
    y = _ints(parts, "y")
    two = np.asarray(pc.fill_null(pc.equal(pc.binary_length(pc.struct_field(parts, "y")), 2), False)
                     .to_numpy(zero_copy_only=False), dtype=bool)
    return np.where(two, np.where(y <= 68, 2000 + y, 1900 + y), y)


def _matched(parts: pa.StructArray) -> np.ndarray:
    return _bool(pc.is_valid(parts))


def _day_ok(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Whether (y, m, d) is a calendar date that datetime64[ns] holds (years 1678-2261)."""
    ok = (m >= 1) & (m <= 12) & (d >= 1) & (y >= 1678) & (y <= 2261)
    month = ((np.where(ok, y, 1970) - 1970) * 12 + np.where(ok, m, 1) - 1).astype("datetime64[M]")
    length = ((month + 1).astype("datetime64[D]") - month.astype("datetime64[D]")).astype(np.int64)
    return ok & (d <= length)


def _nanoseconds(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray:
    month = ((y - 1970) * 12 + m - 1).astype("datetime64[M]")
    return (month.astype("datetime64[D]") + (d - 1)).astype("datetime64[ns]").astype(np.int64)


def parse_dates(col: pa.ChunkedArray | pa.Array, order: str | None = None) -> ParsedDates:
    """Read a date column one way (see the module docstring); work is per distinct text. ``order``
    ("day_first" or "month_first") sets the order instead of deciding it from the values."""
    if order not in (None, DAY_FIRST, MONTH_FIRST):
        raise ValueError(f"date order {order!r}: use {DAY_FIRST} or {MONTH_FIRST}")
    arr = _as_array(col)
    enc = pc.dictionary_encode(arr)
    codes = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    raw = enc.dictionary
    s, missing_d = clean_text(raw)
    n = len(s)
    rows = np.bincount(codes[codes >= 0], minlength=n)

    y = np.zeros(n, np.int64)
    m = np.zeros(n, np.int64)
    d = np.zeros(n, np.int64)
    numeric = np.zeros(n, bool)
    a = np.zeros(n, np.int64)
    b = np.zeros(n, np.int64)
    hh, mi, ss, ns = (np.zeros(n, np.int64) for _ in range(4))
    ap = np.zeros(n, np.int8)  # 1 am, 2 pm
    matched = np.zeros(n, bool)
    for pattern in (_ISO, _BASIC, _NUMERIC, _DAY_NAME, _NAME_DAY):
        parts = pc.extract_regex(s, pattern)
        hit = _matched(parts) & ~matched & ~missing_d
        if not hit.any():
            continue
        matched |= hit
        y[hit] = _year(parts)[hit]
        if pattern == _NUMERIC:
            numeric |= hit
            a[hit], b[hit] = _ints(parts, "a")[hit], _ints(parts, "b")[hit]
        elif pattern in (_DAY_NAME, _NAME_DAY):
            idx = np.asarray(pc.fill_null(pc.index_in(pc.struct_field(parts, "mon"), value_set=pa.array(_MONTHS)), -1)
                             .to_numpy(zero_copy_only=False))
            m[hit] = np.where(idx >= 0, _MONTH_OF[np.maximum(idx, 0)], 0)[hit]
            d[hit] = _ints(parts, "d")[hit]
        else:
            m[hit], d[hit] = _ints(parts, "m")[hit], _ints(parts, "d")[hit]
        if pattern != _BASIC:
            hh[hit], mi[hit], ss[hit] = _ints(parts, "hh")[hit], _ints(parts, "mi")[hit], _ints(parts, "ss")[hit]
            frac = pc.utf8_rpad(pc.fill_null(pc.struct_field(parts, "fr"), ""), 9, "0")
            ns[hit] = np.asarray(pc.cast(frac, pa.int64()).to_numpy(zero_copy_only=False))[hit]
            marker = pc.fill_null(pc.struct_field(parts, "ap"), "")
            ap[hit] = np.where(_bool(pc.equal(marker, "a")), 1, np.where(_bool(pc.equal(marker, "p")), 2, 0))[hit]

    # the order: which numeric values read only day-first, only month-first, or both ways as different dates
    as_day_first = numeric & _day_ok(y, b, a)
    as_month_first = numeric & _day_ok(y, a, b)
    shows_day = as_day_first & ~as_month_first
    shows_month = as_month_first & ~as_day_first
    either = as_day_first & as_month_first & (a != b)
    n_day, n_month, n_either = (int(rows[x].sum()) for x in (shows_day, shows_month, either))
    chosen = order is not None
    if order is not None:
        pass
    elif n_day > n_month:
        order = DAY_FIRST
    elif n_month > n_day:
        order = MONTH_FIRST
    else:
        order = AMBIGUOUS if n_day or n_either else ISO
    day_first = order == DAY_FIRST
    m = np.where(numeric, np.where(day_first, b, a), m)
    d = np.where(numeric, np.where(day_first, a, b), d)

    hour = np.where(ap == 2, hh % 12 + 12, np.where(ap == 1, hh % 12, hh))
    time_ok = np.where(ap > 0, (hh >= 1) & (hh <= 12), hh <= 23) & (mi <= 59) & (ss <= 59)
    ok = matched & _day_ok(y, m, d) & time_ok
    stamp = np.full(n, _NAT, np.int64)
    if ok.any():
        stamp[ok] = (_nanoseconds(y[ok], m[ok], d[ok]) + ((hour[ok] * 60 + mi[ok]) * 60 + ss[ok]) * 1_000_000_000 + ns[ok])
    bad_d = ~missing_d & ~ok

    examples: dict[str, str] = {}
    trimmed = pc.utf8_trim_whitespace(raw)
    for kind, mask in ((DAY_FIRST, shows_day), (MONTH_FIRST, shows_month), ("either", either)):
        if mask.any():  # dictionary codes follow first appearance, so the lowest is the first row's text
            examples[kind] = str(trimmed[int(np.flatnonzero(mask)[0])].as_py())
    values = np.append(stamp, _NAT)[codes].view("datetime64[ns]")
    missing = np.append(missing_d, True)[codes]
    bad = np.append(bad_d, False)[codes]
    return ParsedDates(values, missing, bad, order, n_day, n_month, n_either, examples, chosen)


def months_back(today: _date, months: int) -> _date:
    """The same day ``months`` calendar months before ``today`` (the month's last day when it is shorter):
    2026-03-31 less 1 month is 2026-02-28."""
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    first = _date(y, m + 1, 1)
    following = _date(y + (m == 11), (m + 1) % 12 + 1, 1)
    return _date(y, m + 1, min(today.day, (following - first).days))


def months_between(a: _date, b: _date) -> int:
    """Whole calendar months from ``a`` to ``b`` (a day short of a month does not count)."""
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
