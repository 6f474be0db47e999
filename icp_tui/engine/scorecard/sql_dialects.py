"""SQL dialects: how DuckDB, Spark, Snowflake and BigQuery quote names and text and handle arrays.

Only what differs between them lives here; :mod:`icp_tui.engine.scorecard.sql` builds the same query shape
for every dialect from these pieces.
"""

from __future__ import annotations

import re

from icp_tui.engine.core.values import LIST_SEPARATORS

DIALECTS = ("duckdb", "spark", "snowflake", "bigquery")


# ----------------------------------------------------------------------------------------------
# Dialects: quoting and the functions that differ


class Dialect:
    """DuckDB: standard quoting (no backslash escapes), list functions with Python-style lambdas."""

    name = "duckdb"
    title = "DuckDB"
    text_type = "VARCHAR"
    double_type = "DOUBLE"

    def ident(self, name: str) -> str:
        return '"' + name.replace('"', '""') + '"'

    def literal(self, value: str) -> str:
        return "'" + value.replace("'", "''") + "'"

    def num(self, x: float) -> str:
        """A DOUBLE literal (scientific notation, so SQL does not read it as DECIMAL)."""
        return f"{float(x):.17e}"

    def table(self, name: str | tuple[str, ...] | list[str]) -> str:
        """A table name: one identifier, or a qualified name given as its parts (db, schema, table)."""
        parts = [name] if isinstance(name, str) else list(name)
        return ".".join(self.ident(p) for p in parts)

    def helper(self, prefix: str, field: str) -> str:
        """The name of a column the first CTE adds for ``field`` ("t": cleaned text, "l": items)."""
        return f"{prefix}:{field}"

    def split_items(self, text: str, tokens: str) -> str:
        """``text`` (cleaned, or NULL) split on the list separators; items trimmed, missing markers dropped."""
        split = f"regexp_split_to_array({text}, {self.literal(LIST_SEPARATORS)})"
        return f"list_filter(list_transform({split}, lambda s: trim(s)), lambda s: s NOT IN ({tokens}))"

    def size(self, arr: str) -> str:
        return f"len({arr})"

    def has_any(self, arr: str, values: list[str]) -> str:
        return f"list_has_any({arr}, [{self.values(values)}])"

    def has_all(self, arr: str, values: list[str]) -> str:
        return f"list_has_all({arr}, [{self.values(values)}])"

    def values(self, values: list[str]) -> str:
        return ", ".join(self.literal(v) for v in values)

    def separators(self) -> str:
        """The separator regex with its newline as a real character (escaped again by :meth:`literal`),
        so that engines whose bracket expressions take a backslash literally still read a newline."""
        return LIST_SEPARATORS.replace(r"\n", "\n")


def _backslash_escapes(value: str, quote: str, doubled: bool = False) -> str:
    """Escape for literals where backslash is an escape character (Spark, Snowflake, BigQuery)."""
    out = value.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    return out.replace(quote, quote + quote if doubled else "\\" + quote)


class Spark(Dialect):
    """Spark SQL 3.x: backquoted identifiers; backslash escapes in string literals; higher-order functions."""

    name = "spark"
    title = "Spark SQL"
    text_type = "STRING"
    double_type = "DOUBLE"

    def ident(self, name: str) -> str:
        return "`" + name.replace("`", "``") + "`"

    def literal(self, value: str) -> str:
        # '' is not an escape in Spark (adjacent literals are concatenated): \' is.
        return "'" + _backslash_escapes(value, "'") + "'"

    def split_items(self, text: str, tokens: str) -> str:
        split = f"split({text}, {self.literal(self.separators())})"
        return f"filter(transform({split}, s -> trim(s)), s -> s NOT IN ({tokens}))"

    def size(self, arr: str) -> str:
        return f"size({arr})"

    def has_any(self, arr: str, values: list[str]) -> str:
        return f"arrays_overlap({arr}, array({self.values(values)}))"

    def has_all(self, arr: str, values: list[str]) -> str:
        return f"forall(array({self.values(values)}), v -> array_contains({arr}, v))"


class Snowflake(Dialect):
    """Snowflake: double-quoted identifiers; backslash escapes in string literals; FILTER/TRANSFORM."""

    name = "snowflake"
    title = "Snowflake"
    double_type = "FLOAT"

    def literal(self, value: str) -> str:
        # Snowflake reads backslash escapes in single-quoted constants: a trailing \ would escape the quote.
        return "'" + _backslash_escapes(value, "'", doubled=True) + "'"

    def num(self, x: float) -> str:
        return f"CAST({float(x):.17e} AS FLOAT)"

    def split_items(self, text: str, tokens: str) -> str:
        # No regex split: turn every separator into '|' (itself a separator) and split on that.
        split = f"SPLIT(REGEXP_REPLACE({text}, {self.literal(self.separators())}, '|'), '|')"
        return f"FILTER(TRANSFORM({split}, s VARCHAR -> TRIM(s)), s VARCHAR -> s NOT IN ({tokens}))"

    def size(self, arr: str) -> str:
        return f"ARRAY_SIZE({arr})"

    def has_any(self, arr: str, values: list[str]) -> str:
        return f"ARRAYS_OVERLAP({arr}, ARRAY_CONSTRUCT({self.values(values)}))"

    def has_all(self, arr: str, values: list[str]) -> str:
        tests = [f"ARRAY_CONTAINS(CAST({self.literal(v)} AS VARIANT), {arr})" for v in dict.fromkeys(values)]
        return "(" + " AND ".join(tests) + ")"


class BigQuery(Dialect):
    """BigQuery (GoogleSQL): backquoted identifiers and literals with backslash escapes; UNNEST subqueries."""

    name = "bigquery"
    title = "BigQuery"
    text_type = "STRING"
    double_type = "FLOAT64"

    def ident(self, name: str) -> str:
        return "`" + _backslash_escapes(name, "`") + "`"

    def literal(self, value: str) -> str:
        # '' is not an escape in GoogleSQL: \' is.
        return "'" + _backslash_escapes(value, "'") + "'"

    def num(self, x: float) -> str:
        return f"{float(x):.17e}"  # a literal with an exponent is FLOAT64 in GoogleSQL

    def helper(self, prefix: str, field: str) -> str:
        # Column names are letters, digits and underscores; Compiler makes them unique.
        return f"icp_{prefix}_" + re.sub(r"[^A-Za-z0-9_]", "_", field)

    def split_items(self, text: str, tokens: str) -> str:
        split = f"SPLIT(REGEXP_REPLACE({text}, {self.literal(self.separators())}, '|'), '|')"
        return f"ARRAY(SELECT TRIM(s) FROM UNNEST({split}) AS s WHERE TRIM(s) NOT IN ({tokens}))"

    def size(self, arr: str) -> str:
        return f"ARRAY_LENGTH({arr})"

    def has_any(self, arr: str, values: list[str]) -> str:
        return f"EXISTS(SELECT 1 FROM UNNEST({arr}) AS x WHERE x IN ({self.values(values)}))"

    def has_all(self, arr: str, values: list[str]) -> str:
        return f"NOT EXISTS(SELECT 1 FROM UNNEST([{self.values(values)}]) AS v WHERE v NOT IN UNNEST({arr}))"


_DIALECTS = {d.name: d for d in (Dialect(), Spark(), Snowflake(), BigQuery())}


def dialect_of(name: str) -> Dialect:
    try:
        return _DIALECTS[name]
    except KeyError:
        raise ValueError(f"unknown SQL dialect {name!r} (use one of: {', '.join(DIALECTS)})") from None
