"""The maturity roadmap (roadmap.toml: target level, owner, due date per dimension) and progress between two rounds.

Progress figures are by hand from the sample's two rounds (sample_data/make_assessments.py): the room's level per
dimension is the median of the leaders' dimension levels rounded down; overall the median of their overall levels.
"""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path

import pytest

from icp_tui.engine.core.markdown import md_text
from icp_tui.engine.maturity.assessment import Response, ResponseError, compare, load_responses
from icp_tui.engine.maturity.progress import (
    load_round,
    progress_markdown,
    roadmap_lines,
    room_levels,
    room_overall,
    round_progress,
)
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.maturity.roadmap import (
    RoadmapError,
    Target,
    check_target,
    load_roadmap,
    remove_target,
    roadmap_path,
    save_target,
)
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.report import build_report, report_markdown

ROOT = Path(__file__).resolve().parents[1]
NOW = ROOT / "sample_data" / "assessments"
MAY = ROOT / "sample_data" / "assessments-2026-05"
DAY = dt.date(2026, 12, 3)


@pytest.fixture(scope="module")
def q():
    return default_questionnaire()


def write(tmp_path, text: str) -> Path:
    p = tmp_path / "roadmap.toml"
    p.write_text(textwrap.dedent(text), encoding="utf-8")
    return p


# -- the file ---------------------------------------------------------------------------------------


def test_sample_roadmap(q):
    rm = load_roadmap(ROOT / "sample_data" / "roadmap.toml", q)
    assert list(rm.targets) == ["metrics", "alignment", "measurement"]  # file order
    assert rm.get("metrics") == Target("metrics", 3, "Elena Rossi", dt.date(2027, 3, 31))
    assert rm.get("selection") is None


def test_missing_file_is_an_empty_roadmap(q, tmp_path):
    rm = load_roadmap(tmp_path / "roadmap.toml", q)
    assert rm.targets == {} and rm.path == tmp_path / "roadmap.toml"


def test_date_as_text_is_read(q, tmp_path):
    p = write(tmp_path, '[data]\ntarget = 2\nowner = " Ann "\ndue = "2027-01-15"\n')
    assert load_roadmap(p, q).get("data") == Target("data", 2, "Ann", dt.date(2027, 1, 15))


@pytest.mark.parametrize("body, line, message", [
    ('[data]\ntarget = 5\nowner = "A"\ndue = 2027-01-15\n', 2, "data.target: must be a level 1-4, not 5"),
    ('[data]\ntarget = true\nowner = "A"\ndue = 2027-01-15\n', 2, "data.target: must be a level 1-4, not True"),
    ('[data]\ntarget = 3\nowner = ""\ndue = 2027-01-15\n', 3, 'data.owner: must be a name, e.g. owner = "Elena Rossi"'),
    ('[data]\ntarget = 3\nowner = "A"\ndue = "15/01/2027"\n', 4,
     "data.due: must be a date YYYY-MM-DD, e.g. due = 2027-03-31, not '15/01/2027'"),
    ('[data]\ntarget = 3\nowner = "A"\ndue = 2027-01-15T10:00:00\n', 4, "data.due: must be a date YYYY-MM-DD"),
    ('[data]\ntarget = 3\nowner = "A"\n', 1, "data: 'due' is missing (a target needs target, owner and due)"),
    ('[data]\ntarget = 3\nowner = "A"\ndue = 2027-01-15\nowener = "B"\n', 5, "data.owener: is not a key here"),
    ('[daat]\ntarget = 3\nowner = "A"\ndue = 2027-01-15\n', 1, "daat: is not a dimension of icp-maturity"),
    ("data = 3\n", 1, "data: must be a table"),
    ("[data\n", 1, "not valid TOML"),
])
def test_bad_values_name_file_line_and_key(q, tmp_path, body, line, message):
    p = write(tmp_path, body)
    with pytest.raises(RoadmapError) as e:
        load_roadmap(p, q)
    assert e.value.file == str(p) and e.value.line == line
    assert message in str(e.value)
    assert str(e.value).startswith(f"{p}:{line}: ")


