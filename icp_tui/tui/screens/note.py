"""A free-text note on one dimension of a self-assessment."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static


class NoteScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, dimension_name: str, text: str) -> None:
        super().__init__()
        self.dimension_name, self.text = dimension_name, text

    def compose(self) -> ComposeResult:
        with Vertical(id="note"):
            yield Static(Text(f"Note on {self.dimension_name}", style="bold"))
            yield Static(Text("Enter keeps it, Escape cancels.", style="dim"))
            yield Input(self.text, placeholder="What should the facilitator know?", id="note-input")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)
