"""Scored output: formula neutralising, the scored table against the per-row explanations, atomic CSV."""

from __future__ import annotations

import csv
import io
import json
import os
import stat
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest
from test_scoring import ACCOUNTS as SEED003_ACCOUNTS  # tests/ is on sys.path (rootdir conftest, prepend mode)

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.scorecard import export
from icp_tui.engine.scorecard.export import neutralise, scored_table, write_csv, write_json
from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.engine.scorecard.scoring import Scorer

ROOT = Path(__file__).resolve().parents[1]

CELLS = ["=1+2", None, "", "-3", "+1+2", "plain", "@x", "\tcmd", "\rcmd", "-12%", "-$5M", "+12.5%", "-2+3",
         "-1e5", "-.5", "-1,200.50", "-2.5bn", "=", "a=b", "'=already"]
SAFE = ["'=1+2", None, "", "-3", "'+1+2", "plain", "'@x", "'\tcmd", "'\rcmd", "-12%", "-$5M", "+12.5%", "'-2+3",
        "-1e5", "-.5", "-1,200.50", "-2.5bn", "'=", "a=b", "'=already"]


# -- neutralise ------------------------------------------------------------------------------------


def test_neutralise_plain_array():
    out = neutralise(pa.array(CELLS, pa.string()))
    assert out.type == pa.string()
    assert out.to_pylist() == SAFE
    assert out.null_count == 1


def test_neutralise_sliced_array_with_offset():
    arr = pa.array(CELLS, pa.string())
    for start, length in [(3, 5), (1, 1), (4, 12), (19, 1)]:
        part = arr.slice(start, length)
        assert part.offset == start
        assert neutralise(part).to_pylist() == SAFE[start:start + length]
    # an offset that lands right after a risky value, and an empty slice
    assert neutralise(pa.array(["-a", "=b", "c", "@d"]).slice(1)).to_pylist() == ["'=b", "c", "'@d"]
    assert neutralise(arr.slice(5, 0)).to_pylist() == []


def test_neutralise_leaves_safe_arrays_alone():
    arr = pa.array(["a", "b", None, ""])
    assert neutralise(arr) is arr
    assert neutralise(pa.array(["", ""])).to_pylist() == ["", ""]
    assert neutralise(pa.array([None, None], pa.string())).to_pylist() == [None, None]
    numbers = pa.array([-1, 2])
    assert neutralise(numbers) is numbers  # not text: unchanged


def test_neutralise_chunked_array():
    chunked = pa.chunked_array([pa.array(CELLS[:7]), pa.array([], pa.string()), pa.array(CELLS[7:]).slice(0)])
    out = neutralise(chunked)
    assert isinstance(out, pa.ChunkedArray)
    assert out.num_chunks == 3
    assert out.to_pylist() == SAFE


def test_neutralise_dictionary_arrays():
    d = pa.array(["=x", "ok", None, "=x", "-3", "", "@y"]).dictionary_encode()
    out = neutralise(d)
    assert pa.types.is_dictionary(out.type)
    assert out.to_pylist() == ["'=x", "ok", None, "'=x", "-3", "", "'@y"]
    assert out.dictionary.to_pylist() == ["'=x", "ok", "-3", "", "'@y"]  # each distinct text neutralised once
    # a slice of a dictionary array, and a null index
    assert neutralise(d.slice(1, 4)).to_pylist() == ["ok", None, "'=x", "-3"]
    d2 = pa.DictionaryArray.from_arrays(pa.array([0, 1, None, 0], pa.int8()), pa.array(["@a", "b"]))
    assert neutralise(d2).to_pylist() == ["'@a", "b", None, "'@a"]
    # chunked dictionary
    chunked = pa.chunked_array([d, d2.cast(pa.dictionary(pa.int32(), pa.string()))])
    assert neutralise(chunked).to_pylist() == ["'=x", "ok", None, "'=x", "-3", "", "'@y", "'@a", "b", None, "'@a"]


def test_neutralise_large_string():
    out = neutralise(pa.array(["=a", "b", "-3"], pa.large_string()))
    assert out.to_pylist() == ["'=a", "b", "-3"]


def test_neutralise_keeps_a_lone_dash():
    assert neutralise(pa.array(["-", "=1"])).to_pylist() == ["-", "'=1"]


# -- scored_table ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_scored():
    sc = ScorecardFile.open(ROOT / "sample_data" / "scorecard.toml").scorecard
    accounts = read_accounts(ROOT / "sample_data" / "accounts.csv", sc.column_map, sc.units)
    result = Scorer(accounts).score(sc)
    return accounts, result, scored_table(accounts, result)


