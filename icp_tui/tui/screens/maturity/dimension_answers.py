"""Drill-down: each respondent's answers and notes on one dimension."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from icp_tui.engine.maturity.assessment import Comparison
from icp_tui.engine.maturity.questionnaire import DONT_KNOW
from icp_tui.engine.maturity.report import labels
from icp_tui.tui.widgets.levels import level_cell


class DimensionAnswers(ModalScreen[None]):
    HELP = """
    # Answers on one dimension

    Each leader's answer and note on every question of the dimension, to see where and why they
    disagree.
    """

    BINDINGS = [Binding("escape,enter,q", "app.pop_screen", "Close")]

    def __init__(self, comparison: Comparison, dimension_id: str, names: bool = True) -> None:
        super().__init__()
        self.cmp, self.did = comparison, dimension_id
        self.labels = labels(comparison.results, names)

    def compose(self) -> ComposeResult:
        d = self.cmp.questionnaire.dimension(self.did)
        with VerticalScroll(id="answers"):
            yield Static(Text(d.name, style="bold"))
            yield Static(Text(d.description, style="italic"))
            for q in d.questions:
                table = Table(title=q.text, title_justify="left", title_style="bold", show_header=False,
                              box=None, padding=(0, 1), expand=True)
                table.add_column(no_wrap=True)
                table.add_column(width=3)
                table.add_column(ratio=1)
                for label, res in zip(self.labels, self.cmp.results):
                    a = res.response.answers.get(q.id)
                    text = q.answer_text(a) if a is not None else "(no answer)"
                    table.add_row(label, level_cell(a if a not in (None, DONT_KNOW) else None), text)
                yield Static(table, classes="answer-table")
            notes = Text()
            for label, res in zip(self.labels, self.cmp.results):
                note = res.response.notes.get(self.did, "").strip()
                if note:
                    notes.append(f"{label}: ", style="bold")
                    notes.append(note + "\n")
            if notes:
                yield Static(Text("Notes", style="bold") + Text("\n") + notes, id="answers-notes")

    def on_mount(self) -> None:
        self.query_one("#answers").focus()
