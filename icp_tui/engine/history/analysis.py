"""What the deal history says about who to target: wins against losses, customer tiers, coverage.

* :func:`closed_deal_frame` joins every closed (won or lost) deal to its account: one row per deal
  with the deal's money, cycle and retention and the account's attributes.
* :func:`win_loss_table` is seed 003's comparison table: per attribute the wins' mean against the
  losses' mean (numbers), or each value's share of the wins against its share of the losses
  (categories, and each tool of the tech stack as a whole item).

Customer tiers are in :mod:`icp_tui.engine.history.tiers`, the coverage goals in :mod:`icp_tui.engine.history.coverage`,
segment discovery (clustering) in :mod:`icp_tui.engine.history.segments`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from icp_tui.engine.core.accounts import AccountFrame
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.values import LIST_SEPARATORS
from icp_tui.engine.history.deals import DealFrame

#: Seed 003: fewer closed deals than this is opinion, not a pattern.
MIN_CLOSED = 20
#: A category table shows this many values (largest difference first) and groups the rest.
TOP_VALUES = 5
TOP_TOOLS = 8

DEAL_NUMBERS = ("amount", "cycle_days", "nrr", "expansion", "ltv")
NUMBER_ATTRIBUTES = ("employees", "annual_revenue", "growth_rate", "intent_score")
CATEGORY_ATTRIBUTES = ("industry", "country", "funding_stage", "use_case")
ITEM_ATTRIBUTES = ("tech_stack",)
LABELS = {
    "amount": "Deal size (ACV)", "cycle_days": "Sales cycle (days)", "nrr": "NRR", "expansion": "Expansion",
    "ltv": "LTV", "employees": "Employees", "annual_revenue": "Annual revenue", "growth_rate": "Growth rate",
    "intent_score": "Intent score", "industry": "Industry", "country": "Country", "funding_stage": "Funding stage",
    "use_case": "Use case", "tech_stack": "Tech stack",
}


class AnalysisError(IcpError):
    """Deal history that cannot be analysed."""


# -- the closed deals with their accounts -------------------------------------------------------


def _category_labels(raw: pa.ChunkedArray, codes: np.ndarray, n_categories: int) -> np.ndarray:
    """Each (lower-cased) category as first written in the file, e.g. "SaaS" for "saas"."""
    labels = np.empty(n_categories, dtype=object)
    if not n_categories:
        return labels
    known = np.flatnonzero(codes >= 0)
    cats, first = np.unique(codes[known], return_index=True)
    text = pc.utf8_trim_whitespace(raw.take(pa.array(known[first]))).to_pylist()
    labels[cats] = text
    return labels


def _item_labels(raw: pa.ChunkedArray, categories: np.ndarray) -> np.ndarray:
    """Each (lower-cased) list item as first written in the file, e.g. "HubSpot" for "hubspot"."""
    if not len(categories):
        return np.empty(0, dtype=object)
    flat = pc.utf8_trim_whitespace(pc.list_flatten(pc.split_pattern_regex(raw, LIST_SEPARATORS)))
    written = pd.Series(flat.to_pandas(), dtype=object).dropna()
    first = written.groupby(written.str.lower().to_numpy(), sort=False).first()
    return first.reindex(categories).fillna(pd.Series(categories, index=categories)).to_numpy(dtype=object)


def _items_per_row(acc: AccountFrame, fld: str, rows: np.ndarray) -> np.ndarray:
    """Per row a tuple of the items (as written, each once), or None where the cell has none."""
    items = acc.items(fld)
    labels = _item_labels(acc.raw(fld), items.categories)
    per_cell = np.full(len(items.cell_known), None, dtype=object)
    if len(items.item_cell):
        pairs = pd.DataFrame({"cell": items.item_cell, "item": labels[items.item_code]}).drop_duplicates()
        grouped = pairs.groupby("cell", sort=True)["item"].agg(tuple)  # once per distinct cell, not per deal
        per_cell[grouped.index.to_numpy()] = grouped.to_numpy()
    cell = items.cell[rows]
    out = np.full(len(rows), None, dtype=object)
    has = cell >= 0
    out[has] = per_cell[cell[has]]
    return out


def closed_deal_frame(deals: DealFrame, accounts: AccountFrame, deal_rows: np.ndarray) -> pd.DataFrame:
    """One row per closed deal (won or lost) whose account was found, with the account's attributes.

    ``deal_rows`` gives per deal the row of its account in ``accounts`` (-1: not found), as
    :func:`icp_tui.engine.alignment.overlap.deal_accounts` returns. Columns: ``deal_id``, ``account_row``,
    ``account_name``, ``outcome`` (won/lost), ``won``; the deal's ``amount`` (ACV), ``cycle_days``,
    ``churned`` (boolean, NA unknown), ``nrr``, ``expansion``, ``ltv``, ``cac``; the account's numbers
    (``employees``, ``annual_revenue``, ``growth_rate``, ``intent_score``: NaN unknown), categories
    (``industry``, ``country``, ``funding_stage``, ``use_case``: categorical, values as first
    written) and ``tech_stack`` (a tuple of tools per row, None unknown). The use case is the
    deal's where the deal file has one, else the account's. Columns the files lack are left out.

    Raises :class:`AnalysisError` when the deals have no outcome or no deal matches an account.
    """
    f = deals.frame
    path = deals.info.path
    if f["outcome"].isna().all():
        deals.require("stage", what="stage or outcome column (e.g. 'Stage' with 'Closed Won', 'Closed Lost')")
        raise AnalysisError("has no stage that reads as won, lost or open (map the stages, e.g. 'Closed Won' = won)",
                            file=path)
    deal_rows = np.asarray(deal_rows, dtype=np.int64)
    if len(f) and not (deal_rows >= 0).any():
        raise AnalysisError(f"no deal matches an account in {accounts.path} (by account id, domain or name)", file=path)
    outcome = f["outcome"].astype(object).to_numpy()
    take = np.flatnonzero((deal_rows >= 0) & np.isin(outcome, ["won", "lost"]))
    rows = deal_rows[take]
    out: dict[str, object] = {}
    out["deal_id"] = (f["deal_id"].astype(str).to_numpy()[take] if "deal_id" in f
                      else np.char.add("row ", (take + 2).astype(str)).astype(object))
    out["account_row"] = rows
    if accounts.has("name"):
        out["account_name"] = np.asarray(accounts.raw("name").take(pa.array(rows)).to_pylist(), dtype=object)
    elif "account_name" in f:
        out["account_name"] = f["account_name"].astype(str).to_numpy()[take]
    out["outcome"] = pd.Categorical(outcome[take], categories=["won", "lost"])
    out["won"] = outcome[take] == "won"
    for fld in DEAL_NUMBERS + ("cac",):  # acquisition cost: for the unit economics, not the win/loss table
        if fld in f:
            out[fld] = f[fld].to_numpy(dtype=float, na_value=np.nan)[take]
    if "churned" in f:
        out["churned"] = f["churned"].array[take]
    for fld in NUMBER_ATTRIBUTES:
        if accounts.has(fld):
            out[fld] = accounts.numbers(fld).values[rows].astype(float)
    for fld in CATEGORY_ATTRIBUTES:
        has_acc, has_deal = accounts.has(fld), fld == "use_case" and "use_case" in f
        if not (has_acc or has_deal):
            continue
        values = np.full(len(rows), None, dtype=object)
        if has_acc:
            cats = accounts.categories(fld)
            labels = _category_labels(accounts.raw(fld), cats.codes, len(cats.categories))
            codes = cats.codes[rows]
            values[codes >= 0] = labels[codes[codes >= 0]]
        if has_deal:
            written = f["use_case"].astype(object).to_numpy()[take]
            text = pd.Series(written, dtype=object).str.strip()
            given = text.notna() & text.ne("") & ~text.str.lower().isin(["n/a", "na", "-", "none", "unknown"])
            values[given.to_numpy()] = text[given].to_numpy()
        # one spelling per value: the first one seen among these deals (case-insensitive)
        s = pd.Series(values, dtype=object)
        key = s.str.lower()
        first = s.groupby(key, sort=False).first()
        s = key.map(first)
        out[fld] = pd.Categorical(s, categories=sorted(first.tolist(), key=str.lower))
    for fld in ITEM_ATTRIBUTES:
        if accounts.has(fld):
            out[fld] = _items_per_row(accounts, fld, rows)
    return pd.DataFrame(out)


def check_history(frame: pd.DataFrame, *, file: str | None = None, minimum: int = MIN_CLOSED) -> None:
    """Raise :class:`AnalysisError` unless there are ``minimum`` closed deals with wins and losses."""
    n = len(frame)
    if n < minimum:
        raise AnalysisError(f"has {n} closed deal{'s' if n != 1 else ''} (won or lost) with a matching account; "
                            f"at least {minimum} are needed to compare wins with losses", file=file)
    won = int(frame["won"].sum())
    if won in (0, n):
        kind, other = ("won", "lost") if won else ("lost", "won")
        raise AnalysisError(f"all {n} closed deals are {kind}: {other} deals are needed to compare wins with losses",
                            file=file)


def history_notes(deals: DealFrame, deal_rows: np.ndarray) -> list[str]:
    """What the closed-deal frame leaves out: deals without a found account, open deals, stages
    that read as no outcome."""
    outcome = deals.frame["outcome"].astype(object).to_numpy()
    found = np.asarray(deal_rows) >= 0
    closed, blank = np.isin(outcome, ["won", "lost"]), deals.blank_account()
    notes = []
    if (k := int((~found & closed & blank).sum())):
        notes.append(f"{k} closed deal{'s' if k != 1 else ''} with no account (blank id, name and website) "
                     f"{'are' if k != 1 else 'is'} left out")
    if (k := int((~found & closed & ~blank).sum())):
        notes.append(f"{k} closed deal{'s' if k != 1 else ''} whose account is not in the accounts file "
                     f"{'are' if k != 1 else 'is'} left out")
    if (k := int((outcome == "open").sum())):
        notes.append(f"{k} open deal{'s' if k != 1 else ''} not analysed (only coverage counts them)")
    for stage, k in deals.unmapped_stages.items():
        notes.append(f"stage '{stage}' ({k} deal{'s' if k != 1 else ''}) reads as no outcome and is left out")
    return notes


def item_indicators(items: pd.Series, *, min_share: float = 0.0) -> pd.DataFrame:
    """Rows x items: True where the row's tuple holds the item (whole items only).

    Items held by fewer than ``min_share`` of the rows are left out; columns by frequency, then name.
    """
    exploded = items.explode().dropna()
    if exploded.empty:
        return pd.DataFrame(index=items.index)
    m = pd.crosstab(exploded.index, exploded.to_numpy()).reindex(items.index, fill_value=0) > 0
    counts = m.sum()
    keep = counts[counts / max(len(items), 1) >= min_share]
    order = sorted(keep.index, key=lambda t: (-int(keep[t]), str(t).lower()))
    return m[order]


# -- win/loss comparison ----------------------------------------------------------------------


@dataclass
class NumberRow:
    """One numeric attribute: the wins' mean against the losses' mean (unknown values left out)."""

    attribute: str
    label: str
    kind: str  # "deal" (the deal's own figures) or "account"
    wins_mean: float | None
    losses_mean: float | None
    wins_known: int
    losses_known: int

    @property
    def difference(self) -> float | None:
        if self.wins_mean is None or self.losses_mean is None:
            return None
        return self.wins_mean - self.losses_mean

    @property
    def relative(self) -> float | None:
        """Difference over the losses' mean (0.5 = wins 50% higher); None when that mean is 0."""
        d, base = self.difference, self.losses_mean
        if d is None or base is None or base == 0:
            return None
        return d / abs(base)


