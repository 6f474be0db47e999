"""The ``icp`` command end to end, each run in a new process (``python -m icp_tui``).

Exit codes: 0 ok, 1 input errors / lint warnings / --strict findings, 2 usage.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from test_scoring import ACCOUNTS as SEED003_ACCOUNTS  # tests/ is on sys.path (rootdir conftest, prepend mode)

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_ACCOUNTS = "sample_data/accounts.csv"
SAMPLE_SCORECARD = "sample_data/scorecard.toml"
SEED003 = ROOT / "tests" / "data" / "seed003_scorecard.toml"

OUTPUT_HEADERS = [
    "fit_score", "band", "tier", "grade", "action", "timing_score", "qualification_score", "reasons",
    "anti_personas", "closer_to_anti_persona", "excluded", "coverage", "unknown_criteria",
    "points_company_size", "points_revenue", "points_industry", "points_growth", "points_tech_stack",
    "points_geography", "points_use_case", "points_intent", "points_funding", "points_economic_buyer",
]

SAMPLE_WARNINGS = [
    "icp: warning: sample_data/accounts.csv: column 'Employees': 12 values not read as a number "
    "(rows 371, 443, 461, 714, 955, …; e.g. 'approx 1100', 'approx 400', 'approx 100'); treated as unknown",
    "icp: warning: sample_data/accounts.csv: column 'Annual Revenue': 11 values not read as a number "
    "(rows 151, 153, 319, 328, 402, …; e.g. 'tbd', 'TBD'); treated as unknown",
]


def icp(*args: str, state_dir: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "ICP_TUI_STATE_DIR": state_dir or os.environ["ICP_TUI_STATE_DIR"]}
    return subprocess.run([sys.executable, "-m", "icp_tui", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, timeout=60)


def icp_many(commands: list[list], state_dir: str) -> list[subprocess.CompletedProcess]:
    """Several ``icp`` runs at once (start-up is most of their time), as ``icp()`` would give them."""
    env = {**os.environ, "ICP_TUI_STATE_DIR": state_dir}
    procs = [subprocess.Popen([sys.executable, "-m", "icp_tui", *map(str, args)], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for args in commands]
    out = []
    for proc in procs:
        stdout, stderr = proc.communicate(timeout=60)
        out.append(subprocess.CompletedProcess(proc.args, proc.returncode, stdout, stderr))
    return out


def icp_in_process(capsys, *args) -> tuple[int, str, list[str]]:
    """(exit code, stdout, stderr lines) of ``icp args`` run by ``main()`` in this process: for the
    cases that stop before any output, where a new process would only add start-up time."""
    from icp_tui.cli import main

    try:
        code = main([str(a) for a in args])
    except SystemExit as e:  # argparse
        code = e.code
    cap = capsys.readouterr()
    return code, cap.out, cap.err.splitlines()


def rows_of(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8"), newline="")))


def records_of(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def err_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return proc.stderr.decode("utf-8").splitlines()


def sample_summary(dest: str) -> str:
    return (f"icp: scored 2,000 accounts with Starter ICP scorecard v1.0 -> {dest}: Strong fit 302, Good fit 310, "
            "Possible fit 302, Weak fit 317, Poor fit 769; 525 accounts matching an anti-persona, 206 excluded")


# -- the sample, scored once per module ---------------------------------------------------------


@pytest.fixture(scope="module")
def sample_runs(tmp_path_factory):
    """Stdout CSV, -o CSV, -o JSON and --format json of the sample (module scope: one process each)."""
    state = str(tmp_path_factory.mktemp("cli-state"))
    out = tmp_path_factory.mktemp("cli-out")
    commands = {
        "stdout": ["score", SAMPLE_ACCOUNTS, "-s", SAMPLE_SCORECARD],
        "csv": ["score", SAMPLE_ACCOUNTS, "-s", SAMPLE_SCORECARD, "-o", out / "out.csv"],
        "json": ["score", SAMPLE_ACCOUNTS, "-s", SAMPLE_SCORECARD, "-o", out / "out.json"],
        "json_stdout": ["score", SAMPLE_ACCOUNTS, "--scorecard", SAMPLE_SCORECARD, "--format", "json"],
    }
    return dict(zip(commands, icp_many(list(commands.values()), state))), out


def test_score_sample_to_stdout(sample_runs):
    runs, _ = sample_runs
    proc = runs["stdout"]
    assert proc.returncode == 0
    rows = rows_of(proc.stdout)
    with open(ROOT / SAMPLE_ACCOUNTS, encoding="utf-8-sig", newline="") as fh:
        inp = list(csv.reader(fh))
    assert len(inp[0]) == 17
    assert rows[0] == inp[0] + OUTPUT_HEADERS
    assert len(rows) - 1 == 2000
    assert all(len(r) == 17 + len(OUTPUT_HEADERS) for r in rows)
    # input cells kept exactly as written (a lone "-" is a missing value, not a formula)
    assert [r[:17] for r in rows[1:]] == inp[1:]
    assert err_lines(proc) == SAMPLE_WARNINGS + [sample_summary("standard output")]
    # the summary's counts agree with the rows written
    recs = records_of(proc.stdout)
    bands = Counter(r["band"] for r in recs)
    assert [bands[b] for b in ("Strong fit", "Good fit", "Possible fit", "Weak fit", "Poor fit")] == [302, 310, 302, 317, 769]
    assert sum(r["anti_personas"] != "" for r in recs) == 525
    assert sum(r["excluded"] != "" for r in recs) == 206
    assert sum(r["tier"] == "Excluded" for r in recs) == 206


def test_score_sample_known_rows(sample_runs):
    runs, _ = sample_runs
    recs = {r["Account Name"]: r for r in records_of(runs["stdout"].stdout)}
    acme = recs["Acme Inc."]
    # ACC-00018 Acme Inc.: 850 employees, $120M, SaaS, 34% growth, Salesforce; Snowflake; Gong; Slack,
    # United States, Revenue analytics, intent 82, Series C, economic buyer Confirmed.
    # Fit criteria (firmographic, technographic, geographic, use_case), max 20+20+15+5+5+10+10 = 85:
    #   size 850 in 200-2,000 -> 20; revenue 120M in 30M-500M -> 20; SaaS -> 15; 34% >= 20% -> 5;
    #   Salesforce -> 5; United States -> 10; Revenue analytics -> 10: 85/85 -> 100.0 (Strong fit, Tier 1)
    # Timing (buying_signal), max 20+10 = 30: intent 82 >= 70 -> 20; Series C -> 10: 30/30 -> 100.0
    # Qualification, max 15: Confirmed -> 15 -> 100.0.  Coverage: nothing unknown -> 1.00.
    # Reasons: the three largest (20, 20, 20; ties in file order): size, revenue, intent.
    assert {k: acme[k] for k in OUTPUT_HEADERS} == {
        "fit_score": "100.0", "band": "Strong fit", "tier": "Tier 1", "grade": "A1",  # fit A, timing 100 >= 60: 1
        "action": "Prioritise: high chance to close",
        "timing_score": "100.0", "qualification_score": "100.0",
        "reasons": "Company size: 200-2,000 employees (+20); Annual revenue: $30M-$500M (+20); "
                   "Research intent: Surging intent (70+) (+20)",
        "anti_personas": "", "closer_to_anti_persona": "no", "excluded": "", "coverage": "1.00", "unknown_criteria": "",
        "points_company_size": "20", "points_revenue": "20", "points_industry": "15", "points_growth": "5",
        "points_tech_stack": "5", "points_geography": "10", "points_use_case": "10", "points_intent": "20",
        "points_funding": "10", "points_economic_buyer": "15",
    }
    beacon = recs["Beacon Signals SA"]
    # ACC-00001: 221 -> 20; $87M -> 20; MarTech -> 5; 1% -> 0; tech stack empty -> unknown 0; France -> 6;
    # use case empty -> unknown 0: 51/85 = 60.0 (Possible fit, Tier 3).
    # Timing: intent 25 < 40 -> 0; Series D+ -> 4: 4/30 = 13.3. Qualification: empty -> unknown -> 0.0.
    # Coverage: max total 130 (85 fit + 30 timing + 15 qualification); unknown tech_stack 5, use_case 10,
    # economic_buyer 15 -> 100/130 = 0.769 -> 0.77.
    # Reasons: size 20, revenue 20, then geography 6 before industry 5.
    # Anti-personas: nearest is "Traditional, flat business" (growth 1% < 5% only): 1/2 < fit 0.60 -> not closer.
    assert {k: beacon[k] for k in OUTPUT_HEADERS} == {
        "fit_score": "60.0", "band": "Possible fit", "tier": "Tier 3", "grade": "C3",  # third band C, 13.3 < 30: 3
        "action": "Qualify hard; ask for proof of fit before a proposal",
        "timing_score": "13.3", "qualification_score": "0.0",
        "reasons": "Company size: 200-2,000 employees (+20); Annual revenue: $30M-$500M (+20); "
                   "Sales territory: Continental Europe (+6)",
        "anti_personas": "", "closer_to_anti_persona": "no", "excluded": "", "coverage": "0.77",
        "unknown_criteria": "tech_stack, use_case, economic_buyer",
        "points_company_size": "20", "points_revenue": "20", "points_industry": "5", "points_growth": "0",
        "points_tech_stack": "0", "points_geography": "6", "points_use_case": "0", "points_intent": "0",
        "points_funding": "4", "points_economic_buyer": "0",
    }


def test_score_to_csv_file_is_the_same_bytes(sample_runs):
    runs, out = sample_runs
    proc = runs["csv"]
    assert proc.returncode == 0
    assert proc.stdout == b""
    assert (out / "out.csv").read_bytes() == runs["stdout"].stdout
    assert err_lines(proc) == SAMPLE_WARNINGS + [sample_summary(str(out / "out.csv"))]
    assert sorted(p.name for p in out.iterdir()) == ["out.csv", "out.json"]  # no temp file left


def test_score_to_json(sample_runs):
    runs, out = sample_runs
    proc = runs["json"]
    assert proc.returncode == 0
    assert proc.stdout == b""
    data = json.loads((out / "out.json").read_text(encoding="utf-8"))
    assert isinstance(data, list) and len(data) == 2000
    csv_recs = records_of(runs["stdout"].stdout)
    assert list(data[0]) == list(csv_recs[0])
    with open(ROOT / SAMPLE_ACCOUNTS, encoding="utf-8-sig", newline="") as fh:
        inp = list(csv.DictReader(fh))
    # text input values exactly as in the file (JSON is not neutralised against spreadsheet formulas) ...
    numeric = ["Employees", "Annual Revenue", "Growth Rate", "Founded", "Intent Score"]
    assert [{k: d[k] for k in inp[0] if k not in numeric} for d in data] == \
        [{k: v for k, v in r.items() if k not in numeric} for r in inp]
    # ... the columns read as numbers as numbers: '221', '$87M', '1%', '2006', '25'; '1.6k', '459M', '-2%';
    # "$32.7M" (row 9) is 32700000, not the 32700000.000000004 its parse gives; 'approx 1100' (row 371) is null
    assert [[d[k] for k in numeric] for d in data[:2]] == [[221, 87000000, 0.01, 2006, 25], [1600, 459000000, -0.02, 2008, 66]]
    assert (inp[369]["Employees"], data[369]["Employees"]) == ("approx 1100", None)
    assert all(isinstance(d["Annual Revenue"], int) for d in data if d["Annual Revenue"] is not None)
    # ... and every output value is the CSV cell as a number, a boolean or the same text
    def as_json(header: str, cell: str):
        if header == "closer_to_anti_persona":
            return {"yes": True, "no": False}[cell]
        if header in ("fit_score", "timing_score", "qualification_score", "coverage") or header.startswith("points_"):
            return None if cell == "" else float(cell)
        return cell

    assert [{k: d[k] for k in OUTPUT_HEADERS} for d in data] == \
        [{k: as_json(k, r[k]) for k in OUTPUT_HEADERS} for r in csv_recs]
    assert (data[0]["fit_score"], data[0]["coverage"], data[0]["points_company_size"]) == (60.0, 0.77, 20)
    assert '"fit_score": 60.0, ' in (out / "out.json").read_text(encoding="utf-8")
    # --format json to standard output gives the same document
    assert runs["json_stdout"].returncode == 0
    assert runs["json_stdout"].stdout == (out / "out.json").read_bytes()
    assert err_lines(runs["json_stdout"])[-1] == sample_summary("standard output")


def test_strict_exits_1_and_still_writes(sample_runs, tmp_path):
    runs, _ = sample_runs
    proc = icp("score", SAMPLE_ACCOUNTS, "-s", SAMPLE_SCORECARD, "--strict", "-o", tmp_path / "strict.csv")
    assert proc.returncode == 1
    assert (tmp_path / "strict.csv").read_bytes() == runs["stdout"].stdout
    assert err_lines(proc) == SAMPLE_WARNINGS + [sample_summary(str(tmp_path / "strict.csv"))]


def test_rescoring_the_scored_file_gives_the_same_warnings(sample_runs, tmp_path):
    """README: output columns are replaced on re-scoring; the scored file must read back like the input."""
    runs, _ = sample_runs
    (tmp_path / "scored.csv").write_bytes(runs["stdout"].stdout)
    proc = icp("score", tmp_path / "scored.csv", "-s", SAMPLE_SCORECARD)
    assert proc.returncode == 0
    assert proc.stdout == runs["stdout"].stdout
    assert err_lines(proc) == [ln.replace(SAMPLE_ACCOUNTS, str(tmp_path / "scored.csv"))
                               for ln in SAMPLE_WARNINGS + [sample_summary("standard output")]]


# -- seed 003: hand-computed scores ---------------------------------------------------------------


def test_seed003_columns(tmp_path):
    (tmp_path / "accounts.csv").write_text(SEED003_ACCOUNTS, encoding="utf-8")
    proc = icp("score", tmp_path / "accounts.csv", "-s", SEED003)
    assert proc.returncode == 0
    recs = records_of(proc.stdout)
    col = lambda k: [r[k] for r in recs]  # noqa: E731
    # fit = firmographic points / 60 (see tests/test_scoring.py for the sums)
    assert col("fit_score") == ["100.0", "100.0", "28.3", "0.0", "61.7", "8.3", "33.3", "33.3", "45.0"]
    assert col("band") == ["Strong fit", "Strong fit", "Poor fit", "Poor fit", "Possible fit",
                           "Poor fit", "Poor fit", "Poor fit", "Weak fit"]
    assert col("tier") == ["Tier 1", "Tier 1", "Pass", "Pass", "Tier 3", "Excluded", "Pass", "Pass", "Nurture"]
    assert col("excluded") == [""] * 5 + ["Existing customer"] + [""] * 3
    # qualification = deal signals / 40; no buying-signal criteria -> empty timing cell
    assert col("qualification_score") == ["100.0", "50.0", "50.0", "0.0", "0.0", "100.0", "0.0", "0.0", "0.0"]
    assert col("timing_score") == [""] * 9
    # A7 meets all three conditions; A8 two of three (2/3 > fit 0.333) -> closer, but no match
    assert col("anti_personas") == [""] * 6 + ["Early-stage startup", "", ""]
    assert col("closer_to_anti_persona") == ["no"] * 6 + ["yes", "yes", "no"]
    # total max 100; A4 misses size+revenue (40), A5 and A7-A9 the four deal signals (40)
    assert col("coverage") == ["1.00", "1.00", "1.00", "0.60", "0.60", "1.00", "0.60", "0.60", "0.60"]
    deal = "economic_buyer, technical_fit, consensus, timeline"
    assert col("unknown_criteria") == ["", "", "", "size, revenue", deal, "", deal, deal, deal]
    assert col("points_size") == ["20", "20", "5", "0", "20", "0", "0", "0", "5"]
    assert col("points_revenue") == ["20", "20", "5", "0", "0", "5", "0", "0", "20"]
    assert recs[4]["reasons"] == ("Company size: 200 to 2,000 (+20); Industry fit: SaaS, FinTech, HealthTech (+15); "
                                  "Growth stage: 0.05 to 0.2 (excl.) (+2)")
    assert err_lines(proc) == [
        "icp: scored 9 accounts with Seed 003 example v1 -> standard output: Strong fit 2, Good fit 0, "
        "Possible fit 1, Weak fit 1, Poor fit 5; 1 account matching an anti-persona, 1 excluded"
    ]


def test_seed003_json_has_null_for_an_empty_score(tmp_path):
    (tmp_path / "accounts.csv").write_text(SEED003_ACCOUNTS, encoding="utf-8")
    proc = icp("score", tmp_path / "accounts.csv", "-s", SEED003, "--format", "json")
    assert proc.returncode == 0
    data = json.loads(proc.stdout)
    assert [d["timing_score"] for d in data] == [None] * 9
    assert [d["fit_score"] for d in data][:3] == [100.0, 100.0, 28.3]


# -- formula injection -------------------------------------------------------------------------


def test_formula_cells_are_neutralised(tmp_path):
    names = ['=HYPERLINK("http://x","y")', "+1+2", "@SUM(A1)", "-2+3", "-3", "-12%", "\tcmd", "Plain Co"]
    with open(tmp_path / "a.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["name", "employees", "industry"])
        for n in names:
            w.writerow([n, "300", "SaaS"])
    proc = icp("score", tmp_path / "a.csv", "-s", SEED003)
    assert proc.returncode == 0
    rows = rows_of(proc.stdout)
    assert [r[0] for r in rows[1:]] == [
        '\'=HYPERLINK("http://x","y")', "'+1+2", "'@SUM(A1)", "'-2+3", "-3", "-12%", "'\tcmd", "Plain Co",
    ]
    assert [r[1] for r in rows[1:]] == ["300"] * len(names)


# -- --map and --unit ------------------------------------------------------------------------------


@pytest.fixture
def org_size_csv(tmp_path):
    p = tmp_path / "map.csv"
    p.write_text("name,Org Size,annual_revenue,industry,growth_rate\nA,850,50,SaaS,25%\n", encoding="utf-8")
    return p


def test_map_header_to_field(org_size_csv):
    plain_run, proc = icp_many([["score", org_size_csv, "-s", SEED003],
                                ["score", org_size_csv, "-s", SEED003, "--map", "Org Size=employees"]],
                               os.environ["ICP_TUI_STATE_DIR"])
    plain = records_of(plain_run.stdout)[0]
    # "Org Size" is not a known header: size unknown; revenue 50 (no unit) < 10M -> 0; SaaS 15; 25% -> 5
    assert (plain["fit_score"], plain["points_size"]) == ("33.3", "0")
    assert plain["unknown_criteria"].startswith("size, ")
    assert proc.returncode == 0
    mapped = records_of(proc.stdout)[0]
    # 850 employees -> 20: (20 + 0 + 15 + 5) / 60 = 66.7
    assert (mapped["fit_score"], mapped["points_size"], mapped["points_revenue"]) == ("66.7", "20", "0")
    assert mapped["unknown_criteria"] == "economic_buyer, technical_fit, consensus, timeline"
    assert mapped["Org Size"] == "850"  # the input column is kept as written


def test_unit_millions(org_size_csv):
    proc = icp("score", org_size_csv, "-s", SEED003, "--map", "Org Size=employees", "--unit", "annual_revenue=millions")
    assert proc.returncode == 0
    rec = records_of(proc.stdout)[0]
    # 50 millions = 50M, in 30M-500M -> 20: (20 + 20 + 15 + 5) / 60 = 100.0
    assert (rec["fit_score"], rec["points_revenue"]) == ("100.0", "20")
    assert "Annual revenue: 30M to 500M (+20)" in rec["reasons"].split("; ")


def test_unknown_unit_is_a_usage_error(org_size_csv, capsys):
    code, out, lines = icp_in_process(capsys, "score", org_size_csv, "-s", SEED003, "--unit", "x=gazillions")
    assert (code, out) == (2, "")
    assert lines[0].startswith("usage: icp score [-h]")  # the command's usage, then one line
    assert lines[-1:] == [
        "icp: error: --unit x=gazillions: unknown unit 'gazillions' (use one of: thousands, millions, billions, percent)"
    ]


def test_map_without_equals_is_a_usage_error(org_size_csv, capsys):
    code, out, lines = icp_in_process(capsys, "score", org_size_csv, "-s", SEED003, "--map", "nope")
    assert (code, out) == (2, "")
    assert lines[0].startswith("usage: icp score [-h]")
    assert lines[-1:] == ["icp: error: --map takes HEADER=FIELD, not 'nope'"]


# -- input errors: one line, exit 1 ------------------------------------------------------------------

BROKEN_SCORECARD = """\
[scorecard]
name = "Broken"
version = "1"

