"""The one writer (engine/core/atomic.py): what each shape of path gets, through its three ways in and the CLI."""

from __future__ import annotations

import errno
import os
import shutil
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from icp_tui.cli.main import main
from icp_tui.engine.core import atomic
from icp_tui.engine.core.atomic import AtomicFile, AtomicPath, atomic_write_bytes, atomic_write_text
from icp_tui.engine.core.errors import WriteError
from icp_tui.engine.workshop.resources import sample_workshop_dir

DATA = "first line\nsecond: €80.9m\n"


def via_text(path, text: str) -> None:
    atomic_write_text(path, text)


def via_file(path, text: str) -> None:
    with AtomicFile(path) as fh:
        fh.write(text.encode("utf-8"))


def via_path(path, text: str) -> None:
    with AtomicPath(path) as tmp, open(tmp, "wb") as fh:  # as a native writer does: by name
        fh.write(text.encode("utf-8"))


WRITERS = [via_text, via_file, via_path]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.fixture
def no_dev_replaced(monkeypatch):
    """A safety net for the tests that write to /dev/null: a regression fails the test instead of replacing it."""
    real_replace, real_chmod = os.replace, os.chmod

    def replace(src, dst, *a, **k):
        assert not os.path.realpath(dst).startswith("/dev/"), f"renamed over {dst}"
        return real_replace(src, dst, *a, **k)

    def chmod(p, *a, **k):
        assert not (isinstance(p, str | Path) and os.path.realpath(p).startswith("/dev/")), f"chmod of {p}"
        return real_chmod(p, *a, **k)

    monkeypatch.setattr(atomic.os, "replace", replace)
    monkeypatch.setattr(atomic.os, "chmod", chmod)


def _reading(fifo: Path) -> tuple[threading.Thread, list[bytes]]:
    got: list[bytes] = []

    def read() -> None:
        with open(fifo, "rb") as fh:  # waits for the writer to open it
            got.append(fh.read())  # to the writer's close

    t = threading.Thread(target=read)
    t.start()
    return t, got


def _release(fifo: Path) -> None:
    """A reader still waiting for a writer that failed: give it an end of file so the test ends."""
    try:
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    except OSError:
        pass


def _write_to_fifo(fifo: Path, write) -> bytes:
    t, got = _reading(fifo)
    try:
        write()
    except BaseException:
        _release(fifo)
        raise
    finally:
        t.join()
    assert len(got) == 1
    return got[0]


