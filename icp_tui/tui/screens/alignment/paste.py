"""Paste many companies at once (a spreadsheet column, one per line)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class PasteScreen(ModalScreen[str | None]):
    HELP = """
    # Paste companies

    Paste a column from a spreadsheet or type names, one company per line (a website works too).
    Ctrl+S adds them all to the list; Esc adds nothing.
    """

    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "done", "Add them", priority=True, tooltip="add every line as a company"),
    ]

    def __init__(self, function: str) -> None:
        super().__init__()
        self.function = function

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static(Text(f"Paste companies into the {self.function} list", style="bold"))
            yield Static(Text("One per line (names, websites or e-mail addresses). Ctrl+S adds them, Escape cancels.",
                              style="dim"))
            yield TextArea(id="paste-area", soft_wrap=True)

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_blink = False
        area.focus()

    def action_done(self) -> None:
        self.dismiss(self.query_one(TextArea).text)
