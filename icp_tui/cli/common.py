"""What every command shares: usage errors, FIELD=VALUE pairs, progress bars, writing a text."""

from __future__ import annotations

import argparse
import os
import sys

from icp_tui.engine.core.texts import some

PROGRESS_BYTES = 12_000_000  # about 100k CRM rows: show a progress bar above this size


def count(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


class UsageError(Exception):
    pass


def pairs(items: list[str], what: str) -> dict[str, str]:
    out = {}
    for item in items or []:
        if "=" not in item:
            raise UsageError(f"{what} takes HEADER=FIELD, not {item!r}")
        k, v = item.rsplit("=", 1)
        out[k.strip()] = v.strip()
    return out


def progress_bar(enabled: bool):
    if not enabled:
        return None
    from rich.console import Console
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                    TimeElapsedColumn(), console=Console(stderr=True), transient=True)


def emit(text: str, output: str | None, what: str) -> None:
    """Text to ``output`` (atomically, saying so on stderr) or to standard output."""
    if output:
        from icp_tui.engine.core.atomic import atomic_write_text

        atomic_write_text(output, text)
        print(f"icp: {what} written to {output}", file=sys.stderr)
    else:
        sys.stdout.write(text)


INPUT_ARGS = ("accounts", "scorecard", "deals", "decisions", "workshop", "questionnaire")


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:  # one of them does not exist (yet)
        return os.path.abspath(a) == os.path.abspath(b)


def refuse_overwrite(args: argparse.Namespace, *more_inputs: str) -> None:
    """An output (-o) that names one of the command's input files is refused before any work is done."""
    outputs = [getattr(args, "report_output", None)]
    if not (args.command == "assess" and getattr(args, "assess_command", None) is None):
        outputs.append(getattr(args, "output", None))  # plain `icp assess -o` names the answers file to resume
    inputs = [getattr(args, k, None) for k in INPUT_ARGS]
    inputs += [item.rpartition("=")[2] if "=" in item else item for item in getattr(args, "lists", None) or []]
    inputs += list(getattr(args, "files", None) or []) + list(more_inputs)
    for out in filter(None, outputs):
        for source in filter(None, inputs):
            if source != "-" and _same_file(out, source):
                raise UsageError(f"-o {out} is one of the input files: write the result to another file")


POSITIONAL_INPUTS = {"score": ("accounts",), "lint": ("scorecard",), "sql": ("scorecard",), "columns": ("file",)}


def one_stdin(args: argparse.Namespace) -> None:
    """At most one input may be ``-`` (standard input, read once): a second is refused before any work is done."""
    positional = POSITIONAL_INPUTS.get(getattr(args, "command", None) or "", ())
    named = [(k if k in positional else f"--{k}", getattr(args, k, None)) for k in (*INPUT_ARGS, "file")]
    named += [(item, item.rpartition("=")[2] if "=" in item else item) for item in getattr(args, "lists", None) or []]
    named += [(f, f) for f in getattr(args, "files", None) or []]
    dashes = [what for what, value in named if value == "-"]
    if len(dashes) > 1:
        raise UsageError(f"only one input can be read from standard input ('-'), not {len(dashes)} ({', '.join(dashes)})")


DEAL_FIELDS = ("deal_id", "deal_name", "account_id", "account_name", "domain", "stage", "amount", "created", "closed",
               "use_case", "segment", "churned", "nrr", "expansion", "ltv", "cac")


def split_map(args: argparse.Namespace) -> tuple[dict[str, str], dict[str, str]]:
    """--map [KIND:]HEADER=FIELD (accounts by default) and --deals-map HEADER=FIELD, as (accounts, deals) maps."""
    accounts: dict[str, str] = {}
    deals: dict[str, str] = {}
    for item in getattr(args, "map", None) or []:
        kind, sep, rest = item.partition(":")
        if sep and kind.strip().lower() in ("accounts", "deals"):
            (deals if kind.strip().lower() == "deals" else accounts).update(pairs([rest], "--map"))
        else:
            accounts.update(pairs([item], "--map"))
    deals.update(pairs(getattr(args, "deals_map", None) or [], "--deals-map"))
    for header, fld in deals.items():
        if fld not in DEAL_FIELDS and fld != "ignore":
            raise UsageError(f"deals map {header}={fld}: '{fld}' is not a deal field (use one of: {', '.join(DEAL_FIELDS)})")
    return accounts, deals


def workshop_files(args: argparse.Namespace, *needed: str):
    """The workshop of -w (or None), with each of ``needed`` (scorecard, deals, accounts) filled in from it where
    the command line did not give it; a needed file that neither gives is a usage error."""
    ws = None
    if getattr(args, "workshop", None):
        from icp_tui.engine.workshop.manifest import Workshop

        ws = Workshop.load(args.workshop)
    for key in needed:
        if not getattr(args, key, None) and ws is not None and ws.file(key) is not None:
            setattr(args, key, str(ws.file(key)))
    if ws is not None:
        refuse_overwrite(args)  # -o must not name a file the workshop gave either
    return ws


def need(args: argparse.Namespace, *keys: str) -> None:
    """Each of ``keys`` given on the command line or by the workshop of -w; else a usage error that says so."""
    for key in keys:
        if not getattr(args, key, None):
            raise UsageError(f"--{key} FILE is needed (or -w DIR, a workshop that names its {key} file)")


def check_map(given: dict[str, str], headers: list[str], flag: str, path: str) -> None:
    """Every HEADER of --map/--deals-map must be a column of the file (exactly, or equal but for case and spacing)."""
    from icp_tui.engine.core.accounts import header_key

    keys = {header_key(h) for h in headers}
    for header in given:
        if header not in headers and header_key(header) not in keys:
            seen = some(headers, limit=12, show=repr)
            raise UsageError(f"{flag} {header}=...: {path} has no column '{header}' (headers: {seen})")


def deal_window(args: argparse.Namespace, deals):
    """The deals in the window of --since (all of them without it), its warnings and notes said on stderr:
    (deals, :class:`icp_tui.engine.history.window.Window`)."""
    from datetime import date

    from icp_tui.engine.history.window import apply_window, parse_since

    since = None
    if getattr(args, "since", None):
        try:
            since = parse_since(args.since, date.today())
        except ValueError as e:
            raise UsageError(f"--since {args.since}: {e}") from None
    kept, _, window = apply_window(deals, since)
    for line in window.warnings:
        print(f"icp: warning: {deals.info.path}: {line}", file=sys.stderr)
    for line in window.notes:
        print(f"icp: note: {deals.info.path}: {line}", file=sys.stderr)
    return kept, window


def warn_unread(*frames) -> None:
    """Each file's import warnings (values not read, lines skipped, stages unmapped) on stderr."""
    for frame in frames:
        if frame is not None:
            path = getattr(frame, "path", None) or frame.info.path
            for line in frame.report_lines() + (frame.gaps() if hasattr(frame, "gaps") else []):
                print(f"icp: warning: {path}: {line}", file=sys.stderr)


def slug(text: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "me"
