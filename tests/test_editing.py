"""The scorecard editor: bucket test texts, every edit's exact TOML lines, undo/redo, transactions, files.

Edits run on a copy of sample_data/scorecard.toml in tmp_path. A test states the whole edited text as
the sample with (line, lines removed there, lines added) applied (``edited``), so any other change
fails it; ``hunks`` (difflib) lists the changed runs of two texts the same way. Line numbers count
from 1 in the sample (``grep -n "" sample_data/scorecard.toml``).
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from icp_tui.engine.core.conditions import MATCHER_KEYS
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.scorecard.editing import ScorecardEditor, bucket_test_text, parse_bucket_test
from icp_tui.engine.scorecard.file import DEFAULT_BANDS, ScorecardFile, parse_scorecard

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data" / "scorecard.toml"
SAMPLE_TEXT = SAMPLE.read_text(encoding="utf-8")
SCORECARDS = [SAMPLE] + sorted((ROOT / "tests" / "data").glob("*.toml"))


def hunks(old: str, new: str) -> list[tuple[int, list[str], list[str]]]:
    sm = difflib.SequenceMatcher(a=old.splitlines(), b=new.splitlines(), autojunk=False)
    return [(i1 + 1, sm.a[i1:i2], sm.b[j1:j2]) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


def edited(text: str, *changes: tuple[int, list[str], list[str]]) -> str:
    """``text`` with each (1-based line, lines removed there, lines added) applied; the removed lines are checked."""
    lines = text.splitlines(keepends=True)
    for line, removed, added in sorted(changes, reverse=True):
        assert [x.rstrip("\n") for x in lines[line - 1:line - 1 + len(removed)]] == removed, f"line {line}"
        lines[line - 1:line - 1 + len(removed)] = [a + "\n" for a in added]
    return "".join(lines)


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture
def ed(tmp_path) -> ScorecardEditor:
    p = tmp_path / "scorecard.toml"
    shutil.copy(SAMPLE, p)
    return ScorecardEditor.open(p)


def editor_for(tmp_path: Path, text: str, name: str = "scorecard.toml") -> ScorecardEditor:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return ScorecardEditor.open(p)


def is_sample_with(ed: ScorecardEditor, *changes: tuple[int, list[str], list[str]]) -> bool:
    return ed.file.as_string() == edited(SAMPLE_TEXT, *changes)


def lines(start: int, end: int, text: str = SAMPLE_TEXT) -> list[str]:
    return text.splitlines()[start - 1:end]


# ---------------------------------------------------------------------------------------------
# bucket tests as text


def _buckets(path: Path):
    doc, _ = parse_scorecard(path.read_text(encoding="utf-8"), path)
    for c in doc["criteria"]:
        for j, b in enumerate(c["buckets"]):
            yield pytest.param(b, id=f"{path.stem}-{c['id']}-{j + 1}")


@pytest.mark.parametrize("bucket", [b for p in SCORECARDS for b in _buckets(p)])
def test_bucket_text_round_trip(bucket):
    keys = {k: bucket[k].unwrap() if hasattr(bucket[k], "unwrap") else bucket[k] for k in MATCHER_KEYS if k in bucket}
    assert parse_bucket_test(bucket_test_text(bucket)) == keys


def test_bucket_text_of_sample_buckets():
    doc = parse_scorecard(SAMPLE_TEXT)[0]
    texts = {c["id"]: [bucket_test_text(b) for b in c["buckets"]] for c in doc["criteria"]}
    assert texts["company_size"] == [">= 200, <= 2000", ">= 50, < 200", "> 2000, <= 5000", "otherwise"]
    assert texts["revenue"] == [">= 30M, <= 500M", ">= 10M, < 30M", "> 500M", "< 10M"]
    assert texts["growth"] == [">= 0.20", ">= 0.05, < 0.20", "< 0.05"]  # bounds as written
    assert texts["tech_stack"][0] == "contains any Salesforce, Snowflake"
    assert texts["industry"][0] == "in SaaS, FinTech, HealthTech"


@pytest.mark.parametrize("table, text", [
    ({"not_in": ["A", "B"]}, "not in A, B"),
    ({"contains_all": ["X", "Y"]}, "contains all X, Y"),
    ({"contains_none": ["HubSpot"]}, "contains none HubSpot"),
    ({"in": ["Acme, Inc", "Foo"]}, 'in "Acme, Inc", Foo'),
    ({"in": ['Say "hi", then']}, "in 'Say \"hi\", then'"),
    ({"in": "SaaS"}, "in SaaS"),
    ({"is": True}, "is true"),
    ({"is": False}, "is false"),
    ({"missing": True}, "missing"),
    ({"missing": False}, "known"),
    ({"otherwise": True}, "otherwise"),
    ({"lt": 50}, "< 50"),
    ({"gt": 0.05, "lte": "20%"}, "> 0.05, <= 20%"),
])
def test_bucket_text_forms(table, text):
    assert bucket_test_text(table) == text
    keys = parse_bucket_test(text)
    assert keys == ({"in": ["SaaS"]} if table == {"in": "SaaS"} else table)


@pytest.mark.parametrize("text, keys", [
    (">= 200, <= 2000", {"gte": 200, "lte": 2000}),
    ("200 to 2000", {"gte": 200, "lte": 2000}),
    ("200-2000", {"gte": 200, "lte": 2000}),
    ("200 – 2000", {"gte": 200, "lte": 2000}),
    ("between 200 and 2000", {"gte": 200, "lte": 2000}),
    (">=200 <=2000", {"gte": 200, "lte": 2000}),
    ("<= 2000 and >= 200", {"gte": 200, "lte": 2000}),
    ("≥ 5, ≤ 10", {"gte": 5, "lte": 10}),
    ("> 5", {"gt": 5}),
    ("> 5 < 10", {"gt": 5, "lt": 10}),
    ("<= 10%", {"lte": "10%"}),
    (">= 30M", {"gte": "30M"}),
    ("1.2k to 5k", {"gte": "1.2k", "lte": "5k"}),
    (">= 1,200", {"gte": "1,200"}),
    ("< 0.05", {"lt": 0.05}),
    ("-5 - 5", {"gte": -5, "lte": 5}),
    ("in SaaS, FinTech", {"in": ["SaaS", "FinTech"]}),
    ("IN [SaaS, FinTech]", {"in": ["SaaS", "FinTech"]}),
    ('in "Acme, Inc", Foo', {"in": ["Acme, Inc", "Foo"]}),
    ("not in A, B", {"not_in": ["A", "B"]}),
    ("contains Salesforce", {"contains_any": ["Salesforce"]}),
    ("contains any Salesforce, Snowflake", {"contains_any": ["Salesforce", "Snowflake"]}),
    ("is true", {"is": True}),
    ("no", {"is": False}),
    ("is missing", {"missing": True}),
    ("is not missing", {"missing": False}),
    ("known", {"missing": False}),
    ("Otherwise", {"otherwise": True}),
])
def test_parse_bucket_test(text, keys):
    assert parse_bucket_test(text) == keys
    assert type(parse_bucket_test(text).get("gte", 0)) is type(keys.get("gte", 0))  # 200 stays an int


SYNTAX = ("write a range (>= 200, <= 2000 or 200 to 2000), a set (in SaaS, FinTech; contains any Salesforce), "
          "is true, missing, known or otherwise")


@pytest.mark.parametrize("text, message", [
    (">= abc", "cannot read '>= abc': 'abc' is not a number"),
    ("between a and 5", "cannot read 'between a and 5': 'a' is not a number"),
    (">= 2000, <= 200", "'>= 2000, <= 200': lower bound 2,000 is above upper bound 200"),
    ("> 5, <= 5", "'> 5, <= 5': range around 5 is empty"),
    ("> 5 >= 6", "cannot read '> 5 >= 6': it has two lower bounds"),
    (">=", "cannot read '>=': a number must follow '>='"),
    ("in ,", "cannot read 'in ,': ',': has an empty value"),
    ("", f"the test is empty: {SYNTAX}"),
    ("200", f"cannot read '200': {SYNTAX}"),
    ("employees >= 200", f"cannot read 'employees >= 200': {SYNTAX}"),
    ("is maybe", f"cannot read 'is maybe': {SYNTAX}"),
])
def test_parse_bucket_test_errors(text, message):
    with pytest.raises(ScorecardError) as exc:
        parse_bucket_test(text)
    assert str(exc.value) == message and exc.value.file is None


# ---------------------------------------------------------------------------------------------
# criteria


def test_set_weight_changes_one_line_and_the_model(ed):
    assert ed.set_weight("company_size", 2) is True
    assert is_sample_with(ed, (23, ["weight = 1"], ["weight = 2"]))
    assert ed.scorecard.criterion("company_size").max_points == 40
    assert ed.dirty and ed.can_undo and not ed.can_redo and ed.history_size == 1
    assert ed.undo() == "weight of Company size 1 → 2"
    assert ed.file.as_string() == SAMPLE_TEXT and not ed.dirty


def test_set_weight_fraction_and_no_op(ed):
    ed.set_weight("revenue", 1.5)
    assert is_sample_with(ed, (37, ["weight = 1"], ["weight = 1.5"]))
    assert ed.set_weight("revenue", 1.5) is False and ed.history_size == 1


def test_set_weight_adds_the_key_among_the_criterion_keys(tmp_path):
    ed = editor_for(tmp_path, SEED)
    ed.set_weight("size", 2)
    assert ed.file.as_string() == edited(SEED, (13, [], ["weight = 2"]))  # after field, before max_points
    assert ed.set_weight("revenue", 1) is False  # the default: nothing written


def test_set_weights_is_one_undo_step(ed):
    assert ed.set_weights({"company_size": 2, "industry": 0.5}, "apply the suggested weights")
    assert is_sample_with(ed, (23, ["weight = 1"], ["weight = 2"]), (51, ["weight = 1"], ["weight = 0.5"]))
    assert ed.history_size == 1
    assert ed.undo() == "apply the suggested weights"
    assert ed.file.as_string() == SAMPLE_TEXT


def test_set_criterion_keys(ed):
    ed.set_criterion("revenue", label="Revenue", field="revenue_usd")
    assert is_sample_with(ed, (34, ['label = "Annual revenue"'], ['label = "Revenue"']),
                           (36, ['field = "annual_revenue"'], ['field = "revenue_usd"']))
    c = ed.scorecard.criterion("revenue")
    assert (c.label, c.field) == ("Revenue", "revenue_usd")
    # the screen sends every key: unchanged ones write nothing
    assert ed.set_criterion("revenue", id="revenue", label="Revenue", category="firmographic", field="revenue_usd") is False


def test_set_criterion_max_points_and_clearing_it(ed):
    ed.set_criterion("company_size", max_points=40)
    assert is_sample_with(ed, (24, ["max_points = 20"], ["max_points = 40"]))
    ed.set_criterion("company_size", clear_max_points=True)
    assert is_sample_with(ed, (24, ["max_points = 20"], []))
    assert ed.scorecard.criterion("company_size").max_points_claim is None
    ed.set_criterion("tech_stack", max_points=5)  # a new key goes after weight, before buckets
    assert is_sample_with(ed, (24, ["max_points = 20"], []), (80, [], ["max_points = 5"]))


def test_set_criterion_rename_id_and_clear_label(ed):
    ed.set_criterion("growth", id="growth_rate", label="")
    assert is_sample_with(ed, (60, ['id = "growth"', 'label = "Revenue growth"'], ['id = "growth_rate"']))
    assert ed.scorecard.criterion("growth_rate").label == "growth_rate"  # the label defaults to the id
    with pytest.raises(ScorecardError, match="id 'revenue' is already used by another criterion"):
        ed.set_criterion("industry", id="revenue")


def test_bad_edit_is_rolled_back_with_the_loader_words(ed):
    ed.set_weight("company_size", 2)
    before = ed.file.as_string()
    with pytest.raises(ScorecardError) as exc:
        ed.set_criterion("company_size", category="geography")
    assert str(exc.value).startswith(f"{ed.file.path}:21: criteria[1].category: 'geography' is not a category")
    assert ed.file.as_string() == before and ed.history_size == 1
    assert ed.scorecard.criterion("company_size").category == "firmographic"
    with pytest.raises(ScorecardError, match=r"bands\[3\].min: 150 is outside 0-100"):
        ed.set_band(2, min=150)
    assert ed.file.as_string() == before
    ed.set_weight("company_size", 3)  # the editor still works
    assert ed.history_size == 2


def test_add_criterion_after_one_keeps_the_section_comment_below(ed):
    assert ed.add_criterion("growth", "ad_spend", "Ad spend", "firmographic", "ad_spend") == 4
    assert is_sample_with(ed, (71, [], ["", "[[criteria]]", 'id = "ad_spend"', 'label = "Ad spend"', 'category = "firmographic"',
                                        'field = "ad_spend"', "weight = 1", "buckets = [",
                                        "  { otherwise = true, points = 0 },", "]"]))
    assert [c.id for c in ed.scorecard.criteria][3:6] == ["growth", "ad_spend", "tech_stack"]
    assert comments(ed.file.as_string()) == comments(SAMPLE_TEXT)
    with pytest.raises(ScorecardError, match="id 'revenue' is already used"):
        ed.add_criterion(None, "revenue", "Revenue", "firmographic", "x")
    assert ed.add_criterion(None, "last", "", "use_case", "x") == 11
    assert ed.file.as_string().split("# ---- Score bands")[0].endswith(
        '[[criteria]]\nid = "last"\ncategory = "use_case"\nfield = "x"\nweight = 1\n'
        "buckets = [\n  { otherwise = true, points = 0 },\n]\n\n")


def test_delete_criterion_keeps_the_comments_around_it(ed):
    ed.delete_criterion("growth")
    assert is_sample_with(ed, (58, lines(58, 70), []))  # the blank line before it and its lines
    assert lines(58, 70)[:3] == ["", "[[criteria]]", 'id = "growth"'] and lines(58, 70)[-1] == "]"
    assert comments(ed.file.as_string()) == comments(SAMPLE_TEXT)
    ed.delete_criterion("company_size")  # the first one
    assert is_sample_with(ed, (18, lines(18, 31), []), (58, lines(58, 70), []))
    assert [c.id for c in ed.scorecard.criteria][:2] == ["revenue", "industry"]
    assert comments(ed.file.as_string()) == comments(SAMPLE_TEXT)


def test_delete_the_only_criterion_is_refused(tmp_path):
    ed = editor_for(tmp_path, '[[criteria]]\nid = "a"\ncategory = "firmographic"\nfield = "f"\nbuckets = [{ otherwise = true, points = 1 }]\n')
    with pytest.raises(ScorecardError, match="cannot delete the only criterion"):
        ed.delete_criterion("a")
    with pytest.raises(ScorecardError, match="there is no criterion 'b'"):
        ed.delete_criterion("b")


MOVES = '''[scorecard]
name = "Moves"

# ---- Section A

[[criteria]]
id = "a"
category = "firmographic"
field = "fa"
buckets = [{ otherwise = true, points = 1 }]

# about b: right above its header, so it moves with b
[[criteria]]  # b's header comment
id = "b"
# inside b
category = "firmographic"
field = "fb"  # fb
buckets = [{ otherwise = true, points = 2 }]

# ---- Section C

[[criteria]]
id = "c"
category = "firmographic"
field = "fc"
buckets = [{ otherwise = true, points = 3 }]
'''


def test_move_criterion_takes_its_own_comments_and_leaves_section_comments(tmp_path):
    ed = editor_for(tmp_path, MOVES)
    assert ed.move_criterion("b", -1) == 0
    assert ed.file.as_string() == '''[scorecard]
name = "Moves"

# ---- Section A

# about b: right above its header, so it moves with b
[[criteria]]  # b's header comment
id = "b"
# inside b
category = "firmographic"
field = "fb"  # fb
buckets = [{ otherwise = true, points = 2 }]

[[criteria]]
id = "a"
category = "firmographic"
field = "fa"
buckets = [{ otherwise = true, points = 1 }]

# ---- Section C

[[criteria]]
id = "c"
category = "firmographic"
field = "fc"
buckets = [{ otherwise = true, points = 3 }]
'''
    assert [c.id for c in ed.scorecard.criteria] == ["b", "a", "c"]
    assert ed.move_criterion("b", -1) == 0 and ed.history_size == 1  # already first: nothing
    assert ed.move_criterion("b", 1) == 1
    assert ed.file.as_string() == MOVES  # and back, byte for byte
    ed.move_criterion("c", -1)  # past b: the section heading stays, b's own comment goes with b
    assert ed.file.as_string() == MOVES.split("[[criteria]]\nid = \"a\"")[0] + '''[[criteria]]
id = "a"
category = "firmographic"
field = "fa"
buckets = [{ otherwise = true, points = 1 }]

[[criteria]]
id = "c"
category = "firmographic"
field = "fc"
buckets = [{ otherwise = true, points = 3 }]

# ---- Section C

# about b: right above its header, so it moves with b
[[criteria]]  # b's header comment
id = "b"
# inside b
category = "firmographic"
field = "fb"  # fb
buckets = [{ otherwise = true, points = 2 }]
'''
    assert [c.id for c in ed.scorecard.criteria] == ["a", "c", "b"]


def test_tomlkit_alone_would_move_the_wrong_comments():
    """Why moves work on text: tomlkit files a comment above a header under the table before it."""
    import tomlkit

    doc = tomlkit.parse(MOVES)
    b = doc["criteria"][1]
    del doc["criteria"][1]
    doc["criteria"].insert(0, b)
    text = doc.as_string()
    assert "# about b: right above its header, so it moves with b\n[[criteria]]\nid = \"c\"" in text  # left behind
    assert 'buckets = [{ otherwise = true, points = 2 }]\n\n# ---- Section C\n\n[[criteria]]\nid = "a"' in text  # taken along


def test_move_criterion_in_the_sample(ed):
    ed.move_criterion("tech_stack", -1)
    assert [c.id for c in ed.scorecard.criteria][3:5] == ["tech_stack", "growth"]
    assert comments(ed.file.as_string()) == comments(SAMPLE_TEXT)  # the section headings stay in place
    assert ed.move_criterion("economic_buyer", 1) == 9 and ed.history_size == 1
    ed.undo()
    assert ed.file.as_string() == SAMPLE_TEXT


# ---------------------------------------------------------------------------------------------
# buckets


def test_set_bucket_rewrites_one_line(ed):
    ed.set_bucket("company_size", 1, test="50 to 199", points=6, label="")
    assert is_sample_with(ed, (27, ['  { gte = 50, lt = 200, points = 5, label = "50-199 employees" },'],
                            ["  { gte = 50, lte = 199, points = 6 },"]))
    b = ed.scorecard.criterion("company_size").buckets[1]
    assert (b.matcher.gte, b.matcher.lte, b.points, b.label) == (50, 199, 6, "")


def test_set_bucket_points_and_label_keep_the_test_as_written(ed):
    ed.set_bucket("growth", 0, points=4.5, label="Fast")
    ed.set_bucket("revenue", 0, test=">= 30M, <= 1bn")
    ed.set_bucket("industry", 2, test="in Retail", points=1.0)
    assert is_sample_with(ed, (67, ['  { gte = 0.20, points = 5, label = "20%+ a year" },'],
                               ['  { gte = 0.20, points = 4.5, label = "Fast" },']),
                          (40, ['  { gte = "30M", lte = "500M", points = 20, label = "$30M-$500M" },'],
                               ['  { gte = "30M", lte = "1bn", points = 20, label = "$30M-$500M" },']),
                          (56, ['  { otherwise = true, points = 0, label = "Traditional industries" },'],
                               ['  { in = ["Retail"], points = 1, label = "Traditional industries" },']))


def test_set_bucket_with_what_the_form_shows_changes_nothing(ed):
    for c in ed.scorecard.criteria:
        for j, b in enumerate(c.buckets):
            text = bucket_test_text(ed.file.doc["criteria"][ed.scorecard.criteria.index(c)]["buckets"][j])
            assert ed.set_bucket(c.id, j, test=text, points=b.points, label=b.label) is False
    assert ed.set_bucket("company_size", 0, test="200-2000") is False  # the same test in other words
    assert not ed.can_undo and ed.file.as_string() == SAMPLE_TEXT


def test_set_bucket_errors_leave_the_text(ed):
    with pytest.raises(ScorecardError, match=r"^'>= 2000, <= 200': lower bound 2,000 is above upper bound 200$"):
        ed.set_bucket("company_size", 0, test=">= 2000, <= 200")
    with pytest.raises(ScorecardError, match="criterion 'company_size' has no bucket 9"):
        ed.set_bucket("company_size", 8, points=1)
    assert ed.file.as_string() == SAMPLE_TEXT and not ed.can_undo


def test_add_bucket(ed):
    assert ed.add_bucket("company_size", 0) == 1
    assert is_sample_with(ed, (27, [], ["  { gte = 200, lte = 2000, points = 0 },"]))  # a copy of the one above, 0 points
    ed.undo()
    assert ed.add_bucket("industry", None) == 2  # before the otherwise bucket
    assert is_sample_with(ed, (56, [], ['  { in = ["Software", "E-commerce", "MarTech", "EdTech", "Cybersecurity"], points = 0 },']))
    ed.undo()
    assert ed.add_bucket("industry", 2) == 2  # after otherwise it could never match: it goes before
    ed.add_criterion(None, "new", "New", "firmographic", "x")
    assert ed.add_bucket("new", 0) == 0
    assert ed.scorecard.criterion("new").buckets[0].matcher.values == ("edit me",)
    assert ed.file.as_string().endswith('buckets = [\n  { in = ["edit me"], points = 0 },\n  { otherwise = true, points = 0 },\n]\n'
                                        "\n# ---- Score bands (fit score, 0-100) -----------------------------------------------------------\n"
                                        + SAMPLE_TEXT.split("# ---- Score bands (fit score, 0-100) -----------------------------------------------------------\n")[1])


def test_delete_bucket_and_the_last_one(ed):
    ed.delete_bucket("revenue", 2)
    assert is_sample_with(ed, (42, ['  { gt = "500M", points = 5, label = "Over $500M" },'], []))
    for _ in range(2):
        ed.delete_bucket("revenue", 0)
    assert len(ed.scorecard.criterion("revenue").buckets) == 1
    before = ed.file.as_string()
    with pytest.raises(ScorecardError, match="^cannot delete the last bucket of Annual revenue: a criterion needs one"):
        ed.delete_bucket("revenue", 0)
    assert ed.file.as_string() == before


def test_move_bucket(ed):
    assert ed.move_bucket("company_size", 0, 1) == 1
    assert is_sample_with(ed, (26, ['  { gte = 200, lte = 2000, points = 20, label = "200-2,000 employees" },',
                                 '  { gte = 50, lt = 200, points = 5, label = "50-199 employees" },'],
                            ['  { gte = 50, lt = 200, points = 5, label = "50-199 employees" },',
                             '  { gte = 200, lte = 2000, points = 20, label = "200-2,000 employees" },']))
    assert ed.move_bucket("company_size", 0, -1) == 0 and ed.history_size == 1
    assert ed.move_bucket("company_size", 3, 1) == 3 and ed.history_size == 1


def test_move_bucket_takes_its_end_of_line_comment(tmp_path):
    ed = editor_for(tmp_path, '''[[criteria]]
id = "a"
category = "firmographic"
field = "f"
buckets = [
  { gte = 10, points = 2 },  # big ones
  # a comment line stays where it is
  { lt = 10, points = 1 }
]
''')
    ed.move_bucket("a", 1, -1)
    assert ed.file.as_string().split("buckets = ")[1] == '''[
  { lt = 10, points = 1 },
  # a comment line stays where it is
  { gte = 10, points = 2 }  # big ones
]
'''
    assert [b.points for b in ed.scorecard.criterion("a").buckets] == [1, 2]


# ---------------------------------------------------------------------------------------------
# bands


def test_set_band(ed):
    ed.set_band(1, min=72, tier="")
    assert is_sample_with(ed, (159, ["min = 70"], ["min = 72"]), (161, ['tier = "Tier 2"'], []))
    ed.set_band(1, tier="Tier 2b", action="Call")
    assert is_sample_with(ed, (159, ["min = 70"], ["min = 72"]),
                           (161, ['tier = "Tier 2"', 'action = "Pursue actively and watch for buying signals"'],
                            ['tier = "Tier 2b"', 'action = "Call"']))
    assert ed.scorecard.bands[1] == type(ed.scorecard.bands[1])(72, "Good fit", "Tier 2b", "Call")
    assert ed.set_band(1, min=72.0, label="Good fit") is False


def test_add_and_delete_band(ed):
    assert ed.add_band(2) == 3
    assert is_sample_with(ed, (169, [], ["", "[[bands]]", "min = 47", 'label = "New band"']))
    assert ed.add_band(None) == 6
    assert ed.scorecard.bands[6].label == "New band 2" and ed.scorecard.bands[6].min == 0
    ed.undo()
    ed.undo()
    ed.delete_band(4)
    assert is_sample_with(ed, (175, ["", "[[bands]]", "min = 0", 'label = "Poor fit"', 'tier = "Pass"', 'action = "Recycle or pass"'], []))
    assert comments(ed.file.as_string()) == comments(SAMPLE_TEXT)
    for _ in range(3):
        ed.delete_band(0)
    with pytest.raises(ScorecardError, match="cannot delete the only band"):
        ed.delete_band(0)


SEED = (ROOT / "tests" / "data" / "seed003_scorecard.toml").read_text()


def _default_bands(first_label: str = "Strong fit") -> list[str]:
    lines = []
    for n, b in enumerate(DEFAULT_BANDS):
        lines += ["", "[[bands]]", f"min = {b.min:g}", f'label = "{first_label if n == 0 else b.label}"',
                  f'tier = "{b.tier}"', f'action = "{b.action}"']
    return lines


def test_first_band_edit_writes_the_default_bands(tmp_path):
    ed = editor_for(tmp_path, SEED)
    assert ed.scorecard.bands == DEFAULT_BANDS and "bands" not in ed.file.doc
    assert ed.set_band(0, label="Strong fit") is False and ed.file.as_string() == SEED  # no change, nothing written
    ed.set_band(0, label="Top fit")
    assert lines(100, 102, SEED) == ["]", "", "[[anti_personas]]"]  # after the last criterion
    assert ed.file.as_string() == edited(SEED, (101, [], _default_bands("Top fit")))
    assert [b.label for b in ed.scorecard.bands] == ["Top fit"] + [b.label for b in DEFAULT_BANDS[1:]]
    assert ed.history_size == 1
    ed.undo()
    ed.delete_band(4)
    assert [b.min for b in ed.scorecard.bands] == [85, 70, 55, 40]
    ed.undo()
    assert ed.add_band(None) == 5 and len(ed.scorecard.bands) == 6


# ---------------------------------------------------------------------------------------------
# anti-personas and exclusions


def test_set_rule_conditions_change_only_their_lines(ed):
    ed.set_rule("anti_personas", 0, conditions=["employees < 40", "funding_stage in [Bootstrapped, Pre-seed, Seed]",
                                                "annual_revenue < 2M"])
    assert is_sample_with(ed, (189, ['  "employees < 50",'], ['  "employees < 40",']))
    ed.set_rule("anti_personas", 0, conditions=["employees < 40"])  # another count: rewritten in the same layout
    assert is_sample_with(ed, (189, ['  "employees < 50",', '  "funding_stage in [Bootstrapped, Pre-seed, Seed]",',
                                  '  "annual_revenue < 2M",'], ['  "employees < 40",']))
    ed.set_rule("exclusions", 0, match="any", conditions=["account_type = Customer", "customer is true"])
    assert is_sample_with(ed, (189, lines(189, 191), ['  "employees < 40",']),
                          (214, ['conditions = ["account_type = Customer"]'],
                                ['match = "any"', 'conditions = ["account_type = Customer", "customer is true"]']))
    assert ed.scorecard.exclusions[0].join == "any"


def test_set_rule_name_reason_match(ed):
    ed.set_rule("anti_personas", 2, name="Agency", reason="", match="all")
    assert is_sample_with(ed, (204, ['name = "Services shop"',
                                  'reason = "Agencies and consultancies resell our work for clients and rarely renew."',
                                  'match = "any"'], ['name = "Agency"', 'match = "all"']))
    assert ed.set_rule("exclusions", 1, match="all", reason="Sells a competing product.") is False  # "all" is the default


def test_set_rule_errors(ed):
    with pytest.raises(ScorecardError, match="^condition 2: cannot read condition 'industry within"):
        ed.set_rule("exclusions", 0, conditions=["country = US", "industry within [A]"])
    with pytest.raises(ScorecardError, match="needs at least one condition"):
        ed.set_rule("exclusions", 0, conditions=[])
    with pytest.raises(ScorecardError, match="there is no exclusion 4"):
        ed.set_rule("exclusions", 3, name="x")
    with pytest.raises(ScorecardError, match="'rules' is not one of: anti_personas, exclusions"):
        ed.set_rule("rules", 0, name="x")
    with pytest.raises(ScorecardError, match=r"anti_personas\[1\].match: must be 'all' or 'any', not 'some'"):
        ed.set_rule("anti_personas", 0, match="some")
    assert ed.file.as_string() == SAMPLE_TEXT and not ed.can_undo


def test_add_and_delete_rule(ed):
    assert ed.add_rule("anti_personas", "Tiny", ["employees < 5"]) == 3
    assert is_sample_with(ed, (208, [], ["", "[[anti_personas]]", 'name = "Tiny"', 'reason = ""', 'match = "all"',
                                      'conditions = ["employees < 5"]']))
    assert ed.scorecard.anti_personas[3].name == "Tiny"
    assert ed.add_rule("exclusions", "Placeholder") == 3
    assert ed.file.as_string().endswith('\n\n[[exclusions]]\nname = "Placeholder"\nreason = ""\nmatch = "all"\n'
                                        'conditions = ["employees in [edit me]"]\n')
    ed.undo()
    ed.undo()
    ed.delete_rule("anti_personas", 2)
    assert is_sample_with(ed, (202, ["", "[[anti_personas]]", 'name = "Services shop"',
                                  'reason = "Agencies and consultancies resell our work for clients and rarely renew."',
                                  'match = "any"', 'conditions = ["industry in [Agency, Consulting]"]'], []))
    assert comments(ed.file.as_string()) == comments(SAMPLE_TEXT)


def test_add_the_first_exclusion(tmp_path):
    ed = editor_for(tmp_path, SEED.split("\n[[exclusions]]")[0])
    ed.add_rule("exclusions", "Competitor", ["account_type = Competitor"])
    assert ed.file.as_string() == SEED.split("\n[[exclusions]]")[0] + (
        '\n[[exclusions]]\nname = "Competitor"\nreason = ""\nmatch = "all"\nconditions = ["account_type = Competitor"]\n')
    ed.delete_rule("exclusions", 0)
    assert ed.scorecard.exclusions == () and ed.file.as_string() == SEED.split("\n[[exclusions]]")[0]
    ed = editor_for(tmp_path, SAMPLE_TEXT)
    ed.delete_rule("exclusions", 2)  # the last table in the file: no blank line is left at the end
    assert is_sample_with(ed, (220, lines(220, 224), []))


# ---------------------------------------------------------------------------------------------
# every edit keeps the comments; undo and redo


EDITS = [
    lambda e: e.set_weight("industry", 3),
    lambda e: e.set_criterion("geography", label="Territory", max_points=10),
    lambda e: e.add_criterion("company_size", "x", "X", "use_case", "x"),
    lambda e: e.delete_criterion("tech_stack"),
    lambda e: e.move_criterion("intent", -1),
    lambda e: e.move_criterion("growth", 1),
    lambda e: e.set_bucket("funding", 1, test="in Series D+", points=3, label="Late"),
    lambda e: e.add_bucket("intent", 1),
    lambda e: e.delete_bucket("use_case", 1),
    lambda e: e.move_bucket("geography", 2, -1),
    lambda e: e.set_band(4, min=10),
    lambda e: e.add_band(0),
    lambda e: e.delete_band(0),
    lambda e: e.set_rule("anti_personas", 1, conditions=["growth_rate < 0.01"]),
    lambda e: e.add_rule("exclusions", "Partner", ["account_type = Partner"]),
    lambda e: e.delete_rule("exclusions", 2),
]


@pytest.mark.parametrize("edit", EDITS)
def test_every_edit_keeps_comments_saves_and_undoes(ed, edit):
    assert edit(ed) is not False
    text = ed.file.as_string()
    assert text != SAMPLE_TEXT and comments(text) == comments(SAMPLE_TEXT)
    assert parse_scorecard(text)[1] == ed.scorecard
    ed.save()
    assert ed.file.path.read_text(encoding="utf-8") == text and not ed.dirty
    assert ScorecardFile.open(ed.file.path).scorecard == ed.scorecard
    ed.undo()
    assert ed.file.as_string() == SAMPLE_TEXT and ed.dirty  # undone, but the file on disk has the edit


def test_undo_redo_sequence(ed):
    t0 = SAMPLE_TEXT
    ed.set_weight("company_size", 2)
    t1 = ed.file.as_string()
    ed.set_bucket("company_size", 0, points=25)
    t2 = ed.file.as_string()
    assert hunks(t1, t2) == [(26, ['  { gte = 200, lte = 2000, points = 20, label = "200-2,000 employees" },'],
                              ['  { gte = 200, lte = 2000, points = 25, label = "200-2,000 employees" },'])]
    assert ed.undo() == "points of Company size bucket 1" and ed.file.as_string() == t1
    assert ed.undo() == "weight of Company size 1 → 2" and ed.file.as_string() == t0
    assert ed.undo() == "" and not ed.can_undo
    assert ed.redo() == "weight of Company size 1 → 2" and ed.file.as_string() == t1
    assert ed.scorecard.criterion("company_size").max_points == 40
    assert ed.can_redo
    ed.set_weight("revenue", 2)  # a new edit drops what could be redone
    assert not ed.can_redo and ed.redo() == ""
    assert ed.undo() == "weight of Annual revenue 1 → 2" and ed.file.as_string() == t1


def test_history_is_capped(tmp_path):
    p = tmp_path / "scorecard.toml"
    shutil.copy(SAMPLE, p)
    ed = ScorecardEditor(ScorecardFile.open(p), max_history=3)
    for w in range(2, 7):
        ed.set_weight("company_size", w)
    assert ed.history_size == 3
    while ed.can_undo:
        ed.undo()
    assert ed.scorecard.criterion("company_size").weight == 3


# ---------------------------------------------------------------------------------------------
# diff, lint, save, save_version


def test_diff(ed):
    assert ed.diff() == ""
    ed.set_weight("company_size", 2)
    assert ed.diff() == (
        "--- scorecard.toml (saved)\n+++ scorecard.toml (edited)\n@@ -20,7 +20,7 @@\n"
        ' label = "Company size"\n category = "firmographic"\n field = "employees"\n'
        "-weight = 1\n+weight = 2\n max_points = 20\n buckets = [\n"
        '   { gte = 200, lte = 2000, points = 20, label = "200-2,000 employees" },\n')
    ed.save()
    assert ed.diff() == ""


def test_lint_reads_the_edited_document(ed):
    ed.add_criterion(None, "x", "X", "firmographic", "x")
    ed.set_weight("company_size", 2)
    found = {(f.key, f.line): f.message for f in ed.lint()}
    assert found[("criteria[1].max_points", 24)] == "says 20 points, but the best bucket gives 40 (20 x weight 2)"
    assert found[("criteria[11]", 150)] == "no bucket gives any points: the criterion never counts"


def test_save_changes_only_the_edited_lines(ed):
    ed.set_weight("company_size", 2)
    ed.set_bucket("industry", 0, label="Core industries")
    path = ed.save()
    assert path == ed.file.path and not ed.dirty and not ed.can_redo and ed.can_undo
    assert hunks(SAMPLE_TEXT, path.read_text(encoding="utf-8")) == [
        (23, ["weight = 1"], ["weight = 2"]),
        (54, ['  { in = ["SaaS", "FinTech", "HealthTech"], points = 15, label = "SaaS / FinTech / HealthTech" },'],
         ['  { in = ["SaaS", "FinTech", "HealthTech"], points = 15, label = "Core industries" },'])]


def test_save_version(ed):
    original = ed.file.path
    ed.set_weight("company_size", 2)
    path = ed.save_version()
    assert path.name == "scorecard-v1.1.toml" and ed.file.path == path and not ed.dirty
    assert ed.scorecard.version == "1.1"
    assert hunks(SAMPLE_TEXT, path.read_text(encoding="utf-8")) == [(9, ['version = "1.0"'], ['version = "1.1"']),
                                                                      (23, ["weight = 1"], ["weight = 2"])]
    assert original.read_text(encoding="utf-8") == SAMPLE_TEXT  # the old version is left alone
    assert ed.save_version().name == "scorecard-v1.2.toml"  # not scorecard-v1.1-v1.2.toml
    assert ed.save_version("2.0-rc1").name == "scorecard-v2.0-rc1.toml"
    assert ed.save_version().name == "scorecard-v2.0-rc2.toml"


def test_save_version_refuses_to_overwrite(ed):
    taken = ed.file.path.with_name("scorecard-v1.1.toml")
    taken.write_text("keep me", encoding="utf-8")
    with pytest.raises(ScorecardError) as exc:
        ed.save_version()
    assert str(exc.value) == f"{taken}: already exists (choose another version)"
    assert taken.read_text() == "keep me" and ed.file.as_string() == SAMPLE_TEXT and not ed.can_undo
    with pytest.raises(ScorecardError, match="version '1/2' cannot be part of a file name"):
        ed.save_version("1/2")


@pytest.mark.parametrize("old, new", [("3", "4"), ("2.9", "2.10"), ("1.0", "1.1"), ("2024.1-beta", "2024.2-beta")])
def test_save_version_counts_up_the_last_number(tmp_path, old, new):
    ed = editor_for(tmp_path, SEED.replace('version = "1"', f'version = "{old}"'), "icp.toml")
    assert ed.save_version().name == f"icp-v{new}.toml"
    assert ed.scorecard.version == new


def test_save_version_without_a_scorecard_table(tmp_path):
    text = '# just criteria\n\n[[criteria]]\nid = "a"\ncategory = "firmographic"\nfield = "f"\nbuckets = [{ otherwise = true, points = 1 }]\n'
    ed = editor_for(tmp_path, text, "plain.toml")
    assert ed.scorecard.version == "1"
    path = ed.save_version()
    assert path.name == "plain-v2.toml"
    assert path.read_text() == '# just criteria\n\n[scorecard]\nversion = "2"\n\n' + text.split("\n\n", 1)[1]
    with pytest.raises(ScorecardError, match="version 'beta' has no number to count up"):
        editor_for(tmp_path, text.replace("# just", '[scorecard]\nversion = "beta"\n# just'), "b.toml").save_version()


def test_open_errors(tmp_path):
    with pytest.raises(ScorecardError, match="file not found"):
        ScorecardEditor.open(tmp_path / "missing.toml")
