"""Segment profiles (seeds 000, 003: several segment ICPs): a discovered segment saved as a named profile in
segments.toml, its load errors, the best-fitting profile of each account, the export's segment column,
and the CLI (icp segments --save, icp score with -w / --segments)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from test_cli import icp  # tests/ is on sys.path (rootdir conftest, prepend mode)

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.history.segment_profiles import (
    HEADER,
    best_profile,
    load_profiles,
    parse_profiles,
    profile_conditions,
    profiles_path,
    save_profile,
)
from icp_tui.engine.history.segments import Range, Segment, Segments, Share, Stats
from icp_tui.engine.scorecard.export import scored_table
from icp_tui.engine.scorecard.file import parse_scorecard
from icp_tui.engine.scorecard.scoring import Scorer

ROOT = Path(__file__).resolve().parents[1]


def segments_of_one() -> Segments:
    """Segment 1 of 2 with known ranges: 40 of 100 closed deals, 20 won (50%) against a 30% baseline."""
    st = Stats(40, 20, 0.5, 50_000.0, 60.0, 1.1, 0.1, None, True)
    base = Stats(100, 30, 0.3, 40_000.0, 70.0, 1.0, 0.1, None, True)
    seg = Segment(1, st, 0.5 / 0.3,
                  [Range("employees", 213.7, 500, 1874, 40), Range("annual_revenue", 31.4e6, 1e8, 482e6, 40),
                   Range("growth_rate", 0.2134, 0.3, 0.531, 40)],
                  [Share("SaaS", 0.45, 0.2), Share("FinTech", 0.30, 0.2)],
                  [Share("Forecasting", 0.30, 0.1)],
                  [Share("Salesforce", 0.80, 0.4), Share("Snowflake", 0.40, 0.2)], np.arange(40))
    return Segments(2, "given", {}, [seg], np.zeros(100, np.int64), base, [], 0)


# employees 213.7 -> down to 2 significant digits 210; 1,874 -> up 1,900. Revenue 31.4M -> 31M; 482M -> 490M.
# Growth 21.34% -> 21%, 53.1% -> 54%. Industries 45% + 30% = 75% of the segment (>= half): kept. Use case
# Forecasting 30% (< half): left out. Salesforce on 80% (>= half): the tools listed are kept.
EXPECTED = HEADER + """
[[segments]]
name = "Mid-market SaaS"
description = "segment 1 of 2 (k-means on 100 closed deals): 40 deals, win rate 50%, 1.67x the baseline"
conditions = [
  { field = "industry", in = ["SaaS", "FinTech"] },
  { field = "employees", gte = 210, lte = 1900 },
  { field = "annual_revenue", gte = "31M", lte = "490M" },
  { field = "growth_rate", gte = 0.21, lte = 0.54 },
  { field = "tech_stack", contains_any = ["Salesforce", "Snowflake"] },
]
"""


def test_profile_from_a_segment_is_exact_toml(tmp_path):
    path, replaced = save_profile(tmp_path / "segments.toml", "Mid-market SaaS", segments_of_one(), 1)
    assert (path, replaced) == (tmp_path / "segments.toml", False)
    assert path.read_text(encoding="utf-8") == EXPECTED
    (p,) = load_profiles(path).profiles
    assert p.name == "Mid-market SaaS" and len(p.conditions) == 5
    emp = p.conditions[1]
    assert (emp.field, emp.gte, emp.lte) == ("employees", 210, 1900)
    assert (p.conditions[2].gte, p.conditions[2].lte) == (31e6, 490e6)


def test_saving_again_appends_and_the_same_name_replaces_in_place(tmp_path):
    segs = segments_of_one()
    path = tmp_path / "segments.toml"
    save_profile(path, "Mid-market SaaS", segs, 1)
    path.write_text(path.read_text().replace("[[segments]]\n", "# our best segment\n[[segments]]\n"))
    save_profile(path, "Second", segs, 1)
    segs.segments[0].ranges[0].low = 480.0  # employees 480 -> 480 (already two digits)
    _, replaced = save_profile(path, "mid-market saas", segs, 1)
    text = path.read_text()
    assert replaced and text.count("\n[[segments]]\n") == 2
    assert text.index('name = "mid-market saas"') < text.index('name = "Second"')  # replaced where it was
    assert "# our best segment\n[[segments]]\nname = \"mid-market saas\"" in text
    assert "gte = 480, lte = 1900" in text and "gte = 210, lte = 1900" in text  # the new one and "Second"
    assert load_profiles(path).names() == ["mid-market saas", "Second"]


def test_a_segment_that_does_not_exist_or_a_broken_file_is_not_written(tmp_path):
    path = tmp_path / "segments.toml"
    with pytest.raises(ScorecardError, match="there is no segment 3 \\(there are 1\\)"):
        save_profile(path, "X", segments_of_one(), 3)
    assert not path.exists()
    path.write_text('[[segments]]\nname = "A"\nconditions = ["employees <"]\n')
    with pytest.raises(ScorecardError, match="segments.toml:3: segments\\[1\\].conditions\\[1\\]"):
        save_profile(path, "X", segments_of_one(), 1)
    assert path.read_text() == '[[segments]]\nname = "A"\nconditions = ["employees <"]\n'


@pytest.mark.parametrize("text, where, message", [
    ('[[segments]]\nname = "A"\nconditons = ["employees < 5"]\n', ":3: segments[1].conditons",
     "is not a key here (did you mean 'conditions'?)"),
    ('[[segments]]\nname = "A"\nconditions = ["employees << 5"]\n', ":3: segments[1].conditions[1]",
     "'employees << 5': '< 5' is not a number"),
    ('[[segments]]\nname = "A"\nconditions = [{ field = "employees", gte = "lots" }]\n',
     ":3: segments[1].conditions[1]", "gte = 'lots' is not a number"),
    ('[[segments]]\nconditions = ["employees < 5"]\n', ":1: segments[1]", "'name' is missing"),
    ('[[segments]]\nname = "A"\nconditions = ["x = 1"]\n\n[[segments]]\nname = "a"\nconditions = ["x = 2"]\n',
     ":6: segments[2].name", "'a' is used twice"),
    ('[segments]\nname = "A"\n', ":1: segments", "must be a list of tables ([[segments]])"),
    ('[[segment]]\nname = "A"\n', ":1: segment", "is not a key here"),
])
def test_load_errors_name_file_line_and_key(text, where, message):
    with pytest.raises(ScorecardError) as e:
        parse_profiles(text, "ws/segments.toml")
    assert str(e.value).startswith("ws/segments.toml" + where)
    assert message in str(e.value)


def test_hand_written_text_conditions_load_like_the_scorecards():
    (p,) = parse_profiles('[[segments]]\nname = "Fin"\ndescription = "by hand"\n'
                          'conditions = ["industry in [FinTech, Banking]", "employees >= 500"]\n')
    assert (p.description, [c.kind for c in p.conditions]) == ("by hand", ["in", "range"])


def test_category_conditions_need_half_the_segment():
    seg = segments_of_one().segments[0]
    seg.industries = [Share("SaaS", 0.25, 0.2), Share("FinTech", 0.2, 0.2)]  # 45% < half: no industry condition
    seg.use_cases = [Share("Forecasting", 0.5, 0.1)]  # exactly half: kept
    seg.tools = [Share("Salesforce", 0.49, 0.4)]  # the most held tool on 49%: no tool condition
    assert [c["field"] for c in profile_conditions(seg)] == ["employees", "annual_revenue", "growth_rate", "use_case"]


# -- best fit ------------------------------------------------------------------------------------------

ACCOUNTS = """name,industry,employees,annual_revenue,country,tech_stack,segment
one,SaaS,200,20M,US,HubSpot,old
two,SaaS,200,5M,US,Salesforce,old
three,Retail,50,20M,UK,,old
four,Retail,50,5M,UK,HubSpot,old
five,SaaS,50,,UK,HubSpot,old
six,SaaS,200,5M,UK,HubSpot,old
"""

PROFILES = """[[segments]]
name = "A"
conditions = ["industry in [SaaS]", "employees >= 100", "country = US", "tech_stack contains any [Salesforce]"]

