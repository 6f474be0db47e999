"""The README's "Seed rules: where each lives" table names files and functions that exist."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _rows() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Seed rules: where each lives", 1)[1].split("\n## ", 1)[0]
    return [line for line in section.splitlines() if line.startswith("| 00")]


def test_every_seed_has_rules():
    seeds = {row.split("|")[1].strip() for row in _rows()}
    assert {s for cell in seeds for s in re.split(r",\s*", cell)} == {"000", "001", "002", "003", "004"}


def test_each_named_file_and_name_exists():
    checked = 0
    for row in _rows():
        where = row.split("|")[3]
        current: Path | None = None
        for token in re.findall(r"`([^`]+)`", where):
            first = token.split()[0]
            if first.endswith((".py", ".toml")) and "/" in first:
                base = ROOT / first if first.startswith("assessments/") else ROOT / "icp_tui" / first
                if not base.exists():  # "scorecard/results.py" after an engine path is under engine/
                    base = ROOT / "icp_tui" / "engine" / first
                assert base.exists(), f"{first} (in: {row[:60]})"
                current = base
                continue
            if current is None or current.suffix != ".py":
                continue
            source = current.read_text(encoding="utf-8")
            for name in re.findall(r"[A-Za-z_][A-Za-z_0-9.]*", token):
                leaf = name.split(".")[-1].split("/")[-1]
                assert re.search(rf"\b{re.escape(leaf)}\b", source), f"{leaf} not in {current.relative_to(ROOT)}"
                checked += 1
    assert checked > 40