[[criteria]]
id = "size"
label = "Company size"
category = "firmographic"
field = "employees"
buckets = [
  { gte = 50, lt = 200, points = 5 },
  { gte = 2000, lte = 200, points = 20 },
]
"""


def _error_case(kind: str, d: Path) -> tuple[list[str], str]:
    ok = d / "ok.csv"
    ok.write_text("name,employees\nA,300\n", encoding="utf-8")
    sc = str(SEED003)
    if kind == "missing accounts":
        return [str(d / "missing.csv"), sc], f"icp: error: {d / 'missing.csv'}: file not found"
    if kind == "empty accounts":
        (d / "empty.csv").write_bytes(b"")
        return [str(d / "empty.csv"), sc], f"icp: error: {d / 'empty.csv'}: is empty"
    if kind == "header only":
        (d / "header.csv").write_text("name,employees\n", encoding="utf-8")
        return [str(d / "header.csv"), sc], f"icp: error: {d / 'header.csv'}:1: has a header but no data rows"
    if kind == "binary accounts":
        (d / "bin.csv").write_bytes(b"name\x00\x01\x02\xff\xfe")
        return [str(d / "bin.csv"), sc], (f"icp: error: {d / 'bin.csv'}:1: is not a text file (binary data at byte 4); "
                                          "export it as CSV (UTF-8) or XLSX")
    if kind == "missing scorecard":
        return [str(ok), str(d / "nope.toml")], f"icp: error: {d / 'nope.toml'}: file not found"
    if kind == "broken scorecard":
        (d / "broken.toml").write_text(BROKEN_SCORECARD, encoding="utf-8")
        return [str(ok), str(d / "broken.toml")], (
            f"icp: error: {d / 'broken.toml'}:12: criteria[1].buckets[2]: lower bound 2,000 is above upper bound 200")
    if kind == "toml syntax":
        (d / "syntax.toml").write_text('[scorecard]\nname = "x"\n[[criteria]\nid = 1\n', encoding="utf-8")
        return [str(ok), str(d / "syntax.toml")], (
            f"icp: error: {d / 'syntax.toml'}:3: not valid TOML: Unexpected character: '\\n' (column 11)")
    raise AssertionError(kind)


ERROR_KINDS = ["missing accounts", "empty accounts", "header only", "binary accounts", "missing scorecard",
               "broken scorecard", "toml syntax"]


@pytest.mark.parametrize("kind", ERROR_KINDS)
def test_input_errors_are_one_line(kind, tmp_path, capsys):
    (accounts, scorecard), expected = _error_case(kind, tmp_path)
    code, out, lines = icp_in_process(capsys, "score", accounts, "-s", scorecard)
    assert (code, out) == (1, "")
    assert lines == [expected]  # one line, no traceback


def test_error_in_a_process_and_with_debug(tmp_path):
    """The same error in a real process: one line; with --debug before the command, a traceback too."""
    (accounts, scorecard), expected = _error_case("broken scorecard", tmp_path)
    plain, debug = icp_many([["score", accounts, "-s", scorecard], ["--debug", "score", accounts, "-s", scorecard]],
                            os.environ["ICP_TUI_STATE_DIR"])
    assert (plain.returncode, plain.stdout, err_lines(plain)) == (1, b"", [expected])
    assert (debug.returncode, debug.stdout) == (1, b"")
    lines = err_lines(debug)
    assert lines[0] == "Traceback (most recent call last):"
    assert "icp_tui.engine.core.errors.ScorecardError: " + expected.removeprefix("icp: error: ") in lines
    assert lines[-1] == expected


# -- lint ---------------------------------------------------------------------------------------------

MINI = """\
[scorecard]
name = "Mini"
version = "1"

