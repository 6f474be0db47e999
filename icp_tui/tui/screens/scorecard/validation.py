"""Validation: the scorecard against won and lost deals, and the weights the history suggests."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, LoadingIndicator, Static

from icp_tui.engine.history.validation_report import shown_of
from icp_tui.engine.workshop.scorecard_session import ScorecardSession
from icp_tui.tui.widgets.scorecard_view import checklist_view

#: From this many columns the checklist shows each item's target too.
WIDE = 100


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _auc(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def _table(*cols: tuple[str, str]) -> Table:
    t = Table(box=None, header_style="bold", pad_edge=False, padding=(0, 1))
    for name, justify in cols:
        t.add_column(name, justify=justify, no_wrap=True, overflow="ellipsis")  # type: ignore[arg-type]
    return t


def bands_view(v) -> Table:
    t = _table(("Band", "left"), ("Deals", "right"), ("Won", "right"), ("Win rate", "right"), ("Mean ACV", "right"),
               ("Cycle", "right"), ("NRR", "right"))
    for b in v.bands:
        t.add_row(b.label, str(b.deals), str(b.won), _pct(b.win_rate), "–" if b.mean_acv is None else f"${b.mean_acv:,.0f}",
                  "–" if b.median_cycle is None else f"{b.median_cycle:.0f} d", _pct(b.nrr))
    return t


def suggestion_view(v, s) -> Group | Text:
    if s is None:
        return Text("No deal history: nothing to suggest.", style="dim")
    if not s.ok:
        return Text(f"No suggested weights: {s.message}.", style="yellow")
    lifts = {x.criterion: x for x in v.lifts} if v else {}
    t = _table(("Criterion", "left"), ("Lift", "right"), ("Weight", "right"), ("Suggested", "right"), ("Points", "right"),
               ("→", "right"))
    for w in s.weights:
        x = lifts.get(w.criterion)
        lift = "–" if x is None or x.lift is None else ("∞" if x.lift == float("inf") else f"{x.lift:.2f}")
        style = "green" if w.suggested > w.current else ("red" if w.suggested < w.current else "")
        t.add_row(w.label, lift, f"{w.current:g}", Text(f"{w.suggested:g}", style=style), f"{w.current_points:g}",
                  Text(f"{w.suggested_points:g}", style=style))
    head = Text()
    head.append("Suggested weights", style="bold")
    head.append(f"  logistic regression (L2) on bucket indicators, {s.deals} closed deals\n", style="dim")
    head.append(f"AUC now {_auc(s.auc_current)} → suggested {_auc(s.auc_suggested)}")
    split = s.split
    if split.get("auc_current") is not None:
        head.append(f"\nLatest quarter ({split['test']} deals), fitted on the {split['train']} before it: "
                    f"AUC {_auc(split['auc_current'])} → {_auc(split.get('auc_suggested'))}", style="dim")
    elif split.get("message"):
        head.append(f"\nTime split: {split['message']}", style="dim")
    if s.caution:
        head.append(f"\n{s.signal_text()}", style="dim")
        return Group(head, t, Text(f"Not an improvement: {s.caution} (a is off).", style="bold yellow"))
    return Group(head, t, Text("a applies them (ctrl+z undoes)", style="bold"))


def window_view(w) -> Text:
    """Which closed deals count: all, or those since a date; and what the window warns about."""
    if w is None:
        return Text("")
    text = Text()
    text.append(w.summary()[0].upper() + w.summary()[1:], style="bold" if w.since else "dim")
    text.append("  w changes" if w.since else "  w sets a window", style="dim")
    for line in w.warnings:
        text.append(f"\n! {line}", style="yellow")
    for line in w.notes:
        text.append(f"\n{line}", style="dim")
    return text


def misses_view(v, top: int = 8) -> Group:
    t = _table(("Deal", "left"), ("Account", "left"), ("Outcome", "left"), ("Fit", "right"), ("Points behind it", "left"))
    shown = v.misses[:top]
    for m in shown:
        pts = ", ".join(f"{label} {p:g}" for label, p in sorted(m.points, key=lambda x: -x[1])[:3] if p > 0)
        t.add_row(m.deal, m.account, Text(m.outcome, style="green" if m.outcome == "won" else "red"), f"{m.fit:.0f}", pts or "none")
    return Group(Text(f"Deals it gets wrong: {shown_of(len(shown), v.wrong_total)} (wins below 55, losses above 70)",
                      style="bold"), t)


class ValidationScreen(Screen):
    HELP = """
    # Validation

    The scorecard against the closed deals: the quality checklist (enough deals, wins 70+, losses
    below 55, wins in the ranges, weight that earns its lift; then Tier 1 against Tier 3 on win rate,
    ACV, cycle and NRR, the close rate at 85+, the latest wins at 70+ and won against lost scores:
    "n/a" where there are too few deals to say), each criterion's lift, the win rate, deal size,
    cycle and NRR per band, and the deals it scores wrongly with the points behind them. Below the
    checklist, the weights the history suggests (a logistic regression); a applies them when some
    criterion separates wins from losses beyond chance, and says so when they would only be fitted
    to noise.

    w sets a window: only the deals closed since a date (2025-12-03) or a number of months back
    (12m, 18 months) count, here and in the analysis; empty counts them all. r records today's date
    and the result in the scorecard (validated = ..., saved with ctrl+s in the editor), so that lint
    can say when it is more than 6 months old.
    """

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("a", "apply", "Apply weights",
                tooltip="apply the suggested weights (one undoable edit; off when they fit noise)"),
        Binding("w", "window", "Window", tooltip="count only the deals closed since a date or 12m, 18 months ago"),
        Binding("r", "record", "Record", tooltip="record today as the date it was validated, with the result"),
        Binding("ctrl+z", "undo", "Undo", tooltip="undo the applied weights"),
    ]

    def __init__(self, session: ScorecardSession) -> None:
        super().__init__()
        self.session = session
        self.suggestion = None
        self.validation = None

    def compose(self) -> ComposeResult:
        yield Header()
        yield LoadingIndicator(id="va-loading")
        with VerticalScroll(id="va-body"):
            yield Static(id="va-window")
            yield Static(id="va-check")
            yield Static(id="va-suggest")
            yield Static(id="va-bands")
            yield Static(id="va-misses")
        yield Footer()

    def on_mount(self) -> None:
        self.show_title()
        self.compute()

    def show_title(self) -> None:
        """The title, and the window's line under it (the title has no room for it at 80 columns)."""
        self.sub_title = f"Validation · {self.session.scorecard.name} v{self.session.scorecard.version}"
        self.query_one("#va-window", Static).update(window_view(self.session.window))

    @work(thread=True, exclusive=True, group="validation")
    def compute(self) -> None:
        v = self.session.validation()
        s = self.session.suggestion()
        self.app.call_from_thread(self.show, v, s)

    def show(self, v, s) -> None:
        self.suggestion = s
        self.query_one("#va-loading").display = False
        self.validation = v
        self.show_checklist()
        self.query_one("#va-suggest", Static).update(suggestion_view(v, s))
        if v is not None:
            bands = Group(Text("\nBy band", style="bold"), bands_view(v))
            self.query_one("#va-bands", Static).update(bands)
            self.query_one("#va-misses", Static).update(Group(Text(""), misses_view(v)))
        self.query_one("#va-body").focus()
        self.refresh_bindings()

    def show_checklist(self) -> None:
        """Under WIDE columns one line per item (short names where the full ones do not fit); else with targets."""
        width = self.size.width
        view = checklist_view(self.validation, width - 4 if width < WIDE else None)
        self.query_one("#va-check", Static).update(view)

    def on_resize(self) -> None:
        if self.validation is not None:
            self.show_checklist()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`a` is shown dimmed (and does nothing) while there are no weights that may be applied."""
        if action == "apply":
            return True if self.suggestion is not None and self.suggestion.applicable else None
        return True

    def action_apply(self) -> None:
        s = self.suggestion
        if s is None or not s.ok:
            self.notify("No suggested weights to apply.", severity="warning")
            return
        if not s.applicable:
            self.notify(f"Not applied: {s.caution}.", severity="warning", timeout=8)
            return
        self.session.edit("set_weights", s.as_dict(), "apply the suggested weights")
        self.notify("Suggested weights applied (ctrl+z undoes; ctrl+s in the editor saves).")
        self.query_one("#va-loading").display = True
        self.compute()

    def action_undo(self) -> None:
        if self.session.editor.can_undo:
            self.notify(f"Undone: {self.session.undo()}")
            self.compute()

    def action_window(self) -> None:
        from datetime import date

        from icp_tui.engine.history.window import parse_since
        from icp_tui.tui.screens.dialogs.form import FormField, FormScreen

        w = self.session.window
        if w is None:
            self.notify("No deal history in this workshop: there is nothing to window.", severity="warning")
            return
        today = date.today()

        def check(values: dict[str, str]):
            text = values["since"].strip()
            if not text:
                return None, []
            try:
                parse_since(text, today)
            except ValueError as e:
                return str(e), []
            return None, []

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            text = values["since"].strip()
            self.session.set_window(parse_since(text, today) if text else None)
            self.show_title()
            self.query_one("#va-loading").display = True
            self.compute()

        field = FormField("since", "Deals closed since", w.since.isoformat() if w.since else "", placeholder="12m")
        self.app.push_screen(FormScreen("Deal window", [field], check, "A date (2025-12-03) or months back (12m, "
                                        "18 months); empty: every closed deal."), done)

    def action_record(self) -> None:
        from datetime import date

        from icp_tui.engine.core.errors import IcpError

        try:
            line = self.session.record_validated(date.today())
        except IcpError as e:
            self.notify(str(e), severity="warning")
            return
        self.notify(f"Recorded as validated today: {line} (ctrl+z undoes; ctrl+s in the editor saves).", timeout=8)

    def action_back(self) -> None:
        self.dismiss(None)
