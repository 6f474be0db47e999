"""Broken files, one row each: the command exits 1 with ONE line on stderr that names the file and the
line (and the key where there is one), never a traceback or "internal error", and writes nothing."""

from __future__ import annotations

import re
import textwrap
from pathlib import Path

import pytest

from icp_tui.cli.main import main

ROOT = Path(__file__).resolve().parents[1]
QUESTIONNAIRE = (ROOT / "assessments" / "icp-maturity.toml").read_text(encoding="utf-8")
SAMPLE_ANSWERS = ROOT / "sample_data" / "assessments" / "sales.toml"

SCORECARD = textwrap.dedent("""\
    [scorecard]
    name = "Bad"

    [[criteria]]
    id = "size"
    category = "firmographic"
    field = "employees"
    weight = 1
    buckets = [
      { gte = 200, points = 20 },
      { otherwise = true, points = 0 },
    ]
    """)  # line 4 is [[criteria]], 8 the weight, 10 the first bucket

ANSWERS = textwrap.dedent("""\
    [assessment]
    respondent = "Ann Lee"
    function = "Sales"
    questionnaire = "icp-maturity"
    questionnaire_version = 2

    [answers]
    "selection.basis" = 2

    [notes]
    selection = "We pick by gut"
    """)  # line 2 respondent, 8 the answer, 11 the note


def _without_gates(text: str) -> str:
    return re.sub(r"\[\[gates\]\]\n(?:[^\[\n].*\n|\n)*", "", text)


def _q_lines(needle: str) -> int:
    return QUESTIONNAIRE[:QUESTIONNAIRE.index(needle)].count("\n") + 1


FIRST_Q = QUESTIONNAIRE.index("[[dimensions.questions]]")
FIRST_ANSWERS = QUESTIONNAIRE.index("answers = [", FIRST_Q)
FOURTH_ANSWER = QUESTIONNAIRE.index("  { level = 4", FIRST_ANSWERS)

# (id, kind, text, expected line, expected text after "file:line: ")
QUESTIONNAIRES = [
    ("gates-as-table", QUESTIONNAIRE.replace("[[gates]]", "[gates]"), _q_lines("[[gates]]"), "gates: needs [[gates]] tables"),
    ("gates-as-number", "gates = 3\n" + _without_gates(QUESTIONNAIRE), 1, "gates: needs [[gates]] tables"),
    ("questions-twice", QUESTIONNAIRE[:FIRST_Q] + "questions = []\n" + QUESTIONNAIRE[FIRST_Q:], _q_lines("[[dimensions.questions]]") + 1,
     "not valid TOML: Cannot mutate immutable namespace ('dimensions', 'questions') (column 23)"),
    ("three-answers", QUESTIONNAIRE[:FOURTH_ANSWER] + re.sub(r"^  \{ level = 4.*\n", "", QUESTIONNAIRE[FOURTH_ANSWER:], count=1),
     QUESTIONNAIRE[:FIRST_ANSWERS].count("\n") + 1, "dimensions[1].questions[1].answers: needs exactly four answers, levels 1 to 4 (has 3)"),
    ("unknown-key", QUESTIONNAIRE.replace("[questionnaire]\n", "[questionnaire]\ncolour = \"red\"\n", 1), _q_lines("[questionnaire]") + 1,
     "questionnaire.colour: is not a key here (known keys: id, version, title, description, minutes)"),
]

