"""Compile a scorecard to one SQL query of plain CASE expressions (DuckDB, Spark, Snowflake, BigQuery).

The query reads a table of raw account columns (text as exported; numeric fields already parsed
to DOUBLE, as :func:`sql_input_table` prepares them) and returns, per account, the bucket of every
criterion, the fit and timing scores, the band, the priority grade (fit letter x timing digit, as
:mod:`icp_tui.engine.scorecard.grade`), and one flag per anti-persona and exclusion. It follows the
pandas engine rule for rule: text is compared trimmed and lower-cased, missing markers are NULL,
list cells are split on their separators, the first matching bucket wins, unknown values score 0,
and scores round half up to one decimal. Identifiers and literals are quoted, never pasted.

The query has the same shape in every dialect (four CTEs and a final SELECT); only identifier
and literal quoting, the DOUBLE literal, and the array functions used for list cells differ.
DuckDB's parity with the pandas engine is tested always, Spark's when pyspark (and Java) is
installed; Snowflake and BigQuery follow their documentation and are tested for their
distinctive fragments and for literals that cannot be broken out of.
"""

from __future__ import annotations

import re

import pyarrow as pa

from icp_tui.engine.core.accounts import AccountFrame
from icp_tui.engine.core.conditions import Matcher
from icp_tui.engine.core.values import FALSE_TOKENS, MISSING_TOKENS, TRUE_TOKENS
from icp_tui.engine.scorecard.file import Scorecard
from icp_tui.engine.scorecard.grade import EXCLUDED, LETTERS, NO_TIMING_DATA, has_timing, timing_bands
from icp_tui.engine.scorecard.scoring import Scorer, value_kind
from icp_tui.engine.scorecard.sql_dialects import DIALECTS, Dialect, dialect_of

__all__ = ["DIALECTS", "Dialect", "dialect_of", "compile_sql", "compile_duckdb", "ident", "literal",
           "matcher_sql", "sql_header", "sql_input_table", "numeric_fields", "column_kinds"]

_DUCKDB = dialect_of("duckdb")


def ident(name: str) -> str:
    """A DuckDB identifier."""
    return _DUCKDB.ident(name)


def literal(value: str) -> str:
    """A DuckDB string literal."""
    return _DUCKDB.literal(value)


def _num(x: float) -> str:
    return _DUCKDB.num(x)


# ----------------------------------------------------------------------------------------------
# The compiler


