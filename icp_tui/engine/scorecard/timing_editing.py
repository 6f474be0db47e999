"""Editing the ``[[timing_bands]]`` of a scorecard (a part of :class:`~icp_tui.engine.scorecard.editing.ScorecardEditor`).

Timing bands turn the timing score into the digit of the priority grade (:mod:`.grade`). Without
``[[timing_bands]]`` in the file the first edit writes the defaults, after the ``[[bands]]``. Indices
are file positions; the engine checks every edit (the lowest band must start at 0).
"""

from __future__ import annotations

import math
from typing import Any

from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.toml_tables import finite_number, put_key, table_text, tables_of
from icp_tui.engine.scorecard.model import DEFAULT_TIMING_BANDS

TIMING_KEYS = ("min", "label", "action")


class TimingBandEdits:
    """Mixed into the scorecard editor: it gives ``file``, ``scorecard``, ``_apply``, ``_add_table``, ``_replace``."""

    file: Any
    scorecard: Any

    def _timing_index(self, i: int | None) -> int:
        n = len(self.scorecard.timing_bands)
        if i is not None and not 0 <= i < n:
            raise ScorecardError(f"there is no timing band {i + 1}")
        return n

    def _ensure_timing_bands(self) -> None:
        if not self.file.doc.get("timing_bands"):
            self._add_table("timing_bands", 0, "\n".join(  # type: ignore[attr-defined]
                table_text("timing_bands", [("min", finite_number(b.min)), ("label", b.label), ("action", b.action)])
                for b in DEFAULT_TIMING_BANDS))

    def set_timing_band(self, i: int, *, min: float | None = None, label: str | None = None,
                        action: str | None = None) -> bool:
        """Change timing band ``i`` ("" removes the action)."""
        self._timing_index(i)
        b = self.scorecard.timing_bands[i]
        new = {"min": None if min is None else finite_number(min), "label": label, "action": action}
        if all(v is None or getattr(b, k) == v for k, v in new.items()):
            return False

        def change() -> None:
            self._ensure_timing_bands()
            t = self.file.doc["timing_bands"][i]
            for k, v in new.items():
                if v is not None:
                    put_key(t, k, v, TIMING_KEYS, "" if k == "action" else None)
        return self._apply(f"edit timing band {b.label}", change)  # type: ignore[attr-defined]

    def add_timing_band(self, after_i: int | None = None) -> int:
        """A band "New timing band" after ``after_i`` (None: last), its min halfway between its neighbours';
        after the lowest band (which starts at 0) it goes above it: nothing can start below 0."""
        n = self._timing_index(after_i)
        bands, pos = self.scorecard.timing_bands, n if after_i is None else after_i + 1
        if pos == n and n and bands[-1].min <= 0:
            pos = n - 1
        hi, lo = bands[pos - 1].min if pos else 100.0, bands[pos].min if pos < n else 0.0
        taken = {b.label for b in bands}
        label = next(x for x in ["New timing band"] + [f"New timing band {k}" for k in range(2, n + 3)] if x not in taken)
        core = table_text("timing_bands", [("min", math.floor((hi + lo) / 2)), ("label", label)])

        def change() -> None:
            self._ensure_timing_bands()
            self._add_table("timing_bands", pos, core)  # type: ignore[attr-defined]
        self._apply(f"add timing band {label}", change)  # type: ignore[attr-defined]
        return pos

    def delete_timing_band(self, i: int) -> None:
        if self._timing_index(i) == 1:
            raise ScorecardError("cannot delete the only timing band: every account needs a timing digit")

        def change() -> None:
            self._ensure_timing_bands()
            tables = tables_of(self.file.doc, "timing_bands")
            assert tables is not None  # written just above
            self._replace(tables.delete(i))  # type: ignore[attr-defined]
        self._apply(f"delete timing band {self.scorecard.timing_bands[i].label}", change)  # type: ignore[attr-defined]
