"""The scorecard compiled to Spark, Snowflake and BigQuery SQL, and the ``icp sql`` command.

DuckDB keeps its parity with the pandas engine through :func:`compile_sql`; so does Spark when
pyspark and Java are installed (they are not project dependencies: the test skips otherwise).
For every dialect the tests pin the fragments that differ (quoting, literals, list functions,
DOUBLE literals) and read every literal back with the dialect's own escaping rules, so that no
value can leave its literal.
"""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from sql_checks import assert_same_as_engine

from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.scorecard.sql import DIALECTS, column_kinds, compile_duckdb, compile_sql, sql_header, sql_input_table

ROOT_ARGS = [sys.executable, "-m", "icp_tui", "sql"]
INJECTION = "x'); DROP TABLE x; --"

TINY = r'''
[[criteria]]
id = "size"
category = "firmographic"
field = "employees"
buckets = [{ gte = 200, lt = 2000, points = 20 }]

[[criteria]]
id = "industry"
category = "firmographic"
field = "industry"
buckets = [{ in = ["SaaS", "O'Brien \\ Tools"], points = 10 }]

[[criteria]]
id = "stack"
category = "technographic"
field = "tech_stack"
buckets = [{ contains_any = ["Snowflake", "BigQuery"], points = 5 }]

[[anti_personas]]
name = "Tiny"
conditions = ["employees < 50"]
'''


def tiny():
    return parse_scorecard(TINY)[1]


def _sql(dialect: str, sc=None, fields=None) -> str:
    sc = sc or tiny()
    return compile_sql(sc, set(fields or sc.fields()), dialect=dialect)


# ---- DuckDB: unchanged and still in parity ---------------------------------------------------


def test_duckdb_dialect_is_compile_duckdb(sample_dir):
    sc = ScorecardFile.open(sample_dir / "scorecard.toml").scorecard
    for fields in (set(sc.fields()), {"employees", "tech_stack"}):
        assert compile_sql(sc, fields, dialect="duckdb") == compile_duckdb(sc, fields)
        assert compile_sql(sc, fields) == compile_duckdb(sc, fields)


def test_duckdb_parity_through_compile_sql(sample_dir):
    duckdb = pytest.importorskip("duckdb")
    sc = ScorecardFile.open(sample_dir / "scorecard.toml").scorecard
    accounts = read_accounts(sample_dir / "accounts.csv", sc.column_map)
    table = sql_input_table(accounts, sc)
    con = duckdb.connect()
    con.register("accounts", table)
    out = con.sql(compile_sql(sc, set(table.column_names), dialect="duckdb")).to_arrow_table()
    assert_same_as_engine(lambda name: out.column(name).to_pylist(), Scorer(accounts).score(sc))


