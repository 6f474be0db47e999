"""The anti-persona proposed from the customer tiers, with what it matches: add it to the scorecard or not."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from icp_tui.engine.history.tier_antipersona import Proposal


def proposal_text(p: Proposal) -> Text:
    out = Text()
    out.append(f"{p.name}\n", style="bold")
    for c in p.conditions:
        out.append(f"  • {c}\n")
    out.append("\n")
    for line in p.lines():
        out.append(f"{line}\n", style="yellow" if line.startswith("note:") else "")
    out.append(f"\nReason: {p.reason}\n", style="dim")
    return out


class AntiPersonaScreen(ModalScreen[bool]):
    HELP = """
    # Proposed anti-persona

    A rule drawn from the customer tiers: what the least valuable won customers (Tier 3) have in
    common and the best (Tier 1) do not, with how many customers of each tier, won and lost deals
    and accounts it matches. y or Enter adds it to the scorecard's anti-personas (one edit: ctrl+z
    in the editor undoes it, ctrl+s saves it and the save is logged); Esc leaves the scorecard as it is.
    """

    DEFAULT_CSS = """
    AntiPersonaScreen { align: center middle; }
    #ap-box { width: 76; max-width: 95%; height: auto; max-height: 90%; border: thick $warning;
              background: $surface; padding: 0 1; }
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Add it"),
        Binding("n,escape", "answer(False)", "Cancel"),
    ]

    def __init__(self, proposal: Proposal) -> None:
        super().__init__()
        self.proposal = proposal

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="ap-box"):
            yield Static(Text("Anti-persona from the customer tiers", style="bold"))
            yield Static(proposal_text(self.proposal), id="ap-body")
            yield Static(Text("y or Enter adds it to the scorecard · Esc cancels", style="bold"))

    def on_mount(self) -> None:
        self.query_one("#ap-box").focus()

    def action_answer(self, add: bool) -> None:
        self.dismiss(add)
