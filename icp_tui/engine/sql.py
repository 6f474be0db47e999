"""Compile a scorecard to one SQL query of plain CASE expressions (DuckDB dialect).

The query reads a table of raw account columns (text as exported; numeric fields already parsed
to DOUBLE, as :func:`sql_input_table` prepares them) and returns, per account, the bucket of every
criterion, the fit score, the band, and one flag per anti-persona and exclusion. It follows the
pandas engine rule for rule: text is compared trimmed and lower-cased, missing markers are NULL,
list cells are split on their separators, the first matching bucket wins, unknown values score 0,
and scores round half up to one decimal. Identifiers and literals are quoted, never pasted.
"""

from __future__ import annotations

import pyarrow as pa

from icp_tui.engine.accounts import AccountFrame
from icp_tui.engine.conditions import Matcher
from icp_tui.engine.scorecard import Scorecard
from icp_tui.engine.scoring import Scorer, value_kind
from icp_tui.engine.values import FALSE_TOKENS, LIST_SEPARATORS, MISSING_TOKENS, TRUE_TOKENS


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _num(x: float) -> str:
    """A DOUBLE literal (scientific notation, so SQL does not read it as DECIMAL)."""
    return f"{float(x):.17e}"


def _text(field: str) -> str:
    """The field's cleaned text (lower case, trimmed, NULL for missing markers), from the first CTE."""
    return ident("t:" + field)


def _items(field: str) -> str:
    """The field's list items, cleaned, from the first CTE."""
    return ident("l:" + field)


def _clean_text_sql(field: str) -> str:
    tokens = ", ".join(literal(t) for t in MISSING_TOKENS)
    col = f"lower(trim(CAST({ident(field)} AS VARCHAR)))"
    return f"(CASE WHEN {col} IN ({tokens}) THEN NULL ELSE {col} END)"


def _clean_items_sql(field: str) -> str:
    tokens = ", ".join(literal(t) for t in MISSING_TOKENS)
    split = f"regexp_split_to_array({_clean_text_sql(field)}, {literal(LIST_SEPARATORS)})"
    return f"list_filter(list_transform({split}, lambda s: trim(s)), lambda s: s NOT IN ({tokens}))"


def _known(field: str, kind: str, fields: set[str]) -> str:
    if field not in fields:
        return "FALSE"
    if kind == "number":
        return f"({ident(field)} IS NOT NULL)"
    if kind == "items":
        return f"COALESCE(len({_items(field)}) > 0, FALSE)"
    if kind == "bool":
        tokens = ", ".join(literal(t) for t in TRUE_TOKENS + FALSE_TOKENS)
        return f"COALESCE({_text(field)} IN ({tokens}), FALSE)"
    return f"({_text(field)} IS NOT NULL)"


def matcher_sql(m: Matcher, fields: set[str], kind_hint: str | None = None) -> str:
    """A boolean SQL expression that is never NULL."""
    kind = value_kind(m, kind_hint)
    known = _known(m.field, kind, fields)
    if m.field not in fields:
        return "TRUE" if m.kind == "missing" and m.flag else "FALSE"
    col = ident(m.field)
    if m.kind == "range":
        parts = [known]
        for op, bound in ((">=", m.gte), (">", m.gt), ("<=", m.lte), ("<", m.lt)):
            if bound is not None:
                parts.append(f"{col} {op} {_num(bound)}")
        return "(" + " AND ".join(parts) + ")"
    values = ", ".join(literal(v.lower()) for v in m.values)
    if m.kind == "in":
        return f"COALESCE({_text(m.field)} IN ({values}), FALSE)"
    if m.kind == "not_in":
        return f"({known} AND NOT COALESCE({_text(m.field)} IN ({values}), FALSE))"
    if m.kind == "contains_any":
        return f"COALESCE(list_has_any({_items(m.field)}, [{values}]), FALSE)"
    if m.kind == "contains_all":
        return f"COALESCE(list_has_all({_items(m.field)}, [{values}]), FALSE)"
    if m.kind == "contains_none":
        return f"({known} AND NOT COALESCE(list_has_any({_items(m.field)}, [{values}]), FALSE))"
    if m.kind == "is":
        tokens = TRUE_TOKENS if m.flag else FALSE_TOKENS
        return f"COALESCE({_text(m.field)} IN ({', '.join(literal(t) for t in tokens)}), FALSE)"
    if m.kind == "missing":
        return f"(NOT {known})" if m.flag else known
    return known  # otherwise


