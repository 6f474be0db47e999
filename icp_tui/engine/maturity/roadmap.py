"""The maturity roadmap: per dimension the level the room aims for, who owns getting there and by when.

Kept in the workshop folder as ``roadmap.toml`` (or the file ``[files] roadmap`` names), one table per
dimension of the questionnaire::

    # Where the room wants each dimension to be, and who takes it there.
    [metrics]
    target = 4
    owner = "Elena Rossi"
    due = 2027-03-31

``target`` is a level 1-4, ``owner`` a name, ``due`` a date (a TOML date or the text "YYYY-MM-DD"). A
bad value raises :class:`RoadmapError` naming the file, line and key. The app writes one table at a
time with tomlkit, so comments and the order of a hand-edited file survive.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.lock import lock_root, workshop_lock
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.maturity.questionnaire import LEVELS, Questionnaire

ROADMAP = "roadmap.toml"
KEYS = ("target", "owner", "due")
HEADER = "Maturity roadmap: per dimension the target level (1-4), its owner and the due date (YYYY-MM-DD)."


class RoadmapError(IcpError):
    """A roadmap file, or a target typed in the app, that cannot be used."""


@dataclass(frozen=True)
class Target:
    dimension: str  # a dimension id of the questionnaire
    level: int
    owner: str
    due: dt.date


@dataclass
class Roadmap:
    targets: dict[str, Target] = field(default_factory=dict)  # dimension id -> target, in file order
    path: Path | None = None

    def get(self, dimension: str) -> Target | None:
        return self.targets.get(dimension)


def roadmap_path(workshop) -> Path:
    """Where a workshop keeps its roadmap: ``[files] roadmap``, else ``roadmap.toml`` beside workshop.toml."""
    named = workshop.file("roadmap") if hasattr(workshop, "file") else None
    return Path(named) if named else Path(workshop.root) / ROADMAP


def parse_date(value: object) -> dt.date | None:
    """A TOML date or "YYYY-MM-DD" text; None for anything else (a date with a time is not a due date)."""
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    if isinstance(value, str):
        text = value.strip()
        if len(text) == 10:
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                return None
    return None


def load_roadmap(path: str | Path, q: Questionnaire) -> Roadmap:
    """The roadmap in ``path`` (an empty one when the file is not there), checked against ``q``."""
    p = Path(path)
    if not p.exists():
        return Roadmap(path=p)
    text = read_text(p, RoadmapError)
    doc = parse_toml(text, str(p), RoadmapError).unwrap()

    def fail(keys: list[str], message: str) -> RoadmapError:
        return RoadmapError(message, file=str(p), line=locate(text, list(keys)), key=".".join(keys))

    dims = {d.id for d in q.dimensions}
    targets: dict[str, Target] = {}
    for did, table in doc.items():
        if did not in dims:
            raise fail([did], f"is not a dimension of {q.id} ({', '.join(d.id for d in q.dimensions)})")
        if not isinstance(table, dict):
            raise fail([did], "must be a table: [" + did + "] with target, owner and due")
        if (bad := unknown_key(table, KEYS)) is not None:
            raise fail([did, bad[0]], f"is not a key here ({bad[1]})")
        for key in KEYS:
            if key not in table:
                raise fail([did], f"'{key}' is missing (a target needs target, owner and due)")
        level = table["target"]
        if isinstance(level, bool) or level not in LEVELS:
            raise fail([did, "target"], f"must be a level 1-4, not {level!r}")
        owner = table["owner"]
        if not isinstance(owner, str) or not owner.strip():
            raise fail([did, "owner"], "must be a name, e.g. owner = \"Elena Rossi\"")
        due = parse_date(table["due"])
        if due is None:
            raise fail([did, "due"], f"must be a date YYYY-MM-DD, e.g. due = 2027-03-31, not {table['due']!r}")
        targets[did] = Target(did, int(level), owner.strip(), due)
    return Roadmap(targets, p)


def check_target(q: Questionnaire, dimension: str, level: str, owner: str, due: str, *,
                 current: int | None = None, today: dt.date | None = None) -> tuple[Target, list[str]]:
    """What the roadmap form typed, as a target and warnings; raises :class:`RoadmapError` (key = the field)
    when it cannot be saved. A target at or below the room's level now, or a date passed, is only warned about."""
    if dimension not in {d.id for d in q.dimensions}:
        raise RoadmapError(f"'{dimension}' is not a dimension of {q.id}", key="dimension")
    text = level.strip()
    head = text.split()[0] if text else ""  # "3" or "3 Developing"
    n = int(head) if head.isdecimal() and len(head) == 1 else None
    if n not in LEVELS:
        raise RoadmapError("pick a target level 1-4", key="target")
    if not owner.strip():
        raise RoadmapError("name an owner: who takes this dimension there", key="owner")
    date = parse_date(due)
    if date is None:
        raise RoadmapError(f"the due date must be YYYY-MM-DD, e.g. 2027-03-31, not {due.strip()!r}", key="due")
    warnings = []
    if current is not None and n <= current:
        warnings.append(f"Level {n} is not above the room's level now ({current}): usually the target is higher")
    if date < (today or dt.date.today()):
        warnings.append(f"{date.isoformat()} has passed already")
    return Target(dimension, n, owner.strip(), date), warnings


def _document(p: Path) -> tomlkit.TOMLDocument:
    if p.exists():
        return parse_toml(read_text(p, RoadmapError), str(p), RoadmapError)
    doc = tomlkit.document()
    doc.add(tomlkit.comment(HEADER))
    return doc


def save_target(path: str | Path, target: Target) -> None:
    """Write one dimension's table (made at the end if it is not there), keeping the rest of the file as it was."""
    p = Path(path)
    with workshop_lock(lock_root(p), "saving the roadmap"):  # read again under the lock: other targets stay
        doc = _document(p)
        table = doc.get(target.dimension)
        if not isinstance(table, dict):
            table = tomlkit.table()
            doc[target.dimension] = table
        table["target"] = target.level
        table["owner"] = target.owner
        table["due"] = target.due
        atomic_write_text(p, tomlkit.dumps(doc))


def remove_target(path: str | Path, dimension: str) -> None:
    """Take one dimension's target out of the file (nothing happens when it has none)."""
    p = Path(path)
    if not p.exists():
        return
    with workshop_lock(lock_root(p), "saving the roadmap"):
        doc = _document(p)
        if dimension in doc:
            del doc[dimension]
            atomic_write_text(p, tomlkit.dumps(doc))


__all__ = ["ROADMAP", "Roadmap", "RoadmapError", "Target", "check_target", "load_roadmap", "parse_date",
           "remove_target", "roadmap_path", "save_target"]
