"""Which column of an export holds which field: the headers CRMs write, guessed and confirmed.

Three file kinds are read: ``accounts`` (the account universe), ``deals`` (an opportunity export) and
``list`` (one function's proposed target accounts). For each, :data:`FIELDS` names the canonical fields
and the headers known to mean them (compared after :func:`header_key`: lower case, anything but
letters and digits as one space). :func:`guess_mapping` maps a file's headers in four passes, each
taking only fields and headers still free:

1. what the user said (``--map``, ``[import.KIND.columns]`` in workshop.toml, the app's mapping
   screen); a header mapped to ``ignore`` is never guessed;
2. a known header, exactly;
3. a known header after an entity prefix (Pipedrive's "Deal - Value", "Organization - Name");
4. a similar header (rapidfuzz ratio of the keys, at least :data:`SIMILAR`), e.g. "Industy".

:func:`describe_mapping` adds three sample values per column, for the report and the mapping screen.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

#: Similar-header threshold (rapidfuzz ``fuzz.ratio`` of the header keys, 0-100).
SIMILAR = 90
IGNORE = "ignore"
KINDS = ("accounts", "deals", "list")
_PREFIXES = ("deal", "opportunity", "opp", "organization", "organisation", "company", "account", "person")


@functools.lru_cache(maxsize=1 << 16)  # a file's headers are keyed by each pass of each file kind
def header_key(header: str) -> str:
    """Header compared loosely: lower case, anything but letters and digits as one space."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", header.lower()).split())


@dataclass(frozen=True)
class FieldSpec:
    name: str
    what: str  # said on screen: "the company's name"
    headers: tuple[str, ...]  # header keys that mean this field


def _f(name: str, what: str, headers: str) -> FieldSpec:
    return FieldSpec(name, what, tuple(h.strip() for h in headers.split(",") if h.strip()))


FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "accounts": (
        _f("account_id", "the CRM's account id", "account id, record id, company id, id, acct id, account number, crm id"),
        _f("name", "the company's name", "account name, company name, name, company, account, acct, acct name, organization, "
                                         "organisation, organization name, organisation name, customer, customer name, "
                                         "business name, legal name, org, org name"),
        _f("domain", "its website or domain", "website, company domain name, domain, url, web site, web, homepage, website url, "
                                             "company website, domain name"),
        _f("industry", "industry", "industry, vertical, sector, industry vertical, naics description, sic description"),
        _f("sub_industry", "sub-industry", "sub industry, subindustry, sub vertical, sub sector"),
        _f("employees", "number of employees", "employees, number of employees, employee count, headcount, no of employees, "
                                               "num employees, employees total, company size, staff, fte, ftes, employee range"),
        _f("annual_revenue", "annual revenue", "annual revenue, revenue, annual revenue usd, revenue usd, arr, yearly revenue, "
                                               "turnover, annual turnover, sales revenue, company revenue"),
        _f("growth_rate", "revenue growth", "growth rate, growth, yoy growth, revenue growth, growth yoy, annual growth"),
        _f("funding_stage", "funding stage", "funding stage, last funding round, funding round, funding, latest funding stage"),
        _f("founded_year", "year founded", "founded, year founded, founded year, founding year, established"),
        _f("country", "country", "country, billing country, country region, hq country, headquarters country, country name, "
                                 "shipping country, office country location"),
        _f("region", "region or state", "region, billing state province, state, state region, province, billing state, "
                                        "state province, territory"),
        _f("tech_stack", "technologies used", "tech stack, technologies, technology stack, technographics, tools, "
                                              "installed technologies, current tools"),
        _f("use_case", "main use case", "use case, primary use case, use cases"),
        _f("intent_score", "buying-intent score", "intent score, intent, buyer intent, intent signal score"),
    ),
    "deals": (
        _f("deal_id", "the opportunity id", "opportunity id, deal id, record id, id, opportunity number, opp id"),
        _f("deal_name", "the opportunity's name", "opportunity name, deal name, name, title, opportunity, deal title, topic"),
        _f("account_id", "the account id", "account id, company id, acct id, customer id, organization id"),
        _f("account_name", "the account's name", "account name, associated company, company, company name, account, acct, "
                                                 "organization, organisation, organization name, customer, customer name, "
                                                 "client, potential customer, associated company primary, org, org name"),
        _f("domain", "the account's website", "website, domain, company domain, company domain name, url"),
        _f("stage", "stage or outcome (won, lost, open)", "stage, deal stage, outcome, status, opportunity stage, stage name, "
                                                           "sales stage, result, won lost, win loss, deal status"),
        _f("amount", "deal value", "amount, acv, deal amount, annual contract value, value, close value, amount usd, "
                                   "deal value, opportunity amount, total contract value, tcv, contract value, est revenue, "
                                   "estimated revenue, actual revenue, deal size, arr"),
        _f("created", "date created", "created date, create date, created, opened, engage date, created on, created time, "
                                      "date created, open date, creation date, deal created, start date"),
        _f("closed", "date closed", "close date, closed date, closed, close, closing date, actual close date, closed on, "
                                    "won time, date closed, won lost date, close time"),
        _f("use_case", "use case", "use case, primary use case"),
        _f("segment", "segment", "segment, market segment, customer segment"),
        _f("churned", "churned (yes/no)", "churned, churn, is churned, lost customer"),
        _f("nrr", "net revenue retention", "nrr, net revenue retention, net retention"),
        _f("expansion", "expansion revenue", "expansion, expansion revenue, upsell"),
        _f("ltv", "lifetime value", "ltv, lifetime value, clv, customer lifetime value"),
        _f("cac", "acquisition cost", "cac, customer acquisition cost, acquisition cost"),
    ),
    "list": (
        _f("company", "the proposed company", "company, company name, account, account name, name, organization, organisation, "
                                              "target, target account, acct, customer, org, org name, account to target"),
        _f("website", "its website", "website, domain, url, web site, company domain name"),
        _f("rank", "rank or priority (a whole number)", "rank, priority, order, position"),
        _f("reason", "why it is proposed", "reason, why, notes, note, comment, comments, rationale"),
    ),
}


