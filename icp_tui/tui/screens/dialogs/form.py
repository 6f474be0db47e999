"""A small form in a dialog: a few fields, checked as you type, saved with Enter.

The check is the engine's: the screen passes the values to ``check`` on every key and shows its
error (the edit cannot be made) and its lint findings (it can, but something looks wrong).

The fields scroll when they do not fit (the weights of ten criteria at 80x24); the title, the check's
line and the keys stay in sight. On a short screen the inputs lose their borders, one line each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select, Static


@dataclass(frozen=True)
class FormField:
    key: str
    label: str
    value: str = ""
    choices: tuple[str, ...] = ()  # a fixed set of values: a drop-down
    placeholder: str = ""


#: ``check(values)`` returns (error or None, warnings)
Check = Callable[[dict[str, str]], tuple[str | None, list[str]]]

SHORT = 30  # below this many rows the inputs are one line each (no border)


class FormScreen(ModalScreen[dict[str, str] | None]):
    HELP = """
    # Edit

    The fields of the highlighted row. Every value is checked as you type (the line under the fields
    says what is wrong, or ✓ valid); Ctrl+S or Enter saves, Esc leaves everything as it was.
    """

    HELP_KEYS = [("Enter", "save the fields"), ("Tab", "the next field")]
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("ctrl+s", "submit", "Save", priority=True, tooltip="save the fields (Enter too)"),
    ]

    def __init__(self, title: str, fields: list[FormField], check: Check, hint: str = "", *,
                 inline: bool = False, focus: str = "") -> None:
        """``inline``: each label beside its input (many short fields); ``focus``: the key of the field to start in."""
        super().__init__()
        self.title_text, self.fields, self.check, self.hint = title, fields, check, hint
        self.inline = inline
        if focus:
            self.AUTO_FOCUS = f"#f-{focus}"  # focused once, as the screen is shown (as the first field would be)
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="form"):
            yield Static(Text(self.title_text, style="bold"), id="form-title")
            if self.hint:
                yield Static(Text(self.hint, style="dim"), classes="form-hint")
            with VerticalScroll(id="form-fields", can_focus=False):
                for f in self.fields:
                    if self.inline:
                        with Horizontal(classes="form-row"):
                            yield Label(f.label, classes="form-label")
                            yield self._input(f)
                    else:
                        yield Label(f.label, classes="form-label")
                        yield self._input(f)
            yield Static(id="form-error")
            yield Static(Text("Enter saves · Tab next field · Escape cancels", style="dim"), id="form-keys")

    def _input(self, f: FormField) -> Input | Select:
        if f.choices:
            return Select([(c, c) for c in f.choices], value=f.value if f.value in f.choices else f.choices[0],
                          allow_blank=False, id=f"f-{f.key}", compact=self.inline)
        return Input(f.value, placeholder=f.placeholder, id=f"f-{f.key}", compact=self.inline)

    def on_mount(self) -> None:
        self.fit()
        self.run_check()

    def on_resize(self) -> None:
        self.fit()

    def fit(self) -> None:
        """One-line inputs on a short screen; the fields a scroll between the fixed lines when they do not fit."""
        short = self.inline or self.size.height < SHORT
        for w in self.query("#form-fields Input, #form-fields Select"):
            w.compact = short  # type: ignore[union-attr]
        self.call_after_refresh(self._fit_height)

    def _fit_height(self) -> None:
        form, fields = self.query_one("#form"), self.query_one("#form-fields")
        fixed = sum(w.outer_size.height for w in form.children if w is not fields)
        tall = fixed + fields.virtual_size.height + form.styles.gutter.height > self.size.height
        form.set_class(tall, "-tall")

    def values(self) -> dict[str, str]:
        out = {}
        for f in self.fields:
            w = self.query_one(f"#f-{f.key}")
            out[f.key] = str(w.value) if isinstance(w, Select) else w.value
        return out

    def run_check(self) -> None:
        self.error, warnings = self.check(self.values())
        text = Text()
        if self.error:
            text.append(f"✗ {self.error}", style="bold red")
        for w in warnings[:4]:
            text.append(("\n" if text else "") + f"! {w}", style="yellow")
        if len(warnings) > 4:
            text.append(f"\n… and {len(warnings) - 4} more warning{'s' if len(warnings) > 5 else ''}", style="dim")
        if not text:
            text.append("✓ valid", style="green")
        self.query_one("#form-error", Static).update(text)
        self.call_after_refresh(self._fit_height)  # the lines of warnings take room from the fields

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_check()

    def on_select_changed(self, event: Select.Changed) -> None:
        self.run_check()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_submit()

    def action_submit(self) -> None:
        self.run_check()
        if self.error:
            self.app.bell()
            return
        self.dismiss(self.values())
