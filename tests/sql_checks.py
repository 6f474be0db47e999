"""One comparison of a compiled query's result with the pandas engine, for every SQL engine tested."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from icp_tui.engine.scorecard.results import ScoreResult


def assert_same_as_engine(column: Callable[[str], list], r: ScoreResult) -> None:
    """``column(name)`` gives one output column of the query as a list (any SQL engine)."""
    sc = r.scorecard
    for j, c in enumerate(sc.criteria):
        assert column(f"b_{c.id}") == r.bucket[:, j].tolist(), c.id
    assert np.array_equal(np.array(column("fit_score"), float), r.fit, equal_nan=True)
    labels = [b.label for b in r.bands]
    assert column("band") == [labels[b] if b >= 0 else None for b in r.band]
    assert np.array_equal(np.array(column("timing_score"), float), r.timing, equal_nan=True)
    assert column("grade") == [r.grades[i] or None for i in range(r.n)]  # no grade (no fit band): NULL
    for i in range(len(sc.anti_personas)):
        assert column(f"anti_{i}") == r.anti[:, i].tolist()
    for i in range(len(sc.exclusions)):
        assert column(f"excl_{i}") == r.excluded[:, i].tolist()
