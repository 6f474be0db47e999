"""The TAL by priority grade: the grade per account (from the scores), the order by grade, the CSV column."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest

from icp_tui.engine.alignment.overlap import Alignment, Proposal
from icp_tui.engine.alignment.tal import Rule, build_tal, tal_csv, tal_toml

S, M = "Sales", "Marketing"


#  name    votes  fit   grade (rank)   by votes (then fit)   by grade (then fit)
#  Alpha   2      95    A3 (2)         1 Alpha               1 Delta    A1, fit 99
#  Bravo   2      72    B1 (4)         2 Bravo               2 Charlie  A1, fit 91
#  Charlie 1      91    A1 (0)         3 Delta               3 Alpha    A3
#  Delta   1      99    A1 (0)         4 Charlie             4 Bravo    B1
#  Echo    1      None  - (new)        5 Echo                5 Echo     unscored: last
def proposals() -> list[Proposal]:
    def p(key, name, ranks, fit, band, grade, rank):
        return Proposal(key, None if rank is None else 0, name, dict(ranks), fit=fit, band=band, grade=grade,
                        grade_rank=rank)

    return [
        p("acc:A", "Alpha", {S: 1, M: 1}, 95, "Strong fit", "A3", 2),
        p("acc:B", "Bravo", {S: 2, M: 2}, 72, "Good fit", "B1", 4),
        p("acc:C", "Charlie", {S: 3}, 91, "Strong fit", "A1", 0),
        p("acc:D", "Delta", {M: 3}, 99, "Strong fit", "A1", 0),
        p("new:echo", "Echo", {S: 4}, None, "", "", None),
    ]


def alignment() -> Alignment:
    fs = [S, M]
    z = np.zeros((2, 2))
    return Alignment(fs, proposals(), {f: [] for f in fs}, z.astype(np.int64), z, z, [])


def test_votes_order_is_unchanged():
    tal = build_tal(alignment(), Rule(min_votes=1))
    # most votes, then fit: Alpha (2, 95), Bravo (2, 72), Delta (1, 99), Charlie (1, 91), Echo (1, none)
    assert [r.proposal.name for r in tal.rows] == ["Alpha", "Bravo", "Delta", "Charlie", "Echo"]
    assert tal.order == "votes"


def test_grade_order_then_fit():
    tal = build_tal(alignment(), Rule(min_votes=1), order="grade")
    # A1 (Delta 99 before Charlie 91: fit breaks the tie), A3, B1, then the unscored new account
    assert [(r.proposal.name, r.grade) for r in tal.rows] == [
        ("Delta", "A1"), ("Charlie", "A1"), ("Alpha", "A3"), ("Bravo", "B1"), ("Echo", "")]
    assert tal.order == "grade"


def test_unknown_order_is_refused():
    with pytest.raises(ValueError, match="unknown TAL order 'fit'"):
        build_tal(alignment(), order="fit")


def test_csv_and_toml_carry_the_grade():
    tal = build_tal(alignment(), Rule(min_votes=1), order="grade")
    rows = list(csv.DictReader(io.StringIO(tal_csv(tal))))
    assert [(r["name"], r["grade"]) for r in rows] == [("Delta", "A1"), ("Charlie", "A1"), ("Alpha", "A3"),
                                                        ("Bravo", "B1"), ("Echo", "")]
    toml = tal_toml(tal)
    assert 'name = "Delta"\ntier = ""\nfit_score = 99\ngrade = "A1"\n' in toml


def test_sample_tal_grades_come_from_the_scores(sample_dir, tmp_path):
    """The sample workshop: each scored proposal carries the grade the scorecard gives its account."""
    import shutil

    from icp_tui.engine.workshop.alignment_session import AlignmentSession
    from icp_tui.engine.workshop.manifest import Workshop

    shutil.copytree(sample_dir, tmp_path / "w")
    s = AlignmentSession(Workshop.load(tmp_path / "w"))
    grades = s.ctx.scores.grades
    scored = [p for p in s.alignment.proposals if p.account is not None]
    assert scored and all(p.grade == grades[p.account] for p in scored)
    s.set_order("grade")
    ranks = [r.proposal.grade_rank if r.proposal.grade_rank is not None else 1 << 30 for r in s.tal.rows]
    assert ranks == sorted(ranks) and s.tal.rows[0].grade == "A1"
    s.set_order("votes")
    assert [r.proposal.votes for r in s.tal.rows] == sorted((r.proposal.votes for r in s.tal.rows), reverse=True)


def test_cli_align_order_grade(tmp_path):
    """``icp align -w sample --order grade -o tal.csv``: the TAL by grade on stdout and in the CSV; a wrong order is usage."""
    import os
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    shutil.copytree(root / "sample_data", tmp_path / "w")
    env = {**os.environ, "ICP_TUI_STATE_DIR": str(tmp_path / "state")}

    def icp(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "icp_tui", "align", "-w", str(tmp_path / "w"), *args], cwd=root,
                              env=env, capture_output=True, text=True, timeout=120)

    p = icp("--order", "grade", "-o", str(tmp_path / "tal.csv"))
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert ("Grades (fit letter x timing digit): A1 40, A2 15, A3 3, B1 15, B2 4, B3 1, C1 1, C2 1, C3 1, D1 4, D2 1, "
            "E1 3, E2 2, E3 2") in lines
    top = lines[lines.index("The TAL by grade (then fit):") + 1:][:2]
    assert top == ["  A1  Acme Inc. (fit 100.0, 5 votes)", "  A1  Cevovia LLC (fit 100.0, 5 votes)"]
    rows = list(csv.DictReader(io.StringIO((tmp_path / "tal.csv").read_text(encoding="utf-8"))))
    assert [r["grade"] for r in rows[:3]] == ["A1", "A1", "A1"]
    members = [r for r in rows if r["status"] in ("included", "proposed")]
    order = {"": 99, "X": 100}
    keys = [order.get(r["grade"], "ABCDE".index(r["grade"][0]) * 4 + "123?".index(r["grade"][1])) for r in members]
    assert keys == sorted(keys)  # grade order: A1 ... E3 (members first, then the parked and excluded)
    bad = icp("--order", "fit")
    assert bad.returncode == 2 and "invalid choice: 'fit'" in bad.stderr
