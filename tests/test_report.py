"""The workshop report (icp report, the home screen's r): its figures on the sample, the room's maturity by hand,
the decision log the sessions write, escaping of the files' text, and an HTML file that needs no network."""

from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
from pilot import workers_done

from icp_tui.cli.main import main
from icp_tui.engine.core.markdown import md_text
from icp_tui.engine.maturity.assessment import Response, compare
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.workshop.alignment_session import AlignmentSession
from icp_tui.engine.workshop.log import read_log
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.report import build_report, report_markdown, room_view
from icp_tui.engine.workshop.report_html import report_html
from icp_tui.engine.workshop.scorecard_session import ScorecardSession

DAY = dt.date(2026, 12, 3)


@pytest.fixture
def ws(tmp_path):
    folder = tmp_path / "ws"
    shutil.copytree("sample_data", folder)
    return folder


def section(text: str, title: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index(title)
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("## ")), len(lines))
    return lines[start:end]


def test_where_the_room_stands_by_hand():
    q = default_questionnaire()
    people = []
    for name, level in (("A", 1), ("B", 2), ("C", 4)):
        r = Response(q.id, q.version, name)
        r.answers.update({x.id: level for x in q.questions})
        people.append(r)
    # one dimension lifted for B and C: its median is 4, above the next level
    first = q.dimensions[0]
    for r in people[1:]:
        r.answers.update({x.id: 4 for x in first.questions})
    room = room_view(compare(q, people))
    # overall levels 1, 2, 4: median 2; target Level 3; every dimension's median is 2 but the first (4)
    assert (room.level, room.overall) == (2, [1, 2, 4])
    assert room.gap == [(d.name, 2.0) for d in q.dimensions[1:]]
    assert room.next_steps[:2] == [f"{d.name}: {d.advice[1]}" for d in q.dimensions[1:3]]
    assert room.next_steps[len(q.dimensions) - 1:] == [s for s in q.level(2).next_steps if s not in room.next_steps[:8]]
    blank = Response(q.id, q.version, "D")
    assert room_view(compare(q, [blank])).level is None


