"""The one writer of every file the product writes; what the path is decides how.

- A regular file or a new path: a temp file beside it is written, fsynced and renamed over it, then the folder is
  fsynced, so a crash or an error leaves the old file or the new one, never half of one (and no temp file). A
  replaced file keeps its mode; missing folders are made.
- A symlink: the file it points to is written, the same way, with the temp file beside that file, so the link
  stays a link and its target gets the new content. A link that points nowhere (dangling) or loops is refused:
  creating the missing file would put a file wherever the link happens to point, so it is said, not guessed.
- A FIFO, a character device or a socket (``-o /dev/null``, ``-o /dev/stdout``, a named pipe): written in place,
  opened for writing, with no temp file; never renamed over, never chmod-ed. Opening a FIFO waits for its
  reader, as a shell's ``>`` does. What was written before an error has already gone to the reader. A link to this
  process's own standard output or error (``/dev/stdout``, ``/dev/fd/2``) is written through that descriptor
  whatever it is, so ``-o /dev/stdout >> log`` appends as the shell was asked to.
- A folder or a block device: refused.

Every refusal is a :class:`WriteError` that names the path and says what it is. One core, :class:`_Write`, does all
of this; :func:`atomic_write_bytes`, :func:`atomic_write_text`, :class:`AtomicFile` (a file object) and
:class:`AtomicPath` (a path for a native writer such as pyarrow's) are its three ways in.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from icp_tui.engine.core.errors import WriteError


@contextmanager
def _writing(target: Path) -> Iterator[None]:
    """OSErrors of writing ``target`` (or its temp file) as one error that names the target."""
    try:
        yield
    except WriteError:
        raise
    except OSError as e:
        raise _refuse(target, str(e.strerror or e), e.errno) from None


def _refuse(path: Path, what: str, code: int | None = None) -> WriteError:
    """``path: cannot write: what``; ``strerror`` is ``what`` too, for callers that show an OSError's."""
    error = WriteError(f"cannot write: {what}", file=path)
    error.errno, error.strerror, error.filename = code, what, str(path)
    return error


@dataclass(frozen=True)
class _Plan:
    """How the bytes reach a path: ``file`` is what is replaced (the path, or the file a link points to);
    ``stream`` means written in place (a FIFO, a character device, a socket)."""

    file: Path
    stream: bool


def _kind(mode: int) -> str | None:
    """What a path is, in words, when it cannot be written (None when it can)."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISREG(mode) or stat.S_ISFIFO(mode) or stat.S_ISCHR(mode) or stat.S_ISSOCK(mode):
        return None
    return "not a file, a pipe or a character device"


def _plan(path: Path) -> _Plan:
    """How ``path`` is written (see the module's docstring), or a WriteError that says what it is."""
    try:
        st = os.lstat(path)
    except (FileNotFoundError, NotADirectoryError):
        return _Plan(path, stream=False)  # a new path (its folders are checked when the temp file is made)
    link, real = stat.S_ISLNK(st.st_mode), path
    if link:
        real = Path(os.path.realpath(path))
        try:
            st = os.stat(path)
        except (FileNotFoundError, NotADirectoryError):
            raise _refuse(path, f"is a link to {real} that does not exist") from None
        except OSError as e:
            if e.errno == errno.ELOOP:
                raise _refuse(path, "is a link that loops (it leads back to itself)") from None
            raise
    what = _kind(st.st_mode)
    if what is not None:
        raise _refuse(path, f"is a link to {real}, {what}" if link else f"is {what}")
    if not stat.S_ISREG(st.st_mode) or (link and _own_stream(st) is not None):
        return _Plan(path, stream=True)  # the kernel follows any link when it is opened
    if not link:
        return _Plan(path, stream=False)
    try:
        same = os.path.samestat(os.stat(real), st)
    except OSError:
        same = False
    if not same:  # e.g. /dev/stdout to a deleted file: no name to put a temp file beside
        raise _refuse(path, f"is a link to {real}, which cannot be reached by that name")
    return _Plan(real, stream=False)


def _temp_beside(target: Path) -> tuple[int, str]:
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


def _fsync(path: str | Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _own_stream(st: os.stat_result) -> int | None:
    """1 or 2 when ``st`` is this process's standard output or error (-o /dev/stdout, /dev/fd/2), else None."""
    for fd in (1, 2):
        try:
            if os.path.samestat(os.fstat(fd), st):
                return fd
        except OSError:
            continue
    return None


def _open_stream(path: Path) -> BinaryIO:
    """The FIFO, character device or socket at ``path``, opened for writing in place; this process's standard
    output or error, whatever it is (a file the shell opened with > or >> too), through its own descriptor."""
    st = os.stat(path)
    own = _own_stream(st)
    if own is not None:
        stream = sys.stdout if own == 1 else sys.stderr
        if stream is not None:
            stream.flush()  # what was printed before comes first
        return os.fdopen(os.dup(own), "wb")
    if stat.S_ISSOCK(st.st_mode):
        return _open_socket(path)
    fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0))  # no O_CREAT, O_TRUNC
    mode = os.fstat(fd).st_mode
    if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # swapped for something else since it was looked at
        os.close(fd)
        raise _refuse(path, "changed while it was being written (it is no longer a pipe or a device)")
    return os.fdopen(fd, "wb")


