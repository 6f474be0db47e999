"""The priority grade: fit band letter x timing band digit, hand-computed on a tiny scorecard."""

from __future__ import annotations

import pytest
import tomlkit

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.scorecard.file import DEFAULT_TIMING_BANDS, ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.scoring import Scorer

# One fit criterion and one timing criterion, each with a best bucket of 100 points, so that each
# score is the bucket's points (points / 100 x 100). Bands 85/70/55/40 (nothing from 0: below 40 is
# no band); timing bands by default 60 Now (1), 30 Soon (2), 0 Later (3).
TINY = """
[[criteria]]
id = "fitpts"
category = "firmographic"
field = "fitcat"
buckets = [
  { in = ["top"], points = 100 }, { in = ["a"], points = 88 }, { in = ["b"], points = 85 },
  { in = ["c"], points = 84.9 }, { in = ["d"], points = 70 }, { in = ["e"], points = 39.9 },
]

[[criteria]]
id = "signal"
category = "buying_signal"
field = "signal"
buckets = [
  { in = ["hot"], points = 100 }, { in = ["warm"], points = 70 }, { in = ["w60"], points = 60 },
  { in = ["w59"], points = 59.9 }, { in = ["w30"], points = 30 }, { in = ["cold"], points = 0 },
]

[[bands]]
min = 85
label = "Strong"

[[bands]]
min = 70
label = "Good"

[[bands]]
min = 55
label = "Possible"

[[bands]]
min = 40
label = "Weak"

[[exclusions]]
name = "Customer"
conditions = ["type = Customer"]
"""

ROWS = [  # fitcat, signal, type -> fit, timing -> grade
    ("a", "warm", "", "A1"),  # 88 >= 85: A; 70 >= 60: 1
    ("b", "w60", "", "A1"),  # exactly 85 and exactly 60: the band's min is in the band
    ("c", "w59", "", "B2"),  # 84.9 < 85: B (70-84.9); 59.9 < 60: 2 (30-59.9)
    ("d", "w30", "", "B2"),  # exactly 70: B; exactly 30: 2
    ("d", "cold", "", "B3"),  # timing 0: 3 (Later)
    ("a", "", "", "A?"),  # no timing data at all (the signal is unknown): the letter and ?
    ("e", "hot", "", ""),  # 39.9 is below the lowest band (40): no band, no grade
    ("a", "hot", "Customer", "X"),  # a hard exclusion is X whatever the scores (A1 otherwise)
    ("e", "", "Customer", "X"),
]


def _score(tmp_path, toml: str, rows):
    (tmp_path / "a.csv").write_text("name,fitcat,signal,type\n" + "".join(
        f"acc{i},{f},{s},{t}\n" for i, (f, s, t, *_rest) in enumerate(rows)), encoding="utf-8")
    _, sc = parse_scorecard(toml, "tiny.toml")
    accounts = read_accounts(tmp_path / "a.csv")
    return accounts, sc, Scorer(accounts).score(sc)


def test_hand_computed_grades(tmp_path):
    _, _, r = _score(tmp_path, TINY, ROWS)
    assert r.fit.tolist() == [88.0, 85.0, 84.9, 70.0, 70.0, 88.0, 39.9, 88.0, 39.9]
    assert r.timing.tolist() == [70.0, 60.0, 59.9, 30.0, 0.0, 0.0, 100.0, 100.0, 0.0]
    assert [r.grades[i] for i in range(r.n)] == [row[3] for row in ROWS]
    # codes sort by priority: per letter the digits 1-3 then ?, then no grade, then X
    assert r.grades.texts == ["A1", "A2", "A3", "A?", "B1", "B2", "B3", "B?", "C1", "C2", "C3", "C?",
                              "D1", "D2", "D3", "D?", "", "X"]
    assert r.grades.code.tolist() == [0, 0, 5, 5, 6, 3, 16, 17, 17]
    assert r.grades.counts() == [("A1", 2), ("A?", 1), ("B2", 2), ("B3", 1), ("none", 1), ("X", 2)]


def test_without_timing_criteria_the_grade_is_the_letter(tmp_path):
    no_timing = TINY.replace('category = "buying_signal"', 'category = "qualification"')
    _, _, r = _score(tmp_path, no_timing, ROWS)
    assert [r.grades[i] for i in range(r.n)] == ["A", "A", "B", "B", "B", "A", "", "X", "X"]


