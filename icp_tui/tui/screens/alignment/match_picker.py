"""Which account is it? The accounts a suggested match (?) could be, to choose from, or a new account."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

NEW = "new"


class MatchPicker(ModalScreen[str | None]):
    """Dismissed with the chosen account's universe index (as text), "new", or None (Esc: nothing changes)."""

    HELP = """
    # Which account is it?

    The list entry could be one of these accounts (the most likely first, with how similar the names
    are, and its domain and fit). Choose the one it is with Enter, or the last line to keep it as a new
    account. The choice is remembered for every list in the workshop.
    """

    HELP_KEYS = [("Enter", "this account (or a new one)")]
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, entry: str, choices: list[tuple[int, str, str]]) -> None:
        """``choices``: (universe index, account name, what else to say: score, domain, fit)."""
        super().__init__()
        self.entry, self.choices = entry, choices

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text.assemble(("Which account is ", "bold"), (f"'{self.entry}'", "bold yellow"), ("?", "bold")),
                         id="picker-title")
            options = [Option(Text.assemble((name, "bold"), "\n  ", (what, "dim")), id=str(i)) for i, name, what in self.choices]
            options.append(Option(Text("none of these: keep it as a new account", style="italic"), id=NEW))
            yield OptionList(*options, id="picker-options")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
