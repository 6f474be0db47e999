"""The compiled SQL gives the same buckets, scores, bands and flags as the pandas engine (DuckDB)."""

from __future__ import annotations

import pytest
from sql_checks import assert_same_as_engine

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.scorecard.sql import compile_duckdb, ident, literal, sql_input_table

duckdb = pytest.importorskip("duckdb")


def _run(accounts, sc):
    table = sql_input_table(accounts, sc)
    con = duckdb.connect()
    con.register("accounts", table)
    return con.sql(compile_duckdb(sc, set(table.column_names))).to_arrow_table()


def _assert_parity(accounts, sc):
    r = Scorer(accounts).score(sc)
    out = _run(accounts, sc)
    assert_same_as_engine(lambda name: out.column(name).to_pylist(), r)
    return r


def test_sample_workshop_parity(sample_dir):
    sf = ScorecardFile.open(sample_dir / "scorecard.toml")
    accounts = read_accounts(sample_dir / "accounts.csv", sf.scorecard.column_map)
    r = _assert_parity(accounts, sf.scorecard)
    assert len(r) == 2000


def test_quotes_in_values_and_names_cannot_break_the_query(tmp_path):
    (tmp_path / "a.csv").write_text(
        'industry,"we""ird col",tech_stack\n'
        "O'Brien Tools,5,a'b; c\n"
        "SaaS,1,\n"
        "x'); DROP TABLE accounts; --,3,c\n",
        encoding="utf-8",
    )
    _, sc = parse_scorecard(
        '''
[[criteria]]
id = "ind"
category = "firmographic"
field = "industry"
buckets = [{ in = ["O'Brien Tools", "x'); DROP TABLE accounts; --"], points = 10 }, { otherwise = true, points = 1 }]

[[criteria]]
id = "weird"
category = "firmographic"
field = 'we"ird col'
buckets = [{ gte = 3, points = 5 }]

[[criteria]]
id = "stack"
category = "technographic"
field = "tech_stack"
buckets = [{ contains_any = ["a'b"], points = 4 }]
'''
    )
    r = _assert_parity(read_accounts(tmp_path / "a.csv"), sc)
    assert r.raw.tolist() == [[10.0, 5.0, 4.0], [1.0, 0.0, 0.0], [10.0, 5.0, 0.0]]


def test_quoting_helpers():
    assert ident('a"b') == '"a""b"'
    assert literal("O'Brien") == "'O''Brien'"


def test_yes_no_fields_and_unreadable_values(tmp_path):
    (tmp_path / "a.csv").write_text("customer,employees\nyes,10\nNo,n/a\nmaybe,approx 5\n,20\n", encoding="utf-8")
    _, sc = parse_scorecard(
        """
[[criteria]]
id = "cust"
category = "firmographic"
field = "customer"
buckets = [{ is = true, points = 5 }, { otherwise = true, points = 1 }]

[[criteria]]
id = "size"
category = "firmographic"
field = "employees"
buckets = [{ gte = 15, points = 5 }, { otherwise = true, points = 2 }]
"""
    )
    r = _assert_parity(read_accounts(tmp_path / "a.csv"), sc)
    # yes -> 0; No -> otherwise 1; maybe -> unknown; empty -> unknown. 10 -> 1; n/a, approx 5 -> unknown; 20 -> 0
    assert r.bucket.tolist() == [[0, 1], [1, -2], [-2, -2], [-2, 0]]


def test_missing_and_known_buckets_parity(tmp_path):
    (tmp_path / "a.csv").write_text("Account Name,Employees\nA,300\nB,\nC,10\nD,n/a\n", encoding="utf-8")
    _, sc = parse_scorecard(
        '[[criteria]]\nid = "size"\ncategory = "firmographic"\nfield = "employees"\n'
        "buckets = [{ gte = 200, points = 20 }, { missing = true, points = 7 }, { known = true, points = 1 }]\n")
    r = _assert_parity(read_accounts(tmp_path / "a.csv"), sc)
    assert r.fit.tolist() == [100.0, 35.0, 5.0, 35.0]
