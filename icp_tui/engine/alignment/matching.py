"""Matching the companies on function lists to the workshop's accounts (the account universe).

In order: a confirmed or rejected decision remembered from earlier; the same registrable domain;
the same normalised name; then a similar name (rapidfuzz ``token_sort_ratio``, compared only with
accounts that share the first word or the first two letters): at or above ``high`` it is
accepted, between ``low`` and ``high`` it needs confirmation, below ``low`` the company is a new
account. Nothing is dropped: every entry ends as matched, to confirm, or new.

When the accounts have no websites (an accounts file without a domain column), an entry's website
(typed as the entry, or in the list's Website column) cannot be compared: the name its domain spells
is compared with the account names instead ("acme-robotics.com" and "acmerobotics.com" find "Acme
Robotics"): the same name key, then the same key without spaces, then a similar name as above. An
entry with both a name and a website is matched by its name first; its website's name is tried
when the name finds no account with the same name.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd
from rapidfuzz import fuzz, process

from icp_tui.engine.alignment.names import looks_like_address, normalise_names, registrable_domains, website_names

HIGH = 92.0
LOW = 80.0


@dataclass(frozen=True, eq=False)
class Universe:
    """The accounts entries are matched against, with lookups by domain and by name key."""

    ids: np.ndarray  # account ids (object)
    names: np.ndarray  # names as written
    keys: np.ndarray  # normalised names
    domains: np.ndarray
    _by_domain: pd.Series
    _by_key: pd.Series
    _blocks: dict[str, np.ndarray]
    same_key: dict[str, int]  # name keys that several accounts share, and how many
    _by_glued: pd.Series  # name key without spaces ("acmerobotics") -> the first account
    same_glued: dict[str, int]  # keys without spaces that several accounts share

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def has_domains(self) -> bool:
        """Does any account have a website? Without, entries' websites are compared by the name they spell."""
        return len(self._by_domain) > 0

    @cached_property
    def positions(self) -> pd.Series:
        """Account id -> index (the first account when an id repeats)."""
        s = pd.Series(np.arange(len(self.ids)), index=self.ids)
        return s[~s.index.duplicated()]

    @classmethod
    def build(cls, ids, names, domains) -> Universe:
        ids = np.asarray(ids, dtype=object)
        names = np.asarray(names, dtype=object)
        keys = normalise_names(names)
        doms = registrable_domains(domains)
        index = np.arange(len(ids))

        def lookup(values: np.ndarray) -> pd.Series:
            s = pd.Series(index, index=values)
            s = s[s.index != ""]
            return s[~s.index.duplicated(keep="first")]

        firsts = pd.Series(keys).str.split(" ", n=1).str[0]
        prefixes = pd.Series(keys).str[:2]
        blocks: dict[str, np.ndarray] = {}
        for label, series in (("w:", firsts), ("p:", prefixes)):
            for block, idx in series.groupby(series).indices.items():
                if block:
                    blocks[label + block] = idx
        def shared(values: np.ndarray) -> dict[str, int]:
            counts = pd.Series(values[values != ""]).value_counts()
            return {str(k): int(v) for k, v in counts[counts > 1].items()}

        glued = pd.Series(keys, dtype=object).str.replace(" ", "", regex=False).to_numpy(object)
        return cls(ids, names, keys, doms, lookup(doms), lookup(keys), blocks, shared(keys), lookup(glued), shared(glued))

    def candidates(self, key: str) -> np.ndarray:
        first = key.split(" ", 1)[0]
        parts = [p for p in (self._blocks.get("w:" + first), self._blocks.get("p:" + key[:2])) if p is not None]
        return np.unique(np.concatenate(parts)) if parts else np.zeros(0, np.int64)


@dataclass(frozen=True)
class Match:
    entry: str  # as written on the list
    key: str  # normalised name ("" for an address)
    domain: str
    account: int | None  # index into the universe; None for a new account
    status: str  # "matched", "confirm" or "new"
    method: str  # "decision", "domain", "name", "fuzzy", "website", "website_fuzzy" or "none"
    score: float
    reason: str


def decision_key(entry: str) -> str:
    """How a remembered decision is keyed: the registrable domain of an address, else the name key."""
    return (registrable_domains([entry])[0] or normalise_names([entry])[0]) if entry else ""