SCORECARDS = [
    ("duplicate-key", SCORECARD.replace("weight = 1\n", "weight = 1\nweight = 2\n"), 9, "not valid TOML: Cannot overwrite a value (column 11)"),
    ("import-number", "import = 3\n" + SCORECARD, 1, "import: must be a table ([import]), not 3"),
    ("import-columns-text", '[import]\ncolumns = "Employees"\n\n' + SCORECARD, 2,
     "import.columns: must be a table ([import.columns]), not the text 'Employees'"),
    ("import-units-list", '[import]\nunits = ["millions"]\n\n' + SCORECARD, 2, "import.units: must be a table ([import.units]), not a list"),
    ("import-unit-number", "[import.units]\nannual_revenue = 1000\n\n" + SCORECARD, 2,
     "import.units.annual_revenue: must be a unit such as \"millions\", not 1000"),
    ("100k-buckets", SCORECARD.replace("  { gte = 200, points = 20 },\n",
                                       "".join(f"  {{ gte = {i}, lt = {i + 1}, points = 1 }},\n" for i in range(100_000))), 9,
     "criteria[1].buckets: has 100,001 buckets; a criterion can have at most 100"),
    ("unknown-key", SCORECARD.replace("weight = 1\n", "wieght = 1\n"), 8, "criteria[1].wieght: is not a key here (did you mean 'weight'?)"),
    ("nan-weight", SCORECARD.replace("weight = 1\n", "weight = nan\n"), 8, "criteria[1].weight: must be a finite number, not nan"),
    ("inf-weight", SCORECARD.replace("weight = 1\n", "weight = inf\n"), 8, "criteria[1].weight: must be a finite number, not inf"),
    ("inf-points", SCORECARD.replace("points = 20", "points = inf"), 10, "criteria[1].buckets[1].points: must be a finite number, not inf"),
    ("nan-bound", SCORECARD.replace("gte = 200", "gte = nan"), 10, "criteria[1].buckets[1]: gte = nan is not a number"),
    ("-inf-bound", SCORECARD.replace("gte = 200", "gte = -inf"), 10, "criteria[1].buckets[1]: gte = -inf is not a number"),
    ("nan-band", SCORECARD + "\n[[bands]]\nmin = nan\nlabel = \"Strong\"\n", 15, "bands[1].min: must be a finite number, not nan"),
    ("weight-negative", SCORECARD.replace("weight = 1\n", "weight = -1\n"), 8, "criteria[1].weight: must be zero or more"),
]

ANSWER_FILES = [
    ("answers-text", ANSWERS.replace('"selection.basis" = 2', '"selection.basis" = "2"'), 8,
     "answers.selection.basis: must be a level 1-4 or 0 for don't know, not '2'"),
    ("answers-not-a-table", ANSWERS.replace('[answers]\n"selection.basis" = 2\n', "").replace("[assessment]\n", "answers = 3\n[assessment]\n"),
     1, "answers: must be a table ([answers])"),
    ("notes-number", ANSWERS.replace('selection = "We pick by gut"', "selection = 4"), 11, "notes.selection: must be text, not 4"),
    ("respondent-number", ANSWERS.replace('respondent = "Ann Lee"', "respondent = 7"), 2, "assessment.respondent: must be text, not 7"),
    ("unknown-question", ANSWERS.replace('"selection.basis" = 2', '"selection.bassis" = 2'), 8,
     "answers.selection.bassis: 'selection.bassis' is not a question of icp-maturity version 2"),
    ("unknown-dimension-note", ANSWERS.replace("selection = ", "selektion = "), 11, "notes.selektion: 'selektion' is not a dimension of icp-maturity"),
    ("unknown-key", ANSWERS.replace('function = "Sales"', 'funktion = "Sales"'), 3, "assessment.funktion: is not a key here (did you mean 'function'?)"),
]


