"""``icp segments --save`` and ``--anti-persona``, and the segment profiles ``icp score`` reads."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from icp_tui.cli.common import UsageError


def profiles_file(args, ws, *, required: bool) -> Path | None:
    """--segments FILE, else the workshop's segments.toml (-w), else segments.toml beside -s (when ``required``)."""
    from icp_tui.engine.history.segment_profiles import profiles_path

    if getattr(args, "segments", None):
        return Path(args.segments)
    if ws is not None:
        return profiles_path(ws)
    if required and getattr(args, "scorecard", None) and args.scorecard != "-":
        return profiles_path(None, args.scorecard)
    if required:
        raise UsageError("--save needs a place for the profiles: --segments FILE, or -w DIR (its segments.toml)")
    return None


def check_profile_options(args, ws) -> None:
    from icp_tui.engine.workshop.paths import inside

    if args.apply and not args.anti_persona:
        raise UsageError("--apply goes with --anti-persona")
    if args.save and args.anti_persona:
        raise UsageError("--save and --anti-persona are separate runs: the anti-persona replaces the report")
    if args.save:
        where = profiles_file(args, ws, required=True)
        if where is not None and not where.parent.is_dir():  # a mistyped path makes no folders
            raise UsageError(f"--segments {where}: the folder {where.parent} does not exist")
        if where is not None and ws is not None and not inside(ws.root, where.resolve()):
            raise UsageError(f"--segments {where}: {where.resolve()} is outside the workshop folder {ws.root}: with -w, "
                             "--save writes only into the workshop (leave out -w to save the profiles elsewhere)")
        for item in args.save:
            parse_save(item, 1)


def parse_save(item: str, best: int) -> tuple[str, int]:
    """NAME[=N]: the profile's name and the segment's number (default: ``best``)."""
    m = re.fullmatch(r"(.*?)\s*=\s*(\d+)", item)
    name, number = (m[1], int(m[2])) if m else (item, best)
    if not name.strip():
        raise UsageError(f"--save {item!r}: give a name, e.g. --save \"Mid-market SaaS=1\"")
    return name.strip(), number


def save_segments(args, ws, segments) -> None:
    from icp_tui.engine.core.errors import IcpError
    from icp_tui.engine.history.segment_profiles import save_profile

    path = profiles_file(args, ws, required=True)
    assert path is not None
    best = segments.best()
    for item in args.save:
        name, number = parse_save(item, best.number if best else 1)
        try:
            saved, replaced = save_profile(path, name, segments, number)
        except IcpError as e:
            if e.file is None and "no segment" in e.message:
                raise UsageError(f"--save {item}: {e.message}") from None
            raise
        print(f"icp: segment {number} saved as '{name}' in {saved}" + (" (replacing the profile of that name)" if replaced else ""),
              file=sys.stderr)


def anti_persona(args, ws, frame, accounts) -> int:
    """Print the Tier 3 anti-persona as TOML (or -o); with --apply add it to the scorecard and save it."""
    from icp_tui.cli.common import emit
    from icp_tui.engine.history.tier_antipersona import propose_anti_persona
    from icp_tui.engine.history.tiers import customer_tiers
    from icp_tui.engine.scorecard.editing import ScorecardEditor
    from icp_tui.engine.scorecard.scoring import Scorer

    editor = None
    if args.apply:
        if not args.scorecard or args.scorecard == "-":
            raise UsageError("--apply adds the anti-persona to a scorecard: give -s FILE (or -w DIR)")
        if ws is not None and ws.link_of(args.scorecard):  # a linked scorecard is only read
            ws.check_own_file(args.scorecard)
        editor = ScorecardEditor.open(args.scorecard)
    if editor is not None:
        rules = editor.scorecard.anti_personas
    elif args.scorecard and args.scorecard != "-":
        from icp_tui.engine.scorecard.file import ScorecardFile

        rules = ScorecardFile.open(args.scorecard).scorecard.anti_personas
    else:
        rules = ()
    p = propose_anti_persona(frame, customer_tiers(frame), Scorer(accounts), taken=tuple(r.name for r in rules),
                             existing=tuple(rules))
    emit(p.toml(), args.output, "anti-persona proposal")
    if editor is not None:
        from icp_tui.engine.core.lock import lock_root, workshop_lock

        with workshop_lock(ws.root if ws is not None else lock_root(args.scorecard), "icp segments --anti-persona --apply"):
            editor = ScorecardEditor.open(args.scorecard)  # read again under the lock: others' changes stay
            editor.add_rule("anti_personas", p.name, p.conditions, reason=p.reason)
            saved = editor.save()
            if ws is not None:
                from icp_tui.engine.workshop.log import append_log

                sc = editor.scorecard
                append_log(ws.root, "scorecard", f"saved {saved.name} ({sc.name} v{sc.version}): add anti-persona "
                                                 f"{p.name} (proposed from the customer tiers)")
        print(f"icp: anti-persona '{p.name}' added to {saved}", file=sys.stderr)
    return 0


def best_segments(args, ws, scorer):
    """(codes, names) of the profile each account fits best, or None without profiles (no segment column)."""
    from icp_tui.engine.history.segment_profiles import best_profile, load_profiles, load_profiles_if_any

    path = profiles_file(args, ws, required=False)
    if path is None:
        return None
    found = load_profiles(path) if getattr(args, "segments", None) else load_profiles_if_any(path)
    if found is None or not found.profiles:
        return None
    fit = best_profile(scorer, found.profiles)
    return fit.codes, fit.names
