"""Columns: what each column of the workshop's files is read as, confirmed or changed by the user.

A row per column of the file: its header, the field it is read as (or "not read"), and sample
values. Enter picks the field; ctrl+s writes the choices to workshop.toml ([import.*.columns]);
u gives a number column its unit (thousands, millions, billions, percent); o shows the deal
file's stages and what each is read as (won, lost, open), Enter changes one; [ and ] switch between
the accounts, deals and list files.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static, Tab, Tabs
from textual.widgets.option_list import Option

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.headers import IGNORE
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.mapping_session import MappingSession, Target, targets
from icp_tui.tui.screens.shell.home import display_path

GUESS = "(guess)"


class FieldPicker(ModalScreen[str | None]):
    """A choice from a short list (the fields a column can be read as, the outcome of a stage); Enter chooses,
    Escape keeps what it was."""

    HELP = """
    # Choose

    Pick one of the choices with the arrows and Enter; Esc leaves it as it was.
    """

    HELP_KEYS = [("Enter", "choose the highlighted one")]
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, title: str, choices: list[tuple[str, str]], current: str | None, extra: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.choices, self.current, self.extra = title, choices, current, extra

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text(self.title_text, style="bold"), id="picker-title")
            options = [Option(Text.assemble((f"{name:<15}", "bold"), (what, "dim")), id=name) for name, what in self.choices]
            options += [Option(Text(label, style="italic"), id=key) for key, label in self.extra]
            yield OptionList(*options, id="picker-options")

    def on_mount(self) -> None:
        ol = self.query_one(OptionList)
        ids = [name for name, _ in self.choices] + [key for key, _ in self.extra]
        if self.current in ids:
            ol.highlighted = ids.index(self.current)
        ol.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)


OUTCOME_CHOICES = [("won", "a deal won"), ("lost", "a deal lost"), ("open", "still in the pipeline")]


class StagesScreen(ModalScreen[None]):
    """The deal file's stages with the outcome each is read as; Enter changes one (saved with the columns)."""

    HELP = """
    # Deal stages

    Every stage in the deal file with the outcome it is read as: won, lost or open. A stage read as
    none of them leaves its deals out of the validation. Enter changes the highlighted stage.
    """

    HELP_KEYS = [("Enter", "choose the outcome of the highlighted stage: won, lost or open")]
    BINDINGS = [Binding("escape", "dismiss(None)", "Done")]

    def __init__(self, session: MappingSession) -> None:
        super().__init__()
        self.session = session

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text("Stages: what each one means", style="bold"), id="picker-title")
            yield OptionList(id="stage-options")
            yield Static(Text("Enter changes · Escape done (ctrl+s on Columns saves)", style="dim"))

    def on_mount(self) -> None:
        self.fill()
        self.query_one(OptionList).focus()

    def fill(self, keep: int = 0) -> None:
        ol = self.query_one(OptionList)
        ol.clear_options()
        for r in self.session.stages():
            outcome = Text(r.outcome or "left out", style="bold green" if r.outcome else "bold red")
            if r.set_by_user:
                outcome.append(" ✎", style="cyan")
            ol.add_option(Option(Text.assemble((f"{r.stage[:30]:<31}", ""), (f"{r.deals:>6,} ", "dim"), outcome), id=r.stage))
        if ol.option_count:
            ol.highlighted = min(keep, ol.option_count - 1)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        stage, at = str(event.option.id), event.option_index
        row = next(r for r in self.session.stages() if r.stage == stage)

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            self.session.choose_stage(stage, None if choice == GUESS else choice)
            self.fill(at)

        self.app.push_screen(FieldPicker(f"Deals at stage '{stage}' are", OUTCOME_CHOICES, row.outcome,
                                         [(GUESS, "as the importer reads it (forget my choice)")]), chosen)

    def on_screen_resume(self) -> None:
        self.query_one(OptionList).focus()