def test_a_timing_criterion_of_weight_zero_counts_as_no_timing(tmp_path):
    zero = TINY.replace('field = "signal"\n', 'field = "signal"\nweight = 0\n')
    _, _, r = _score(tmp_path, zero, ROWS)
    assert [r.grades[i] for i in range(r.n)][:3] == ["A", "A", "B"]


def test_own_timing_bands(tmp_path):
    two = TINY + '\n[[timing_bands]]\nmin = 0\nlabel = "Cold"\n\n[[timing_bands]]\nmin = 50\nlabel = "Hot"\n'
    _, sc, r = _score(tmp_path, two, ROWS)
    assert [b.label for b in sc.timing_bands] == ["Cold", "Hot"]  # file order; the digits go highest first
    # 70, 60, 59.9 >= 50: 1; 30, 0: 2; unknown: ?
    assert [r.grades[i] for i in range(r.n)] == ["A1", "A1", "B1", "B2", "B2", "A?", "", "X", "X"]


def test_default_timing_bands():
    _, sc = parse_scorecard(TINY, "tiny.toml")
    assert sc.timing_bands == DEFAULT_TIMING_BANDS
    assert [(b.min, b.label) for b in DEFAULT_TIMING_BANDS] == [(60, "Now"), (30, "Soon"), (0, "Later")]


def test_sample_grades_add_up(sample_dir):
    sf = ScorecardFile.open(sample_dir / "scorecard.toml")
    r = Scorer(read_accounts(sample_dir / "accounts.csv", sf.scorecard.column_map)).score(sf.scorecard)
    counts = dict(r.grades.counts())
    assert counts["X"] == 206 == int(r.is_excluded.sum())
    assert counts["A1"] == 110  # Strong fit (85+) and timing 60+ (surging intent, or some intent and Series A-C)
    assert sum(counts.values()) == 2000
    assert "none" not in counts  # the sample's lowest band starts at 0: every scored account has a letter


@pytest.mark.parametrize("extra, expected", [
    ('[[timing_bands]]\nmin = 50\nlabel = "Hot"\n\n[[timing_bands]]\nmin = 10\nlabel = "Cool"\n',
     "t.toml:6: timing_bands[2].min: the lowest timing band must start at 0, not 10, so that every account gets a "
     "timing digit"),
    ('[[timing_bands]]\nmn = 0\nlabel = "x"\n', "t.toml:2: timing_bands[1].mn: is not a key here (did you mean 'min'?)"),
    ('[[timing_bands]]\nlabel = "x"\n', "t.toml:1: timing_bands[1]: 'min' is missing (the lowest timing score in the "
                                        "band, 0-100)"),
    ('[[timing_bands]]\nmin = 120\nlabel = "x"\n', "t.toml:2: timing_bands[1].min: 120 is outside 0-100"),
    ('[[timing_bands]]\nmin = 0\n', "t.toml:1: timing_bands[1]: 'label' is missing"),
    ('[[timing_bands]]\nmin = 0\nlabel = "a"\n\n[[timing_bands]]\nmin = 0\nlabel = "b"\n',
     "t.toml:6: timing_bands[2].min: another timing band starts at 0"),
    ("".join(f'[[timing_bands]]\nmin = {k * 10}\nlabel = "t{k}"\n\n' for k in range(10)),
     "t.toml:37: timing_bands[10]: is one timing band too many: at most 9 (one grade digit each)"),
])
def test_timing_band_errors(extra, expected):
    base = '[[criteria]]\nid = "a"\ncategory = "firmographic"\nfield = "x"\nbuckets = [{ gte = 1, points = 5 }]\n'
    with pytest.raises(ScorecardError) as exc:
        parse_scorecard(extra + "\n" + base, "t.toml")
    assert str(exc.value) == expected


def test_timing_bands_round_trip_with_comments(tmp_path):
    text = TINY + '\n# when to call\n[[timing_bands]]\nmin = 50  # half the signals\nlabel = "Hot"\n\n' \
                  '[[timing_bands]]\nmin = 0\nlabel = "Cold"\naction = "Nurture"\n'
    path = tmp_path / "sc.toml"
    path.write_text(text, encoding="utf-8")
    sf = ScorecardFile.open(path)
    assert [(b.min, b.label, b.action) for b in sf.scorecard.timing_bands] == [(50, "Hot", ""), (0, "Cold", "Nurture")]
    sf.doc["timing_bands"][0]["min"] = 55
    sf.save()
    saved = path.read_text(encoding="utf-8")
    assert saved == text.replace("min = 50  #", "min = 55  #")
    assert tomlkit.parse(saved)["timing_bands"][0]["min"] == 55


