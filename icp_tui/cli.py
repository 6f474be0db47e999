"""The ``icp`` command. No subcommand opens the app; subcommands run the engine headless.

Exit codes: 0 ok, 1 findings or errors in the input, 2 usage. Errors are one line on stderr;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from pathlib import Path

from icp_tui import __version__
from icp_tui.engine.core.errors import IcpError

PROGRESS_BYTES = 12_000_000  # about 100k CRM rows: show a progress bar above this size


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class UsageError(Exception):
    pass


def _pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"{what} takes HEADER=FIELD, not {item!r}")
        k, v = item.rsplit("=", 1)
        out[k.strip()] = v.strip()
    return out


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="icp", description="ICP workbench: maturity, alignment and scorecard.")
    p.add_argument("--version", action="version", version=f"icp-tui {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    o = sub.add_parser("open", help="open the app on a workshop folder")
    o.add_argument("workshop", help="folder with a workshop.toml")

    s = sub.add_parser("score", help="score an accounts file (CSV/XLSX) with a scorecard")
    s.add_argument("accounts")
    s.add_argument("--scorecard", "-s", required=True)
    s.add_argument("-o", "--output", help="output file (default: standard output)")
    s.add_argument("--format", choices=("csv", "json"), help="output format (default: from -o, else csv)")
    s.add_argument("--map", action="append", metavar="HEADER=FIELD", help="read a column as a field (repeatable)")
    s.add_argument("--unit", action="append", metavar="FIELD=UNIT", help="column unit: thousands, millions, billions, percent")
    s.add_argument("--strict", action="store_true", help="exit 1 when any value could not be read")

    a = sub.add_parser("assess", help="the ICP maturity self-assessment, or a report of answered files")
    a.add_argument("--respondent", default="", help="your name")
    a.add_argument("--function", default="", help="your function: Sales, Marketing, Customer Success, Product, Finance")
    a.add_argument("--org", default="", help="your organisation")
    a.add_argument("-o", "--output", help="the answers file (default: icp-self-assessment-NAME.toml here); "
                   "an existing file is resumed where it stopped")
    asub = a.add_subparsers(dest="assess_command", metavar="report")
    rep = asub.add_parser("report", help="results of one file, or the comparison of several, as Markdown")
    rep.add_argument("files", nargs="+")
    rep.add_argument("-o", "--output", dest="report_output", help="write the Markdown here (default: standard output)")

    al = sub.add_parser("align", help="compare the functions' target lists and write the unified TAL")
    al.add_argument("lists", nargs="+", metavar="LIST_FILE", help="one CSV per function; FUNCTION=FILE names the function")
    al.add_argument("--accounts", help="the account universe (CSV/XLSX)")
    al.add_argument("--scorecard", "-s", help="score the accounts with this scorecard")
    al.add_argument("--deals", help="deal history, for each list's win rate and ACV")
    al.add_argument("--min-votes", type=int, help="functions that must propose an account (default 2, or the decisions file's)")
    al.add_argument("--aes", type=int, help="account executives: caps Tier 1 at 50 accounts each")
    al.add_argument("--decisions", help="a decisions.toml to apply")
    al.add_argument("-o", "--output", help="write the TAL as CSV here")

    va = sub.add_parser("validate", help="check a scorecard against won and lost deals (the quality checklist)")
    va.add_argument("--scorecard", "-s", required=True)
    va.add_argument("--deals", "-d", required=True, help="deal history (an opportunity export)")
    va.add_argument("--accounts", "-a", help="the accounts the deals belong to; without it the deal rows are scored")

    sg = sub.add_parser("segments", help="what the deal history says: wins against losses, segments, customer tiers, ICP coverage")
    sg.add_argument("--deals", "-d", required=True, help="deal history (an opportunity export)")
    sg.add_argument("--accounts", "-a", required=True, help="the accounts the deals belong to")
    sg.add_argument("--scorecard", "-s", help="also measure the ICP coverage goals with this scorecard")
    sg.add_argument("-k", type=int, metavar="N", help="number of segments (default: chosen by the silhouette score, 2-8)")
    sg.add_argument("-o", "--output", help="write the report here (default: standard output)")

    lint = sub.add_parser("lint", help="check a scorecard for gaps, overlaps and mixed signals")
    lint.add_argument("scorecard")
    lint.add_argument("--accounts", help="also check that the fields exist in this accounts file")

    sq = sub.add_parser("sql", help="compile a scorecard to one SQL query that scores a table in a warehouse")
    sq.add_argument("scorecard")
    sq.add_argument("--dialect", required=True, choices=("duckdb", "spark", "snowflake", "bigquery"))
    sq.add_argument("--table", default="accounts",
                    help="the accounts table (default: accounts); a qualified name such as crm.accounts is quoted part by part")
    sq.add_argument("--fields", metavar="F1,F2,...",
                    help="the field columns the table has (default: every field the scorecard reads; the others score as unknown)")
    sq.add_argument("-o", "--output", help="write the query here (default: standard output)")
    return p


def _progress(enabled: bool):
    if not enabled:
        return None
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
    from rich.console import Console

    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def cmd_score(args) -> int:
    from icp_tui.engine.core.accounts import read_accounts
    from icp_tui.engine.scorecard.export import scored_table, write_csv, write_json
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.scoring import Scorer

    sf = ScorecardFile.open(args.scorecard)
    sc = sf.scorecard
    from icp_tui.engine.core.values import unit_factor

    units = dict(sc.units)
    for k, v in _pairs(args.unit, "--unit").items():
        try:
            units[k] = unit_factor(v)
        except ValueError as e:
            raise UsageError(f"--unit {k}={v}: {e}") from None
    column_map = {**sc.column_map, **_pairs(args.map, "--map")}
    big = Path(args.accounts).is_file() and Path(args.accounts).stat().st_size > PROGRESS_BYTES
    progress = _progress(big and sys.stderr.isatty())
    steps = len(sc.criteria) + 3
    task = None
    if progress:
        progress.start()
        task = progress.add_task("Reading accounts", total=steps)

    def step(text: str) -> None:
        if progress:
            progress.update(task, advance=1, description=text)

    try:
        accounts = read_accounts(args.accounts, column_map, units)
        step("Scoring")
        scorer = Scorer(accounts)
        for c in sc.criteria:
            scorer.criterion_points(c)
            step(f"Scored {c.label}")
        result = scorer.score(sc)
        table = scored_table(accounts, result)
        step("Writing")
        fmt = args.format or ("json" if (args.output or "").lower().endswith(".json") else "csv")
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
    missing = [f for f in sc.fields() if not accounts.has(f)]
    if missing:
        print(f"icp: warning: {accounts.path}: no column for {', '.join(missing)} (scored as unknown)", file=sys.stderr)
    counts = ", ".join(f"{b.label} {n:,}" for b, n in result.band_counts())
    dest = args.output or "standard output"
    print(f"icp: scored {len(result):,} accounts with {sc.name} v{sc.version} -> {dest}: {counts}; "
          f"{_count(int(result.any_anti.sum()), 'account')} matching an anti-persona, "
          f"{int(result.is_excluded.sum()):,} excluded", file=sys.stderr)
    return 1 if args.strict and (accounts.report_lines() or missing) else 0


def cmd_lint(args) -> int:
    from icp_tui.engine.core.accounts import read_accounts
    from icp_tui.engine.scorecard.lint import lint_scorecard
    from icp_tui.engine.scorecard.file import ScorecardFile

    sf = ScorecardFile.open(args.scorecard)
    accounts = read_accounts(args.accounts, sf.scorecard.column_map, sf.scorecard.units, parse=False) if args.accounts else None
    findings = lint_scorecard(sf, accounts)
    for f in findings:
        print(f.text(str(sf.path)))
    warnings = sum(f.severity == "warning" for f in findings)
    n = len(sf.scorecard.criteria)
    print(f"{sf.path}: {n} {'criterion' if n == 1 else 'criteria'}, {warnings} warning{'s' if warnings != 1 else ''}, "
          f"{len(findings) - warnings} note{'s' if len(findings) - warnings != 1 else ''}", file=sys.stderr)
    return 1 if warnings else 0


def cmd_align(args) -> int:
    from icp_tui.engine.alignment.report import alignment_text
    from icp_tui.engine.alignment.lists import read_function_list
    from icp_tui.engine.alignment.tal import Rule, build_tal, load_decisions, save_tal_csv
    from icp_tui.engine.workshop.workspace import load_context

    lists = []
    for item in args.lists:
        function, _, path = item.rpartition("=") if "=" in item else ("", "", item)
        lists.append(read_function_list(path, function or Path(path).stem.replace("_", " ").title()))
    ctx = load_context(args.accounts, args.scorecard, args.deals)
    decisions, rule, aes = load_decisions(args.decisions) if args.decisions else ({}, Rule(), None)
    if args.min_votes is not None:
        rule.min_votes = args.min_votes
    alignment = ctx.align(lists)
    tal = build_tal(alignment, rule, decisions, aes=args.aes or aes)
    sys.stdout.write(alignment_text(alignment, tal))
    if args.output:
        save_tal_csv(tal, args.output)
        print(f"icp: {len(tal.members):,} accounts on the TAL written to {args.output}", file=sys.stderr)
    return 0


def cmd_validate(args) -> int:
    from icp_tui.engine.core.accounts import read_accounts
    from icp_tui.engine.alignment.overlap import deal_accounts
    from icp_tui.engine.history.deals import read_deals
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.scoring import Scorer
    from icp_tui.engine.history.validation import validate
    from icp_tui.engine.history.validation_report import validation_text
    from icp_tui.engine.workshop.workspace import universe_of

    import numpy as np

    sf = ScorecardFile.open(args.scorecard)
    sc = sf.scorecard
    deals = read_deals(args.deals)
    source = args.accounts or args.deals  # without accounts, each deal row carries its account's fields
    accounts = read_accounts(source, sc.column_map, sc.units)
    result = Scorer(accounts).score(sc)
    rows = deal_accounts(deals, universe_of(accounts)) if args.accounts else np.arange(len(deals))
    v = validate(result, deals, rows)
    sys.stdout.write(validation_text(v, f"{sc.name} v{sc.version}"))
    return 1 if any(c.status == "fail" for c in v.checklist) else 0


def cmd_segments(args) -> int:
    from icp_tui.engine.core.accounts import read_accounts
    from icp_tui.engine.alignment.overlap import deal_accounts
    from icp_tui.engine.history.analysis import check_history, closed_deal_frame, history_notes, win_loss_table
    from icp_tui.engine.history.analysis_report import analysis_text
    from icp_tui.engine.history.coverage import coverage
    from icp_tui.engine.history.deals import read_deals
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.scoring import Scorer
    from icp_tui.engine.history.segments import discover_segments
    from icp_tui.engine.history.tiers import customer_tiers
    from icp_tui.engine.workshop.workspace import universe_of

    if args.k is not None and args.k < 2:
        raise UsageError(f"-k {args.k}: at least 2 segments")
    sc = ScorecardFile.open(args.scorecard).scorecard if args.scorecard else None
    deals = read_deals(args.deals)
    accounts = read_accounts(args.accounts, sc.column_map if sc else None, sc.units if sc else None)
    rows = deal_accounts(deals, universe_of(accounts))
    frame = closed_deal_frame(deals, accounts, rows)
    check_history(frame, file=deals.info.path)
    progress = _progress(sys.stderr.isatty())
    task = progress.add_task("Clustering", total=1) if progress else None

    def step(done: int, total: int, text: str) -> None:
        if progress:
            progress.update(task, completed=done, total=total, description=f"Clustering ({text})")

    if progress:
        progress.start()
    try:
        segments = discover_segments(frame, k=args.k, progress=step)
    finally:
        if progress:
            progress.stop()
    cov = coverage(Scorer(accounts).score(sc), deals, rows) if sc else None
    text = analysis_text(win_loss_table(frame), segments, customer_tiers(frame), cov,
                         title=f"{deals.info.path} with {accounts.path}", notes=history_notes(deals, rows))
    _emit(text, args.output, "segment report")
    return 0


def _emit(text: str, output: str | None, what: str) -> None:
    """Text to ``output`` (atomically, saying so on stderr) or to standard output."""
    if output:
        from icp_tui.engine.core.atomic import atomic_write_text

        atomic_write_text(output, text)
        print(f"icp: {what} written to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


def _slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "me"


def cmd_assess(args) -> int:
    from icp_tui.engine.maturity.assessment import Response, compare, load_response, save_response, score
    from icp_tui.engine.maturity.report import comparison_markdown, result_markdown
    from icp_tui.engine.maturity.questionnaire import default_questionnaire

    q = default_questionnaire()
    if args.assess_command == "report":
        responses = [load_response(f) for f in args.files]
        for r in responses:
            if r.questionnaire_id != q.id:
                raise IcpError(f"made with questionnaire '{r.questionnaire_id}', not '{q.id}'", file=str(r.path))
        text = result_markdown(score(q, responses[0])) if len(responses) == 1 else comparison_markdown(compare(q, responses))
        _emit(text, args.report_output, "report")
        return 0
    path = Path(args.output or f"icp-self-assessment-{_slug(args.respondent)}.toml")
    if path.exists():
        response = load_response(path)
        if response.questionnaire_id != q.id:
            raise IcpError(f"holds answers to questionnaire '{response.questionnaire_id}', not '{q.id}'", file=str(path))
        print(f"icp: resuming {path} ({response.answered(q)} of {len(q.questions)} answered)", file=sys.stderr)
    else:
        response = Response.new(q, args.respondent, args.function, args.org)
        save_response(response, path)
    from icp_tui.tui.assess_app import create_assess_app

    create_assess_app(q, response).run()
    print(f"icp: your answers are in {path}: send this file to the facilitator", file=sys.stderr)
    return 0


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
    _emit(text, args.output, f"{args.dialect} query for {sc.name} v{sc.version}")
    return 0


def cmd_open(args) -> int:
    from icp_tui.engine.workshop.manifest import Workshop, last_or_sample

    where = getattr(args, "workshop", None) or last_or_sample()
    ws = Workshop.load(where)
    from icp_tui.tui.app import create_app

    create_app(ws).run()
    return 0


def entry() -> None:
    """The console script: run, flush, and leave without interpreter teardown.

    Arrow's (and DuckDB's) native thread pools can abort a process that tears down while a worker
    is still parked (apache/arrow#34314): the work is done and written, yet the exit code is -6.
    Everything is flushed and every file was written atomically, so skipping teardown loses nothing.
    """
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"score": cmd_score, "lint": cmd_lint, "assess": cmd_assess, "align": cmd_align, "validate": cmd_validate, "segments": cmd_segments, "sql": cmd_sql, "open": cmd_open, None: cmd_open}
    try:
        return handlers[args.command](args)
    except UsageError as e:
        parser.print_usage(sys.stderr)
        print(f"icp: error: {e}", file=sys.stderr)
        return 2
    except IcpError as e:
        if args.debug:
            traceback.print_exc()
        print(f"icp: error: {e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("icp: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as e:  # a bug: say so in one line, keep the traceback behind --debug
        if args.debug:
            traceback.print_exc()
        print(f"icp: internal error: {type(e).__name__}: {e} (run with --debug for details)", file=sys.stderr)
        return 1
