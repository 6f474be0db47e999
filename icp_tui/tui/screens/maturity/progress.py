"""The room then and now: per dimension the level of an earlier round of self-assessments and of this one,
the change, and each dimension's roadmap target with its owner and due date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.maturity.assessment import Response
from icp_tui.engine.maturity.progress import RoundProgress, leaders, load_round, progress_markdown, round_progress
from icp_tui.engine.maturity.questionnaire import Questionnaire
from icp_tui.engine.maturity.roadmap import Roadmap
from icp_tui.tui.reports import write_report
from icp_tui.tui.widgets.levels import level_cell


def open_progress(screen: Screen, q: Questionnaire, earlier: list[Path], later: list[Response], roadmap: Roadmap,
                  folder: Path | None = None) -> None:
    """Read the earlier round and show the progress screen, or say in a notice why it cannot be read."""
    try:
        before, problems = load_round(earlier, q)
        if not before:
            raise IcpError("no self-assessments there", file=str(earlier[0]))
        prog = round_progress(q, before, later, roadmap)
    except (IcpError, OSError) as e:
        screen.notify(f"No progress to show: {e}", severity="error", timeout=8)
        return
    if problems:
        screen.notify("\n".join(["Skipped:"] + problems[:4]), severity="warning", timeout=8)
    screen.app.push_screen(ProgressScreen(prog, folder or (earlier[0] if earlier[0].is_dir() else earlier[0].parent)))


def _move(change: int | None) -> Text:
    if change is None:
        return Text("–", style="dim")
    if change > 0:
        return Text(f"▲ +{change}", style="bold green")
    return Text(f"▼ {change}", style="bold red") if change < 0 else Text("=", style="dim")


class ProgressScreen(Screen):
    HELP = """
    # Maturity: progress between two rounds

    The room's level per dimension in the earlier round (Then) and now, the change (▲ up, ▼ down) and
    the roadmap: the target level, its owner and due date (green: reached; red: the date has passed).
    The room's level is the median of the leaders' levels, rounded down; overall, the median of their
    overall levels. e writes it as a Markdown report beside the earlier round.
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "export", "Export", tooltip="write the progress as a Markdown report"),
    ]

    def __init__(self, progress: RoundProgress, folder: Path, today: dt.date | None = None) -> None:
        super().__init__()
        self.progress, self.folder = progress, folder
        self.today = today or dt.date.today()

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="prog"):
            yield Static(id="prog-summary")
            yield DataTable(id="prog-grid", cursor_type="row", zebra_stripes=False)
            yield Static(id="prog-legend")
        yield Footer()

    DEFAULT_CSS = """
    #prog-summary { padding: 1 2 0 2; height: auto; }
    #prog-grid { height: 1fr; margin-top: 1; }
    #prog-legend { height: 1; padding: 0 2; }
    """

    def on_mount(self) -> None:
        p, q = self.progress, self.progress.questionnaire
        self.sub_title = "Maturity · progress"
        name = lambda lv: f"{lv} {q.level(lv).name}" if lv else "–"  # noqa: E731
        summary = Text()
        summary.append(f"Then {leaders(len(p.before.results))} ({self.folder.name}) · now {leaders(len(p.now.results))}\n",
                       style="dim")
        summary.append("Overall: ", style="bold")
        summary.append(f"Level {name(p.overall_before)} then, Level {name(p.overall_now)} now\n")
        up, down = p.moved(1), p.moved(-1)
        summary.append(f"▲ {len(up)} up", style="bold green" if up else "dim")
        summary.append(" · ")
        summary.append(f"▼ {len(down)} down", style="bold red" if down else "dim")
        targets = [r for r in p.rows if r.target]
        if targets:
            reached = sum(1 for r in targets if r.status(self.today) == "reached")
            summary.append(f" · roadmap: {reached} of {len(targets)} targets reached")
        self.query_one("#prog-summary", Static).update(summary)
        grid = self.query_one("#prog-grid", DataTable)
        for key, label in (("dim", "Dimension"), ("then", "Then"), ("now", "Now"), ("move", "Move"),
                           ("target", "Goal"), ("owner", "Owner"), ("due", "Due")):
            grid.add_column(label, key=key)
        for r in p.rows:
            t = r.target
            status = r.status(self.today)
            style = "bold green" if status == "reached" else "bold red" if "overdue" in status else "bold"
            goal = Text(str(t.level).center(4), style=style) if t else Text("–".center(4), style="dim")
            owner = Text(t.owner if len(t.owner) <= 12 else t.owner[:11] + "…") if t else Text("")
            due = Text(t.due.isoformat(), style="bold red" if "overdue" in status else "") if t else Text("")
            grid.add_row(r.dimension.name, level_cell(r.before, 4), level_cell(r.now, 4), _move(r.change), goal, owner, due,
                         key=r.dimension.id)
        grid.focus()
        legend = "Median of the leaders, rounded down · Goal: the roadmap's target level"
        self.query_one("#prog-legend", Static).update(Text(legend, style="dim", overflow="ellipsis", no_wrap=True))

    def action_export(self) -> None:
        write_report(self, self.folder / "maturity-progress.md", progress_markdown(self.progress, self.today))
