"""The TAL tab's hold-out: its keys (h set or clear, d compare with a later deal file), marks and summary line.

The rules (who is in the control group, what the comparison counts) are the engine's
(engine/alignment/holdout.py, holdout_compare.py); this module only shows them and asks.
"""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import TabbedContent

from icp_tui.engine.alignment.holdout import CONTROL, new_seed, parse_seed, parse_share
from icp_tui.engine.alignment.tal import Tal, TalRow
from icp_tui.engine.core.errors import IcpError

MARK = "○"  # after the name of an account in the control group
MARK_STYLE = "bold magenta"
DEAL_FILES = (".csv", ".tsv", ".txt", ".xlsx")


def holdout_line(tal: Tal) -> Text | None:
    """"Hold-out 20% · seed 482913 · since 2026-12-03: 76 targeted, 17 control ○" (None without a hold-out)."""
    h = tal.holdout
    if h is None:
        return None
    n = tal.counts_by_group()
    text = Text(f"Hold-out {h.share:.0%} · seed {h.seed}" + (f" · since {h.since.isoformat()}" if h.since else "") + ": ")
    text.append(f"{n['target']} targeted, {n['control']} control ", style="bold")
    text.append(MARK, style=MARK_STYLE)
    return text


def marked(name: object, row: TalRow) -> object:
    """The account cell, with the control mark when the account is held out."""
    if row.group != CONTROL:
        return name
    out = name.copy() if isinstance(name, Text) else Text(str(name))
    out.append(f" {MARK}", style=MARK_STYLE)
    return out


def group_note(row: TalRow) -> str:
    """Before the highlighted account's name under the table: "○ control · " or ""."""
    return f"{MARK} control · " if row.group == CONTROL else ""


class HoldoutKeys(Screen):
    """The Alignment screen's base: its TAL tab's hold-out keys (Textual merges bindings only from screens)."""

    BINDINGS = [
        Binding("h", "holdout", "Hold-out", show=False,
                tooltip="TAL: hold out a share of the list as a control group (share and seed; empty share ends it)"),
        Binding("d", "compare_holdout", "Compare", show=False,
                tooltip="TAL: compare targeted against control on a later deal file"),
    ]

    def _on_tal(self) -> bool:
        return bool(getattr(self, "session", None)) and self.query_one(TabbedContent).active == "tal"

    def action_holdout(self) -> None:
        from icp_tui.tui.screens.dialogs.form import FormField, FormScreen

        if not self._on_tal():
            return
        s = self.session  # type: ignore[attr-defined]
        h = s.file.holdout
        had = h is not None

        def check(values: dict[str, str]) -> tuple[str | None, list[str]]:
            if not values["share"].strip():
                return (None, ["saving with no share ends the hold-out"]) if had else ("type a share from 5 to 50", [])
            try:
                parse_share(values["share"])
                parse_seed(values["seed"])
            except ValueError as e:
                return str(e), []
            return None, []

        def done(values: dict[str, str] | None) -> None:
            if values is None:
                return
            if not values["share"].strip():
                self._guard(s.clear_holdout)  # type: ignore[attr-defined]
            else:
                self._guard(s.set_holdout, parse_share(values["share"]), parse_seed(values["seed"]))  # type: ignore[attr-defined]
            self.show_tal()  # type: ignore[attr-defined]
            n = s.tal.counts_by_group()
            said = f"{n['target']} targeted, {n['control']} control" if s.tal.holdout else "No hold-out: every account targeted"
            self.notify(said, timeout=4)

        fields = [FormField("share", "Control group, % of the TAL (5-50)", f"{h.share * 100:g}" if h else "20", placeholder="20"),
                  FormField("seed", "Seed (the same seed, the same groups)", str(h.seed if h else new_seed()))]
        hint = ("Each account is drawn by its own key and the seed, so adding accounts later moves nobody. "
                "Empty share ends the hold-out.")
        self.app.push_screen(FormScreen("Hold-out control group", fields, check, hint), done)

    def action_compare_holdout(self) -> None:
        from icp_tui.tui.screens.dialogs.file_picker import FilePicker

        if not self._on_tal():
            return
        s = self.session  # type: ignore[attr-defined]
        if s.tal.holdout is None:
            self.notify("No hold-out yet: h sets one", severity="warning")
            return

        def picked(path: Path | None) -> None:
            if path is not None and path.is_file():
                self.run_worker(lambda: self._compare(path), thread=True, exclusive=True, group="holdout")

        self.app.push_screen(FilePicker("A later deal file to compare (CSV or XLSX)", s.workshop.root, DEAL_FILES), picked)

    def _compare(self, path: Path) -> None:
        from icp_tui.engine.alignment.holdout_compare import comparison_text
        from icp_tui.tui.screens.alignment.holdout_compare import HoldoutCompareScreen

        app = self.app
        try:
            c = self.session.compare_holdout(path)  # type: ignore[attr-defined]
        except (IcpError, OSError) as e:
            app.call_from_thread(self.notify, f"Cannot compare: {e}", severity="error", timeout=10)
            return
        except Exception as e:  # noqa: BLE001 (a bug must not close the app in front of the room)
            app.call_from_thread(self.notify, f"Cannot compare {path.name}: internal error: {type(e).__name__}: {e}",
                                 severity="error", timeout=10)
            return
        app.call_from_thread(app.push_screen, HoldoutCompareScreen(path.name, c, comparison_text(c)))
