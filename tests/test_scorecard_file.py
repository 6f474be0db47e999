"""The scorecard as a file: load errors (file, line, key path), the model, byte-exact round trips.

Line numbers refer to sample_data/scorecard.toml or to the texts written below; each was counted
by hand (the `_edit` helper re-checks that the edited line is where the test says it is).
"""

from __future__ import annotations

import difflib
import os
import stat
from pathlib import Path

import pytest

from icp_tui.engine.core.conditions import Matcher
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.scorecard.file import DEFAULT_BANDS, ScorecardFile, load_scorecard, parse_scorecard

SAMPLE = Path(__file__).resolve().parents[1] / "sample_data" / "scorecard.toml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")


def _edit(tmp_path, line: int, old: str, new: str, name: str = "scorecard.toml") -> Path:
    """The sample with ``old`` replaced by ``new`` on 1-based ``line``, written to tmp_path."""
    lines = SAMPLE_TEXT.splitlines(keepends=True)
    assert old in lines[line - 1], f"sample line {line} is {lines[line - 1]!r}"
    lines[line - 1] = lines[line - 1].replace(old, new)
    p = tmp_path / name
    p.write_text("".join(lines), encoding="utf-8")
    return p


def load_error(path) -> ScorecardError:
    with pytest.raises(ScorecardError) as exc:
        ScorecardFile.open(path)
    return exc.value


# ---------------------------------------------------------------------------------------------
# load errors in the sample scorecard


def test_bucket_lower_bound_above_upper(tmp_path):
    p = _edit(tmp_path, 27, '{ gte = 50, lt = 200, points = 5, label = "50-199 employees" }', "{ gte = 2000, lt = 200, points = 5 }")
    e = load_error(p)
    assert str(e) == f"{p}:27: criteria[1].buckets[2]: lower bound 2,000 is above upper bound 200"
    assert (e.file, e.line, e.key, e.message) == (str(p), 27, "criteria[1].buckets[2]", "lower bound 2,000 is above upper bound 200")


def test_unknown_category(tmp_path):
    p = _edit(tmp_path, 89, '"geographic"', '"geography"')
    assert str(load_error(p)) == (
        f"{p}:89: criteria[6].category: 'geography' is not a category "
        "(use one of: firmographic, technographic, geographic, use_case, buying_signal, qualification)"
    )


def test_duplicate_id(tmp_path):
    p = _edit(tmp_path, 99, 'id = "use_case"', 'id = "revenue"')
    assert str(load_error(p)) == f"{p}:99: criteria[7].id: id 'revenue' is used twice"


def test_missing_points(tmp_path):
    p = _edit(tmp_path, 68, "points = 2, ", "")
    assert str(load_error(p)) == f"{p}:68: criteria[4].buckets[2]: has no points"


def test_negative_weight(tmp_path):
    p = _edit(tmp_path, 79, "weight = 1", "weight = -1")
    assert str(load_error(p)) == f"{p}:79: criteria[5].weight: must be zero or more"


def test_band_min_outside_range(tmp_path):
    p = _edit(tmp_path, 165, "min = 55", "min = 155")
    assert str(load_error(p)) == f"{p}:165: bands[3].min: 155 is outside 0-100"


def test_bad_condition_in_anti_persona(tmp_path):
    p = _edit(tmp_path, 207, "industry in [Agency, Consulting]", "industry within [Agency, Consulting]")
    assert str(load_error(p)) == (
        f"{p}:207: anti_personas[3].conditions[1]: column 25: cannot read condition 'industry within [Agency, Consulting]': "
        "write FIELD OP VALUE, e.g. \"employees < 50\", \"industry in [Retail, Manufacturing]\", "
        "\"tech_stack contains Salesforce\", \"country is missing\" ('within' is not an operator)"
    )


def test_bad_match_in_anti_persona(tmp_path):
    p = _edit(tmp_path, 206, 'match = "any"', 'match = "some"')
    assert str(load_error(p)) == f"{p}:206: anti_personas[3].match: must be 'all' or 'any', not 'some'"


def test_bad_condition_in_exclusion(tmp_path):
    p = _edit(tmp_path, 214, "account_type = Customer", "account_type is Customer")
    assert str(load_error(p)) == (
        f"{p}:214: exclusions[1].conditions[1]: 'account_type is Customer': 'is' takes true or false"
    )


def test_bad_condition_on_its_own_line(tmp_path):
    p = _edit(tmp_path, 200, '"growth_rate < 0.05"', '"growth_rate < lots"')
    assert str(load_error(p)) == f"{p}:200: anti_personas[2].conditions[2]: 'growth_rate < lots': 'lots' is not a number"


