"""The Alignment screen's TAL tab: its keys (decide, tier, rule, order, AEs, export) and how it is drawn.

A base of :class:`~icp_tui.tui.screens.alignment.workbench.AlignmentScreen` (Textual merges key bindings
only from screens), over its session; the TAL's rules are the engine's (engine/alignment/tal.py).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent

from icp_tui.engine.workshop.alignment_session import TIERS
from icp_tui.engine.workshop.report import tier_counts
from icp_tui.tui.screens.alignment.holdout import MARK_STYLE, HoldoutKeys, group_note, holdout_line, marked
from icp_tui.tui.widgets.disagreement import short
from icp_tui.tui.widgets.tal_table import ORDER_NOTE, next_order, tal_cells, tal_detail

STATUS_STYLE = {"included": "bold green", "proposed": "green", "parked": "yellow", "excluded": "red", "not proposed": "dim"}


class TalTab(HoldoutKeys):
    """The TAL tab's part of the Alignment screen (which sets ``session``, ``workshop`` and ``_guard``)."""

    session: Any
    workshop: Any
    _guard: Any  # (fn, *args): runs fn, an engine error shown as a notification

    BINDINGS = [
        Binding("i", "decide('include')", "Include", show=False, tooltip="TAL: include the account (asks the reason)"),
        Binding("x", "decide('exclude')", "Exclude", show=False, tooltip="TAL: exclude the account (asks the reason)"),
        Binding("p", "decide('park')", "Park", show=False, tooltip="TAL: park the account for later (asks the reason)"),
        Binding("c", "decide(None)", "Clear", show=False, tooltip="TAL: clear the decision on the account"),
        Binding("t", "tier", "Tier", show=False, tooltip="TAL: the next tier for the account"),
        Binding("j", "join", "And/or", show=False, tooltip="TAL: votes and fit, or votes or fit"),
        Binding("s", "aes", "AEs", show=False, tooltip="TAL: the number of account executives (caps Tier 1 at 50 each)"),
        Binding("e", "export", "Export TAL", show=False, tooltip="TAL: write it as CSV into the workshop"),
        Binding("g", "order", "Order", show=False, tooltip="TAL: order by priority grade (A1 first, then fit) or by votes"),
    ]

    def show_tal(self) -> None:
        if self.workshop.agenda.hidden("lists"):
            return
        s = self.session
        tal = s.tal
        rule = s.file.rule
        summary = Text()
        summary.append(f"TAL {len(tal.members)} accounts", style="bold")
        summary.append("  " + "  ".join(f"{t} {n}" for t, n in tier_counts(tal)))
        summary.append("\n")
        summary.append(f"Rule: {rule.min_votes}+ votes {rule.join} {' / '.join(rule.bands)}", style="dim")
        if s.file.aes:
            summary.append(f" · Tier 1 cap {s.file.aes} AEs x {tal.per_ae}", style="dim")
        if tal.order != "votes":
            summary.append(f" · {ORDER_NOTE[tal.order]}", style="bold")
        summary.append("\n")
        summary.append(" · ".join(f"{short(f)} {n}" for f, n in tal.counts_by_function(s.functions).items()), style="dim")
        if (held := holdout_line(tal)) is not None:
            summary.append("\n")
            summary.append_text(held)
        self.query_one("#tal-summary", Static).update(summary)
        table = self.query_one("#tal-table", DataTable)
        row = table.cursor_row
        table.clear()
        for r in tal.rows:
            name, *cells = tal_cells(r, STATUS_STYLE)
            table.add_row(marked(name, r), *cells, key=r.proposal.key)
        if table.row_count:
            table.move_cursor(row=min(row, table.row_count - 1))
        self.show_tal_row()

    def show_tal_row(self) -> None:
        """Under the TAL: the highlighted account in full with its status and why (the Why column is cut at 80x24)."""
        s = self.session
        if s is None:
            return
        table = self.query_one("#tal-table", DataTable)
        text = Text()
        if table.row_count and 0 <= table.cursor_row < len(s.tal.rows):
            text.append(group_note(s.tal.rows[table.cursor_row]), style=MARK_STYLE)
            text.append_text(tal_detail(s.tal.rows[table.cursor_row], STATUS_STYLE))
        text.append("i include · x exclude · p park · c clear · t tier · u undo · +/- votes · j and/or · s AEs · "
                    "g order · e export · h hold-out · d compare",
                    style="dim")
        self.query_one("#tal-help", Static).update(text)

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.data_table.id == "tal-table":
            self.show_tal_row()

    # -- TAL decisions ----------------------------------------------------------------------------------

    def _tal_key(self) -> str | None:
        if self.query_one(TabbedContent).active != "tal":
            return None
        table = self.query_one("#tal-table", DataTable)
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def action_decide(self, action: str | None) -> None:
        from icp_tui.tui.screens.dialogs.prompt import PromptScreen

        key = self._tal_key()
        if key is None:
            return
        if action is None:
            self._guard(self.session.decide, key, None)
            self.show_tal()
            return
        name = next(r.proposal.name for r in self.session.tal.rows if r.proposal.key == key)

        def done(reason: str | None) -> None:
            if reason is not None:
                self._guard(self.session.decide, key, action, reason.strip())
                self.show_tal()

        self.app.push_screen(PromptScreen(f"{action.capitalize()} {name}: why?", "", "The reason the room agreed"), done)

    def action_tier(self) -> None:
        key = self._tal_key()
        if key is None:
            return
        row = next(r for r in self.session.tal.rows if r.proposal.key == key)
        nxt = TIERS[(TIERS.index(row.tier) + 1) % len(TIERS)] if row.tier in TIERS else TIERS[0]
        self._guard(self.session.set_tier, key, nxt)
        self.show_tal()

    def action_join(self) -> None:
        if self._on_tal():
            self._guard(lambda: self.session.set_rule(join="and" if self.session.file.rule.join == "or" else "or"))
            self.show_tal()

    def action_order(self) -> None:
        if self._on_tal():
            self.session.set_order(next_order(self.session.order))
            self.show_tal()
            self.query_one("#tal-table", DataTable).move_cursor(row=0)
            self.notify(f"TAL ordered {ORDER_NOTE[self.session.order]}", timeout=3)

    def action_aes(self) -> None:
        from icp_tui.tui.screens.dialogs.prompt import PromptScreen

        if not self._on_tal():
            return

        def done(text: str | None) -> None:
            if text is not None:
                text = text.strip()
                if text and not text.isdigit():
                    self.notify(f"'{text}' is not a number of account executives", severity="error")
                    return
                self._guard(lambda: self.session.set_rule(aes=int(text) if text else None))
                self.show_tal()

        self.app.push_screen(PromptScreen("Account executives (caps Tier 1 at 50 each; empty for no cap)",
                                          str(self.session.file.aes or ""), "e.g. 6"), done)

    def action_export(self) -> None:
        if not self._on_tal():
            return
        try:
            path = self.session.export()
        except OSError as e:
            self.notify(f"Could not write the TAL: {e.strerror}", severity="error")
            return
        self.notify(f"TAL of {len(self.session.tal.members)} accounts written to {path} and {path.with_suffix('.toml').name}")
