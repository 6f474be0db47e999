"""Broken files lose nothing silently (issue 19, item 6): lists with stray quotes and nameless lines, band, tier and
action names in decisions.toml, deals with a blank stage, absurd magnitudes and malformed conditions in a scorecard.
Every hostile shape is built here; every message is asserted exactly."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from icp_tui.cli.main import main
from icp_tui.engine.alignment.lists import read_function_list
from icp_tui.engine.alignment.overlap import Proposal
from icp_tui.engine.alignment.tal import DecisionError, DecisionsFile, Rule
from icp_tui.engine.core.conditions import MatcherError, parse_condition
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.labels import known_label, label_key
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.scorecard.file import load_scorecard
from icp_tui.engine.scorecard.model import DEFAULT_BANDS, Scorecard

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
NOTE_QUOTE = "1 line with a quote (\") that is never closed skipped (line 21); the lines after each were read"


def _list(tmp_path: Path, lines: list[str], name: str = "sales.csv") -> Path:
    p = tmp_path / name
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return p


def _rows(n: int = 62) -> list[str]:
    """A header and n companies, each with a rank and a reason; line k + 1 holds company k."""
    return ["Company,Rank,Reason"] + [f"Company {k},{k},Reason {k}" for k in range(1, n + 1)]


# -- (a) lists ---------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("broken", [
    '"Company 20,20,Reason 20',  # a quote opening the company, never closed
    'Company 20,20,"Reason 20',  # a quote opening the last value: it ran to the end of the file
])
def test_a_stray_quote_loses_its_own_line_only_and_says_so(tmp_path, broken):
    lines = _rows()
    lines[20] = broken  # line 21
    fl = read_function_list(_list(tmp_path, lines), "Sales")
    assert len(fl.entries) == 61
    assert [e.text for e in fl.entries][18:21] == ["Company 19", "Company 21", "Company 22"]
    assert fl.entries[-1].text == "Company 62" and fl.entries[-1].rank == 62
    assert fl.report_lines() == [NOTE_QUOTE]


def test_a_stray_quote_in_a_one_column_list(tmp_path):
    lines = ["Company"] + [f"Company {k}" for k in range(1, 63)]
    lines[20] = '"Company 20'
    fl = read_function_list(_list(tmp_path, lines), "Sales")
    assert len(fl.entries) == 61 and fl.entries[-1].text == "Company 62"
    assert fl.report_lines() == [NOTE_QUOTE]


def test_a_quote_inside_a_value_and_a_quoted_value_over_two_lines_are_read_as_they_are(tmp_path):
    lines = _rows(4)
    lines[1] = 'Zeta "Big Co,1,Reason 1'  # a quote in the middle of a value is a character
    lines[2] = 'Company 2,2,"two, with a comma'  # a quoted value over two lines, closed where a value ends
    lines.insert(3, 'lines"')
    fl = read_function_list(_list(tmp_path, lines), "Sales")
    assert [e.text for e in fl.entries] == ['Zeta "Big Co', "Company 2", "Company 3", "Company 4"]
    assert fl.entries[1].reason == "two, with a comma\nlines"
    assert fl.report_lines() == []


def test_lines_without_a_company_and_with_the_wrong_count_are_reported_with_their_lines(tmp_path):
    lines = _rows(10)
    lines[3] = '"Company 3,3,Reason 3'  # line 4: a stray quote
    lines[5] = ""  # line 6: empty, no row
    lines[7] = ",7,a reason but no company"  # line 8
    lines[9] = "Company 9,9,Reason 9,extra"  # line 10: one value too many
    fl = read_function_list(_list(tmp_path, lines), "Sales")
    assert [e.text for e in fl.entries] == ["Company 1", "Company 2", "Company 4", "Company 6", "Company 8", "Company 10"]
    assert fl.report_lines() == [
        "1 line with a quote (\") that is never closed skipped (line 4); the lines after each were read",
        "1 line with the wrong number of values skipped (lines 10)",
        "1 line with no company in column 'Company' skipped (line 8)",
    ]


def _workshop(tmp_path: Path) -> Path:
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE, ws, ignore=shutil.ignore_patterns("assessments*", "*.py"))
    sales = ws / "lists" / "sales.csv"
    lines = sales.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 63
    lines[20] = '"' + lines[20]
    sales.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return ws


def test_icp_align_warns_of_the_skipped_list_line(tmp_path, capsys):
    ws = _workshop(tmp_path)
    assert main(["align", "-w", str(ws)]) == 0
    out, err = capsys.readouterr()
    assert f"icp: warning: {ws / 'lists' / 'sales.csv'}: {NOTE_QUOTE}" in err.splitlines()
    sales = next(line for line in out.splitlines() if line.startswith("Sales "))
    assert sales.split()[1] == "61"  # 62 entries, one line skipped: 41 were lost before


def test_the_alignment_session_carries_the_list_warnings(tmp_path):
    from icp_tui.engine.workshop.alignment_session import AlignmentSession
    from icp_tui.engine.workshop.manifest import Workshop

    session = AlignmentSession(Workshop.load(_workshop(tmp_path)))
    assert session.warnings == [f"sales.csv: {NOTE_QUOTE}"]
    assert len(session.lists[0].entries) == 61


# -- (b) labels in decisions.toml ---------------------------------------------------------------------------------------


def test_labels_compare_without_case_and_extra_spaces():
    assert label_key("  Good   Fit ") == "good fit" == label_key("GOOD FIT")
    assert known_label("good  FIT ", ["Strong fit", "Good fit"]) == "Good fit"
    assert known_label("Good Fitt", ["Strong fit", "Good fit"]) is None


def _decisions(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "decisions.toml"
    p.write_text(text, encoding="utf-8")
    return p


SC = Scorecard("t", "1", (), DEFAULT_BANDS)


def test_band_tier_and_action_names_are_read_in_the_scorecards_spelling(tmp_path):
    p = _decisions(tmp_path, '[rule]\nbands = ["Strong fit", "Good Fit "]\n\n'
                             '[[decisions]]\naccount = "acc:A"\naction = " Include"\ntier = "tier  1"\n')
    f = DecisionsFile.load(p, SC)
    assert f.rule.bands == ("Strong fit", "Good fit")
    assert (f.decisions["acc:A"].action, f.decisions["acc:A"].tier) == ("include", "Tier 1")
    # a rule typed by hand (not read from a file) compares the same way
    assert Rule(bands=("Good Fit ",)).proposes(Proposal("acc:B", 0, "B", band="Good fit"))
    assert not Rule(bands=("Good Fit ",)).proposes(Proposal("acc:C", 1, "C", band="Strong fit"))


@pytest.mark.parametrize("text,where,message", [
    ('[rule]\nbands = ["Strong fit", "Good Fitt"]\n', "2: rule.bands[2]",
     "'Good Fitt' is not a band of the scorecard (one of: Strong fit, Good fit, Possible fit, Weak fit, Poor fit; "
     "case and spaces do not matter)"),
    ('[[decisions]]\naccount = "acc:A"\naction = "includ"\n', "3: decisions[1].action",
     "'includ' is not an action (one of: include, exclude, park; case and spaces do not matter)"),
    ('[[decisions]]\naccount = "acc:A"\naction = "park"\ntier = "Tier 9"\n', "4: decisions[1].tier",
     "'Tier 9' is not a tier (one of: Tier 1, Tier 2, Tier 3, Nurture, Pass; case and spaces do not matter)"),
])
def test_unknown_band_tier_and_action_names_are_refused_with_line_and_key(tmp_path, text, where, message):
    p = _decisions(tmp_path, text)
    with pytest.raises(DecisionError) as e:
        DecisionsFile.load(p, SC)
    assert str(e.value) == f"{p}:{where}: {message}"


def test_without_the_scorecard_a_band_it_may_have_is_kept(tmp_path):
    p = _decisions(tmp_path, '[rule]\nbands = ["Top accounts"]\n')
    assert DecisionsFile.load(p).rule.bands == ("Top accounts",)


# -- (c) deals with a blank stage -----------------------------------------------------------------------------------------


def test_deals_with_a_blank_stage_are_counted_with_their_lines(tmp_path):
    p = tmp_path / "deals.csv"
    p.write_text("Deal,Account,Stage,Amount\nD1,A,Closed Won,100\nD2,B,,200\nD3,C,Closed Lost,300\nD4,D,  ,400\n",
                 encoding="utf-8")
    deals = read_deals(p)
    assert (deals.no_stage, deals.no_stage_lines) == (2, [3, 5])
    assert deals.no_stage_text() == "2 deals with no stage (lines 3, 5) left out"
    assert deals.report_lines() == ["column 'Stage': 2 deals with no stage (lines 3, 5) left out"]
    assert deals.outcome_counts() == {"won": 1, "lost": 1, "open": 0}


def test_icp_validate_says_how_many_deals_had_no_stage(tmp_path, capsys):
    ws = tmp_path / "ws"
    shutil.copytree(SAMPLE, ws, ignore=shutil.ignore_patterns("assessments*", "*.py", "lists"))
    deals = ws / "deals.csv"
    lines = deals.read_text(encoding="utf-8").splitlines()
    for n in (4, 9):  # lines 4 and 9: Stage is the fifth column
        cells = lines[n - 1].split(",")
        assert cells[4] in ("Closed Won", "Closed Lost", "Prospecting", "Negotiation", "Proposal", "Discovery")
        lines[n - 1] = ",".join(cells[:4] + [""] + cells[5:])
    deals.write_text("\n".join(lines) + "\n", encoding="utf-8")
    main(["validate", "-w", str(ws)])
    out, err = capsys.readouterr()
    assert "  note: 2 deals with no stage (lines 4, 9) left out" in out.splitlines()
    assert f"icp: warning: {deals}: column 'Stage': 2 deals with no stage (lines 4, 9) left out" in err.splitlines()


# -- (d) magnitudes in a scorecard ----------------------------------------------------------------------------------------

CARD = """[scorecard]
name = "t"

