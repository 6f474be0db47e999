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
from icp_tui.engine.maturity.progress import roadmap_lines, room_levels
from icp_tui.engine.maturity.questionnaire import Questionnaire
from icp_tui.engine.maturity.report import comparison_markdown, labels
from icp_tui.engine.maturity.roadmap import Roadmap
from icp_tui.engine.workshop.agenda import Agenda, save_agenda_flags
from icp_tui.tui.reports import write_report
from icp_tui.tui.screens.maturity.roadmap_form import edit_target, load_workshop_roadmap, target_line
from icp_tui.tui.widgets.levels import level_cell
from icp_tui.tui.widgets.step_bar import StepBar


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

    The roadmap: t sets the highlighted dimension's target level, its owner and a due date (saved in
    the workshop's roadmap.toml); the line under the table shows it. p picks an earlier round (a
    folder of answered files, or one file) and shows the room then and now, against the targets.

    In a private workshop ([agenda] private = true) only the
    count of answers shows until r reveals them; m shows the leaders by function only (two of one
    function are numbered: Sales 1, Sales 2).
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("enter", "drill", "Answers", show=True, tooltip="each leader's answers and notes on the dimension"),
        Binding("e", "export", "Export", tooltip="write the comparison as a Markdown report"),
        Binding("i", "intake", "Import", tooltip="take self-assessment files (or a folder of them) into the workshop"),
        Binding("t", "target", "Goal", tooltip="the highlighted dimension's target level, owner and due date"),
        Binding("p", "progress", "Progress", tooltip="pick an earlier round's files: the room then and now"),
        Binding("r", "reveal", "Reveal", tooltip="reveal the answers to the room (a private workshop shows counts until then)"),
        Binding("m", "names", "Names", show=False, tooltip="show the leaders by name, or by function only"),
    ]

    DEFAULT_CSS = """
    #cmp-target { height: 1; padding: 0 2; }
    """

    def __init__(self, q: Questionnaire, responses: list[Response], folder: Path, problems: list[str] | None = None) -> None:
        super().__init__()
        self.q, self.responses, self.folder = q, responses, folder
        self.problems = problems or []
        self.comparison: Comparison = compare(q, responses)
        self.roadmap: Roadmap = Roadmap()
        self.roadmap_error = ""

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepBar()
        with Vertical(id="cmp"):
            yield Static(id="cmp-summary")
            yield DataTable(id="cmp-grid", cursor_type="row", zebra_stripes=False)
            yield Static(id="cmp-target")
            yield Static(id="cmp-legend")
        yield Footer()

    def on_mount(self) -> None:
        self.roadmap, self.roadmap_error = load_workshop_roadmap(getattr(self.app, "workshop", None), self.q)
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
        agenda = self.agenda
        if agenda.hidden("maturity"):
            n = len(cmp.results)
            summary.append(f"{n} leader{'s' if n != 1 else ''} answered", style="bold")
            functions = sorted({r.response.function or "no function" for r in cmp.results})
            summary.append(f" ({', '.join(functions)})\n", style="dim")
            summary.append("The answers stay private until you reveal them: r shows them to the room.", style="bold yellow")
            for p in self.problems:
                summary.append(f"\nSkipped {p}", style="red")
            self.query_one("#cmp-summary", Static).update(summary)
            self.query_one("#cmp-grid").display = False
            self.query_one("#cmp-legend").display = False
            self.query_one("#cmp-target").display = False
            return
        shown = labels(cmp.results, agenda.names)
        summary.append("Overall: ", style="bold")
        summary.append("  ".join(f"{name} {r.level or '–'}" for name, r in zip(shown, cmp.results)))
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
        for i, label in enumerate(labels(cmp.results, False)):
            grid.add_column(short_label(label), key=f"r{i}")
        grid.add_column("Range", key="spread")
        for row in cmp.rows:
            name = Text(row.dimension.name, style="bold yellow" if row.flagged else "")
            span = f"{row.low}–{row.high}" if row.low is not None else "–"
            spread = Text(("⚑" if row.flagged else " ") + span, style="bold yellow" if row.flagged else "dim")
            grid.add_row(name, *[level_cell(x) for x in row.levels], spread, key=row.dimension.id)
        grid.focus()
        legend = "1 Simple · 2 Foundational · 3 Developing · 4 Strategic · Enter: the answers"  # fits 80
        self.query_one("#cmp-legend", Static).update(Text(legend, style="dim", overflow="ellipsis", no_wrap=True))

    def action_drill(self) -> None:
        from icp_tui.tui.screens.maturity.dimension_answers import DimensionAnswers

        grid = self.query_one("#cmp-grid", DataTable)
        if grid.row_count == 0:
            return
        did = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value
        self.app.push_screen(DimensionAnswers(self.comparison, did, self.agenda.names))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_drill()

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.query_one("#cmp-target", Static).update(target_line(self.q, self.roadmap, self.roadmap_error,
                                                                     event.row_key.value, room_levels(self.comparison)))

    def highlighted(self) -> str | None:
        grid = self.query_one("#cmp-grid", DataTable)
        if not grid.display or grid.row_count == 0:
            return None
        return grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value

    def action_target(self) -> None:
        did = self.highlighted()
        if did is None or getattr(self.app, "workshop", None) is None:
            self.notify("Targets are set on a workshop's revealed comparison.", timeout=4)
            return
        if self.roadmap_error:
            self.notify(f"Fix the roadmap file first: {self.roadmap_error}", severity="error", timeout=8)
            return

        def saved(_: object) -> None:
            self.roadmap, self.roadmap_error = load_workshop_roadmap(self.app.workshop, self.q)  # type: ignore[attr-defined]
            self.query_one("#cmp-target", Static).update(target_line(self.q, self.roadmap, self.roadmap_error, did,
                                                                     room_levels(self.comparison)))

        edit_target(self, self.q, did, room_levels(self.comparison).get(did), self.roadmap, saved)

    def action_progress(self) -> None:
        from icp_tui.tui.screens.dialogs.file_picker import FilePicker
        from icp_tui.tui.screens.maturity.progress import open_progress

        if self.highlighted() is None:
            self.notify("Progress compares the answers this screen shows with an earlier round's.", timeout=4)
            return

        def chosen(path: Path | None) -> None:
            if path is not None:
                open_progress(self, self.q, [path], self.responses, self.roadmap)

        start = self.folder.parent if self.folder.parent.is_dir() else Path.cwd()
        self.app.push_screen(FilePicker("The earlier round: a folder of answered files (f), or one file", start), chosen)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Reveal is in the footer only while there is something to reveal; the roadmap and progress only with the
        answers shown."""
        if action == "reveal":
            return self.agenda.hidden("maturity")
        if action in ("target", "progress"):
            return bool(self.comparison.results) and not self.agenda.hidden("maturity")
        return True

    @property
    def agenda(self) -> Agenda:
        ws = getattr(self.app, "workshop", None)
        return ws.agenda if ws is not None else Agenda()

    def _set_agenda(self, **flags) -> None:
        from icp_tui.tui.workbenches import maturity_screen

        ws = getattr(self.app, "workshop", None)
        if ws is None:
            return
        try:
            save_agenda_flags(ws.manifest, **flags)
        except (IcpError, OSError) as e:
            self.notify(f"Not saved: {e}", severity="error", timeout=8)
            return
        if "revealed" in flags:
            ws.agenda.revealed = flags["revealed"]
        if "names" in flags:
            ws.agenda.names = flags["names"]
        self.app.switch_screen(maturity_screen(ws))

    def action_reveal(self) -> None:
        agenda = self.agenda
        if not agenda.hidden("maturity"):
            self.notify("The answers are shown already.", timeout=3)
            return
        self._set_agenda(revealed=(*agenda.revealed, "maturity"))

    def action_names(self) -> None:
        self._set_agenda(names=not self.agenda.names)

    def action_intake(self) -> None:
        from icp_tui.tui.screens.dialogs.file_picker import FilePicker

        def chosen(path: Path | None) -> None:
            if path is not None:
                self.intake([str(path)])

        start = next((p for p in (Path.home() / "Downloads", Path.cwd()) if p.is_dir()), Path.cwd())
        self.app.push_screen(FilePicker("Self-assessment files to add: a file, or a folder of them (f)", start), chosen)

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
        text = comparison_markdown(self.comparison)
        lines = roadmap_lines(self.q, self.roadmap, room_levels(self.comparison))
        write_report(self, self.folder / "maturity-report.md", text + ("\n" + "\n".join(lines) if lines else ""))
