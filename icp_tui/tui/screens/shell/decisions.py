"""Decisions: the workshop's decision log, in order (the agenda's Decisions step)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.log import read_log
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.tui.widgets.step_bar import StepBar


class DecisionsScreen(Screen):
    HELP = """
    # Decisions

    What the room decided, in the order it happened: each TAL decision (include, exclude, park, with
    its reason) and its undo, each change of the TAL rule, each confirmed match and each scorecard save
    with its edits. The list is the workshop's log.toml; the report ends with it.
    """

    DEFAULT_CSS = "#dc-summary, #dc-where { padding: 0 1; }"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back")]

    def __init__(self, workshop: Workshop) -> None:
        super().__init__()
        self.workshop = workshop

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepBar()
        yield Static(id="dc-summary")
        yield DataTable(id="dc-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Decisions · {self.workshop.name}"
        table = self.query_one(DataTable)
        table.add_columns("Time (UTC)", "What", "Decision")
        try:
            entries = read_log(self.workshop.root)
        except IcpError as e:
            self.query_one("#dc-summary", Static).update(Text(f"The decision log cannot be read: {e}", style="bold red"))
            return
        for e in entries:
            table.add_row(f"{e.time:%H:%M}", e.kind, e.text)
        said = (f"{len(entries)} decision{'s' if len(entries) != 1 else ''} logged" if entries else
                "Nothing decided yet: TAL decisions, confirmed matches and scorecard saves appear here.")
        self.query_one("#dc-summary", Static).update(Text(said, style="bold"))
        table.focus()
