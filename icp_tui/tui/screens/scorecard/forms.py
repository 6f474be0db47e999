"""The editor's dialogs and small edits: which engine operation each key makes, and its form.

Each form checks the edit as you type with :meth:`ScorecardSession.trial` (the engine's own error
and lint words); saving the form makes the edit through the session, which records it for undo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import DataTable

from icp_tui.engine.scorecard.file import CATEGORIES
from icp_tui.tui.screens.dialogs.form import FormField, FormScreen
from icp_tui.tui.screens.dialogs.prompt import PromptScreen

if TYPE_CHECKING:
    from icp_tui.tui.screens.scorecard.editor import ScorecardScreen

RULES = {"anti": "anti_personas", "excl": "exclusions"}
WEIGHT_STEP = 0.5


def _row(screen: ScorecardScreen, tid: str) -> int:
    return max(0, screen.query_one(f"#{tid}", DataTable).cursor_row)


def _cid(screen: ScorecardScreen) -> str:
    return screen.session.scorecard.criteria[screen.current_criterion()].id


def _num(text: str) -> float:
    try:
        return float(text.replace(",", "").strip())
    except ValueError:
        raise ValueError(f"'{text}' is not a number") from None


def _checked(screen: ScorecardScreen, op: str, build):
    """A form check: build the operation's arguments from the values, then try it on a copy."""

    def check(values: dict[str, str]):
        try:
            args, kwargs = build(values)
        except ValueError as e:
            return str(e), []
        error, findings = screen.session.trial(op, *args, **kwargs)
        return error, [f"{f.key}: {f.message}" for f in findings if f.severity == "warning"]

    def apply(values: dict[str, str] | None) -> None:
        if values is None:
            return
        args, kwargs = build(values)
        if screen._guard(screen.session.edit, op, *args, **kwargs):
            screen.after_edit()

    return check, apply


def _open_form(screen, title: str, fields: list[FormField], op: str, build, hint: str = "", **kw) -> None:
    check, apply = _checked(screen, op, build)
    screen.app.push_screen(FormScreen(title, fields, check, hint, **kw), apply)


# -- quick edits ------------------------------------------------------------------------------------


def step_weight(screen: ScorecardScreen, delta: int) -> None:
    c = screen.session.scorecard.criteria[screen.current_criterion()]
    new = max(0.0, c.weight + delta * WEIGHT_STEP)
    screen.session.edit("set_weight", c.id, new)
    screen.after_edit()


def step_points(screen: ScorecardScreen, delta: int) -> None:
    c = screen.session.scorecard.criteria[screen.current_criterion()]
    j = _row(screen, "buckets")
    screen.session.edit("set_bucket", c.id, j, points=c.buckets[j].points + delta)
    screen.after_edit()


def ask_weight(screen: ScorecardScreen) -> None:
    """Every criterion's weight in one form (one undoable edit), starting at the highlighted one."""
    criteria = screen.session.scorecard.criteria
    fields = [FormField(f"w{i}", c.label, f"{c.weight:g}") for i, c in enumerate(criteria)]

    def build(v: dict[str, str]):
        weights = {c.id: _num(v[f"w{i}"]) for i, c in enumerate(criteria)}
        changed = [f"{c.label} {c.weight:g} → {weights[c.id]:g}" for c in criteria if weights[c.id] != c.weight]
        return (weights, "weights: " + ", ".join(changed) if changed else "weights unchanged"), {}

    _open_form(screen, "Weights", fields, "set_weights", build,
               hint="Points are multiplied by the weight; 0 leaves a criterion out.",
               inline=True, focus=f"w{screen.current_criterion()}")


def ask_open(screen: ScorecardScreen) -> None:
    def done(path: str | None) -> None:
        if path and path.strip() and screen._guard(screen.session.open, path.strip()):
            screen.after_edit(f"Opened {screen.session.path}")

    if screen.session.editor.dirty:
        screen.notify("Save or undo your edits before opening another scorecard.", severity="warning")
        return
    screen.app.push_screen(PromptScreen("Open another scorecard", str(screen.session.path),
                                        hint="Path of a scorecard TOML file; the accounts and deals stay."), done)


# -- edit / add / delete / move, by table -----------------------------------------------------------


