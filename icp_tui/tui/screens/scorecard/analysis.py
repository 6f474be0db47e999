"""Analysis: what the deal history says, whatever the scorecard: wins against losses, the segments
that win, pay and stay (clustering, in a worker with progress), customer tiers and ICP coverage."""

from __future__ import annotations

import textwrap

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import Screen
from textual.widgets import Footer, Header, ProgressBar, Static, TabbedContent, TabPane

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.scorecard_session import ScorecardSession

TABS = ("winloss", "segments", "tiers", "coverage")


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _is_table(line: str) -> bool:
    """A row of an aligned table (columns two spaces or more apart), never wrapped."""
    return "  " in line.strip()


def _paragraphs(lines: list[str]) -> list[str]:
    """The report's lines with prose that was wrapped for a wider terminal joined again (not the heading)."""
    out: list[str] = []
    for line in lines:
        prev = out[-1] if out else ""
        if (len(out) > 1 and prev.strip() and line.strip() and not _is_table(prev) and not _is_table(line)
                and _indent(line) > _indent(prev)):
            out[-1] = f"{prev} {line.strip()}"
        else:
            out.append(line)
    return out


def _block(lines: list[str], width: int = 100) -> Text:
    """A report section: its first line as the heading, the rest as an aligned table.

    Prose is wrapped at word boundaries to ``width`` with a hanging indent; table rows keep their
    columns (wider than the screen, they scroll sideways).
    """
    out = Text()
    for i, line in enumerate(_paragraphs(lines)):
        style = "bold" if i == 0 else ("dim" if line.strip().startswith(("note:", "*", "win:", "(")) else "")
        if not _is_table(line) and len(line) > width:
            pad = " " * _indent(line)
            line = "\n".join(textwrap.wrap(line.strip(), width=max(20, width), initial_indent=pad,
                                            subsequent_indent=pad + "  ", break_on_hyphens=False))
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
        self.lines: dict[str, list[str]] = {}  # each tab's report lines, wrapped again when the width changes

    def compose(self) -> ComposeResult:
        yield Header()
        with TabbedContent(initial="winloss", id="an-tabs"):
            with TabPane("Wins vs losses", id="winloss"):
                yield ScrollableContainer(Static(id="an-winloss"), classes="an-scroll")
            with TabPane("Segments", id="segments"):
                yield ProgressBar(total=1, show_eta=False, id="an-progress")
                yield Static(id="an-progress-text")
                yield ScrollableContainer(Static(id="an-segments"), classes="an-scroll")
            with TabPane("Customer tiers", id="tiers"):
                yield ScrollableContainer(Static(id="an-tiers"), classes="an-scroll")
            with TabPane("ICP coverage", id="coverage"):
                yield ScrollableContainer(Static(id="an-coverage"), classes="an-scroll")
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
        self.lines["winloss"] = win_loss_lines(win_loss_table(self.frame)) + notes
        self.lines["tiers"] = tier_lines(customer_tiers(self.frame))
        cov = self.session.coverage()
        if cov:
            self.lines["coverage"] = coverage_lines(cov)
        else:
            self.query_one("#an-coverage", Static).update(Text("No accounts scored: coverage needs the scorecard's bands.", style="dim"))
        self.query_one("#an-segments", Static).update(Text("Clustering the closed deals…", style="dim"))
        self.show_lines()
        self.call_after_refresh(self.focus_tab)
        self.cluster()

    def show_lines(self) -> None:
        width = self.size.width - 3  # the vertical scrollbar and a column to spare
        for tab, lines in self.lines.items():
            self.query_one(f"#an-{tab}", Static).update(_block(lines, width))

    def on_resize(self) -> None:
        self.show_lines()

    def focus_tab(self) -> None:
        """The active tab's report has the focus, so the arrow keys and PageDown scroll it at once."""
        tabs = self.query_one(TabbedContent)
        if tabs.active:
            self.query_one(f"#{tabs.active} .an-scroll").focus()

    def on_tabbed_content_tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.call_after_refresh(self.focus_tab)

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
        self.lines["segments"] = segment_lines(segs)
        self.show_lines()

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_recluster(self) -> None:
        if self.frame is not None:
            self.query_one("#an-progress").display = True
            self.query_one("#an-progress-text").display = True
            self.cluster()
