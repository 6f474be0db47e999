"""Asked on ctrl+q when something is not saved yet."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmQuitScreen(ModalScreen[bool]):
    HELP = """
    # Quit?

    Something is not saved yet (listed). Quit anyway with y; stay with n or Esc and save it first.
    """

    BINDINGS = [
        Binding("y", "answer(True)", "Quit"),
        Binding("n,escape", "answer(False)", "Stay"),
    ]

    def __init__(self, unsaved: list[str]) -> None:
        super().__init__()
        self.unsaved = unsaved

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text("Quit without saving?", style="bold"))
            yield Static("\n".join(f"• {u}" for u in self.unsaved), id="confirm-list")
            with Horizontal(id="confirm-buttons"):
                yield Button("Quit (y)", variant="error", id="quit")
                yield Button("Stay (n)", variant="primary", id="stay")

    def on_mount(self) -> None:
        self.query_one("#stay").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "quit")

    def action_answer(self, quit_anyway: bool) -> None:
        self.dismiss(quit_anyway)