def test_sample_report_figures(ws):
    rep = build_report(Workshop.load(ws), DAY)
    text = report_markdown(rep)
    assert text.startswith("# Sample ICP workshop: ICP workshop report\n\nNorthwind Analytics · 2026-12-03\n")
    assert rep.problems == {}
    assert section(text, "## Participants")[2:] == [
        "| name | function |", "|---|---|", "| Tom Becker | Customer Success |", "| Elena Rossi | Finance |",
        "| Priya Nair | Marketing |", "| Aiko Tanaka | Product |", "| Marcus Lee | Sales |", ""]
    maturity = section(text, "## ICP maturity")
    assert maturity[2] == ("**Where the room stands: Level 1 (Simple)**, the median of the leaders' own overall levels "
                           "(Tom Becker (Customer Success) 1, Elena Rossi (Finance) 1, Priya Nair (Marketing) 1, "
                           "Aiko Tanaka (Product) 2, Marcus Lee (Sales) 2).")
    assert "| Use case as a segment ⚑ | 3 | 1 | 2 | 4 | 2 | 2 | 3 |" in maturity
    assert [line for line in maturity if line.startswith("- **")] == [
        "- **Use case as a segment**: levels 1 to 4 (Tom Becker (Customer Success) 3, Elena Rossi (Finance) 1, "
        "Priya Nair (Marketing) 2, Aiko Tanaka (Product) 4, Marcus Lee (Sales) 2)",
        "- **Target account selection**: levels 1 to 3 (Tom Becker (Customer Success) 1, Elena Rossi (Finance) 1, "
        "Priya Nair (Marketing) 2, Aiko Tanaka (Product) 2, Marcus Lee (Sales) 3)",
        "- **Revenue and lifecycle metrics**: levels 2 to 4 (Tom Becker (Customer Success) 3, Elena Rossi (Finance) 4, "
        "Priya Nair (Marketing) 2, Aiko Tanaka (Product) 2, Marcus Lee (Sales) 2)",
        "- **Cross-functional alignment**: levels 1 to 3 (Tom Becker (Customer Success) 1, Elena Rossi (Finance) 2, "
        "Priya Nair (Marketing) 1, Aiko Tanaka (Product) 2, Marcus Lee (Sales) 3)"]
    gap = maturity.index("### Key gap")
    assert maturity[gap + 4:gap + 7] == ["Below Level 2 for most leaders (median level):", "", "- ICP refresh cadence (1)"]
    steps = maturity[maturity.index("### Next steps") + 2:]
    assert steps[0].startswith("1. ICP refresh cadence: Tie the ICP to annual go-to-market planning")
    assert len([s for s in steps if s[:1].isdigit()]) == 4  # the gap's advice, then Level 1's three next steps
    alignment = section(text, "## Alignment of the functions' lists")
    assert "| Sales | 62 | 58 | 89.1 | 91% | 0 | 69% | 0 of 4 |" in alignment
    assert "| Customer Success | 40 | 17 | 50 | 20 | 7 |" in alignment  # the overlap matrix row
    assert "- **Consensus** (proposed by 2 or more functions): 67" in alignment
    tal = section(text, "## The unified target account list (TAL)")
    assert tal[2] == ("**93 accounts** (Tier 1 58, Tier 2 20, Tier 3 3, Nurture 5, Pass 7). Rule: proposed by 2+ functions "
                      "or in Strong fit / Good fit; then the room's decisions.")
    # the grades on the list (fit letter x timing digit), then the table with a grade column
    assert tal[4] == ("Priority grades (fit letter x timing digit; A1 first, X excluded): A1 40, A2 15, A3 3, B1 15, "
                      "B2 4, B3 1, C1 1, C2 1, C3 1, D1 4, D2 1, E1 3, E2 2, E3 2.")
    assert tal[8].startswith("| Acme Inc. | Tier 1 | Sales, Marketing, Customer Success, Product, Finance | 100.0 | Strong fit "
                             "| A1 |")
    card = section(text, "## The scorecard")
    assert "**Starter ICP scorecard v1.0**" in card
    assert "| Weight follows predictive power | ✗ fail | 1 heavy criterion without lift | criteria with 10%+ of the points lift the win rate 1.1x+ |" in card
    assert "AUC of the fit score against won/lost: 0.862 (0.5 is a coin toss)." in card
    assert "| Strong fit | 87 | 68 | 78% | $84,246 |" in card
    assert section(text, "## Decision log")[2] == "Nothing logged yet: the app logs each TAL decision, match and scorecard save."


def test_the_sessions_log_what_the_room_decides_and_it_is_reported(ws):
    workshop = Workshop.load(ws)
    al = AlignmentSession(workshop)
    key = next(r.proposal.key for r in al.tal.rows if r.proposal.name == "Acme Inc.")
    al.decide(key, "park", "Reason | with a pipe <script>alert(1)</script>")
    al.set_rule(min_votes=3)
    sc = ScorecardSession(workshop)
    sc.edit("set_weight", "geography", 0)
    sc.save()
    sc.save()  # nothing changed since: nothing logged
    log = read_log(ws)
    assert [(e.kind, e.text) for e in log] == [
        ("tal", "park Acme Inc.: Reason | with a pipe <script>alert(1)</script>"),
        ("rule", "TAL rule: 3+ functions or Strong fit / Good fit"),
        ("scorecard", "saved scorecard.toml (Starter ICP scorecard v1.0): weight of Sales territory 1 → 0"),
    ]
    assert all(e.time.tzinfo is not None for e in log)
    text = report_markdown(build_report(Workshop.load(ws), DAY))
    lines = section(text, "## Decision log")
    assert lines[4].endswith(" | tal | park Acme Inc.: Reason \\| with a pipe &lt;script>alert(1)&lt;/script> |")
    parked = section(text, "## The unified target account list (TAL)")
    head = parked.index("### Parked (1)")
    assert parked[head + 4].startswith("| Acme Inc. | Tier 1 |")
    assert parked[head + 4].endswith("| parked | Reason \\| with a pipe &lt;script>alert(1)&lt;/script> |")
    html = report_html(build_report(Workshop.load(ws), DAY))
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Reason | with a pipe" in html  # the pipe is text in its cell, not a new column