def field_names(kind: str) -> tuple[str, ...]:
    return tuple(f.name for f in FIELDS[kind])


def aliases(kind: str) -> dict[str, str]:
    """header key -> field, first field winning a key two fields know (as the tables are ordered)."""
    out: dict[str, str] = {}
    for spec in FIELDS[kind]:
        for h in spec.headers:
            out.setdefault(h, spec.name)
    return out


@dataclass(frozen=True)
class Mapped:
    field: str
    header: str
    how: str  # "set by you", "known header", "known header after 'Deal - '", "similar to 'account name' (93)"
    unit: str = ""  # a unit the header names: "Revenue (in millions)" -> "millions"


def _without_prefix(key: str) -> str | None:
    first, _, rest = key.partition(" ")
    return rest if first in _PREFIXES and rest else None


#: Words a header may end with after the field's name: a currency, or a unit the values are written in.
_CURRENCIES = ("usd", "eur", "gbp", "chf", "cad", "aud", "jpy", "sek", "nok", "dkk", "pln", "inr")
_UNITS = {"k": "thousands", "thousands": "thousands", "000s": "thousands", "000": "thousands", "in thousands": "thousands",
          "m": "millions", "mm": "millions", "mn": "millions", "millions": "millions", "in millions": "millions",
          "bn": "billions", "billions": "billions", "in billions": "billions", "pct": "percent", "percent": "percent"}


def _with_unit(key: str, known: dict[str, str]) -> tuple[str, str] | None:
    """'annual revenue usd m' -> ('annual revenue', 'millions'): a known header followed by currency/unit words."""
    words = key.split(" ")
    for cut in range(len(words) - 1, 0, -1):
        head, tail = " ".join(words[:cut]), " ".join(words[cut:])
        if head not in known:
            continue
        rest = [w for w in tail.split(" ") if w not in _CURRENCIES and w != "in"]
        unit_words = " ".join(rest)
        if not rest:
            return head, ""
        if unit_words in _UNITS:
            return head, _UNITS[unit_words]
    return None