def match_entries(entries: list[str], universe: Universe, *, high: float = HIGH, low: float = LOW,
                  decisions: dict[str, str | None] | None = None, domains: list[str] | None = None) -> list[Match]:
    """Match list entries (names, domains, URLs or e-mail addresses) to the universe.

    ``domains`` optionally gives a website per entry (a list's Website column). ``decisions`` maps
    a :func:`decision_key` to an account id (confirmed) or None (rejected: a new account).
    """
    n = len(entries)
    is_address = looks_like_address(entries)
    keys = np.where(is_address, "", normalise_names(entries))
    own = registrable_domains(entries)
    given = registrable_domains(domains) if domains is not None else np.full(n, "", dtype=object)
    doms = np.where(own != "", own, given)
    by_dom = universe._by_domain.reindex(doms).to_numpy()
    by_key = universe._by_key.reindex(keys).to_numpy()
    # without websites in the universe, a website is compared by the name it spells
    by_site = len(universe) > 0 and not universe.has_domains
    site_keys = website_names(doms) if by_site else np.full(n, "", dtype=object)
    glued = pd.Series(site_keys, dtype=object).str.replace(" ", "", regex=False).to_numpy(object)
    by_site_key = universe._by_key.reindex(site_keys).to_numpy()
    by_glued = universe._by_glued.reindex(glued).to_numpy()
    id_pos = universe.positions
    decisions = decisions or {}
    out: list[Match] = []
    for i, entry in enumerate(entries):  # per list entry (thousands), not per account
        key, dom, skey = keys[i], doms[i], site_keys[i]
        dkey = dom if own[i] else key
        if dkey in decisions:
            acc_id = decisions[dkey]
            if acc_id is None:
                out.append(Match(entry, key, dom, None, "new", "decision", 0.0, "kept as a new account (decided earlier)"))
                continue
            if acc_id in id_pos.index:
                out.append(Match(entry, key, dom, int(id_pos[acc_id]), "matched", "decision", 100.0,
                                 f"confirmed earlier as {acc_id}"))
                continue
        if dom and not np.isnan(by_dom[i]):
            out.append(Match(entry, key, dom, int(by_dom[i]), "matched", "domain", 100.0, f"same domain {dom}"))
            continue
        if key and not np.isnan(by_key[i]):
            twins = universe.same_key.get(key, 1)
            out.append(_same(entry, key, dom, int(by_key[i]), twins, "name",
                             f"same name '{key}'" + (f" as {twins} accounts" if twins > 1 else "")))
            continue
        if skey and not np.isnan(by_site_key[i]):
            twins = universe.same_key.get(skey, 1)
            out.append(_same(entry, key, dom, int(by_site_key[i]), twins, "website",
                             f"name from website '{dom}'" + (f" shared by {twins} accounts" if twins > 1 else "")))
            continue
        if skey and not np.isnan(by_glued[i]):
            twins = universe.same_glued.get(glued[i], 1)
            out.append(_same(entry, key, dom, int(by_glued[i]), twins, "website",
                             f"name from website '{dom}' (spaces ignored)" + (f" shared by {twins} accounts" if twins > 1 else "")))
            continue
        found = _similar(entry, key, key, dom, universe, high, low, "fuzzy", "similar name") if key else None
        if found is None and skey:
            found = _similar(entry, key, skey, dom, universe, high, low, "website_fuzzy", f"similar name from website '{dom}':")
        if found is not None:
            out.append(found)
        elif skey and not key:
            out.append(Match(entry, key, dom, None, "new", "none", 0.0,
                             f"new account: no account name like '{skey}' (from website '{dom}')"))
        else:
            why = "no account with this domain" if dom and not key else "no similar account name"
            out.append(Match(entry, key, dom, None, "new", "none", 0.0, f"new account: {why}"))
    return out


def _same(entry: str, key: str, dom: str, account: int, twins: int, method: str, reason: str) -> Match:
    """An exact match; a name that several accounts share is to confirm (the room picks; the first is suggested)."""
    if twins > 1:
        return Match(entry, key, dom, account, "confirm", method, 100.0, f"{reason}; check which one")
    return Match(entry, key, dom, account, "matched", method, 100.0, reason)


def _similar(entry: str, key: str, query: str, dom: str, universe: Universe, high: float, low: float, method: str,
             said: str) -> Match | None:
    """The account name most similar to ``query`` at or above ``low`` (among accounts sharing its first
    word or first two letters), or None."""
    cands = universe.candidates(query)
    if not len(cands):
        return None
    best = process.extractOne(query, universe.keys[cands], scorer=fuzz.token_sort_ratio, score_cutoff=low)
    if best is None:
        return None
    text, score, pos = best
    status = "matched" if score >= high else "confirm"
    shown = f"{score:.0f}" if float(score).is_integer() else f"{score:.1f}"
    return Match(entry, key, dom, int(cands[pos]), status, method, float(score), f"{said} '{query}' ~ '{text}' ({shown})")


def choices_for(match: Match, universe: Universe, k: int = 6) -> list[tuple[int, float]]:
    """Accounts an entry to confirm could be, most likely first, as (universe index, score): every account sharing
    its exact name key when several do, else the most similar names (token sort ratio 60+, among the accounts that
    share its first word or first two letters). The suggested account comes first."""
    query = match.key or (website_names([match.domain])[0] if match.domain else "")
    out: list[tuple[int, float]] = []
    if query and universe.same_key.get(query, 1) > 1:
        out = [(int(i), 100.0) for i in np.flatnonzero(universe.keys == query)]
    elif query:
        cands = universe.candidates(query)
        if len(cands):
            found = process.extract(query, universe.keys[cands], scorer=fuzz.token_sort_ratio, limit=k, score_cutoff=60)
            out = [(int(cands[pos]), float(score)) for _, score, pos in found]
    if match.account is not None:
        out = [(match.account, match.score)] + [c for c in out if c[0] != match.account]
    return out[:k]


def repeats(matches: list[Match]) -> list[int | None]:
    """For each entry of one list, the earlier row it repeats (the same account, or for a new company the same
    name key or domain), else None: "Acme Inc." pasted under "acme.com" is one account proposed twice."""
    first: dict[object, int] = {}
    out: list[int | None] = []
    for row, m in enumerate(matches):
        key: object = ("acc", m.account) if m.account is not None else ("new", decision_key(m.entry))
        if key == ("new", ""):
            out.append(None)
            continue
        out.append(first.get(key))
        first.setdefault(key, row)
    return out
