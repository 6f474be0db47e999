"""Atomic file writes: a temp file beside the target, fsync, then rename over it."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from icp_tui.engine.core.errors import WriteError


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """OSErrors of writing ``target`` (or its temp file) as one error that names the target."""
    try:
        yield
    except WriteError:
        raise
    except OSError as e:
        raise WriteError(f"cannot write: {e.strerror or e}", file=target) from None


def _temp_beside(target: Path) -> tuple[int, str]:
    with _writing(target):
        if target.is_dir():
            raise IsADirectoryError(21, "is a folder")
        folder = next((p for p in target.parents if p.exists()), None)
        if folder is not None and not folder.is_dir():
            raise NotADirectoryError(20, f"{folder} is a file, not a folder")
        target.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)


def _mode_for(target: Path) -> int:
    """The mode a replaced file had, else what the umask gives a new file (mkstemp makes 0600)."""
    try:
        return target.stat().st_mode & 0o7777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    target = Path(path)
    fd, tmp = _temp_beside(target)
    try:
        with _writing(target), os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        with _writing(target):
            os.chmod(tmp, _mode_for(target))
            os.replace(tmp, target)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    try:  # make the rename itself durable
        dfd = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


class AtomicFile:
    """Context manager giving a binary file object; the target is replaced only on success."""

    def __init__(self, path: str | Path) -> None:
        self.target = Path(path)

    def __enter__(self):
        fd, self.tmp = _temp_beside(self.target)
        self.fh = os.fdopen(fd, "wb")
        return self.fh

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            with _writing(self.target):
                self._finish(exc_type)
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)

    def _finish(self, exc_type) -> None:
        if exc_type is None:
            self.fh.flush()
            os.fsync(self.fh.fileno())
        self.fh.close()
        if exc_type is None:
            os.chmod(self.tmp, _mode_for(self.target))
            os.replace(self.tmp, self.target)


class AtomicPath:
    """Context manager giving a temp path beside ``path`` for a native writer (pyarrow writes to
    a path far faster than through a Python file object); on success the file is fsynced and
    renamed over the target, on failure removed."""

    def __init__(self, path: str | Path) -> None:
        self.target = Path(path)

    def __enter__(self) -> str:
        fd, self.tmp = _temp_beside(self.target)
        os.close(fd)
        return self.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            with _writing(self.target):
                self._finish(exc_type)
        finally:
            if os.path.exists(self.tmp):
                os.unlink(self.tmp)

    def _finish(self, exc_type) -> None:
        if exc_type is None:
            fd = os.open(self.tmp, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
            os.chmod(self.tmp, _mode_for(self.target))
            os.replace(self.tmp, self.target)
