"""The workshop's decision log: what the room decided and changed, with the time, in ``log.toml``.

    [[entry]]
    time = 2026-12-03T10:42:07Z
    kind = "tal"                     # tal, scorecard, rule, ...
    text = "include Acme Robotics: strategic partner"

Entries are only ever added (the whole file rewritten atomically with tomlkit, so a comment written
by hand stays); the report lists them in order. A log that cannot be read is an error naming its line,
and nothing is added to it until it is mended.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.core.lock import workshop_lock
from icp_tui.engine.core.tomlfile import parse_toml, read_text
from icp_tui.engine.core.tomlpos import locate

LOG = "log.toml"


@dataclass(frozen=True)
class LogEntry:
    time: datetime
    kind: str
    text: str


def log_path(root: str | Path) -> Path:
    return Path(root) / LOG


def _load(path: Path) -> tuple[tomlkit.TOMLDocument, list[LogEntry]]:
    if not path.exists():
        return tomlkit.document(), []
    text = read_text(path, WorkshopError)
    doc = parse_toml(text, str(path), WorkshopError)
    raw = doc.get("entry", [])
    if not isinstance(raw, list) or set(doc) - {"entry"}:
        raise WorkshopError("must hold only [[entry]] tables", file=str(path))
    out = []
    for i, e in enumerate(raw, 1):
        ok = (isinstance(e, dict) and isinstance(e.get("time"), datetime) and isinstance(e.get("kind"), str)
              and isinstance(e.get("text"), str))
        if not ok:
            raise WorkshopError("each [[entry]] needs time (a date and time), kind and text", file=str(path),
                                line=locate(text, ["entry", i]), key=f"entry[{i}]")
        when = e["time"] if e["time"].tzinfo else e["time"].replace(tzinfo=UTC)
        out.append(LogEntry(when, str(e["kind"]), str(e["text"])))
    return doc, out


def read_log(root: str | Path) -> list[LogEntry]:
    """The entries in the order they were written ([] when there is no log yet)."""
    return _load(log_path(root))[1]


def append_log(root: str | Path, kind: str, text: str, when: datetime | None = None) -> LogEntry:
    """Add one entry: the log is read again under the workshop lock and the entry appended to it as it is now, so
    two writers' entries are both kept."""
    path = log_path(root)
    entry = LogEntry((when or datetime.now(UTC)).replace(microsecond=0), kind, " ".join(text.split()))
    with workshop_lock(root, "writing the log"):
        doc, _ = _load(path)
        if "entry" not in doc:
            doc.append("entry", tomlkit.aot())
        table = tomlkit.table()
        table.update({"time": entry.time, "kind": entry.kind, "text": entry.text})
        doc["entry"].append(table)
        atomic_write_text(path, tomlkit.dumps(doc))
    return entry


__all__ = ["LOG", "LogEntry", "append_log", "read_log", "log_path"]