def test_unknown_unit_names_the_key(tmp_path):
    lines = SAMPLE_TEXT.splitlines(keepends=True)
    assert lines[12:14] == ["[import.columns]\n", '"Type" = "account_type"\n']
    lines[12:14] = ["[import.units]\n", 'annual_revenue = "gazillions"\n']
    p = tmp_path / "scorecard.toml"
    p.write_text("".join(lines), encoding="utf-8")
    e = load_error(p)
    assert (e.key, e.message) == (
        "import.units.annual_revenue", "unknown unit 'gazillions' (use one of: thousands, millions, billions, percent)")


def test_unknown_unit_line(tmp_path):
    lines = SAMPLE_TEXT.splitlines(keepends=True)
    lines[12:14] = ["[import.units]\n", 'annual_revenue = "gazillions"\n']
    p = tmp_path / "scorecard.toml"
    p.write_text("".join(lines), encoding="utf-8")
    assert load_error(p).line == 14


def test_brace_in_a_comment_does_not_shift_bucket_lines(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(
        "[[criteria]]\n"
        'id = "industry"\n'
        'category = "firmographic"\n'
        'field = "industry"\n'
        "buckets = [\n"
        '  { in = ["SaaS"], points = 10 },  # was { in = ["Software"], points = 10 }\n'  # 6
        '  { in = ["Retail"], points = 5 },\n'                                            # 7
        "  { gte = 5, lt = 1, points = 1 },\n"                                            # 8
        "]\n",
        encoding="utf-8",
    )
    assert str(load_error(p)) == f"{p}:8: criteria[1].buckets[3]: lower bound 5 is above upper bound 1"


# ---------------------------------------------------------------------------------------------
# load errors in small texts

BASE = '[[criteria]]\nid = "a"\ncategory = "firmographic"\nfield = "x"\n'  # lines 1-4


@pytest.mark.parametrize(
    "text, expected",
    [
        ('[scorecard]\nname = "x"\n', "t.toml: has no [[criteria]]"),
        (BASE, "t.toml:1: criteria[1]: needs at least one bucket (buckets = [{ ..., points = N }])"),
        (BASE + "buckets = []\n", "t.toml:5: criteria[1].buckets: needs at least one bucket (buckets = [{ ..., points = N }])"),
        (BASE + 'buckets = [{ gte = 1, points = 5, field = "y" }]\n',
         "t.toml:5: criteria[1].buckets[1]: a bucket tests its criterion's field; remove 'field'"),
        (BASE + 'buckets = [{ gte = 1, points = "five" }]\n', "t.toml:5: criteria[1].buckets[1].points: must be a number, not 'five'"),
        (BASE + "buckets = [{ points = 5 }]\n",
         "t.toml:5: criteria[1].buckets[1]: says nothing to match: give a range (gte/gt/lte/lt), a set (in, not_in, "
         "contains_any, contains_all, contains_none), is = true/false, missing = true or otherwise = true"),
        (BASE + "buckets = [5]\n",
         "t.toml:5: criteria[1].buckets[1]: must be a table such as { gte = 200, lte = 2000, points = 20 }"),
        ('[[criteria]]\ncategory = "firmographic"\nfield = "x"\nbuckets = [{ gte = 1, points = 5 }]\n',
         "t.toml:1: criteria[1]: 'id' is missing"),
        ('[[criteria]]\nid = ""\ncategory = "firmographic"\nfield = "x"\nbuckets = [{ gte = 1, points = 5 }]\n',
         "t.toml:2: criteria[1].id: must not be empty"),
        (BASE + 'label = ["a"]\nbuckets = [{ gte = 1, points = 5 }]\n', "t.toml:5: criteria[1].label: must be text, not list"),
        (BASE + "buckets = [{ gte = 1, points = 5 }]\n\n[[bands]]\nlabel = \"x\"\n",
         "t.toml:7: bands[1]: 'min' is missing (the lowest score in the band, 0-100)"),
        (BASE + "buckets = [{ gte = 1, points = 5 }]\n\n[[anti_personas]]\nname = \"n\"\nconditions = []\n",
         't.toml:7: anti_personas[1]: needs conditions = ["field op value", ...]'),
        (BASE + "buckets = [{ gte = 1, points = 5 }]\n\n[[anti_personas]]\nname = \"n\"\nconditions = [{ in = [\"a\"] }]\n",
         "t.toml:9: anti_personas[1].conditions[1]: needs a field"),
        (BASE + "buckets = [{ gte = 1, points = 5 }]\n\n[[exclusions]]\nname = \"n\"\nconditions = [{ field = \"x\", otherwise = true }]\n",
         "t.toml:9: exclusions[1].conditions[1]: otherwise is only for buckets"),
        ('[scorecard]\nfit_categories = ["firmographic", "vibes"]\n\n' + BASE + "buckets = [{ gte = 1, points = 5 }]\n",
         "t.toml:2: scorecard.fit_categories: must list categories from: firmographic, technographic, geographic, "
         "use_case, buying_signal, qualification"),
        ('criteria = "none"\n', "t.toml:1: criteria: must be a list of tables ([[criteria]])"),
    ],
)
def test_loader_errors(text, expected):
    with pytest.raises(ScorecardError) as exc:
        parse_scorecard(text, "t.toml")
    assert str(exc.value) == expected


def test_invalid_toml_syntax(tmp_path):
    p = tmp_path / "syntax.toml"
    p.write_text(BASE + "buckets = [\n  { gte = 1 points = 5 },\n]\n", encoding="utf-8")
    e = load_error(p)
    assert str(e) == f"{p}:6: not valid TOML: Unexpected character: 'p' (column 12)"
    assert (e.line, e.key) == (6, None)


def test_not_utf8(tmp_path):
    p = tmp_path / "latin1.toml"
    p.write_bytes(b'[scorecard]\nname = "Z\xfcrich"\n')  # byte 21 is the latin-1 u-umlaut
    assert str(load_error(p)) == f"{p}:2: is not UTF-8 text (byte 21); save it as UTF-8"


def test_file_not_found(tmp_path):
    p = tmp_path / "nope.toml"
    assert str(load_error(p)) == f"{p}: file not found"


# ---------------------------------------------------------------------------------------------
# the model read from the sample


def test_sample_model():
    sc = load_scorecard(SAMPLE)
    assert (sc.name, sc.version) == ("Starter ICP scorecard", "1.0")
    assert [c.id for c in sc.criteria] == ["company_size", "revenue", "industry", "growth", "tech_stack", "geography",
                                          "use_case", "intent", "funding", "economic_buyer"]
    assert [sc.score_of(c) for c in sc.criteria] == ["fit"] * 7 + ["timing"] * 2 + ["qualification"]
    assert sum(c.max_points for c in sc.criteria if sc.score_of(c) == "fit") == 85.0
    rev = sc.criterion("revenue")
    assert rev.max_points_claim == 20.0
    assert rev.buckets[0].matcher == Matcher("range", "annual_revenue", gte=30e6, lte=500e6)
    assert [b.text for b in rev.buckets] == ["$30M-$500M", "$10M-$30M", "Over $500M", "Under $10M"]
    assert [(b.min, b.label, b.tier) for b in sc.bands] == [(b.min, b.label, b.tier) for b in DEFAULT_BANDS]
    assert sc.bands[1].action == "Pursue actively and watch for buying signals"
    assert sc.column_map == {"Type": "account_type"}
    seed = sc.anti_personas[0]
    assert (seed.name, seed.join, len(seed.conditions)) == ("Seed-stage startup", "all", 3)
    assert seed.conditions[2] == Matcher("range", "annual_revenue", lt=2e6)
    assert [r.name for r in sc.exclusions] == ["Existing customer", "Competitor", "Embargoed country"]
    assert sc.fields()[-1] == "account_type"


# ---------------------------------------------------------------------------------------------
# round trips

ODD = (
    b"# odd spacing, comments at line ends, blank lines, CRLF\r\n"
    b"[scorecard]\r\n"
    b'name   =    "Odd"   # trailing comment\r\n'
    b"\r\n"
    b"\r\n"
    b"[[criteria]]\r\n"
    b'id="revenue"\r\n'
    b'category = "firmographic"  # cat\r\n'
    b'field = "annual_revenue"\r\n'
    b"weight = 1 # keep me\r\n"
    b'buckets = [ { gte = "30M", points = 20 },   # big\r\n'
    b'    {lt="30M",points=0} ]\r\n'
    b"\r\n"
)


def test_sample_saves_byte_for_byte(tmp_path):
    sf = ScorecardFile.open(SAMPLE)
    assert sf.dirty is False
    out = sf.save(tmp_path / "copy.toml")
    assert out == tmp_path / "copy.toml"
    assert out.read_bytes() == SAMPLE.read_bytes()
    assert (sf.path, sf.dirty) == (out, False)


def test_odd_layout_and_crlf_save_byte_for_byte(tmp_path):
    src = tmp_path / "odd.toml"
    src.write_bytes(ODD)
    sf = ScorecardFile.open(src)
    assert sf.scorecard.name == "Odd"
    assert sf.dirty is False
    sf.save(tmp_path / "odd2.toml")
    assert (tmp_path / "odd2.toml").read_bytes() == ODD


def test_set_weight_in_crlf_file_keeps_line_endings_and_comment(tmp_path):
    src = tmp_path / "odd.toml"
    src.write_bytes(ODD)
    sf = ScorecardFile.open(src)
    sf.set_weight("revenue", 2.5)
    sf.save()
    assert src.read_bytes() == ODD.replace(b"weight = 1 # keep me\r\n", b"weight = 2.5 # keep me\r\n")


def test_utf8_bom_file_saves_byte_for_byte(tmp_path):
    data = b"\xef\xbb\xbf" + ODD
    src = tmp_path / "bom.toml"
    src.write_bytes(data)
    sf = ScorecardFile.open(src)
    sf.save(tmp_path / "bom2.toml")
    assert (tmp_path / "bom2.toml").read_bytes() == data


def test_set_weight_changes_exactly_one_line_of_the_sample(tmp_path):
    sf = ScorecardFile.open(SAMPLE)
    sc = sf.set_weight("revenue", 2)
    assert sc.criterion("revenue").weight == 2.0
    assert sf.scorecard is sc
    assert sf.dirty is True
    sf.save(tmp_path / "weighted.toml")
    assert sf.dirty is False
    before = SAMPLE_TEXT.splitlines()
    after = (tmp_path / "weighted.toml").read_text(encoding="utf-8").splitlines()
    diff = [d for d in difflib.unified_diff(before, after, lineterm="", n=0) if not d.startswith(("---", "+++"))]
    assert diff == ["@@ -37 +37 @@", "-weight = 1", "+weight = 2"]
    assert ScorecardFile.open(tmp_path / "weighted.toml").scorecard.criterion("revenue").weight == 2.0


def test_set_weight_keeps_the_comments_around_it(tmp_path):
    text = (
        "[[criteria]]\n"
        'id = "revenue"\n'
        'category = "firmographic"\n'
        'field = "annual_revenue"\n'
        "# doubled after the Q3 review\n"
        "weight = 1  # was 0.5\n"
        "max_points = 20\n"
        'buckets = [{ gte = "30M", points = 20 }, { lt = "30M", points = 0 }]\n'
    )
    p = tmp_path / "w.toml"
    p.write_text(text, encoding="utf-8")
    sf = ScorecardFile.open(p)
    sf.set_weight("revenue", 2)
    sf.save()
    diff = [d for d in difflib.unified_diff(text.splitlines(), p.read_text(encoding="utf-8").splitlines(), lineterm="", n=0)
            if not d.startswith(("---", "+++"))]
    assert diff == ["@@ -6 +6 @@", "-weight = 1  # was 0.5", "+weight = 2  # was 0.5"]


def test_set_weight_same_value_is_not_dirty(tmp_path):
    sf = ScorecardFile.open(SAMPLE)
    sf.set_weight("revenue", 1)
    assert sf.dirty is False


def test_set_weight_unknown_criterion():
    sf = ScorecardFile.open(SAMPLE)
    with pytest.raises(KeyError):
        sf.set_weight("nope", 2)


def test_set_weight_adds_a_missing_weight_inside_its_own_table(tmp_path):
    text = (
        "[[criteria]]\n"
        'id = "size"\n'
        'category = "firmographic"\n'
        'field = "employees"\n'
        "buckets = [{ gte = 10, points = 5 }]\n"
        "\n"
        "# ---- next ----\n"
        "\n"
        "[[criteria]]\n"
        'id = "rev"\n'
        'category = "firmographic"\n'
        'field = "annual_revenue"\n'
        "buckets = [{ gte = 10, points = 5 }]\n"
    )
    p = tmp_path / "nw.toml"
    p.write_text(text, encoding="utf-8")
    sf = ScorecardFile.open(p)
    sf.set_weight("size", 3)
    assert sf.as_string() == text.replace("points = 5 }]\n\n# ----", "points = 5 }]\nweight = 3\n\n# ----", 1)


def test_save_is_atomic_and_keeps_the_mode(tmp_path):
    target = tmp_path / "card.toml"
    target.write_bytes(SAMPLE.read_bytes())
    os.chmod(target, 0o640)
    sf = ScorecardFile.open(target)
    sf.set_weight("growth", 3)
    assert sf.save() == target
    assert sorted(os.listdir(tmp_path)) == ["card.toml"]  # no temp file left behind
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert ScorecardFile.open(target).scorecard.criterion("growth").weight == 3.0


def test_save_into_a_new_folder_leaves_only_the_file(tmp_path):
    sf = ScorecardFile.open(SAMPLE)
    out = sf.save(tmp_path / "new" / "card.toml")
    assert sorted(os.listdir(tmp_path / "new")) == ["card.toml"]
    assert out.read_bytes() == SAMPLE.read_bytes()
