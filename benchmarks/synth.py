"""Synthetic accounts for the benchmark: N rows of CRM-like, partly messy values, made with numpy."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

INDUSTRIES = np.array(["SaaS", "FinTech", "HealthTech", "Software", "E-commerce", "MarTech", "Retail",
                       "Manufacturing", "Logistics", "Agency", "Consulting", "Financial Services"])
STAGES = np.array(["Bootstrapped", "Pre-seed", "Seed", "Series A", "Series B", "Series C", "Series D+", "Public"])
COUNTRIES = np.array(["United States", "USA", "United Kingdom", "Germany", "France", "Canada", "India",
                      "Brazil", "Netherlands", "Spain", "Russia"])
TOOLS = np.array(["Salesforce", "HubSpot", "Snowflake", "BigQuery", "Salesforce Marketing Cloud", "Segment",
                  "Marketo", "Gong", "Slack", "Looker"])
USE_CASES = np.array(["Revenue analytics", "Pipeline forecasting", "Customer retention", "Marketing attribution",
                      "Financial planning", ""])
BUYER = np.array(["", "", "", "", "Confirmed", "Likely"])
TYPES = np.array(["Prospect"] * 18 + ["Customer", "Competitor"])


def _s(values) -> pa.Array:
    return pa.array(np.asarray(values).astype(str), pa.string())


def make_accounts(n: int, seed: int = 7) -> pa.Table:
    rng = np.random.default_rng(seed)
    emp = np.exp(rng.normal(5.5, 1.6, n)).astype(np.int64) + 1
    rev = emp * rng.uniform(80_000, 300_000, n)
    emp_txt = _s(emp)
    style = rng.random(n)
    emp_txt = pc.if_else(pa.array(style < 0.08), pc.binary_join_element_wise(_s(np.round(emp / 1000, 1)), "k", ""), emp_txt)
    emp_txt = pc.if_else(pa.array(style > 0.98), "n/a", emp_txt)
    rev_txt = pc.binary_join_element_wise("$", _s(np.round(rev / 1e6, 1)), "M", "")
    rev_txt = pc.if_else(pa.array(rng.random(n) < 0.3), _s(np.round(rev).astype(np.int64)), rev_txt)
    growth = _s(np.round(rng.normal(15, 20, n)).astype(int))
    growth = pc.binary_join_element_wise(growth, "%", "")
    k = rng.integers(1, 4, n)
    t1, t2, t3 = (TOOLS[rng.integers(0, len(TOOLS), n)] for _ in range(3))
    stack = np.where(k == 1, t1, np.where(k == 2, np.char.add(np.char.add(t1, "; "), t2),
                                          np.char.add(np.char.add(np.char.add(np.char.add(t1, "; "), t2), "; "), t3)))
    intent = rng.integers(0, 101, n)
    ids = pc.binary_join_element_wise("ACC-", _s(np.arange(n)), "")
    return pa.table({
        "Account ID": ids,
        "Account Name": pc.binary_join_element_wise("Company ", _s(np.arange(n)), " Inc.", ""),
        "Website": pc.binary_join_element_wise("company", _s(np.arange(n)), ".com", ""),
        "Type": _s(TYPES[rng.integers(0, len(TYPES), n)]),
        "Industry": _s(INDUSTRIES[rng.integers(0, len(INDUSTRIES), n)]),
        "Employees": emp_txt,
        "Annual Revenue": rev_txt,
        "Growth Rate": growth,
        "Funding Stage": _s(STAGES[rng.integers(0, len(STAGES), n)]),
        "Billing Country": _s(COUNTRIES[rng.integers(0, len(COUNTRIES), n)]),
        "Tech Stack": _s(stack),
        "Use Case": _s(USE_CASES[rng.integers(0, len(USE_CASES), n)]),
        "Intent Score": pc.if_else(pa.array(rng.random(n) < 0.1), "", _s(intent)),
        "Economic Buyer": _s(BUYER[rng.integers(0, len(BUYER), n)]),
    })


def write_accounts(path: Path, n: int, seed: int = 7) -> Path:
    pacsv.write_csv(make_accounts(n, seed), str(path))
    return path
