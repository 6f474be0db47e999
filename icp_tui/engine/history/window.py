"""A window of time over the deal history: only the deals closed since a date count.

Seed 002 warns against fitting an ICP to the latest cohort and against old history alike: it reviews
a rolling 12 months. :func:`parse_since` reads the start of the window as a date (``2025-12-03``) or
as months back from today (``12m``, ``24m``, ``18 months``, ``2y``); :func:`apply_window` keeps the
closed deals whose close date is on or after it (open deals are kept: they are the pipeline, not
history) and says what it left out. Without a window nothing is filtered, but a history that spans
more than :data:`LONG_SPAN_MONTHS` months is warned about, and closed deals without a close date are
counted. Filtering is one vectorised mask; the CLI and the app call the same functions.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from icp_tui.engine.core.dates import months_back, months_between
from icp_tui.engine.history.deals import DealFrame

#: A history longer than this (first to last close date, in months) gets a warning.
LONG_SPAN_MONTHS = 24
_RELATIVE = re.compile(r"^(\d{1,3})\s*(m|mo|mos|month|months|y|yr|yrs|year|years)$")
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
HOW = "a date such as 2025-12-03, or months back from today such as 12m, 24m or '18 months'"


def parse_since(text: str, today: date | None = None) -> date:
    """The first day of the window; :class:`ValueError` (worded for the user) for anything else."""
    today = today or date.today()
    t = str(text).strip().lower()
    if (m := _RELATIVE.match(t)):
        n = int(m.group(1)) * (12 if m.group(2).startswith("y") else 1)
        if n < 1:
            raise ValueError(f"'{text}' is no time at all: give at least 1 month (e.g. 12m)")
        return months_back(today, n)
    if (m := _DATE.match(t)):
        try:
            d = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueError(f"'{text}' is not a day of the calendar (use {HOW})") from None
        if d > today:
            raise ValueError(f"{d.isoformat()} is after today ({today.isoformat()}): no deal has closed since then")
        return d
    raise ValueError(f"'{text}' is not a date or a number of months (use {HOW})")


@dataclass
class Window:
    """What a window kept and left out of the closed deals (``since`` None: no window)."""

    since: date | None
    closed: int  # closed deals kept
    closed_before: int  # closed deals in the file, before the window
    earlier: int  # closed deals left out: closed before ``since``
    undated: int  # closed deals without a close date (left out when there is a window)
    first: date | None = None  # first and last close date of the closed deals kept
    last: date | None = None
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def span_months(self) -> int | None:
        if self.first is None or self.last is None:
            return None
        return months_between(pd.Timestamp(self.first), pd.Timestamp(self.last))

    def summary(self) -> str:
        """One line for a title or a report: "deals closed since 2025-12-03: 156 of 320 closed"."""
        if self.since is None:
            return f"all closed deals: {self.closed:,}"
        return f"deals closed since {self.since.isoformat()}: {self.closed:,} of {self.closed_before:,} closed"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def apply_window(deals: DealFrame, since: date | None) -> tuple[DealFrame, np.ndarray, Window]:
    """(the deals in the window, the mask of the rows kept, what was kept and left out).

    A closed deal (won or lost) stays when its close date is on or after ``since``; with a window, a
    closed deal without a close date is left out (it cannot be placed) and counted. Open deals and
    deals with no outcome stay as they are. ``since`` None keeps every row."""
    f = deals.frame
    n = len(f)
    closed = f["outcome"].isin(["won", "lost"]).to_numpy(bool) if "outcome" in f else np.zeros(n, bool)
    when = f["closed"].to_numpy("datetime64[ns]") if "closed" in f else np.full(n, np.datetime64("NaT"), "datetime64[ns]")
    dated = ~np.isnat(when)
    keep = np.ones(n, bool)
    earlier = 0
    if since is not None:
        cut = np.datetime64(since.isoformat(), "ns")
        inside = dated & (when >= cut)
        earlier = int((closed & dated & ~inside).sum())
        keep = ~closed | inside
    undated = int((closed & ~dated).sum())
    used = closed & keep & dated
    first = last = None
    if used.any():
        first = pd.Timestamp(when[used].min()).date()
        last = pd.Timestamp(when[used].max()).date()
    w = Window(since, int((closed & keep).sum()), int(closed.sum()), earlier, undated, first, last)
    if since is not None and earlier:
        w.notes.append(f"{_plural(earlier, 'closed deal', 'closed deals')} before {since.isoformat()} left out")
    if "closed" not in f:
        if since is not None and closed.any():
            w.warnings.append("no column was read as the close date: the window leaves out every closed deal "
                              "(map one with --map \"deals:HEADER=closed\")")
    elif undated and since is not None:
        w.notes.append(f"{_plural(undated, 'closed deal has', 'closed deals have')} no close date and "
                       f"{'is' if undated == 1 else 'are'} left out of the window")
    elif undated:
        w.notes.append(f"{_plural(undated, 'closed deal has', 'closed deals have')} no close date "
                       "(left out of the cycle, the latest quarter and the recent wins)")
    span = w.span_months
    if span is not None and span > LONG_SPAN_MONTHS:
        w.warnings.append(f"the closed deals span {span} months ({first} to {last}): old deals may describe a "
                          f"market that has moved on; try a rolling 12 months (--since 12m)")
    kept = deals if keep.all() else replace(deals, frame=f[keep].reset_index(drop=True))
    return kept, keep, w
