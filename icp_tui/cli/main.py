"""The ``icp`` command. No subcommand opens the app; subcommands run the engine headless.

Exit codes: 0 ok, 1 findings or errors in the input, 2 usage. Errors are one line on stderr;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import os
import sys
import traceback

from icp_tui.cli.common import UsageError, one_stdin, refuse_overwrite
from icp_tui.cli.history_cmds import cmd_segments, cmd_validate
from icp_tui.cli.holdout_cmd import cmd_holdout
from icp_tui.cli.new_cmds import cmd_columns, cmd_workshop
from icp_tui.cli.parser import build_parser, command_parser
from icp_tui.cli.report_cmd import cmd_report
from icp_tui.cli.scorecard_cmds import cmd_lint, cmd_score, cmd_sql
from icp_tui.cli.serve_cmd import cmd_serve
from icp_tui.cli.workshop_cmds import cmd_align, cmd_assess, cmd_open
from icp_tui.engine.core.errors import IcpError


def entry() -> None:
    """The console script: run, flush, and leave without interpreter teardown.

    Arrow's (and DuckDB's) native thread pools can abort a process that tears down while a worker
    is still parked (apache/arrow#34314): the work is done and written, yet the exit code is -6.
    Everything is flushed and every file was written atomically, so skipping teardown loses nothing.
    """
    code = main()
    from icp_tui.engine.core.stdin import cleanup

    cleanup()  # os._exit skips atexit: remove the copy of standard input here
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (BrokenPipeError, ValueError, OSError):
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    handlers = {"score": cmd_score, "lint": cmd_lint, "assess": cmd_assess, "align": cmd_align, "validate": cmd_validate,
                "segments": cmd_segments, "sql": cmd_sql, "open": cmd_open, None: cmd_open,
                "workshop": cmd_workshop, "columns": cmd_columns, "serve": cmd_serve, "report": cmd_report,
                "holdout": cmd_holdout}
    try:
        refuse_overwrite(args)
        one_stdin(args)
        return handlers[args.command](args)
    except UsageError as e:
        command_parser(parser, args.command, args).print_usage(sys.stderr)
        print(f"icp: error: {e}", file=sys.stderr)
        return 2
    except IcpError as e:
        if args.debug:
            traceback.print_exc()
        print(f"icp: error: {e}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0
    except OSError as e:  # the machine said no (a folder that is not there, no permission, a full disk)
        if args.debug:
            traceback.print_exc()
        where = f"{e.filename}: " if e.filename else ""
        print(f"icp: error: {where}cannot write or read: {e.strerror or e}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("icp: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # a bug: say so in one line, keep the traceback behind --debug
        if args.debug:
            traceback.print_exc()
        print(f"icp: internal error: {type(e).__name__}: {e} (run with --debug for details)", file=sys.stderr)
        return 1
