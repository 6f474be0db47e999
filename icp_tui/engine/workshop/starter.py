"""The starter scorecard of a new workshop, drawn from the customer's own accounts file.

Nobody should have to type a scorecard before seeing one, and a made-up one would be opinion. The
starter reads the accounts as mapped: for a number (employees, annual revenue) the middle half of the
accounts (25th to 75th percentile, rounded to two significant figures) gets full points and the rest
some; for a category (industry, country) the three most common values do (never every value the
column has, or the criterion could not tell accounts apart). Every criterion says where
it came from in a comment: it is a place to start the workshop's argument, to be checked against won
and lost deals (Scorecard → Validation) and edited, not an answer.
"""

from __future__ import annotations

import math

import numpy as np
import tomlkit

from icp_tui.engine.core.accounts import AccountFrame

NUMERIC = (("employees", "company_size", "Company size", 25, "employees"),
           ("annual_revenue", "revenue", "Annual revenue", 25, "revenue"))
CATEGORY = (("industry", "industry", "Industry", 25), ("country", "geography", "Sales territory", 15),
            ("funding_stage", "funding", "Funding stage", 10))


def _q(s: str) -> str:
    return tomlkit.string(s).as_string()


def _round2(x: float) -> float:
    if x <= 0 or not math.isfinite(x):
        return 0.0
    digits = 1 - int(math.floor(math.log10(x)))
    return float(round(x, digits))


def _num(x: float) -> str:
    return f"{x:.0f}" if float(x).is_integer() else f"{x:g}"


def _short(x: float) -> str:
    for size, suffix in ((1e9, "B"), (1e6, "M")):
        if x >= size:
            return f"{x / size:g}{suffix}"
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:g}"


def starter_scorecard(accounts: AccountFrame | None, name: str = "Starter ICP scorecard") -> str:
    out = [
        "# Starter scorecard made by `icp workshop new` from the accounts file: the middle half of the",
        "# accounts on size and revenue, and the most common industries and countries. It is a place to",
        "# start: validate it against won and lost deals and edit it with the team.",
        "",
        "[scorecard]",
        f"name = {_q(name)}",
        'version = "0.1"',
        'description = "Drawn from the accounts file; edit in the Scorecard workbench."',
    ]
    criteria = 0
    for fld, cid, label, points, word in NUMERIC:
        if accounts is None or not accounts.has(fld):
            continue
        p = accounts.numbers(fld)
        values = p.values[p.known]
        if len(values) < 4:
            continue
        lo, hi = (_round2(float(v)) for v in np.percentile(values, [25, 75]))
        if not 0 < lo < hi:
            continue
        criteria += 1
        out += ["", f"# {label}: the middle half of the {len(values):,} accounts with a value ({_short(lo)} to {_short(hi)})",
                "[[criteria]]", f"id = {_q(cid)}", f"label = {_q(label)}", 'category = "firmographic"',
                f"field = {_q(fld)}", "weight = 1", f"max_points = {points}", "buckets = [",
                f"  {{ gte = {_num(lo)}, lte = {_num(hi)}, points = {points}, label = {_q(f'{_short(lo)}-{_short(hi)} {word}')} }},",
                f"  {{ lt = {_num(lo)}, points = {points // 5}, label = {_q(f'Under {_short(lo)}')} }},",
                f"  {{ gt = {_num(hi)}, points = {points // 2}, label = {_q(f'Over {_short(hi)}')} }},",
                "]"]
    for fld, cid, label, points in CATEGORY:
        if accounts is None or not accounts.has(fld):
            continue
        cats = accounts.categories(fld)
        counts = np.bincount(cats.codes[cats.codes >= 0], minlength=len(cats.categories))
        raw = accounts.raw(fld)  # each value as first written ("FinTech", not "fintech")
        most = np.argsort(-counts, kind="stable")[:min(3, int((counts > 0).sum()) - 1)]
        top = [str(raw[int(np.argmax(cats.codes == j))].as_py()).strip() for j in most if counts[j] > 0]
        if not top:
            continue
        criteria += 1
        listed = ", ".join(_q(str(t)) for t in top)
        out += ["", f"# {label}: the {len(top)} most common values in the accounts file; replace them with your best-fit ones",
                "[[criteria]]", f"id = {_q(cid)}", f"label = {_q(label)}",
                f"category = {_q('geographic' if fld == 'country' else 'firmographic')}", f"field = {_q(fld)}", "weight = 1",
                f"max_points = {points}", "buckets = [",
                f"  {{ in = [{listed}], points = {points}, label = {_q(' / '.join(map(str, top)))} }},",
                f"  {{ otherwise = true, points = 0, label = {_q('Other ' + label.lower())} }},",
                "]"]
    if not criteria:  # nothing to draw from: one criterion to edit, so that the scorecard is valid
        out += ["", "# The accounts file had no size, revenue, industry or country column that could be read:",
                "# edit this criterion (Scorecard workbench) to one your accounts file has.",
                "[[criteria]]", 'id = "company_size"', 'label = "Company size"', 'category = "firmographic"',
                'field = "employees"', "weight = 1", "buckets = [",
                '  { gte = 100, points = 10, label = "100+ employees" },',
                '  { otherwise = true, points = 0, label = "Under 100" },', "]"]
    for lo, label, tier in ((80, "Strong fit", "Tier 1"), (60, "Good fit", "Tier 2"), (40, "Possible fit", "Tier 3"),
                            (0, "Poor fit", "Pass")):
        out += ["", "[[bands]]", f"min = {lo}", f"label = {_q(label)}", f"tier = {_q(tier)}"]
    return "\n".join(out) + "\n"