def _open_socket(path: Path) -> BinaryIO:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        sock.connect(str(path))
        return sock.makefile("wb")  # closing it closes the socket (closed below but for this file)
    except OSError as e:
        raise _refuse(path, f"is a socket that takes no connection ({e.strerror or e})") from None
    finally:
        sock.close()


class _Write:
    """The one core of every write: opens where the bytes go first, then finishes (or abandons) the write.

    ``by_path``: the caller writes to :attr:`tmp` by name (a native writer). For a FIFO, device or socket that is a
    temp file in the system's temp folder whose bytes are copied into the stream once complete."""

    def __init__(self, path: str | Path, *, by_path: bool = False) -> None:
        self.target = Path(path)
        self.by_path = by_path
        self.tmp: str | None = None
        self.fh: BinaryIO | None = None

    def open(self) -> BinaryIO:
        with _writing(self.target):
            self.plan = _plan(self.target)
            if self.plan.stream and not self.by_path:
                self.fh = _open_stream(self.target)
            else:
                fd, self.tmp = (tempfile.mkstemp(prefix="icp-out-", suffix=".tmp") if self.plan.stream
                                else _temp_beside(self.plan.file))
                self.fh = os.fdopen(fd, "wb")
        return self.fh

    def close(self, ok: bool) -> None:
        """Finish the write when ``ok``, else leave the target as it was; the temp file is gone either way."""
        try:
            with _writing(self.target):
                if ok:
                    self._finish()
        finally:
            try:
                if self.fh is not None and not self.fh.closed:
                    self.fh.close()
            except OSError:
                if ok:
                    raise
            finally:
                if self.tmp is not None and os.path.lexists(self.tmp):
                    os.unlink(self.tmp)

    def _finish(self) -> None:
        assert self.fh is not None
        self.fh.close()  # flushes; a pipe or a device is done here
        if self.tmp is None:
            return
        if self.plan.stream:
            with open(self.tmp, "rb") as src, _open_stream(self.target) as out:
                shutil.copyfileobj(src, out, 1 << 20)
            return
        target = self.plan.file
        _fsync(self.tmp)
        os.chmod(self.tmp, _mode_for(target))
        os.replace(self.tmp, target)
        try:  # make the rename itself durable
            _fsync(target.parent)
        except OSError:
            pass

    def __enter__(self) -> BinaryIO:
        return self.open()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.close(exc_type is None)


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    with _Write(path) as fh:
        fh.write(data)


def atomic_write_text(path: str | Path, text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


class AtomicFile:
    """Context manager giving a binary file object; the target is replaced only on success."""

    def __init__(self, path: str | Path) -> None:
        self.target = Path(path)
        self._write = _Write(self.target)

    def __enter__(self) -> BinaryIO:
        return self._write.open()

    def __exit__(self, exc_type, exc, tb) -> None:
        self._write.close(exc_type is None)


class AtomicPath:
    """Context manager giving a temp path for a native writer (pyarrow writes to a path far faster than through a
    Python file object): beside ``path``, fsynced and renamed over it on success, removed on failure. For a FIFO,
    a device or a socket the temp file is in the system's temp folder and its bytes go into the stream on success
    (nothing on failure)."""

    def __init__(self, path: str | Path) -> None:
        self.target = Path(path)
        self._write = _Write(self.target, by_path=True)

    def __enter__(self) -> str:
        self._write.open()
        assert self._write.tmp is not None
        return self._write.tmp

    def __exit__(self, exc_type, exc, tb) -> None:
        self._write.close(exc_type is None)
