"""Writing a report file from a screen, with the outcome shown as a notification."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.lock import workshop_lock, workshop_of


def write_report(screen: Screen, target: Path, text: str) -> bool:
    """Write ``target``; inside a workshop, under its lock (refused in a read-only window)."""
    try:
        root = workshop_of(target)
        if root is None:
            atomic_write_text(target, text)
        else:
            with workshop_lock(root, f"writing {target.name}"):
                atomic_write_text(target, text)
    except (IcpError, OSError) as e:
        screen.notify(f"Could not write {target}: {e}", severity="error")
        return False
    screen.notify(f"Report written to {target}")
    return True
