"""Where the functions' lists agree and disagree, and whose list matches the data.

Every entry of every list is matched to an account (see :mod:`matching`); entries that match no
account become new accounts keyed by their domain or name, so nothing is dropped. Per account:
which functions proposed it and at what rank. Then the consensus (proposed by at least k
functions), the contested accounts, the orphans (one function only), the overlap of every pair of
lists (shared accounts and Jaccard), rank agreement between ranked lists (rank-biased overlap,
extrapolated, p = 0.9), and per function the shared scorecard's verdict on its list and, where deal
history exists, the win rate and ACV of its accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from icp_tui.engine.alignment.lists import FunctionList
from icp_tui.engine.alignment.matching import Match, Universe, match_entries
from icp_tui.engine.alignment.names import normalise_names, registrable_domains
from icp_tui.engine.history.deals import DealFrame
from icp_tui.engine.scorecard.results import ScoreResult

RBO_P = 0.9
#: Ranks this far apart on two lists, as a share of each list's length, make an account contested
#: (e.g. 5th of 60 on one list, 40th of 60 on another).
RANK_GAP = 0.5


@dataclass
class Proposal:
    key: str  # "acc:<account id>" or "new:<domain or name key>"
    account: int | None  # universe index
    name: str
    ranks: dict[str, int | None] = field(default_factory=dict)  # function -> rank
    typed: dict[str, str] = field(default_factory=dict)  # function -> the entry as typed
    reasons: dict[str, str] = field(default_factory=dict)  # function -> the list's reason
    fit: float | None = None
    band: str = ""
    tier: str = ""
    grade: str = ""  # the priority grade, fit letter x timing digit (scorecard.grade)
    grade_rank: int | None = None  # its place in priority order (0 the top grade); None unscored
    anti_personas: str = ""
    closer_to_anti: bool = False
    excluded: str = ""
    contested_because: list[str] = field(default_factory=list)

    @property
    def votes(self) -> int:
        return len(self.ranks)


@dataclass
class FunctionFit:
    function: str
    entries: int  # entries on the list
    matched: int  # distinct accounts of the universe it proposes
    scored: int
    mean_fit: float | None
    top_bands: float | None  # share of scored accounts in the two highest bands
    anti_persona: int
    excluded: int
    closed_deals: int  # closed deals with the list's own accounts
    win_rate: float | None  # of those deals
    mean_acv: float | None  # of those won
    band_win_rate: float | None  # history of accounts in the same bands: what the list can expect
    band_acv: float | None


@dataclass
class Alignment:
    functions: list[str]
    proposals: list[Proposal]
    matches: dict[str, list[Match]]
    overlap: np.ndarray  # shared accounts, functions x functions (diagonal: the list's distinct accounts)
    jaccard: np.ndarray
    rbo: np.ndarray  # NaN where either list has no ranks
    fit: list[FunctionFit]

    def consensus(self, k: int) -> list[Proposal]:
        return sorted((p for p in self.proposals if p.votes >= k), key=_by_votes_then_fit)

    def contested(self) -> list[Proposal]:
        return sorted((p for p in self.proposals if p.contested_because), key=_by_votes_then_fit)

    def orphans(self) -> list[Proposal]:
        return sorted((p for p in self.proposals if p.votes == 1), key=_by_votes_then_fit)

    def to_confirm(self) -> list[tuple[str, Match]]:
        return [(f, m) for f in self.functions for m in self.matches[f] if m.status == "confirm"]


def _by_votes_then_fit(p: Proposal) -> tuple:
    return (-p.votes, -(p.fit if p.fit is not None else -1), p.name.lower())


def rbo_ext(s: list, t: list, p: float = RBO_P) -> float:
    """Extrapolated rank-biased overlap of two rankings that may differ in length and content
    (Webber, Moffat & Zobel 2010, eq. 32): 1 for identical rankings, 0 for disjoint ones."""
    if not s or not t:
        return float("nan")
    short, long_ = (s, t) if len(s) <= len(t) else (t, s)
    sl, ll = len(short), len(long_)
    seen_s, seen_l, x = set(), set(), 0
    xs = []  # overlap at each depth 1..l
    for d in range(1, ll + 1):  # depth of the rankings (list entries), not accounts
        a = short[d - 1] if d <= sl else None
        b = long_[d - 1]
        seen_l.add(b)
        if a is not None:
            seen_s.add(a)
            x += a in seen_l
        x += b in seen_s and b != a  # a == b was counted once just above
        xs.append(x)
    xs_arr = np.array(xs, float)
    depth = np.arange(1, ll + 1, dtype=float)
    x_s, x_l = xs_arr[sl - 1], xs_arr[-1]
    total = np.sum(xs_arr / depth * p**depth)
    tail = depth[sl:]
    total += np.sum(x_s * (tail - sl) / (sl * tail) * p**tail)
    return float((1 - p) / p * total + ((x_l - x_s) / ll + x_s / sl) * p**ll)


def deal_accounts(deals: DealFrame, universe: Universe) -> np.ndarray:
    """Universe index of each deal's account (-1 where none): by id, else domain, else name."""
    deals.require("account_id", "account_name", "domain", what="account column (account id, account name or website)")
    f = deals.frame
    out = np.full(len(f), -1, np.int64)
    pos = universe.positions
    if "account_id" in f:
        out = pos.reindex(f["account_id"].astype(str).str.strip()).fillna(-1).to_numpy(np.int64, copy=True)  # written below
    if "domain" in f:
        miss = out < 0
        out[miss] = universe._by_domain.reindex(registrable_domains(f["domain"][miss].tolist())).fillna(-1).to_numpy(np.int64)
    if "account_name" in f:
        miss = out < 0
        out[miss] = universe._by_key.reindex(normalise_names(f["account_name"][miss].tolist())).fillna(-1).to_numpy(np.int64)
    return out


