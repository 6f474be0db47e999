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

Paths are relative to the directory, and stay in it: a path that leaves the folder (``..``, an absolute
path, or a symbolic link that resolves outside) is refused with its line (:mod:`icp_tui.engine.workshop.paths`),
unless the file is linked:

    [links]   # named where they are, outside this folder (icp workshop new --link); only read, never written
    files = ["accounts", "deals", "scorecard"]   # keys of [files]: accounts, deals, scorecard
    lists = ["Sales"]                            # functions of [[lists]]

A linked file is read where it is; nothing is written to it, or beside it, through the workshop (saving a
linked scorecard is refused: copy it in to edit it). The files the app writes (decisions, roadmap,
segments, assessments, the log) cannot be linked. The app remembers the last workshop it opened in a small
state file (``$ICP_TUI_STATE_DIR``, else ``$XDG_STATE_HOME/icp-tui``, else ``~/.local/state/icp-tui``).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import IcpError, WorkshopError
from icp_tui.engine.core.labels import label_key
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.workshop.agenda import Agenda, parse_agenda
from icp_tui.engine.workshop.imports import ImportSettings, parse_imports, read_accounts_with, read_deals_with, read_list_with
from icp_tui.engine.workshop.paths import check_own_files, inside, resolve_in
from icp_tui.engine.workshop.resources import sample_workshop_dir

MANIFEST = "workshop.toml"
FILE_KEYS = ("accounts", "deals", "scorecard", "assessments", "decisions", "roadmap", "segments")
LINKABLE = ("accounts", "deals", "scorecard")  # the [files] a workshop only reads; the others the app writes


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
    links: dict[str, Path] = field(default_factory=dict)  # [links]: "files.scorecard" / "lists.Sales" -> the file

    def link_of(self, path: str | Path) -> str:
        """The [links] name of ``path`` when it is a file the workshop links to, else ""."""
        target = Path(path).resolve()
        return next((key for key, p in self.links.items() if p == target), "")

    def check_own_file(self, path: str | Path) -> None:
        """Refuse (WorkshopError) to write ``path`` through the workshop when it is a linked file or outside the folder."""
        if key := self.link_of(path):
            raise WorkshopError(f"is linked ({key} in [links] of {MANIFEST}): a linked file is only read through the "
                                "workshop, never written; copy it into the workshop folder to change it", file=str(path))
        if not inside(self.root, Path(path).resolve()):
            raise WorkshopError("is outside the workshop folder: a workshop only writes its own files", file=str(path))

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

        if (bad := unknown_key(doc, ("workshop", "files", "lists", "import", "participants", "agenda", "links"))) is not None:
            raise fail([bad[0]], f"is not a key here ({bad[1]})")
        meta = table(doc, "workshop", [], ("name", "organisation"))
        linked = table(doc, "links", [], ("files", "lists"))

        def names(key: str) -> list[str]:
            value = linked.get(key, [])
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise fail(["links", key], f'must be a list of names, e.g. {key} = ["{"accounts" if key == "files" else "Sales"}"]')
            return [str(v) for v in value]

        linked_files, linked_lists = names("files"), [label_key(f) for f in names("lists")]
        for name in linked_files:
            if name not in LINKABLE:
                raise fail(["links", "files"], f"{name!r} cannot be linked: only {', '.join(LINKABLE)} can (the app "
                                               "writes the others, so they stay in the workshop folder)")

        def place(rel: str, keys: list[str | int], link: bool) -> Path:
            try:
                return resolve_in(root, rel, linked=link, linkable=keys[0] == "lists" or keys[-1] in LINKABLE)
            except ValueError as e:
                raise fail(keys, str(e)) from None

        files: dict[str, Path] = {}
        links: dict[str, Path] = {}
        for key in table(doc, "files", [], FILE_KEYS):
            rel = text_of(doc["files"], key, ["files"])
            if not rel:
                raise fail(["files", key], "must name a file (a path relative to the workshop folder)")
            files[key] = place(rel, ["files", key], key in linked_files)
            if key in linked_files and not inside(root, files[key]):
                links[f"files.{key}"] = files[key]
        if missing := [name for name in linked_files if name not in files]:
            raise fail(["links", "files"], f"{missing[0]!r} is not named in [files]")
        raw = doc.get("lists", [])
        if not isinstance(raw, list):
            raise fail(["lists"], "must be [[lists]] tables, each with function and file")
        lists: list[FunctionList] = []
        for i, item in enumerate(raw, 1):
            if not isinstance(item, dict) or "function" not in item or "file" not in item:
                raise fail(["lists", i], "each [[lists]] needs function and file")
            if (bad := unknown_key(item, ("function", "file"))) is not None:
                raise fail(["lists", i, bad[0]], f"is not a key here ({bad[1]})")
            function, rel = text_of(item, "function", ["lists", i]), text_of(item, "file", ["lists", i])
            if not function or not rel:
                raise fail(["lists", i], "function and file must not be empty")
            path = place(rel, ["lists", i, "file"], label_key(function) in linked_lists)
            if twin := next((fl for fl in lists if label_key(fl.function) == label_key(function)), None):
                raise fail(["lists", i, "function"], f"{function!r} has a list already ({twin.function!r}, [[lists]] "
                                                     f"{lists.index(twin) + 1}): one list per function")
            if twin := next((fl for fl in lists if fl.path == path), None):
                raise fail(["lists", i, "file"], f"{rel} is the {twin.function} list's file already: one file per list")
            lists.append(FunctionList(function, path))
            if label_key(function) in linked_lists and not inside(root, path):
                links[f"lists.{function}"] = path
        if missing := [f for f in names("lists") if label_key(f) not in {label_key(fl.function) for fl in lists}]:
            raise fail(["links", "lists"], f"{missing[0]!r} is not the function of a [[lists]] table")
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
        check_own_files(root)
        return cls(root, text_of(meta, "name", ["workshop"]) or root.name, text_of(meta, "organisation", ["workshop"]),
                   files, lists, imports, participants, agenda, links)


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
            detail = describe(path)
            out.append(FileSummary(kind, label, path, f"{detail} · linked: {path}" if ws.link_of(path) else detail))
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
    p = state_dir() / "state.toml"
    try:
        doc = parse_toml(read_text(p, WorkshopError), str(p), WorkshopError)
    except WorkshopError:
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
        last = Path(read_state().get("last_workshop", ""))
        if last.is_dir() and (last / MANIFEST).exists():
            return last
    except OSError:
        pass
    from icp_tui.engine.workshop.create import sample_copy

    try:
        return sample_copy()
    except OSError:  # no writable home: the installed sample, read as it is
        return sample_workshop_dir()
