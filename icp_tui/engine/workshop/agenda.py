"""The workshop's agenda: the steps the room goes through, where it is, and an optional timer per step.

    [agenda]
    steps = ["participants", "maturity", "lists", "disagreement", "tal", "scorecard", "decisions", "report"]
    current = "lists"                  # written by the app as the room moves on
    started = 2026-12-03T10:05:00Z     # when the current step began (the timer counts from it)
    minutes = { maturity = 15, tal = 20 }
    private = true                     # self-assessments and lists hidden (counts only) until revealed
    revealed = ["maturity"]            # written by the app when the facilitator reveals them (v)
    names = false                      # the maturity comparison by function, without the leaders' names

Every key is optional: without ``steps`` the room takes all of :data:`STEPS` in that order; a step
without minutes has no timer. The app moves with ``>`` and ``<`` (on the home screen either first goes
back into the step the room is at) and writes ``current`` and ``started`` with tomlkit, so the rest of
the file stays as it was written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.core.lock import workshop_lock
from icp_tui.engine.core.tomlfile import parse_toml, read_text


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    purpose: str  # one line for the step bar's help and the report


STEPS = (
    Step("participants", "Participants", "who is in the room, and for which function"),
    Step("maturity", "Maturity reveal", "the leaders' self-assessments side by side: where they disagree"),
    Step("lists", "Function lists", "each function's target accounts, matched to the account universe"),
    Step("disagreement", "Disagreement", "each list's fit, the overlap, consensus, contested and orphan accounts"),
    Step("tal", "TAL", "one target account list: include, exclude or park, with reasons"),
    Step("scorecard", "Scorecard check", "the scorecard against won and lost deals: the quality checklist"),
    Step("decisions", "Decisions", "what the room decided, with the times"),
    Step("report", "Report", "the workshop report, to send the next morning"),
)
BY_ID = {s.id: s for s in STEPS}
REVEALABLE = ("maturity", "lists")


@dataclass
class Agenda:
    steps: list[Step] = field(default_factory=lambda: list(STEPS))
    current: str = ""  # "" until the room starts
    started: datetime | None = None
    minutes: dict[str, int] = field(default_factory=dict)
    private: bool = False
    revealed: tuple[str, ...] = ()
    names: bool = True

    def hidden(self, what: str) -> bool:
        """``what`` (maturity or lists) is shown as counts only: the workshop is private and it is not revealed yet."""
        return self.private and what not in self.revealed

    @property
    def index(self) -> int | None:
        return next((i for i, s in enumerate(self.steps) if s.id == self.current), None)

    @property
    def step(self) -> Step | None:
        i = self.index
        return None if i is None else self.steps[i]

    def moved(self, delta: int, now: datetime | None = None) -> Agenda:
        """The agenda ``delta`` steps on (clamped to the first and last; the first move starts at step 1)."""
        i = self.index
        j = 0 if i is None else max(0, min(len(self.steps) - 1, i + delta))
        return Agenda(self.steps, self.steps[j].id, (now or datetime.now(UTC)).replace(microsecond=0), dict(self.minutes),
                      self.private, self.revealed, self.names)

    def seconds_left(self, now: datetime | None = None) -> int | None:
        """Of the current step's minutes (negative when over time); None without a timer."""
        step = self.step
        if step is None or step.id not in self.minutes or self.started is None:
            return None
        spent = ((now or datetime.now(UTC)) - self.started).total_seconds()
        return int(self.minutes[step.id] * 60 - spent)


