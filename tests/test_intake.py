"""Self-assessment files taken into a workshop: by the app (Maturity, i), by `icp assess -w`, and the checks."""

from __future__ import annotations

import shutil

import pytest
from pilot import workers_done

from icp_tui.engine.maturity.assessment import Response, load_response, save_response
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.workshop.intake import import_assessments
from icp_tui.engine.workshop.manifest import Workshop


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    return folder


def answered(path, name: str, function: str, org: str = "Northwind Analytics") -> None:
    q = default_questionnaire()
    r = Response.new(q, name, function, org)
    r.answers.update({x.id: 3 for x in q.questions})
    save_response(r, path)


def test_files_and_folders_are_copied_in_and_the_doubtful_ones_said(ws, tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    answered(inbox / "dana.toml", "Dana Reyes", "Sales")
    answered(inbox / "marcus.toml", "Marcus Lee", "Sales")  # the sample's Sales leader answered already
    (inbox / "broken.toml").write_text("[assessment\n")
    answered(tmp_path / "single.toml", "Ola Nordmann", "Finance")
    got = import_assessments(Workshop.load(ws), [inbox, tmp_path / "single.toml", tmp_path / "missing.toml"])
    assert got.added == [ws / "assessments" / "dana.toml", ws / "assessments" / "single.toml"]
    assert got.skipped[0] == f"{tmp_path / 'missing.toml'}: not found"
    assert got.skipped[1].startswith(f"{inbox / 'broken.toml'}:1: ")
    assert got.skipped[2] == f"{inbox / 'marcus.toml'}: Marcus Lee (Sales) already answered in sales.toml"
    assert len(got.skipped) == 3
    assert got.summary() == "2 self-assessments added, 3 skipped"
    assert (ws / "assessments" / "dana.toml").read_bytes() == (inbox / "dana.toml").read_bytes()
    # again: every one of them is there already
    again = import_assessments(Workshop.load(ws), [inbox / "dana.toml"])
    assert (again.added, again.skipped) == ([], [f"{inbox / 'dana.toml'}: Dana Reyes (Sales) already answered in dana.toml"])


def test_a_taken_name_gets_a_number(ws, tmp_path):
    answered(tmp_path / "sales.toml", "Dana Reyes", "Sales")
    got = import_assessments(Workshop.load(ws), [tmp_path / "sales.toml"])
    assert got.added == [ws / "assessments" / "sales-2.toml"]
    assert load_response(ws / "assessments" / "sales.toml").respondent == "Marcus Lee"  # not overwritten


def test_icp_assess_into_a_workshop(ws, monkeypatch, capsys):
    import icp_tui.tui.assess_app as assess_app
    from icp_tui.cli.main import main

    ran = []

    class Fake:
        def __init__(self, q, response):
            ran.append(response)

        def run(self):
            pass

    monkeypatch.setattr(assess_app, "create_assess_app", Fake)
    assert main(["assess", "-w", str(ws), "--function", "Product"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == ("icp: error: --respondent NAME is needed with --workshop: "
                                                        "the answers file is named after you")
    assert main(["assess", "-w", str(ws), "--respondent", "Ola Nordmann", "--function", "Product"]) == 0
    target = ws / "assessments" / "icp-self-assessment-ola-nordmann.toml"
    assert capsys.readouterr().err == f"icp: your answers are in {target}, in the workshop\n"
    r = load_response(target)
    assert (r.respondent, r.function, r.organisation) == ("Ola Nordmann", "Product", "Northwind Analytics")
    assert ran[0].path == target


async def test_import_from_the_maturity_screen_then_home_counts_them(ws, tmp_path):
    from icp_tui.tui.app import create_app
    from icp_tui.tui.screens.dialogs.file_picker import FilePicker

    answered(tmp_path / "ola.toml", "Ola Nordmann", "Product")
    app = create_app(ws, remember_workshop=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await workers_done(app)
        await pilot.pause()
        home = app.screen
        assert [f.detail for f in home.files if f.label == "Assessments"] == ["5 self-assessments"]
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, FilePicker)
        app.screen.dismiss(tmp_path / "ola.toml")
        await pilot.pause()
        await pilot.pause()
        assert type(app.screen).__name__ == "CompareScreen"
        assert len(app.screen.responses) == 6
        await pilot.press("escape")
        await workers_done(app)
        await pilot.pause()
        assert app.screen is home
        assert [f.detail for f in home.files if f.label == "Assessments"] == ["6 self-assessments"]


async def test_the_file_picker_shows_folders_and_toml_files_and_takes_a_folder(tmp_path):
    from textual.app import App

    from icp_tui.tui.screens.dialogs.file_picker import FilePicker

    (tmp_path / "inbox").mkdir()
    (tmp_path / "inbox" / "dana.toml").write_text("")
    (tmp_path / "notes.txt").write_text("")
    (tmp_path / "a.toml").write_text("")
    (tmp_path / ".hidden").mkdir()
    got = []

    class Host(App):
        def on_mount(self) -> None:
            self.push_screen(FilePicker("Pick", tmp_path), got.append)

    app = Host()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause(0.3)
        tree = app.screen.query_one("#fp-tree")
        assert [str(n.label) for n in tree.root.children] == ["inbox", "a.toml"]  # no .txt, nothing hidden
        await pilot.press("down", "f")  # the highlighted folder: inbox
        await pilot.pause()
    assert got == [tmp_path / "inbox"]
