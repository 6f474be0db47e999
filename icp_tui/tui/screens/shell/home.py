"""Home: the loaded workshop (files and counts) and the way into the three workbenches."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.manifest import FileSummary, Workshop, summarise
from icp_tui.tui.widgets.step_bar import StepBar
from icp_tui.tui.workbenches import WORKBENCHES, WorkbenchInfo


def display_path(path: Path) -> str:
    """A path as short as it can be said: relative to here, else to home, else absolute."""
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            return prefix + str(path.relative_to(base)) if path != base else (prefix or ".")
        except ValueError:
            continue
    return str(path)


class FilesPanel(Static):
    """What each workshop file holds; the file-name column shows only when there is room."""

    def __init__(self) -> None:
        super().__init__(id="files")
        self.files: list[FileSummary] = []

    def show(self, files: list[FileSummary]) -> None:
        self.files = files
        self.refresh(layout=True)

    def render(self) -> Table:
        wide = self.size.width >= 90
        table = Table.grid(padding=(0, 2), expand=True)
        table.add_column("what", no_wrap=True, style="bold")
        table.add_column("holds", ratio=1)
        if wide:
            table.add_column("file", no_wrap=True, style="dim", overflow="ellipsis", max_width=28)
        for f in self.files:
            if f.problem:  # a problem wraps so that it can be read in full
                holds = Text(f"cannot read: {f.problem}", style="bold red")
            elif f.path is None:
                holds = Text("not set", style="dim")
            else:
                holds = Text(f.detail, no_wrap=True, overflow="ellipsis")
            row = [f.label, holds] + ([f.path.name if f.path else ""] if wide else [])
            table.add_row(*row)
        return table


class WorkbenchCard(Static, can_focus=True):
    """A focusable card for one workbench; Enter or a click opens it."""

    BINDINGS = [Binding("enter", "open", "Open", show=False, tooltip="open the workbench of the card")]

    class Chosen(Message):
        def __init__(self, key: str) -> None:
            super().__init__()
            self.key = key

    def __init__(self, info: WorkbenchInfo) -> None:
        super().__init__(id=f"card-{info.key}", classes="card")
        self.info = info

    def render(self) -> Text:
        text = Text()
        text.append(f" {self.info.number} ", style="reverse bold")
        text.append(f" {self.info.title}\n", style="bold")
        text.append(self.info.question, style="italic")
        return text

    def action_open(self) -> None:
        self.post_message(self.Chosen(self.info.key))

    def on_click(self) -> None:
        self.action_open()


class HomeScreen(Screen):
    HELP = """
    # Home

    The workshop that is open: each of its files with what was read from it (problems in red, with
    their line), and the three workbenches. Open one with its number, or move to a card and press
    Enter. Start a workshop for another customer with n; check how the columns of its exports were
    read with c. r writes the workshop report (Markdown and HTML with charts) into the folder. > starts
    the agenda (participants, maturity reveal, the lists, disagreement, TAL, scorecard check, decisions,
    report) and moves to the next step; < goes back.
    """

    BINDINGS = [
        # the cards show their numbers: the footer keeps room for the rest at 80 columns
        Binding("1", "app.workbench('maturity')", "Maturity", show=False, tooltip="open the Maturity workbench"),
        Binding("2", "app.workbench('alignment')", "Alignment", show=False, tooltip="open the Alignment workbench"),
        Binding("3", "app.workbench('scorecard')", "Scorecard", show=False, tooltip="open the Scorecard workbench"),
        Binding("c", "app.columns", "Columns", tooltip="Columns: what each column of the files is read as"),
        Binding("n", "app.new_workshop", "New workshop", tooltip="a new workshop from a customer's exports"),
        Binding("r", "report", "Report", tooltip="write the workshop report (report.md and report.html) into the workshop folder"),
        Binding("left", "app.focus_previous", "Previous", show=False, tooltip="the previous card"),
        Binding("right", "app.focus_next", "Next", show=False, tooltip="the next card"),
    ]

    def __init__(self, workshop: Workshop) -> None:
        super().__init__()
        self.workshop = workshop
        self.files: list[FileSummary] | None = None

    def compose(self) -> ComposeResult:
        ws = self.workshop
        yield Header()
        yield StepBar()
        with Vertical(id="workshop"):
            title = ws.name + (f" · {ws.organisation}" if ws.organisation else "")
            yield Static(Text(title, style="bold"), id="workshop-title")
            yield Static(Text(display_path(ws.root), style="dim", overflow="ellipsis", no_wrap=True), id="workshop-path")
            yield LoadingIndicator(id="files-loading")
            yield FilesPanel()
        with Horizontal(id="cards"):
            for info in WORKBENCHES:
                yield WorkbenchCard(info)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#workshop").border_title = "Workshop"
        self.query_one(FilesPanel).display = False
        self.query_one("#card-maturity").focus()
        self.load_files()

    def on_screen_resume(self) -> None:
        """Back from a workbench: the counts as the files are now (lists edited, assessments added, a new scorecard)."""
        if self.files is not None:
            self.load_files()

    @work(thread=True, exclusive=True, group="home-files")
    def load_files(self) -> None:
        files = summarise(self.workshop)
        self.app.call_from_thread(self.show_files, files)

    def show_files(self, files: list[FileSummary]) -> None:
        self.files = files
        panel = self.query_one(FilesPanel)
        panel.show(files)
        self.query_one("#files-loading").display = False
        panel.display = True

    def action_report(self) -> None:
        self.notify("Writing the workshop report …", timeout=3)
        self.write_report()

    @work(thread=True, exclusive=True, group="home-report")
    def write_report(self) -> None:
        from icp_tui.engine.workshop.report_html import write_report_files

        md, html = self.workshop.root / "report.md", self.workshop.root / "report.html"
        try:
            rep, _ = write_report_files(self.workshop)
        except (IcpError, OSError) as e:
            self.app.call_from_thread(self.notify, f"The report was not written: {e}", severity="error", timeout=8)
            return
        missing = sum(len(v) for v in rep.problems.values())
        said = f" ({missing} file{'s' if missing != 1 else ''} could not be read: named in the report)" if missing else ""
        self.app.call_from_thread(self.notify, f"Report written: {md.name} and {html.name} in {self.workshop.root.name}{said}",
                                  title="Report", timeout=8)

    def on_workbench_card_chosen(self, message: WorkbenchCard.Chosen) -> None:
        self.app.action_workbench(message.key)  # type: ignore[attr-defined]