def align(lists: list[FunctionList], universe: Universe, *, scores: ScoreResult | None = None,
          deals: DealFrame | None = None, decisions: dict[str, str | None] | None = None) -> Alignment:
    functions = [fl.function for fl in lists]
    matches: dict[str, list[Match]] = {}
    props: dict[str, Proposal] = {}
    members: dict[str, list[str]] = {}  # function -> proposal keys in list order
    for fl in lists:
        ms = match_entries([e.text for e in fl.entries], universe, decisions=decisions,
                           domains=[e.website for e in fl.entries])
        matches[fl.function] = ms
        members[fl.function] = []
        for e, m in zip(fl.entries, ms):
            if m.account is not None and m.status == "matched":
                key, name = f"acc:{universe.ids[m.account]}", str(universe.names[m.account])
            else:
                key, name = f"new:{m.domain or m.key or e.text.lower()}", e.text
            p = props.setdefault(key, Proposal(key, m.account if m.status == "matched" else None, name))
            if fl.function not in p.ranks:
                p.ranks[fl.function] = e.rank
                p.typed[fl.function] = e.text
                p.reasons[fl.function] = e.reason
                members[fl.function].append(key)
    if scores is not None:
        _attach_scores(list(props.values()), scores)
    sizes = {fl.function: max(len(fl.entries), 1) for fl in lists}
    for p in props.values():
        _contest(p, sizes)
    nf = len(functions)
    overlap = np.zeros((nf, nf), np.int64)
    jac = np.zeros((nf, nf))
    rbo = np.full((nf, nf), np.nan)
    sets = [set(members[f]) for f in functions]
    def by_rank(f: str) -> list[str]:
        ranks = {k: r for k in members[f] if (r := props[k].ranks[f]) is not None}
        return sorted(ranks, key=ranks.__getitem__)  # stable: equal ranks keep the list's order

    ranked = {f: by_rank(f) for f in functions}
    for i in range(nf):
        for j in range(nf):
            shared = len(sets[i] & sets[j])
            union = len(sets[i] | sets[j])
            overlap[i, j] = shared
            jac[i, j] = shared / union if union else float("nan")
            if ranked[functions[i]] and ranked[functions[j]]:
                rbo[i, j] = rbo_ext(ranked[functions[i]], ranked[functions[j]])
    # the deals' accounts and the bands' history are the same for every list: work them out once
    deal_rows = history = None
    if deals is not None and len(deals) > 0:
        deal_rows = deal_accounts(deals, universe)
        history = band_history(deals, universe, scores, deal_rows) if scores is not None else None
    fits = [_function_fit(f, members[f], props, matches[f], scores, deals, deal_rows, history) for f in functions]
    return Alignment(functions, list(props.values()), matches, overlap, jac, rbo, fits)


def _attach_scores(proposals: list[Proposal], scores: ScoreResult) -> None:
    idx = np.array([p.account if p.account is not None else -1 for p in proposals], np.int64)
    anti_codes, anti_texts = scores.anti_persona_names()
    excl_codes, excl_texts = scores.exclusion_names()
    tier_codes, tiers, _ = scores.tiers()
    grades = scores.grades
    for p, i in zip(proposals, idx):
        if i < 0:
            continue
        p.fit = float(scores.fit[i]) if not np.isnan(scores.fit[i]) else None
        b = scores.band_of(int(i))
        p.band = b.label if b else ""
        p.tier = tiers[tier_codes[i]]
        p.grade, p.grade_rank = grades[int(i)], int(grades.code[i])
        p.anti_personas = anti_texts[anti_codes[i]]
        p.closer_to_anti = bool(scores.closer_to_anti[i])
        p.excluded = excl_texts[excl_codes[i]]


