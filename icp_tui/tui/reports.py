"""Writing a report file from a screen, with the outcome shown as a notification."""

from __future__ import annotations

from pathlib import Path

from textual.screen import Screen

from icp_tui.engine.core.atomic import atomic_write_text


def write_report(screen: Screen, target: Path, text: str) -> bool:
    try:
        atomic_write_text(target, text)
    except OSError as e:
        screen.notify(f"Could not write {target}: {e.strerror}", severity="error")
        return False
    screen.notify(f"Report written to {target}")
    return True
