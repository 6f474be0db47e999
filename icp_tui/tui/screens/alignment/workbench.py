"""Alignment: each function's list in its own pane, where they disagree, and the TAL the room builds."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import HorizontalScroll, Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from icp_tui.engine.alignment.matching import repeats
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.alignment_session import AlignmentSession
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.tui.screens.alignment.tal_tab import TalTab
from icp_tui.tui.widgets.disagreement import fit_table, group_tables, overlap_table, rbo_line
from icp_tui.tui.widgets.function_pane import FunctionPane
from icp_tui.tui.widgets.step_bar import StepBar
from icp_tui.tui.widgets.tal_table import TAL_HEADS


class AlignmentScreen(TalTab):  # a Screen, with the TAL tab's keys and views (tal_tab.py)
    # five panes fit side by side from 120 columns; below that they keep a readable width and scroll
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (115, "-wide")]
    DEFAULT_CSS = "#groups { height: auto; border: none; background: transparent; } #groups > .option-list--option { padding: 0 0 1 0; }"
    HELP = """
    # Alignment

    Each GTM function proposes its own target accounts. **Lists** (F2): a pane per function; every
    entry is matched to an account of the universe (✓ matched, ? a suggested match to confirm with y
    or keep as a new account with n, + not in the accounts file). Add, paste, import, remove and
    reorder entries there. **Disagreement** (F3): each list scored with the shared scorecard, the
    overlap between lists, and the consensus, contested and orphan accounts. **TAL** (F4): the one
    list the room agrees on: include, exclude or park an account (with a reason), change its tier,
    set how many functions must agree (+/-), order it by priority grade (g: fit letter x timing digit,
    A1 first) or by votes, and export it. In a private workshop ([agenda] private =
    true) each list shows only its count until r reveals them to the room.

    **Hold-out** (seed 002: try a changed ICP on most of the list, not all of it): h sets aside a
    share of the TAL (20% by default) as a control group, marked ○; each account is drawn by its own
    key and a stored seed, so accounts added later move nobody. Later, d picks a deal file and
    compares the targeted accounts with the control: deals, pipeline, win rate and the lift.
    """

    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f2", "tab('lists')", "Lists", tooltip="Lists: a pane per function"),
        Binding("f3", "tab('disagree')", "Disagreement", tooltip="Disagreement: fit per list, overlap, consensus, contested, orphans"),
        Binding("f4", "tab('tal')", "TAL", tooltip="TAL: the unified target account list"),
        Binding("a", "add", "Add", show=False, tooltip="Lists: add a company after the highlighted entry"),
        Binding("v", "paste", "Paste", show=False, tooltip="Lists: paste many companies, one per line"),
        Binding("o", "import_column", "Import", show=False, tooltip="Lists: import a column of a CSV or XLSX file"),
        Binding("delete", "remove", "Remove", show=False, tooltip="Lists: remove the highlighted entry"),
        Binding("shift+up", "move(-1)", "Up", show=False, tooltip="Lists: move the entry up (its rank)"),
        Binding("shift+down", "move(1)", "Down", show=False, tooltip="Lists: move the entry down"),
        Binding("y", "settle(True)", "Confirm match", show=False, tooltip="Lists: yes, the suggested match (?) is that account"),
        Binding("n", "settle(False)", "Keep as new", show=False, tooltip="Lists: no, keep the entry as a new account"),
        Binding("u", "undo", "Undo", show=False, tooltip="undo the last change: an entry added, removed or moved, or a TAL decision"),
        Binding("plus,equals_sign", "votes(1)", "Votes +", show=False,
                tooltip="TAL, Disagreement: one more function must propose an account"),
        Binding("minus", "votes(-1)", "Votes -", show=False, tooltip="TAL, Disagreement: one function fewer must propose an account"),
        Binding("r", "reveal", "Reveal", show=False,
                tooltip="reveal the lists to the room (a private workshop shows counts until then)"),
    ]

    def __init__(self, workshop: Workshop, tab: str = "lists") -> None:
        super().__init__()
        self.workshop = workshop
        self.start_tab = tab  # lists, disagree or tal (an agenda step opens its own)
        self.session: AlignmentSession | None = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepBar()
        yield LoadingIndicator(id="al-loading")
        with TabbedContent(initial="lists", id="al-tabs"):
            with TabPane("Lists", id="lists"):
                yield HorizontalScroll(*[FunctionPane(i, ref.function) for i, ref in enumerate(self.workshop.lists)],
                                       id="panes")
                yield Static(id="pane-help", classes="hint")
            with TabPane("Disagreement", id="disagree"), VerticalScroll(id="disagree-body"):
                yield Static(id="fit")
                yield Static(id="overlap")
                yield Static(id="rbo")
                yield OptionList(id="groups")
            with TabPane("TAL", id="tal"), Vertical():
                yield Static(id="tal-summary")
                yield DataTable(id="tal-table", cursor_type="row", zebra_stripes=False)
                yield Static(id="tal-help", classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Alignment · {self.workshop.name}"
        self.query_one("#al-tabs").display = False
        self.load()

    @work(thread=True, exclusive=True, group="alignment")
    def load(self) -> None:
        try:
            session = AlignmentSession(self.workshop)
        except IcpError as e:
            self.app.call_from_thread(self.notify, f"Cannot open the alignment: {e}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self.ready, session)

    def ready(self, session: AlignmentSession) -> None:
        self.session = session
        self.query_one("#al-loading").display = False
        self.query_one("#al-tabs").display = True
        table = self.query_one("#tal-table", DataTable)
        table.add_columns(*TAL_HEADS)
        self.refresh_all()
        if session.warnings:  # lines of a list file that were skipped: said, never lost silently
            self.notify("\n".join(session.warnings), title="Lists read with warnings", severity="warning", timeout=12)
        panes = list(self.query(FunctionPane))
        if self.start_tab != "lists":
            self.action_tab(self.start_tab)
        elif panes:
            panes[0].entries.focus()

    # -- drawing --------------------------------------------------------------------------------

    def refresh_all(self, keep: tuple[int, int] | None = None) -> None:
        s = self.session
        if s is None:
            return
        if self.workshop.agenda.hidden("lists"):
            self.show_hidden()
            return
        for pane, fl in zip(self.query(FunctionPane), s.lists):
            pane.show(fl, s.alignment.matches[fl.function], keep[1] if keep and keep[0] == pane.index else None)
        self.show_pane_help()
        a = s.alignment
        self.query_one("#overlap", Static).update(overlap_table(a))
        self.query_one("#fit", Static).update(fit_table(a))
        self.query_one("#rbo", Static).update(rbo_line(a))
        self.show_groups()
        self.show_tal()

    def show_groups(self) -> None:
        """Consensus, contested and orphans, their first accounts each; Enter opens one in full with the reasons."""
        s = self.session
        if s is None:
            return
        ol = self.query_one("#groups", OptionList)
        at = ol.highlighted
        ol.clear_options()
        for key, table in group_tables(s.alignment, s.file.rule.min_votes):
            ol.add_option(Option(Group(table, Text("Enter: all of them, with the reasons", style="dim italic")), id=key))
        if at is not None:
            ol.highlighted = at

    def show_hidden(self) -> None:
        """Private until revealed: each list's count only, in every tab."""
        s = self.session
        if s is None:
            return
        for pane, fl in zip(self.query(FunctionPane), s.lists):
            pane.show_hidden(fl)
        n = sum(1 for fl in s.lists if fl.entries)
        said = Text(f"{n} of {len(s.lists)} functions sent a list. The lists stay private until you reveal them: "
                    "r shows them to the room.", style="bold yellow")
        self.query_one("#pane-help", Static).update(said)
        for part in ("#overlap", "#fit", "#rbo"):
            self.query_one(part, Static).update("")
        self.query_one("#groups", OptionList).clear_options()
        self.query_one("#fit", Static).update(said)
        self.query_one("#tal-summary", Static).update(said)
        self.query_one("#tal-table", DataTable).clear()
        self.query_one("#tal-help", Static).update("")

    def action_reveal(self) -> None:
        from icp_tui.engine.workshop.agenda import save_agenda_flags

        agenda = self.workshop.agenda
        if not agenda.hidden("lists"):
            self.notify("The lists are shown already.", timeout=3)
            return
        try:
            save_agenda_flags(self.workshop.manifest, revealed=(*agenda.revealed, "lists"))
        except (IcpError, OSError) as e:
            self.notify(f"Not saved: {e}", severity="error", timeout=8)
            return
        agenda.revealed = (*agenda.revealed, "lists")
        self.refresh_all()

    def show_pane_help(self) -> None:
        pane, row = self.current_entry()
        text = Text("a add · v paste · o import CSV · Del remove · Shift+↑↓ rank", style="dim")
        if pane is not None and row is not None and self.session:
            matches = self.session.alignment.matches[pane.function]
            m = matches[row]
            text = Text(m.entry, style="bold")
            if m.account is not None:
                colour = "bold yellow" if m.status == "confirm" else "bold green"
                text.append(f" → {self.session.ctx.universe.names[m.account]}", style=colour)
            text.append(f"  ({m.reason})", style="dim")
            again = repeats(matches)[row]
            if again is not None:
                text.append(f"  = the same as row {again + 1} ({matches[again].entry})", style="bold magenta")
            if m.status == "confirm":
                text.append("   y confirm · n keep as new · Enter choose the account", style="bold")
        self.query_one("#pane-help", Static).update(text)

    # -- helpers ----------------------------------------------------------------------------------

    def current_entry(self) -> tuple[FunctionPane | None, int | None]:
        focused = self.focused
        for pane in self.query(FunctionPane):
            if focused is pane.entries:
                return pane, pane.row
        return None, None

    def on_option_list_option_selected(self, event) -> None:
        """Enter on a suggested match (?): choose which account it is from its candidates; on a group of the
        Disagreement tab: all of its accounts with the reasons."""
        from icp_tui.tui.screens.alignment.match_picker import NEW, MatchPicker

        if event.option_list.id == "groups" and self.session is not None:
            from icp_tui.engine.alignment.report import group_text
            from icp_tui.tui.screens.dialogs.text_view import TextScreen

            title, text = group_text(self.session.alignment, str(event.option.id), self.session.file.rule.min_votes)
            self.app.push_screen(TextScreen(title, text))
            return

        pane, row = self.current_entry()
        if pane is None or row is None or self.session is None:
            return
        m = self.session.alignment.matches[pane.function][row]
        if m.status != "confirm":
            return

        def chosen(choice: str | None) -> None:
            if choice is None or self.session is None:
                return
            if choice == NEW:
                self._guard(self.session.settle_match, m, False)
            else:
                self._guard(self.session.settle_match, m, True, int(choice))
            self.refresh_all((pane.index, row))

        self.app.push_screen(MatchPicker(m.entry, self.session.match_choices(m)), chosen)

    def on_option_list_option_highlighted(self, event) -> None:
        if self.session:
            self.show_pane_help()

    def on_descendant_focus(self) -> None:
        if self.session:
            self.show_pane_help()

    def _guard(self, fn, *args) -> None:
        try:
            fn(*args)
        except (IcpError, OSError) as e:
            self.notify(str(e), severity="error", timeout=8)
        else:
            if self.session and self.session.note:
                self.notify(self.session.note, timeout=8)
            if self.session and self.session.log_error:
                self.notify(self.session.log_error, severity="warning", timeout=8)

    def action_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab
        if tab == "tal":
            self.query_one("#tal-table").focus()
        elif tab == "disagree":
            groups = self.query_one("#groups", OptionList)
            groups.focus()
            if groups.option_count and groups.highlighted is None:
                groups.highlighted = 0
        elif tab == "lists":
            panes = list(self.query(FunctionPane))
            if panes:
                panes[0].entries.focus()

    # -- list editing ---------------------------------------------------------------------------

    def action_add(self) -> None:
        from icp_tui.tui.screens.dialogs.prompt import PromptScreen

        pane, row = self.current_entry()
        if pane is None:
            return

        def done(text: str | None) -> None:
            if text and text.strip():
                self._guard(lambda: self.session.add(pane.index, [text], None))
                self.refresh_all((pane.index, len(self.session.lists[pane.index].entries) - 1))

        self.app.push_screen(PromptScreen(f"Add a company to the {pane.function} list", "",
                                          "Name, website or e-mail address"), done)

    def action_paste(self) -> None:
        from icp_tui.tui.screens.alignment.paste import PasteScreen

        pane, _ = self.current_entry()
        if pane is None:
            return

        def done(text: str | None) -> None:
            if text:
                n = 0

                before = len(self.session.lists[pane.index].entries)

                def run() -> None:
                    nonlocal n
                    n = self.session.paste(pane.index, text)

                self._guard(run)
                twice = [r for r in repeats(self.session.alignment.matches[pane.function])[before:] if r is not None]
                said = f"{n} compan{'y' if n == 1 else 'ies'} added to {pane.function}"
                if twice:
                    said += f"; {len(twice)} already on the list (marked =; Delete removes, u undoes)"
                self.notify(said, severity="warning" if twice else "information", timeout=6)
                self.refresh_all()

        self.app.push_screen(PasteScreen(pane.function), done)

    def action_import_column(self) -> None:
        from icp_tui.tui.screens.dialogs.prompt import PromptScreen

        pane, _ = self.current_entry()
        if pane is None:
            return

        def done(text: str | None) -> None:
            if text and text.strip():
                path, _, column = text.strip().partition("::")
                self._guard(lambda: self.notify(
                    f"{self.session.import_column(pane.index, path, column or None)} companies imported"))
                self.refresh_all()

        self.app.push_screen(PromptScreen(f"Import a CSV column into the {pane.function} list", "",
                                          "path/to/file.csv  or  path/to/file.csv::Column name",
                                          "The first column unless one is named. Enter imports, Escape cancels."), done)

    def action_remove(self) -> None:
        pane, row = self.current_entry()
        if pane is not None and row is not None and self.session:
            gone = self.session.lists[pane.index].entries[row].text
            self._guard(self.session.remove, pane.index, row)
            self.refresh_all((pane.index, row))
            self.notify(f"Removed {gone} from {pane.function}'s list (u undoes)", timeout=4)

    def action_move(self, delta: int) -> None:
        pane, row = self.current_entry()
        if pane is not None and row is not None:
            new = self.session.move(pane.index, row, delta)
            self.refresh_all((pane.index, new))

    def action_settle(self, accept: bool) -> None:
        pane, row = self.current_entry()
        if pane is None or row is None:
            return
        m = self.session.alignment.matches[pane.function][row]
        if m.status != "confirm":
            self.notify("Only a suggested match (?) needs confirming")
            return
        self._guard(self.session.settle_match, m, accept)
        self.refresh_all((pane.index, row))

    def action_undo(self) -> None:
        if self.session and self.session.undo():
            self.refresh_all()
            self.notify(f"Undone: {self.session.last_undone}", timeout=4)
        else:
            self.notify("Nothing to undo")

    def action_votes(self, delta: int) -> None:
        if self.session and self.query_one(TabbedContent).active in ("tal", "disagree"):
            self._guard(lambda: self.session.set_rule(min_votes=self.session.file.rule.min_votes + delta))
            self.refresh_all()
