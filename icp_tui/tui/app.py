"""The Textual app: a shell with a home screen that leads to the three workbenches."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding

from icp_tui.engine.workshop.manifest import Workshop, remember
from icp_tui.tui.commands import WorkbenchCommands
from icp_tui.tui.screens.shell.confirm_quit import ConfirmQuitScreen
from icp_tui.tui.screens.shell.help import HelpScreen
from icp_tui.tui.screens.shell.home import HomeScreen
from icp_tui.tui.workbenches import WORKBENCHES, open_workbench


class IcpApp(App):
    """icp: Maturity, Alignment and Scorecard workbenches over one workshop folder."""

    CSS_PATH = "app.tcss"
    TITLE = "icp"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help"),
        Binding("ctrl+t", "change_theme", "Theme", show=False),
    ]

    def __init__(self, workshop: Workshop, *, remember_workshop: bool = True) -> None:
        super().__init__()
        self.workshop = workshop
        self.remember_workshop = remember_workshop
        self.unsaved: dict[str, str] = {}  # what is not saved yet: key -> description
        self.sub_title = workshop.name

    def on_mount(self) -> None:
        if self.remember_workshop:
            remember(self.workshop)
        self.push_screen(HomeScreen(self.workshop))

    # -- unsaved work ----------------------------------------------------------------------------

    def mark_unsaved(self, key: str, description: str) -> None:
        self.unsaved[key] = description

    def mark_saved(self, key: str) -> None:
        self.unsaved.pop(key, None)

    async def action_quit(self) -> None:
        if not self.unsaved:
            self.exit()
            return

        def answer(quit_anyway: bool | None) -> None:
            if quit_anyway:
                self.exit()

        if not isinstance(self.screen, ConfirmQuitScreen):
            self.push_screen(ConfirmQuitScreen(list(self.unsaved.values())), answer)

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_workbench(self, key: str) -> None:
        open_workbench(self, key)

    def action_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()


def create_app(workshop: Workshop | str | Path | None = None, *, remember_workshop: bool = True) -> IcpApp:
    """The one factory for the CLI and the tests: an app on ``workshop`` (default: the sample)."""
    from icp_tui.engine.workshop.resources import sample_workshop_dir

    if not isinstance(workshop, Workshop):
        workshop = Workshop.load(workshop or sample_workshop_dir())
    return IcpApp(workshop, remember_workshop=remember_workshop)


__all__ = ["IcpApp", "create_app", "WORKBENCHES"]