def _run(argv: list[str], capsys) -> tuple[int, list[str], str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, err.splitlines(), out


def _check(code: int, lines: list[str], path: Path, line: int | None, message: str) -> None:
    assert code == 1, lines
    assert len(lines) == 1, lines
    assert "Traceback" not in lines[0] and "internal error" not in lines[0]
    where = f"{path}:{line}: " if line is not None else f"{path}:"
    assert lines[0].startswith(f"icp: error: {where}"), lines[0]
    assert lines[0].endswith(message), lines[0]


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in QUESTIONNAIRES], ids=[c[0] for c in QUESTIONNAIRES])
def test_bad_questionnaire(tmp_path, capsys, text, line, message):
    path = tmp_path / "quiz.toml"
    path.write_text(text, encoding="utf-8")
    _check(*_run(["assess", "report", str(SAMPLE_ANSWERS), "--questionnaire", str(path)], capsys)[:2], path, line, message)


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in SCORECARDS], ids=[c[0] for c in SCORECARDS])
def test_bad_scorecard(tmp_path, capsys, text, line, message):
    path = tmp_path / "card.toml"
    path.write_text(text, encoding="utf-8")
    _check(*_run(["lint", str(path)], capsys)[:2], path, line, message)
    out = tmp_path / "scored.csv"
    _check(*_run(["score", str(ROOT / "sample_data" / "accounts.csv"), "-s", str(path), "-o", str(out)], capsys)[:2], path, line, message)
    assert not out.exists()


@pytest.mark.parametrize(("text", "line", "message"), [c[1:] for c in ANSWER_FILES], ids=[c[0] for c in ANSWER_FILES])
def test_bad_self_assessment(tmp_path, capsys, text, line, message):
    path = tmp_path / "ann.toml"
    path.write_text(text, encoding="utf-8")
    _check(*_run(["assess", "report", str(path)], capsys)[:2], path, line, message)


def test_the_same_respondent_twice_in_a_comparison(tmp_path, capsys):
    first, again = tmp_path / "ann.toml", tmp_path / "ann-again.toml"
    first.write_text(ANSWERS, encoding="utf-8")
    again.write_text(ANSWERS.replace('"selection.basis" = 2', '"selection.basis" = 4'), encoding="utf-8")
    _check(*_run(["assess", "report", str(first), str(again)], capsys)[:2], again, 2,
           f"Ann Lee (Sales) also answered in {first}: compare one file per leader")
    _check(*_run(["assess", "report", str(first), str(first)], capsys)[:2], first, 2,
           f"Ann Lee (Sales) also answered in {first}: compare one file per leader")


@pytest.mark.parametrize("command", [
    ["align", "{list}", "-o", "{list}"],
    ["score", "{accounts}", "-s", "{card}", "-o", "{card}"],
    ["sql", "{card}", "--dialect", "duckdb", "-o", "{card}"],
    ["assess", "report", "{answers}", "-o", "{answers}"],
])
def test_output_that_names_an_input_is_refused(tmp_path, capsys, command):
    files = {"list": tmp_path / "sales.csv", "accounts": tmp_path / "accounts.csv", "card": tmp_path / "card.toml",
             "answers": tmp_path / "ann.toml"}
    files["list"].write_text("Company\nAcme\n", encoding="utf-8")
    files["accounts"].write_text("Account Name,Employees\nAcme,300\n", encoding="utf-8")
    files["card"].write_text(SCORECARD, encoding="utf-8")
    files["answers"].write_text(ANSWERS, encoding="utf-8")
    before = {k: p.read_bytes() for k, p in files.items()}
    argv = [a.format(**files) for a in command]
    code, lines, _ = _run(argv, capsys)
    assert code == 2
    assert lines[-1] == f"icp: error: -o {argv[-1]} is one of the input files: write the result to another file"
    assert {k: p.read_bytes() for k, p in files.items()} == before


def test_unwritable_output_is_an_input_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    card = tmp_path / "card.toml"
    card.write_text(SCORECARD, encoding="utf-8")
    code, lines, _ = _run(["sql", str(card), "--dialect", "duckdb", "-o", str(blocker / "q.sql")], capsys)
    assert (code, lines) == (1, [f"icp: error: {blocker / 'q.sql'}: cannot write: {blocker} is a file, not a folder"])
    code, lines, _ = _run(["sql", str(card), "--dialect", "duckdb", "-o", str(tmp_path)], capsys)
    assert (code, lines) == (1, [f"icp: error: {tmp_path}: cannot write: is a folder"])


