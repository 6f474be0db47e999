"""A workshop stays in its folder: every path workshop.toml names is refused, with its line and key, when it
leaves the folder (``..``, absolute, a symbolic link to a file or a folder outside), unless ``icp workshop new
--link`` recorded it under [links]; a linked file is only read. Also: [[lists]] twins and control characters."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icp_tui.cli.main import main
from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.workshop.alignment_session import AlignmentSession
from icp_tui.engine.workshop.manifest import Workshop, summarise
from icp_tui.engine.workshop.scorecard_session import ScorecardSession

HINT = "a workshop only reads and writes its own files (copy the file in, or link it with icp workshop new --link)"
HEAD = '[workshop]\nname = "Paths"\n\n[files]\naccounts = "accounts.csv"\n'  # [files] is line 4, accounts line 5


def manifest(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "workshop.toml").write_text(text, encoding="utf-8")
    return folder


def refused(folder: Path) -> WorkshopError:
    with pytest.raises(WorkshopError) as e:
        Workshop.load(folder)
    return e.value


@pytest.fixture
def secret(tmp_path) -> Path:
    p = tmp_path / "secret.txt"
    p.write_text("aws_access_key_id=AKIAEXAMPLEEXAMPLE\naws_secret_access_key=abc\n", encoding="utf-8")
    return p.resolve()


@pytest.fixture
def exports(tmp_path, sample_dir) -> Path:
    """The sample's files outside any workshop, as a customer's exports on a shared drive."""
    d = tmp_path / "exports"
    d.mkdir()
    for name in ("accounts.csv", "deals.csv", "scorecard.toml"):
        shutil.copy(sample_dir / name, d / name)
    shutil.copy(sample_dir / "lists" / "sales.csv", d / "sales.csv")
    return d


# -- paths that leave the folder ----------------------------------------------------------------------


def test_a_path_that_climbs_out_is_refused(tmp_path):
    ws = manifest(tmp_path / "ws", HEAD + 'decisions = "../secrets.txt"\n')
    e = refused(ws)
    assert (e.file, e.line, e.key) == (str(ws / "workshop.toml"), 6, "files.decisions")
    assert e.message == ("../secrets.txt is outside the workshop folder: a workshop only reads and writes its own files "
                         "(this one the app writes: keep it in the folder)")  # decisions cannot be linked: no --link hint


def test_an_absolute_path_is_refused(tmp_path, secret):
    ws = manifest(tmp_path / "ws", f'[workshop]\nname = "Paths"\n\n[files]\naccounts = "{secret}"\n')
    e = refused(ws)
    assert (e.file, e.line, e.key) == (str(ws / "workshop.toml"), 5, "files.accounts")
    assert str(e) == f"{ws / 'workshop.toml'}:5: files.accounts: {secret} is outside the workshop folder: {HINT}"


def test_a_link_to_a_file_outside_is_refused(tmp_path, secret):
    ws = manifest(tmp_path / "ws", HEAD + 'deals = "data/deals.csv"\n')
    (ws / "data").mkdir()
    (ws / "data" / "deals.csv").symlink_to(secret)
    e = refused(ws)
    assert (e.line, e.key) == (6, "files.deals")
    assert e.message == f"data/deals.csv is a link to {secret}, outside the workshop folder: {HINT}"


def test_a_link_to_a_folder_outside_is_refused(tmp_path):
    outside = tmp_path / "shared"
    outside.mkdir()
    (outside / "sales.csv").write_text("Company\nAcme\n", encoding="utf-8")
    ws = manifest(tmp_path / "ws", HEAD + '\n[[lists]]\nfunction = "Sales"\nfile = "lists/sales.csv"\n')
    (ws / "lists").symlink_to(outside, target_is_directory=True)
    e = refused(ws)
    assert (e.line, e.key) == (9, "lists[1].file")
    assert e.message == f"lists/sales.csv is a link to {(outside / 'sales.csv').resolve()}, outside the workshop folder: {HINT}"


def test_a_link_that_stays_inside_is_fine(tmp_path):
    ws = manifest(tmp_path / "ws", HEAD.replace("accounts.csv", "current.csv"))
    (ws / "data").mkdir()
    (ws / "data" / "accounts-2026.csv").write_text("Company\nAcme\n", encoding="utf-8")
    (ws / "current.csv").symlink_to(ws / "data" / "accounts-2026.csv")
    (ws / "log.toml").symlink_to("data/log-2026.toml")  # a link to a log not written yet, inside: fine too
    loaded = Workshop.load(ws)
    assert loaded.file("accounts") == (ws / "data" / "accounts-2026.csv").resolve()
    assert loaded.links == {}
    loaded.check_own_file(ws / "current.csv")  # its own file: no error


def test_a_link_outside_under_a_name_the_app_writes_is_refused(tmp_path, secret):
    ws = manifest(tmp_path / "ws", HEAD)
    (ws / "decisions.toml").symlink_to(secret)
    e = refused(ws)
    assert (e.file, e.line, e.key) == (str(ws / "decisions.toml"), None, None)
    assert e.message == (f"is a link to {secret}, outside the workshop folder: a workshop only reads and writes its "
                         "own files (remove the link, or put the file itself here)")


@pytest.mark.parametrize("escaped, code, at", [("\\u0000", "U+0000", 6), ("\\n", "U+000A", 6), ("\\u001b", "U+001B", 6)])
def test_a_control_character_in_a_path_is_an_error_not_a_crash(tmp_path, escaped, code, at):
    ws = manifest(tmp_path / "ws", HEAD + f'deals = "data/{escaped}x.csv"\n')
    e = refused(ws)
    assert (e.line, e.key) == (6, "files.deals")
    assert e.message == f"has a control character ({code}, character {at}) in it: a file name is plain text"


def test_a_nul_in_a_list_file_names_the_list(tmp_path):
    ws = manifest(tmp_path / "ws", HEAD + '\n[[lists]]\nfunction = "Sales"\nfile = "sales\\u0000.csv"\n')
    e = refused(ws)
    assert (e.line, e.key, e.message) == (9, "lists[1].file", "has a control character (U+0000, character 6) in it: "
                                                                "a file name is plain text")


def test_the_report_never_reads_a_file_outside(tmp_path, capsys):
    creds = tmp_path / "root" / ".aws" / "credentials"
    creds.parent.mkdir(parents=True)
    creds.write_text("aws_access_key_id=AKIAEXAMPLEEXAMPLE\naws_secret_access_key=abc\n", encoding="utf-8")
    ws = manifest(tmp_path / "ws", f'[workshop]\nname = "Received"\n\n[files]\naccounts = "{creds}"\n')
    code = main(["report", str(ws)])
    out, err = capsys.readouterr()
    assert code == 1
    assert out == ""
    assert err == (f"icp: error: {ws / 'workshop.toml'}:5: files.accounts: {creds.resolve()} is outside the workshop "
                   f"folder: {HINT}\n")
    assert "aws_access_key_id" not in out + err


# -- [[lists]] twins ----------------------------------------------------------------------------------


def test_two_lists_for_one_function_are_refused(tmp_path):
    ws = manifest(tmp_path / "ws", HEAD + '\n[[lists]]\nfunction = "Customer Success"\nfile = "lists/cs.csv"\n'
                                          '\n[[lists]]\nfunction = " customer  success"\nfile = "lists/cs2.csv"\n')
    e = refused(ws)
    assert (e.line, e.key) == (12, "lists[2].function")
    assert e.message == "'customer  success' has a list already ('Customer Success', [[lists]] 1): one list per function"


def test_two_lists_naming_one_file_are_refused(tmp_path):
    ws = manifest(tmp_path / "ws", HEAD + '\n[[lists]]\nfunction = "Sales"\nfile = "lists/a.csv"\n'
                                          '\n[[lists]]\nfunction = "Marketing"\nfile = "./lists/../lists/a.csv"\n')
    e = refused(ws)
    assert (e.line, e.key) == (13, "lists[2].file")
    assert e.message == "./lists/../lists/a.csv is the Sales list's file already: one file per list"


# -- [links] and icp workshop new --link --------------------------------------------------------------


def test_links_name_only_readable_files_that_are_there(tmp_path, secret):
    ws = manifest(tmp_path / "ws", HEAD + f'decisions = "{secret}"\n\n[links]\nfiles = ["decisions"]\n')
    e = refused(ws)
    assert (e.line, e.key) == (9, "links.files")
    assert e.message == ("'decisions' cannot be linked: only accounts, deals, scorecard can (the app writes the "
                         "others, so they stay in the workshop folder)")
    manifest(ws, HEAD + '\n[links]\nlists = ["Sales"]\n')
    e = refused(ws)
    assert (e.line, e.key, e.message) == (8, "links.lists", "'Sales' is not the function of a [[lists]] table")
    manifest(ws, HEAD + '\n[links]\nfiles = "accounts"\n')
    assert refused(ws).message == 'must be a list of names, e.g. files = ["accounts"]'


def test_workshop_new_link_records_the_links_and_only_reads_them(tmp_path, exports, capsys):
    folder = tmp_path / "acme"
    code = main(["workshop", "new", str(folder), "-a", str(exports / "accounts.csv"), "-d", str(exports / "deals.csv"),
                 "-s", str(exports / "scorecard.toml"), "--lists", f"Sales={exports / 'sales.csv'}", "--link"])
    capsys.readouterr()
    assert code == 0
    text = (folder / "workshop.toml").read_text(encoding="utf-8")
    assert ('[files]\naccounts = "../exports/accounts.csv"\ndeals = "../exports/deals.csv"\n'
            'scorecard = "../exports/scorecard.toml"\n') in text
    assert ('[links] # named where they are, outside this folder (--link): only read, never written here\n'
            'files = ["accounts", "deals", "scorecard"]\nlists = ["Sales"]\n') in text
    ws = Workshop.load(folder)
    card = (exports / "scorecard.toml").resolve()
    assert ws.links == {"files.accounts": (exports / "accounts.csv").resolve(), "files.deals": (exports / "deals.csv").resolve(),
                        "files.scorecard": card, "lists.Sales": (exports / "sales.csv").resolve()}
    # the app's home screen says where each linked file is
    details = {s.label: s.detail for s in summarise(ws)}
    assert details["Scorecard"] == f"Starter ICP scorecard v1.0: 10 criteria, 3 anti-personas · linked: {card}"
    assert details["Sales list"] == f"62 accounts proposed · linked: {(exports / 'sales.csv').resolve()}"
    assert details["Assessments"] == "0 self-assessments"

    before = card.read_bytes()
    session = ScorecardSession(ws)
    session.editor.set_weight(session.editor.scorecard.criteria[0].id, 3)
    for new_version in (False, True):
        with pytest.raises(WorkshopError) as e:
            session.save(new_version=new_version)
        assert str(e.value) == (f"{card}: is linked (files.scorecard in [links] of workshop.toml): a linked file is only "
                                "read through the workshop, never written; copy it into the workshop folder to change it")
    assert card.read_bytes() == before
    assert sorted(p.name for p in exports.iterdir()) == ["accounts.csv", "deals.csv", "sales.csv", "scorecard.toml"]

    list_before = (exports / "sales.csv").read_bytes()
    alignment = AlignmentSession(ws)
    with pytest.raises(WorkshopError) as e:
        alignment.add(0, ["Brand New Co"])
    assert e.value.message.startswith("is linked (lists.Sales in [links] of workshop.toml)")
    assert (exports / "sales.csv").read_bytes() == list_before

    code = main(["validate", "-w", str(folder), "--record"])
    out, err = capsys.readouterr()
    assert (code, out) == (1, "")
    assert err == (f"icp: error: {card}: is linked (files.scorecard in [links] of workshop.toml): a linked file is only "
                   "read through the workshop, never written; copy it into the workshop folder to change it\n")
    assert card.read_bytes() == before


def test_segments_save_with_a_workshop_writes_only_inside_it(tmp_path, sample_dir, capsys):
    ws = tmp_path / "ws"
    shutil.copytree(sample_dir, ws, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    target = tmp_path / "elsewhere.toml"
    code = main(["segments", "-w", str(ws), "--save", "Best", "--segments", str(target)])
    out, err = capsys.readouterr()
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == (f"icp: error: --segments {target}: {target.resolve()} is outside the workshop folder "
                                    f"{ws.resolve()}: with -w, --save writes only into the workshop (leave out -w to save "
                                    "the profiles elsewhere)")
    assert not target.exists()
    (ws / "out").symlink_to(tmp_path, target_is_directory=True)  # through a link inside that leads out: the same
    code = main(["segments", "-w", str(ws), "--save", "Best", "--segments", str(ws / "out" / "x.toml")])
    assert code == 2 and not (tmp_path / "x.toml").exists()
    capsys.readouterr()