class _Compiler:
    def __init__(self, fields: set[str], dialect: Dialect) -> None:
        self.fields = fields
        self.d = dialect
        self.names: dict[tuple[str, str], str] = {}
        taken: set[str] = set()
        for prefix in ("t", "l"):
            for f in sorted(fields):
                name = base = dialect.helper(prefix, f)
                n = 2
                while name in taken:
                    name, n = f"{base}_{n}", n + 1
                taken.add(name)
                self.names[prefix, f] = name

    def text(self, field: str) -> str:
        """The field's cleaned text (lower case, trimmed, NULL for missing markers), from the first CTE."""
        return self.d.ident(self.names["t", field])

    def items(self, field: str) -> str:
        """The field's list items, cleaned, from the first CTE."""
        return self.d.ident(self.names["l", field])

    def tokens(self, tokens) -> str:
        return ", ".join(self.d.literal(t) for t in tokens)

    def clean_text_sql(self, field: str) -> str:
        col = f"lower(trim(CAST({self.d.ident(field)} AS {self.d.text_type})))"
        return f"(CASE WHEN {col} IN ({self.tokens(MISSING_TOKENS)}) THEN NULL ELSE {col} END)"

    def clean_items_sql(self, field: str) -> str:
        return self.d.split_items(self.clean_text_sql(field), self.tokens(MISSING_TOKENS))

    def known(self, field: str, kind: str) -> str:
        if field not in self.fields:
            return "FALSE"
        if kind == "number":
            return f"({self.d.ident(field)} IS NOT NULL)"
        if kind == "items":
            return f"COALESCE({self.d.size(self.items(field))} > 0, FALSE)"
        if kind == "bool":
            return f"COALESCE({self.text(field)} IN ({self.tokens(TRUE_TOKENS + FALSE_TOKENS)}), FALSE)"
        return f"({self.text(field)} IS NOT NULL)"

    def matcher(self, m: Matcher, kind_hint: str | None = None) -> str:
        """A boolean SQL expression that is never NULL."""
        d = self.d
        kind = value_kind(m, kind_hint)
        known = self.known(m.field, kind)
        if m.field not in self.fields:
            return "TRUE" if m.kind == "missing" and m.flag else "FALSE"
        col = d.ident(m.field)
        if m.kind == "range":
            parts = [known]
            for op, bound in ((">=", m.gte), (">", m.gt), ("<=", m.lte), ("<", m.lt)):
                if bound is not None:
                    parts.append(f"{col} {op} {d.num(bound)}")
            return "(" + " AND ".join(parts) + ")"
        values = [v.lower() for v in m.values]
        if m.kind == "in":
            return f"COALESCE({self.text(m.field)} IN ({d.values(values)}), FALSE)"
        if m.kind == "not_in":
            return f"({known} AND NOT COALESCE({self.text(m.field)} IN ({d.values(values)}), FALSE))"
        if m.kind == "contains_any":
            return f"COALESCE({d.has_any(self.items(m.field), values)}, FALSE)"
        if m.kind == "contains_all":
            return f"COALESCE({d.has_all(self.items(m.field), values)}, FALSE)"
        if m.kind == "contains_none":
            return f"({known} AND NOT COALESCE({d.has_any(self.items(m.field), values)}, FALSE))"
        if m.kind == "is":
            return f"COALESCE({self.text(m.field)} IN ({self.tokens(TRUE_TOKENS if m.flag else FALSE_TOKENS)}), FALSE)"
        if m.kind == "missing":
            return f"(NOT {known})" if m.flag else known
        return known  # otherwise

    def build(self, sc: Scorecard, table: str | tuple[str, ...]) -> str:
        d = self.d
        kind = {c.id: Scorer.criterion_kind(c) for c in sc.criteria}
        bucket_cols = []
        for c in sc.criteria:
            missing = next((j for j, b in enumerate(c.buckets) if b.matcher.kind == "missing" and b.matcher.flag), -2)
            whens = [f"WHEN NOT {self.known(c.field, kind[c.id])} THEN {missing}"]  # a `missing = true` bucket, else unknown
            whens += [f"WHEN {self.matcher(b.matcher, kind[c.id])} THEN {j}" for j, b in enumerate(c.buckets)]
            bucket_cols.append(f"CASE {' '.join(whens)} ELSE -1 END AS {d.ident('b_' + c.id)}")
        point_cols = []
        for c in sc.criteria:
            cases = " ".join(f"WHEN {j} THEN {d.num(b.points * c.weight)}" for j, b in enumerate(c.buckets))
            point_cols.append(f"CASE {d.ident('b_' + c.id)} {cases} ELSE 0.0 END AS {d.ident('p_' + c.id)}")
        fit_expr, timing_expr = (self.score_expr(sc, group) for group in ("fit", "timing"))
        bands = sorted(sc.bands, key=lambda b: -b.min)
        band_expr = "CASE " + " ".join(f"WHEN fit_score >= {d.num(b.min)} THEN {d.literal(b.label)}" for b in bands) + " ELSE NULL END"
        rule_cols = []
        for prefix, rules in (("anti_", sc.anti_personas), ("excl_", sc.exclusions)):
            for i, r in enumerate(rules):
                joiner = " AND " if r.join == "all" else " OR "
                rule_cols.append(f"({joiner.join(self.matcher(m) for m in r.conditions)}) AS {d.ident(prefix + str(i))}")
        inner = ",\n    ".join(["*"] + bucket_cols + rule_cols)
        middle = ",\n    ".join(["*"] + point_cols)
        used = "\n".join(bucket_cols + rule_cols)
        cleaned = [f"{self.clean_text_sql(f)} AS {self.text(f)}" for f in sorted(self.fields) if self.text(f) in used]
        cleaned += [f"{self.clean_items_sql(f)} AS {self.items(f)}" for f in sorted(self.fields) if self.items(f) in used]
        first = ",\n    ".join(["*"] + cleaned)
        return (
            f"WITH c AS (\n  SELECT\n    {first}\n  FROM {d.table(table)}\n),\n"
            f"b AS (\n  SELECT\n    {inner}\n  FROM c\n),\n"
            f"p AS (\n  SELECT\n    {middle}\n  FROM b\n),\n"
            f"s AS (\n  SELECT *, {fit_expr} AS fit_score, {timing_expr} AS timing_score FROM p\n)\n"
            f"SELECT *, {band_expr} AS band, {self.grade_expr(sc)} AS grade FROM s"
        )

    def score_expr(self, sc: Scorecard, group: str) -> str:
        """The fit or timing score, 0-100 rounded half up to one decimal (NULL if the group has nothing to score)."""
        d = self.d
        crits = [c for c in sc.criteria if sc.score_of(c) == group]
        top = sum(c.max_points for c in crits)
        raw = " + ".join(d.ident("p_" + c.id) for c in crits) or "0.0"
        return f"floor(round(({raw}) * {d.num(100.0 / top)} * 10, 6) + 0.5) / 10" if top > 0 else "NULL"

    def grade_expr(self, sc: Scorecard) -> str:
        """The priority grade as :mod:`icp_tui.engine.scorecard.grade` gives it: 'X' if excluded, else the fit
        band's letter and the timing band's digit ('?' with no timing data; the letter alone without timing)."""
        d = self.d
        whens = []
        if sc.exclusions:
            whens.append(f"WHEN {' OR '.join(d.ident(f'excl_{i}') for i in range(len(sc.exclusions)))} "
                         f"THEN {d.literal(EXCLUDED)}")
        counted = [c for c in sc.criteria if sc.score_of(c) == "timing" and c.max_points > 0]
        unknown = " AND ".join(f"{d.ident('b_' + c.id)} = -2" for c in counted)
        for k, b in enumerate(sorted(sc.bands, key=lambda b: -b.min)):
            letter = LETTERS[k]
            if has_timing(sc):
                tbs = timing_bands(sc)
                digits = " ".join(f"WHEN timing_score >= {d.num(t.min)} THEN {d.literal(letter + str(j))}"
                                  for j, t in enumerate(tbs, 1))
                digits += f" WHEN timing_score IS NOT NULL THEN {d.literal(letter + str(len(tbs)))}"  # below the lowest
                then = f"CASE WHEN {unknown} THEN {d.literal(letter + NO_TIMING_DATA)} {digits} " \
                       f"ELSE {d.literal(letter + NO_TIMING_DATA)} END"
            else:
                then = d.literal(letter)
            whens.append(f"WHEN fit_score >= {d.num(b.min)} THEN {then}")
        return "CASE " + " ".join(whens) + " ELSE NULL END"


