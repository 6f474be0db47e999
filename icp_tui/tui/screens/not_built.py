"""The screen of a workbench that is not built yet: says so plainly, and what it will do."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from icp_tui.engine.workshop import Workshop
from icp_tui.tui.workbenches import WorkbenchInfo


class NotBuiltScreen(Screen):
    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("h", "app.home", "Home", show=False)]

    def __init__(self, info: WorkbenchInfo, workshop: Workshop) -> None:
        super().__init__(name=info.key)
        self.info = info
        self.workshop = workshop

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="not-built"):
            yield Static(Text(f"{self.info.number}  {self.info.title} workbench", style="bold"), id="nb-title")
            yield Static(Text(self.info.question, style="italic"), id="nb-question")
            yield Static(Text("This workbench is not built yet.", style="bold"), id="nb-status")
            yield Static(self.info.summary, id="nb-summary")
            yield Static(Text("Press Escape to go back to the workshop.", style="dim"), id="nb-back")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.info.title} · {self.workshop.name}"
