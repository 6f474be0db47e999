#!/usr/bin/env python3
"""Scoring benchmark (not part of the test run): python3 dev.py bench [--sizes 10000,100000,1000000]

For each N it writes N synthetic CRM accounts to a temp CSV, then times:
  import     read_accounts (CSV -> text columns -> parsed numeric fields)
  score      a fresh Scorer on the imported accounts: 10 criteria, 3 anti-personas, 3 exclusions
  csv->csv   the whole `icp score` path: import, score, scored CSV written (in-process)
  re-score   after one weight change (cached per-criterion points), median of 20
  bucket     after one criterion's buckets change, median of 5
  edit w/b   the workbench's whole step for a weight / a bucket edit: the edit through the tomlkit
             document (re-parsed, undoable), the re-score and the preview (bands, top 8 with their
             explanation, anti-persona and exclusion counts, accounts per bucket), median of 20 / 5
  duckdb     the same scorecard compiled to one SQL CASE query, on the same parsed input (if installed)
  icp score  the real command in a new process (start-up included) and its peak resident memory
Timings are the best of 3 unless noted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.synth import write_accounts  # noqa: E402
from icp_tui.engine.core.accounts import read_accounts  # noqa: E402
from icp_tui.engine.scorecard.export import scored_table, write_csv  # noqa: E402
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard  # noqa: E402
from icp_tui.engine.scorecard.scoring import Scorer  # noqa: E402
from icp_tui.engine.scorecard.sql import compile_duckdb, sql_input_table  # noqa: E402
from icp_tui.engine.workshop.scorecard_session import ScorecardSession  # noqa: E402

SCORECARD = ROOT / "sample_data" / "scorecard.toml"


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def run(n: int, tmp: Path) -> dict[str, float]:
    sf = ScorecardFile.open(SCORECARD)
    sc = sf.scorecard
    src = write_accounts(tmp / f"accounts_{n}.csv", n)
    out = tmp / f"scored_{n}.csv"
    res: dict[str, float] = {"n": n, "mb": src.stat().st_size / 1e6}
    res["import"] = best(lambda: read_accounts(src, sc.column_map, sc.units))
    accounts = read_accounts(src, sc.column_map, sc.units)
    res["score"] = best(lambda: Scorer(accounts).score(sc))

    def end_to_end() -> None:
        acc = read_accounts(src, sc.column_map, sc.units)
        write_csv(scored_table(acc, Scorer(acc).score(sc)), out)

    res["csv_to_csv"] = best(end_to_end, 2 if n >= 1_000_000 else 3)
    scorer = Scorer(accounts)
    scorer.score(sc)
    weights = [sf.set_weight("revenue", w) for w in (2, 3)]
    res["rescore_weight"] = median(lambda: scorer.score(weights[0]), 20)
    variants = [parse_scorecard(sf.text.replace('{ gte = 200, lte = 2000, points = 20',
                                                f'{{ gte = {lo}, lte = 2000, points = 20'))[1]
                for lo in (150, 160, 170, 180, 190, 210)]
    it = iter(variants)
    res["rescore_bucket"] = median(lambda: scorer.score(next(it)), 5)
    res["edit_weight"], res["edit_bucket"] = edit_steps(src, tmp)
    try:
        import duckdb
    except ImportError:
        duckdb = None
    if duckdb is not None:
        table = sql_input_table(accounts, sc)
        con = duckdb.connect()
        con.register("accounts", table)
        query = compile_duckdb(sc, set(table.column_names))
        res["duckdb"] = best(lambda: con.sql(query).to_arrow_table())
    # the real command, in its own process: wall time (with start-up) and its peak memory
    # The command runs as a grandchild: a child forked from this (large) process would carry this
    # process's peak memory in its own ru_maxrss, even after exec. The launcher is small.
    launch = ("import os, sys\npid = os.fork()\nif pid == 0:\n    os.execv(sys.executable, [sys.executable] + sys.argv[1:])\n"
              "_, status, usage = os.wait4(pid, 0)\nprint(usage.ru_maxrss)\nsys.exit(os.waitstatus_to_exitcode(status))")
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", launch, "-m", "icp_tui", "score", str(src), "-s", str(SCORECARD),
                           "-o", str(out)], check=True, stderr=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    res["cli_s"] = time.perf_counter() - t
    res["cli_mb"] = int(done.stdout.split()[-1]) / 1024
    return res


def edit_steps(src: Path, tmp: Path) -> tuple[float, float]:
    """The editor's step, as the scorecard screen runs it after a key press."""
    card = tmp / "scorecard.toml"
    card.write_text(SCORECARD.read_text(encoding="utf-8"), encoding="utf-8")
    s = ScorecardSession(None, scorecard=card, accounts=src)
    j = next(i for i, c in enumerate(s.scorecard.criteria) if c.id == "company_size")

    def step(op: str, *args, **kwargs) -> None:
        s.edit(op, *args, **kwargs)
        s.preview(8)
        s.bucket_counts(j)

    weights = iter([1.5, 2.0] * 10)
    lows = iter([150, 160, 170, 180, 190, 210])
    return (median(lambda: step("set_weight", "revenue", next(weights)), 20),
            median(lambda: step("set_bucket", "company_size", 0, test=f">= {next(lows)}, <= 2000"), 5))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="10000,100000,1000000")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"{'N':>9} {'CSV MB':>7} {'import s':>9} {'score s':>8} {'rows/s':>11} {'csv->csv s':>10} "
          f"{'weight ms':>9} {'bucket ms':>9} {'edit w ms':>9} {'edit b ms':>9} {'duckdb s':>8} {'ours/duck':>9} "
          f"{'icp score s':>11} {'its peak MB':>11}")
    with tempfile.TemporaryDirectory() as d:
        for n in sizes:
            r = run(n, Path(d))
            duck = r.get("duckdb")
            print(f"{n:>9,} {r['mb']:>7.1f} {r['import']:>9.3f} {r['score']:>8.3f} {n / r['score']:>11,.0f} "
                  f"{r['csv_to_csv']:>10.3f} {r['rescore_weight'] * 1e3:>9.2f} {r['rescore_bucket'] * 1e3:>9.2f} "
                  f"{r['edit_weight'] * 1e3:>9.2f} {r['edit_bucket'] * 1e3:>9.2f} "
                  f"{duck if duck else float('nan'):>8.3f} {r['score'] / duck if duck else float('nan'):>9.2f} "
                  f"{r['cli_s']:>11.2f} {r['cli_mb']:>11.0f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
