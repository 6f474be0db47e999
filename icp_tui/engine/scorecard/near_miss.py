"""Near-miss category values: account values that a bucket or condition was surely meant to match.

The engine compares text values trimmed and lower-cased (:mod:`icp_tui.engine.core.values`), so
"Fintech " already matches ``in = ["FinTech"]``. What it does not forgive is a typo: 14 accounts
with "Technolgy" score as no match for ``in = ["Technology"]``. A value present in the accounts
column that the engine does not match is a **near miss** of a listed value when, both casefolded
and with runs of spaces made one:

1. they are then equal (a double space, a "ß" against "ss"), or
2. they differ by at most :data:`MAX_EDITS` edits (optimal string alignment distance: insert,
   delete, substitute, or swap two neighbours) when the listed value is shorter than
   :data:`LONG`, else :data:`MAX_EDITS_LONG`, and the words the two do not share are together at
   least :data:`MIN_DIFFERING` characters long.

The last condition keeps real neighbours apart: "Series A" and "Series B" (differing words "a"
and "b"), "SaaS" and "PaaS", "Tier 1" and "Tier 2"; the edit limit keeps "Austria" and "Australia"
(2 edits) apart. Work is per distinct value: the per-row codes the engine already cached
(:meth:`AccountFrame.categories`, :meth:`AccountFrame.items`) are counted with ``np.bincount``, and
only the distinct values are compared (``rapidfuzz.process.cdist``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import numpy as np

from icp_tui.engine.core.accounts import AccountFrame
from icp_tui.engine.core.labels import label_key as _norm
from icp_tui.engine.core.values import LIST_SEPARATORS

MAX_EDITS, MAX_EDITS_LONG, LONG = 1, 2, 10
MIN_DIFFERING = 5


@dataclass(frozen=True)
class NearMiss:
    value: str  # as the accounts file writes it (its first row with the value)
    meant: str  # the listed value, as the scorecard writes it
    accounts: int


def _short_difference(a: str, b: str) -> bool:
    """True when the words ``a`` and ``b`` do not share are shorter than :data:`MIN_DIFFERING` in all."""
    wa, wb = Counter(a.split()), Counter(b.split())
    left = " ".join((wa - wb).elements()), " ".join((wb - wa).elements())
    return max(len(left[0]), len(left[1])) < MIN_DIFFERING


def _best(candidates: list[str], wanted: list[str]) -> list[int]:
    """For each candidate, the index of the wanted value it nearly is (fewest edits, then first listed), or -1."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    na, nb = [_norm(c) for c in candidates], [_norm(w) for w in wanted]
    dist = process.cdist(na, nb, scorer=OSA.distance, score_cutoff=MAX_EDITS_LONG, dtype=np.int32, workers=1)
    allowed = np.where(np.array([len(w) for w in nb]) >= LONG, MAX_EDITS_LONG, MAX_EDITS)
    out = [-1] * len(candidates)
    for i in np.flatnonzero((dist <= allowed).any(axis=1)):  # only the few candidates close to some value
        for j in np.argsort(dist[i], kind="stable"):
            d = int(dist[i, j])
            if d > allowed[j]:
                break
            if d == 0 or not _short_difference(na[i], nb[j]):
                out[i] = int(j)
                break
    return out


def nearly(value: str, listed: list[str]) -> str | None:
    """The listed value ``value`` is a near miss of (the rule above), or None. ``value`` is taken as not matched."""
    j = _best([value], listed)[0] if listed else -1
    return listed[j] if j >= 0 else None


def _counts(accounts: AccountFrame, fld: str, kind: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct values lower-cased, accounts per value, per-row codes of what holds it) for a text or list field."""
    if kind == "text":
        cats = accounts.categories(fld)
        known = cats.codes[cats.codes >= 0]
        return cats.categories, np.bincount(known, minlength=len(cats.categories)), cats.codes
    items = accounts.items(fld)
    n_cat = len(items.categories)
    rows_per_cell = np.bincount(items.cell[items.cell >= 0], minlength=len(items.cell_known))
    pairs = np.unique(items.item_cell.astype(np.int64) * max(n_cat, 1) + items.item_code)  # a cell counts an item once
    cells, codes = pairs // max(n_cat, 1), pairs % max(n_cat, 1)
    counts = np.bincount(codes, weights=rows_per_cell[cells], minlength=n_cat).astype(np.int64)
    return items.categories, counts, items.cell


def _spellings(accounts: AccountFrame, fld: str, kind: str, values: list[str], codes: np.ndarray, cats: list[int]) -> list[str]:
    """How the file writes each of ``values`` (category codes ``cats``): in the first row that holds it (a list
    cell is split again). One pass over the rows for all of them."""
    if kind == "items":
        items = accounts.items(fld)
        first_item = {int(c): int(i) for c, i in zip(*np.unique(items.item_code, return_index=True))}
        holders = [int(items.item_cell[first_item[c]]) for c in cats]  # a distinct cell that holds the item
    else:
        holders = list(cats)
    rows = np.flatnonzero(np.isin(codes, holders))
    found, first = np.unique(codes[rows], return_index=True)
    row_of = dict(zip(found.tolist(), rows[first].tolist()))
    cells = accounts.raw(fld).take([row_of[h] for h in holders]).to_pylist()
    out = []
    for value, cell in zip(values, cells):
        parts = re.split(LIST_SEPARATORS, str(cell or "").strip()) if kind == "items" else [str(cell or "")]
        out.append(next((p.strip() for p in parts if p.strip().lower() == value), value))
    return out


def near_misses(accounts: AccountFrame, fld: str, kind: str, listed: list[str]) -> list[NearMiss]:
    """Values of ``fld`` (read as "text" or as list "items") that match none of ``listed`` but nearly one;
    most accounts first."""
    values, counts, codes = _counts(accounts, fld, kind)
    wanted = list(dict.fromkeys(listed))
    lowered = {w.lower() for w in wanted}
    present = [i for i in np.flatnonzero(counts > 0) if values[i] not in lowered]
    if not present or not wanted:
        return []
    best = _best([str(values[i]) for i in present], wanted)
    hits = [(int(i), j) for i, j in zip(present, best) if j >= 0]
    if not hits:
        return []
    shown = _spellings(accounts, fld, kind, [str(values[i]) for i, _ in hits], codes, [i for i, _ in hits])
    found = [NearMiss(text, wanted[j], int(counts[i])) for text, (i, j) in zip(shown, hits)]
    return sorted(found, key=lambda m: (-m.accounts, m.value.lower()))


__all__ = ["NearMiss", "near_misses", "nearly", "MAX_EDITS", "MAX_EDITS_LONG", "LONG", "MIN_DIFFERING"]