def guess_mapping(kind: str, headers: list[str], overrides: dict[str, str] | None = None) -> dict[str, Mapped]:
    """field -> how it was found, in the four passes of the module docstring. ``overrides``: header -> field
    (the header exactly or equal but for case and spacing; field ``ignore`` leaves the header unread)."""
    from rapidfuzz import fuzz, process

    known = aliases(kind)
    out: dict[str, Mapped] = {}
    taken: set[str] = set()
    keys = {h: header_key(h) for h in headers}
    chosen: dict[str, str] = {}  # header -> field; a later override of the same header (spelt loosely) wins
    for src, target in (overrides or {}).items():
        h = src if src in keys else next((x for x, k in keys.items() if k == header_key(src)), None)
        if h is not None:
            chosen.pop(h, None)
            chosen[h] = target
    for h, target in chosen.items():
        taken.add(h)
        if target != IGNORE:
            out.pop(target, None)
            found = _with_unit(keys[h], known)  # "Annual Revenue (in millions)" keeps its unit when confirmed
            out[target] = Mapped(target, h, "set by you", found[1] if found else "")

    def free(fld: str, h: str) -> bool:
        return fld not in out and h not in taken

    def take(fld: str, h: str, how: str, unit: str = "") -> None:
        out[fld] = Mapped(fld, h, how, unit)
        taken.add(h)

    for h, k in keys.items():
        if (fld := known.get(k)) and free(fld, h):
            take(fld, h, "known header")
    for h, k in keys.items():
        rest = _without_prefix(k)
        if rest and (fld := known.get(rest)) and free(fld, h):
            take(fld, h, f"known header '{rest}' after '{k.split(' ')[0]}'")
    for h, k in keys.items():
        if h not in taken and (found := _with_unit(k, known)) and free(known[found[0]], h):
            take(known[found[0]], h, f"known header '{found[0]}'" + (f", written in {found[1]}" if found[1] else ""), found[1])
    choices = list(known)
    left = [(h, k) for h, k in keys.items() if h not in taken and len(k) >= 4]
    scored = []
    if left:  # every header against every alias in one call (10,000 headers in milliseconds)
        ratios = process.cdist([k for _, k in left], choices, scorer=fuzz.ratio, score_cutoff=SIMILAR, dtype=np.float64)
        best = ratios.argmax(axis=1)  # the first alias of the highest ratio, as extractOne picks
        for (h, _), j, row in zip(left, best, ratios):
            if row[j] >= SIMILAR:
                scored.append((float(row[j]), h, choices[j]))
    for score, h, alias in sorted(scored, key=lambda t: -t[0]):
        if free(known[alias], h):
            take(known[alias], h, f"similar to '{alias}' ({score:.0f})")
    return out


def guess_kind(headers: list[str]) -> str:
    """The file kind the headers fit best: a stage column makes it deals; few columns and no firmographics, a list."""
    if "stage" in guess_mapping("deals", headers):
        return "deals"
    accounts = guess_mapping("accounts", headers)
    return "list" if len(accounts) <= 2 and len(headers) <= 4 else "accounts"


@dataclass
class ColumnView:
    header: str
    samples: list[str]
    field: str | None = None
    how: str = ""
    unit: str = ""  # the unit the header names ("(in millions)")


@dataclass
class MappingReport:
    """A file's columns, what each was mapped to and how, with sample values; fields not found."""

    kind: str
    path: str
    columns: list[ColumnView]
    missing: list[str] = field(default_factory=list)  # fields no column holds

    def mapping(self) -> dict[str, str]:
        return {c.field: c.header for c in self.columns if c.field}

    def lines(self) -> list[str]:
        width = max((len(c.header) for c in self.columns), default=6) + 2
        out = [f"{self.path}: {self.kind} file, {len(self.columns)} columns"]
        for c in self.columns:
            read = f"→ {c.field} ({c.how})" if c.field else "→ not read"
            ex = ", ".join(repr(s) for s in c.samples) or "(all blank)"
            out.append(f"  {c.header:<{width}}{read}; e.g. {ex}")
        if self.missing:
            out.append("  not found: " + ", ".join(self.missing))
        return out


def samples(col: pa.ChunkedArray, n: int = 3) -> list[str]:
    """The first ``n`` distinct non-blank values of a text column (looked for in its first 2,000 rows)."""
    seen: dict[str, None] = {}
    for size in (50, 2000):  # most columns show their values in the first rows: a wide file stays fast
        for v in col.slice(0, size).to_pylist():
            if v and (v := str(v).strip()) and v not in seen:
                seen[v] = None
                if len(seen) == n:
                    return [s[:40] for s in seen]
        if len(col) <= size:
            break
    return [s[:40] for s in seen]


def describe_mapping(kind: str, table: pa.Table, path: str, overrides: dict[str, str] | None = None) -> MappingReport:
    guess = guess_mapping(kind, table.column_names, overrides)
    by_header = {m.header: m for m in guess.values()}
    cols = [ColumnView(h, samples(col), *((m.field, m.how, m.unit) if (m := by_header.get(h)) else (None, "", "")))
            for h, col in zip(table.column_names, table.columns)]
    missing = [f for f in field_names(kind) if f not in guess]
    return MappingReport(kind, path, cols, missing)
