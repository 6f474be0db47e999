"""``icp workshop new`` and ``icp columns``: a workshop from a customer's exports, and what their columns are read as."""

from __future__ import annotations

import sys
from pathlib import Path

from icp_tui.cli.common import UsageError, pairs


def parse_lists(items: list[str] | None) -> list[tuple[str, Path]]:
    from icp_tui.engine.workshop.create import list_specs

    try:
        return list_specs(items or [])
    except ValueError as e:
        raise UsageError(f"--lists: {e}") from None


def cmd_workshop(args) -> int:
    from icp_tui.engine.workshop.create import NewWorkshop, create_workshop

    spec = NewWorkshop(Path(args.folder), Path(args.accounts), Path(args.deals) if args.deals else None,
                       parse_lists(args.lists), Path(args.scorecard) if args.scorecard else None,
                       args.name or "", args.org or "", copy=not args.link)
    from icp_tui.engine.core.lock import workshop_lock

    with workshop_lock(spec.folder, "icp workshop new"):  # a workshop already there is not written under another writer
        created = create_workshop(spec)
    for report in created.reports:
        print("\n".join(report.lines()), file=sys.stderr)
    for w in created.warnings:
        print(f"icp: warning: {w}", file=sys.stderr)
    ws = created.workshop
    print(f"icp: workshop '{ws.name}' created in {ws.root}: open it with  icp open {args.folder}", file=sys.stderr)
    return 0


def cmd_columns(args) -> int:
    from icp_tui.engine.core.headers import describe_mapping, guess_kind
    from icp_tui.engine.core.tables import read_table
    from icp_tui.engine.workshop.imports import SECTIONS
    from icp_tui.engine.workshop.manifest import Workshop

    table, info = read_table(args.file)
    kind = args.kind or guess_kind(table.column_names)
    overrides: dict[str, str] = {}
    if args.workshop:
        section = next(s for s, k in SECTIONS.items() if k == kind)
        overrides.update(Workshop.load(args.workshop).settings(section).columns)
    overrides.update(pairs(args.map, "--map"))
    report = describe_mapping(kind, table, info.path, overrides)
    for line in info.report_lines():  # how it was read: an encoding other than UTF-8, lines skipped, formulas
        print(f"icp: warning: {info.path}: {line}", file=sys.stderr)
    sys.stdout.write("\n".join(report.lines()) + "\n")
    if not args.kind:
        article = "an" if kind == "accounts" else "a"
        print(f"icp: read as {article} {kind} file (say --kind accounts, deals or list to choose)", file=sys.stderr)
    return 0
