"""A new workshop from a customer's exports: ``icp workshop new`` and the app's New workshop form.

Every file is read first (so a bad export is refused before anything is written), then copied into
the folder (``data/``, ``lists/``) unless it is already inside it or ``copy`` is False, in which case
workshop.toml names it where it is and records it under ``[links]`` (``icp workshop new --link``): a linked
file is only read through the workshop, never written (see :mod:`icp_tui.engine.workshop.manifest`). The
scorecard is the one given, or the starter drawn from the accounts (:mod:`icp_tui.engine.workshop.starter`).
What each file's columns were read as is returned as a :class:`~icp_tui.engine.core.headers.MappingReport`
per file, for the user to confirm.
"""

from __future__ import annotations

import os
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_bytes, atomic_write_text
from icp_tui.engine.core.errors import WorkshopError
from icp_tui.engine.core.headers import MappingReport, describe_mapping
from icp_tui.engine.core.lock import LOCK_FILES
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.workshop.manifest import MANIFEST, Workshop
from icp_tui.engine.workshop.starter import starter_scorecard

TEMPLATES = ("starter",)


@dataclass
class NewWorkshop:
    folder: Path
    accounts: Path
    deals: Path | None = None
    lists: list[tuple[str, Path]] = field(default_factory=list)  # function, file
    scorecard: Path | None = None  # None: the starter template
    name: str = ""
    organisation: str = ""
    copy: bool = True


@dataclass
class Created:
    workshop: Workshop
    reports: list[MappingReport]
    warnings: list[str]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_") or "list"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except ValueError:
        return False


