"""``icp serve``: the same app in a web browser (textual-serve), for a room that is not in front of this screen.

Each browser tab that opens the page starts its own ``icp open WORKSHOP`` in a new process on this
machine; they all work on the same workshop folder. The address printed at start carries a token made for
this run (serve_guard.py: the token, the page's own address only, at most ``--max-sessions`` tabs at once);
the default address is this machine only (127.0.0.1).
"""

from __future__ import annotations

import logging
import os
import shlex
import signal
import socket
import sys
from pathlib import Path

from icp_tui.engine.core.errors import IcpError

LOOPBACK = ("127.0.0.1", "localhost", "::1")
WILDCARD = ("0.0.0.0", "::", "")


def app_command(workshop: Path, server_pid: int) -> str:
    """The shell command each browser session runs: this Python's ``icp open`` on the workshop, ended with the
    server (serve_session.py); ``exec`` makes the server its parent."""
    return "exec " + shlex.join([sys.executable, "-m", "icp_tui.cli.serve_session", str(server_pid), str(workshop)])


def public_url(host: str, port: int) -> str:
    """The address browsers open: the host listened on, or this machine's name when that is every address."""
    if host in WILDCARD:
        host = socket.gethostname()
    return f"http://{'[' + host + ']' if ':' in host else host}:{port}"


def cmd_serve(args) -> int:
    from icp_tui.engine.workshop.manifest import MANIFEST, Workshop, last_or_sample

    where = Path(args.workshop or last_or_sample()).expanduser()
    folder = where.parent if where.name == MANIFEST else where
    if not (folder / MANIFEST).exists():
        raise IcpError(f"no {MANIFEST} here: make one with  icp workshop new {folder} --accounts FILE", file=str(folder))
    ws = Workshop.load(folder)  # a broken workshop.toml is said here, not in every browser tab
    if not 0 < args.port < 65536:
        raise IcpError(f"--port {args.port}: a port is 1 to 65535")
    if args.max_sessions < 1:
        raise IcpError(f"--max-sessions {args.max_sessions}: at least 1 browser session")
    from icp_tui.cli.serve_guard import GuardedServer, new_token

    server = GuardedServer(app_command(ws.root, os.getpid()), host=args.host, port=args.port, title=f"icp — {ws.name}",
                           public_url=public_url(args.host, args.port), token=new_token(),
                           max_sessions=args.max_sessions)
    print(f"icp: serving '{ws.name}' at {server.url} (Ctrl+C stops)", file=sys.stderr)
    if args.host not in LOOPBACK:
        print(f"icp: warning: {args.host} is reachable from other machines, unencrypted (http): anyone who has "
              "the address with its token can change the workshop", file=sys.stderr)
    # a browser session's app that ends after the server's loop closed makes asyncio warn "Loop ... that handles
    # pid N is closed": nothing the user can act on
    logging.getLogger("asyncio").setLevel(logging.ERROR)
    try:
        server.serve()
    except OSError as e:
        raise IcpError(f"cannot listen on {args.host}:{args.port}: {e.strerror or e}") from None
    finally:
        try:  # the closed loop's wake-up pipe must not receive the next signal
            signal.set_wakeup_fd(-1)
        except ValueError:
            pass
    print("icp: stopped serving", file=sys.stderr)
    return 0
