"""No lost updates (issue 19, item 5): the workshop lock, stale locks, fingerprints, a second app read-only."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.core.lock import (
    APP_LOCK,
    LOCK,
    MANIFEST_NAME,
    check_writable,
    hold_presence,
    lock_root,
    workshop_lock,
)
from icp_tui.engine.workshop.manifest import MANIFEST

ROOT = Path(__file__).resolve().parents[1]
ICP = [sys.executable, "-m", "icp_tui"]


@pytest.fixture
def live_pid():
    """The pid of another process that is alive for the whole test."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def write_holder(path: Path, pid: int, command: str = "icp segments") -> str:
    """A lock held since now by ``pid`` on this host; returns the time as the messages show it."""
    since = datetime.now().replace(microsecond=0)
    path.write_text(json.dumps({"pid": pid, "host": socket.gethostname(), "command": command, "since": since.isoformat(),
                                "token": "theirs"}) + "\n", encoding="utf-8")
    return since.strftime("%H:%M:%S")


def test_the_manifest_name_is_the_workshops():
    assert MANIFEST_NAME == MANIFEST


def test_lock_root_is_the_workshop_folder_or_the_files_folder(workshop, tmp_path):
    assert lock_root(workshop / "lists" / "sales.csv") == workshop.resolve()
    assert lock_root(workshop / "scorecard.toml") == workshop.resolve()
    loose = tmp_path / "loose"
    loose.mkdir()
    assert lock_root(loose / "s.toml") == loose.resolve()


def test_the_lock_is_taken_released_and_reentrant(workshop):
    with workshop_lock(workshop, "icp test"):
        held = json.loads((workshop / LOCK).read_text())
        assert held["pid"] == os.getpid() and held["command"] == "icp test"
        with workshop_lock(workshop, "nested"):  # a nested take in one process is a no-op
            assert json.loads((workshop / LOCK).read_text())["token"] == held["token"]
        assert (workshop / LOCK).exists()
    assert not (workshop / LOCK).exists()


def test_a_held_lock_makes_a_second_writer_wait_then_refused_naming_the_holder(workshop, live_pid):
    at = write_holder(workshop / LOCK, live_pid)
    with pytest.raises(WorkshopError) as e, workshop_lock(workshop, "icp validate", wait=0.2):
        pass
    assert e.value.message == (f"the workshop is being written by icp segments (pid {live_pid} on host "
                               f"{socket.gethostname()}) since {at}; try again")
    assert json.loads((workshop / LOCK).read_text())["token"] == "theirs"  # still theirs


def test_a_stale_lock_of_a_dead_process_is_taken_over(workshop):
    write_holder(workshop / LOCK, dead_pid())
    with workshop_lock(workshop, "icp validate", wait=0):
        assert json.loads((workshop / LOCK).read_text())["pid"] == os.getpid()
    assert not (workshop / LOCK).exists()


def test_a_lock_left_by_another_host_long_ago_is_taken_over(workshop):
    (workshop / LOCK).write_text(json.dumps({"pid": 1, "host": "elsewhere", "command": "icp", "since": "2020-01-01T00:00:00"}))
    with workshop_lock(workshop, "icp validate", wait=0):
        assert json.loads((workshop / LOCK).read_text())["pid"] == os.getpid()


def test_a_scorecard_changed_on_disk_since_it_was_read_is_merged_when_other_lines_changed(workshop):
    from icp_tui.engine.scorecard.editing import ScorecardEditor

    path = workshop / "scorecard.toml"
    editor = ScorecardEditor.open(path)
    cid = editor.scorecard.criteria[0].id
    editor.set_weight(cid, 3)
    mine = editor.file.as_string()
    path.write_text(path.read_text(encoding="utf-8") + "\n# written by another window\n", encoding="utf-8")
    editor.save()
    assert path.read_text(encoding="utf-8") == mine + "\n# written by another window\n"  # both changes kept
    assert editor.file.merged and not editor.dirty
    assert not editor.can_undo  # no undo may take the other window's change back unseen
    assert editor.scorecard.criteria[0].weight == 3


