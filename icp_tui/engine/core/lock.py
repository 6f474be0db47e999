"""No lost updates: the workshop's write lock, the app's presence lock, and files' fingerprints.

- ``workshop_lock(root, purpose)``: every writer (CLI and app alike, at the engine's write functions) holds it
  across a read-modify-write. A file ``.icp-lock`` in the workshop folder, made with O_CREAT|O_EXCL, says who
  holds it (pid, host, command, time); a second writer polls for a few seconds (``ICP_LOCK_WAIT``, default 5)
  and is then refused naming the holder. A lock whose process is gone (same host) or older than an hour is
  taken over. Taking it again inside one process is a no-op (threads of the process wait their turn).
- ``hold_presence(root)``: the app's lock for its lifetime (``.icp-app-lock``). A second app on the workshop
  (another process) gets it as *read-only*: every write lock on that folder in that process is then refused
  with who has the workshop open, so a read-only window writes nothing.
- ``Fingerprint``: a file as it was read (sha256 of the bytes, size, mtime); a write of a file read earlier
  checks under the lock that the file is still that one, and refuses naming the file if not.

Lives in ``core`` (not ``workshop``) because the scorecard, alignment, maturity and history packages write
their own files and must take it without importing the application layer above them.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from icp_tui.engine.core.errors import WorkshopError

LOCK = ".icp-lock"
APP_LOCK = ".icp-app-lock"
LOCK_FILES = (LOCK, APP_LOCK)  # never workshop files: not listed, not copied (create.copy_tree_atomically)
MANIFEST_NAME = "workshop.toml"  # manifest.MANIFEST (tests/test_workshop_lock.py holds them equal)
STALE_AFTER = 3600.0  # seconds: a write lock older than this is a left-over, whoever wrote it
POLL = 0.05


def wait_bound() -> float:
    """How long a writer waits for another's lock: ``ICP_LOCK_WAIT`` seconds, default 5."""
    try:
        return max(0.0, float(os.environ.get("ICP_LOCK_WAIT", "5")))
    except ValueError:
        return 5.0


def workshop_of(path: str | Path) -> Path | None:
    """The workshop ``path`` is in (the nearest folder above it holding workshop.toml), None when it is in none."""
    p = Path(path).expanduser()
    return next((f for f in (_key(p.parent), *_key(p.parent).parents) if (f / MANIFEST_NAME).is_file()), None)


def lock_root(path: str | Path) -> Path:
    """The folder whose lock guards ``path``: its workshop, else the folder the file is in."""
    return workshop_of(path) or _key(Path(path).expanduser().parent)


# -- who holds a lock ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holder:
    pid: int
    host: str
    command: str
    since: float  # time.time()
    token: str = ""

    @classmethod
    def me(cls, purpose: str) -> Holder:
        return cls(os.getpid(), socket.gethostname(), purpose or _command(), time.time(), secrets.token_hex(8))

    def text(self) -> str:
        return json.dumps({"pid": self.pid, "host": self.host, "command": self.command,
                           "since": datetime.fromtimestamp(self.since).isoformat(timespec="seconds"),
                           "token": self.token}) + "\n"

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        try:
            d = json.loads(text)
            return cls(int(d["pid"]), str(d["host"]), str(d["command"]),
                       datetime.fromisoformat(str(d["since"])).timestamp(), str(d.get("token", "")))
        except (ValueError, KeyError, TypeError):
            return None

    def alive(self) -> bool:
        """False only when the holder is surely gone: on this host, and no process has its pid."""
        if self.host != socket.gethostname():
            return True
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return False
        except OSError:  # exists, another user's
            return True
        return True

    def who(self) -> str:
        at = datetime.fromtimestamp(self.since).strftime("%H:%M:%S")
        return f"{self.command} (pid {self.pid} on host {self.host}) since {at}"


def _command() -> str:
    args = [os.path.basename(sys.argv[0] or "icp")] + sys.argv[1:3]
    return " ".join(a for a in args if a) or "icp"


def _read_holder(path: Path) -> tuple[str, Holder | None] | None:
    """(raw text, holder) of a lock file, None when there is none."""
    try:
        raw = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return None
    except OSError:
        return "", None
    return raw, Holder.parse(raw)