def test_save_keeps_comments_and_order(q, tmp_path):
    p = write(tmp_path, """\
        # our roadmap, hand-edited
        [metrics]   # the big one
        target = 3
        owner = "Elena Rossi"
        due = 2027-03-31

        [alignment]
        target = 3
        owner = "Marcus Lee"
        due = 2027-02-26
        """)
    save_target(p, Target("metrics", 4, "Elena", dt.date(2027, 6, 30)))
    save_target(p, Target("use_case", 3, "Aiko Tanaka", dt.date(2027, 9, 1)))  # a new table, at the end
    text = p.read_text(encoding="utf-8")
    assert text.startswith("# our roadmap, hand-edited\n[metrics]   # the big one\ntarget = 4\n")
    assert 'owner = "Elena"\ndue = 2027-06-30\n' in text
    rm = load_roadmap(p, q)
    assert list(rm.targets) == ["metrics", "alignment", "use_case"]
    assert rm.get("use_case") == Target("use_case", 3, "Aiko Tanaka", dt.date(2027, 9, 1))
    remove_target(p, "alignment")
    assert list(load_roadmap(p, q).targets) == ["metrics", "use_case"]
    assert "# our roadmap, hand-edited" in p.read_text(encoding="utf-8")


def test_save_makes_the_file(q, tmp_path):
    p = tmp_path / "roadmap.toml"
    save_target(p, Target("data", 2, "Ann", dt.date(2027, 1, 15)))
    assert p.read_text(encoding="utf-8").startswith("# Maturity roadmap:")
    assert load_roadmap(p, q).get("data") == Target("data", 2, "Ann", dt.date(2027, 1, 15))
    remove_target(tmp_path / "none.toml", "data")  # no file: nothing to do, no error


def test_roadmap_path_of_a_workshop(tmp_path):
    shutil.copytree(ROOT / "sample_data", tmp_path / "ws", ignore=shutil.ignore_patterns("*.csv"))
    ws = Workshop.load(tmp_path / "ws")
    assert roadmap_path(ws) == (tmp_path / "ws" / "roadmap.toml").resolve()
    (tmp_path / "ws" / "workshop.toml").write_text(
        (tmp_path / "ws" / "workshop.toml").read_text(encoding="utf-8").replace(
            'decisions = "decisions.toml"', 'decisions = "decisions.toml"\nroadmap = "plans/targets.toml"'), encoding="utf-8")
    assert roadmap_path(Workshop.load(tmp_path / "ws")) == (tmp_path / "ws" / "plans" / "targets.toml").resolve()


# -- the form's check -------------------------------------------------------------------------------


def test_check_target(q):
    t, warnings = check_target(q, "metrics", "4 Strategic", " Elena ", "2027-03-31", current=2, today=DAY)
    assert (t, warnings) == (Target("metrics", 4, "Elena", dt.date(2027, 3, 31)), [])
    # at or below the room's level now, and a date passed: saved, with warnings
    t, warnings = check_target(q, "metrics", "2 Foundational", "Elena", "2026-11-30", current=2, today=DAY)
    assert t.level == 2
    assert warnings == ["Level 2 is not above the room's level now (2): usually the target is higher",
                        "2026-11-30 has passed already"]


@pytest.mark.parametrize("args, key, message", [
    (("metrics", "No target", "A", "2027-01-01"), "target", "pick a target level 1-4"),
    (("metrics", "5", "A", "2027-01-01"), "target", "pick a target level 1-4"),
    (("metrics", "12", "A", "2027-01-01"), "target", "pick a target level 1-4"),  # not level 1
    (("metrics", "1.5", "A", "2027-01-01"), "target", "pick a target level 1-4"),
    (("metrics", "3", "  ", "2027-01-01"), "owner", "name an owner: who takes this dimension there"),
    (("metrics", "3", "A", "31/03/2027"), "due", "the due date must be YYYY-MM-DD, e.g. 2027-03-31, not '31/03/2027'"),
    (("metrics", "3", "A", "2027-02-30"), "due", "the due date must be YYYY-MM-DD, e.g. 2027-03-31, not '2027-02-30'"),
    (("nope", "3", "A", "2027-01-01"), "dimension", "'nope' is not a dimension of icp-maturity"),
])
def test_check_target_refuses(q, args, key, message):
    with pytest.raises(RoadmapError) as e:
        check_target(q, *args, today=DAY)
    assert (e.value.key, e.value.message) == (key, message)