@dataclass
class ShareRow:
    """One value of a category (or one tool): its share of the wins and of the losses."""

    value: str
    wins: int
    losses: int
    wins_share: float | None
    losses_share: float | None
    grouped: int = 0  # for "other values": how many values are grouped in this row

    @property
    def difference(self) -> float | None:
        if self.wins_share is None or self.losses_share is None:
            return None
        return self.wins_share - self.losses_share


@dataclass
class CategoryTable:
    """A categorical attribute (kind "category": shares sum to 1) or a list one (kind "items":
    the share of deals whose list holds each item). Shares are of the deals with a known value."""

    attribute: str
    label: str
    kind: str
    wins_known: int
    losses_known: int
    rows: list[ShareRow]  # largest absolute difference first; "other" (if any) last
    omitted: int = 0  # items not shown (kind "items")


@dataclass
class WinLoss:
    won: int
    lost: int
    numbers: list[NumberRow]  # the deal's figures (ACV, cycle, ...) first, then the account's
    categories: list[CategoryTable]  # categorical attributes, then the tech stack


def mean_and_count(values: np.ndarray) -> tuple[float | None, int]:
    v = values[~np.isnan(values)]
    return (float(v.mean()) if len(v) else None), int(len(v))


def _share_rows(wins: pd.Series, losses: pd.Series, nw: int, nl: int) -> list[ShareRow]:
    out = []
    for value in wins.index.union(losses.index):
        w, lo = int(wins.get(value, 0)), int(losses.get(value, 0))
        out.append(ShareRow(str(value), w, lo, w / nw if nw else None, lo / nl if nl else None))
    return sorted(out, key=lambda r: (-abs(r.difference or 0.0), -(r.wins + r.losses), r.value.lower()))