def _create(path: Path, holder: Holder) -> bool:
    """Make the lock file holding ``holder``; False when one is there already."""
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        return False
    except OSError as e:
        raise WorkshopError(f"cannot lock the workshop for writing: {e.strerror or e}", file=path) from None
    try:
        os.write(fd, holder.text().encode("utf-8"))
    finally:
        os.close(fd)
    return True


def _take_over(path: Path, seen: str) -> None:
    """Remove a stale lock whose text is ``seen``; a lock that is no longer that one (someone took it over
    meanwhile) is put back. The rename makes the removal of exactly one file one step."""
    aside = path.with_name(f"{path.name}.stale-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        os.rename(path, aside)
    except FileNotFoundError:
        return
    try:
        if aside.read_text(encoding="utf-8", errors="replace") != seen:
            try:
                os.link(aside, path)
            except OSError:
                pass
    finally:
        aside.unlink(missing_ok=True)


def _release(path: Path, holder: Holder) -> None:
    found = _read_holder(path)
    if found is not None and found[1] is not None and found[1].token == holder.token:
        path.unlink(missing_ok=True)


def _stale(raw: str, holder: Holder | None, path: Path, max_age: float | None) -> bool:
    if holder is None:  # unreadable: a writer that died between making it and writing it, or one writing now
        try:
            return time.time() - path.stat().st_mtime > 10
        except OSError:
            return False
    if not holder.alive():
        return True
    return max_age is not None and time.time() - holder.since > max_age


# -- the write lock -----------------------------------------------------------------------------------------


class _Held:
    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0
        self.holder: Holder | None = None


_held: dict[Path, _Held] = {}
_guard = threading.Lock()
_read_only: dict[Path, str] = {}  # workshop root -> why this process may not write it (presence of another app)


def _key(root: str | Path) -> Path:
    return Path(os.path.realpath(Path(root).expanduser()))


@contextmanager
def workshop_lock(root: str | Path, purpose: str = "", *, wait: float | None = None) -> Iterator[None]:
    """Hold the workshop's write lock (``root``: the workshop folder, see :func:`lock_root`). Reentrant in one
    process. Refused (WorkshopError) when this process has the workshop read-only, or when another writer keeps
    it for longer than ``wait`` seconds (default :func:`wait_bound`)."""
    key = _key(root)
    check_writable(key)
    with _guard:
        state = _held.setdefault(key, _Held())
    bound = wait_bound() if wait is None else wait
    if not state.lock.acquire(timeout=max(bound, 0.001)):
        raise WorkshopError("the workshop is being written by another part of this program; try again", file=key)
    try:
        if state.depth == 0:  # a folder not made yet has nothing to protect (the write makes it)
            state.holder = _acquire(key / LOCK, Holder.me(purpose), bound) if key.is_dir() else None
        state.depth += 1
        try:
            yield
        finally:
            state.depth -= 1
            if state.depth == 0 and state.holder is not None:
                _release(key / LOCK, state.holder)
                state.holder = None
    finally:
        state.lock.release()


def _acquire(path: Path, me: Holder, bound: float) -> Holder:
    deadline = time.monotonic() + bound
    while True:
        if _create(path, me):
            return me
        found = _read_holder(path)
        if found is None:
            continue  # released between the two steps
        raw, holder = found
        if _stale(raw, holder, path, STALE_AFTER):
            _take_over(path, raw)
            continue
        if time.monotonic() >= deadline:
            who = holder.who() if holder else f"another program (see {path.name})"
            raise WorkshopError(f"the workshop is being written by {who}; try again", file=path.parent)
        time.sleep(POLL)


def check_writable(root: str | Path) -> None:
    """Refuse (before anything is changed in memory) when this process has the workshop read-only."""
    key = _key(root)
    if key in _read_only:
        raise WorkshopError(_read_only[key], file=key)


def holder_of(root: str | Path, name: str = LOCK) -> Holder | None:
    found = _read_holder(_key(root) / name)
    return found[1] if found else None


# -- the app's presence -------------------------------------------------------------------------------------


@dataclass
class Presence:
    """The app's hold on a workshop: ``read_only`` says why it may not write ("" when it may)."""

    root: Path
    read_only: str = ""
    holder: Holder | None = None

    def release(self) -> None:
        if self.read_only:
            _read_only.pop(self.root, None)
        elif self.holder is not None:
            _release(self.root / APP_LOCK, self.holder)
        self.holder = None


def hold_presence(root: str | Path, purpose: str = "the icp app") -> Presence:
    """Take ``.icp-app-lock`` for an app's lifetime; when another live process has it, the workshop is read-only
    in this process (every :func:`workshop_lock` on it refused with who has it). A folder where no lock can be
    made (read-only media) gives a presence that holds nothing: nothing can be written there anyway."""
    key = _key(root)
    path = key / APP_LOCK
    me = Holder.me(purpose)
    for _ in range(5):
        try:
            if _create(path, me):
                return Presence(key, "", me)
        except WorkshopError:
            return Presence(key)
        found = _read_holder(path)
        if found is None:
            continue
        raw, holder = found
        if holder is not None and holder.pid == os.getpid() and holder.host == me.host:
            return Presence(key)  # another window of this process: it releases the file
        if _stale(raw, holder, path, None):
            _take_over(path, raw)
            continue
        who = (f"open in {holder.command} (pid {holder.pid} on host {holder.host}) since "
               f"{datetime.fromtimestamp(holder.since).strftime('%H:%M:%S')}") if holder else f"open elsewhere ({APP_LOCK})"
        why = (f"read-only: this workshop is {who}; nothing is written from this window "
               f"(close the other one and open it again; if no icp runs there, delete {APP_LOCK})")
        _read_only[key] = why
        return Presence(key, why, None)
    return Presence(key)


# -- fingerprints -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fingerprint:
    """A file as read: its bytes' sha256 and size, and its mtime (for the message)."""

    sha256: str
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: str | Path, data: bytes) -> Fingerprint:
        """The fingerprint of ``data`` just read from (or written to) ``path``."""
        try:
            mtime = Path(path).stat().st_mtime_ns
        except OSError:
            mtime = 0
        return cls(hashlib.sha256(data).hexdigest(), len(data), mtime)

    @classmethod
    def read(cls, path: str | Path) -> Fingerprint | None:
        """The file as it is now (None: there is none)."""
        try:
            data = Path(path).read_bytes()
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            return None
        return cls.of(path, data)


