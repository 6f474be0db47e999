"""A long text in its own screen: a diff of the scorecard, a report. Escape closes it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

DIFF_STYLES = (("+++", "bold"), ("---", "bold"), ("@@", "cyan"), ("+", "green"), ("-", "red"))


def diff_text(diff: str) -> Text:
    out = Text()
    for line in diff.splitlines():
        style = next((s for prefix, s in DIFF_STYLES if line.startswith(prefix)), "")
        out.append(line + "\n", style=style)
    return out


class TextScreen(ModalScreen[None]):
    HELP = """
    # Text

    A longer text: a report or the changes against the saved file. Scroll with the arrows and PgUp /
    PgDn; Esc closes it.
    """

    BINDINGS = [Binding("escape,q", "dismiss(None)", "Close")]

    def __init__(self, title: str, body: str, *, diff: bool = False) -> None:
        super().__init__()
        self.title_text, self.body, self.diff = title, body, diff

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="text-view"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text("Escape closes", style="dim"))
            yield Static(diff_text(self.body) if self.diff else Text(self.body), id="text-body")

    def on_mount(self) -> None:
        self.query_one("#text-view").focus()
