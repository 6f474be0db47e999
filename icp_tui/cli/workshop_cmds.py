"""``icp assess``, ``icp align`` and ``icp open``: the maturity self-assessment, the functions' lists, the app."""

from __future__ import annotations

import sys
from pathlib import Path

from icp_tui.cli.common import UsageError, refuse_overwrite, slug, warn_unread, workshop_files
from icp_tui.engine.core.errors import IcpError


def cmd_assess(args) -> int:
    from icp_tui.engine.maturity.assessment import Response, load_response, save_response
    from icp_tui.engine.maturity.questionnaire import default_questionnaire, load_questionnaire

    if args.assess_command == "progress":  # -q may come among the files
        from icp_tui.cli.assess_cmds import split_rounds

        split_rounds(list(args.rounds), args)
    q = load_questionnaire(args.questionnaire) if args.questionnaire else default_questionnaire()
    if args.assess_command in ("report", "progress"):
        from icp_tui.cli.assess_cmds import assess_progress, assess_report

        return (assess_report if args.assess_command == "report" else assess_progress)(args, q)
    folder = Path(".")
    if getattr(args, "workshop", None):
        from icp_tui.engine.workshop.intake import assessments_folder
        from icp_tui.engine.workshop.manifest import Workshop

        ws = Workshop.load(args.workshop)
        if not args.respondent.strip() and not args.output:
            raise UsageError("--respondent NAME is needed with --workshop: the answers file is named after you")
        folder = assessments_folder(ws)
        args.org = args.org or ws.organisation
    path = Path(args.output) if args.output else folder / f"icp-self-assessment-{slug(args.respondent)}.toml"
    if path.exists():
        response = load_response(path, q)
        if response.questionnaire_id != q.id:
            raise IcpError(f"holds answers to questionnaire '{response.questionnaire_id}', not '{q.id}'", file=str(path))
        print(f"icp: resuming {path} ({response.answered(q)} of {len(q.questions)} answered)", file=sys.stderr)
    else:
        response = Response.new(q, args.respondent, args.function, args.org)
        save_response(response, path)
    from icp_tui.tui.assess_app import create_assess_app

    create_assess_app(q, response).run()
    if getattr(args, "workshop", None):
        print(f"icp: your answers are in {path}, in the workshop", file=sys.stderr)
    else:
        print(f"icp: your answers are in {path}: send this file to the facilitator", file=sys.stderr)
    return 0


def cmd_align(args) -> int:
    from icp_tui.engine.alignment.report import alignment_text, matches_text
    from icp_tui.engine.alignment.tal import DecisionsFile, Rule, build_tal, exported_rows, load_decisions, save_tal_csv
    from icp_tui.engine.workshop.imports import read_list_with
    from icp_tui.engine.workshop.workspace import load_context

    ws = workshop_files(args, "accounts", "scorecard", "deals")
    if ws is not None and not args.decisions and ws.file("decisions") is not None and ws.file("decisions").exists():
        args.decisions = str(ws.file("decisions"))
    lists = []
    for item in args.lists:
        function, _, path = item.rpartition("=") if "=" in item else ("", "", item)
        named = "Standard input" if path == "-" else Path(path).stem.replace("_", " ").title()
        lists.append(read_list_with(path, function or named, ws.settings("lists") if ws else None))
    if not args.lists and ws is not None:
        refuse_overwrite(args, *(str(fl.path) for fl in ws.lists))
        lists = [read_list_with(fl.path, fl.function, ws.settings("lists")) for fl in ws.lists]
    if not lists:
        raise UsageError("no lists to compare: name them (icp align Sales=sales.csv Marketing=mkt.csv ...) "
                         "or give -w DIR, a workshop with [[lists]]")
    ctx = load_context(args.accounts, args.scorecard, args.deals, ws)
    sc = ctx.scorecard.scorecard if ctx.scorecard else None  # band and tier names in the decisions are checked against it
    decisions, rule, aes = load_decisions(args.decisions, sc) if args.decisions else ({}, Rule(), None)
    if args.min_votes is not None:
        rule.min_votes = args.min_votes
    alignment = ctx.align(lists)
    holdout = DecisionsFile.load(args.decisions, sc).holdout if args.decisions else None  # the CSV's holdout column
    tal = build_tal(alignment, rule, decisions, aes=args.aes or aes, order=args.order, holdout=holdout)
    warn_unread(ctx.accounts, ctx.deals, *lists)  # lists: lines skipped (a stray quote, no company)
    sys.stdout.write(matches_text(alignment, ctx.universe) if args.matches else alignment_text(alignment, tal))
    if args.output:
        save_tal_csv(tal, args.output)
        decided = len(exported_rows(tal)) - len(tal.members)
        also = f" (and {decided} parked or excluded, with the reasons)" if decided else ""
        print(f"icp: {len(tal.members):,} accounts on the TAL{also} written to {args.output}", file=sys.stderr)
    return 0


def cmd_open(args) -> int:
    from icp_tui.engine.workshop.manifest import MANIFEST, Workshop, last_or_sample

    where = Path(getattr(args, "workshop", None) or last_or_sample()).expanduser()
    folder = where.parent if where.name == MANIFEST else where
    if not (folder / MANIFEST).exists() and (folder.is_dir() or not folder.exists()):
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            raise IcpError(f"no {MANIFEST} here: make one with  icp workshop new {folder} --accounts FILE "
                           "(or run icp open in a terminal to fill in the New workshop form)", file=str(folder))
        from icp_tui.tui.app import create_app

        create_app(new_in=folder).run()  # the New workshop form, filled in with what the folder holds
        return 0
    ws = Workshop.load(where)
    from icp_tui.tui.app import create_app

    create_app(ws).run()
    return 0