def test_html_report_is_self_contained(ws):
    (ws / "workshop.toml").write_text((ws / "workshop.toml").read_text().replace(
        'name = "Sample ICP workshop"', 'name = "Q1 <b>ICP</b> | workshop"'))
    html = report_html(build_report(Workshop.load(ws), DAY))
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert "<title>Q1 &lt;b&gt;ICP&lt;/b&gt; | workshop: ICP workshop report</title>" in html
    assert "<b>ICP</b>" not in html
    assert not re.search(r"<(script|link|img|iframe)\b|\b(src|href)\s*=|@import|url\(", html)  # nothing to fetch
    assert html.count("<svg") == 4  # maturity levels, fit per list, TAL tiers, win rate per band
    assert html.count('<section id="') == 7


def test_a_file_that_cannot_be_read_is_named_in_its_section(ws):
    (ws / "log.toml").write_text("[[entry]]\ntime = 'not a time'\nkind = 'tal'\ntext = 'x'\n")
    shutil.rmtree(ws / "assessments")
    rep = build_report(Workshop.load(ws), DAY)
    text = report_markdown(rep)
    assert section(text, "## Decision log")[2] == "> Not read: " + md_text(f"{ws / 'log.toml'}:1: entry[1]: each [[entry]] "
                                                                          "needs time (a date and time), kind and text")
    assert rep.problems["log"] == [f"{ws / 'log.toml'}:1: entry[1]: each [[entry]] needs time (a date and time), kind and text"]
    assert "No self-assessments in the workshop yet." in section(text, "## ICP maturity")
    assert section(text, "## Participants")[2] == "No participants recorded."
    assert "**93 accounts**" in text  # the rest is still there


def test_participants_from_the_manifest(ws):
    (ws / "workshop.toml").write_text((ws / "workshop.toml").read_text()
                                      + '\n[[participants]]\nname = "Ana | Ruiz"\nfunction = "Sales"\n')
    text = report_markdown(build_report(Workshop.load(ws), DAY))
    assert section(text, "## Participants")[2:5] == ["| name | function |", "|---|---|", "| Ana \\| Ruiz | Sales |"]


def test_cli_report(ws, capsys, tmp_path):
    assert main(["report", str(ws), "-o", str(tmp_path / "r.md"), "--html", str(tmp_path / "r.html")]) == 0
    out, err = capsys.readouterr()
    assert out == ""
    assert err.splitlines() == [f"icp: HTML report written to {tmp_path / 'r.html'}", f"icp: report written to {tmp_path / 'r.md'}"]
    assert (tmp_path / "r.md").read_text().startswith("# Sample ICP workshop: ICP workshop report\n")
    assert (tmp_path / "r.html").read_text().count("<svg") == 4
    assert main(["report", str(ws)]) == 0
    assert capsys.readouterr().out.startswith("# Sample ICP workshop: ICP workshop report\n")
    assert main(["report", str(tmp_path / "nowhere")]) == 1
    assert "no workshop.toml here" in capsys.readouterr().err


async def test_home_r_writes_the_report_into_the_workshop(ws):
    from icp_tui.tui.app import create_app

    app = create_app(ws, remember_workshop=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await workers_done(app)
        await pilot.press("r")
        await pilot.pause()
        await workers_done(app)
        await pilot.pause()
    assert (ws / "report.md").read_text().startswith("# Sample ICP workshop: ICP workshop report\n")
    assert "<svg" in (ws / "report.html").read_text()
