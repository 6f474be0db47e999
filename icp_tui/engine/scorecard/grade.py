"""The priority grade a rep acts on: the fit band's letter and the timing band's digit, e.g. "A1".

Fit (who the account is) and timing (when it buys) are scored apart (seed 000) and stay apart: the
grade only puts the two bands side by side. The letter is the fit band, A for the highest band, B for
the next and so on, one per band (seed 003's five default bands give A-E); the digit is the timing
band, 1 for the highest ("Now") down to the lowest ("Later"). Special grades:

- ``X``: a hard exclusion (existing customer, competitor...): never worked, whatever the scores;
- the letter then ``?`` (``"A?"``): the scorecard has buying signals but none is known for the account;
- the letter alone (``"A"``): the scorecard scores no timing at all;
- empty: no fit band (a fit score below the lowest band, or no fit criteria).

An anti-persona match does not change the grade; it is flagged beside it (``anti_personas``).

Every grade has a code, and codes sort by priority: A1 < A2 < A3 < A? < B1 < ... < (none) < X. Codes
are computed with numpy for all accounts at once; the texts are a lookup table.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from icp_tui.engine.scorecard.model import Scorecard, TimingBand
from icp_tui.engine.scorecard.results import UNKNOWN, ScoreResult

LETTERS = "ABCDEFGHIJKLMNOPQRST"  # one per fit band (file.MAX_BANDS)
EXCLUDED = "X"
NO_TIMING_DATA = "?"


def timing_bands(sc: Scorecard) -> tuple[TimingBand, ...]:
    """The timing bands, highest first."""
    return tuple(sorted(sc.timing_bands, key=lambda b: -b.min))


def has_timing(sc: Scorecard) -> bool:
    """Does the timing score count for anything (a buying-signal criterion that can give points)?"""
    return any(sc.score_of(c) == "timing" and c.max_points > 0 for c in sc.criteria)


def grade_texts(sc: Scorecard) -> list[str]:
    """Every grade in code order: per fit band its letter with each timing digit then "?" (or the letter
    alone without timing), then "" (no fit band), then "X" (excluded)."""
    digits = [str(d) for d in range(1, len(sc.timing_bands) + 1)] + [NO_TIMING_DATA] if has_timing(sc) else [""]
    return [LETTERS[b] + d for b in range(len(sc.bands)) for d in digits] + ["", EXCLUDED]


@dataclass(frozen=True)
class Grades:
    code: np.ndarray  # int64 per account, in priority order (0 = the top grade)
    texts: list[str]  # code -> grade text
    timing_band: np.ndarray  # int8 per account: index into timing_bands(), -1 without timing data or timing

    def __getitem__(self, i: int) -> str:
        return self.texts[int(self.code[i])]

    def timing_counts(self, bands: int) -> list[int]:
        """Accounts per timing band (highest first; ``bands`` of them), those without timing data left out."""
        return np.bincount(self.timing_band[self.timing_band >= 0], minlength=bands).tolist()

    def counts(self) -> list[tuple[str, int]]:
        """Accounts per grade, in priority order, the grades nobody has left out."""
        n = np.bincount(self.code, minlength=len(self.texts))
        return [(t or "none", int(k)) for t, k in zip(self.texts, n) if k]


def grades(r: ScoreResult) -> Grades:
    """The grade of every account of a score result (see the module docstring)."""
    sc = r.scorecard
    tbands = timing_bands(sc)
    nb = len(r.bands)
    if has_timing(sc):
        per = len(tbands) + 1  # the timing digits, then "?"
        reached = np.zeros(r.n, np.int8)
        for b in tbands:  # NaN reaches none
            reached += r.timing >= b.min
        # below the lowest band's min (negative signal points): the lowest band; NaN: no timing data
        tb = np.where(reached > 0, len(tbands) - reached, np.where(np.isnan(r.timing), -1, len(tbands) - 1)).astype(np.int8)
        counted = [col for c, col in zip(sc.criteria, r.columns) if sc.score_of(c) == "timing" and c.max_points > 0]
        unknown = np.ones(r.n, bool)
        for col in counted:
            unknown &= col.bucket == UNKNOWN
        tb[unknown] = -1
        digit = np.where(tb >= 0, tb, per - 1).astype(np.int64)
    else:
        per = 1
        tb = np.full(r.n, -1, np.int8)
        digit = np.zeros(r.n, np.int64)
    code = np.where(r.band >= 0, r.band.astype(np.int64) * per + digit, nb * per)
    code[r.is_excluded] = nb * per + 1
    return Grades(code, grade_texts(sc), tb)
