"""The README's table of recognised headers is the code's: every field and header, per file kind."""

from __future__ import annotations

import re
from pathlib import Path

from icp_tui.engine.core.headers import FIELDS

README = Path(__file__).resolve().parents[1] / "README.md"


def test_readme_lists_every_recognised_header():
    text = README.read_text(encoding="utf-8")
    section = text.split("### Recognised headers", 1)[1].split("\n### ", 1)[0]
    for kind, specs in FIELDS.items():
        block = section.split(f"(`{kind}`)", 1)[1].split("\n\n**", 1)[0]
        rows = dict(re.findall(r"^\| `(\w+)` \(.*?\) \| (.*) \|$", block, flags=re.M))
        assert list(rows) == [s.name for s in specs], kind
        for s in specs:
            assert rows[s.name].split(", ") == list(s.headers), (kind, s.name)