def test_scored_table_columns(sample_scored):
    accounts, result, table = sample_scored
    assert table.num_rows == 2000
    assert table.column_names == accounts.table.column_names + list(export.OUTPUT_COLUMNS) + [
        f"points_{c.id}" for c in result.scorecard.criteria]
    assert len(accounts.table.column_names) == 17
    for name in accounts.table.column_names:
        assert table.column(name).equals(accounts.table.column(name))
    for name in table.column_names[17:]:
        assert pa.types.is_dictionary(table.column(name).type), name
    assert scored_table(accounts, result, include_input=False).column_names == table.column_names[17:]


def test_scored_table_matches_the_row_functions(sample_scored):
    _, r, table = sample_scored
    col = {name: table.column(name).to_pylist() for name in table.column_names}
    n = len(r)
    assert col["reasons"] == [r.reasons_for_row(i) for i in range(n)]
    assert col["unknown_criteria"] == [r.unknown_for_row(i) for i in range(n)]
    assert col["fit_score"] == [f"{x:.1f}" for x in r.fit]
    assert col["timing_score"] == [f"{x:.1f}" for x in r.timing]
    assert col["qualification_score"] == [f"{x:.1f}" for x in r.qualification]
    assert col["band"] == [r.band_of(i).label for i in range(n)]
    assert col["closer_to_anti_persona"] == ["yes" if x else "no" for x in r.closer_to_anti]
    assert col["coverage"] == [f"{x:.2f}" for x in r.coverage]
    sc = r.scorecard
    assert col["anti_personas"] == ["; ".join(a.name for a, hit in zip(sc.anti_personas, r.anti[i]) if hit)
                                    for i in range(n)]
    assert col["excluded"] == ["; ".join(e.name for e, hit in zip(sc.exclusions, r.excluded[i]) if hit)
                               for i in range(n)]
    assert col["tier"] == ["Excluded" if r.is_excluded[i] else r.band_of(i).tier for i in range(n)]
    assert col["action"] == ["Do not pursue: hard exclusion" if r.is_excluded[i] else r.band_of(i).action
                             for i in range(n)]
    assert col["grade"] == [r.grades[i] for i in range(n)]
    # the sample's first three: fit 60.0 (Possible fit, C) timing 13.3 (< 30: 3); 94.1 (A) 46.7 (30-59: 2); 100 (A) 66.7 (1)
    assert col["grade"][:3] == ["C3", "A2", "A1"]
    for j, c in enumerate(sc.criteria):
        assert col[f"points_{c.id}"] == [f"{x:g}" for x in r.points[:, j]], c.id


def test_rescoring_replaces_output_columns(tmp_path, sample_scored):
    """A scored file scored again: its old output columns are replaced, not repeated."""
    _, r, table = sample_scored
    sc = r.scorecard
    write_csv(table.slice(0, 50), tmp_path / "scored.csv")
    again = read_accounts(tmp_path / "scored.csv", sc.column_map, sc.units)
    t2 = scored_table(again, Scorer(again).score(sc))
    assert t2.column_names == table.column_names
    assert t2.column("fit_score").to_pylist() == table.column("fit_score").to_pylist()[:50]


# -- writing ---------------------------------------------------------------------------------------------


@pytest.fixture
def seed003(tmp_path):
    (tmp_path / "accounts.csv").write_text(SEED003_ACCOUNTS, encoding="utf-8")
    accounts = read_accounts(tmp_path / "accounts.csv")
    sc = ScorecardFile.open(ROOT / "tests" / "data" / "seed003_scorecard.toml").scorecard
    return scored_table(accounts, Scorer(accounts).score(sc))


def test_csv_reads_back_as_the_table(seed003, tmp_path):
    out = tmp_path / "out" / "scored.csv"  # the folder is created
    write_csv(seed003, out)
    with open(out, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == seed003.column_names
    expected = [["" if v is None else str(v) for v in rec.values()] for rec in seed003.to_pylist()]
    assert rows[1:] == expected
    assert [r[rows[0].index("timing_score")] for r in rows[1:]] == [""] * 9  # NaN -> empty cell
    assert [r[rows[0].index("fit_score")] for r in rows[1:]] == [
        "100.0", "100.0", "28.3", "0.0", "61.7", "8.3", "33.3", "33.3", "45.0"]


def test_write_csv_replaces_atomically(seed003, tmp_path):
    out = tmp_path / "scored.csv"
    out.write_text("old content\n", encoding="utf-8")
    write_csv(seed003, out)
    first = out.read_bytes()
    assert first.startswith(b'"account_id","name","employees"')
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "scored.csv"]  # no temp file
    write_csv(seed003.slice(0, 2), out)
    assert len(out.read_bytes().splitlines()) == 3  # header + 2 rows: replaced, not appended
    assert out.read_bytes() == b"".join(first.splitlines(keepends=True)[:3])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "scored.csv"]


