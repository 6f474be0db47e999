"""``icp validate`` and ``icp segments``: what the deal history says about a scorecard and the market."""

from __future__ import annotations

import sys

from icp_tui.cli.common import (
    UsageError,
    check_map,
    deal_window,
    emit,
    need,
    progress_bar,
    split_map,
    warn_unread,
    workshop_files,
)
from icp_tui.engine.core.errors import IcpError


def cmd_validate(args) -> int:
    import numpy as np

    from icp_tui.engine.alignment.overlap import deal_accounts
    from icp_tui.engine.history.suggest import suggest_weights
    from icp_tui.engine.history.validation import validate
    from icp_tui.engine.history.validation_report import validation_text
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.scoring import Scorer
    from icp_tui.engine.workshop.imports import read_accounts_with, read_deals_with
    from icp_tui.engine.workshop.workspace import universe_of

    ws = workshop_files(args, "scorecard", "deals", "accounts")
    need(args, "scorecard", "deals")
    sf = ScorecardFile.open(args.scorecard)
    sc = sf.scorecard
    acc_map, dmap = split_map(args)
    deals = read_deals_with(args.deals, ws.settings("deals") if ws else None, dmap)
    check_map(dmap, deals.info_headers, "--deals-map", deals.info.path)
    deals.require("stage", what="stage or outcome column (e.g. 'Stage' with 'Closed Won', 'Closed Lost')")
    if args.record and sf.path.name == "<stdin>":
        raise UsageError("--record writes into the scorecard file: give it as a file, not standard input")
    if args.record and ws is not None and ws.link_of(sf.path):  # a linked scorecard is only read
        ws.check_own_file(sf.path)
    deals, window = deal_window(args, deals)
    source = args.accounts or args.deals  # without accounts, each deal row carries its account's fields
    accounts = read_accounts_with(source, ws.settings("accounts") if ws and args.accounts else None, sc, acc_map)
    check_map(acc_map, accounts.table.column_names, "--map", accounts.path)
    absent = [c.field for c in sc.criteria if sc.score_of(c) == "fit" and not accounts.has(c.field)]
    if not args.accounts and absent and len(absent) == len({c.field for c in sc.criteria if sc.score_of(c) == "fit"}):
        raise IcpError(f"has none of the fields the scorecard's fit criteria read ({', '.join(dict.fromkeys(absent))}): "
                       "pass --accounts with the accounts file the deals belong to", file=deals.info.path)
    if not args.accounts and absent:
        print(f"icp: warning: {deals.info.path}: no column for {', '.join(dict.fromkeys(absent))} (scored as unknown; "
              "pass --accounts to read them from the accounts file)", file=sys.stderr)
    result = Scorer(accounts).score(sc)
    rows = deal_accounts(deals, universe_of(accounts)) if args.accounts else np.arange(len(deals))
    v = validate(result, deals, rows)
    v.window = window.summary() if window.since else ""
    warn_unread(deals, accounts if args.accounts else None)
    f = deals.frame
    when = f["closed"].to_numpy("datetime64[ns]") if "closed" in f else None
    suggestion = suggest_weights(result, f["outcome"].astype(object).to_numpy(), rows, when)
    sys.stdout.write(validation_text(v, f"{sc.name} v{sc.version}", suggestion))
    if args.record:
        from datetime import date

        from icp_tui.engine.core.lock import lock_root, workshop_lock
        from icp_tui.engine.history.validation import result_line
        from icp_tui.engine.scorecard.file import record_validated

        with workshop_lock(lock_root(sf.path), "icp validate --record"):  # the file as it is now, not as read
            fresh = ScorecardFile.open(sf.path)
            if fresh.text != sf.text:  # another writer saved it meanwhile: record what this version scores
                v = validate(Scorer(accounts).score(fresh.scorecard), deals, rows)
                print(f"icp: {sf.path} changed while it was validated: recorded the result of the file as it is now",
                      file=sys.stderr)
            record_validated(fresh, date.today(), result_line(v))
            fresh.save()
        print(f"icp: {sf.path}: recorded validated = {date.today().isoformat()} ({result_line(v)})", file=sys.stderr)
    return 1 if any(c.status == "fail" for c in v.checklist) else 0


def cmd_segments(args) -> int:
    from icp_tui.engine.alignment.overlap import deal_accounts
    from icp_tui.engine.history.analysis import check_history, closed_deal_frame, history_notes, win_loss_table
    from icp_tui.engine.history.analysis_report import analysis_text
    from icp_tui.engine.history.coverage import coverage
    from icp_tui.engine.history.economics import economics
    from icp_tui.engine.history.segments import discover_segments
    from icp_tui.engine.history.tiers import customer_tiers
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.scorecard.scoring import Scorer
    from icp_tui.engine.workshop.imports import read_accounts_with, read_deals_with
    from icp_tui.engine.workshop.workspace import universe_of

    if args.k is not None and args.k < 2:
        raise UsageError(f"-k {args.k}: at least 2 segments")
    from icp_tui.cli.segment_cmds import anti_persona, check_profile_options

    ws = workshop_files(args, "scorecard", "deals", "accounts")
    check_profile_options(args, ws)  # --save and --apply: before any file is read
    need(args, "deals", "accounts")
    sc = ScorecardFile.open(args.scorecard).scorecard if args.scorecard else None
    acc_map, dmap = split_map(args)
    deals = read_deals_with(args.deals, ws.settings("deals") if ws else None, dmap)
    check_map(dmap, deals.info_headers, "--deals-map", deals.info.path)
    deals, _ = deal_window(args, deals)
    accounts = read_accounts_with(args.accounts, ws.settings("accounts") if ws else None, sc, acc_map)
    check_map(acc_map, accounts.table.column_names, "--map", accounts.path)
    rows = deal_accounts(deals, universe_of(accounts))
    frame = closed_deal_frame(deals, accounts, rows)
    warn_unread(deals, accounts)
    check_history(frame, file=deals.info.path)
    if args.anti_persona:
        return anti_persona(args, ws, frame, accounts)
    progress = progress_bar(sys.stderr.isatty())
    task = progress.add_task("Clustering", total=1) if progress else None

    def step(done: int, total: int, text: str) -> None:
        if progress:
            progress.update(task, completed=done, total=total, description=f"Clustering ({text})")

    if progress:
        progress.start()
    try:
        segments = discover_segments(frame, k=args.k, progress=step, rank=args.rank)
    finally:
        if progress:
            progress.stop()
    if args.save:
        from icp_tui.cli.segment_cmds import save_segments

        save_segments(args, ws, segments)
    result = Scorer(accounts).score(sc) if sc else None
    cov = coverage(result, deals, rows) if result is not None else None
    tiers = customer_tiers(frame)
    eco = economics(frame, segments=segments, result=result, tiers=tiers, margin=args.margin)
    text = analysis_text(win_loss_table(frame), segments, tiers, cov,
                         title=f"{deals.info.path} with {accounts.path}", notes=history_notes(deals, rows),
                         economics=eco, band_source=f"{sc.name} v{sc.version}" if sc else "")
    emit(text, args.output, "segment report")
    return 0
