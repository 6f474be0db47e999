"""A workshop stays in its folder: the paths ``workshop.toml`` names are resolved and refused when they leave it.

A path leaves the folder when it is absolute, climbs out with ``..``, or goes through a symbolic link
(to the file, or to a folder on the way) that resolves outside. The one exception is a file the
workshop links to (``[links]`` in workshop.toml, written by ``icp workshop new --link``): it is read
where it is, and nothing is ever written to it, or beside it, through the workshop.

The files a workshop keeps under fixed names when workshop.toml does not name them (``log.toml``,
``decisions.toml``, the report, ...) are held to the same rule: a link there that leads outside is refused.
"""

from __future__ import annotations

import os
from pathlib import Path

from icp_tui.engine.core.errors import WorkshopError

HINT = "a workshop only reads and writes its own files (copy the file in, or link it with icp workshop new --link)"
OWN_HINT = "a workshop only reads and writes its own files (this one the app writes: keep it in the folder)"

# the files and folders a workshop reads or writes under these names in its folder when workshop.toml names none:
# decisions (alignment_session), roadmap (maturity.roadmap), segments (history.segment_profiles), assessments
# (intake, report), log.toml (log), report.md/.html (the app's report), tal.csv/.toml (the TAL export)
OWN_NAMES = ("decisions.toml", "roadmap.toml", "segments.toml", "assessments", "log.toml", "report.md", "report.html",
             "tal.csv", "tal.toml")


def control_character(text: str) -> str:
    """Where ``text`` has a control character (a NUL byte, a line feed ...), in words; "" when it has none."""
    for i, ch in enumerate(text, 1):
        if ord(ch) < 32 or ord(ch) == 127:
            return f"has a control character (U+{ord(ch):04X}, character {i}) in it: a file name is plain text"
    return ""


def inside(root: Path, path: Path) -> bool:
    """Whether ``path`` (resolved) is ``root`` (resolved) or in it."""
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        raise ValueError("cannot be followed: its links make a loop") from None


def resolve_in(root: Path, written: str, *, linked: bool = False, linkable: bool = True) -> Path:
    """``written`` (a path as workshop.toml has it) resolved against the resolved workshop folder ``root``.

    ValueError, in plain words, when it is not a path (a control character), or leaves the folder and is not
    ``linked`` (the hint offers --link only for a file that can be ``linkable``)."""
    if problem := control_character(written):
        raise ValueError(problem)
    path = _resolve(root / written)
    if linked or inside(root, path):
        return path
    if inside(root, Path(os.path.normpath(root / written))):  # it reads as inside: a link on the way leads out
        raise ValueError(f"{written} is a link to {path}, outside the workshop folder: {HINT if linkable else OWN_HINT}")
    raise ValueError(f"{written} is outside the workshop folder: {HINT if linkable else OWN_HINT}")


def check_own_files(root: Path) -> None:
    """Refuse (WorkshopError naming the file) a link among the workshop's own file names that leads outside."""
    for name in OWN_NAMES:
        p = root / name
        if p.is_symlink() or p.exists():
            try:
                target = _resolve(p)
            except ValueError as e:
                raise WorkshopError(str(e), file=str(p)) from None
            if not inside(root, target):
                raise WorkshopError(f"is a link to {target}, outside the workshop folder: a workshop only reads and "
                                    "writes its own files (remove the link, or put the file itself here)", file=str(p))


__all__ = ["HINT", "OWN_HINT", "OWN_NAMES", "check_own_files", "control_character", "inside", "resolve_in"]
