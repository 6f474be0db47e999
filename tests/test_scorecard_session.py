"""The scorecard session the workbench edits through: preview, counts and re-scoring after an edit."""

from __future__ import annotations

import pytest

from icp_tui.engine.workshop.scorecard_session import ScorecardSession

SCORECARD = """\
[scorecard]
name = "Tiny"
version = "1"

[[criteria]]
id = "size"
label = "Company size"
category = "firmographic"
field = "employees"
buckets = [
  { gte = 100, points = 10, label = "100+" },
  { otherwise = true, points = 0, label = "small" },
]

[[criteria]]
id = "industry"
label = "Industry"
category = "firmographic"
field = "industry"
buckets = [
  { in = ["SaaS"], points = 10, label = "SaaS" },
  { otherwise = true, points = 0, label = "other" },
]

[[exclusions]]
name = "Customers"
conditions = ["industry in Retail"]
"""
ACCOUNTS = """\
Account ID,Account Name,Industry,Employees
A1,Delta,SaaS,500
A2,Alpha,SaaS,200
A3,Charlie,Retail,900
A4,Bravo,Retail,50
A5,Echo,Media,300
A6,Foxtrot,SaaS,10
"""


@pytest.fixture
def session(tmp_path):
    (tmp_path / "s.toml").write_text(SCORECARD, encoding="utf-8")
    (tmp_path / "a.csv").write_text(ACCOUNTS, encoding="utf-8")
    return ScorecardSession(None, scorecard=tmp_path / "s.toml", accounts=tmp_path / "a.csv")


def test_preview_top_accounts_leave_out_exclusions_and_break_ties_by_name(session):
    # fit = points / 20: Delta 100, Alpha 100, Charlie 50 (excluded), Bravo 0 (excluded), Echo 50, Foxtrot 50
    p = session.preview(3)
    assert [(t.name, t.fit, t.band) for t in p.top] == [
        ("Alpha", 100.0, "Strong fit"), ("Delta", 100.0, "Strong fit"), ("Echo", 50.0, "Weak fit")]
    assert p.top[2].reasons == "Company size: 100+ (+10)"
    assert (p.accounts, p.excluded, p.anti_personas, p.unscored) == (6, 2, 0, 0)
    # bands count every account, excluded ones too: 100, 100 strong; 50, 50, 50 weak; 0 poor
    assert p.bands == [("Strong fit", 2), ("Good fit", 0), ("Possible fit", 0), ("Weak fit", 3), ("Poor fit", 1)]
    assert (session.bucket_counts(0), session.bucket_counts(1)) == ([4, 2], [3, 3])
    assert session.rule_counts("exclusions") == [2]


def test_a_weight_edit_rescores_and_undo_restores(session):
    session.edit("set_weight", "industry", 3)
    # max 10 + 30 = 40: Foxtrot (SaaS, small) 30/40 = 75, Echo (100+, Media) 10/40 = 25
    p = session.preview(3)
    assert [(t.name, t.fit) for t in p.top] == [("Alpha", 100.0), ("Delta", 100.0), ("Foxtrot", 75.0)]
    assert p.bands == [("Strong fit", 2), ("Good fit", 1), ("Possible fit", 0), ("Weak fit", 0), ("Poor fit", 3)]
    assert session.undo() == "weight of Industry 1 → 3"
    assert [t.name for t in session.preview(3).top] == ["Alpha", "Delta", "Echo"]


def test_a_bucket_edit_moves_the_bucket_counts(session):
    session.edit("set_bucket", "size", 0, test=">= 250")
    # 100+ now 250+: Delta 500, Charlie 900, Echo 300 -> 3; Alpha 200 drops to small (50, tied with
    # Foxtrot, first by name)
    assert session.bucket_counts(0) == [3, 3]
    assert [(t.name, t.fit) for t in session.preview(2).top] == [("Delta", 100.0), ("Alpha", 50.0)]
