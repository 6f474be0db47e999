"""New workshop: a folder, the customer's exports and a scorecard, as one compact form.

The form checks as you type (:func:`~icp_tui.engine.workshop.create.check_new`); ctrl+s or Enter on
the last field creates the workshop in a worker (every file is read first) and the app switches to
it. A folder that has CSV or Excel files is looked into: the file whose headers read best as
accounts, and the one that reads as deals, are filled in.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.create import Created, NewWorkshop, check_new, create_workshop, guess_files, list_specs

FIELDS = (
    ("folder", "Folder", "where the workshop goes, e.g. acme-workshop"),
    ("accounts", "Accounts", "the account export (CSV/XLSX)"),
    ("deals", "Deals", "optional: the opportunity export"),
    ("lists", "Lists", "optional: Sales=sales.csv; Marketing=mkt.csv"),
    ("scorecard", "Scorecard", "blank: a starter drawn from the accounts"),
    ("name", "Name", "optional: e.g. Q1 ICP workshop"),
    ("organisation", "Organisation", "optional: the customer's name"),
)


def spec_of(values: dict[str, str]) -> NewWorkshop:
    """The form's text as a request; ValueError for a list that is not FUNCTION=FILE."""
    def path(key: str) -> Path | None:
        return Path(values[key].strip()).expanduser() if values.get(key, "").strip() else None

    return NewWorkshop(path("folder") or Path(), path("accounts") or Path(), path("deals"),
                       list_specs(values.get("lists", "").split(";")), path("scorecard"),
                       values.get("name", "").strip(), values.get("organisation", "").strip())


class NewWorkshopScreen(ModalScreen[Created | None]):
    HELP = """
    # New workshop

    A workshop is a folder with a workshop.toml naming its files. Give the folder, the customer's
    account export and, if you have them, the deal export, each function's list (FUNCTION=FILE, one
    per line) and a scorecard (left blank: a starter drawn from the accounts). Every file is read and
    checked as you type; Ctrl+S creates the folder and copies the files into it.
    """

    HELP_KEYS = [("Tab", "the next field")]
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel"), Binding("ctrl+s", "create", "Create", priority=True)]

    def __init__(self, folder: str | Path | None = None) -> None:
        super().__init__()
        self.values = {key: "" for key, _, _ in FIELDS}
        if folder is not None:
            self.values["folder"] = str(folder)
            self.values.update(guess_files(Path(folder)))
        self.problem: str | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        with Vertical(id="new-workshop"):
            yield Static(Text("New workshop", style="bold"), id="new-title")
            with Grid(id="new-grid"):
                for key, label, hint in FIELDS:
                    yield Label(label, classes="new-label")
                    yield Input(self.values[key], placeholder=hint, compact=True, id=f"new-{key}")
            yield Static(id="new-check")
            yield Static(Text("ctrl+s creates · Tab next field · Escape cancels", style="dim"), id="new-keys")

    def on_mount(self) -> None:
        first_empty = next((k for k, _, _ in FIELDS[:2] if not self.values[k]), "folder")
        self.query_one(f"#new-{first_empty}", Input).focus()
        self.check()

    def read(self) -> dict[str, str]:
        return {key: self.query_one(f"#new-{key}", Input).value for key, _, _ in FIELDS}

    def check(self) -> None:
        values = self.read()
        problems: list[str] = []
        if not values["folder"].strip():
            problems.append("name the workshop folder")
        if not values["accounts"].strip():
            problems.append("name the accounts file")
        if not problems:
            try:
                problems = check_new(spec_of(values))
            except ValueError as e:
                problems = [str(e)]
        self.problem = problems[0] if problems else None
        text = Text(f"✗ {self.problem}", style="bold red") if self.problem else Text("✓ ready: ctrl+s creates it", style="green")
        self.query_one("#new-check", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == f"new-{FIELDS[-1][0]}":
            self.action_create()
        else:
            self.focus_next()

    def action_create(self) -> None:
        self.check()
        if self.problem or self.busy:
            self.app.bell()
            return
        self.busy = True
        self.query_one("#new-check", Static).update(Text("Reading the files …", style="cyan"))
        self.create(spec_of(self.read()))

    @work(thread=True, exclusive=True, group="new-workshop")
    def create(self, spec: NewWorkshop) -> None:
        try:
            created = create_workshop(spec)
        except (IcpError, OSError) as e:
            self.app.call_from_thread(self.failed, str(e))
            return
        self.app.call_from_thread(self.dismiss, created)

    def failed(self, message: str) -> None:
        self.busy = False
        self.query_one("#new-check", Static).update(Text(f"✗ {message}", style="bold red"))