def _rel(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def list_specs(items: list[str]) -> list[tuple[str, Path]]:
    """FUNCTION=FILE items ("Sales=lists/sales.csv") as (function, path); ValueError names a bad one."""
    out = []
    for item in items:
        if not item.strip():
            continue
        function, sep, path = item.partition("=")
        if not sep or not function.strip() or not path.strip():
            raise ValueError(f"a list is FUNCTION=FILE (e.g. Sales=sales.csv), not {item.strip()!r}")
        out.append((function.strip(), Path(path.strip()).expanduser()))
    return out


def guess_files(folder: Path) -> dict[str, str]:
    """In a folder of exports, the file that reads best as accounts, the one that reads as deals (by headers), and
    the lists ("Sales=FOLDER/sales.csv; ..." from the file names), as the New workshop form's text."""
    from icp_tui.engine.core.errors import DataFileError
    from icp_tui.engine.core.headers import guess_kind, guess_mapping

    if not folder.is_dir():
        return {}
    found: dict[str, tuple[int, Path]] = {}
    lists: list[str] = []
    candidates = sorted(p for p in [*folder.glob("*"), *folder.glob("data/*")] if p.suffix.lower() in (".csv", ".tsv", ".txt", ".xlsx"))
    for p in candidates[:20]:
        if p.stat().st_size > 50_000_000:
            continue
        try:
            headers = read_table(p)[0].column_names
        except DataFileError:
            continue
        kind = guess_kind(headers)
        if kind == "list":
            lists.append(f"{p.stem.replace('_', ' ').replace('-', ' ').title()}={p}")
        else:
            n = len(guess_mapping(kind, headers))
            if n > found.get(kind, (0, p))[0]:
                found[kind] = (n, p)
    out = {k: str(p) for k, (_, p) in found.items()}
    return out | ({"lists": "; ".join(lists)} if lists else {})


def check_new(spec: NewWorkshop) -> list[str]:
    """Problems that stop the workshop being made, as sentences (empty: it can be made)."""
    problems = []
    folder = spec.folder.expanduser()
    if (folder / MANIFEST).exists():
        problems.append(f"{folder / MANIFEST} exists already: open it, or choose another folder")
    elif folder.exists() and not folder.is_dir():
        problems.append(f"{folder} is a file, not a folder")
    for label, p in [("accounts", spec.accounts), ("deals", spec.deals), ("scorecard", spec.scorecard)] + \
                    [(f"{f} list", p) for f, p in spec.lists]:
        if p is not None and not Path(p).expanduser().is_file():
            problems.append(f"{label} file {p} is not there")
    functions = [f.strip().lower() for f, _ in spec.lists]
    if dupes := sorted({f for f in functions if functions.count(f) > 1}):
        problems.append(f"two lists for {', '.join(dupes)}: one list per function")
    if any(not f.strip() for f, _ in spec.lists):
        problems.append("each list needs a function name (FUNCTION=FILE)")
    return problems


def create_workshop(spec: NewWorkshop) -> Created:
    """Make the folder, its files and workshop.toml; refuse (WorkshopError) before writing anything if a file is bad."""
    from icp_tui.engine.scorecard.file import ScorecardFile
    from icp_tui.engine.workshop.imports import read_accounts_with, read_deals_with, read_list_with

    if problems := check_new(spec):
        raise WorkshopError("; ".join(problems), file=str(spec.folder))
    folder = spec.folder.expanduser().resolve()
    # read everything first: a bad file is refused with its own message, and nothing is written
    sc = ScorecardFile.open(spec.scorecard).scorecard if spec.scorecard else None
    accounts = read_accounts_with(spec.accounts, None, sc)
    reports = [describe_mapping("accounts", accounts.table, str(spec.accounts), sc.column_map if sc else None)]
    warnings = [f"{spec.accounts}: {line}" for line in accounts.report_lines()]
    if not accounts.has("name") and not accounts.has("domain"):
        warnings.append(f"{spec.accounts}: no column was read as the company name or website: map one "
                        "(Columns on the home screen, or [import.accounts.columns] in workshop.toml)")
    if spec.deals:
        deals = read_deals_with(spec.deals)
        reports.append(describe_mapping("deals", read_table(spec.deals)[0], str(spec.deals)))
        warnings += [f"{spec.deals}: {line}" for line in deals.report_lines()]
        if "stage" not in deals.mapping:
            warnings.append(f"{spec.deals}: no column was read as the stage or outcome (won, lost, open): map one "
                            "(Columns on the home screen, or [import.deals.columns] in workshop.toml)")
        if not any(f in deals.mapping for f in ("account_id", "account_name", "domain")):
            warnings.append(f"{spec.deals}: no column was read as the account: map one")
    for function, p in spec.lists:
        warnings += [f"{p}: {line}" for line in read_list_with(p, function).report_lines()]
    folder.mkdir(parents=True, exist_ok=True)

    linked: dict[str, list[str]] = {"files": [], "lists": []}

    def place(src: Path, target: Path, link: tuple[str, str]) -> str:
        if _inside(src, folder):
            return _rel(src, folder)
        if not spec.copy:
            linked[link[0]].append(link[1])
            return _rel(src, folder)
        atomic_write_bytes(target, Path(src).read_bytes())
        return _rel(target, folder)

    files: dict[str, str] = {}
    acc = Path(spec.accounts).expanduser()
    files["accounts"] = place(acc, folder / "data" / f"accounts{acc.suffix.lower() or '.csv'}", ("files", "accounts"))
    if spec.deals:
        d = Path(spec.deals).expanduser()
        files["deals"] = place(d, folder / "data" / f"deals{d.suffix.lower() or '.csv'}", ("files", "deals"))
    if spec.scorecard:
        files["scorecard"] = place(Path(spec.scorecard).expanduser(), folder / "scorecard.toml", ("files", "scorecard"))
    else:
        target = folder / "scorecard.toml"
        if not target.exists():
            atomic_write_text(target, starter_scorecard(accounts))
        files["scorecard"] = "scorecard.toml"
    (folder / "assessments").mkdir(exist_ok=True)
    files["assessments"] = "assessments"
    files["decisions"] = "decisions.toml"
    lists, used = [], set()
    for function, p in spec.lists:
        stem, k = _slug(function), 2
        name = stem
        while name in used:  # "Sales (EMEA)" and "Sales EMEA" must not share one file
            name, k = f"{stem}_{k}", k + 1
        used.add(name)
        target = folder / "lists" / f"{name}{Path(p).suffix.lower() or '.csv'}"
        lists.append((function.strip(), place(Path(p).expanduser(), target, ("lists", function.strip()))))
    atomic_write_text(folder / MANIFEST, manifest_text(spec.name or folder.name, spec.organisation, files, lists, linked))
    return Created(Workshop.load(folder), reports, warnings)


def manifest_text(name: str, organisation: str, files: dict[str, str], lists: list[tuple[str, str]],
                  linked: dict[str, list[str]] | None = None) -> str:
    """workshop.toml's text; ``linked``: the [files] keys and [[lists]] functions named where they are (--link)."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("A workshop made by `icp workshop new`. Paths are relative to this folder."))
    doc.add(tomlkit.nl())
    doc["workshop"] = {"name": name, "organisation": organisation}
    doc["files"] = files
    aot = tomlkit.aot()
    for function, rel in lists:
        aot.append(tomlkit.item({"function": function, "file": rel}))
    if lists:
        doc["lists"] = aot
    if linked and any(linked.values()):
        links = tomlkit.table()
        links.comment("named where they are, outside this folder (--link): only read, never written here")
        links.update({key: names for key, names in linked.items() if names})
        doc["links"] = links
    doc.add(tomlkit.nl())
    for line in ("How the files' columns are read, when a header is not one the importer knows:",
                 "[import.deals.columns]", '"Opp Result" = "stage"         # header as written = field (or "ignore")',
                 "[import.deals.stages]", '"Signed" = "won"               # a stage as written = won, lost or open',
                 "[import.deals]", 'dates = "day-first"            # or "month-first"',
                 "[import.accounts.units]", 'annual_revenue = "millions"',
                 "The app's Columns screen (home screen, key c) writes the columns tables for you."):
        doc.add(tomlkit.comment(line))
    return tomlkit.dumps(doc)


def copy_tree_atomically(src: Path, dest: Path) -> None:
    """Copy a folder to ``dest`` whole or not at all (a temporary sibling renamed into place)."""
    tmp = dest.with_name(f".{dest.name}.tmp-{os.getpid()}")
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(src, tmp, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "generate.py", "make_assessments.py",
                                                            *LOCK_FILES, "*.stale-*"))  # locks are not workshop files
    for p in tmp.rglob("*"):  # a copy of a read-only install must itself be writable
        p.chmod(p.stat().st_mode | 0o200)
    tmp.chmod(tmp.stat().st_mode | 0o200)
    try:
        os.replace(tmp, dest)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        if not (dest / MANIFEST).exists():
            raise


def data_dir() -> Path:
    """Where the app keeps its own copy of the sample: ``$ICP_TUI_DATA_DIR``, else the platform's user data folder."""
    if os.environ.get("ICP_TUI_DATA_DIR"):
        return Path(os.environ["ICP_TUI_DATA_DIR"])
    from platformdirs import user_data_path

    return user_data_path("icp-tui", appauthor=False)


def sample_copy() -> Path:
    """The sample workshop to open: a copy in the user's data folder, made the first time (the installed one is
    never edited: decisions, saved scorecards and lists go to the copy)."""
    from icp_tui.engine.workshop.resources import sample_workshop_dir

    dest = data_dir() / "sample-workshop"
    if not (dest / MANIFEST).exists():
        dest.parent.mkdir(parents=True, exist_ok=True)
        copy_tree_atomically(sample_workshop_dir(), dest)
    return dest
