"""Self-assessment files sent in by the leaders, taken into the workshop's assessments folder.

Each file is read first (a broken one is skipped with its error); a file made with another
questionnaire, or from a leader who already answered (same name, function and organisation), is
skipped and said; the others are copied in byte for byte (atomically), under their own name, or
``NAME-2.toml`` when that name is taken. Nothing in the folder is ever overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from icp_tui.engine.core.atomic import atomic_write_bytes
from icp_tui.engine.core.lock import workshop_lock
from icp_tui.engine.maturity.assessment import ResponseError, load_response, load_responses, same_respondents
from icp_tui.engine.maturity.questionnaire import Questionnaire, default_questionnaire
from icp_tui.engine.workshop.manifest import Workshop


@dataclass
class Intake:
    added: list[Path] = field(default_factory=list)  # where each file was copied to
    skipped: list[str] = field(default_factory=list)  # one line per file not taken, saying why

    def summary(self) -> str:
        n = len(self.added)
        text = f"{n} self-assessment{'s' if n != 1 else ''} added"
        return text + (f", {len(self.skipped)} skipped" if self.skipped else "")


def assessments_folder(ws: Workshop) -> Path:
    return ws.file("assessments") or ws.root / "assessments"


def _files(sources: list[Path]) -> list[Path]:
    out: list[Path] = []
    for s in sources:
        out += sorted(s.glob("*.toml")) if s.is_dir() else [s]
    return out


def _free_name(folder: Path, name: str) -> Path:
    target, k = folder / name, 2
    while target.exists() or target.is_symlink():  # a link, even one to nothing, is taken: never written through
        target = folder / f"{Path(name).stem}-{k}{Path(name).suffix}"
        k += 1
    return target


def import_assessments(ws: Workshop, sources: list[str | Path], q: Questionnaire | None = None) -> Intake:
    """Copy the self-assessment files (or every ``*.toml`` of a folder) of ``sources`` into the workshop (under its
    lock: two imports never pick one free name)."""
    with workshop_lock(ws.root, "importing self-assessments"):
        return _import(ws, sources, q)


def _import(ws: Workshop, sources: list[str | Path], q: Questionnaire | None) -> Intake:
    q = q or default_questionnaire()
    folder = assessments_folder(ws)
    have, _ = load_responses(folder, q)
    out = Intake()
    paths = [Path(s).expanduser() for s in sources]
    for p in paths:
        if not p.exists():
            out.skipped.append(f"{p}: not found")
    for f in _files([p for p in paths if p.exists()]):
        try:
            r = load_response(f, q)
        except ResponseError as e:
            out.skipped.append(str(e))
            continue
        if r.questionnaire_id != q.id:
            out.skipped.append(f"{f}: made with questionnaire '{r.questionnaire_id}', not '{q.id}'")
            continue
        if f.resolve().parent == folder.resolve():
            out.skipped.append(f"{f}: already in the workshop")
            continue
        twice = [first for first, again in same_respondents([*have, r]) if again is r]
        if twice:
            who = f"{r.respondent} ({r.function or 'no function'})"
            out.skipped.append(f"{f}: {who} already answered in {twice[0].path.name if twice[0].path else 'the workshop'}")
            continue
        folder.mkdir(parents=True, exist_ok=True)
        target = _free_name(folder, f.name)
        atomic_write_bytes(target, f.read_bytes())
        r.path = target
        have.append(r)
        out.added.append(target)
    return out


__all__ = ["Intake", "assessments_folder", "import_assessments"]