class MappingScreen(Screen):
    HELP = """
    # Columns

    How each column of the workshop's files is read: its header, the field it becomes (or "not
    read") and sample values. Change a column with Enter; give a number column its unit (thousands,
    millions, ...) with u; say which deal stages mean won, lost or still open with o. Ctrl+S writes
    the choices to workshop.toml ([import] tables), where the command line reads them too.
    """

    HELP_KEYS = [("Enter", "change what the highlighted column is read as")]
    BINDINGS = [
        Binding("escape", "close", "Back", tooltip="back (asks when choices are not saved)"),
        Binding("ctrl+s", "save", "Save", priority=True, tooltip="save the choices to workshop.toml"),
        Binding("u", "unit", "Unit", tooltip="the next unit of a number column (as written, thousands, millions, ...)"),
        Binding("o", "stages", "Stages", tooltip="the deal stages and the outcome each is read as"),
        Binding("right_square_bracket", "file(1)", "Next file", tooltip="the next file"),
        Binding("left_square_bracket", "file(-1)", "Prev file", show=False, tooltip="the previous file"),
    ]

    def __init__(self, workshop: Workshop, start: str | None = None) -> None:
        super().__init__()
        self.workshop = workshop
        self.targets: list[Target] = targets(workshop)
        self.index = next((i for i, t in enumerate(self.targets) if t.section == start), 0)
        self.session: MappingSession | None = None
        self.error = ""
        self.warned_unsaved = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Tabs(*[Tab(t.label, id=f"file-{i}") for i, t in enumerate(self.targets)], id="map-files")
        yield Static(id="map-file")
        yield DataTable(id="map-table", cursor_type="row", zebra_stripes=True)
        yield Static(id="map-status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Tabs).can_focus = False
        table = self.query_one(DataTable)
        if not self.targets:
            self.query_one("#map-file", Static).update(Text("The workshop has no accounts, deals or list file yet.", style="yellow"))
            return
        self.open_target(self.index)
        table.focus()

    # -- showing ---------------------------------------------------------------------------------

    def open_target(self, index: int) -> None:
        self.index = index % len(self.targets)
        self.query_one(Tabs).active = f"file-{self.index}"
        target = self.targets[self.index]
        try:
            self.session = MappingSession(self.workshop, target)
            self.error = ""
        except IcpError as e:
            self.session, self.error = None, str(e)
        self.warned_unsaved = False
        self.refresh_table()

    def refresh_table(self, keep_row: int = 0) -> None:
        table = self.query_one(DataTable)
        table.clear(columns=True)  # the widths follow this file's columns, not the last file's
        table.add_columns("Column in the file", "Read as", "Sample values")
        s = self.session
        if s is None:
            self.query_one("#map-file", Static).update(Text(f"Cannot read: {self.error}", style="bold red"))
            self.query_one("#map-status", Static).update("")
            return
        head = Text.assemble((display_path(Path(s.path)), "bold"), f"  {s.kind} file, {len(s.report.columns)} columns")
        self.query_one("#map-file", Static).update(head)
        reads = []
        for c in s.report.columns:
            read = Text(c.field, style="bold green") if c.field else Text("not read", style="dim")
            if unit := s.unit_of(c.field):
                read.append(f" in {unit}", style="green")
            if c.field and c.header in s.overrides:
                read.append(" ✎", style="cyan")
            reads.append(read)
        widest = max((len(c.header) for c in s.report.columns), default=10) + max((r.cell_len for r in reads), default=8)
        room = max(12, self.size.width - widest - 10)  # cell padding and the scroll bar
        for c, read in zip(s.report.columns, reads):
            sample = ", ".join(c.samples)
            sample = sample if len(sample) <= room else sample[: room - 1] + "…"
            table.add_row(c.header, read, sample or Text("(all blank)", style="dim"), key=c.header)
        if s.report.columns:
            table.move_cursor(row=min(keep_row, len(s.report.columns) - 1))
        self.show_status()

    def show_status(self) -> None:
        s = self.session
        if s is None:
            return
        table = self.query_one(DataTable)
        text = Text()
        if 0 <= table.cursor_row < len(s.report.columns):
            c = s.report.columns[table.cursor_row]
            text.append(f"'{c.header}': ", style="bold")
            text.append(f"read as {c.field} ({c.how})" if c.field else "not read")
            text.append("\n")
        text.append("Not found: ", style="bold")
        text.append(", ".join(s.report.missing) or "none", style="yellow" if s.report.missing else "green")
        left_out = [r for r in s.stages() if r.outcome is None]
        if left_out:
            shown = ", ".join(f"'{r.stage}' ({r.deals:,})" for r in left_out[:3]) + (" …" if len(left_out) > 3 else "")
            text.append(f"\nStages read as neither won, lost nor open: {shown}; o sets them", style="bold red")
        if s.dirty:
            text.append("\nNot saved: ctrl+s writes the choices to workshop.toml", style="bold cyan")
        self.query_one("#map-status", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        self.show_status()

    # -- changing --------------------------------------------------------------------------------

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        s = self.session
        if s is None:
            return
        row = event.cursor_row
        column = s.report.columns[row]
        current = s.overrides.get(column.header, column.field)

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            s.choose(column.header, None if choice == GUESS else choice)
            self.mark()
            self.refresh_table(row)

        extra = [(IGNORE, "not read (ignore this column)"), (GUESS, "as guessed (forget my choice)")]
        self.app.push_screen(FieldPicker(f"Read column '{column.header}' as", s.fields(), current, extra), chosen)

    def action_unit(self) -> None:
        s = self.session
        table = self.query_one(DataTable)
        if s is None or not (0 <= table.cursor_row < len(s.report.columns)):
            return
        row = table.cursor_row
        unit = s.next_unit(s.report.columns[row].header)
        if unit is None:
            self.notify("A unit is for a column read as a number (revenue, employees, amount …)", severity="warning")
            return
        self.mark()
        self.refresh_table(row)

    def action_stages(self) -> None:
        s = self.session
        if s is None or s.kind != "deals":
            self.notify("Stages are for the deal file: ] shows it", severity="warning")
            return
        if not s.stages():
            self.notify("No column is read as the stage yet: choose one first", severity="warning")
            return

        def closed(_: None) -> None:
            self.mark()
            self.show_status()

        self.app.push_screen(StagesScreen(s), closed)

    def mark(self) -> None:
        if self.session is not None and self.session.dirty:
            self.app.mark_unsaved("mapping", "column choices (Columns)")  # type: ignore[attr-defined]
        else:
            self.app.mark_saved("mapping")  # type: ignore[attr-defined]

    def action_save(self) -> None:
        s = self.session
        if s is None:
            return
        try:
            self.workshop = s.save()
        except (IcpError, OSError) as e:
            self.notify(str(e), title="Not saved", severity="error")
            return
        self.mark()
        self.refresh_table(self.query_one(DataTable).cursor_row)
        section = s.target.section
        self.notify(f"[import.{section}.columns] saved in {self.workshop.manifest.name}", title="Saved")
        self.app.reload_workshop(self.workshop)  # type: ignore[attr-defined]

    def action_file(self, step: int) -> None:
        if len(self.targets) > 1 and self.leave_ok():
            self.open_target(self.index + step)

    def leave_ok(self) -> bool:
        """Unsaved choices: the first escape (or file switch) warns, the second discards them."""
        if self.session is None or not self.session.dirty or self.warned_unsaved:
            if self.session is not None and self.session.dirty:
                self.session.revert()
                self.mark()
            return True
        self.warned_unsaved = True
        self.notify("Choices not saved: ctrl+s saves them; press again to discard", severity="warning")
        return False

    def action_close(self) -> None:
        if self.leave_ok():
            self.app.pop_screen()