# -- progress ---------------------------------------------------------------------------------------

# The May round by hand (version 1 answers, a level lower where make_assessments.EARLIER says):
#             selection data metrics refresh alignment revops measurement use_case analytics  overall
# CS          1         1    2       1       1         2      1           3        1          1
# finance     1         2    4       1       1         2      1           1        2          1
# marketing   1         2    2       1       1         1      1           2        2          1
# product     2         1    2       2       1         –      –           3        2          1
# sales       2         2    2       2       2         2      1           2        1          1
# medians:    1         2    2       1       1         2      1           2        2          1
# November (test_assessment.SAMPLE_LEVELS): selection 1 1 2 2 3 -> 2; alignment 1 2 1 2 3 -> 2;
# measurement 2 2 1 2 -> 2; the others as in May; overall 1 1 1 2 2 -> 1.
MAY_ROOM = [1, 2, 2, 1, 1, 2, 1, 2, 2]
NOV_ROOM = [2, 2, 2, 1, 2, 2, 2, 2, 2]


def test_progress_between_the_sample_rounds(q):
    earlier, skipped = load_round([MAY], q)
    later, _ = load_round([NOW], q)
    assert skipped == [] and len(earlier) == len(later) == 5
    rm = load_roadmap(ROOT / "sample_data" / "roadmap.toml", q)
    p = round_progress(q, earlier, later, rm)
    assert [r.dimension.id for r in p.rows] == [d.id for d in q.dimensions]  # questionnaire order
    assert [r.before for r in p.rows] == MAY_ROOM
    assert [r.now for r in p.rows] == NOV_ROOM
    assert (p.overall_before, p.overall_now) == (1, 1)
    assert [r.dimension.id for r in p.moved(1)] == ["selection", "alignment", "measurement"]
    assert p.moved(-1) == []
    assert [(r.dimension.id, r.target.level, r.status(DAY)) for r in p.rows if r.target] == [
        ("metrics", 3, "1 to go"), ("alignment", 3, "1 to go"), ("measurement", 3, "1 to go")]
    assert p.rows[4].status(dt.date(2027, 3, 1)) == "1 to go, overdue"  # alignment was due 2027-02-26
    md = progress_markdown(p, DAY).splitlines()
    assert md[0] == "# ICP Segmentation Maturity: progress between two rounds"
    assert "Then: 5 leaders, 2026-05-04. Now: 5 leaders, 2026-11-02." in md
    assert "**Overall: Level 1 (Simple) then, Level 1 (Simple) now** (the median of the leaders' overall levels)." in md
    assert "| Target account selection | 1 | 2 | ▲ +1 | – | – | – | |" in md
    assert "| Cross-functional alignment | 1 | 2 | ▲ +1 | 3 | Marcus Lee | 2027-02-26 | 1 to go |" in md
    assert "| Revenue and lifecycle metrics | 2 | 2 | = | 3 | Elena Rossi | 2027-03-31 | 1 to go |" in md
    assert ("- Moved up: Target account selection (1 → 2), Cross-functional alignment (1 → 2), "
            "Measuring ICP execution (1 → 2)") in md
    assert "- Moved down: none" in md and "- Roadmap: 0 of 3 targets reached" in md