def matcher_sql(m: Matcher, fields: set[str], kind_hint: str | None = None, dialect: str = "duckdb") -> str:
    """A boolean SQL expression that is never NULL."""
    return _Compiler(set(fields), dialect_of(dialect)).matcher(m, kind_hint)


def compile_sql(sc: Scorecard, fields: set[str], table: str | tuple[str, ...] = "accounts", dialect: str = "duckdb") -> str:
    """One SELECT that scores ``table`` in ``dialect`` (one of :data:`DIALECTS`); ``fields`` are the
    field columns the table has (numeric fields as DOUBLE, see :func:`column_kinds`). ``table`` is one
    identifier, or a tuple of the parts of a qualified name such as ("crm", "accounts")."""
    return _Compiler(set(fields), dialect_of(dialect)).build(sc, table)


def compile_duckdb(sc: Scorecard, fields: set[str], table: str = "accounts") -> str:
    """One DuckDB SELECT that scores ``table``; ``fields`` are the field columns the table has."""
    return compile_sql(sc, fields, table, "duckdb")


# ----------------------------------------------------------------------------------------------
# Input columns


def numeric_fields(sc: Scorecard) -> set[str]:
    """The fields the scorecard reads as numbers: the SQL expects them as DOUBLE columns."""
    numeric = {b.matcher.field or c.field for c in sc.criteria for b in c.buckets if b.matcher.kind == "range"}
    numeric |= {c.field for c in sc.criteria if Scorer.criterion_kind(c) == "number"}
    numeric |= {m.field for r in sc.anti_personas + sc.exclusions for m in r.conditions if m.kind == "range"}
    return numeric