def test_failed_write_keeps_the_old_file(seed003, tmp_path, monkeypatch):
    out = tmp_path / "scored.csv"
    out.write_text("old content\n", encoding="utf-8")

    def broken_writer(table, where, **kwargs):
        with open(where, "wb") as fh:
            fh.write(b"half a fi")
        raise OSError("disk full")

    monkeypatch.setattr(export.pacsv, "write_csv", broken_writer)
    with pytest.raises(OSError, match="disk full"):
        write_csv(seed003, out)
    assert out.read_text(encoding="utf-8") == "old content\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "scored.csv"]


def test_write_csv_to_a_stream_is_the_same_bytes(seed003, tmp_path):
    write_csv(seed003, tmp_path / "a.csv")
    buf = io.BytesIO()
    write_csv(seed003, None, stream=buf)
    assert buf.getvalue() == (tmp_path / "a.csv").read_bytes()
    assert pacsv.read_csv(io.BytesIO(buf.getvalue())).num_rows == 9


def test_write_json(seed003, tmp_path):
    write_json(seed003, tmp_path / "s.json")
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data == seed003.to_pylist()
    assert [d["fit_score"] for d in data[:2]] == ["100.0", "100.0"]
    assert data[0]["timing_score"] is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["accounts.csv", "s.json"]


