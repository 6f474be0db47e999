"""Scorecard workbench: the editor (criteria, buckets, bands, anti-personas, exclusions) with a live preview.

Every edit goes through :class:`~icp_tui.engine.workshop.scorecard_session.ScorecardSession` (undoable,
checked by the engine); the preview re-scores from cached per-criterion columns after each one, and
the checklist against the deal history is recomputed in a worker.
"""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, LoadingIndicator, Static, TabbedContent, TabPane

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.scorecard_session import ScorecardSession
from icp_tui.tui import kept_scorecards
from icp_tui.tui.screens.scorecard import forms, timing_form
from icp_tui.tui.widgets import fit_table
from icp_tui.tui.widgets.scorecard_view import checklist_view, preview_view, top_view
from icp_tui.tui.widgets.step_bar import StepBar

RULE_TABS = {"anti": "anti_personas", "excl": "exclusions"}
NARROW = 100  # below this many columns the criteria table drops its category column
SHARE_NOTE = {"timing": "timing", "qualification": "qualify"}  # criteria outside the fit score
COMPACT = 60  # a preview narrower than this shows the one-line checklist and fewer top accounts
KEYS_WIDE = "Enter edit · +/- step · w weights · a add · Del delete · shift+↑↓ move"
KEYS_NARROW = "Enter edit · w weights · F1 keys"


