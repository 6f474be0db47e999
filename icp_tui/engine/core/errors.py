"""Errors the engine raises for bad input: each names the file, the line or row, and the key or field."""

from __future__ import annotations

from pathlib import Path


class IcpError(Exception):
    """A problem with the user's input, worded for the user (no traceback needed)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        key: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.key = key

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line:
                where += f":{self.line}"
            where += ": "
        key = f"{self.key}: " if self.key else ""
        return f"{where}{key}{self.message}"


class ScorecardError(IcpError):
    """A scorecard file that cannot be loaded."""


class DataFileError(IcpError):
    """An accounts or deals file that cannot be read."""


class WriteError(IcpError, OSError):
    """A file that cannot be written (no such folder, no permission, a full disk). An OSError too, so
    code that guards a write with ``except OSError`` keeps working."""


class WorkshopError(IcpError):
    """A workshop directory or manifest that cannot be opened."""