[[criteria]]
id = "industry"
label = "Industry"
category = "firmographic"
field = "industry"
buckets = [
  { in = ["SaaS"], points = 10 },
  { otherwise = true, points = 0 },
]
"""


def test_lint_sample_is_clean():
    proc = icp("lint", SAMPLE_SCORECARD)
    assert proc.returncode == 0
    # seed 003's one note: the sample records no validation date (one would go stale in 6 months)
    assert proc.stdout == b"sample_data/scorecard.toml:7: info: scorecard: not yet validated: icp validate --record (F3, r in the app)\n"
    assert err_lines(proc) == ["sample_data/scorecard.toml: 10 criteria, 0 warnings, 1 note"]


def test_lint_field_missing_from_accounts(tmp_path):
    (tmp_path / "mini.toml").write_text(MINI, encoding="utf-8")
    (tmp_path / "a.csv").write_text("name,employees\nA,300\n", encoding="utf-8")
    sc, acc = tmp_path / "mini.toml", tmp_path / "a.csv"
    proc = icp("lint", sc, "--accounts", acc)
    assert proc.returncode == 1
    assert proc.stdout.decode().splitlines() == [
        f"{sc}:9: warning: criteria[1].field: field 'industry' is not in {acc} (every account scores 'unknown')",
        *mini_seed_findings(sc),
    ]
    assert err_lines(proc) == [f"{sc}: 1 criterion, 3 warnings, 1 note"]


def mini_seed_findings(sc) -> list[str]:
    """What seed 003's rules say of MINI: one dimension, no anti-persona, never validated."""
    return [f"{sc}:5: warning: criteria: the fit score rests on 1 dimension (industry): give it 3 or more (e.g. company "
            "size, revenue, industry, use case) so that it tells accounts apart",
            f"{sc}: warning: anti_personas: none: describe the accounts to avoid ([[anti_personas]] with a reason) so "
            "that look-alikes of poor customers are flagged",
            f"{sc}:1: info: scorecard: not yet validated: icp validate --record (F3, r in the app)"]

def test_lint_field_present_in_accounts(tmp_path, capsys):
    (tmp_path / "mini.toml").write_text(MINI, encoding="utf-8")
    (tmp_path / "b.csv").write_text("name,industry\nA,SaaS\n", encoding="utf-8")
    sc = tmp_path / "mini.toml"
    assert icp_in_process(capsys, "lint", sc, "--accounts", tmp_path / "b.csv") == (
        1, "".join(f"{line}\n" for line in mini_seed_findings(sc)), [f"{sc}: 1 criterion, 2 warnings, 1 note"])


# -- usage -------------------------------------------------------------------------------------------


def test_score_without_arguments_is_usage():
    proc = icp("score")
    assert proc.returncode == 2
    assert proc.stdout == b""
    lines = err_lines(proc)
    assert lines[0].startswith("usage: icp score ")
    assert lines[-1] == "icp: error: an accounts file is needed: icp score ACCOUNTS.csv -s SCORECARD (or -w DIR, a workshop)"


def test_version():
    proc = icp("--version")
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, b"icp-tui 0.1.0\n", b"")
