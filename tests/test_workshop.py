"""Workshop folders: the manifest, the one-line summary of each file, the last workshop opened, deals."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.workshop.create import data_dir
from icp_tui.engine.workshop.manifest import FileSummary, Workshop, last_or_sample, remember, state_dir, summarise

FUNCTIONS = ["Sales", "Marketing", "Customer Success", "Product", "Finance"]
LIST_FILES = ["sales.csv", "marketing.csv", "customer_success.csv", "product.csv", "finance.csv"]


def _csv_rows(path: Path) -> list[list[str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


# -- the manifest ----------------------------------------------------------------------------------


def test_load_sample(sample_dir):
    ws = Workshop.load(sample_dir)
    assert ws.root == sample_dir.resolve()
    assert ws.name == "Sample ICP workshop"
    assert ws.organisation == "Northwind Analytics"
    assert ws.manifest == sample_dir / "workshop.toml"
    assert ws.files == {
        "accounts": sample_dir / "accounts.csv",
        "deals": sample_dir / "deals.csv",
        "scorecard": sample_dir / "scorecard.toml",
        "assessments": sample_dir / "assessments",
        "decisions": sample_dir / "decisions.toml",
    }
    assert all(p.is_absolute() for p in ws.files.values())
    assert [fl.function for fl in ws.lists] == FUNCTIONS
    assert [fl.path for fl in ws.lists] == [sample_dir / "lists" / f for f in LIST_FILES]
    assert ws.file("deals") == sample_dir / "deals.csv"
    assert ws.file("nothing") is None


def test_load_by_relative_folder_or_manifest_path(sample_dir):
    # conftest chdirs to the repository root
    by_folder = Workshop.load("sample_data")
    by_manifest = Workshop.load("sample_data/workshop.toml")
    assert by_folder == by_manifest == Workshop.load(sample_dir)
    assert by_folder.root.is_absolute()
    assert by_folder.files["accounts"] == sample_dir / "accounts.csv"


def test_name_defaults_to_the_folder(tmp_path):
    (tmp_path / "q3").mkdir()
    (tmp_path / "q3" / "workshop.toml").write_text('[files]\naccounts = "data/a.csv"\n', encoding="utf-8")
    ws = Workshop.load(tmp_path / "q3")
    assert (ws.name, ws.organisation, ws.lists) == ("q3", "", [])
    assert ws.files == {"accounts": (tmp_path / "q3" / "data" / "a.csv").resolve()}


def test_folder_without_manifest(tmp_path):
    with pytest.raises(WorkshopError) as e:
        Workshop.load(tmp_path)
    assert str(e.value) == f"{tmp_path}: no workshop.toml here: a workshop is a folder with a workshop.toml manifest"
    assert e.value.file == str(tmp_path)


def test_broken_manifest_names_the_line(tmp_path):
    (tmp_path / "workshop.toml").write_text('[workshop]\nname = "x"\n[files\naccounts = "a.csv"\n', encoding="utf-8")
    with pytest.raises(WorkshopError) as e:
        Workshop.load(tmp_path)
    assert e.value.line == 3
    assert str(e.value).startswith(f"{tmp_path / 'workshop.toml'}:3: not valid TOML: ")


def test_unknown_file_kind(tmp_path):
    (tmp_path / "workshop.toml").write_text('[files]\naccounts = "a.csv"\nwidgets = "w.csv"\n', encoding="utf-8")
    with pytest.raises(WorkshopError) as e:
        Workshop.load(tmp_path)
    assert str(e.value) == (f"{tmp_path / 'workshop.toml'}:3: files.widgets: is not a key here "
                            "(known keys: accounts, deals, scorecard, assessments, decisions, roadmap, segments)")


@pytest.mark.parametrize("text,where,message", [
    ('[workshop]\nname = 3\n', "2: workshop.name", "must be text, not 3"),
    ('workshop = "Q1"\n', "1: workshop", "must be a table ([workshop])"),
    ('[files]\naccounts = 5\n', "2: files.accounts", "must be text, not 5"),
    ('[files]\ndeals = ""\n', "2: files.deals", "must name a file (a path relative to the workshop folder)"),
    ('lists = "sales.csv"\n', "1: lists", "must be [[lists]] tables, each with function and file"),
    ('[[lists]]\nfunction = "Sales"\nfile = "s.csv"\nowner = "Ann"\n', "4: lists[1].owner",
     "is not a key here (known keys: function, file)"),
    ('[[lists]]\nfunction = ["Sales"]\nfile = "s.csv"\n', "2: lists[1].function", "must be text, not ['Sales']"),
    ('[workshops]\nname = "x"\n', "1: workshops", "is not a key here (did you mean 'workshop'?)"),
])
def test_broken_manifest(tmp_path, text, where, message):
    (tmp_path / "workshop.toml").write_text(text, encoding="utf-8")
    with pytest.raises(WorkshopError) as e:
        Workshop.load(tmp_path)
    assert str(e.value) == f"{tmp_path / 'workshop.toml'}:{where}: {message}"


def test_list_without_file(tmp_path):
    (tmp_path / "workshop.toml").write_text(
        '[[lists]]\nfunction = "Sales"\nfile = "s.csv"\n\n[[lists]]\nfunction = "Marketing"\n', encoding="utf-8")
    with pytest.raises(WorkshopError) as e:
        Workshop.load(tmp_path)
    assert str(e.value) == f"{tmp_path / 'workshop.toml'}:5: lists[2]: each [[lists]] needs function and file"
    assert e.value.key == "lists[2]"


# -- summaries -----------------------------------------------------------------------------------


def test_summarise_sample(sample_dir):
    # counted here independently of the engine
    accounts = _csv_rows(sample_dir / "accounts.csv")
    assert (len(accounts) - 1, len(accounts[0])) == (2000, 17)
    deals = _csv_rows(sample_dir / "deals.csv")
    stages = Counter(r[deals[0].index("Stage")] for r in deals[1:])
    won = stages["Closed Won"] + stages["closedwon"] + stages["Won"]
    lost = stages["Closed Lost"] + stages["closedlost"] + stages["Lost"]
    open_ = stages["Negotiation"] + stages["Proposal"] + stages["Engaging"] + stages["Prospecting"]
    assert (len(deals) - 1, won, lost, open_) == (400, 107, 213, 80)
    assert won + lost + open_ == 400  # no other stage in the file
    list_rows = [len(_csv_rows(sample_dir / "lists" / f)) - 1 for f in LIST_FILES]
    assert list_rows == [62, 74, 50, 56, 48]
    n_assessments = len(list((sample_dir / "assessments").glob("*.toml")))  # written by the assessment work

    ws = Workshop.load(sample_dir)
    got = summarise(ws)
    expected = [
        FileSummary("accounts", "Accounts", sample_dir / "accounts.csv", "2,000 accounts, 17 columns"),
        FileSummary("deals", "Deal history", sample_dir / "deals.csv", "400 deals: 107 won, 213 lost, 80 open"),
        FileSummary("scorecard", "Scorecard", sample_dir / "scorecard.toml",
                    "Starter ICP scorecard v1.0: 10 criteria, 3 anti-personas"),
        *[FileSummary("list", f"{fn} list", sample_dir / "lists" / f, f"{n} accounts proposed")
          for fn, f, n in zip(FUNCTIONS, LIST_FILES, list_rows)],
        FileSummary("assessments", "Assessments", sample_dir / "assessments",
                    f"{n_assessments} self-assessment{'s' if n_assessments != 1 else ''}"),
    ]
    assert got == expected


def test_summarise_with_missing_and_broken_files(tmp_path, sample_dir):
    (tmp_path / "workshop.toml").write_text(
        "[files]\n"
        'accounts = "missing.csv"\n'
        f'deals = "{sample_dir / "deals.csv"}"\n'
        'scorecard = "broken.toml"\n'
        "\n[[lists]]\n"
        'function = "Sales"\n'
        f'file = "{sample_dir / "lists" / "sales.csv"}"\n'
        '\n[links]\nfiles = ["deals"]\nlists = ["sales"]\n',  # named where they are (icp workshop new --link)
        encoding="utf-8",
    )
    (tmp_path / "broken.toml").write_text('[scorecard]\nname = "x"\nversion = \n', encoding="utf-8")
    got = summarise(Workshop.load(tmp_path))
    assert [(s.kind, s.label) for s in got] == [
        ("accounts", "Accounts"), ("deals", "Deal history"), ("scorecard", "Scorecard"),
        ("list", "Sales list"), ("assessments", "Assessments"),
    ]
    acc, deals, sc, sales, assessments = got
    assert (acc.path, acc.detail, acc.problem) == (tmp_path / "missing.csv", "", "file not found")
    assert (deals.detail, deals.problem) == (f"400 deals: 107 won, 213 lost, 80 open · linked: {sample_dir / 'deals.csv'}", "")
    assert sc.detail == ""
    assert sc.problem.startswith("line 3: not valid TOML: ")
    assert (sales.detail, sales.problem) == (f"62 accounts proposed · linked: {sample_dir / 'lists' / 'sales.csv'}", "")
    assert (assessments.path, assessments.detail, assessments.problem) == (None, "not set", "")


# -- the last workshop opened --------------------------------------------------------------------


def test_state_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("ICP_TUI_STATE_DIR", str(tmp_path / "s"))
    assert state_dir() == tmp_path / "s"
    monkeypatch.delenv("ICP_TUI_STATE_DIR")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg"))
    assert state_dir() == tmp_path / "xdg" / "icp-tui"


def test_no_state_gives_a_copy_of_the_sample(sample_dir):
    assert not (state_dir() / "state.toml").exists()
    copy = last_or_sample()
    assert copy == data_dir() / "sample-workshop" and copy != sample_dir
    assert (copy / "workshop.toml").read_bytes() == (sample_dir / "workshop.toml").read_bytes()
    assert (copy / "lists" / "sales.csv").read_bytes() == (sample_dir / "lists" / "sales.csv").read_bytes()
    assert not (copy / "generate.py").exists()
    (copy / "decisions.toml").write_text("# mine\n", encoding="utf-8")
    assert last_or_sample() == copy and (copy / "decisions.toml").read_text() == "# mine\n"  # made once, then kept


def test_remember_then_last(tmp_path, sample_dir):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "workshop.toml").write_text('[workshop]\nname = "Mine"\n', encoding="utf-8")
    ws = Workshop.load(tmp_path / "ws")
    remember(ws)
    assert last_or_sample() == (tmp_path / "ws").resolve()
    assert [p.name for p in state_dir().iterdir()] == ["state.toml"]  # no temp file left behind
    assert Workshop.load(last_or_sample()).name == "Mine"


def test_stale_or_broken_state_gives_the_sample(tmp_path, sample_dir):
    (tmp_path / "ws").mkdir()
    (tmp_path / "ws" / "workshop.toml").write_text("", encoding="utf-8")
    remember(Workshop.load(tmp_path / "ws"))
    (tmp_path / "ws" / "workshop.toml").unlink()  # the folder is still there, the manifest is not
    sample = data_dir() / "sample-workshop"
    assert last_or_sample() == sample
    (tmp_path / "ws").rmdir()  # gone altogether
    assert last_or_sample() == sample
    (state_dir() / "state.toml").write_text("last_workshop = [unterminated\n", encoding="utf-8")
    assert last_or_sample() == sample


# -- deals ----------------------------------------------------------------------------------------------


def test_read_sample_deals(sample_dir):
    d = read_deals(sample_dir / "deals.csv")
    assert len(d) == 400
    assert d.outcome_counts() == {"won": 107, "lost": 213, "open": 80}
    assert d.unmapped_stages == {}
    assert d.mapping["stage"] == "Stage"


STAGES = ["Closed Won", "closedwon", "Won", "Closed Lost", "Lost", "Prospecting", "Weird stage"]


@pytest.fixture
def stage_csv(tmp_path):
    p = tmp_path / "deals.csv"
    p.write_text("Opportunity ID,Stage,Amount\n" + "".join(f"O{i},{s},{i}k\n" for i, s in enumerate(STAGES, 1)),
                 encoding="utf-8")
    return p


def test_stage_spellings(stage_csv):
    d = read_deals(stage_csv)
    assert d.outcome_counts() == {"won": 3, "lost": 2, "open": 1}
    assert d.unmapped_stages == {"weird stage": 1}
    assert [None if o != o else o for o in d.frame["outcome"].tolist()] == [
        "won", "won", "won", "lost", "lost", "open", None]
    assert d.frame["amount"].tolist() == [1000.0 * i for i in range(1, 8)]


def test_stage_map(stage_csv):
    d = read_deals(stage_csv, stage_map={"Weird stage": "lost"})
    assert d.outcome_counts() == {"won": 3, "lost": 3, "open": 1}
    assert d.unmapped_stages == {}
    # keys are matched like the stages: trimmed and case-insensitive
    d = read_deals(stage_csv, stage_map={"  WEIRD stage ": "won"})
    assert d.outcome_counts() == {"won": 4, "lost": 2, "open": 1}


@pytest.mark.filterwarnings("ignore:Constructing a Categorical")  # the pandas warning this bug triggers
def test_stage_map_value_is_case_insensitive(stage_csv):
    d = read_deals(stage_csv, stage_map={"Weird stage": "LOST"})
    assert d.outcome_counts() == {"won": 3, "lost": 3, "open": 1}