@pytest.mark.parametrize("write", WRITERS)
def test_a_regular_file_is_replaced_and_keeps_its_mode(tmp_path, write):
    out = tmp_path / "out.txt"
    out.write_text("old content that is longer than the new one, so nothing of it may be left\n", encoding="utf-8")
    os.chmod(out, 0o640)
    inode = out.stat().st_ino
    write(out, DATA)
    assert out.read_bytes() == DATA.encode("utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o640
    assert stat.S_ISREG(out.lstat().st_mode)
    assert out.stat().st_ino != inode  # a new file renamed over the old one, not the old one rewritten
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_new_file_in_a_new_folder(tmp_path, write):
    out = tmp_path / "a" / "b" / "out.txt"
    write(out, DATA)
    assert out.read_bytes() == DATA.encode("utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~_umask()
    assert sorted(os.listdir(tmp_path / "a" / "b")) == ["out.txt"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_symlink_writes_its_target_and_stays_a_link(tmp_path, write):
    (tmp_path / "data").mkdir()
    (tmp_path / "links").mkdir()
    real = tmp_path / "data" / "real.csv"
    real.write_text("old\n", encoding="utf-8")
    os.chmod(real, 0o604)
    link = tmp_path / "links" / "out.csv"
    link.symlink_to("../data/real.csv")
    write(link, DATA)
    assert link.is_symlink()
    assert os.readlink(link) == "../data/real.csv"
    assert real.read_bytes() == DATA.encode("utf-8")
    assert stat.S_IMODE(real.stat().st_mode) == 0o604
    assert sorted(os.listdir(tmp_path / "data")) == ["real.csv"]  # the temp file was beside the target, and is gone
    assert sorted(os.listdir(tmp_path / "links")) == ["out.csv"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_chain_of_links_writes_the_last_target(tmp_path, write):
    real = tmp_path / "real.txt"
    real.write_text("old\n", encoding="utf-8")
    (tmp_path / "one").symlink_to("real.txt")
    (tmp_path / "two").symlink_to(tmp_path / "one")
    write(tmp_path / "two", DATA)
    assert real.read_bytes() == DATA.encode("utf-8")
    assert [(tmp_path / n).is_symlink() for n in ("one", "two")] == [True, True]
    assert sorted(os.listdir(tmp_path)) == ["one", "real.txt", "two"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_dangling_link_is_refused(tmp_path, write):
    link = tmp_path / "out.csv"
    link.symlink_to("missing/real.csv")
    with pytest.raises(WriteError) as e:
        write(link, DATA)
    assert str(e.value) == f"{link}: cannot write: is a link to {tmp_path / 'missing' / 'real.csv'} that does not exist"
    assert e.value.strerror == f"is a link to {tmp_path / 'missing' / 'real.csv'} that does not exist"
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]  # nothing made: neither the folder nor the file
    assert os.readlink(link) == "missing/real.csv"


@pytest.mark.parametrize("write", WRITERS)
def test_a_link_loop_is_refused(tmp_path, write):
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(WriteError) as e:
        write(tmp_path / "a", DATA)
    assert str(e.value) == f"{tmp_path / 'a'}: cannot write: is a link that loops (it leads back to itself)"
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_folder_or_a_link_to_one_is_refused(tmp_path, write):
    (tmp_path / "folder").mkdir()
    (tmp_path / "to-folder").symlink_to("folder")
    with pytest.raises(WriteError) as e:
        write(tmp_path / "folder", DATA)
    assert str(e.value) == f"{tmp_path / 'folder'}: cannot write: is a folder"
    with pytest.raises(WriteError) as e:
        write(tmp_path / "to-folder", DATA)
    assert str(e.value) == f"{tmp_path / 'to-folder'}: cannot write: is a link to {tmp_path / 'folder'}, a folder"
    assert sorted(os.listdir(tmp_path)) == ["folder", "to-folder"]
    assert os.listdir(tmp_path / "folder") == []


@pytest.mark.parametrize("write", WRITERS)
def test_a_block_device_is_refused(tmp_path, write):
    dev = tmp_path / "disk"
    try:  # a block device of our own (the loop device numbers); it is never opened
        os.mknod(dev, stat.S_IFBLK | 0o600, os.makedev(7, 0))
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a block device here: {e}")
    with pytest.raises(WriteError) as e:
        write(dev, DATA)
    assert str(e.value) == f"{dev}: cannot write: is a block device"
    assert stat.S_ISBLK(os.lstat(dev).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["disk"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_fifo_is_written_in_place(tmp_path, write):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    os.chmod(fifo, 0o620)  # not what a new file would get, so a chmod would show
    got = _write_to_fifo(fifo, lambda: write(fifo, DATA))
    assert got == DATA.encode("utf-8")
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert stat.S_IMODE(os.lstat(fifo).st_mode) == 0o620  # never chmod-ed
    assert sorted(os.listdir(tmp_path)) == ["pipe"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_link_to_a_fifo_writes_the_fifo(tmp_path, write):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    (tmp_path / "out").symlink_to("pipe")
    got = _write_to_fifo(fifo, lambda: write(tmp_path / "out", DATA))
    assert got == DATA.encode("utf-8")
    assert (tmp_path / "out").is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["out", "pipe"]


@pytest.mark.parametrize("write", WRITERS)
def test_dev_null_stays_a_character_device(write, no_dev_replaced):
    before = os.stat("/dev/null")
    write("/dev/null", DATA)
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev, stat.S_IMODE(after.st_mode)) == (
        before.st_ino, before.st_rdev, stat.S_IMODE(before.st_mode))


@pytest.mark.parametrize("write", WRITERS)
def test_a_socket_is_written_in_place(tmp_path, write):
    path = tmp_path / "s"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    got: list[bytes] = []

    def serve() -> None:
        conn, _ = server.accept()
        with conn:
            chunks = []
            while chunk := conn.recv(65536):
                chunks.append(chunk)
            got.append(b"".join(chunks))

    t = threading.Thread(target=serve)
    t.start()
    try:
        write(path, DATA)
    finally:
        if not got and t.is_alive():  # the write failed before it connected: let the server thread end
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as c:
                c.connect(str(path))
        t.join()
        server.close()
    assert got == [DATA.encode("utf-8")]
    assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["s"]


@pytest.mark.parametrize("how", ["atomic_write_text", "AtomicPath"])
def test_dev_stdout_appends_to_what_the_shell_opened(tmp_path, how):
    """``-o /dev/stdout >> log``: the bytes go through standard output, after what was there and what was printed."""
    log = tmp_path / "log.txt"
    log.write_text("header\n", encoding="utf-8")
    code = {
        "atomic_write_text": "atomic_write_text('/dev/stdout', 'body\\n')",
        "AtomicPath": "with AtomicPath('/dev/stdout') as t: open(t, 'w').write('body\\n')",
    }[how]
    script = ("from icp_tui.engine.core.atomic import AtomicPath, atomic_write_text\n"
              f"print('printed first')\n{code}\nprint('printed last')\n")
    with open(log, "ab") as out:
        subprocess.run([sys.executable, "-c", script], stdout=out, check=True)
    assert log.read_text(encoding="utf-8") == "header\nprinted first\nbody\nprinted last\n"
    assert sorted(os.listdir(tmp_path)) == ["log.txt"]


def test_a_failure_inside_atomic_file_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(RuntimeError, match="^boom$"), AtomicFile(out) as fh:
        fh.write(b"half a fi")
        raise RuntimeError("boom")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


def test_a_failure_of_the_native_writer_keeps_the_old_file(tmp_path):
    out = tmp_path / "out.txt"
    out.write_text("old\n", encoding="utf-8")
    with pytest.raises(OSError, match="^disk full$"), AtomicPath(out) as tmp:
        Path(tmp).write_bytes(b"half a fi")
        raise OSError("disk full")
    assert out.read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(tmp_path)) == ["out.txt"]


@pytest.mark.parametrize("write", WRITERS)
def test_a_full_disk_keeps_the_old_file_and_names_the_path(tmp_path, monkeypatch, write):
    (tmp_path / "data").mkdir()
    real = tmp_path / "data" / "real.txt"
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "out.txt"
    link.symlink_to(real)

    def fsync(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    with pytest.raises(WriteError) as e:
        write(link, DATA)
    assert str(e.value) == f"{link}: cannot write: No space left on device"
    assert (e.value.errno, e.value.strerror) == (errno.ENOSPC, "No space left on device")
    assert real.read_text(encoding="utf-8") == "old\n"
    assert sorted(os.listdir(tmp_path / "data")) == ["real.txt"]
    assert link.is_symlink()


def test_bytes_are_written_as_given(tmp_path):
    out = tmp_path / "card.toml"
    atomic_write_bytes(out, b"\xef\xbb\xbfname = 'x'\r\n")
    assert out.read_bytes() == b"\xef\xbb\xbfname = 'x'\r\n"


# ---- through the CLI ------------------------------------------------------------------------------------------

@pytest.fixture
def ws(tmp_path) -> Path:
    folder = tmp_path / "ws"
    shutil.copytree(sample_workshop_dir(), folder)
    return folder


def test_cli_report_to_dev_null(ws, capsys, no_dev_replaced):
    before = os.stat("/dev/null")
    assert main(["report", str(ws), "-o", "/dev/null"]) == 0
    assert capsys.readouterr().err.splitlines()[-1] == "icp: report written to /dev/null"
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)


def test_cli_score_to_a_fifo(ws, tmp_path, capsys):
    assert main(["score", "-w", str(ws), "-o", str(tmp_path / "scored.csv")]) == 0
    expected = (tmp_path / "scored.csv").read_bytes()
    fifo = tmp_path / "scored.pipe"
    os.mkfifo(fifo)
    capsys.readouterr()
    got = _write_to_fifo(fifo, lambda: main(["score", "-w", str(ws), "-o", str(fifo)]))
    assert got == expected
    assert len(got.splitlines()) == 2001  # the header and the sample's 2,000 accounts
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scored.csv", "scored.pipe", "ws"]
    assert f"-> {fifo}: " in capsys.readouterr().err


def test_cli_score_to_dev_null(ws, capsys, no_dev_replaced):
    assert main(["score", "-w", str(ws), "-o", "/dev/null"]) == 0
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_cli_refuses_a_dangling_link_with_one_line(ws, tmp_path, capsys):
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "gone" / "report.md")
    assert main(["report", str(ws), "-o", str(link)]) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"icp: error: {link}: cannot write: is a link to {tmp_path / 'gone' / 'report.md'} that does not exist")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.md", "ws"]