def test_a_scorecard_changed_on_the_same_lines_is_not_overwritten_and_the_edits_stay(workshop):
    from icp_tui.engine.core.errors import ScorecardError
    from icp_tui.engine.scorecard.editing import ScorecardEditor

    path = workshop / "scorecard.toml"
    editor = ScorecardEditor.open(path)
    cid = editor.scorecard.criteria[0].id
    editor.set_weight(cid, 3)
    theirs = ScorecardEditor.open(path)  # another window sets the same weight otherwise, and saves first
    theirs.set_weight(cid, 2)
    theirs.save()
    on_disk = path.read_text(encoding="utf-8")
    with pytest.raises(ScorecardError) as e:
        editor.save()
    assert e.value.file == str(path)
    assert e.value.message == ("changed on disk since it was read here (another window or command saved it), on the same "
                               "lines as your edits: nothing was written; your edits are still here: look at the file's "
                               "change (d shows yours), then save again after undoing the edits that clash, or open the "
                               "scorecard again")
    assert path.read_text(encoding="utf-8") == on_disk  # nothing lost
    assert editor.dirty and editor.scorecard.criteria[0].weight == 3 and editor.can_undo


def test_two_windows_deciding_on_the_tal_keep_both_decisions(workshop):
    from icp_tui.engine.alignment.tal import DecisionsFile
    from icp_tui.engine.workshop.alignment_session import AlignmentSession
    from icp_tui.engine.workshop.manifest import Workshop

    ws = Workshop.load(workshop)
    first, second = AlignmentSession(ws), AlignmentSession(ws)
    a, b = first.tal.rows[0].proposal.key, first.tal.rows[1].proposal.key
    first.decide(a, "exclude", "a competitor")
    assert first.note == ""
    second.decide(b, "park", "next quarter")  # read decisions.toml before the first window's change
    assert second.note == ("decisions.toml had been changed by another window or command: read again, "
                           "with this change made on it")
    saved = DecisionsFile.load(ws.root / "decisions.toml").decisions
    assert (saved[a].action, saved[a].reason, saved[b].action, saved[b].reason) == ("exclude", "a competitor", "park",
                                                                                    "next quarter")
    assert set(second.file.decisions) == {a, b}


def test_a_list_change_refused_on_disk_leaves_the_list_as_the_file_has_it(workshop):
    from icp_tui.engine.workshop.alignment_session import AlignmentSession
    from icp_tui.engine.workshop.manifest import Workshop

    ws = Workshop.load(workshop)
    session = AlignmentSession(ws)
    fl = session.lists[0]
    before = [e.text for e in fl.entries]
    fl.path.write_text(fl.path.read_text(encoding="utf-8") + "Zeta Widgets,,,\n", encoding="utf-8")
    with pytest.raises(WorkshopError, match="changed on disk"):
        session.add(0, ["Omega Corp"])
    assert [e.text for e in session.lists[0].entries] == before and session.undo_stack == []


def test_decisions_changed_on_disk_are_not_overwritten_and_the_log_keeps_both_entries(workshop):
    from icp_tui.engine.alignment.tal import Decision, DecisionsFile
    from icp_tui.engine.workshop.log import append_log, read_log

    path = workshop / "decisions.toml"
    first, second = DecisionsFile.load(path), DecisionsFile.load(path)  # two windows, no file yet
    first.decisions["acc:1"] = Decision("acc:1", "include", "partner")
    first.save(path)
    second.decisions["acc:2"] = Decision("acc:2", "exclude", "competitor")
    with pytest.raises(WorkshopError, match="decisions.toml"):
        second.save(path)
    assert set(DecisionsFile.load(path).decisions) == {"acc:1"}
    append_log(workshop, "tal", "one")
    append_log(workshop, "tal", "two")  # the log is read again under the lock: appended, never replaced
    assert [e.text for e in read_log(workshop)] == ["one", "two"]