def test_sql_gives_the_same_grades(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    from sql_checks import assert_same_as_engine

    from icp_tui.engine.scorecard.sql import compile_duckdb, sql_input_table

    for toml in (TINY, TINY.replace('category = "buying_signal"', 'category = "qualification"')):
        accounts, sc, r = _score(tmp_path, toml, ROWS)
        table = sql_input_table(accounts, sc)
        con = duckdb.connect()
        con.register("accounts", table)
        out = con.sql(compile_duckdb(sc, set(table.column_names))).to_arrow_table()
        assert_same_as_engine(lambda name, out=out: out.column(name).to_pylist(), r)
    assert out.column("grade").to_pylist() == ["A", "A", "B", "B", "B", "A", None, "X", "X"]


def test_editor_writes_the_default_timing_bands_then_edits_one(tmp_path):
    from icp_tui.engine.scorecard.editing import ScorecardEditor

    path = tmp_path / "sc.toml"
    path.write_text(TINY, encoding="utf-8")
    ed = ScorecardEditor.open(path)
    assert ed.set_timing_band(1, min=25, label="Soon") is True  # the label is unchanged; min 30 -> 25
    assert [(b.min, b.label) for b in ed.scorecard.timing_bands] == [(60, "Now"), (25, "Soon"), (0, "Later")]
    text = ed.file.as_string()
    # the defaults are written after the [[bands]], before the [[exclusions]], with the one change
    assert text.index("[[timing_bands]]") > text.rindex("[[bands]]") and text.index("[[timing_bands]]") < text.index("[[exclusions]]")
    assert '[[timing_bands]]\nmin = 25\nlabel = "Soon"\naction = "Warm up: sequence it and watch for a stronger signal"\n' in text
    pos = ed.add_timing_band(0)  # between Now (60) and Soon (25): floor((60 + 25) / 2) = 42
    assert pos == 1 and (ed.scorecard.timing_bands[1].min, ed.scorecard.timing_bands[1].label) == (42, "New timing band")
    ed.delete_timing_band(1)
    assert [b.min for b in ed.scorecard.timing_bands] == [60, 25, 0]
    pos = ed.add_timing_band(2)  # after Later (0): nothing starts below 0, so above it, floor((25 + 0) / 2) = 12
    assert pos == 2 and [b.min for b in ed.scorecard.timing_bands] == [60, 25, 12, 0]
    ed.undo()
    with pytest.raises(ScorecardError, match="the lowest timing band must start at 0, not 5"):
        ed.set_timing_band(2, min=5)
    assert [b.min for b in ed.scorecard.timing_bands] == [60, 25, 0]  # the failed edit changed nothing
    ed.undo()
    ed.undo()
    ed.undo()
    assert ed.file.as_string() == TINY  # three undos: back to the file as it was, without [[timing_bands]]


def test_negative_buying_signals_are_the_lowest_timing_band_not_unknown(tmp_path):
    # a known signal worth -20 points gives timing -20 (below the lowest band's min 0): digit 3, "Later";
    # "?" stays for an account with no signal known at all
    neg = TINY.replace('{ in = ["cold"], points = 0 },', '{ in = ["cold"], points = 0 }, { in = ["churny"], points = -20 },')
    rows = [("a", "churny", "", "A3"), ("a", "", "", "A?"), ("a", "hot", "", "A1")]
    accounts, sc, r = _score(tmp_path, neg, rows)
    assert r.timing.tolist() == [-20.0, 0.0, 100.0]
    assert [r.grades[i] for i in range(r.n)] == ["A3", "A?", "A1"]
    duckdb = pytest.importorskip("duckdb")
    from icp_tui.engine.scorecard.sql import compile_duckdb, sql_input_table

    table = sql_input_table(accounts, sc)
    con = duckdb.connect()
    con.register("accounts", table)
    assert con.sql(compile_duckdb(sc, set(table.column_names))).to_arrow_table().column("grade").to_pylist() == \
        ["A3", "A?", "A1"]
