"""Report: the workshop report written into the folder (Markdown and HTML) and shown (the agenda's last step)."""

from __future__ import annotations

from rich.markdown import Markdown
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.report_html import write_report_files
from icp_tui.tui.widgets.step_bar import StepBar


class ReportScreen(Screen):
    HELP = """
    # Report

    The workshop report, written into the workshop folder as report.md and report.html (one file
    with charts that opens without a network): participants, maturity, the functions' lists, the TAL,
    the scorecard's checklist and the decision log. r writes it again after more changes.
    """

    DEFAULT_CSS = "#rp-where, #rp-text { padding: 0 1; }"

    BINDINGS = [Binding("escape", "app.pop_screen", "Back"), Binding("r", "write", "Write again",
                                                                    tooltip="write the report again")]

    def __init__(self, workshop: Workshop) -> None:
        super().__init__()
        self.workshop = workshop
        self.markdown = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepBar()
        yield Static(id="rp-where")
        yield LoadingIndicator(id="rp-loading")
        with VerticalScroll(id="rp-body"):
            yield Static(id="rp-text")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Report · {self.workshop.name}"
        self.action_write()

    def action_write(self) -> None:
        self.query_one("#rp-loading").display = True
        self.write()

    @work(thread=True, exclusive=True, group="report")
    def write(self) -> None:
        try:
            _, md = write_report_files(self.workshop)
        except (IcpError, OSError) as e:
            self.app.call_from_thread(self.shown, "", f"The report was not written: {e}")
            return
        self.app.call_from_thread(self.shown, md, "")

    def shown(self, md: str, error: str) -> None:
        self.query_one("#rp-loading").display = False
        self.markdown = md
        where = self.query_one("#rp-where", Static)
        if error:
            where.update(Text(error, style="bold red"))
            return
        where.update(Text(f"Written into the workshop folder ({self.workshop.root.name}): report.md and report.html",
                          style="bold green"))
        self.query_one("#rp-text", Static).update(Markdown(md, hyperlinks=False))
        self.query_one("#rp-body").focus()