def edit(screen: ScorecardScreen, tid: str) -> None:
    s = screen.session
    sc = s.scorecard
    if tid == "timing":
        from icp_tui.tui.screens.scorecard import timing_form

        timing_form.edit(screen)
    elif tid == "criteria":
        c = sc.criteria[screen.current_criterion()]
        fields = [FormField("id", "Id (used in exports)", c.id), FormField("label", "Label", c.label),
                  FormField("category", "Category", c.category, CATEGORIES), FormField("field", "Account field", c.field)]
        _open_form(screen, f"Criterion {c.label}", fields, "set_criterion",
                   lambda v: ((c.id,), {"id": v["id"].strip(), "label": v["label"].strip(),
                                        "category": v["category"], "field": v["field"].strip()}))
    elif tid == "buckets":
        c = sc.criteria[screen.current_criterion()]
        j = _row(screen, "buckets")
        b = c.buckets[j]
        fields = [FormField("test", "Test", s.bucket_text(screen.current_criterion(), j),
                            placeholder=">= 200, <= 2000 · in SaaS, FinTech · contains any Salesforce · otherwise"),
                  FormField("points", "Points", f"{b.points:g}"), FormField("label", "Label", b.label)]
        _open_form(screen, f"{c.label}: bucket {j + 1}", fields, "set_bucket",
                   lambda v: ((c.id, j), {"test": v["test"], "points": _num(v["points"]), "label": v["label"].strip()}),
                   hint=f"Tests the field {c.field}; the first bucket that matches gives its points.")
    elif tid == "bands":
        i = _row(screen, "bands")
        b = sorted(sc.bands, key=lambda b: -b.min)[i]
        fields = [FormField("min", "Lowest fit score in the band (0-100)", f"{b.min:g}"), FormField("label", "Label", b.label),
                  FormField("tier", "Tier", b.tier), FormField("action", "What to do", b.action)]
        _open_form(screen, f"Band {b.label}", fields, "set_band",
                   lambda v: ((s.band_index(i),), {"min": _num(v["min"]), "label": v["label"].strip(),
                                                    "tier": v["tier"].strip(), "action": v["action"].strip()}))
    elif tid in RULES:
        kind = RULES[tid]
        i = _row(screen, tid)
        rules = getattr(sc, kind)
        if not rules:
            return
        r = rules[i]
        conds = "; ".join(m.source or m.describe() for m in r.conditions)
        fields = [FormField("name", "Name", r.name), FormField("match", "Conditions that must hold", r.join, ("all", "any")),
                  FormField("conditions", "Conditions, separated by ;", conds, placeholder="employees < 50; funding_stage in [Seed]"),
                  FormField("reason", "Why", r.reason)]
        _open_form(screen, r.name, fields, "set_rule",
                   lambda v: ((kind, i), {"name": v["name"].strip(), "match": v["match"], "reason": v["reason"].strip(),
                                          "conditions": [c.strip() for c in v["conditions"].split(";") if c.strip()]}))


def add(screen: ScorecardScreen, tid: str) -> None:
    s = screen.session
    if tid == "timing":
        from icp_tui.tui.screens.scorecard import timing_form

        timing_form.add(screen)
    elif tid == "criteria":
        after = _cid(screen)
        fields = [FormField("field", "Account field", placeholder="e.g. employees, industry, tech_stack"),
                  FormField("label", "Label"), FormField("category", "Category", "firmographic", CATEGORIES)]

        def build(v):
            fld = v["field"].strip()
            if not fld:
                raise ValueError("name the account field the criterion tests")
            return (after, s.new_criterion_id(fld), v["label"].strip() or fld.replace("_", " ").capitalize(), v["category"], fld), {}

        _open_form(screen, "New criterion (after the selected one)", fields, "add_criterion", build,
                   hint="It starts with one bucket, 'otherwise = 0 points': add buckets with a.")
    elif tid == "buckets":
        if screen._guard(s.edit, "add_bucket", _cid(screen), _row(screen, "buckets")):
            screen.after_edit("Bucket added: Enter edits it")
    elif tid == "bands":
        if screen._guard(s.edit, "add_band", s.band_index(_row(screen, "bands"))):
            screen.after_edit("Band added")
    elif tid in RULES:
        kind = RULES[tid]

        def done(name: str | None) -> None:
            if name and name.strip() and screen._guard(s.edit, "add_rule", kind, name.strip()):
                screen.after_edit("Added: Enter edits its conditions")

        what = "anti-persona" if kind == "anti_personas" else "exclusion"
        screen.app.push_screen(PromptScreen(f"Name of the new {what}"), done)


def delete(screen: ScorecardScreen, tid: str) -> None:
    s = screen.session
    if tid == "timing":
        from icp_tui.tui.screens.scorecard import timing_form

        timing_form.delete(screen)
    elif tid == "criteria":
        c = s.scorecard.criteria[screen.current_criterion()]
        s.edit("delete_criterion", c.id)
        screen.after_edit(f"Deleted {c.label} (ctrl+z undoes)")
    elif tid == "buckets":
        s.edit("delete_bucket", _cid(screen), _row(screen, "buckets"))
        screen.after_edit("Bucket deleted (ctrl+z undoes)")
    elif tid == "bands":
        s.edit("delete_band", s.band_index(_row(screen, "bands")))
        screen.after_edit("Band deleted (ctrl+z undoes)")
    elif tid in RULES and getattr(s.scorecard, RULES[tid]):
        s.edit("delete_rule", RULES[tid], _row(screen, tid))
        screen.after_edit("Deleted (ctrl+z undoes)")


def move(screen: ScorecardScreen, tid: str, delta: int) -> None:
    s = screen.session
    if tid == "criteria":
        s.edit("move_criterion", _cid(screen), delta)
    elif tid == "buckets":
        s.edit("move_bucket", _cid(screen), _row(screen, "buckets"), delta)
    else:
        return
    table = screen.query_one(f"#{tid}", DataTable)
    row = table.cursor_row + delta
    screen.after_edit()
    table.move_cursor(row=max(0, min(row, table.row_count - 1)))
