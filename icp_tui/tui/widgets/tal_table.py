"""The TAL tab's table: its columns, one row of cells per account, and the orders it can be shown in.

The grade (fit letter x timing digit, from the engine) sits next to the fit score; the band comes after
the status, since at 80 columns the grade letter and the tier already say it.
"""

from __future__ import annotations

from rich.text import Text

from icp_tui.engine.alignment.tal import ORDERS, TalRow

TAL_HEADS = ("Account", "Votes", "Fit", "Grade", "Tier", "Status", "Band", "Why")
ORDER_NOTE = {"votes": "most votes first", "grade": "by grade (A1 first), then fit"}


def why(r: TalRow) -> str:
    """The decision's reason, else why the account is contested, else the tier note."""
    return r.decision.reason if r.decision else ("; ".join(r.proposal.contested_because) or r.note)


def tal_cells(r: TalRow, status_style: dict[str, str]) -> tuple:
    p = r.proposal
    return (p.name, str(p.votes), "–" if p.fit is None else f"{p.fit:.0f}", Text(r.grade or "–", style="bold"),
            r.tier or "–", Text(r.status, style=status_style[r.status]), p.band, why(r))


def next_order(order: str) -> str:
    """The other order (votes -> grade -> votes)."""
    return ORDERS[(ORDERS.index(order) + 1) % len(ORDERS)] if order in ORDERS else ORDERS[0]


def tal_detail(r: TalRow, status_style: dict[str, str]) -> Text:
    """Under the table, the highlighted account in full: grade and band, status, who proposed it and why."""
    p = r.proposal
    text = Text()
    text.append(p.name, style="bold")
    if r.grade:
        text.append(f" · {r.grade}", style="bold")
        text.append(f" {p.band}" if p.band else "")
    text.append(f" · {r.status}", style=status_style[r.status])
    text.append(f" · proposed by {', '.join(p.ranks) or 'no function'}")
    if why(r):
        text.append(f" · {why(r)}", style="bold")
    text.append("\n")
    return text
