"""The facilitator's view: every leader's level per dimension, where they disagree first."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.maturity.assessment import Comparison, Response, compare
from icp_tui.engine.maturity.questionnaire import Questionnaire
from icp_tui.engine.maturity.report import comparison_markdown, who
from icp_tui.tui.reports import write_report
from icp_tui.tui.widgets.levels import level_cell


def short_label(text: str, width: int = 9) -> str:
    """A column title that fits: "Customer Success" -> "CS", "Marketing" stays."""
    if len(text) <= width:
        return text
    words = text.split()
    return "".join(w[0].upper() for w in words) if len(words) > 1 else text[: width - 1] + "…"


class CompareScreen(Screen):
    HELP = """
    # Maturity: the leaders compared

    Every leader's self-assessed level (1 Simple, 2 Foundational, 3 Developing, 4 Strategic) per
    dimension, the dimensions where they disagree most first. The team's level is held back by its
    weakest dimension: that is the key gap, with the next steps to the level above. Enter shows each
    leader's answers and notes on the highlighted dimension; e writes the report; i takes in the
    self-assessment files the leaders sent.
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "drill", "Answers", show=True, tooltip="each leader's answers and notes on the dimension"),
        Binding("e", "export", "Export report", tooltip="write the comparison as a Markdown report"),
        Binding("i", "intake", "Import files", tooltip="take self-assessment files (or a folder of them) into the workshop"),
    ]

    def __init__(self, q: Questionnaire, responses: list[Response], folder: Path, problems: list[str] | None = None) -> None:
        super().__init__()
        self.q, self.responses, self.folder = q, responses, folder
        self.problems = problems or []
        self.comparison: Comparison = compare(q, responses)

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="cmp"):
            yield Static(id="cmp-summary")
            yield DataTable(id="cmp-grid", cursor_type="row", zebra_stripes=False)
            yield Static(id="cmp-legend")
        yield Footer()

    def on_mount(self) -> None:
        cmp = self.comparison
        self.sub_title = f"Maturity · {len(self.responses)} respondents"
        n_flag = len(cmp.flagged)
        summary = Text()
        if not cmp.results:
            summary.append(f"No self-assessments in {self.folder} yet.\n", style="bold")
            summary.append("Each leader runs `icp assess --respondent NAME --function FUNCTION` and sends the file; "
                           "press i to add the files (or put them in that folder).", style="dim")
            for p in self.problems:
                summary.append(f"\nSkipped {p}", style="red")
            self.query_one("#cmp-summary", Static).update(summary)
            self.query_one("#cmp-grid").display = False
            return
        summary.append("Overall: ", style="bold")
        summary.append("  ".join(f"{who(r)} {r.level or '–'}" for r in cmp.results))
        summary.append("\n")
        if n_flag:
            summary.append(f"⚑ Leaders disagree by 2+ levels on {n_flag} dimension{'s' if n_flag != 1 else ''}", style="bold yellow")
        else:
            summary.append("Leaders agree within one level on every dimension", style="bold green")
        for p in self.problems:
            summary.append(f"\nSkipped {p}", style="red")
        self.query_one("#cmp-summary", Static).update(summary)
        grid = self.query_one("#cmp-grid", DataTable)
        grid.add_column("Dimension", key="dim")
        for i, r in enumerate(cmp.results):
            grid.add_column(short_label(r.response.function or r.response.respondent or f"#{i + 1}"), key=f"r{i}")
        grid.add_column("Range", key="spread")
        for row in cmp.rows:
            name = Text(row.dimension.name, style="bold yellow" if row.flagged else "")
            span = f"{row.low}–{row.high}" if row.low is not None else "–"
            spread = Text(("⚑" if row.flagged else " ") + span, style="bold yellow" if row.flagged else "dim")
            grid.add_row(name, *[level_cell(x) for x in row.levels], spread, key=row.dimension.id)
        grid.focus()
        legend = "Enter: each leader's answers · Levels: 1 Simple, 2 Foundational, 3 Developing, 4 Strategic"
        self.query_one("#cmp-legend", Static).update(Text(legend, style="dim", overflow="ellipsis", no_wrap=True))

    def action_drill(self) -> None:
        from icp_tui.tui.screens.maturity.dimension_answers import DimensionAnswers

        grid = self.query_one("#cmp-grid", DataTable)
        if grid.row_count == 0:
            return
        did = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value
        self.app.push_screen(DimensionAnswers(self.comparison, did))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_drill()

    def action_intake(self) -> None:
        from icp_tui.tui.screens.dialogs.prompt import PromptScreen

        def chosen(text: str | None) -> None:
            if text and text.strip():
                self.intake([s for s in (x.strip().strip("'\"") for x in text.split(";")) if s])

        self.app.push_screen(PromptScreen("Self-assessment files to add (a file, a folder, or several separated by ;)",
                                          placeholder="~/Downloads/icp-self-assessment-dana.toml",
                                          hint="Enter adds them to the workshop's assessments folder, Escape cancels."), chosen)

    def intake(self, sources: list[str]) -> None:
        from icp_tui.engine.workshop.intake import import_assessments
        from icp_tui.tui.workbenches import maturity_screen

        workshop = getattr(self.app, "workshop", None)
        if workshop is None:
            return
        try:
            got = import_assessments(workshop, sources, self.q)
        except (IcpError, OSError) as e:
            self.notify(f"Nothing added: {e}", severity="error", timeout=8)
            return
        lines = [got.summary()] + got.skipped[:4] + ([f"… and {len(got.skipped) - 4} more"] if len(got.skipped) > 4 else [])
        self.notify("\n".join(lines), title="Self-assessments", severity="warning" if got.skipped else "information", timeout=10)
        if got.added:
            self.app.switch_screen(maturity_screen(workshop))  # the comparison with them

    def action_export(self) -> None:
        write_report(self, self.folder / "maturity-report.md", comparison_markdown(self.comparison))
