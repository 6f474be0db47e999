"""Small renderables for maturity levels: colours and bars that read on a projector."""

from __future__ import annotations

from rich.text import Text

LEVEL_STYLES = {1: "bold white on #b33a3a", 2: "bold black on #e0a030", 3: "bold black on #8fc25a", 4: "bold white on #2e7d4f"}
LEVEL_FG = {1: "#e06060", 2: "#e0a030", 3: "#8fc25a", 4: "#3fae6a"}


def level_cell(level: int | None, width: int = 3) -> Text:
    if level is None:
        return Text("–".center(width), style="dim")
    return Text(str(level).center(width), style=LEVEL_STYLES[level])


def level_bar(level: int | None, width: int = 24) -> Text:
    """A bar of ``width`` cells filled to level/4, with the level after it."""
    if level is None:
        return Text("·" * width + "  –", style="dim")
    filled = round(width * level / 4)
    text = Text("█" * filled, style=LEVEL_FG[level])
    text.append("░" * (width - filled), style="dim")
    text.append(f"  {level}", style="bold")
    return text