def test_user_text_is_escaped_in_markdown_reports(tmp_path, capsys):
    path = tmp_path / "odd.toml"
    path.write_text(ANSWERS.replace('respondent = "Ann Lee"', 'respondent = "Ann | <script>alert(1)</script>"')
                    .replace('selection = "We pick by gut"', 'selection = "# not a heading\\n* nor a list"'), encoding="utf-8")
    code, _, out = _run(["assess", "report", str(path)], capsys)
    assert code == 0
    assert out.splitlines()[0] == "# ICP Segmentation Maturity: Ann \\| &lt;script>alert(1)&lt;/script> (Sales)"
    assert "- **Selection basis**: \\# not a heading \\* nor a list" in out or "\\# not a heading \\* nor a list" in out
    assert "<script>" not in out


def test_deal_values_that_cannot_be_read_are_said(tmp_path, capsys):
    deals = tmp_path / "deals.csv"
    deals.write_text("Account Name,Stage,Amount,Created Date,Close Date,Employees\n"
                     "Acme,Closed Won,5000,2024-01-05,2024-03-01,300\n"
                     "Beta,Closed Lost,abc,2024-13-45,2024-04-01,20\n"
                     "Gamma,On hold,100,2024-02-01,2024-05-01,40\n", encoding="utf-8")
    card = tmp_path / "card.toml"
    card.write_text(SCORECARD, encoding="utf-8")
    main(["validate", "-s", str(card), "--deals", str(deals)])
    _, err = capsys.readouterr()
    assert err.splitlines() == [
        f"icp: warning: {deals}: column 'Amount': 1 value not read as a number (rows 3; e.g. 'abc'); treated as unknown",
        f"icp: warning: {deals}: column 'Created Date': 1 value not read as a date (rows 3; e.g. '2024-13-45'); treated as unknown",
        f"icp: warning: {deals}: column 'Stage': 1 deal with a stage that reads as neither won, lost nor open: 'on hold' (1); left out",
    ]


