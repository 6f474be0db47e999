"""``icp holdout``: the TAL's control group (seed 002): show, set, clear, and compare with a later deal file."""

from __future__ import annotations

import sys
from datetime import date

from icp_tui.cli.common import UsageError, emit, pairs, warn_unread


def _session(args):
    from icp_tui.engine.workshop.alignment_session import AlignmentSession
    from icp_tui.engine.workshop.manifest import Workshop

    if not getattr(args, "workshop", None):
        raise UsageError("-w DIR is needed: the hold-out is kept in the workshop's decisions.toml")
    return AlignmentSession(Workshop.load(args.workshop))


def _date(text: str | None, flag: str) -> date | None:
    """A date (2026-12-03) or months back from today (12m, "18 months"), as ``--since`` of validate and segments."""
    from icp_tui.engine.history.window import parse_since

    if not text:
        return None
    try:
        return parse_since(text)
    except ValueError as e:
        raise UsageError(f"{flag} {text}: {e}") from None


def groups_text(session) -> str:
    """The hold-out in two lines: how it is drawn, and the groups (overall and per tier)."""
    from icp_tui.engine.alignment.holdout_compare import groups_by_tier

    tal = session.tal
    if tal.holdout is None:
        return (f"No hold-out: all {len(tal.members):,} accounts on the TAL are targeted. "
                "Set one with  icp holdout set -w DIR\n")
    n = tal.counts_by_group()
    lines = [f"Hold-out: {tal.holdout.text()} (in {session.decisions_path})",
             f"{n['target']:,} targeted, {n['control']:,} control"]
    for tier, target, control in groups_by_tier(tal):
        lines.append(f"  {tier:<12} {target:>5,} targeted {control:>5,} control")
    return "\n".join(lines) + "\n"


def cmd_holdout(args) -> int:
    from icp_tui.engine.alignment.holdout import parse_seed, parse_share
    from icp_tui.engine.alignment.holdout_compare import comparison_text
    from icp_tui.engine.core.lock import workshop_lock

    verb = getattr(args, "holdout_command", None)
    s = _session(args)
    if verb == "set":
        try:
            share = parse_share(args.share)
        except ValueError as e:
            raise UsageError(f"--share {args.share}: {e}") from None
        try:
            seed = parse_seed(args.seed) if args.seed else None
        except ValueError as e:
            raise UsageError(f"--seed {args.seed}: {e}") from None
        since = _date(args.since, "--since")
        with workshop_lock(s.workshop.root, "icp holdout set"):
            s.reload_decisions()  # as it is now: decisions saved since it was read stay
            s.set_holdout(share, seed, since)
        if s.log_error:
            print(f"icp: warning: {s.log_error}", file=sys.stderr)
    elif verb == "clear":
        with workshop_lock(s.workshop.root, "icp holdout clear"):
            s.reload_decisions()
            cleared = s.clear_holdout()
        if not cleared:
            print("icp: there was no hold-out to clear", file=sys.stderr)
    elif verb == "compare":
        from icp_tui.engine.alignment.holdout_compare import compare_holdout
        from icp_tui.engine.workshop.imports import read_deals_with

        deals = read_deals_with(args.deals, s.workshop.settings("deals"), pairs(args.deals_map, "--deals-map"))
        warn_unread(deals)
        emit(comparison_text(compare_holdout(s.tal, deals, s.ctx.universe, _date(args.since, "--since"))),
             args.output, "comparison")
        return 0
    sys.stdout.write(groups_text(s))
    return 0
