#!/usr/bin/env python3
"""Alignment benchmark (not part of the test run): .venv/bin/python benchmarks/bench_alignment.py

Builds a universe of 100,000 accounts ("<Word><Word> <Suffix>", some with a legal form, each with
a domain) and five function lists of 2,000 entries each, sampled from a shared pool so that the
lists overlap, and typed the way people type them:

    60%  the name as in the CRM           "Bluefield Labs Inc."
    20%  a domain, URL or e-mail address  "bluefieldlabs.io", "https://www.bluefieldlabs.io/about", "sales@..."
    10%  another legal form, or the case  "Bluefield Labs GmbH", "BLUEFIELD LABS INC."
     5%  a one-letter typo                "Bluefeld Labs Inc."
     5%  a company not in the universe    "Zorvanix Dynamics"

Then it times ``Universe.build`` and ``align(lists, universe)`` separately (best of 3) and prints
the matched / to-confirm / new counts per kind of entry. Target: the five lists matched against the
100k universe within 1 s. Options: --accounts N, --entries N (per list), --seed N.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from icp_tui.engine.alignment.lists import Entry, FunctionList  # noqa: E402
from icp_tui.engine.alignment.matching import Universe  # noqa: E402
from icp_tui.engine.alignment.overlap import align  # noqa: E402

FIRST = ["Blue", "Green", "Red", "Silver", "Gold", "Iron", "Stone", "Oak", "Maple", "Cedar", "Pine", "River", "Lake", "Sun", "Moon", "Star", "North", "South", "East", "West", "Bright", "Clear", "Swift", "True", "Deep", "High", "Brook", "Frost", "Storm", "Cloud", "Ember", "Amber", "Crystal", "Harbor", "Summit", "Keystone", "Anchor", "Beacon", "Cobalt", "Copper", "Falcon", "Hawk", "Kestrel", "Lumen", "Nova", "Orbit", "Prism", "Quartz", "Raven", "Sage", "Tandem", "Vertex", "Willow", "Zephyr", "Arrow", "Birch", "Canyon", "Delta", "Echo", "Fern", "Glacier", "Hollow", "Indigo", "Jade", "Juniper", "Lotus", "Marble", "Nimbus", "Onyx", "Pebble", "Ridge", "Sable", "Thistle", "Umber", "Velvet", "Wren", "Yarrow", "Aspen"]
SECOND = ["field", "brook", "gate", "line", "point", "stone", "works", "wave", "forge", "light", "peak", "ridge", "bridge", "crest", "wood", "haven", "path", "port", "side", "view", "vale", "mark", "well", "dale", "ford", "fall", "glen", "hill", "land", "mere", "moor", "shore", "wind", "wing", "spring", "water", "yard", "bay", "cliff", "cove", "creek", "dune", "grove", "heath", "isle", "mill", "mont"]
SUFFIX = ["Labs", "Systems", "Software", "Health", "Capital", "Partners", "Media", "Analytics", "Cloud", "Digital", "Foods", "Logistics", "Energy", "Robotics", "Security", "Studio", "Apps", "Bio", "Finance", "Retail", "Networks", "Consulting", "Ventures", "Data", "Care", "Learning", "Motors", "Foundation", "Insurance", "Advisors"]
LEGAL = ["", "", "", " Inc.", " Ltd", " LLC", " GmbH", " SA", " Corp."]
TLDS = ["com", "io", "co", "ai", "de", "fr", "co.uk", "com.au"]
OUTSIDE = ["Zorvanix", "Quillfeather", "Xandrel", "Yubarta", "Wixolo", "Vquant", "Ulmaro", "Trexby", "Sqalio", "Pyronex", "Omnivale", "Nexubo", "Mirquo", "Lyxter", "Kovanta", "Jurbo", "Ixtlan", "Hazmo", "Gribble", "Fyxon"]
KINDS = ("name", "address", "legal/case", "typo", "outside")
SHARES = (0.60, 0.20, 0.10, 0.05, 0.05)


def make_universe(n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    combos = len(FIRST) * len(SECOND) * len(SUFFIX)
    if n > combos:
        raise SystemExit(f"at most {combos:,} distinct names")
    pick = rng.choice(combos, n, replace=False)  # distinct (first, second, suffix) triples: distinct names
    f, rest = np.divmod(pick, len(SECOND) * len(SUFFIX))
    s, x = np.divmod(rest, len(SUFFIX))
    legal = rng.integers(0, len(LEGAL), n)
    tld = rng.integers(0, len(TLDS), n)
    names, domains = [], []
    for i in range(n):
        stem = FIRST[f[i]] + SECOND[s[i]]
        names.append(f"{stem} {SUFFIX[x[i]]}{LEGAL[legal[i]]}")
        domains.append(f"{stem}{SUFFIX[x[i]]}.{TLDS[tld[i]]}".lower())
    ids = np.array([f"ACC-{i:06d}" for i in range(1, n + 1)], dtype=object)
    return ids, np.array(names, dtype=object), np.array(domains, dtype=object)


def typo(name: str, rng: np.random.Generator) -> str:
    """One letter replaced, dropped or doubled, past the first two letters."""
    i = int(rng.integers(2, len(name) - 1))
    how = rng.integers(3)
    if how == 0:
        return name[:i] + "aeiourstln"[int(rng.integers(10))] + name[i + 1:]
    return name[:i] + name[i + 1:] if how == 1 else name[:i] + name[i] + name[i:]


def typed(kind: str, name: str, domain: str, rng: np.random.Generator) -> str:
    if kind == "name":
        return name
    if kind == "address":
        return [domain, f"https://www.{domain}/about", f"sales@{domain}"][int(rng.integers(3))]
    if kind == "legal/case":
        base = name
        for form in LEGAL[3:]:
            base = base.removesuffix(form)
        return base + LEGAL[3:][int(rng.integers(len(LEGAL) - 3))] if rng.random() < 0.5 else name.upper()
    if kind == "typo":
        return typo(name, rng)
    return f"{OUTSIDE[int(rng.integers(len(OUTSIDE)))]} {SUFFIX[int(rng.integers(len(SUFFIX)))]} {int(rng.integers(1000))}"


def make_lists(ids, names, domains, n_lists: int, entries: int, rng: np.random.Generator):
    pool = rng.choice(len(ids), min(len(ids), entries * 3), replace=False)  # shared pool: the lists overlap
    lists, truth = [], []
    for j in range(n_lists):
        accounts = rng.choice(pool, entries, replace=False)
        kinds = rng.choice(len(KINDS), entries, p=SHARES)
        fl = FunctionList(f"Function {j + 1}")
        for rank, (a, k) in enumerate(zip(accounts, kinds), 1):
            fl.entries.append(Entry(typed(KINDS[k], names[a], domains[a], rng), rank))
        lists.append(fl)
        truth.append([(KINDS[k], int(a)) for a, k in zip(accounts, kinds)])
    return lists, truth


def best(fn, repeat: int = 3) -> tuple[float, object]:
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--entries", type=int, default=2_000, help="entries per list (five lists)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    rng = np.random.default_rng(args.seed)
    ids, names, domains = make_universe(args.accounts, rng)
    lists, truth = make_lists(ids, names, domains, 5, args.entries, rng)

    t_build, universe = best(lambda: Universe.build(ids, names, domains))
    t_align, a = best(lambda: align(lists, universe))
    n_entries = sum(len(fl.entries) for fl in lists)
    print(f"universe: {len(universe):,} accounts; lists: {len(lists)} x {args.entries:,} = {n_entries:,} entries")
    print(f"Universe.build       {t_build:7.3f} s  (best of 3)")
    print(f"align(lists, u)      {t_align:7.3f} s  (best of 3)  {n_entries / t_align:,.0f} entries/s")
    target = "within" if t_align <= 1.0 else "OVER"
    print(f"target: align {target} 1 s")

    # outcome per kind of entry; "right" = matched to the account the entry was made from
    table: dict[str, Counter] = {k: Counter() for k in KINDS}
    for fl, tr in zip(lists, truth):
        for m, (kind, acc) in zip(a.matches[fl.function], tr):
            table[kind][m.status] += 1
            if m.status == "matched":
                table[kind]["right" if m.account == acc else "wrong"] += 1
    print(f"\n{'entry typed as':<14}{'entries':>9}{'matched':>9}{'right':>7}{'wrong':>7}{'confirm':>9}{'new':>7}")
    total = Counter()
    for kind, c in table.items():
        n = c["matched"] + c["confirm"] + c["new"]
        total.update(c)
        print(f"{kind:<14}{n:>9,}{c['matched']:>9,}{c['right']:>7,}{c['wrong']:>7,}{c['confirm']:>9,}{c['new']:>7,}")
    print(f"{'all':<14}{n_entries:>9,}{total['matched']:>9,}{total['right']:>7,}{total['wrong']:>7,}"
          f"{total['confirm']:>9,}{total['new']:>7,}")
    print(f"\nproposals: {len(a.proposals):,}; consensus (2+): {len(a.consensus(2)):,}; "
          f"orphans: {len(a.orphans()):,}; contested: {len(a.contested()):,}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
