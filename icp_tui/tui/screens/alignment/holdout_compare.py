"""Targeted against control on a later deal file: the figures the engine worked out, in a dialog."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from icp_tui.engine.alignment.holdout_compare import HoldoutComparison


def styled(body: str) -> Text:
    """The comparison text with its heading row bold and its cautions in yellow."""
    out = Text()
    caution = False
    for n, line in enumerate(body.splitlines()):
        caution = line.startswith("Caution:") or (caution and line.startswith("  "))
        style = "bold yellow" if caution else "bold" if n == 2 else ""
        out.append(line + "\n", style=style)
    return out


class HoldoutCompareScreen(ModalScreen[None]):
    HELP = """
    # Hold-out: targeted against control

    The deals of a later deal file, joined to the TAL's accounts by id, website or name, and counted
    from the day the hold-out was set: per group, the accounts, those with a deal, the deals, the
    pipeline (every deal's amount), the won deals, the win rate of the closed ones and the won
    amount. The lift compares the groups per account, since the control is the smaller group. With
    few accounts or closed deals a caution says the difference may be chance. Esc closes.
    """

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]
    DEFAULT_CSS = """
    HoldoutCompareScreen { align: center middle; }
    #hc { width: 84; max-width: 100%; height: auto; max-height: 100%; border: thick $primary; background: $surface;
          padding: 0 1; }
    """

    def __init__(self, source: str, comparison: HoldoutComparison, body: str) -> None:
        super().__init__()
        self.source, self.comparison, self.body = source, comparison, body

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="hc"):
            yield Static(Text(f"Targeted against control · {self.source}", style="bold"))
            yield Static(styled(self.body), id="hc-body")
            yield Static(Text("Escape closes", style="dim"))