def write_checked(path: str | Path, write: Callable[[], object], *, watched: bool, seen: Fingerprint | None) -> Fingerprint | None:
    """``write()`` (which writes ``path``) under the lock of ``path``'s workshop, refused (see :func:`check_unchanged`)
    when the file was read earlier (``watched``) and is no longer that file; the fingerprint of the file written."""
    p = Path(path)
    with workshop_lock(lock_root(p), f"saving {p.name}"):
        if watched:
            check_unchanged(p, seen)
        write()
        return Fingerprint.read(p)


def changed_since(path: str | Path, seen: Fingerprint | None) -> bool:
    """Whether ``path`` is no longer the file read (``seen``; None: there was none then)."""
    now = Fingerprint.read(path)
    if now is None or seen is None:
        return (now is None) != (seen is None)
    return (now.sha256, now.size) != (seen.sha256, seen.size)


def check_unchanged(path: str | Path, seen: Fingerprint | None) -> None:
    """Under the lock, before writing ``path`` over: refuse when it is no longer the file read (``seen``; None: it
    was not there then)."""
    if not changed_since(path, seen):
        return
    now, p = Fingerprint.read(path), Path(path)
    when = f" at {datetime.fromtimestamp(now.mtime_ns / 1e9).strftime('%H:%M:%S')}" if now is not None else ""
    what = "was removed" if now is None else f"changed on disk{when}"
    raise WorkshopError(f"{what} since it was read here (another window or command saved it): nothing was written; "
                        f"open it again to see that change, then make yours again", file=p)


__all__ = ["APP_LOCK", "LOCK", "LOCK_FILES", "Fingerprint", "Holder", "Presence", "changed_since", "check_unchanged",
           "check_writable", "hold_presence", "holder_of", "lock_root", "wait_bound", "workshop_lock", "workshop_of",
           "write_checked"]