def parse_agenda(raw: object, fail) -> Agenda:
    """``[agenda]`` of workshop.toml; ``fail(keys, message)`` makes the error that names its line."""
    if raw is None:
        return Agenda()
    if not isinstance(raw, dict):
        raise fail(["agenda"], "must be a table ([agenda])")
    unknown = set(raw) - {"steps", "current", "started", "minutes", "private", "revealed", "names"}
    if unknown:
        raise fail(["agenda", sorted(unknown)[0]], "is not a key here (steps, current, started, minutes, private, revealed, names)")
    names = raw.get("steps", [s.id for s in STEPS])
    if not isinstance(names, list) or not names or not all(isinstance(n, str) and n in BY_ID for n in names):
        raise fail(["agenda", "steps"], f"must list steps from: {', '.join(BY_ID)}")
    if len(set(names)) != len(names):
        raise fail(["agenda", "steps"], "names a step twice")
    steps = [BY_ID[n] for n in names]
    current = raw.get("current", "")
    if not isinstance(current, str) or (current and current not in names):
        raise fail(["agenda", "current"], f"must be one of the steps ({', '.join(names)})")
    started = raw.get("started")
    if started is not None and not isinstance(started, datetime):
        raise fail(["agenda", "started"], "must be a date and time, e.g. 2026-12-03T10:05:00Z")
    if isinstance(started, datetime) and started.tzinfo is None:
        started = started.replace(tzinfo=UTC)
    minutes = raw.get("minutes", {})
    if not isinstance(minutes, dict):
        raise fail(["agenda", "minutes"], "must be a table of step = minutes, e.g. { maturity = 15 }")
    for k, v in minutes.items():
        if k not in BY_ID:
            raise fail(["agenda", "minutes", k], f"is not a step ({', '.join(BY_ID)})")
        if isinstance(v, bool) or not isinstance(v, int) or not 0 < v <= 600:
            raise fail(["agenda", "minutes", k], "must be whole minutes from 1 to 600")
    for key in ("private", "names"):
        if key in raw and not isinstance(raw[key], bool):
            raise fail(["agenda", key], "must be true or false")
    revealed = raw.get("revealed", [])
    if not isinstance(revealed, list) or not all(x in REVEALABLE for x in revealed):
        raise fail(["agenda", "revealed"], f"must list what is revealed, from: {', '.join(REVEALABLE)}")
    return Agenda(steps, current, started, {str(k): int(v) for k, v in minutes.items()}, bool(raw.get("private", False)),
                  tuple(dict.fromkeys(revealed)), bool(raw.get("names", True)))


def _edit_agenda(manifest: str | Path, values: dict[str, object]) -> None:
    """Set keys of ``[agenda]`` in workshop.toml (the table made if it is not there), keeping the rest as it was."""
    p = Path(manifest)
    with workshop_lock(p.parent, "saving the agenda"):  # read again under the lock: other tables stay as now written
        doc = parse_toml(read_text(p, WorkshopError), str(p), WorkshopError)
        table = doc.get("agenda")
        if table is None:
            table = tomlkit.table()
            doc["agenda"] = table
        for key, value in values.items():
            table[key] = value
        atomic_write_text(p, tomlkit.dumps(doc))


def save_agenda_position(manifest: str | Path, agenda: Agenda) -> None:
    """Write ``[agenda] current`` and ``started``."""
    _edit_agenda(manifest, {"current": agenda.current, **({"started": agenda.started} if agenda.started else {})})


def save_agenda_flags(manifest: str | Path, *, revealed: tuple[str, ...] | None = None, names: bool | None = None) -> None:
    """Write ``[agenda] revealed`` and/or ``names``."""
    values: dict[str, object] = {}
    if revealed is not None:
        values["revealed"] = list(revealed)
    if names is not None:
        values["names"] = names
    _edit_agenda(manifest, values)


def save_participants(manifest: str | Path, people: list[tuple[str, str]]) -> None:
    """Write the ``[[participants]]`` (name, function) into workshop.toml, keeping the rest as it was."""
    p = Path(manifest)
    with workshop_lock(p.parent, "saving the participants"):
        doc = parse_toml(read_text(p, WorkshopError), str(p), WorkshopError)
        if "participants" in doc:
            del doc["participants"]
        if people:
            aot = tomlkit.aot()
            for name, function in people:
                t = tomlkit.table()
                t["name"] = name
                t["function"] = function
                aot.append(t)
            doc["participants"] = aot
        atomic_write_text(p, tomlkit.dumps(doc))


__all__ = ["Agenda", "Step", "STEPS", "REVEALABLE", "parse_agenda", "save_agenda_flags", "save_agenda_position",
           "save_participants"]
