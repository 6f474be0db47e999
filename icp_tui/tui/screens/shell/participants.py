"""Participants: who is in the room and for which function, kept in workshop.toml ([[participants]])."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.labels import label_key
from icp_tui.engine.maturity.assessment import load_responses
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.workshop.agenda import save_participants
from icp_tui.engine.workshop.intake import assessments_folder
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.tui.widgets.step_bar import StepBar

FUNCTIONS = ("Sales", "Marketing", "Customer Success", "Product", "Finance", "RevOps", "Leadership", "Other")


def check_person(values: dict[str, str]) -> tuple[str | None, list[str]]:
    return (None if values.get("name", "").strip() else "a name is needed"), []


class ParticipantsScreen(Screen):
    HELP = """
    # Participants

    Who is in the room, and for which function: the report lists them, and the Maturity step shows
    whether each has sent a self-assessment. Add a person with a, change the highlighted one with
    Enter, remove one with Delete. Everything is saved to workshop.toml at once.
    """

    DEFAULT_CSS = "#pp-summary, #pp-where { padding: 0 1; }"

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("a", "add", "Add", tooltip="add a participant"),
        Binding("delete", "remove", "Remove", tooltip="remove the highlighted participant"),
    ]
    HELP_KEYS = [("Enter", "change the highlighted participant")]

    def __init__(self, workshop: Workshop) -> None:
        super().__init__()
        self.workshop = workshop

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepBar()
        yield Static(id="pp-summary")
        yield DataTable(id="pp-table", cursor_type="row", zebra_stripes=False)
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Participants · {self.workshop.name}"
        self.query_one(DataTable).add_columns("Name", "Function", "Self-assessment")
        self.fill()

    def answered(self) -> set[str]:
        responses, _ = load_responses(assessments_folder(self.workshop), default_questionnaire())
        return {label_key(r.respondent) for r in responses if r.respondent.strip()}

    def fill(self, at: int = 0) -> None:
        people = self.workshop.participants
        done = self.answered()
        table = self.query_one(DataTable)
        table.clear()
        for p in people:
            sent = label_key(p.name) in done
            table.add_row(p.name, p.function or "–", Text("sent" if sent else "not yet", style="green" if sent else "yellow"))
        n = sum(label_key(p.name) in done for p in people)
        text = Text(f"{len(people)} participant{'s' if len(people) != 1 else ''}", style="bold")
        if people:
            text.append(f" · {n} of {len(people)} sent a self-assessment", style="dim")
        else:
            text.append(" · a adds the first one", style="dim")
        self.query_one("#pp-summary", Static).update(text)
        if people:
            table.move_cursor(row=min(at, len(people) - 1))
        table.focus()

    def _save(self, people: list[tuple[str, str]], at: int) -> None:
        from icp_tui.engine.workshop.manifest import Workshop

        try:
            save_participants(self.workshop.manifest, people)
            self.workshop = Workshop.load(self.workshop.root)
        except (IcpError, OSError) as e:
            self.notify(f"Not saved: {e}", severity="error", timeout=8)
            return
        self.app.workshop = self.workshop  # type: ignore[attr-defined]
        self.fill(at)

    def _people(self) -> list[tuple[str, str]]:
        return [(p.name, p.function) for p in self.workshop.participants]

    def _form(self, title: str, name: str, function: str, done) -> None:
        from icp_tui.tui.screens.dialogs.form import FormField, FormScreen

        fields = [FormField("name", "Name", name, placeholder="Dana Reyes"),
                  FormField("function", "Function", function or FUNCTIONS[0],
                            choices=FUNCTIONS if not function or function in FUNCTIONS else (*FUNCTIONS, function))]
        self.app.push_screen(FormScreen(title, fields, check_person), done)

    def action_add(self) -> None:
        def done(values: dict[str, str] | None) -> None:
            if values:
                people = self._people() + [(values["name"].strip(), values["function"])]
                self._save(people, len(people) - 1)

        self._form("Add a participant", "", "", done)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        row = event.cursor_row
        people = self._people()
        if not 0 <= row < len(people):
            return

        def done(values: dict[str, str] | None) -> None:
            if values:
                people[row] = (values["name"].strip(), values["function"])
                self._save(people, row)

        self._form("Change a participant", *people[row], done)

    def action_remove(self) -> None:
        table = self.query_one(DataTable)
        people = self._people()
        if people and 0 <= table.cursor_row < len(people):
            gone = people.pop(table.cursor_row)
            self._save(people, table.cursor_row)
            self.notify(f"Removed {gone[0]}")
