"""One respondent's result: overall level, a bar per dimension, the key gap and next steps."""

from __future__ import annotations

from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from icp_tui.engine.maturity.assessment import Response, score
from icp_tui.engine.maturity.questionnaire import Questionnaire
from icp_tui.engine.maturity.report import result_markdown, who
from icp_tui.tui.reports import write_report
from icp_tui.tui.widgets.levels import LEVEL_STYLES, level_bar


class ResultsScreen(Screen):
    HELP = """
    # Maturity: the result

    The overall level and a bar per dimension, the key gap (the weakest dimension, which holds the
    rest back) and the next steps to reach the level above it. e writes the result as a report.
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("e", "export", "Export report", tooltip="write the result as a Markdown report"),
    ]

    def __init__(self, q: Questionnaire, response: Response) -> None:
        super().__init__()
        self.q, self.response = q, response
        self.result = score(q, response)

    def compose(self) -> ComposeResult:
        res, q = self.result, self.q
        yield Header()
        with VerticalScroll(id="results"):
            title = Text()
            if res.level:
                title.append(f" Level {res.level} ", style=LEVEL_STYLES[res.level])
                title.append(f"  {q.level(res.level).name}", style="bold")
            else:
                title.append("Not enough answers for an overall level yet", style="bold")
            yield Static(title, id="res-level")
            if res.level:
                yield Static(q.level(res.level).summary, id="res-summary")
            for g in res.capped_by:
                yield Static(Text(f"Held at Level {g.cap}: {g.text}", style="bold yellow"), classes="res-cap")
            answered = self.response.answered(q)
            yield Static(Text(f"{answered} of {len(q.questions)} questions answered · {res.dont_know} \"don't know\"",
                              style="dim"), id="res-counts")
            bars = Table.grid(padding=(0, 2))
            bars.add_column(no_wrap=True)
            bars.add_column(no_wrap=True)
            bars.add_column(style="dim", no_wrap=True)
            for d in res.dimensions:
                dk = f"{d.dont_know} don't know" if d.dont_know else ""
                bars.add_row(d.dimension.name, level_bar(d.level, 16), dk)
            yield Static(bars, id="res-bars")
            if res.level:
                gap = Text("Key gap\n", style="bold")
                gap.append(q.level(res.level).key_gap + "\n")
                for d in res.gap:
                    gap.append(f"  • {d.dimension.name} (level {d.level})\n")
                yield Static(gap, id="res-gap")
                steps = Text("Next steps\n", style="bold")
                for i, s in enumerate(res.next_steps, 1):
                    steps.append(f"  {i}. {s}\n")
                yield Static(steps, id="res-steps")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Result · {who(self.result)}"
        self.query_one("#results").focus()

    def action_export(self) -> None:
        folder = self.response.path.parent if self.response.path else Path.cwd()
        stem = self.response.path.stem if self.response.path else "self-assessment"
        write_report(self, folder / f"{stem}-report.md", result_markdown(self.result))