def test_a_second_app_presence_is_read_only_and_every_write_is_refused(workshop, live_pid):
    from icp_tui.engine.workshop.agenda import save_participants

    write_holder(workshop / APP_LOCK, live_pid, command="the icp app")
    presence = hold_presence(workshop)
    try:
        assert presence.read_only.startswith(f"read-only: this workshop is open in the icp app (pid {live_pid} on host ")
        before = (workshop / MANIFEST).read_bytes()
        with pytest.raises(WorkshopError, match="read-only"):
            save_participants(workshop / MANIFEST, [("Ana", "Sales")])
        assert (workshop / MANIFEST).read_bytes() == before
        from icp_tui.engine.workshop.manifest import Workshop
        from icp_tui.engine.workshop.report_html import write_report_files

        with pytest.raises(WorkshopError, match="read-only"):  # the report the app writes into the folder too
            write_report_files(Workshop.load(workshop))
        assert not (workshop / "report.md").exists() and not (workshop / "report.html").exists()
    finally:
        presence.release()
    check_writable(workshop)  # released: writable again
    assert (workshop / APP_LOCK).exists()  # the other app's lock is not ours to remove


def test_the_app_presence_is_taken_shared_in_one_process_and_released(workshop):
    first = hold_presence(workshop)
    second = hold_presence(workshop)  # another window of this process: not read-only
    assert first.read_only == second.read_only == ""
    second.release()
    assert (workshop / APP_LOCK).exists()
    first.release()
    assert not (workshop / APP_LOCK).exists()
    write_holder(workshop / APP_LOCK, dead_pid())
    stale = hold_presence(workshop)  # an app that died: taken over
    assert stale.read_only == "" and json.loads((workshop / APP_LOCK).read_text())["pid"] == os.getpid()
    stale.release()


def test_locks_are_not_copied_with_a_workshop(workshop, tmp_path):
    from icp_tui.engine.workshop.create import copy_tree_atomically

    (workshop / LOCK).write_text("{}")
    (workshop / APP_LOCK).write_text("{}")
    copy_tree_atomically(workshop, tmp_path / "copy")
    assert not (tmp_path / "copy" / LOCK).exists() and not (tmp_path / "copy" / APP_LOCK).exists()
    assert (tmp_path / "copy" / MANIFEST).exists()


async def test_a_second_app_on_a_workshop_is_read_only_and_writes_nothing(workshop, live_pid):
    from icp_tui.tui.app import create_app
    from tests.pilot import keys, settle

    write_holder(workshop / APP_LOCK, live_pid, command="the icp app")
    before = (workshop / MANIFEST).read_bytes()
    app = create_app(workshop, remember_workshop=False, presence=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.title == "icp · READ-ONLY"
        await keys(pilot, "greater_than_sign")  # the agenda's next step: saved in workshop.toml by a writable app
        assert (workshop / MANIFEST).read_bytes() == before
    check_writable(workshop)  # the app ended: this process may write again


async def test_the_first_app_holds_the_workshop_while_open(workshop):
    from icp_tui.tui.app import create_app
    from tests.pilot import settle

    app = create_app(workshop, remember_workshop=False, presence=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.title == "icp"
        assert json.loads((workshop / APP_LOCK).read_text())["pid"] == os.getpid()
    assert not (workshop / APP_LOCK).exists()


def test_validate_record_beside_anti_persona_apply_loses_nothing(tmp_path):
    """The race of the issue (20 lost of 20): two real processes on one workshop, side by side, a few times."""
    env = {**os.environ, "ICP_LOCK_WAIT": "120"}  # a loaded machine: never refused here, only serialised
    for round_ in range(2):
        ws = tmp_path / f"ws{round_}"
        shutil.copytree(ROOT / "sample_data", ws)
        procs = [subprocess.Popen([*ICP, "validate", "-w", str(ws), "--record"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True),
                 subprocess.Popen([*ICP, "segments", "-w", str(ws), "--anti-persona", "--apply"], env=env, cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)]
        errs = [p.communicate(timeout=300)[1] for p in procs]
        assert procs[1].returncode == 0, errs[1]
        assert procs[0].returncode in (0, 1), errs[0]  # 1: a checklist item failed, not an error
        text = (ws / "scorecard.toml").read_text(encoding="utf-8")
        assert 'name = "Like our Tier 3 customers"' in text
        assert "validated = " in text and "validated_with = " in text
        assert "add anti-persona Like our Tier 3 customers" in (ws / "log.toml").read_text(encoding="utf-8")
        assert not (ws / LOCK).exists()
