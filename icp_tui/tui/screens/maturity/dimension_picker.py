"""Jump to a dimension of the questionnaire."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from icp_tui.engine.maturity.assessment import Response
from icp_tui.engine.maturity.questionnaire import Questionnaire


class DimensionPicker(ModalScreen[str | None]):
    HELP = """
    # Dimensions

    Jump to the first question of a dimension: arrows and Enter; Esc stays where you were.
    """

    HELP_KEYS = [("Enter", "go to the highlighted dimension")]
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, q: Questionnaire, response: Response) -> None:
        super().__init__()
        self.q, self.response = q, response

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("Jump to a dimension", style="bold"))
            options = []
            for i, d in enumerate(self.q.dimensions, 1):
                done = sum(1 for x in d.questions if x.id in self.response.answers)
                options.append(Option(f"{i:>2}. {d.name}  ({done}/{len(d.questions)})", id=d.id))
            yield OptionList(*options, id="picker-list")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
