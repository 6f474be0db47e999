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
    roadmap = "roadmap.toml"         # the maturity targets, written by the app (the default)
    segments = "segments.toml"       # saved segment profiles, written by the app (the default)

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
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.workshop.agenda import Agenda, parse_agenda
from icp_tui.engine.workshop.imports import ImportSettings, parse_imports, read_accounts_with, read_deals_with, read_list_with
from icp_tui.engine.workshop.resources import sample_workshop_dir

MANIFEST = "workshop.toml"
FILE_KEYS = ("accounts", "deals", "scorecard", "assessments", "decisions", "roadmap", "segments")


@dataclass
class FunctionList:
    function: str
    path: Path


@dataclass
class Participant:
    name: str
    function: str = ""


@dataclass
class Workshop:
    root: Path
    name: str
    organisation: str = ""
    files: dict[str, Path] = field(default_factory=dict)
    lists: list[FunctionList] = field(default_factory=list)
    imports: dict[str, ImportSettings] = field(default_factory=dict)  # [import.accounts], [import.deals], [import.lists]
    participants: list[Participant] = field(default_factory=list)  # [[participants]] name, function
    agenda: Agenda = field(default_factory=Agenda)  # [agenda]: the steps, where the room is, timers

    def settings(self, section: str) -> ImportSettings:
        return self.imports.get(section) or ImportSettings()

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
        text = read_text(p, WorkshopError)
        doc = parse_toml(text, str(p), WorkshopError).unwrap()
        root = p.parent.resolve()

        def fail(keys: list[str | int], message: str) -> WorkshopError:
            key = "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else k) for i, k in enumerate(keys))
            return WorkshopError(message, file=str(p), line=locate(text, keys), key=key or None)

        def table(t: dict, key: str, kp: list[str | int], known: tuple[str, ...]) -> dict:
            value = t.get(key, {})
            if not isinstance(value, dict):
                raise fail(kp + [key], f"must be a table ([{key}])")
            if (bad := unknown_key(value, known)) is not None:
                raise fail(kp + [key, bad[0]], f"is not a key here ({bad[1]})")
            return value

        def text_of(t: dict, key: str, kp: list[str | int], default: str = "") -> str:
            value = t.get(key, default)
            if not isinstance(value, str):
                raise fail(kp + [key], f"must be text, not {value!r}")
            return value.strip()

        if (bad := unknown_key(doc, ("workshop", "files", "lists", "import", "participants", "agenda"))) is not None:
            raise fail([bad[0]], f"is not a key here ({bad[1]})")
        meta = table(doc, "workshop", [], ("name", "organisation"))
        files = {}
        for key in table(doc, "files", [], FILE_KEYS):
            rel = text_of(doc["files"], key, ["files"])
            if not rel:
                raise fail(["files", key], "must name a file (a path relative to the workshop folder)")
            files[key] = (root / rel).resolve()
        raw = doc.get("lists", [])
        if not isinstance(raw, list):
            raise fail(["lists"], "must be [[lists]] tables, each with function and file")
        lists = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, dict) or "function" not in item or "file" not in item:
                raise fail(["lists", i], "each [[lists]] needs function and file")
            if (bad := unknown_key(item, ("function", "file"))) is not None:
                raise fail(["lists", i, bad[0]], f"is not a key here ({bad[1]})")
            function, rel = text_of(item, "function", ["lists", i]), text_of(item, "file", ["lists", i])
            if not function or not rel:
                raise fail(["lists", i], "function and file must not be empty")
            lists.append(FunctionList(function, (root / rel).resolve()))
        imports = parse_imports(doc.get("import"), fail)
        people = doc.get("participants", [])
        if not isinstance(people, list):
            raise fail(["participants"], "must be [[participants]] tables, each with name and function")
        participants = []
        for i, item in enumerate(people, 1):
            bad = unknown_key(item, ("name", "function")) if isinstance(item, dict) else None
            if not isinstance(item, dict) or bad is not None:
                keys: list[str | int] = ["participants", i, *([str(bad[0])] if bad else [])]
                raise fail(keys, "each [[participants]] has name and function only")
            name = text_of(item, "name", ["participants", i])
            if not name:
                raise fail(["participants", i, "name"], "must not be empty")
            participants.append(Participant(name, text_of(item, "function", ["participants", i])))
        agenda = parse_agenda(doc.get("agenda"), fail)
        return cls(root, text_of(meta, "name", ["workshop"]) or root.name, text_of(meta, "organisation", ["workshop"]),
                   files, lists, imports, participants, agenda)


@dataclass
class FileSummary:
    kind: str
    label: str
    path: Path | None
    detail: str
    problem: str = ""


def summarise(ws: Workshop) -> list[FileSummary]:
    """What each file of the workshop holds, in a line, with any problem reading it."""
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
        acc = read_accounts_with(p, ws.settings("accounts"), parse=False)
        return f"{len(acc):,} accounts, {len(acc.table.column_names)} columns"

    def deals(p: Path) -> str:
        d = read_deals_with(p, ws.settings("deals"))
        c = d.outcome_counts()
        return f"{len(d):,} deals: {c['won']} won, {c['lost']} lost, {c['open']} open"

    def scorecard(p: Path) -> str:
        sc = ScorecardFile.open(p).scorecard
        return f"{sc.name} v{sc.version}: {len(sc.criteria)} criteria, {len(sc.anti_personas)} anti-personas"

    def assessments(p: Path) -> str:
        n = len(list(p.glob("*.toml"))) if p.is_dir() else 0
        return f"{n} self-assessment{'s' if n != 1 else ''}"

    def proposed(p: Path, function: str) -> str:
        return f"{len(read_list_with(p, function, ws.settings('lists')).entries):,} accounts proposed"

    attempt("accounts", "Accounts", ws.file("accounts"), accounts)
    attempt("deals", "Deal history", ws.file("deals"), deals)
    attempt("scorecard", "Scorecard", ws.file("scorecard"), scorecard)
    for fl in ws.lists:
        attempt("list", f"{fl.function} list", fl.path, lambda p, f=fl.function: proposed(p, f))
    attempt("assessments", "Assessments", ws.file("assessments"), assessments)
    return out


# -- the last workshop opened ------------------------------------------------------------------


def state_dir() -> Path:
    if os.environ.get("ICP_TUI_STATE_DIR"):
        return Path(os.environ["ICP_TUI_STATE_DIR"])
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "icp-tui"


def read_state() -> dict[str, str]:
    """What the app remembers between runs (the last workshop, the theme); {} when nothing can be read."""
    try:
        doc = tomlkit.parse((state_dir() / "state.toml").read_text(encoding="utf-8"))
    except (OSError, ParseError, UnicodeDecodeError):
        return {}
    return {str(k): str(v) for k, v in doc.items() if isinstance(v, str)}


def write_state(**values: str) -> None:
    try:
        atomic_write_text(state_dir() / "state.toml", tomlkit.dumps({**read_state(), **values}))
    except OSError:
        pass  # remembering is a convenience; a read-only home must not stop the app


def remember(ws: Workshop) -> None:
    write_state(last_workshop=str(ws.root))


def last_or_sample() -> Path:
    try:
        doc = tomlkit.parse((state_dir() / "state.toml").read_text(encoding="utf-8"))
        last = Path(str(doc.get("last_workshop", "")))
        if last.is_dir() and (last / MANIFEST).exists():
            return last
    except (OSError, ParseError):
        pass
    from icp_tui.engine.workshop.create import sample_copy

    try:
        return sample_copy()
    except OSError:  # no writable home: the installed sample, read as it is
        return sample_workshop_dir()