def test_progress_by_hand_with_a_drop_and_a_target_reached(q):
    def leader(name, level, **dims):
        r = Response(q.id, q.version, name)
        r.answers = {x.id: level for x in q.questions}
        for did, lv in dims.items():
            r.answers.update({x.id: lv for x in q.dimension(did).questions})
        return r
    # then: A all 2, B all 2 but metrics 4 -> metrics median (2 + 4) / 2 = 3; overall A 2, B 2 -> 2
    # now:  A all 3 but metrics 1, B all 3 -> metrics median (1 + 3) / 2 = 2 (down 1); others 3 (up 1);
    #       overall A: sorted 1 3 .. -> 3, B 3 -> 3
    p = round_progress(q, [leader("A", 2), leader("B", 2, metrics=4)], [leader("A", 3, metrics=1), leader("B", 3)],
                       None)
    assert [(r.dimension.id, r.before, r.now, r.change) for r in p.rows if r.dimension.id in ("metrics", "data")] == [
        ("data", 2, 3, 1), ("metrics", 3, 2, -1)]
    assert (p.overall_before, p.overall_now) == (2, 3)
    assert [r.dimension.id for r in p.moved(-1)] == ["metrics"] and len(p.moved(1)) == 8
    md = progress_markdown(p, DAY)
    assert "| dimension | then | now | change |\n" in md and "target" not in md.split("\n\n")[3]  # no roadmap columns
    assert "| Revenue and lifecycle metrics | 3 | 2 | ▼ -1 |" in md
    assert "Then: 2 leaders. Now: 2 leaders." in md  # no dates in these files


def test_room_levels_are_the_report_aggregation(q):
    responses, _ = load_responses(NOW, q)
    cmp = compare(q, responses)
    assert [room_levels(cmp)[d.id] for d in q.dimensions] == NOV_ROOM
    assert room_overall(cmp) == 1  # as engine.workshop.report.room_view


def test_load_round_files_folders_and_problems(q, tmp_path):
    got, problems = load_round([MAY / "sales.toml", NOW / "finance.toml"], q)
    assert [r.respondent for r in got] == ["Marcus Lee", "Elena Rossi"]
    empty = tmp_path / "empty"
    empty.mkdir()
    assert load_round([empty], q) == ([], [f"{empty}: no self-assessment files (*.toml) in this folder"])
    other = tmp_path / "other.toml"
    other.write_text('[assessment]\nquestionnaire = "other"\n', encoding="utf-8")
    with pytest.raises(ResponseError, match="made with questionnaire 'other', not 'icp-maturity'"):
        load_round([other], q)


def test_roadmap_lines_and_the_workshop_report(q, tmp_path):
    rm = load_roadmap(ROOT / "sample_data" / "roadmap.toml", q)
    lines = roadmap_lines(q, rm, dict(zip([d.id for d in q.dimensions], NOV_ROOM)) | {"measurement": 3}, DAY)
    assert lines == [
        "## Roadmap", "", "| dimension | now | target | owner | due | status |", "|---|---|---|---|---|---|",
        "| Revenue and lifecycle metrics | 2 | 3 (Developing) | Elena Rossi | 2027-03-31 | 1 to go |",
        "| Cross-functional alignment | 2 | 3 (Developing) | Marcus Lee | 2027-02-26 | 1 to go |",
        "| Measuring ICP execution | 3 | 3 (Developing) | Priya Nair | 2027-06-30 | reached |", ""]
    shutil.copytree(ROOT / "sample_data", tmp_path / "ws")
    ws = Workshop.load(tmp_path / "ws")
    text = report_markdown(build_report(ws, DAY))
    section = text[text.index("## ICP maturity"):text.index("## Alignment")]
    assert "### Roadmap\n\n| dimension | now | target | owner | due | status |" in section
    assert "| Cross-functional alignment | 2 | 3 (Developing) | Marcus Lee | 2027-02-26 | 1 to go |" in section
    # a broken roadmap is named in the maturity section; the report is still written
    (tmp_path / "ws" / "roadmap.toml").write_text("[metrics]\ntarget = 9\nowner = \"A\"\ndue = 2027-01-01\n",
                                                   encoding="utf-8")
    text = report_markdown(build_report(Workshop.load(tmp_path / "ws"), DAY))
    assert "> Not read: " + md_text(f"{tmp_path / 'ws' / 'roadmap.toml'}:2: metrics.target: must be a level 1-4, not 9") in text