def _contest(p: Proposal, sizes: dict[str, int]) -> None:
    why = []
    if p.anti_personas:
        why.append(f"matches anti-persona {p.anti_personas}")
    elif p.closer_to_anti:
        why.append("closer to an anti-persona than to the ideal profile")
    if p.excluded:
        why.append(f"excluded: {p.excluded}")
    if p.band in ("Weak fit", "Poor fit"):
        why.append(f"{p.band.lower()} ({p.fit:g})")
    places = sorted((r / sizes[f], r, f) for f, r in p.ranks.items() if r is not None)
    if len(places) >= 2 and round(places[-1][0] - places[0][0], 9) >= RANK_GAP:  # 7/10 - 2/10 is 0.4999...
        (_, r1, f1), (_, r2, f2) = places[0], places[-1]
        why.append(f"ranked {r1} by {f1}, {r2} by {f2}")
    p.contested_because = why


def _function_fit(f: str, keys: list[str], props: dict[str, Proposal], matches: list[Match],
                  scores: ScoreResult | None, deals: DealFrame | None, deal_rows: np.ndarray | None,
                  history: pd.DataFrame | None) -> FunctionFit:
    ps = [props[k] for k in keys]
    scored = [p for p in ps if p.fit is not None]
    top = {b.label for b in scores.bands[:2]} if scores is not None else set()
    win_rate = mean_acv = band_win = band_acv = None
    closed = 0
    if history is not None and scores is not None:
        band_win, band_acv = _expected_by_band(ps, scores, history)
    if deal_rows is not None and deals is not None:
        accounts = {p.account for p in ps if p.account is not None}
        mine = np.isin(deal_rows, list(accounts)) if accounts else np.zeros(len(deal_rows), bool)
        outcome = deals.frame["outcome"].astype(object).to_numpy()
        won, lost = mine & (outcome == "won"), mine & (outcome == "lost")
        closed = int(won.sum() + lost.sum())
        if closed:
            win_rate = float(won.sum() / closed)
        if won.any() and "amount" in deals.frame:
            acv = deals.frame["amount"].to_numpy()[won]
            acv = acv[~np.isnan(acv)]
            mean_acv = float(acv.mean()) if len(acv) else None
    return FunctionFit(
        function=f,
        entries=len(matches),
        matched=sum(1 for p in ps if p.account is not None),
        scored=len(scored),
        mean_fit=float(np.mean([p.fit for p in scored])) if scored else None,
        top_bands=(sum(p.band in top for p in scored) / len(scored)) if scored else None,
        anti_persona=sum(1 for p in ps if p.anti_personas),
        excluded=sum(1 for p in ps if p.excluded),
        closed_deals=closed,
        win_rate=win_rate,
        mean_acv=mean_acv,
        band_win_rate=band_win,
        band_acv=band_acv,
    )


def band_history(deals: DealFrame, universe: Universe, scores: ScoreResult,
                 deal_rows: np.ndarray | None = None) -> pd.DataFrame:
    """Per band (index into ``scores.bands``): closed deals, win rate and mean won ACV.

    ``deal_rows`` is :func:`deal_accounts` of these deals when the caller has it already."""
    idx = deal_accounts(deals, universe) if deal_rows is None else deal_rows
    f = deals.frame
    band = np.where(idx >= 0, scores.band[np.maximum(idx, 0)], -1)
    outcome = f["outcome"].astype(object).to_numpy()
    amount = f["amount"].to_numpy(float) if "amount" in f else np.full(len(f), np.nan)
    closed = (band >= 0) & np.isin(outcome, ["won", "lost"])
    t = pd.DataFrame({"band": band[closed], "won": outcome[closed] == "won",
                      "acv": np.where(outcome[closed] == "won", amount[closed], np.nan)})
    return t.groupby("band").agg(deals=("won", "size"), win_rate=("won", "mean"), acv=("acv", "mean"))


def _expected_by_band(ps: list[Proposal], scores: ScoreResult, hist: pd.DataFrame) -> tuple[float | None, float | None]:
    bands = [int(scores.band[p.account]) for p in ps if p.account is not None and scores.band[p.account] >= 0]
    bands = [b for b in bands if b in hist.index]
    if not bands:
        return None, None
    rows = hist.loc[bands]
    acv = rows["acv"].dropna()
    return float(rows["win_rate"].mean()), (float(acv.mean()) if len(acv) else None)
