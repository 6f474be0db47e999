"""F1 (or ?): the help of the screen it is pressed on.

Each screen says what it is for in its ``HELP`` (Markdown, starting with a ``#`` title); the keys are
generated from the bindings of the screen and of the app's own widgets on it, so the help cannot
name a key the screen does not have or miss one it has. A binding's ``tooltip`` (else its
description) says what the key does. ``HELP_KEYS`` adds (key, text) rows for what a widget does
with a key without a binding of ours (Enter on a table row, Enter in a form).
"""

from __future__ import annotations

import inspect

from rich.markdown import Markdown
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

KEY_NAMES = {
    "escape": "Esc", "enter": "Enter", "delete": "Delete", "backspace": "Backspace", "tab": "Tab", "space": "Space",
    "up": "↑", "down": "↓", "left": "←", "right": "→", "pageup": "PgUp", "pagedown": "PgDn", "home": "Home", "end": "End",
    "plus": "+", "minus": "-", "equals_sign": "=", "question_mark": "?", "left_square_bracket": "[",
    "right_square_bracket": "]", "slash": "/", "full_stop": ".", "comma": ",", "greater_than_sign": ">",
    "less_than_sign": "<",
}

MOVING = """\
## Moving around
- **Tab / Shift+Tab**  the next or previous part of the screen
- **↑ ↓ PgUp PgDn Home End**  move in a table, list or text
- **Enter**  open or choose what is highlighted
- **Esc**  back, or close a window
"""

WORDS = """\
## Words
- **Fit score** (0-100): how closely an account matches the profile: firmographic, technographic,
  geographic and use-case criteria, as a share of the points it could reach.
- **Timing score**: buying signals such as research intent or a recent funding round: *when* to act.
- **Qualification score**: what is learnt in a live deal, such as a confirmed economic buyer.
- **Bands**: 85+ strong fit, 70-84 good, 55-69 possible, 40-54 weak, under 40 poor (editable).
- **Anti-persona**: a kind of account that rarely buys or stays, with the reason. An account is
  flagged when it matches one, or when it is closer to one than to the ideal profile.
- **Exclusion**: never in a new-business list (existing customers, competitors, embargoed countries).
- **Unknown**: a value that is missing or could not be read; it scores 0 and lowers coverage.
- **Coverage**: the share of the scorecard's points that could be evaluated for an account.
- **Checklist**: five tests of a scorecard against closed deals: enough deals, wins scoring 70+,
  losses below 55, wins inside the firmographic ranges, weight where the lift is.
- **Lift**: a criterion's win rate with its full points over the win rate without them.
- **AUC**: the chance that a random win scores above a random loss (0.5 is a coin toss).
- **ICP coverage**: the share of open pipeline (goal 50%) and of closed-won (goal 70%) in the top bands.
- **TAL**: the target account list the functions agree on, with tiers and the reason for each decision.
"""


def key_text(key: str) -> str:
    """"ctrl+s" -> "Ctrl+S", "shift+up" -> "Shift+↑", "equals_sign" -> "=", "f3" -> "F3", "a" -> "a"."""
    *mods, last = key.split("+") if key != "plus" else ["plus"]
    if last in KEY_NAMES:
        name = KEY_NAMES[last]
    elif last[:1] == "f" and last[1:].isdigit():
        name = last.upper()
    else:
        name = last.upper() if mods and len(last) == 1 else last
    return "+".join([*(m.capitalize() for m in mods), name])


def binding_rows(bindings) -> list[tuple[str, str]]:
    """(keys, what they do) for ``Binding``s, the keys of one action joined ("+ / ="), in their order."""
    keys: dict[str, list[str]] = {}
    texts: dict[str, str] = {}
    for b in bindings:
        if b.system:
            continue
        texts.setdefault(b.action, b.tooltip or b.description or b.action)
        keys.setdefault(b.action, []).extend(key_text(k.strip()) for k in b.key.split(","))
    return [(" / ".join(dict.fromkeys(keys[action])), text) for action, text in texts.items()]


def own_bindings(node) -> list[Binding]:
    """The bindings the app's own classes declare for ``node`` (its class and its icp_tui base classes), not Textual's."""
    out: list[Binding] = []
    for cls in type(node).__mro__:
        if cls.__module__.startswith("icp_tui.") and "BINDINGS" in cls.__dict__:
            out += [b if isinstance(b, Binding) else Binding(*b) for b in cls.__dict__["BINDINGS"]]
    return out


def screen_bindings(screen: Screen) -> list[Binding]:
    """The screen's bindings (shown in the footer or not) and those of the app's own widgets on it."""
    out = own_bindings(screen)
    for widget in screen.query("*"):
        out += own_bindings(widget)
    return out


def _table(rows: list[tuple[str, str]]) -> str:
    """One line per key (a projector at 80x24 shows a screen's keys in one or two pages)."""
    def esc(text: str) -> str:
        return "".join(f"\\{c}" if c in "\\`*_[]<>|#" else c for c in text)

    return "".join(f"- **{esc(k)}**  {esc(t)}\n" for k, t in rows)


def help_markdown(screen: Screen) -> str:
    """The whole help page of ``screen``: what it is for, its keys, the app's keys, moving around, the words."""
    about = inspect.cleandoc(type(screen).HELP or "") or f"# {type(screen).__name__}"
    rows = binding_rows(screen_bindings(screen)) + list(getattr(screen, "HELP_KEYS", ()))
    app_rows = binding_rows(own_bindings(screen.app))
    app_rows.append(("Ctrl+P", "the command palette: every action by name, and the themes"))
    parts = [about, "## Keys on this screen\n" + (_table(rows) if rows else "Only the keys below.\n"),
             "## Everywhere\n" + _table(app_rows), MOVING, WORDS]
    return "\n\n".join(p.rstrip("\n") for p in parts) + "\n"


class HelpScreen(ModalScreen[None]):
    """The help of ``of``, the screen F1 was pressed on."""

    BINDINGS = [Binding("escape,f1,q,question_mark", "app.pop_screen", "Close")]

    def __init__(self, of: Screen) -> None:
        super().__init__()
        self.of = of
        self.text = help_markdown(of)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):  # Rich's Markdown: drawn at once (the Markdown widget took a second)
            yield Static(Markdown(self.text, hyperlinks=False), id="help-text")

    def on_mount(self) -> None:
        self.query_one("#help").focus()