def column_kinds(sc: Scorecard, fields: set[str]) -> dict[str, str]:
    """For every field the scorecard reads, in order: "number" (a DOUBLE column), "list" (text with
    separated items), "text", or "absent" (not among ``fields``: scored as unknown)."""
    numeric = numeric_fields(sc)
    listed = {b.matcher.field for c in sc.criteria for b in c.buckets if value_kind(b.matcher, Scorer.criterion_kind(c)) == "items"}
    listed |= {m.field for r in sc.anti_personas + sc.exclusions for m in r.conditions if value_kind(m) == "items"}
    out = {}
    for f in sc.fields():
        if f not in fields:
            out[f] = "absent"
        elif f in numeric:
            out[f] = "number"
        else:
            out[f] = "list" if f in listed else "text"
    return out


def _comment(text: str) -> str:
    """Text safe in a -- comment: no line breaks or other control characters."""
    return re.sub(r"[\x00-\x1f\x7f\x85\u2028\u2029]", "?", text)


def sql_header(sc: Scorecard, fields: set[str], table: str | tuple[str, ...] = "accounts", dialect: str = "duckdb") -> str:
    """SQL comment lines saying what the query expects of ``table``: which columns are numeric and
    which are text or lists."""
    d = dialect_of(dialect)
    kinds = column_kinds(sc, set(fields))

    def names(kind: str) -> str:
        return ", ".join(_comment(d.ident(f)) for f, k in kinds.items() if k == kind)

    lines = [f"icp-tui: {sc.name} v{sc.version} compiled for {d.title}: buckets, fit and timing scores, band, grade and flags per account.",
             f"Reads table {d.table(table)}."]
    if names("number"):
        lines.append(f"Numeric columns ({d.double_type}, NULL when unknown; not text): {names('number')}.")
    if names("text"):
        lines.append(f"Text columns (as exported; compared trimmed and lower-cased): {names('text')}.")
    if names("list"):
        lines.append(f"List columns (text, items separated by ; , | or line breaks): {names('list')}.")
    if names("absent"):
        lines.append(f"Not in the table (scored as unknown): {names('absent')}.")
    if d.name == "snowflake":
        lines.append("Quoted identifiers are case-sensitive in Snowflake: name the table and columns exactly so.")
    return "".join(f"-- {_comment(line)}\n" for line in lines)


def sql_input_table(accounts: AccountFrame, sc: Scorecard) -> pa.Table:
    """The scorecard's fields as SQL input: numbers parsed (NULL when unknown), the rest as written."""
    cols = {}
    numeric = numeric_fields(sc)
    for f in sc.fields():
        if not accounts.has(f):
            continue
        if f in numeric:
            cols[f] = pa.array(accounts.numbers(f).values, pa.float64(), from_pandas=True)
        else:
            cols[f] = accounts.raw(f)
    return pa.table(cols)
