"""``-`` as a file name: standard input, copied once into a temporary file.

The readers work on paths (a CSV is sniffed, memory-mapped and parsed by pyarrow from disk), so
standard input is materialised into one temporary file the first time ``-`` is read; a second read
of ``-`` in the same process (``icp validate --deals -`` reads the deals as accounts too) gets the
same file. Messages name it ``<stdin>``. The file is removed at exit (:func:`cleanup`).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

STDIN = "-"
STDIN_NAME = "<stdin>"

_copied: tuple[object, Path] | None = None  # (the stdin object it was read from, the temporary file)


def is_stdin(path: str | Path | None) -> bool:
    return path is not None and str(path) == STDIN


def stdin_file() -> Path:
    """The temporary file holding what standard input gave (read to the end on the first call)."""
    global _copied
    source = sys.stdin
    if _copied is not None and _copied[0] is source and _copied[1].exists():
        return _copied[1]
    cleanup()
    fd, name = tempfile.mkstemp(prefix="icp-stdin-")
    with os.fdopen(fd, "wb") as out:
        stream = getattr(source, "buffer", None)
        if stream is not None:
            shutil.copyfileobj(stream, out, 1 << 20)
        elif source is not None:  # a text stream without bytes underneath (rare): as UTF-8
            out.write(source.read().encode("utf-8"))
    _copied = (source, Path(name))
    return _copied[1]


def resolve(path: str | Path) -> tuple[Path, str]:
    """The path to open and the name to show: ``-`` gives the copy of standard input and ``<stdin>``."""
    if is_stdin(path):
        return stdin_file(), STDIN_NAME
    return Path(path), str(Path(path))


def cleanup() -> None:
    """Remove the copy of standard input (if any)."""
    global _copied
    if _copied is not None:
        try:
            _copied[1].unlink()
        except OSError:
            pass
        _copied = None


atexit.register(cleanup)
