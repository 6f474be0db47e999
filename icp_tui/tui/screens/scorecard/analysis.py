"""Analysis: what the deal history says, whatever the scorecard: wins against losses, the segments
that win, pay and stay (clustering, in a worker with progress), customer tiers and ICP coverage."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static, TabbedContent, TabPane

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.scorecard_session import ScorecardSession

TABS = ("winloss", "segments", "tiers", "coverage")


def _block(lines: list[str]) -> Text:
    """A report section: its first line as the heading, the rest as an aligned table."""
    out = Text()
    if lines:
        out.append(lines[0] + "\n", style="bold")
        for line in lines[1:]:
            style = "dim" if line.strip().startswith(("note:", "*", "win:", "(")) else ""
            out.append(line + "\n", style=style)
    return out


class AnalysisScreen(Screen):
    HELP = """
    # Analysis

    What the deal history says whatever the scorecard: **Win/loss** (how won accounts differ from
    lost ones), **Segments** (clusters of the closed deals' accounts with their win rate, deal size,
    cycle, retention and lift; r re-clusters), **Tiers** (customers ranked by value, growth and speed)
    and **Coverage** (the share of pipeline and wins inside the ICP bands, against the 50% and 70%
    goals).
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f5", "tab('winloss')", "Win/loss", tooltip="Win/loss: how won accounts differ from lost ones"),
        Binding("f6", "tab('segments')", "Segments", tooltip="Segments: clusters of the closed deals' accounts"),
        Binding("f7", "tab('tiers')", "Tiers", tooltip="Tiers: customers by value, growth and speed"),
        Binding("f8", "tab('coverage')", "Coverage", tooltip="Coverage: pipeline and wins inside the ICP bands"),
        Binding("r", "recluster", "Re-cluster", show=False, tooltip="Segments: cluster again"),
    ]

    def __init__(self, session: ScorecardSession) -> None:
        super().__init__()
        self.session = session
        self.segments = None

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="winloss", id="an-tabs"):
            with TabPane("Wins vs losses", id="winloss"):
                yield VerticalScroll(Static(id="an-winloss"))
            with TabPane("Segments", id="segments"):
                yield ProgressBar(total=1, show_eta=False, id="an-progress")
                yield Static(id="an-progress-text")
                yield VerticalScroll(Static(id="an-segments"))
            with TabPane("Customer tiers", id="tiers"):
                yield VerticalScroll(Static(id="an-tiers"))
            with TabPane("ICP coverage", id="coverage"):
                yield VerticalScroll(Static(id="an-coverage"))
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = "Analysis of the deal history"
        try:
            self.frame = self.session.history_frame()
        except IcpError as e:
            self.frame = None
            message = Text(f"Nothing to analyse: {e}", style="yellow")
            for tab in TABS:
                self.query_one(f"#an-{tab}", Static).update(message)
            self.query_one("#an-progress").display = False
            return
        from icp_tui.engine.history.analysis import win_loss_table
        from icp_tui.engine.history.analysis_report import coverage_lines, tier_lines, win_loss_lines
        from icp_tui.engine.history.tiers import customer_tiers

        notes = [f"note: {n}" for n in self.session.history_notes()]
        self.query_one("#an-winloss", Static).update(_block(win_loss_lines(win_loss_table(self.frame)) + notes))
        self.query_one("#an-tiers", Static).update(_block(tier_lines(customer_tiers(self.frame))))
        cov = self.session.coverage()
        self.query_one("#an-coverage", Static).update(
            _block(coverage_lines(cov)) if cov else Text("No accounts scored: coverage needs the scorecard's bands.", style="dim"))
        self.query_one("#an-segments", Static).update(Text("Clustering the closed deals…", style="dim"))
        self.cluster()

    @work(thread=True, exclusive=True, group="segments")
    def cluster(self) -> None:
        from icp_tui.engine.history.segments import discover_segments  # scikit-learn is imported here, not before

        def step(done: int, total: int, text: str) -> None:
            self.app.call_from_thread(self.progress, done, total, text)

        try:
            segs = discover_segments(self.frame, progress=step)
        except IcpError as e:
            self.app.call_from_thread(self.query_one("#an-segments", Static).update, Text(str(e), style="yellow"))
            return
        self.app.call_from_thread(self.show_segments, segs)

    def progress(self, done: int, total: int, text: str) -> None:
        self.query_one("#an-progress", ProgressBar).update(total=total, progress=done)
        self.query_one("#an-progress-text", Static).update(Text(f"Clustering: {text}", style="dim"))

    def show_segments(self, segs) -> None:
        from icp_tui.engine.history.analysis_report import segment_lines

        self.segments = segs
        self.query_one("#an-progress").display = False
        self.query_one("#an-progress-text").display = False
        self.query_one("#an-segments", Static).update(_block(segment_lines(segs)))

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_recluster(self) -> None:
        if self.frame is not None:
            self.query_one("#an-progress").display = True
            self.query_one("#an-progress-text").display = True
            self.cluster()