class ScorecardScreen(Screen):
    HELP = """
    # Scorecard

    The ICP scorecard: **criteria** (a field, its buckets of values or ranges and the points each
    gives, and a weight), **bands** (fit score to band and tier; under them the timing bands, timing
    score to the digit of the priority grade such as A1), **anti-personas** (accounts that
    rarely buy or stay) and **exclusions** (never in a new-business list). The right side previews the
    effect of every edit on the accounts at once, with the quality checklist against closed deals.
    Edits are undoable and only saved with Ctrl+S (F6 saves a new version beside it). F3 checks the
    scorecard against won and lost deals; F4 shows what the deal history says by itself.
    """

    HELP_KEYS = [("Enter", "edit the highlighted row: a criterion, a bucket (test, points, label), a band or a rule"),
                 ("Tab", "the next part: tabs, criteria, buckets, preview")]
    BINDINGS = [
        Binding("escape", "app.pop_screen", "Back"),
        Binding("f3", "validation", "Check", tooltip="the checklist against won and lost deals, and suggested weights"),
        Binding("f4", "analysis", "Analysis", tooltip="wins against losses, segments, customer tiers, ICP coverage"),
        Binding("ctrl+z", "undo", "Undo"),
        # the footer keeps Quit and Help in sight at 80 columns: redo, save as a version and diff are in F1
        Binding("ctrl+y", "redo", "Redo", show=False, tooltip="redo what was undone"),
        Binding("ctrl+s", "save", "Save", tooltip="save the scorecard (comments and order kept)"),
        Binding("f6", "save_version", "Save version", show=False, tooltip="save as a new version beside it (v1.1, ...)"),
        Binding("f7", "diff", "Diff", show=False, tooltip="the changes against the saved file"),
        Binding("ctrl+o", "open", "Open", show=False, tooltip="open another scorecard file"),
        Binding("a", "add", "Add", show=False, tooltip="add a row after the highlighted one"),
        Binding("delete", "delete", "Delete", show=False, tooltip="delete the highlighted row (ctrl+z brings it back)"),
        Binding("plus,equals_sign", "step(1)", "+", show=False, tooltip="weight up by 0.5 (criteria), points up by 1 (buckets)"),
        Binding("minus", "step(-1)", "-", show=False, tooltip="weight down by 0.5 (criteria), points down by 1 (buckets)"),
        Binding("w", "weight", "Weight", show=False, tooltip="every weight in one form"),
        Binding("shift+up", "move(-1)", "Up", show=False, tooltip="move the row up"),
        Binding("shift+down", "move(1)", "Down", show=False, tooltip="move the row down"),
    ]

    def __init__(self, workshop: Workshop, session: ScorecardSession | None = None) -> None:
        super().__init__()
        self.workshop = workshop
        self.session = session

    def compose(self) -> ComposeResult:
        yield Header()
        yield StepBar()
        yield LoadingIndicator(id="sc-loading")
        with Horizontal(id="sc-main"):
            with Vertical(id="sc-editor"):
                with TabbedContent(initial="crit", id="sc-tabs"):
                    with TabPane("Criteria", id="crit"):
                        yield DataTable(id="criteria", cursor_type="row")
                        yield Static(id="bucket-title")
                        yield DataTable(id="buckets", cursor_type="row")
                    with TabPane("Bands", id="bands-tab"):
                        yield DataTable(id="bands", cursor_type="row")
                        yield Static(id="bands-detail", classes="sc-detail")
                        yield DataTable(id="timing", cursor_type="row")  # timing bands: timing_form.py
                        yield Static(id="timing-detail", classes="sc-detail")
                    with TabPane("Anti-personas", id="anti-tab"):
                        yield DataTable(id="anti", cursor_type="row")
                        yield Static(id="anti-detail", classes="sc-detail")
                    with TabPane("Exclusions", id="excl-tab"):
                        yield DataTable(id="excl", cursor_type="row")
                        yield Static(id="excl-detail", classes="sc-detail")
                yield Static(id="lint")
            with VerticalScroll(id="sc-preview"):
                yield Static(id="pv-main")
                yield Static(id="pv-check")  # before the top accounts: on a small screen it is what shows
                yield Static(id="pv-top")
        yield Static(id="sc-status")
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"Scorecard · {self.workshop.name}"
        self.query_one("#sc-main").display = False
        self.session = self.session or kept_scorecards.kept_session(self.app, self.workshop)  # edits not saved
        if self.session is None:
            self.load()
        else:
            self.ready(self.session)

    @work(thread=True, exclusive=True, group="scorecard-load")
    def load(self) -> None:
        try:
            session = ScorecardSession(self.workshop)
        except IcpError as e:
            self.app.call_from_thread(self.notify, f"Cannot open the scorecard: {e}", severity="error", timeout=10)
            return
        self.app.call_from_thread(self.ready, session)

    def ready(self, session: ScorecardSession) -> None:
        self.session = session
        kept_scorecards.keep(self.app, session)  # the app keeps it while it has edits not saved
        self.query_one("#sc-loading").display = False
        self.query_one("#sc-main").display = True
        self.refresh_all()
        self.call_after_refresh(self.redraw_preview)  # once laid out, the preview knows its width
        self.query_one("#criteria").focus()

    def on_unmount(self) -> None:
        if self.session is not None:
            kept_scorecards.release(self.app, self.session)

    def redraw_preview(self) -> None:
        self.show_buckets()  # the tables' columns are sized to the editor's width
        self.show_bands_and_rules()
        self.show_preview()
        if getattr(self, "validation", None) is not None:
            self.show_checklist(self.validation)

    # -- drawing --------------------------------------------------------------------------------

    def refresh_all(self) -> None:
        self.show_criteria()
        self.show_buckets()
        self.show_bands_and_rules()
        self.show_lint()
        self.show_preview()
        self.show_status()
        self.check_history()

    def _fill(self, tid: str, rows: list[tuple]) -> None:
        table = self.query_one(f"#{tid}", DataTable)
        row = table.cursor_row
        table.clear()
        for r in rows:
            table.add_row(*r)
        if table.row_count:
            table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    @property
    def narrow(self) -> bool:
        return self.size.width < NARROW

    def on_resize(self) -> None:
        if self.session:
            self.show_criteria()
            self.show_status()
            self.call_after_refresh(self.redraw_preview)

    def show_criteria(self) -> None:
        sc = self.session.scorecard
        table = self.query_one("#criteria", DataTable)
        cols = ("#", "Criterion", "Weight", "Points", "Share") if self.narrow else \
            ("#", "Criterion", "Category", "Weight", "Points", "Share")
        if tuple(str(c.label) for c in table.columns.values()) != cols:
            table.clear(columns=True)
            table.add_columns(*cols)
        fit_total = sum(c.max_points for c in sc.criteria if sc.score_of(c) == "fit")
        rows = []
        for i, c in enumerate(sc.criteria, 1):
            fit = sc.score_of(c) == "fit"
            share = f"{c.max_points / fit_total:.0%}" if fit and fit_total else SHARE_NOTE[sc.score_of(c)]
            cells = [str(i), c.label, c.category.replace("_", " "), f"{c.weight:g}", f"{c.max_points:g}",
                     Text(share, style="" if fit else "dim")]
            if self.narrow:
                del cells[2]
            rows.append(tuple(cells))
        self._fill("criteria", rows)

    def current_criterion(self) -> int:
        return max(0, self.query_one("#criteria", DataTable).cursor_row)

    def show_buckets(self) -> None:
        s = self.session
        j = min(self.current_criterion(), len(s.scorecard.criteria) - 1)
        c = s.scorecard.criteria[j]
        counts = s.bucket_counts(j)
        about = f" · field {c.field}" if self.narrow else f"  {c.category.replace('_', ' ')} · field {c.field} · weight {c.weight:g}"
        self.query_one("#bucket-title", Static).update(Text.assemble(
            (f"Buckets of {c.label}", "bold"), (about, "dim"), no_wrap=True, overflow="ellipsis"))
        heads = ("Test", "Pts" if self.narrow else "Points", "Accts" if self.narrow else "Accounts", "Label")
        rows = [(s.bucket_text(j, b), f"{bk.points:g}", f"{counts[b]:,}" if counts else "–", bk.label)
                for b, bk in enumerate(c.buckets)]
        self._fit("buckets", heads, rows, flex=(0, 3))

    def _fit(self, tid: str, heads: tuple[str, ...], rows: list[tuple], flex: tuple[int, ...]) -> None:
        """Fill a table to the editor's width (a scrollbar may take 2 columns): no sideways scrolling."""
        room = max(30, (self.query_one("#sc-editor").size.width or 80) - 2)
        fit_table.fill(self.query_one(f"#{tid}", DataTable), heads, rows, room, flex)

    def show_bands_and_rules(self) -> None:
        s = self.session
        band_n = dict(s.preview_counts())
        self._fit("bands", ("Min", "Band", "Tier", "Accts" if self.narrow else "Accounts", "Action"),
                  [(f"{b.min:g}", b.label, b.tier, f"{band_n.get(b.label, 0):,}", b.action)
                   for b in sorted(s.scorecard.bands, key=lambda b: -b.min)], flex=(4,))
        for tid, kind in RULE_TABS.items():
            hits = s.rule_counts(kind)
            rules = getattr(s.scorecard, kind)
            self._fit(tid, ("Name", "Match", "Conditions", "Accts" if self.narrow else "Accounts"),
                      [(r.name, r.join, "; ".join(m.source or m.describe() for m in r.conditions),
                        f"{hits[i]:,}" if hits else "–") for i, r in enumerate(rules)], flex=(0, 2))
        for tid in ("bands", *RULE_TABS):
            self.show_detail(tid)
        timing_form.show(self)

    def show_detail(self, tid: str) -> None:
        """Under a band or rule table, the highlighted row's text whole (its cells may be cut)."""
        sc, row = self.session.scorecard, max(0, self.query_one(f"#{tid}", DataTable).cursor_row)
        text = Text()
        if tid == "bands" and sc.bands:
            b = sorted(sc.bands, key=lambda b: -b.min)[min(row, len(sc.bands) - 1)]
            text.append(f"{b.label}", style="bold")
            text.append(f" · fit {b.min:g}+ · {b.tier}: {b.action}")
        elif tid in RULE_TABS and getattr(sc, RULE_TABS[tid]):
            rules = getattr(sc, RULE_TABS[tid])
            r = rules[min(row, len(rules) - 1)]
            text.append(r.name, style="bold")
            text.append(f" · {r.join} of: " + "; ".join(m.source or m.describe() for m in r.conditions))
            if r.reason:
                text.append(f"\n{r.reason}", style="dim")
        self.query_one(f"#{tid}-detail", Static).update(text)

    def show_lint(self) -> None:
        findings = self.session.lint()
        text = Text()
        for f in findings[:3]:
            text.append(f"{'!' if f.severity == 'warning' else 'i'} {f.key}: {f.message}\n",
                        style="yellow" if f.severity == "warning" else "dim")
        if len(findings) > 3:
            text.append(f"… {len(findings) - 3} more (icp lint)", style="dim")
        self.query_one("#lint", Static).update(text or Text("✓ lint: no findings", style="green"))

    def preview_width(self) -> int:
        return max(20, self.query_one("#pv-main").content_size.width or 40)

    def show_preview(self) -> None:
        width = self.preview_width()
        p = self.session.preview()
        self.query_one("#pv-main", Static).update(preview_view(p, width))
        self.query_one("#pv-top", Static).update(top_view(p, width, top=8 if width >= COMPACT else 5))

    def show_status(self) -> None:
        s = self.session
        name = f"v{s.scorecard.version}" if self.narrow else f"{s.scorecard.name} v{s.scorecard.version}"
        text = Text.assemble((f" {s.path.name}", "bold"), f" · {name}", no_wrap=True, overflow="ellipsis")
        unsaved = kept_scorecards.mark(self.app, s)  # "● 3 unsaved", also in the title: the room sees it
        self.sub_title = " · ".join(filter(None, (f"Scorecard · {self.workshop.name}", unsaved)))
        if unsaved:
            text.append(f" · {unsaved}", style="bold yellow")
        text.append(f"  {KEYS_NARROW if self.narrow else KEYS_WIDE}", style="dim")
        self.query_one("#sc-status", Static).update(text)

    @work(thread=True, exclusive=True, group="scorecard-check")
    def check_history(self) -> None:
        v = self.session.validation()
        self.app.call_from_thread(self.show_checklist, v)

    def show_checklist(self, v) -> None:
        self.validation = v
        width = self.preview_width()
        self.query_one("#pv-check", Static).update(checklist_view(v, width if width < COMPACT else None))

    def after_edit(self, what: str = "") -> None:
        self.refresh_all()
        if what:
            self.notify(what, timeout=3)

    # -- which table is active ------------------------------------------------------------------

    def active(self) -> str:
        focused = self.focused
        return focused.id if isinstance(focused, DataTable) else ""

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if self.session and event.data_table.id == "criteria":
            self.show_buckets()
        elif self.session and event.data_table.id in ("bands", *RULE_TABS):
            self.show_detail(event.data_table.id or "")
        elif self.session and event.data_table.id == "timing":
            timing_form.show_detail(self)

    def _guard(self, fn, *args, **kwargs) -> bool:
        try:
            fn(*args, **kwargs)
        except (IcpError, ValueError, OSError) as e:
            self.notify(str(e), severity="error", timeout=8)
            return False
        return True

    # -- actions ----------------------------------------------------------------------------------

    def action_step(self, delta: int) -> None:
        if not self.session:
            return
        t = self.active()
        if t == "criteria":
            self._guard(forms.step_weight, self, delta)
        elif t == "buckets":
            self._guard(forms.step_points, self, delta)

    def action_weight(self) -> None:
        if self.session and self.active() == "criteria":
            forms.ask_weight(self)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter (or a click) on a row edits it."""
        if self.session:
            forms.edit(self, event.data_table.id or "")

    def action_add(self) -> None:
        if self.session:
            forms.add(self, self.active())

    def action_delete(self) -> None:
        if self.session:
            self._guard(forms.delete, self, self.active())

    def action_move(self, delta: int) -> None:
        if self.session:
            self._guard(forms.move, self, self.active(), delta)

    def action_undo(self) -> None:
        if self.session and self.session.editor.can_undo:
            self.after_edit(f"Undone: {self.session.undo()}")

    def action_redo(self) -> None:
        if self.session and self.session.editor.can_redo:
            self.after_edit(f"Redone: {self.session.redo()}")

    def action_save(self) -> None:
        if self.session and self._guard(self.session.save):
            self.after_edit(f"Saved {self.session.path}")
            self._log_problem()

    def _log_problem(self) -> None:
        if self.session and self.session.note:
            self.notify(self.session.note, timeout=8)
        if self.session and self.session.log_error:
            self.notify(self.session.log_error, severity="warning", timeout=8)

    def action_save_version(self) -> None:
        if self.session and self._guard(lambda: self.session.save(new_version=True)):
            self.after_edit(f"Saved as version {self.session.scorecard.version}: {self.session.path}")
            self._log_problem()

    def action_diff(self) -> None:
        if self.session:
            from icp_tui.tui.screens.dialogs.text_view import TextScreen

            diff = self.session.editor.diff()
            self.app.push_screen(TextScreen(f"Changes to {self.session.path.name} since it was saved",
                                            diff or "No changes since the last save.", diff=True))

    def action_open(self) -> None:
        if self.session:
            forms.ask_open(self)

    def action_validation(self) -> None:
        if self.session:
            from icp_tui.tui.screens.scorecard.validation import ValidationScreen

            self.app.push_screen(ValidationScreen(self.session), lambda _: self.after_edit())

    def action_analysis(self) -> None:
        if self.session:
            from icp_tui.tui.screens.scorecard.analysis import AnalysisScreen

            self.app.push_screen(AnalysisScreen(self.session), lambda _: self.after_edit())  # an anti-persona may be added
