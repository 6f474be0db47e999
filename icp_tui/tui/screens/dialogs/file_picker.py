"""Pick a file or a folder from the disk: folders and the files of the kind asked for (e.g. *.toml)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DirectoryTree, Static


class _Tree(DirectoryTree):
    def __init__(self, path: Path, suffixes: tuple[str, ...]) -> None:
        super().__init__(path, id="fp-tree")
        self.suffixes = suffixes

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [p for p in paths if not p.name.startswith(".") and (p.is_dir() or p.suffix.lower() in self.suffixes)]


class FilePicker(ModalScreen[Path | None]):
    """Dismissed with the chosen file, the folder chosen with f (every matching file in it), or None."""

    HELP = """
    # Pick a file or a folder

    Folders and the files that can be taken. Enter on a file takes it; Enter on a folder opens or closes
    it; f takes the highlighted folder (every file of that kind in it); Backspace goes up a folder.
    """

    HELP_KEYS = [("Enter", "take the file, or open the folder")]
    BINDINGS = [
        Binding("escape", "dismiss(None)", "Cancel"),
        Binding("f", "folder", "Take folder", tooltip="take the highlighted folder (every file of that kind in it)"),
        Binding("backspace", "up", "Up", tooltip="the folder above"),
    ]
    DEFAULT_CSS = """
    FilePicker { align: center middle; }
    #fp { width: 90%; max-width: 100; height: 90%; border: thick $primary; background: $surface; padding: 0 1; }
    #fp-tree { height: 1fr; }
    """

    def __init__(self, title: str, start: Path, suffixes: tuple[str, ...] = (".toml",)) -> None:
        super().__init__()
        self.title_text, self.start, self.suffixes = title, start, suffixes

    def compose(self) -> ComposeResult:
        with Vertical(id="fp"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(id="fp-where")
            yield _Tree(self.start, self.suffixes)
            yield Static(Text("Enter takes a file · f takes the folder · Backspace up · Esc cancels", style="dim"))

    def on_mount(self) -> None:
        self._where()
        self.query_one(_Tree).focus()

    def _where(self) -> None:
        self.query_one("#fp-where", Static).update(Text(str(self.query_one(_Tree).path), style="dim"))

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(Path(event.path))

    def action_folder(self) -> None:
        tree = self.query_one(_Tree)
        node = tree.cursor_node
        path = Path(node.data.path) if node is not None and node.data is not None else Path(tree.path)
        self.dismiss(path if path.is_dir() else path.parent)

    def action_up(self) -> None:
        tree = self.query_one(_Tree)
        tree.path = Path(tree.path).resolve().parent
        self._where()