[[segments]]
name = "B"
conditions = ["employees >= 100", "annual_revenue >= 10M"]
"""


@pytest.fixture
def accounts(tmp_path):
    (tmp_path / "accounts.csv").write_text(ACCOUNTS)
    return read_accounts(tmp_path / "accounts.csv")


def test_best_fitting_profile(accounts):
    fit = best_profile(Scorer(accounts), parse_profiles(PROFILES))
    # one:   A 3/4 (no Salesforce)      B 2/2 -> B
    # two:   A 4/4                      B 1/2 -> A
    # three: A 0/4                      B 1/2 -> B (half is enough; the empty stack meets nothing)
    # four:  A 0/4                      B 0/2 -> none
    # five:  A 1/4 (SaaS)               B 0/2 (revenue unknown) -> none: 1/4 is below half
    # six:   A 2/4 (SaaS, 200)          B 1/2 -> a tie at 1/2: A, the first in the file
    assert [fit.names[c] for c in fit.codes] == ["B", "A", "B", "", "", "A"]
    assert fit.share.tolist() == [1.0, 1.0, 0.5, 0.0, 0.25, 0.5]
    assert fit.counts() == [2, 2, 2]  # A, B, no segment


def test_export_segment_column_only_with_profiles(accounts):
    sc = parse_scorecard('[[criteria]]\nid = "size"\ncategory = "firmographic"\nfield = "employees"\n'
                         "buckets = [{ gte = 100, points = 10 }, { otherwise = true, points = 0 }]\n")[1]
    scorer = Scorer(accounts)
    result = scorer.score(sc)
    plain = scored_table(accounts, result)
    assert "segment" in plain.column_names and plain.column("segment").to_pylist() == ["old"] * 6  # the input's own
    fit = best_profile(scorer, parse_profiles(PROFILES))
    table = scored_table(accounts, result, segment=(fit.codes, fit.names))
    assert table.column_names.count("segment") == 1
    assert table.column_names.index("segment") == table.column_names.index("unknown_criteria") + 1
    assert table.column("segment").to_pylist() == ["B", "A", "B", "", "", "A"]


# -- the command line ------------------------------------------------------------------------------------


def test_cli_save_then_score_with_the_workshops_profiles(workshop, tmp_path):
    r = icp("segments", "-w", workshop, "-k", "3", "--save", "Core=1", "--save", "Small teams=3", "-o", tmp_path / "r.md")
    assert r.returncode == 0, r.stderr.decode()
    err = r.stderr.decode()
    assert f"icp: segment 1 saved as 'Core' in {workshop / 'segments.toml'}" in err
    assert f"icp: segment 3 saved as 'Small teams' in {workshop / 'segments.toml'}" in err
    assert load_profiles(workshop / "segments.toml").names() == ["Core", "Small teams"]
    r = icp("score", "-w", workshop, "-o", tmp_path / "scored.csv")
    assert r.returncode == 0, r.stderr.decode()
    import csv

    with open(tmp_path / "scored.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {row["segment"] for row in rows} == {"Core", "Small teams", ""}
    strong = [row for row in rows if row["band"] == "Strong fit"]
    assert sum(row["segment"] == "Core" for row in strong) > 0.9 * len(strong)  # the ideal accounts are the core segment


def test_cli_score_without_profiles_has_no_segment_column_and_bad_profiles_are_named(workshop, tmp_path):
    r = icp("score", "-w", workshop)
    assert r.returncode == 0 and b"segment" not in r.stdout.splitlines()[0]
    (tmp_path / "bad.toml").write_text('[[segments]]\nname = "A"\nconditions = ["employees <"]\n')
    r = icp("score", "-w", workshop, "--segments", tmp_path / "bad.toml")
    assert r.returncode == 1
    assert f"{tmp_path / 'bad.toml'}:3: segments[1].conditions[1]: " in r.stderr.decode()
    r = icp("segments", "-w", workshop, "--save", "X=9")
    assert r.returncode == 2 and "--save X=9: there is no segment 9" in r.stderr.decode()
    r = icp("segments", "-d", workshop / "deals.csv", "-a", workshop / "accounts.csv", "--save", "X")
    assert r.returncode == 2 and "--save needs a place for the profiles: --segments FILE, or -w DIR" in r.stderr.decode()
    r = icp("segments", "-w", workshop, "--save", "X", "--anti-persona")
    assert r.returncode == 2 and "--save and --anti-persona are separate runs" in r.stderr.decode()
    assert not (workshop / "segments.toml").exists()


def test_the_workshop_names_where_its_profiles_live(workshop):
    from icp_tui.engine.workshop.manifest import Workshop

    text = (workshop / "workshop.toml").read_text()
    (workshop / "workshop.toml").write_text(text.replace("[files]\n", '[files]\nsegments = "icp/segments.toml"\n', 1))
    (workshop / "icp").mkdir()
    assert profiles_path(Workshop.load(workshop)) == workshop / "icp" / "segments.toml"
    assert profiles_path(workshop) == workshop / "segments.toml"  # a folder alone: the default name
    assert profiles_path(None, workshop / "card.toml") == workshop / "segments.toml"


def test_save_options_are_refused_before_any_file_is_read(workshop, tmp_path):
    r = icp("segments", "-w", workshop, "--apply")
    assert r.returncode == 2 and "warning" not in r.stderr.decode()  # no import warnings: nothing was read
    assert "--apply goes with --anti-persona" in r.stderr.decode()
    missing = tmp_path / "nope" / "deeper" / "segments.toml"
    r = icp("segments", "-w", workshop, "--save", "A", "--segments", missing)
    assert r.returncode == 2 and f"the folder {missing.parent} does not exist" in r.stderr.decode()
    assert not (tmp_path / "nope").exists()  # a mistyped path makes no folders
