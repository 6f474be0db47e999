"""Ask for one line of text: a note on a dimension, the reason for a decision, a file path."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class PromptScreen(ModalScreen[str | None]):
    HELP = """
    # One line

    Type the text and press Enter; Esc cancels.
    """

    HELP_KEYS = [("Enter", "keep the text")]
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "", hint: str = "Enter keeps it, Escape cancels.") -> None:
        super().__init__()
        self.title_text, self.value, self.placeholder, self.hint = title, value, placeholder, hint

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(Text(self.hint, style="dim"))
            yield Input(self.value, placeholder=self.placeholder, id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
