"""Layering rules: the engine and the CLI never import Textual; the CLI imports heavy libraries lazily.

Each check runs in a fresh interpreter so that modules imported by other tests do not count.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ICP_TUI_STATE_DIR": os.environ["ICP_TUI_STATE_DIR"]}
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


ENGINE_AND_CLI = """
import importlib, pkgutil, sys
import icp_tui.engine
names = [m.name for m in pkgutil.walk_packages(icp_tui.engine.__path__, "icp_tui.engine.")]
for name in names:
    importlib.import_module(name)
import icp_tui.cli
print("modules:", len(names))
print("engine-imported:", ",".join(sorted(n for n in names if n in sys.modules)))
print("textual:", ",".join(sorted(n for n in sys.modules if n.startswith("textual"))))
"""


def test_engine_and_cli_do_not_import_textual():
    proc = _run(ENGINE_AND_CLI)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    engine = ROOT / "icp_tui" / "engine"
    modules = sorted(
        "icp_tui.engine." + ".".join(p.relative_to(engine).with_suffix("").parts).removesuffix(".__init__")
        for p in engine.rglob("*.py") if p != engine / "__init__.py"
    )
    # every engine module and package was found by walk_packages and really imported
    assert lines[0] == f"modules: {len(modules)}"
    assert lines[1] == "engine-imported: " + ",".join(modules)
    assert lines[2] == "textual: "
    assert len(lines) == 3


def test_cli_import_is_lazy_about_sklearn():
    proc = _run(
        "import sys\n"
        "import icp_tui.cli\n"
        "print(','.join(sorted(n for n in sys.modules if n.split('.')[0] in ('sklearn', 'textual'))))\n"
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "\n"
