"""Analysis: what the deal history says, whatever the scorecard: wins against losses, the segments
that win, pay and stay (clustering, in a worker with progress), customer tiers, unit economics and
ICP coverage."""

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
from icp_tui.tui.screens.scorecard import analysis_profiles

TABS = ("winloss", "segments", "tiers", "coverage", "economics")
RANK_ORDER = ("value", "ltv", "win-rate")  # o cycles through them


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" ▶"))  # a picked segment's ▶ stands in its indent


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
        dim = line.strip().startswith(("note:", "*", "win:", "(", "~:", "LTV:"))
        style = "bold" if i == 0 or line.startswith("▶") else ("dim" if dim else "")
        if not _is_table(line) and len(line) > width:
            at = _indent(line)
            line = "\n".join(textwrap.wrap(line[at:].strip(), width=max(20, width), initial_indent=line[:at],
                                            subsequent_indent=" " * at + "  ", break_on_hyphens=False))
        out.append(line + "\n", style=style)
    return out


TAB_NAMES = {"winloss": "Wins vs losses (F5)", "segments": "Segments (F6)", "tiers": "Customer tiers (F7)",
             "coverage": "ICP coverage (F8)", "economics": "Economics (F9)"}

class AnalysisScreen(Screen):
    HELP = """
    # Analysis

    What the deal history says whatever the scorecard: **Win/loss** (how won accounts differ from
    lost ones), **Segments** (clusters of the closed deals' accounts, their message-market fit: win
    rate, deal size, sales velocity; and their product-market fit: retention, lifetime value, main
    use case; r re-clusters, o changes the ranking: value per opportunity, LTV or win rate; [ and ]
    pick a segment, s saves it as a named segment profile in segments.toml, which the scored export
    uses), **Tiers** (customers ranked by value, growth and speed; a proposes an anti-persona from
    what Tier 3 customers share and Tier 1 do not, added to the scorecard if you agree), **Coverage** (the share of pipeline and
    wins inside the ICP bands, against the 50% and 70% goals) and **Economics** (F9: lifetime value
    against acquisition cost, LTV:CAC and months to pay back, per segment, score band and tier; a ~
    marks a figure from fewer than 10 deals).
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("f5", "tab('winloss')", "Win/loss", show=False, tooltip="Win/loss: how won accounts differ from lost ones"),
        Binding("f6", "tab('segments')", "Segments", tooltip="Segments: clusters of the closed deals' accounts"),
        Binding("f7", "tab('tiers')", "Tiers", tooltip="Tiers: customers by value, growth and speed"),
        Binding("f8", "tab('coverage')", "Coverage", tooltip="Coverage: pipeline and wins inside the ICP bands"),
        # not in the footer: at 80 columns it would push Quit out of sight (the tab bar and F1 show it)
        Binding("f9", "tab('economics')", "Economics", show=False,
                tooltip="Economics: LTV against CAC per segment, band and tier"),
        Binding("r", "recluster", "Re-cluster", show=False, tooltip="Segments: cluster again"),
        Binding("o", "rank", "Rank by", show=False,
                tooltip="Segments: rank by value per opportunity, LTV or win rate (the next one)"),
        Binding("right_square_bracket", "pick(1)", "Next segment", show=False, tooltip="Segments: pick the next segment (▶)"),
        Binding("left_square_bracket", "pick(-1)", "Previous segment", show=False, tooltip="Segments: pick the previous segment"),
        Binding("s", "save_segment", "Save segment", show=False,
                tooltip="Segments: save the picked segment as a named profile (segments.toml)"),
        Binding("a", "anti_persona", "Anti-persona", show=False,
                tooltip="Tiers: propose an anti-persona from Tier 3 customers; add it to the scorecard if you agree"),
    ]

    def __init__(self, session: ScorecardSession) -> None:
        super().__init__()
        self.session = session
        self.segments = None
        self.rank = RANK_ORDER[0]
        self.tiers = None
        self.picked = 1  # the segment s saves (its number)
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
            with TabPane("Economics", id="economics"):
                yield ScrollableContainer(Static(id="an-economics"), classes="an-scroll")
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
        self.tiers = customer_tiers(self.frame)
        self.lines["tiers"] = tier_lines(self.tiers) + analysis_profiles.TIER_HINT
        self.economics_lines()
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
            segs = discover_segments(self.frame, progress=step, rank=self.rank)
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
        if not 1 <= self.picked <= len(segs.segments):
            self.picked = 1
        analysis_profiles.decorate_segments(self)
        self.economics_lines()
        self.show_lines()

    def economics_lines(self) -> None:
        """The unit-economics table: all closed deals, the segments (once clustered), bands and tiers."""
        from icp_tui.engine.history.economics import economics
        from icp_tui.engine.history.economics_report import economics_lines

        result = self.session.result
        eco = economics(self.frame, segments=self.segments, result=result, tiers=self.tiers)
        sc = self.session.scorecard
        lines = economics_lines(eco, band_source=f"{sc.name} v{sc.version}" if result is not None and sc else "")
        if self.segments is None:
            lines.insert(1, "  (segments follow when the clustering is done)")
        self.lines["economics"] = lines

    def action_rank(self) -> None:
        """Segments: the next ranking (value per opportunity, LTV, win rate); numbers follow it."""
        from icp_tui.engine.history.segments import rank_segments

        self.rank = RANK_ORDER[(RANK_ORDER.index(self.rank) + 1) % len(RANK_ORDER)]
        if self.segments is None:
            self.notify(f"Segments will be ranked by {self.rank} once clustered")
            return
        self.show_segments(rank_segments(self.segments, self.rank))
        self.notify(f"Segments ranked by {self.segments.rank_label}")

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_recluster(self) -> None:
        if self.frame is not None:
            self.query_one("#an-progress").display = True
            self.query_one("#an-progress-text").display = True
            self.cluster()

    def action_back(self) -> None:
        self.dismiss(None)

    def _on_tab(self, tab: str, key: str, what: str) -> bool:
        """Is ``tab`` showing? If not, say where ``key`` works (it acts on what its tab shows)."""
        if self.query_one(TabbedContent).active == tab:
            return True
        self.notify(f"{key} {what}: on the {TAB_NAMES[tab]} tab", timeout=4)
        return False

    def action_pick(self, delta: int) -> None:
        if self._on_tab("segments", "[ and ]", "pick a segment"):
            analysis_profiles.pick(self, delta)

    def action_save_segment(self) -> None:
        if self._on_tab("segments", "s", "saves the picked segment"):
            analysis_profiles.ask_save(self)

    def action_anti_persona(self) -> None:
        if self._on_tab("tiers", "a", "proposes an anti-persona"):
            analysis_profiles.propose(self)
