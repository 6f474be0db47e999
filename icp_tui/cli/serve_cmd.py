"""``icp serve``: the same app in a web browser (textual-serve), for a room that is not in front of this screen.

Each browser tab that opens the page starts its own ``icp open WORKSHOP`` in a new process on this
machine; they all work on the same workshop folder. There is no login: anyone who can reach the
address can use the app, so the default address is this machine only (127.0.0.1).
"""

from __future__ import annotations

import logging
import shlex
import signal
import sys
from pathlib import Path

from icp_tui.engine.core.errors import IcpError

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def app_command(workshop: Path) -> str:
    """The command each browser session runs: this Python, this package, the workshop."""
    return shlex.join([sys.executable, "-m", "icp_tui", "open", str(workshop)])


def cmd_serve(args) -> int:
    from icp_tui.engine.workshop.manifest import MANIFEST, Workshop, last_or_sample

    where = Path(args.workshop or last_or_sample()).expanduser()
    folder = where.parent if where.name == MANIFEST else where
    if not (folder / MANIFEST).exists():
        raise IcpError(f"no {MANIFEST} here: make one with  icp workshop new {folder} --accounts FILE", file=str(folder))
    ws = Workshop.load(folder)  # a broken workshop.toml is said here, not in every browser tab
    if not 0 < args.port < 65536:
        raise IcpError(f"--port {args.port}: a port is 1 to 65535")
    from rich.console import Console
    from textual_serve.server import Server

    url = f"http://{'[' + args.host + ']' if ':' in args.host else args.host}:{args.port}"
    print(f"icp: serving '{ws.name}' at {url} (Ctrl+C stops)", file=sys.stderr)
    if args.host not in LOOPBACK:
        print(f"icp: warning: {args.host} is reachable from other machines and the app asks no password: "
              "anyone who can open the address can change the workshop", file=sys.stderr)
    server = Server(app_command(ws.root), host=args.host, port=args.port, title=f"icp — {ws.name}", public_url=url)
    server.initialize_logging = lambda: None  # type: ignore[method-assign]  # our one line above, not its log
    server.console = Console(stderr=True, quiet=True)  # nor its banner
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
