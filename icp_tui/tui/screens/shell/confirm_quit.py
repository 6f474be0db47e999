"""Asked on ctrl+q when something is not saved yet."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static


class ConfirmQuitScreen(ModalScreen[str]):
    """Dismissed with "quit" (without saving), "save" (save the scorecard edits, then quit) or "" (stay)."""

    HELP = """
    # Quit?

    Something is not saved yet (listed). With scorecard edits, s saves them and quits; y quits without
    saving (the edits are lost); n or Esc stays.
    """

    BINDINGS = [
        Binding("s", "answer('save')", "Save and quit"),
        Binding("y", "answer('quit')", "Quit"),
        Binding("n,escape", "answer('')", "Stay"),
    ]

    def __init__(self, unsaved: list[str], *, can_save: bool = False) -> None:
        super().__init__()
        self.unsaved = unsaved
        self.can_save = can_save  # the scorecard edits listed can be saved from here

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text("Save before quitting?" if self.can_save else "Quit without saving?", style="bold"))
            yield Static("\n".join(f"• {u}" for u in self.unsaved), id="confirm-list")
            with Horizontal(id="confirm-buttons"):
                if self.can_save:
                    yield Button("Save and quit (s)", variant="success", id="save")
                    yield Button("Discard and quit (y)", variant="error", id="quit")
                    yield Button("Cancel (n)", variant="primary", id="stay")
                else:
                    yield Button("Quit (y)", variant="error", id="quit")
                    yield Button("Stay (n)", variant="primary", id="stay")

    def on_mount(self) -> None:
        if self.can_save:  # three buttons: wider than the two of app.tcss, still inside 80 columns
            self.query_one("#confirm").styles.width = 72
        self.query_one("#stay").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss({"save": "save", "quit": "quit"}.get(event.button.id or "", ""))

    def action_answer(self, choice: str) -> None:
        if choice == "save" and not self.can_save:
            return
        self.dismiss(choice)