def win_loss_table(frame: pd.DataFrame, *, top: int = TOP_VALUES, top_tools: int = TOP_TOOLS) -> WinLoss:
    """Seed 003's table: what wins share that losses do not. ``frame`` from :func:`closed_deal_frame`.

    Numbers: mean of the wins and of the losses (unknown values left out; counts of known values
    kept). Categories: each value's share of the wins and of the losses with a known value; the
    ``top`` values with the largest absolute difference, the rest grouped as "other". Tech stack:
    per tool, the share of wins and of losses whose stack holds it (whole items), the ``top_tools``
    largest differences.
    """
    won = frame["won"].to_numpy(bool)
    numbers = []
    for fld, kind in [(f, "deal") for f in DEAL_NUMBERS] + [(f, "account") for f in NUMBER_ATTRIBUTES]:
        if fld not in frame:
            continue
        v = frame[fld].to_numpy(dtype=float, na_value=np.nan)
        (wm, wk), (lm, lk) = mean_and_count(v[won]), mean_and_count(v[~won])
        if wk + lk:
            numbers.append(NumberRow(fld, LABELS[fld], kind, wm, lm, wk, lk))
    tables = []
    for fld in CATEGORY_ATTRIBUTES:
        if fld not in frame:
            continue
        s = frame[fld].astype(object)
        known = s.notna().to_numpy()
        nw, nl = int((won & known).sum()), int((~won & known).sum())
        if not nw + nl:
            continue
        rows = _share_rows(s[won & known].value_counts(), s[~won & known].value_counts(), nw, nl)
        if len(rows) > top + 1:
            rest = rows[top:]
            w, lo = sum(r.wins for r in rest), sum(r.losses for r in rest)
            rows = rows[:top] + [ShareRow("other values", w, lo, w / nw if nw else None, lo / nl if nl else None,
                                          grouped=len(rest))]
        tables.append(CategoryTable(fld, LABELS[fld], "category", nw, nl, rows))
    for fld in ITEM_ATTRIBUTES:
        if fld not in frame:
            continue
        known = frame[fld].notna().to_numpy()
        nw, nl = int((won & known).sum()), int((~won & known).sum())
        if not nw + nl:
            continue
        m = item_indicators(frame[fld])
        rows = _share_rows(m[won].sum(), m[~won].sum(), nw, nl)
        tables.append(CategoryTable(fld, LABELS[fld], "items", nw, nl, rows[:top_tools], max(0, len(rows) - top_tools)))
    return WinLoss(int(won.sum()), int((~won).sum()), numbers, tables)
