"""A workshop is a directory with a ``workshop.toml`` manifest naming its files.

    [workshop]
    name = "Q1 ICP workshop"
    organisation = "Northwind Analytics"

    [files]
    accounts = "accounts.csv"
    deals = "deals.csv"
    scorecard = "scorecard.toml"
    assessments = "assessments"      # a folder of self-assessment files
    decisions = "decisions.toml"     # written by the app

    [[lists]]
    function = "Sales"
    file = "lists/sales.csv"

Paths are relative to the directory. The app remembers the last workshop it opened in a small
state file (``$ICP_TUI_STATE_DIR``, else ``$XDG_STATE_HOME/icp-tui``, else ``~/.local/state/icp-tui``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit
from tomlkit.exceptions import ParseError

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import IcpError, WorkshopError
from icp_tui.engine.core.tomlfile import parse_toml, read_text
from icp_tui.engine.workshop.resources import sample_workshop_dir

MANIFEST = "workshop.toml"
FILE_KEYS = ("accounts", "deals", "scorecard", "assessments", "decisions")


@dataclass
class FunctionList:
    function: str
    path: Path


@dataclass
class Workshop:
    root: Path
    name: str
    organisation: str = ""
    files: dict[str, Path] = field(default_factory=dict)
    lists: list[FunctionList] = field(default_factory=list)

    @property
    def manifest(self) -> Path:
        return self.root / MANIFEST

    def file(self, key: str) -> Path | None:
        return self.files.get(key)

    @classmethod
    def load(cls, where: str | Path) -> Workshop:
        p = Path(where).expanduser()
        if p.is_dir():
            p = p / MANIFEST
        if not p.exists():
            raise WorkshopError(f"no {MANIFEST} here: a workshop is a folder with a {MANIFEST} manifest",
                                file=str(p.parent if p.name == MANIFEST else p))
        doc = parse_toml(read_text(p, WorkshopError), str(p), WorkshopError).unwrap()
        root = p.parent.resolve()
        meta = doc.get("workshop", {})
        files = {}
        for key, rel in dict(doc.get("files", {})).items():
            if key not in FILE_KEYS:
                raise WorkshopError(f"unknown file kind '{key}' (use {', '.join(FILE_KEYS)})", file=str(p), key=f"files.{key}")
            files[key] = (root / str(rel)).resolve()
        lists = []
        for i, item in enumerate(doc.get("lists", []), 1):
            if not isinstance(item, dict) or "function" not in item or "file" not in item:
                raise WorkshopError("each [[lists]] needs function and file", file=str(p), key=f"lists[{i}]")
            lists.append(FunctionList(str(item["function"]), (root / str(item["file"])).resolve()))
        return cls(root, str(meta.get("name", root.name)), str(meta.get("organisation", "")), files, lists)


@dataclass
class FileSummary:
    kind: str
    label: str
    path: Path | None
    detail: str
    problem: str = ""


def summarise(ws: Workshop) -> list[FileSummary]:
    """What each file of the workshop holds, in a line, with any problem reading it."""
    from icp_tui.engine.core.accounts import read_accounts
    from icp_tui.engine.core.tables import read_table
    from icp_tui.engine.history.deals import read_deals
    from icp_tui.engine.scorecard.file import ScorecardFile

    out: list[FileSummary] = []

    def attempt(kind: str, label: str, path: Path | None, describe) -> None:
        if path is None:
            out.append(FileSummary(kind, label, None, "not set"))
            return
        try:
            out.append(FileSummary(kind, label, path, describe(path)))
        except IcpError as e:
            where = (f"line {e.line}: " if e.line else "") + (f"{e.key}: " if e.key else "")
            out.append(FileSummary(kind, label, path, "", where + e.message))

    def accounts(p: Path) -> str:
        acc = read_accounts(p, parse=False)
        return f"{len(acc):,} accounts, {len(acc.table.column_names)} columns"

    def deals(p: Path) -> str:
        d = read_deals(p)
        c = d.outcome_counts()
        return f"{len(d):,} deals: {c['won']} won, {c['lost']} lost, {c['open']} open"

    def scorecard(p: Path) -> str:
        sc = ScorecardFile.open(p).scorecard
        return f"{sc.name} v{sc.version}: {len(sc.criteria)} criteria, {len(sc.anti_personas)} anti-personas"

    def assessments(p: Path) -> str:
        n = len(list(p.glob("*.toml"))) if p.is_dir() else 0
        return f"{n} self-assessment{'s' if n != 1 else ''}"

    attempt("accounts", "Accounts", ws.file("accounts"), accounts)
    attempt("deals", "Deal history", ws.file("deals"), deals)
    attempt("scorecard", "Scorecard", ws.file("scorecard"), scorecard)
    for fl in ws.lists:
        attempt("list", f"{fl.function} list", fl.path, lambda p: f"{read_table(p)[1].rows:,} accounts proposed")
    attempt("assessments", "Assessments", ws.file("assessments"), assessments)
    return out


# -- the last workshop opened ------------------------------------------------------------------


def state_dir() -> Path:
    if os.environ.get("ICP_TUI_STATE_DIR"):
        return Path(os.environ["ICP_TUI_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "icp-tui"


def remember(ws: Workshop) -> None:
    try:
        atomic_write_text(state_dir() / "state.toml", tomlkit.dumps({"last_workshop": str(ws.root)}))
    except OSError:
        pass  # remembering is a convenience; a read-only home must not stop the app


def last_or_sample() -> Path:
    try:
        doc = tomlkit.parse((state_dir() / "state.toml").read_text(encoding="utf-8"))
        last = Path(str(doc.get("last_workshop", "")))
        if last.is_dir() and (last / MANIFEST).exists():
            return last
    except (OSError, ParseError):
        pass
    return sample_workshop_dir()
