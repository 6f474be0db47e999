"""A scorecard's TOML document under edit: the undo history, the diff against the saved file, saving.

:class:`icp_tui.engine.scorecard.editing.ScorecardEditor` builds every edit on :meth:`DocumentEditor._apply`:
the change is made to the tomlkit document, the document is re-read into the model, and on any error the
text before is restored exactly.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Self

from icp_tui.engine.core.conditions import MatcherError
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.toml_tables import put_key, toml_text
from icp_tui.engine.core.tomlfile import parse_toml
from icp_tui.engine.scorecard.file import Scorecard, ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.lint import Finding, lint_scorecard


class DocumentEditor:
    """Transactional, undoable changes of one scorecard file's document, and its saving."""

    def __init__(self, file: ScorecardFile, max_history: int = 200) -> None:
        self.file = file
        self.max_history = max_history
        self._undo: list[tuple[str, str]] = []  # (what, text before)
        self._redo: list[tuple[str, str]] = []  # (what, text after)
        self._saved_at = 0  # len(self._undo) when the file was last saved (or opened)

    @classmethod
    def open(cls, path: str | Path) -> Self:
        return cls(ScorecardFile.open(path))

    @property
    def scorecard(self) -> Scorecard:
        return self.file.scorecard

    @property
    def dirty(self) -> bool:
        return self.file.dirty

    @property
    def unsaved_count(self) -> int:
        """How many edits the file is behind: edits since the last save, or saved edits undone (0: as saved)."""
        if not self.dirty:
            return 0
        return max(1, abs(len(self._undo) - self._saved_at))

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    @property
    def history_size(self) -> int:
        return len(self._undo)

    def _set_text(self, text: str) -> None:
        self.file.doc, self.file.scorecard = parse_scorecard(text, self.file.path)

    def _replace(self, text: str) -> None:
        self.file.doc = parse_toml(text, str(self.file.path), ScorecardError)

    def _apply(self, what: str, change: Callable[[], object]) -> bool:
        before = self.file.as_string()
        try:
            change()
            if self.file.as_string() == before:
                self._set_text(before)
                return False
            self.file.reload()
        except MatcherError as e:
            self._set_text(before)
            raise ScorecardError(str(e)) from None
        except BaseException:
            self._set_text(before)
            raise
        if len(self._undo) >= self.max_history:
            self._saved_at -= 1  # the oldest step is dropped: the saved point moves with the rest
        self._undo = (self._undo + [(what, before)])[-self.max_history:]
        self._redo.clear()
        return True

    def _step(self, source: list[tuple[str, str]], target: list[tuple[str, str]]) -> str:
        if not source:
            return ""
        what, text = source.pop()
        target.append((what, self.file.as_string()))
        self._set_text(text)
        return what

    def undo(self) -> str:
        """Undo the last edit; returns what it was ("" when there is nothing to undo)."""
        return self._step(self._undo, self._redo)

    def redo(self) -> str:
        return self._step(self._redo, self._undo)

    # -- files

    def diff(self) -> str:
        """Unified diff of the saved text and the edited document ("" when unchanged)."""
        old, new, name = self.file.text, self.file.as_string(), self.file.path.name
        if old == new:
            return ""
        old_lines, new_lines = ([x if x.endswith("\n") else x + "\n" for x in s.splitlines(True)] for s in (old, new))
        return "".join(difflib.unified_diff(old_lines, new_lines, f"{name} (saved)", f"{name} (edited)"))

    def lint(self, accounts: Any = None) -> list[Finding]:
        """Lint findings for the edited document (their lines count in it, not in the saved file)."""
        f = self.file
        return lint_scorecard(ScorecardFile(f.path, f.as_string(), f.doc, f.scorecard, f.bom), accounts)

    def changes(self) -> list[str]:
        """What was changed since the last save, oldest first (an undo past the save says so)."""
        if len(self._undo) < self._saved_at:
            n = self._saved_at - len(self._undo)
            return [f"{n} saved change{'s' if n != 1 else ''} undone"]
        return [w for w, _ in self._undo[max(self._saved_at, 0):]]

    def save(self, path: str | Path | None = None) -> Path:
        try:
            saved = self.file.save(path)
        except OSError as e:
            raise ScorecardError(f"cannot write: {e.strerror or e}", file=path or self.file.path) from None
        if self.file.merged:  # the document now holds a change made on disk: no undo may take it back unseen
            self._undo.clear()
            self._redo.clear()
        self._saved_at = len(self._undo)
        return saved

    def save_version(self, version: str | None = None) -> Path:
        """Set ``[scorecard].version`` (default: its last number + 1) and save as ``<stem>-v<version>.toml``
        beside the file; an existing file is never overwritten. The editor then edits the new file."""
        current = self.scorecard.version
        new = (version or "").strip() or _bump(current)
        if not re.fullmatch(r"[\w.+-]+", new):
            raise ScorecardError(f"version '{new}' cannot be part of a file name (use letters, digits, '.', '-', '+')")
        target = self.file.path.with_name(re.sub(rf"-v{re.escape(current)}$", "", self.file.path.stem) + f"-v{new}.toml")
        if target.exists():
            raise ScorecardError("already exists (choose another version)", file=target)
        changed = self._apply(f"version {current} → {new}", lambda: self._set_version(new))
        try:
            return self.save(target)
        except ScorecardError:
            if changed:  # nothing half done: the version edit goes too
                self._set_text(self._undo.pop()[1])
            raise

    def record_validated(self, when: Any, result: str) -> bool:
        """``validated = WHEN`` and ``validated_with = RESULT`` in ``[scorecard]``, as one undoable edit."""
        from icp_tui.engine.scorecard.file import record_validated

        return self._apply(f"recorded as validated on {when.isoformat()}", lambda: record_validated(self.file, when, result))

    def _set_version(self, version: str) -> None:
        if (meta := self.file.doc.get("scorecard")) is not None:
            return put_key(meta, "version", version, ("name", "version", "description"))
        text = self.file.as_string()
        at = m.start() if (m := re.search(r"^[ \t]*\[", text, re.M)) else len(text)
        self._replace(text[:at] + f"[scorecard]\nversion = {toml_text(version)}\n\n" + text[at:])


def _bump(version: str) -> str:
    m = re.search(r"(\d+)(?!.*\d)", version)
    if not m:
        raise ScorecardError(f"version '{version}' has no number to count up: give the new version")
    return version[:m.start()] + str(int(m.group()) + 1) + version[m.end():]
