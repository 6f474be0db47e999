"""The Textual app: a shell with a home screen that leads to the three workbenches."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding

from icp_tui.engine.workshop.manifest import Workshop, read_state, remember, write_state
from icp_tui.tui.commands import WorkbenchCommands
from icp_tui.tui.screens.shell.confirm_quit import ConfirmQuitScreen
from icp_tui.tui.screens.shell.help import HelpScreen
from icp_tui.tui.screens.shell.home import HomeScreen
from icp_tui.tui.themes import PROJECTOR
from icp_tui.tui.workbenches import WORKBENCHES, open_workbench

if TYPE_CHECKING:
    from icp_tui.engine.core.lock import Presence
    from icp_tui.engine.workshop.scorecard_session import ScorecardSession


class IcpApp(App):
    """icp: Maturity, Alignment and Scorecard workbenches over one workshop folder."""

    CSS_PATH = "app.tcss"
    TITLE = "icp"
    COMMANDS = App.COMMANDS | {WorkbenchCommands}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True, tooltip="quit (asks first when something is not saved)"),
        Binding("f1", "help", "Help", priority=True, tooltip="the help of this screen (? too, where no text is typed)"),
        Binding("question_mark", "help", "Help", show=False),
        Binding("ctrl+t", "change_theme", "Theme", show=False, tooltip="choose a theme"),
        Binding("greater_than_sign", "step(1)", "Next step", show=False,
                tooltip="the agenda's next step (the first press starts the agenda)"),
        Binding("less_than_sign", "step(-1)", "Previous step", show=False, tooltip="the agenda's previous step"),
    ]

    def __init__(self, workshop: Workshop | None, *, remember_workshop: bool = True, new_in: Path | None = None,
                 presence: bool = False) -> None:
        super().__init__()
        self.take_presence = presence  # hold the workshop's app lock (engine/core/lock.py): a second window is read-only
        self.presence: Presence | None = None
        self.workshop = workshop  # type: ignore[assignment]  # None only until the New workshop form makes one
        self.remember_workshop = remember_workshop
        self.new_in = new_in
        self.unsaved: dict[str, str] = {}  # what is not saved yet: key -> description
        self.scorecards: dict[Path, ScorecardSession] = {}  # kept with their edits not saved: kept_scorecards.py
        self.sub_title = workshop.name if workshop else "New workshop"
        self.register_theme(PROJECTOR)

    def on_mount(self) -> None:
        if self.remember_workshop:  # the real app (not a test): the theme chosen last time, remembered when changed
            theme = read_state().get("theme", "")
            if theme in self.available_themes:
                self.theme = theme
            self.theme_changed_signal.subscribe(self, lambda t: write_state(theme=t.name))
        if self.workshop is None:  # `icp open DIR` on a folder without workshop.toml
            self.action_new_workshop(self.new_in, leave_on_cancel=True)
            return
        if self.remember_workshop:
            remember(self.workshop)
        self.hold(self.workshop)
        self.push_screen(HomeScreen(self.workshop))

    # -- workshops -------------------------------------------------------------------------------

    def action_new_workshop(self, folder: Path | None = None, leave_on_cancel: bool = False) -> None:
        from icp_tui.tui.screens.shell.new_workshop import NewWorkshopScreen

        def done(created) -> None:
            if created is None:
                if leave_on_cancel:
                    self.exit()
                return
            self.switch_workshop(created.workshop)
            warn = f" ({len(created.warnings)} warning{'s' if len(created.warnings) != 1 else ''}: see Columns)" \
                if created.warnings else ""
            self.notify(f"Workshop '{created.workshop.name}' created in {created.workshop.root.name}{warn}. "
                        "Press c to check how the columns were read.", title="New workshop", timeout=8)

        self.push_screen(NewWorkshopScreen(folder), done)

    def switch_workshop(self, workshop: Workshop) -> None:
        """Leave the current workshop (its screens) and open ``workshop`` on its home screen."""
        self.workshop = workshop
        self.sub_title = workshop.name
        if self.remember_workshop:
            remember(workshop)
        self.hold(workshop)
        while len(self.screen_stack) > 1:
            self.pop_screen()
        self.push_screen(HomeScreen(workshop))

    def hold(self, workshop: Workshop) -> None:
        """Hold ``workshop`` for as long as it is open here; when another app has it, this window is read-only and
        says so (the title, and a notification): the engine refuses each of its writes with the same words."""
        from icp_tui.engine.core.lock import hold_presence

        if self.presence is not None:
            self.presence.release()
            self.presence = None
        self.title = self.TITLE
        if not self.take_presence:
            return
        self.presence = hold_presence(workshop.root)
        if self.presence.read_only:
            self.title = f"{self.TITLE} · READ-ONLY"
            self.notify(self.presence.read_only, title="Read-only", severity="warning", timeout=20)

    def on_unmount(self) -> None:
        if self.presence is not None:
            self.presence.release()
            self.presence = None

    def reload_workshop(self, workshop: Workshop) -> None:
        """The same workshop read again (its workshop.toml changed): home shows the files as now read."""
        self.workshop = workshop
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.workshop = workshop
                screen.load_files()

    def action_columns(self, section: str | None = None) -> None:
        from icp_tui.tui.screens.shell.mapping import MappingScreen

        if self.workshop is not None:
            self.push_screen(MappingScreen(self.workshop, section))

    # -- unsaved work ----------------------------------------------------------------------------

    def mark_unsaved(self, key: str, description: str) -> None:
        self.unsaved[key] = description

    def mark_saved(self, key: str) -> None:
        self.unsaved.pop(key, None)

    async def action_quit(self) -> None:
        """Ctrl+Q and the palette's quit: asks first when something is not saved (scorecard edits can be saved)."""
        from icp_tui.tui import kept_scorecards

        scorecards = kept_scorecards.unsaved_sessions(self)
        lines = [kept_scorecards.unsaved_line(self, s) for s in scorecards] + kept_scorecards.other_unsaved(self)
        if not lines:
            self.exit()
            return

        def answer(choice: str | None) -> None:
            if choice == "save" and (error := kept_scorecards.save_all(self)):
                self.notify(error, severity="error", timeout=10)  # nothing lost: the app stays
                return
            if choice in ("save", "quit"):
                self.exit()

        if not isinstance(self.screen, ConfirmQuitScreen):
            self.push_screen(ConfirmQuitScreen(lines, can_save=bool(scorecards)), answer)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            self.pop_screen()  # F1 again closes it
        else:
            self.push_screen(HelpScreen(self.screen))

    def action_step(self, delta: int) -> None:
        from icp_tui.tui.agenda_nav import move_step

        move_step(self, delta)

    def action_workbench(self, key: str) -> None:
        open_workbench(self, key)

    def action_home(self) -> None:
        while len(self.screen_stack) > 2:
            self.pop_screen()


def create_app(workshop: Workshop | str | Path | None = None, *, remember_workshop: bool = True,
               new_in: Path | None = None, presence: bool | None = None) -> IcpApp:
    """The one factory for the CLI and the tests: an app on ``workshop`` (default: the bundled sample, read as it
    is: ``icp`` itself opens the user's copy), or with ``new_in`` the New workshop form for that folder. ``presence``
    (default: as ``remember_workshop``, so the real app and not the tests) holds the workshop's app lock: opened in a
    second app, it is read-only."""
    from icp_tui.engine.workshop.resources import sample_workshop_dir

    if new_in is not None:
        return IcpApp(None, remember_workshop=remember_workshop, new_in=new_in,
                      presence=remember_workshop if presence is None else presence)
    if not isinstance(workshop, Workshop):
        workshop = Workshop.load(workshop or sample_workshop_dir())
    return IcpApp(workshop, remember_workshop=remember_workshop, presence=remember_workshop if presence is None else presence)


__all__ = ["IcpApp", "create_app", "WORKBENCHES"]
