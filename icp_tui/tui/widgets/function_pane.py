"""One function's target list: its entries in rank order, each marked by how it matched."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from icp_tui.engine.alignment.lists import FunctionList
from icp_tui.engine.alignment.matching import Match, repeats

MARKS = {"matched": ("✓", "green"), "confirm": ("?", "bold yellow"), "new": ("+", "cyan")}


class FunctionPane(Vertical):
    """Title with counts, then the list; the screen's bindings act on the focused pane."""

    def __init__(self, index: int, function: str) -> None:
        super().__init__(id=f"pane-{index}", classes="pane")
        self.index = index
        self.function = function

    def compose(self) -> ComposeResult:
        yield Static(classes="pane-title")
        yield OptionList(id=f"pane-list-{self.index}", classes="pane-list")

    @property
    def entries(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def row(self) -> int | None:
        return self.entries.highlighted

    def show_hidden(self, fl: FunctionList) -> None:
        """A private workshop before the reveal: the function and how many accounts it proposes, nothing else."""
        title = Text(f"{fl.function} ", style="bold")
        title.append(f"{len(fl.entries)}", style="bold")
        self.query_one(".pane-title", Static).update(title)
        self.entries.clear_options()
        self.entries.add_option(Option(Text("hidden until revealed", style="dim italic"), disabled=True))

    def show(self, fl: FunctionList, matches: list[Match], keep_row: int | None = None) -> None:
        counts = {k: sum(1 for m in matches if m.status == k) for k in MARKS}
        twice = repeats(matches)
        title = Text(f"{fl.function} ", style="bold")
        title.append(f"{len(fl.entries)}", style="bold")
        if counts["confirm"]:
            title.append(f"  ?{counts['confirm']}", style="bold yellow")
        if counts["new"]:
            title.append(f"  +{counts['new']}", style="cyan")
        if n_twice := sum(r is not None for r in twice):
            title.append(f"  ={n_twice}", style="bold magenta")
        self.query_one(".pane-title", Static).update(title)
        options = self.entries
        row = options.highlighted if keep_row is None else keep_row
        options.clear_options()
        for e, m, again in zip(fl.entries, matches, twice):
            mark, style = ("=", "bold magenta") if again is not None else MARKS[m.status]
            line = Text(no_wrap=True, overflow="ellipsis")
            line.append(f"{e.rank:>2} " if e.rank is not None else " · ", style="dim")
            line.append(mark + " ", style=style)
            line.append(e.text)
            options.add_option(Option(line))
        if options.option_count:
            options.highlighted = min(max(row or 0, 0), options.option_count - 1)
