"""Targeted against control: what a later deal file says about the TAL's hold-out (seed 002).

Each deal is joined to its account as everywhere else (:func:`overlap.deal_accounts`: id, then
website, then normalised name; a company the room added by hand, not in the accounts file, by its
website or name key). Only deals created on or after the hold-out's date count (without a date:
every deal, said as a caution). Per group: accounts, accounts with such a deal, the deals, the
pipeline (amounts of every one of them, open, won or lost), won deals, win rate of the closed ones
and the won amount; then the lift, per account, since the groups differ in size. Groups this small
can differ by chance: under ``MIN_ACCOUNTS`` accounts or ``MIN_CLOSED`` closed deals a caution says so.
"""

from __future__ import annotations

import textwrap
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from icp_tui.engine.alignment.holdout import CONTROL, Holdout
from icp_tui.engine.alignment.matching import Universe
from icp_tui.engine.alignment.names import normalise_names, registrable_domains
from icp_tui.engine.alignment.overlap import deal_accounts
from icp_tui.engine.alignment.tal import Tal
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.markdown import md_text
from icp_tui.engine.history.analysis import MIN_CLOSED
from icp_tui.engine.history.analysis_report import money
from icp_tui.engine.history.deals import DealFrame

MIN_ACCOUNTS = 30  # per group, below which a difference is likely chance


@dataclass(frozen=True)
class GroupFigures:
    name: str  # "Targeted" or "Control"
    accounts: int
    with_deal: int  # accounts with a deal created since
    deals: int
    pipeline: float | None  # None: the file has no amounts
    won: int
    lost: int
    won_amount: float | None

    @property
    def closed(self) -> int:
        return self.won + self.lost

    @property
    def win_rate(self) -> float | None:
        return self.won / self.closed if self.closed else None

    @property
    def deal_share(self) -> float | None:
        return self.with_deal / self.accounts if self.accounts else None

    def per_account(self, total: float | None) -> float | None:
        return None if total is None or not self.accounts else total / self.accounts


@dataclass
class HoldoutComparison:
    holdout: Holdout
    since: date | None
    target: GroupFigures
    control: GroupFigures
    read: int  # deals in the file with an outcome
    before: int  # created before the date: left out
    undated: int  # no created date (left out when there is a date)
    off_list: int  # on an account that is not on the TAL
    unknown: int  # on no account of the universe nor on the TAL
    cautions: list[str] = field(default_factory=list)

    def lifts(self) -> dict[str, str]:
        """The lift of the targeted accounts over the control: share with a deal and win rate in points,
        pipeline and won amount per account in percent ("–" where a side has nothing to compare)."""
        t, c = self.target, self.control
        return {"with_deal": _points(t.deal_share, c.deal_share), "win_rate": _points(t.win_rate, c.win_rate),
                "pipeline": _relative(t.per_account(t.pipeline), c.per_account(c.pipeline)),
                "won_amount": _relative(t.per_account(t.won_amount), c.per_account(c.won_amount))}


def groups_by_tier(tal: Tal) -> list[tuple[str, int, int]]:
    """(tier, targeted, control) per tier of the members, in the tiers' order."""
    from icp_tui.engine.workshop.report import tier_counts

    control = Counter(r.tier or "Unscored" for r in tal.members if r.group == CONTROL)
    return [(tier, n - control[tier], control[tier]) for tier, n in tier_counts(tal)]