[[criteria]]
id = "size"
category = "firmographic"
field = "employees"
weight = 2
buckets = [
  { gte = 200, lte = 2000, points = 20 },
  { otherwise = true, points = 0 },
]

[[anti_personas]]
name = "tiny"
conditions = ["employees < 50"]
"""


@pytest.mark.parametrize("old,new,where,message", [
    ("points = 20", "points = -1e308", "10: criteria[1].buckets[1].points",
     "-1e+308 is too large: points must be between -1,000,000 and 1,000,000"),
    ("points = 20", "points = nan", "10: criteria[1].buckets[1].points", "must be a finite number, not nan"),
    ("points = 0", "points = -inf", "11: criteria[1].buckets[2].points", "must be a finite number, not -inf"),
    ("weight = 2", "weight = 1e7", "8: criteria[1].weight", "1e+07 is too large: a weight must be at most 1,000,000"),
    ("weight = 2", "weight = 2\nmax_points = 2e6", "9: criteria[1].max_points",
     "2e+06 is too large: max_points must be between -1,000,000 and 1,000,000"),
    ("gte = 200, lte = 2000,", "gte = -2e13,", "10: criteria[1].buckets[1].gte",
     "the bound -2e+13 is too large: a range bound must be between -1,000bn and 1,000bn"),
    ("employees < 50", "employees < 5e12", "16: anti_personas[1].conditions[1]",
     "the bound 5e+12 is too large: a range bound must be between -1,000bn and 1,000bn"),
    ('name = "t"', 'name = "t"\ntotal_points = 1e9', "3: scorecard.total_points",
     "1e+09 is too large: total_points must be between -1,000,000 and 1,000,000"),
])
def test_absurd_magnitudes_are_refused_with_line_and_key(tmp_path, old, new, where, message):
    p = tmp_path / "sc.toml"
    assert CARD.count(old) == 1
    p.write_text(CARD.replace(old, new), encoding="utf-8")
    with pytest.raises(ScorecardError) as e:
        load_scorecard(p)
    assert str(e.value) == f"{p}:{where}: {message}"


def test_the_largest_sane_magnitudes_load(tmp_path):
    p = tmp_path / "sc.toml"
    p.write_text(CARD.replace("points = 20", "points = 1e6").replace("lte = 2000", "lte = 1e12"), encoding="utf-8")
    sc = load_scorecard(p)
    assert sc.criteria[0].buckets[0].points == 1e6 and sc.criteria[0].buckets[0].matcher.lte == 1e12


# -- (e) conditions parsed strictly ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text,message,at", [
    ("industry in [Agency, Consulting", "'industry in [Agency, Consulting': the [ is never closed", 12),
    ("industry in [Agency] extra", "'industry in [Agency] extra': 'extra' after the ] is not part of the condition", 21),
    ("industry in [Agency] [Consulting]",
     "'industry in [Agency] [Consulting]': '[Consulting]' after the ] is not part of the condition", 21),
    ("industry in [a, [b]]", "'industry in [a, [b]]': a [ inside the list of values", 16),
    ("industry in Agency, Consulting]", "'industry in Agency, Consulting]': a ] inside the list of values", 30),
    ("industry in ['Agency, Consulting]", "\"industry in ['Agency, Consulting]\": the ' is never closed", 13),
    ("industry in ['Agency' x, B]",
     "\"industry in ['Agency' x, B]\": 'x' follows the quoted value 'Agency'; separate values with commas", 22),
    ('industry = "Agency', "'industry = \"Agency': the \" is never closed", 11),
    ("industry in []", "'industry in []': needs at least one value", 12),
    ("industry in [a, , b]", "'industry in [a, , b]': has an empty value", 16),
    ("industry like [a]", "cannot read condition 'industry like [a]': write FIELD OP VALUE, e.g. \"employees < 50\", "
     "\"industry in [Retail, Manufacturing]\", \"tech_stack contains Salesforce\", \"country is missing\" "
     "('like' is not an operator)", 9),
])
def test_malformed_conditions_are_refused_with_where(text, message, at):
    with pytest.raises(MatcherError) as e:
        parse_condition(text)
    assert (str(e.value), e.value.at) == (message, at)


@pytest.mark.parametrize("text,values", [
    ("industry in [Agency, Consulting]", ("Agency", "Consulting")),
    ("industry in [O'Reilly, Acme]", ("O'Reilly", "Acme")),
    ("industry in ['a, b', \"c\"]", ("a, b", "c")),
    ("industry in [a, b,]", ("a", "b")),
    ("tech_stack contains any Salesforce, Snowflake", ("Salesforce", "Snowflake")),
])
def test_well_formed_lists_still_read(text, values):
    assert parse_condition(text).values == values


def test_an_unclosed_bracket_in_a_scorecard_names_line_key_and_column(tmp_path, capsys):
    p = tmp_path / "scorecard.toml"
    text = (SAMPLE / "scorecard.toml").read_text(encoding="utf-8")
    assert text.count('conditions = ["industry in [Agency, Consulting]"]') == 1
    p.write_text(text.replace('conditions = ["industry in [Agency, Consulting]"]',
                              'conditions = ["industry in [Agency, Consulting"]'), encoding="utf-8")
    assert main(["lint", str(p)]) == 1
    _, err = capsys.readouterr()
    assert err.splitlines() == [f"icp: error: {p}:207: anti_personas[3].conditions[1]: column 28: "
                                "'industry in [Agency, Consulting': the [ is never closed"]


@pytest.mark.parametrize("path", sorted([*ROOT.glob("sample_data/*.toml"), *ROOT.glob("icp_tui/**/*.toml")]),
                         ids=lambda p: p.name)
def test_every_bundled_scorecard_still_loads(path):
    if "[[criteria]]" in path.read_text(encoding="utf-8"):
        load_scorecard(path)
