"""``icp score``, ``icp lint`` and ``icp sql``: a scorecard applied to accounts or compiled."""

from __future__ import annotations

import sys
from pathlib import Path

from icp_tui.cli.common import PROGRESS_BYTES, UsageError, check_map, count, emit, need, pairs, progress_bar, workshop_files


def cmd_score(args) -> int:
    from icp_tui.engine.core.values import unit_factor
    from icp_tui.engine.scorecard.export import scored_table, write_csv, write_json
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.scoring import Scorer
    from icp_tui.engine.workshop.imports import read_accounts_with

    ws = workshop_files(args, "scorecard", "accounts")
    if not args.accounts:
        raise UsageError("an accounts file is needed: icp score ACCOUNTS.csv -s SCORECARD (or -w DIR, a workshop)")
    need(args, "scorecard")
    sf = ScorecardFile.open(args.scorecard)
    sc = sf.scorecard
    units = {}
    for k, v in pairs(args.unit, "--unit").items():
        try:
            units[k] = unit_factor(v)
        except ValueError as e:
            raise UsageError(f"--unit {k}={v}: {e}") from None
    column_map = pairs(args.map, "--map")
    big = Path(args.accounts).is_file() and Path(args.accounts).stat().st_size > PROGRESS_BYTES
    progress = progress_bar(big and sys.stderr.isatty())
    steps = len(sc.criteria) + 3
    task = None
    if progress:
        progress.start()
        task = progress.add_task("Reading accounts", total=steps)

    def step(text: str) -> None:
        if progress:
            progress.update(task, advance=1, description=text)

    try:
        accounts = read_accounts_with(args.accounts, ws.settings("accounts") if ws else None, sc, column_map, units)
        check_map(pairs(args.map, "--map"), accounts.table.column_names, "--map", accounts.path)
        for fld in pairs(args.unit, "--unit"):
            if not accounts.has(fld):
                raise UsageError(f"--unit {fld}=...: {accounts.path} has no column for '{fld}' (give the field, "
                                 "e.g. annual_revenue, or map its header with --map)")
        step("Scoring")
        scorer = Scorer(accounts)
        for c in sc.criteria:
            scorer.criterion_points(c)
            step(f"Scored {c.label}")
        result = scorer.score(sc)
        fmt = args.format or ("json" if (args.output or "").lower().endswith(".json") else "csv")
        from icp_tui.cli.segment_cmds import best_segments

        segment = best_segments(args, ws, scorer)
        table = scored_table(accounts, result, typed=fmt == "json", segment=segment)  # JSON: numbers and yes/no as such
        step("Writing")
        writer = write_json if fmt == "json" else write_csv
        if args.output:
            writer(table, args.output)
        else:
            writer(table, None, stream=sys.stdout.buffer)
            sys.stdout.flush()
    finally:
        if progress:
            progress.stop()
    for line in accounts.report_lines():
        print(f"icp: warning: {accounts.path}: {line}", file=sys.stderr)
    for score in sc.empty_scores():
        print(f"icp: warning: {args.scorecard}: every {score} criterion weighs 0 or gives no points: "
              f"no account gets a {score} score", file=sys.stderr)
    missing = [f for f in sc.fields() if not accounts.has(f)]
    if missing:
        print(f"icp: warning: {accounts.path}: no column for {', '.join(missing)} (scored as unknown)", file=sys.stderr)
    counts = ", ".join(f"{b.label} {n:,}" for b, n in result.band_counts())
    dest = args.output or "standard output"
    print(f"icp: scored {len(result):,} accounts with {sc.name} v{sc.version} -> {dest}: {counts}; "
          f"{count(int(result.any_anti.sum()), 'account')} matching an anti-persona, "
          f"{int(result.is_excluded.sum()):,} excluded", file=sys.stderr)
    return 1 if args.strict and (accounts.report_lines() or missing) else 0


def cmd_lint(args) -> int:
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.lint import lint_scorecard
    from icp_tui.engine.workshop.imports import read_accounts_with

    ws = workshop_files(args, "scorecard", "accounts")
    if not args.scorecard:
        raise UsageError("a scorecard is needed: icp lint SCORECARD.toml (or -w DIR, a workshop)")
    sf = ScorecardFile.open(args.scorecard)
    settings = ws.settings("accounts") if ws else None
    accounts = read_accounts_with(args.accounts, settings, sf.scorecard, parse=False) if args.accounts else None
    findings = lint_scorecard(sf, accounts)
    for f in findings:
        print(f.text(str(sf.path)))
    warnings = sum(f.severity == "warning" for f in findings)
    n = len(sf.scorecard.criteria)
    print(f"{sf.path}: {n} {'criterion' if n == 1 else 'criteria'}, {warnings} warning{'s' if warnings != 1 else ''}, "
          f"{len(findings) - warnings} note{'s' if len(findings) - warnings != 1 else ''}", file=sys.stderr)
    return 1 if warnings else 0


def cmd_sql(args) -> int:
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.sql import compile_sql, sql_header

    sc = ScorecardFile.open(args.scorecard).scorecard
    if args.fields is None:
        fields = sc.fields()
    else:
        fields = [f.strip() for f in args.fields.split(",") if f.strip()]
        unread = [f for f in fields if f not in sc.fields()]
        if unread:
            print(f"icp: warning: --fields: the scorecard does not read {', '.join(unread)}", file=sys.stderr)
    table = tuple(args.table.split(".")) if "." in args.table else args.table
    if not all(table if isinstance(table, tuple) else [table]):
        raise UsageError(f"--table {args.table!r} is not a table name")
    text = sql_header(sc, set(fields), table, args.dialect) + compile_sql(sc, set(fields), table, args.dialect) + ";\n"
    emit(text, args.output, f"{args.dialect} query for {sc.name} v{sc.version}")
    return 0
