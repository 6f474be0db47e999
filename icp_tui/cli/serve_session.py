"""One browser tab's app under ``icp serve``: ``icp open WORKSHOP``, ended when the server ends, even a killed one.

textual-serve tells a session's app to quit when its tab closes or the server stops. A server that is killed
(SIGKILL, a crash) tells it nothing, and Textual's web driver keeps running when its input closes: the app would
stay, a 200 MB process nobody can reach. So the app asks the system for SIGTERM when the server dies (Linux:
``prctl(PR_SET_PDEATHSIG)``; elsewhere a thread that watches the parent's pid), and Textual quits on SIGTERM.

Run as ``python -m icp_tui.cli.serve_session SERVER_PID WORKSHOP`` (serve_cmd.app_command, started with ``exec``
so that the server is this process's parent).
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_EVERY = 1.0  # seconds, where the system cannot tell us


def end_with(server_pid: int) -> None:
    """SIGTERM to this process when the server (its parent) ends; at once if it has ended already."""
    told = False
    if sys.platform.startswith("linux"):
        try:
            told = ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) == 0
        except (OSError, AttributeError):
            told = False
    if os.getppid() != server_pid:  # the server ended before we asked
        raise SystemExit(0)
    if not told:
        def watch() -> None:
            while True:
                time.sleep(WATCH_EVERY)
                if os.getppid() != server_pid:
                    os.kill(os.getpid(), signal.SIGTERM)
                    return

        threading.Thread(target=watch, name="icp-serve-parent", daemon=True).start()


def main() -> None:
    server_pid, workshop = int(sys.argv[1]), sys.argv[2]
    end_with(server_pid)
    from icp_tui.cli.main import entry

    sys.argv = ["icp", "open", workshop]
    entry()


if __name__ == "__main__":
    main()