def holdout_summary(tal: Tal) -> str:
    """One paragraph for the report: the share, the seed and date, and the two groups ("" without a hold-out)."""
    h = tal.holdout
    if h is None:
        return ""
    n = tal.counts_by_group()
    since = f", since {h.since.isoformat()}" if h.since else ""
    per_tier = ", ".join(f"{md_text(t)} {c}" for t, _, c in groups_by_tier(tal) if c)  # tiers: the scorecard's words
    return (f"**Hold-out:** {h.share:.0%} of the list is kept as a control group (seed {h.seed}{since}): "
            f"{n['target']:,} targeted, {n['control']:,} control" + (f" ({per_tier})" if per_tier else "") +
            ". The control accounts keep the current motion; a later deal file compares the two groups "
            "(`icp holdout compare`).")


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _points(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None else f"{(a - b) * 100:+.0f} pts"


def _relative(a: float | None, b: float | None) -> str:
    return "–" if a is None or b is None or b == 0 else f"{a / b - 1:+.0%}"


def _member_of_deal(tal: Tal, deals: DealFrame, universe: Universe) -> tuple[np.ndarray, np.ndarray]:
    """For each deal, the position of its account among the TAL's members (-1: not on the list), and its
    account in the universe (-1: none)."""
    members = tal.members
    rows = deal_accounts(deals, universe)
    by_index = pd.Series({r.proposal.account: i for i, r in enumerate(members) if r.proposal.account is not None},
                         dtype=np.int64)
    out = by_index.reindex(rows).fillna(-1).to_numpy(np.int64)
    by_key = pd.Series({r.proposal.key: i for i, r in enumerate(members) if r.proposal.account is None}, dtype=np.int64)
    f = deals.frame
    for col, norm in (("domain", registrable_domains), ("account_name", normalise_names)):
        miss = (out < 0) & (rows < 0)  # added by hand: not in the accounts file, keyed by website or name
        if col in f and len(by_key) and miss.any():
            keys = pd.Series(norm(f[col][miss].fillna("").astype(str).tolist()), dtype=object)
            out[miss] = by_key.reindex("new:" + keys).fillna(-1).to_numpy(np.int64)
    return out, rows


def compare_holdout(tal: Tal, deals: DealFrame, universe: Universe, since: date | None = None) -> HoldoutComparison:
    """Targeted and control groups of ``tal`` on the deals created since the hold-out's date (or ``since``)."""
    if tal.holdout is None:
        raise IcpError("the TAL has no hold-out to compare: set one first (h on the TAL tab, or icp holdout set)")
    deals.require("stage", what="stage or outcome column (e.g. 'Stage' with 'Closed Won', 'Closed Lost')")
    since = since or tal.holdout.since
    f = deals.frame
    outcome = f["outcome"].astype(object).to_numpy() if "outcome" in f else np.full(len(f), None, object)
    known = pd.notna(outcome)
    cautions: list[str] = []
    counted = known.copy()
    before = undated = 0
    if since is not None and "created" in f:
        created = pd.to_datetime(f["created"]).to_numpy()
        dated = ~pd.isna(created)
        early = dated & (created < np.datetime64(since, "ns"))
        before, undated = int((known & early).sum()), int((known & ~dated).sum())
        counted &= dated & ~early
    elif since is not None:
        cautions.append("the deal file has no created date: every deal is counted, also those from before the hold-out")
    member, rows = _member_of_deal(tal, deals, universe)
    is_control = np.array([r.group == CONTROL for r in tal.members], bool)
    amount = f["amount"].to_numpy(np.float64) if "amount" in f else None
    on = counted & (member >= 0)
    group_of_deal = np.where(on, is_control[np.clip(member, 0, None)] if len(is_control) else False, False)

    def figures(name: str, control: bool) -> GroupFigures:
        sel = on & (group_of_deal == control)
        accounts = int((is_control == control).sum())
        won = sel & (outcome == "won")
        pipeline = won_amount = None
        if amount is not None:
            pipeline, won_amount = float(np.nansum(amount[sel])), float(np.nansum(amount[won]))
        return GroupFigures(name, accounts, int(np.unique(member[sel]).size), int(sel.sum()), pipeline,
                            int(won.sum()), int((sel & (outcome == "lost")).sum()), won_amount)

    target, control = figures("Targeted", False), figures("Control", True)
    off = counted & (member < 0)
    for g in (target, control):
        if g.accounts < MIN_ACCOUNTS:
            cautions.append(f"{g.name.lower()} group: {g.accounts} accounts, under {MIN_ACCOUNTS}: "
                            "a difference may be chance")
        elif g.closed < MIN_CLOSED:
            cautions.append(f"{g.name.lower()} group: {g.closed} closed deal{'' if g.closed == 1 else 's'}, under {MIN_CLOSED}: "
                            "its win rate may be chance")
    return HoldoutComparison(tal.holdout, since, target, control, int(known.sum()), before, undated,
                             int((off & (rows >= 0)).sum()), int((off & (rows < 0)).sum()), cautions)


def comparison_text(c: HoldoutComparison) -> str:
    """The comparison as plain text within 80 columns (the CLI's output and the app's screen)."""
    since = f"deals created from {c.since.isoformat()}" if c.since else "every deal in the file"
    t, k, lift = c.target, c.control, c.lifts()

    def rate(g: GroupFigures) -> str:
        return "–" if g.win_rate is None else f"{g.win_rate:.0%} ({g.won}/{g.closed})"

    def each(g: GroupFigures, total: float | None) -> str:
        return money(g.per_account(total))

    rows = [("Accounts", f"{t.accounts:,}", f"{k.accounts:,}", ""),
            ("  with a deal", f"{t.with_deal:,} ({_pct(t.deal_share)})", f"{k.with_deal:,} ({_pct(k.deal_share)})",
             lift["with_deal"]),
            ("Deals", f"{t.deals:,}", f"{k.deals:,}", ""),
            ("Pipeline (every deal)", money(t.pipeline), money(k.pipeline), ""),
            ("  per account", each(t, t.pipeline), each(k, k.pipeline), lift["pipeline"]),
            ("Won deals", f"{t.won:,}", f"{k.won:,}", ""),
            ("  win rate of closed", rate(t), rate(k), lift["win_rate"]),
            ("Won amount", money(t.won_amount), money(k.won_amount), ""),
            ("  per account", each(t, t.won_amount), each(k, k.won_amount), lift["won_amount"])]
    out = [f"{c.holdout.share:.0%} held out as control (seed {c.holdout.seed}); {since}", "",
           f"{'':<22}{'Targeted':>16}{'Control':>16}{'Lift':>10}"]
    out += [f"{a:<22}{b:>16}{x:>16}{d:>10}" for a, b, x, d in rows]
    out.append("")
    left = []
    if c.before:
        left.append(f"{c.before:,} created before {c.since.isoformat() if c.since else ''}")
    if c.undated:
        left.append(f"{c.undated:,} with no created date")
    if c.off_list:
        left.append(f"{c.off_list:,} on accounts off the TAL")
    if c.unknown:
        left.append(f"{c.unknown:,} on accounts not found")
    said = f"{c.read:,} deal{'' if c.read == 1 else 's'} read" + (f"; left out: {', '.join(left)}" if left else "") + "."
    out += textwrap.wrap(said, 72, subsequent_indent="  ")
    for x in c.cautions:
        out += textwrap.wrap(f"Caution: {x}.", 72, subsequent_indent="  ")
    return "\n".join(out) + "\n"