def test_duckdb_cli_output_runs_as_written(sample_dir, tmp_path):
    """The header is comments and the query ends with ';': DuckDB runs the file as it is."""
    duckdb = pytest.importorskip("duckdb")
    out = tmp_path / "q.sql"
    p = subprocess.run(ROOT_ARGS + ["sample_data/scorecard.toml", "--dialect", "duckdb", "-o", str(out)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    sc = ScorecardFile.open(sample_dir / "scorecard.toml").scorecard
    accounts = read_accounts(sample_dir / "accounts.csv", sc.column_map)
    con = duckdb.connect()
    con.register("accounts", sql_input_table(accounts, sc))
    got = con.sql(out.read_text(encoding="utf-8")).to_arrow_table()
    fit = Scorer(accounts).score(sc).fit
    assert np.array_equal(np.array(got.column("fit_score").to_pylist(), float), fit, equal_nan=True)


WEIRD_CSV = (
    'industry,"we""ird col",tech_stack,customer,employees\n'
    "O'Brien Tools,5,a'b; c,yes,10\n"
    "SaaS,1,,No,n/a\n"
    "x'); DROP TABLE accounts; --,3,c|x\\y ; Z,maybe,approx 5\n"
    'Ends \\,2,"x\ny;z",,20\n'
    "n/a,,  ;  ,y,3000\n"
)

WEIRD = r'''
[[criteria]]
id = "ind"
category = "firmographic"
field = "industry"
buckets = [{ in = ["O'Brien Tools", "x'); DROP TABLE accounts; --", "ends \\"], points = 10 }, { otherwise = true, points = 1 }]

[[criteria]]
id = "weird"
category = "firmographic"
field = 'we"ird col'
buckets = [{ gte = 3, points = 5 }]

[[criteria]]
id = "stack"
category = "technographic"
field = "tech_stack"
buckets = [{ contains_any = ["a'b"], points = 4 }, { contains_all = ["x\\y", "z"], points = 3 },
           { contains_all = ["x", "y", "z"], points = 2 }, { contains_none = ["q"], points = 1 }]

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

[[anti_personas]]
name = "x"
match = "any"
conditions = ["employees < 50", "industry not in [SaaS]", "foo is missing"]

[[exclusions]]
name = "y"
conditions = ["tech_stack contains c", "customer is false"]
'''


@pytest.fixture(scope="module")
def spark():
    pyspark_sql = pytest.importorskip("pyspark.sql")
    try:
        session = (pyspark_sql.SparkSession.builder.master("local[1]").config("spark.ui.enabled", "false")
                   .getOrCreate())
    except Exception as e:  # no Java, or no room for a JVM
        pytest.skip(f"no local Spark: {e}")
    yield session
    session.stop()


def test_spark_parity_when_pyspark_is_installed(spark, sample_dir, tmp_path):
    import pyarrow.parquet as pq

    (tmp_path / "weird.csv").write_text(WEIRD_CSV, encoding="utf-8")
    sf = ScorecardFile.open(sample_dir / "scorecard.toml")
    cases = [(sf.scorecard, read_accounts(sample_dir / "accounts.csv", sf.scorecard.column_map)),
             (parse_scorecard(WEIRD)[1], read_accounts(tmp_path / "weird.csv"))]
    for k, (sc, accounts) in enumerate(cases):
        table = sql_input_table(accounts, sc)
        pq.write_table(table, tmp_path / f"{k}.parquet")
        spark.read.parquet(str(tmp_path / f"{k}.parquet")).createOrReplaceTempView("accounts")
        fields = set(table.column_names)
        rows = spark.sql(sql_header(sc, fields, "accounts", "spark") + compile_sql(sc, fields, dialect="spark") + ";\n").collect()
        assert_same_as_engine(lambda name, rows=rows: [row[name] for row in rows], Scorer(accounts).score(sc))


def test_weird_case_in_duckdb(tmp_path):
    """The case the Spark test uses holds in DuckDB too (so a Spark mismatch is Spark's)."""
    duckdb = pytest.importorskip("duckdb")
    (tmp_path / "weird.csv").write_text(WEIRD_CSV, encoding="utf-8")
    sc, accounts = parse_scorecard(WEIRD)[1], read_accounts(tmp_path / "weird.csv")
    table = sql_input_table(accounts, sc)
    con = duckdb.connect()
    con.register("accounts", table)
    out = con.sql(compile_sql(sc, set(table.column_names))).to_arrow_table()
    r = Scorer(accounts).score(sc)
    for j, c in enumerate(sc.criteria):
        assert out.column(f"b_{c.id}").to_pylist() == r.bucket[:, j].tolist(), c.id
    assert out.column("excl_0").to_pylist() == r.excluded[:, 0].tolist()
    assert r.bucket[:, 0].tolist() == [0, 1, 0, 0, -2]  # quotes, the injection and a trailing backslash match
    assert r.bucket[:, 2].tolist() == [0, -2, 1, 2, -2]  # a'b; empty; x\y and z; x, y and z; separators only


# ---- Fragments per dialect -------------------------------------------------------------------


def test_spark_fragments():
    q = _sql("spark")
    assert "FROM `accounts`" in q
    assert "lower(trim(CAST(`industry` AS STRING)))" in q
    assert "(`employees` IS NOT NULL) AND `employees` >= 2.00000000000000000e+02 AND `employees` < 2.00000000000000000e+03" in q
    assert r"COALESCE(`t:industry` IN ('saas', 'o\'brien \\ tools'), FALSE)" in q
    assert r"filter(transform(split((CASE WHEN lower(trim(CAST(`tech_stack` AS STRING)))" in q
    assert r", '\\s*[;,|\n]\\s*'), s -> trim(s)), s -> s NOT IN ('', 'n/a', " in q
    assert "COALESCE(size(`l:tech_stack`) > 0, FALSE)" in q
    assert "COALESCE(arrays_overlap(`l:tech_stack`, array('snowflake', 'bigquery')), FALSE)" in q
    assert "`employees` < 5.00000000000000000e+01)) AS `anti_0`" in q
    assert "CASE `b_size` WHEN 0 THEN 2.00000000000000000e+01 ELSE 0.0 END AS `p_size`" in q
    assert "regexp_split_to_array" not in q and "list_" not in q and '"' not in q


def test_snowflake_fragments():
    q = _sql("snowflake")
    assert 'FROM "accounts"' in q
    assert 'lower(trim(CAST("industry" AS VARCHAR)))' in q
    assert ('("employees" IS NOT NULL) AND "employees" >= CAST(2.00000000000000000e+02 AS FLOAT) '
            'AND "employees" < CAST(2.00000000000000000e+03 AS FLOAT)') in q
    assert r"""COALESCE("t:industry" IN ('saas', 'o''brien \\ tools'), FALSE)""" in q
    assert r"""FILTER(TRANSFORM(SPLIT(REGEXP_REPLACE((CASE WHEN lower(trim(CAST("tech_stack" AS VARCHAR)))""" in q
    assert r"""'\\s*[;,|\n]\\s*', '|'), '|'), s VARCHAR -> TRIM(s)), s VARCHAR -> s NOT IN ('', 'n/a', """ in q
    assert 'COALESCE(ARRAY_SIZE("l:tech_stack") > 0, FALSE)' in q
    assert """COALESCE(ARRAYS_OVERLAP("l:tech_stack", ARRAY_CONSTRUCT('snowflake', 'bigquery')), FALSE)""" in q
    assert 'CASE "b_size" WHEN 0 THEN CAST(2.00000000000000000e+01 AS FLOAT) ELSE 0.0 END AS "p_size"' in q
    assert "`" not in q


def test_bigquery_fragments():
    q = _sql("bigquery")
    assert "FROM `accounts`" in q
    assert "lower(trim(CAST(`industry` AS STRING)))" in q
    assert "(`employees` IS NOT NULL) AND `employees` >= 2.00000000000000000e+02 AND `employees` < 2.00000000000000000e+03" in q
    # helper columns have plain names (letters, digits, underscores)
    assert r"COALESCE(`icp_t_industry` IN ('saas', 'o\'brien \\ tools'), FALSE)" in q
    assert (r"ARRAY(SELECT TRIM(s) FROM UNNEST(SPLIT(REGEXP_REPLACE((CASE WHEN lower(trim(CAST(`tech_stack` AS STRING)))") in q
    assert r"""'\\s*[;,|\n]\\s*', '|'), '|')) AS s WHERE TRIM(s) NOT IN ('', 'n/a', """ in q
    assert "COALESCE(ARRAY_LENGTH(`icp_l_tech_stack`) > 0, FALSE)" in q
    assert "COALESCE(EXISTS(SELECT 1 FROM UNNEST(`icp_l_tech_stack`) AS x WHERE x IN ('snowflake', 'bigquery')), FALSE)" in q
    assert "CASE `b_size` WHEN 0 THEN 2.00000000000000000e+01 ELSE 0.0 END AS `p_size`" in q
    assert "t:" not in q and "l:" not in q and '"' not in q


def test_contains_all_per_dialect():
    _, sc = parse_scorecard('[[criteria]]\nid = "s"\ncategory = "technographic"\nfield = "tech_stack"\n'
                            'buckets = [{ contains_all = ["A", "B"], points = 1 }, { contains_none = ["C"], points = 0 }]\n')
    assert "list_has_all(\"l:tech_stack\", ['a', 'b'])" in _sql("duckdb", sc)
    assert "forall(array('a', 'b'), v -> array_contains(`l:tech_stack`, v))" in _sql("spark", sc)
    assert ("""(ARRAY_CONTAINS(CAST('a' AS VARIANT), "l:tech_stack") AND ARRAY_CONTAINS(CAST('b' AS VARIANT), "l:tech_stack"))"""
            in _sql("snowflake", sc))
    assert "NOT EXISTS(SELECT 1 FROM UNNEST(['a', 'b']) AS v WHERE v NOT IN UNNEST(`icp_l_tech_stack`))" in _sql("bigquery", sc)
    assert "NOT COALESCE(arrays_overlap(`l:tech_stack`, array('c')), FALSE)" in _sql("spark", sc)


def test_identifier_quoting_per_dialect():
    _, sc = parse_scorecard("[[criteria]]\nid = \"w\"\ncategory = \"firmographic\"\nfield = 'we\"ird`col\\x'\n"
                            "buckets = [{ gte = 1, points = 1 }]\n")
    expected = {
        "duckdb": '"we""ird`col\\x" >= ',
        "spark": "`we\"ird``col\\x` >= ",
        "snowflake": '"we""ird`col\\x" >= ',
        "bigquery": "`we\"ird\\`col\\\\x` >= ",
    }
    for dialect, frag in expected.items():
        assert frag in _sql(dialect, sc), dialect
    assert compile_sql(sc, {'we"ird`col\\x'}, table=("crm", "acc`ts"), dialect="spark").count("FROM `crm`.`acc``ts`") == 1


def test_bigquery_helper_names_stay_unique():
    _, sc = parse_scorecard('[[criteria]]\nid = "a"\ncategory = "firmographic"\nfield = "a b"\nbuckets = [{ in = ["x"], points = 1 }]\n'
                            '[[criteria]]\nid = "b"\ncategory = "firmographic"\nfield = "a-b"\nbuckets = [{ in = ["y"], points = 1 }]\n')
    q = _sql("bigquery", sc)
    assert "AS `icp_t_a_b`" in q and "AS `icp_t_a_b_2`" in q
    assert "COALESCE(`icp_t_a_b` IN ('x'), FALSE)" in q and "COALESCE(`icp_t_a_b_2` IN ('y'), FALSE)" in q


def test_unknown_dialect_is_refused():
    with pytest.raises(ValueError, match="oracle"):
        compile_sql(tiny(), {"employees"}, dialect="oracle")


# ---- No value leaves its literal -------------------------------------------------------------

#: How each dialect reads a quoted string: backslash escapes? a doubled quote as a quote?
RULES = {
    "duckdb": {"backslash": False, "doubled": True, "idents": {'"': "double"}},
    "spark": {"backslash": True, "doubled": False, "idents": {"`": "double"}},
    "snowflake": {"backslash": True, "doubled": True, "idents": {'"': "double"}},
    "bigquery": {"backslash": True, "doubled": False, "idents": {"`": "backslash"}},
}
ESCAPES = {"n": "\n", "r": "\r", "t": "\t"}


def _lex(sql: str, rules: dict) -> tuple[list[str], str]:
    """(every string literal's value, the text outside literals and quoted identifiers)."""
    literals, outside, i = [], [], 0
    while i < len(sql):
        ch = sql[i]
        if ch == "'" or ch in rules["idents"]:
            is_literal = ch == "'"
            backslash = rules["backslash"] if is_literal else rules["idents"][ch] == "backslash"
            doubled = rules["doubled"] if is_literal else rules["idents"][ch] == "double"
            j, buf = i + 1, []
            while True:
                assert j < len(sql), "unterminated quote"
                c = sql[j]
                if backslash and c == "\\":
                    buf.append(ESCAPES.get(sql[j + 1], sql[j + 1]))
                    j += 2
                elif c == ch and doubled and sql[j + 1:j + 2] == ch:
                    buf.append(ch)
                    j += 2
                elif c == ch:
                    break
                else:
                    buf.append(c)
                    j += 1
            if is_literal:
                literals.append("".join(buf))
            outside.append(" ")
            i = j + 1
        else:
            outside.append(ch)
            i += 1
    return literals, "".join(outside)


@pytest.mark.parametrize("dialect", DIALECTS)
def test_values_stay_inside_their_literals(dialect):
    values = [INJECTION, "O'Brien \\ Tools", "ends with \\", "two\nlines", "back`tick \"quote\""]
    _, sc = parse_scorecard(
        '[[criteria]]\nid = "ind"\ncategory = "firmographic"\nfield = "industry"\n'
        f"buckets = [{{ in = [{', '.join(_toml(v) for v in values)}], points = 1 }}]\n"
        '[[criteria]]\nid = "stack"\ncategory = "technographic"\nfield = "tech_stack"\n'
        f"buckets = [{{ contains_any = [{_toml(INJECTION)}], points = 1 }}]\n"
        f'[[bands]]\nmin = 0\nlabel = {_toml(INJECTION)}\n'
    )
    literals, outside = _lex(_sql(dialect, sc), RULES[dialect])
    for v in values:
        assert v.lower() in literals, (dialect, v)
    assert INJECTION in literals  # the band label keeps its case
    assert "drop" not in outside.lower() and "--" not in outside


def _toml(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def test_duckdb_runs_the_injection_as_a_value():
    duckdb = pytest.importorskip("duckdb")
    import pyarrow as pa

    values = ", ".join(_toml(v) for v in (INJECTION, "ends with \\"))
    _, sc = parse_scorecard('[[criteria]]\nid = "ind"\ncategory = "firmographic"\nfield = "industry"\n'
                            f"buckets = [{{ in = [{values}], points = 1 }}]\n")
    con = duckdb.connect()
    con.register("accounts", pa.table({"industry": [INJECTION, "ends with \\", "other"]}))
    out = con.sql(compile_sql(sc, {"industry"}, dialect="duckdb")).to_arrow_table()
    assert out.column("b_ind").to_pylist() == [0, 0, -1]


# ---- Header and command ----------------------------------------------------------------------


def test_header_names_numeric_text_and_list_columns(sample_dir):
    sc = ScorecardFile.open(sample_dir / "scorecard.toml").scorecard
    kinds = column_kinds(sc, set(sc.fields()) - {"use_case"})
    assert kinds["employees"] == kinds["annual_revenue"] == kinds["growth_rate"] == kinds["intent_score"] == "number"
    assert kinds["tech_stack"] == "list" and kinds["industry"] == "text" and kinds["use_case"] == "absent"
    head = sql_header(sc, set(sc.fields()) - {"use_case"}, ("crm", "accounts"), "bigquery")
    lines = head.splitlines()
    assert all(line.startswith("-- ") for line in lines)
    assert "Reads table `crm`.`accounts`." in head
    assert "Numeric columns (FLOAT64, NULL when unknown; not text): `employees`, `annual_revenue`, `growth_rate`, `intent_score`." in head
    assert "List columns (text, items separated by ; , | or line breaks): `tech_stack`." in head
    assert "Not in the table (scored as unknown): `use_case`." in head


def test_header_cannot_be_broken_by_names():
    _, sc = parse_scorecard('[scorecard]\nname = "evil\\nDROP TABLE x"\n[[criteria]]\nid = "a"\ncategory = "firmographic"\n'
                            'field = "f\\nDROP TABLE y"\nbuckets = [{ gte = 1, points = 1 }]\n')
    for dialect in DIALECTS:
        head = sql_header(sc, set(sc.fields()), "accounts", dialect)
        assert all(line.startswith("-- ") for line in head.splitlines()), dialect


def test_cli_prints_spark_sql_with_header():
    p = subprocess.run(ROOT_ARGS + ["sample_data/scorecard.toml", "--dialect", "spark"], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("-- icp-tui: Starter ICP scorecard v1.0 compiled for Spark SQL")
    assert "-- Numeric columns (DOUBLE, NULL when unknown; not text): `employees`, `annual_revenue`" in p.stdout
    assert "\nWITH c AS (\n" in p.stdout and p.stdout.endswith(" AS grade FROM s;\n")
    assert "arrays_overlap(`l:tech_stack`, array('salesforce', 'snowflake'))" in p.stdout


def test_cli_fields_table_and_output_file(tmp_path):
    out = tmp_path / "q.sql"
    p = subprocess.run(ROOT_ARGS + ["sample_data/scorecard.toml", "--dialect", "snowflake", "--table", "CRM.ACCOUNTS",
                                    "--fields", "employees, industry", "-o", str(out)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert p.stdout == ""
    text = out.read_text(encoding="utf-8")
    assert text.startswith("-- ") and 'FROM "CRM"."ACCOUNTS"' in text
    assert 'Not in the table (scored as unknown): "annual_revenue"' in text
    assert "CASE WHEN NOT FALSE THEN -2" in text  # a criterion on an absent field is unknown


def test_cli_unknown_dialect_is_a_usage_error():
    p = subprocess.run(ROOT_ARGS + ["sample_data/scorecard.toml", "--dialect", "oracle"], capture_output=True, text=True)
    assert p.returncode == 2
    assert "invalid choice: 'oracle'" in p.stderr and p.stdout == ""


def test_cli_broken_scorecard_exits_1(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[[criteria]]\nid = "a"\ncategory = "nope"\nfield = "x"\nbuckets = [{ gte = 1, points = 1 }]\n', encoding="utf-8")
    p = subprocess.run(ROOT_ARGS + [str(bad), "--dialect", "bigquery"], capture_output=True, text=True)
    assert p.returncode == 1
    assert p.stdout == ""
    assert p.stderr.startswith("icp: error: ") and "nope" in p.stderr and len(p.stderr.splitlines()) == 1