def test_header_cells_are_neutralised(tmp_path):
    write_csv(pa.table({"name": ["A"], "=1+2": ["x"], "@SUM(A1)": ["y"]}), tmp_path / "h.csv")
    with open(tmp_path / "h.csv", encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["name", "'=1+2", "'@SUM(A1)"]


def test_write_csv_keeps_the_mode_of_the_file_it_replaces(seed003, tmp_path):
    out = tmp_path / "scored.csv"
    out.write_text("old\n", encoding="utf-8")
    os.chmod(out, 0o644)
    write_csv(seed003, out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


# -- JSON: numbers as numbers ------------------------------------------------------------------------

JSON_SCORECARD = """\
[scorecard]
name = "JSON check"
version = "1"

[[criteria]]
id = "size"
label = "Company size"
category = "firmographic"
field = "employees"
buckets = [{ gte = 200, lte = 2000, points = 20 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "industry"
label = "Industry"
category = "firmographic"
field = "industry"
weight = 1.5
buckets = [{ in = ["SaaS"], points = 10 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "growth"
label = "Growth"
category = "firmographic"
field = "growth_rate"
buckets = [{ gte = 0.2, points = 10 }, { lt = 0.2, points = 0 }]

[[criteria]]
id = "intent"
label = "Intent"
category = "buying_signal"
field = "intent_score"
buckets = [{ gte = 70, points = 10 }, { lt = 70, points = 0 }]

[[exclusions]]
name = "Existing customer"
reason = "Already buys from us."
conditions = ["customer is true"]
"""
JSON_ACCOUNTS = ("account_id,name,employees,annual_revenue,industry,growth_rate,intent_score,customer,notes\n"
                 '001,Acme Robotics,"1,200",$32.7M,SaaS,12%,80,no,=1+2\n'
                 "002,Globex,n/a,tbd,Retail,-5%,,yes,\n")
# Fit: 45 points (size 20, industry 10 x 1.5 = 15, growth 10). 001: 20 + 15 + 0 = 35 of 45 = 77.8 (Good fit,
# 70-85), intent 80 gives timing 10 of 10 = 100.0, every criterion known (coverage 1.0). 002: excluded (a
# customer), employees n/a and intent missing are unknown: 25 of the 55 points are known (industry 15,
# growth 10), coverage 25/55 = 0.4545 -> 0.45; fit 0 of 45 = 0.0, timing 0.0 (its one criterion unknown).
# Grades (default bands A-E, timing bands 60/30/0): 001 Good fit = B, timing 100 >= 60 = 1: "B1"; 002 excluded: "X".
# No qualification criterion: null. Inputs: employees "1,200" -> 1200, annual_revenue (a numeric field,
# though no criterion reads it) "$32.7M" -> 32700000 (read as 32700000.000000004:
# written to 12 significant digits) and "tbd" -> null, growth "12%" -> 0.12, intent 80 and
# missing -> null; customer, read as yes/no by the exclusion: false, true; the rest text as written.
JSON_EXPECTED = [
    {"account_id": "001", "name": "Acme Robotics", "employees": 1200, "annual_revenue": 32700000, "industry": "SaaS",
     "growth_rate": 0.12, "intent_score": 80, "customer": False, "notes": "=1+2",
     "fit_score": 77.8, "band": "Good fit", "tier": "Tier 2", "grade": "B1",
     "action": "Pursue actively; watch for buying signals",
     "timing_score": 100.0, "qualification_score": None,
     "reasons": "Company size: 200 to 2,000 (+20); Industry: SaaS (+15); Intent: ≥ 70 (+10)",
     "anti_personas": "", "closer_to_anti_persona": False, "excluded": "", "coverage": 1.0, "unknown_criteria": "",
     "points_size": 20, "points_industry": 15, "points_growth": 0, "points_intent": 10},
    {"account_id": "002", "name": "Globex", "employees": None, "annual_revenue": None, "industry": "Retail",
     "growth_rate": -0.05, "intent_score": None, "customer": True, "notes": "",
     "fit_score": 0.0, "band": "Poor fit", "tier": "Excluded", "grade": "X", "action": "Do not pursue: hard exclusion",
     "timing_score": 0.0, "qualification_score": None, "reasons": "", "anti_personas": "",
     "closer_to_anti_persona": False, "excluded": "Existing customer", "coverage": 0.45, "unknown_criteria": "size, intent",
     "points_size": 0, "points_industry": 0, "points_growth": 0, "points_intent": 0},
]


@pytest.fixture
def json_files(tmp_path):
    (tmp_path / "sc.toml").write_text(JSON_SCORECARD, encoding="utf-8")
    (tmp_path / "accounts.csv").write_text(JSON_ACCOUNTS, encoding="utf-8")
    return tmp_path


def test_json_writes_numbers_as_numbers(json_files):
    accounts = read_accounts(json_files / "accounts.csv")
    sc = ScorecardFile.open(json_files / "sc.toml").scorecard
    assert accounts.numbers("annual_revenue").values[0] == 32700000.000000004  # 32.7 x 1e6, as floats go
    write_json(scored_table(accounts, Scorer(accounts).score(sc), typed=True), json_files / "s.json")
    text = (json_files / "s.json").read_text(encoding="utf-8")
    # the exact text: 1200 and 32700000 whole, 77.8 and 0.12 with decimals, null, true/false
    assert text == json.dumps(JSON_EXPECTED, ensure_ascii=False) + "\n"
    assert '"employees": 1200, "annual_revenue": 32700000,' in text
    assert '"fit_score": 77.8,' in text and '"qualification_score": null,' in text and '"customer": true,' in text


def test_icp_score_format_json(json_files, capsys):
    from icp_tui.cli.main import main

    assert main(["score", str(json_files / "accounts.csv"), "-s", str(json_files / "sc.toml"), "--format", "json"]) == 0
    out = capsys.readouterr().out
    assert out == json.dumps(JSON_EXPECTED, ensure_ascii=False) + "\n"
    # -o with .json is JSON too; the CSV keeps every cell as written
    assert main(["score", str(json_files / "accounts.csv"), "-s", str(json_files / "sc.toml"), "-o",
                 str(json_files / "out.json")]) == 0
    assert json.loads((json_files / "out.json").read_text(encoding="utf-8")) == JSON_EXPECTED
    assert main(["score", str(json_files / "accounts.csv"), "-s", str(json_files / "sc.toml")]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[1][:9] == ["001", "Acme Robotics", "1,200", "$32.7M", "SaaS", "12%", "80", "no", "'=1+2"]
    assert rows[1][9] == "77.8" and rows[2][2:4] == ["n/a", "tbd"]


def test_write_json_nan_is_null(tmp_path):
    write_json(pa.table({"x": pa.array([1.5, float("nan"), None], pa.float64()), "t": ["a", "b", "c"]}), tmp_path / "n.json")
    assert (tmp_path / "n.json").read_text(encoding="utf-8") == (
        '[{"x": 1.5, "t": "a"}, {"x": null, "t": "b"}, {"x": null, "t": "c"}]\n')
