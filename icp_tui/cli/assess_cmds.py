"""``icp assess report`` and ``icp assess progress``: the maturity results, the roadmap, two rounds compared."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from icp_tui.cli.common import UsageError, emit, refuse_overwrite
from icp_tui.engine.core.errors import IcpError


def _workshop(args):
    if not getattr(args, "workshop", None):
        return None
    from icp_tui.engine.workshop.manifest import Workshop

    return Workshop.load(args.workshop)


def _assessments(ws) -> Path:
    return ws.file("assessments") or ws.root / "assessments"


def _roadmap(ws, q):
    from icp_tui.engine.maturity.roadmap import load_roadmap, roadmap_path

    return load_roadmap(roadmap_path(ws), q)


def assess_report(args, q) -> int:
    from icp_tui.engine.maturity.assessment import compare, load_response, load_responses, score
    from icp_tui.engine.maturity.progress import roadmap_lines, room_levels
    from icp_tui.engine.maturity.report import comparison_markdown, result_markdown

    ws = _workshop(args)
    if args.files:
        responses = [load_response(f, q) for f in args.files]
        for r in responses:
            if r.questionnaire_id != q.id:
                raise IcpError(f"made with questionnaire '{r.questionnaire_id}', not '{q.id}'", file=str(r.path))
    elif ws is not None:
        responses, problems = load_responses(_assessments(ws), q)
        for p in problems:
            print(f"icp: skipped {p}", file=sys.stderr)
        if not responses:
            raise IcpError("no self-assessments in this workshop yet", file=str(_assessments(ws)))
    else:
        raise UsageError("name the answered files (icp assess report FILE...) or a workshop with -w DIR")
    cmp = compare(q, responses)
    text = result_markdown(score(q, responses[0])) if len(responses) == 1 else comparison_markdown(cmp)
    if ws is not None:
        lines = roadmap_lines(q, _roadmap(ws, q), room_levels(cmp))
        text = text.rstrip("\n") + "\n\n" + ("\n".join(lines) if lines else
                                             "## Roadmap\n\nNo targets set yet (t on the app's Maturity screen).\n")
    emit(text, args.report_output, "report")
    return 0


OPTIONS = {"-w": "workshop", "--workshop": "workshop", "-o": "report_output", "--output": "report_output",
           "-q": "questionnaire", "--questionnaire": "questionnaire"}


def split_rounds(items: list[str], args=None) -> tuple[list[str], list[str] | None]:
    """OLD... -- NEW... as (old, new); new is None when there is no ``--``. -w, -o and -q among the files are
    set on ``args`` (argparse leaves them in the files, which come as they are); any other option is refused."""
    files: list[str] = []
    rest = iter(items)
    for item in rest:
        if item in OPTIONS:
            value = next(rest, None)
            if value is None or value.startswith("-"):
                raise UsageError(f"{item} needs a value, e.g. {item} {'acme' if 'w' in item else 'progress.md'}")
            if args is not None:
                setattr(args, OPTIONS[item], value)
        elif item.startswith("-") and item != "--":
            raise UsageError(f"{item}: not an option of icp assess progress (-w DIR, -o FILE, -q FILE)")
        else:
            files.append(item)
    if "--" not in files:
        return files, None
    i = files.index("--")
    return files[:i], files[i + 1:]


def assess_progress(args, q) -> int:
    from icp_tui.engine.maturity.progress import load_round, progress_markdown, round_progress

    old, new = split_rounds(list(args.rounds), args)
    ws = _workshop(args)
    if new is None and ws is not None:
        new = [str(_assessments(ws))]
    if not old or not new:
        raise UsageError("give both rounds: icp assess progress OLD... -- NEW... (with -w the workshop's "
                         "self-assessments are NEW)")
    refuse_overwrite(argparse.Namespace(**{**vars(args), "files": old + new}))
    earlier, skipped = load_round(old, q)
    later, skipped_now = load_round(new, q)
    for p in skipped + skipped_now:
        print(f"icp: skipped {p}", file=sys.stderr)
    for what, got in (("the earlier round", earlier), ("the later round", later)):
        if not got:
            raise IcpError(f"no self-assessments in {what} ({', '.join(old if got is earlier else new)})")
    roadmap = _roadmap(ws, q) if ws is not None else None
    emit(progress_markdown(round_progress(q, earlier, later, roadmap)), args.report_output, "progress")
    return 0