def test_function_lists_that_would_lose_entries(tmp_path):
    from icp_tui.engine.alignment.lists import read_function_list
    from icp_tui.engine.core.errors import DataFileError

    bare = tmp_path / "bare.csv"
    bare.write_text("Zamimo Apps Corp\nAltair Labs\n", encoding="utf-8")  # one column, no header row
    assert [e.text for e in read_function_list(bare, "Sales").entries] == ["Zamimo Apps Corp", "Altair Labs"]
    odd = tmp_path / "odd.csv"
    odd.write_text("Zamimo Apps Corp,1,Champion moved\nAltair Labs,2,Pricing page\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        read_function_list(odd, "Sales")
    assert str(e.value) == (f"{odd}:1: has no column of companies: name one Company, Account, Name or Website, "
                            "or map it ([import.lists.columns] \"HEADER\" = \"company\") (headers seen: 'Zamimo Apps Corp', '1', 'Champion moved')")
    blank = tmp_path / "blank.csv"
    blank.write_text("Company,Rank\n,1\n ,2\n", encoding="utf-8")
    with pytest.raises(DataFileError) as e:
        read_function_list(blank, "Sales")
    assert str(e.value) == f"{blank}: proposes no company: every row of column 'Company' is blank"


def test_set_values_must_be_text_or_numbers(tmp_path, capsys):
    path = tmp_path / "card.toml"
    path.write_text(SCORECARD.replace("  { gte = 200, points = 20 },\n", '  { in = ["SaaS", { a = 1 }], points = 20 },\n'),
                    encoding="utf-8")
    _check(*_run(["lint", str(path)], capsys)[:2], path, 10, "criteria[1].buckets[1]: in lists values as text or numbers, not {'a': 1}")


def test_gate_ids_are_unique(tmp_path, capsys):
    gate = QUESTIONNAIRE[QUESTIONNAIRE.index("[[gates]]"):]
    path = tmp_path / "quiz.toml"
    path.write_text(QUESTIONNAIRE + "\n" + gate, encoding="utf-8")
    line = path.read_text(encoding="utf-8").count("\n") - gate.count("\n") + 2  # the second gate's id
    _check(*_run(["assess", "report", str(SAMPLE_ANSWERS), "-q", str(path)], capsys)[:2], path, line,
           "gates[2].id: id 'revenue_metric' is used twice")


def test_one_leader_written_with_other_spacing_is_still_one_leader(tmp_path, capsys):
    first, again = tmp_path / "a.toml", tmp_path / "b.toml"
    first.write_text(ANSWERS, encoding="utf-8")
    again.write_text(ANSWERS.replace('"Ann Lee"', '" ann  LEE "'), encoding="utf-8")
    code, lines, _ = _run(["assess", "report", str(first), str(again)], capsys)
    assert code == 1 and lines[0].endswith(f"also answered in {first}: compare one file per leader")


def test_missing_bucket_gives_its_points_and_known_is_accepted(tmp_path):
    from icp_tui.engine.core.accounts import read_accounts
    from icp_tui.engine.scorecard.file import parse_scorecard
    from icp_tui.engine.scorecard.scoring import Scorer

    accounts = tmp_path / "a.csv"
    accounts.write_text("Account Name,Employees\nA,300\nB,\nC,10\n", encoding="utf-8")
    _, sc = parse_scorecard(SCORECARD.replace("  { otherwise = true, points = 0 },\n",
                                              "  { missing = true, points = 7 },\n  { known = true, points = 1 },\n"))
    result = Scorer(read_accounts(accounts)).score(sc)
    # 300 -> 20 of 20; blank -> the missing bucket's 7 (35.0), evaluated; 10 -> known, 1 (5.0)
    assert result.fit.tolist() == [100.0, 35.0, 5.0]
    assert [result.unknown_for_row(i) for i in range(3)] == ["", "", ""]


def test_revenue_in_millions_unknown_map_and_unit_and_blank_deal_accounts(tmp_path, capsys):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("Account Name,Annual Revenue,Employees\n" + "".join(f"Co {i},{i + 1}.5,{100 + i}\n" for i in range(6)),
                        encoding="utf-8")
    card = tmp_path / "card.toml"
    card.write_text(SCORECARD, encoding="utf-8")
    out = tmp_path / "scored.csv"
    assert main(["score", str(accounts), "-s", str(card), "-o", str(out)]) == 0
    err = capsys.readouterr().err.splitlines()
    # median of 1.5 ... 6.5 is 4
    assert err[0] == (f"icp: warning: {accounts}: column 'Annual Revenue': the median annual revenue is 4, which looks like "
                      "thousands or millions, not dollars: set annual_revenue = \"millions\" in [import.accounts.units] of workshop.toml or [import.units] of the scorecard "
                      "(or --unit annual_revenue=millions)")
    assert main(["score", str(accounts), "-s", str(card), "-o", str(out), "--unit", "annual_revenue=millions"]) == 0
    assert "looks like" not in capsys.readouterr().err
    assert main(["score", str(accounts), "-s", str(card), "-o", str(out), "--map", "Headcount=employees"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"icp: error: --map Headcount=...: {accounts} has no column 'Headcount' (headers: 'Account Name', 'Annual Revenue', 'Employees')")
    assert main(["score", str(accounts), "-s", str(card), "-o", str(out), "--unit", "funding=millions"]) == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"icp: error: --unit funding=...: {accounts} has no column for 'funding' (give the field, e.g. annual_revenue, "
        "or map its header with --map)")
    deals = tmp_path / "deals.csv"
    deals.write_text("Account Name,Stage\nCo 1,Closed Won\n,Closed Lost\nNobody Ltd,Closed Lost\n", encoding="utf-8")
    main(["validate", "-s", str(card), "--deals", str(deals), "--accounts", str(accounts)])
    report = capsys.readouterr().out
    assert "1 deal with no account (blank id, name and website) was left out" in report
    assert "1 deal whose account is not in the accounts file was left out" in report
