"""``icp report``: the workshop report, as Markdown (standard output or -o) and as a self-contained HTML file."""

from __future__ import annotations

import sys
from pathlib import Path

from icp_tui.cli.common import emit
from icp_tui.engine.core.errors import IcpError


def cmd_report(args) -> int:
    from icp_tui.engine.core.atomic import atomic_write_text
    from icp_tui.engine.workshop.manifest import MANIFEST, Workshop, last_or_sample
    from icp_tui.engine.workshop.report import build_report, report_markdown
    from icp_tui.engine.workshop.report_html import report_html

    where = Path(args.workshop or last_or_sample()).expanduser()
    if not (where / MANIFEST).exists() and where.name != MANIFEST:
        raise IcpError(f"no {MANIFEST} here: make one with  icp workshop new {where} --accounts FILE", file=str(where))
    rep = build_report(Workshop.load(where))
    for section, problems in rep.problems.items():
        for p in problems:
            print(f"icp: warning: {section}: {p}", file=sys.stderr)
    if args.html:
        atomic_write_text(args.html, report_html(rep))
        print(f"icp: HTML report written to {args.html}", file=sys.stderr)
    if args.report_output or not args.html:
        emit(report_markdown(rep), args.report_output, "report")
    return 0