def compile_duckdb(sc: Scorecard, fields: set[str], table: str = "accounts") -> str:
    """One SELECT that scores ``table``; ``fields`` are the field columns the table has."""
    kind = {c.id: Scorer.criterion_kind(c) for c in sc.criteria}
    bucket_cols = []
    for c in sc.criteria:
        whens = [f"WHEN NOT {_known(c.field, kind[c.id], fields)} THEN -2"]
        whens += [f"WHEN {matcher_sql(b.matcher, fields, kind[c.id])} THEN {j}" for j, b in enumerate(c.buckets)]
        bucket_cols.append(f"CASE {' '.join(whens)} ELSE -1 END AS {ident('b_' + c.id)}")
    point_cols = []
    for c in sc.criteria:
        whens = " ".join(f"WHEN {j} THEN {_num(b.points * c.weight)}" for j, b in enumerate(c.buckets))
        point_cols.append(f"CASE {ident('b_' + c.id)} {whens} ELSE 0.0 END AS {ident('p_' + c.id)}")
    fit = [c for c in sc.criteria if sc.score_of(c) == "fit"]
    top = sum(c.max_points for c in fit)
    raw = " + ".join(ident("p_" + c.id) for c in fit) or "0.0"
    fit_expr = f"floor(round(({raw}) * {_num(100.0 / top)} * 10, 6) + 0.5) / 10" if top > 0 else "NULL"
    bands = sorted(sc.bands, key=lambda b: -b.min)
    band_expr = "CASE " + " ".join(f"WHEN fit_score >= {_num(b.min)} THEN {literal(b.label)}" for b in bands) + " ELSE NULL END"
    rule_cols = []
    for prefix, rules in (("anti_", sc.anti_personas), ("excl_", sc.exclusions)):
        for i, r in enumerate(rules):
            joiner = " AND " if r.join == "all" else " OR "
            rule_cols.append(f"({joiner.join(matcher_sql(m, fields) for m in r.conditions)}) AS {ident(prefix + str(i))}")
    inner = ",\n    ".join(["*"] + bucket_cols + rule_cols)
    middle = ",\n    ".join(["*"] + point_cols)
    used = "\n".join(bucket_cols + rule_cols)
    cleaned = [f"{_clean_text_sql(f)} AS {_text(f)}" for f in sorted(fields) if _text(f) in used]
    cleaned += [f"{_clean_items_sql(f)} AS {_items(f)}" for f in sorted(fields) if _items(f) in used]
    first = ",\n    ".join(["*"] + cleaned)
    return (
        f"WITH c AS (\n  SELECT\n    {first}\n  FROM {ident(table)}\n),\n"
        f"b AS (\n  SELECT\n    {inner}\n  FROM c\n),\n"
        f"p AS (\n  SELECT\n    {middle}\n  FROM b\n),\n"
        f"s AS (\n  SELECT *, {fit_expr} AS fit_score FROM p\n)\n"
        f"SELECT *, {band_expr} AS band FROM s"
    )


def sql_input_table(accounts: AccountFrame, sc: Scorecard) -> pa.Table:
    """The scorecard's fields as SQL input: numbers parsed (NULL when unknown), the rest as written."""
    cols = {}
    numeric = {b.matcher.field or c.field for c in sc.criteria for b in c.buckets if b.matcher.kind == "range"}
    numeric |= {c.field for c in sc.criteria if Scorer.criterion_kind(c) == "number"}
    numeric |= {m.field for r in sc.anti_personas + sc.exclusions for m in r.conditions if m.kind == "range"}
    for f in sc.fields():
        if not accounts.has(f):
            continue
        if f in numeric:
            cols[f] = pa.array(accounts.numbers(f).values, pa.float64(), from_pandas=True)
        else:
            cols[f] = accounts.raw(f)
    return pa.table(cols)
