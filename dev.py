#!/usr/bin/env python3
"""Set-up and run in one command, on a machine with only Python 3.11+ and pip.

    python3 dev.py run       # create .venv if needed, install, open the app on the sample workshop
    python3 dev.py test      # create .venv if needed, install with test extras, then ruff, mypy and pytest (all cores)
    python3 dev.py bench     # the scoring benchmark (not part of the tests)

Extra arguments are passed on (to ``icp`` for run, to pytest for test).
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")


def ensure_env(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 (dev.py runs under whatever python3 is)
        sys.exit(f"icp-tui needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    stamp = VENV / ".install-stamp"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    have = stamp.read_text().split() if stamp.exists() and PY.exists() else []
    if have and have[0] == digest and (extras in have[1:] or "[test]" in have[1:]):
        return  # installed for this pyproject.toml (the test install also serves run)
    if not PY.exists():
        print("Creating .venv ...", file=sys.stderr)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print(f"Installing icp-tui{extras} into .venv ...", file=sys.stderr)
    subprocess.run([str(PY), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-e", f"{ROOT}{extras}"], check=True)
    stamp.write_text(f"{digest} {extras or '[]'}")


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test", "bench"):
        print(__doc__, file=sys.stderr)
        return 2
    cmd, rest = argv[0], argv[1:]
    if cmd == "run":
        ensure_env("")
        return subprocess.call([str(BIN / "icp"), *rest])
    ensure_env("[test]")
    if cmd == "test":
        if not rest:  # the whole suite: lint and types first (pytest arguments select tests and skip these)
            for check in (["ruff", "check", "."], ["mypy"]):
                print(f"$ {' '.join(check)}", file=sys.stderr, flush=True)
                if code := subprocess.call([str(PY), "-m", *check], cwd=ROOT):
                    print(f"{check[0]} failed (exit {code}): fix the findings above", file=sys.stderr)
                    return code
        # the whole suite on every core (syrupy reads snapshots fine under xdist; update them without -n)
        return subprocess.call([str(PY), "-m", "pytest", *(rest or ["-n", "auto"])], cwd=ROOT)
    return subprocess.call([str(PY), str(ROOT / "benchmarks" / "bench_scoring.py"), *rest], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
