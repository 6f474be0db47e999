"""``-w DIR`` on ``icp score``, ``icp align`` and ``icp lint``: the workshop's files are the defaults and its
[import] tables say how to read them (headers the importer does not know: 'Branche', 'Pick')."""

from __future__ import annotations

import pytest

from icp_tui.cli.main import main

CARD = """\
[[criteria]]
id = "industry"
category = "firmographic"
field = "industry"
buckets = [{ in = ["Software"], points = 10 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "size"
category = "firmographic"
field = "employees"
buckets = [{ gte = 100, lte = 1000, points = 10 }, { otherwise = true, points = 0 }]
"""

MANIFEST = """\
[workshop]
name = "Flags"

[files]
accounts = "accounts.csv"
scorecard = "card.toml"

[[lists]]
function = "Sales"
file = "lists/sales.csv"

[[lists]]
function = "Marketing"
file = "lists/marketing.csv"

[import.accounts.columns]
Branche = "industry"

[import.lists.columns]
Pick = "company"
"""


@pytest.fixture
def ws(tmp_path):
    (tmp_path / "lists").mkdir()
    (tmp_path / "accounts.csv").write_text("Acct,Branche,Employees\nAcme,Software,250\nBirch,Retail,40\nCobalt,Softwre,900\n")
    (tmp_path / "card.toml").write_text(CARD)
    (tmp_path / "lists" / "sales.csv").write_text("Pick,Why\nAcme,big\nCobalt,fast\n")
    (tmp_path / "lists" / "marketing.csv").write_text("Pick,Why\nCobalt,x\nBirch,y\n")
    (tmp_path / "workshop.toml").write_text(MANIFEST)
    return tmp_path


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def fit_column(csv_text: str) -> list[str]:
    lines = csv_text.splitlines()
    k = lines[0].split(",").index('"fit_score"')
    return [line.split(",")[k] for line in lines[1:]]


def test_score_with_a_workshop_reads_its_columns(ws, capsys):
    code, out, err = run(capsys, "score", "-w", str(ws))
    # Acme: Software 10 + 250 employees 10 = 100; Birch: Retail 0 + 40 employees 0 = 0; Cobalt: 'Softwre' 0 + 10 = 50
    assert (code, fit_column(out)) == (0, ['"100.0"', '"0.0"', '"50.0"'])
    assert err.splitlines()[-1].startswith("icp: scored 3 accounts with card v1 -> standard output")
    # the same as naming the files and the mapping on the command line
    assert run(capsys, "score", str(ws / "accounts.csv"), "-s", str(ws / "card.toml"), "--map", "Branche=industry")[1] == out
    # without the mapping the industry is unknown: Acme 10 of 20 points
    assert fit_column(run(capsys, "score", str(ws / "accounts.csv"), "-s", str(ws / "card.toml"))[1])[0] == '"50.0"'


def test_score_command_line_wins_over_the_workshop(ws, capsys, tmp_path):
    other = tmp_path / "other.toml"
    other.write_text(CARD.replace("points = 10 }, { otherwise = true, points = 0 }]\n\n[[criteria]]", "points = 30 }, "
                                  "{ otherwise = true, points = 0 }]\n\n[[criteria]]", 1))
    _, out, _ = run(capsys, "score", "-w", str(ws), "-s", str(other))
    assert fit_column(out) == ['"100.0"', '"0.0"', '"25.0"']  # Cobalt: size 10 of 40 points


def test_score_without_accounts_or_workshop_is_a_usage_error(capsys):
    code, out, err = run(capsys, "score", "-s", "card.toml")
    assert (code, out) == (2, "")
    assert err.splitlines()[-1] == "icp: error: an accounts file is needed: icp score ACCOUNTS.csv -s SCORECARD (or -w DIR, a workshop)"


def test_align_with_a_workshop_reads_its_lists_and_columns(ws, capsys):
    code, out, err = run(capsys, "align", "-w", str(ws))
    assert code == 0
    lines = out.splitlines()
    assert lines[lines.index("Each function's list, scored with the shared scorecard") + 2:][:2] == [
        "Sales                     2     75.0         50%            0             –         –",  # Acme 100, Cobalt 50
        "Marketing                 2     25.0          0%            0             –         –",  # Cobalt 50, Birch 0
    ]
    assert "  Cobalt (2: Sales, Marketing; fit 50.0)" in lines
    named = [f"Sales={ws / 'lists' / 'sales.csv'}", f"Marketing={ws / 'lists' / 'marketing.csv'}"]
    # the same as naming every file; the list headers need no mapping here ('Pick' is taken as the company column)
    assert run(capsys, "align", *named, "-a", str(ws / "accounts.csv"), "-s", str(ws / "card.toml"))[1] != out  # Branche unread
    assert run(capsys, "align", "-w", str(ws), *named)[1] == out


def test_align_output_may_not_overwrite_a_workshop_list(ws, capsys):
    code, _, err = run(capsys, "align", "-w", str(ws), "-o", str(ws / "lists" / "sales.csv"))
    assert code == 2
    assert err.splitlines()[-1] == f"icp: error: -o {ws / 'lists' / 'sales.csv'} is one of the input files: write the result to another file"
    assert (ws / "lists" / "sales.csv").read_text() == "Pick,Why\nAcme,big\nCobalt,fast\n"


def test_align_without_lists_or_workshop_is_a_usage_error(capsys):
    code, _, err = run(capsys, "align")
    assert code == 2
    assert err.splitlines()[-1] == ("icp: error: no lists to compare: name them (icp align Sales=sales.csv Marketing=mkt.csv ...) "
                                    "or give -w DIR, a workshop with [[lists]]")


def test_lint_with_a_workshop_checks_its_accounts(ws, capsys):
    code, out, err = run(capsys, "lint", "-w", str(ws))
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == (f"{ws / 'card.toml'}:5: warning: criteria[1].buckets: column 'Branche' of {ws / 'accounts.csv'}: "
                        "1 account has 'Softwre' (did you mean 'Software'?); they score as any other value (0 points)")
    # then seed 003's rules on this two-criterion card: 2 dimensions, no anti-persona, never validated
    assert [line.split(": ")[1:3] for line in lines[1:]] == [["warning", "criteria"], ["warning", "anti_personas"],
                                                             ["info", "scorecard"]]
    assert err == f"{ws / 'card.toml'}: 2 criteria, 3 warnings, 1 note\n"
