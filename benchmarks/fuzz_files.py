#!/usr/bin/env python3
"""Fuzz every kind of file icp reads: proves 0 internal errors and 0 silent acceptances of a broken file.

Each kind's sample (scorecard via lint and score, maturity questionnaire, self-assessment alone and
compared, workshop.toml, decisions.toml, accounts / deals / function-list CSV) is mutated: values of
another type, required keys deleted, keys and table headers given twice, typo'd keys, NaN / inf /
1e309 / negative / fractional numbers, huge or short arrays, truncation, invalid UTF-8, empty files,
binary blobs, directories; for CSV dropped or renamed headers, ragged rows, NUL bytes, UTF-16,
latin-1 / cp1250, huge fields, formula cells, blank ids, garbage numbers. A case is "must_fail"
(broken: the command must exit 1 with an error, the loader must raise IcpError) or "may_pass"
(tolerable). It runs in-process through ``icp_tui.cli.main.main`` or the engine loader and is:

  internal  "internal error" or a traceback, or an exception other than IcpError out of a loader
  silent    a must_fail case accepted without a warning that names the file
  unclear   an error that is not ONE line "icp: error: ..." naming the file
  no-line   (softer, not failed on) a TOML error without "file:LINE:" though the edit has a line

    .venv/bin/python benchmarks/fuzz_files.py [--seed N] [--per-kind N] [--kind K] [--show-failures]

Deterministic for a seed. Exit 1 if any case is internal or silent, 2 if an unchanged sample is refused.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import json
import os
import random
import re
import shutil
import signal
import sys
import tempfile
import time
import tomllib
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import tomlkit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from icp_tui.cli.main import main as icp_main  # noqa: E402
from icp_tui.engine.alignment.tal import Decision, DecisionsFile, Rule  # noqa: E402
from icp_tui.engine.core.conditions import MATCHER_KEYS, SET_KEYS  # noqa: E402
from icp_tui.engine.core.errors import IcpError  # noqa: E402
from icp_tui.engine.maturity.questionnaire import load_questionnaire  # noqa: E402
from icp_tui.engine.workshop.manifest import Workshop, summarise  # noqa: E402

SAMPLE = ROOT / "sample_data"
ACCOUNTS, SCORECARD, LIST = SAMPLE / "accounts.csv", SAMPLE / "scorecard.toml", SAMPLE / "lists" / "sales.csv"
SALES, FINANCE = SAMPLE / "assessments" / "sales.toml", SAMPLE / "assessments" / "finance.toml"
MUST, MAY = "must_fail", "may_pass"
TIMEOUT_S = 30
PH = "@@FUZZ@@"  # a placeholder value set through tomlkit, then replaced by the TOML text wanted
BLOB = b"\x89PNG\r\n\x1a\n\x00\x00"


@dataclass
class Case:
    desc: str
    expect: str
    data: bytes | None  # None: a directory where the file should be
    line: int | None = None  # the line the edit is on, when it has one
    others: Callable[[Path], list[Path]] | None = None  # assessment-compare: the files to give, around this one


@dataclass
class Outcome:
    exit: str
    error: str | None = None  # the error as shown: "icp: error: ..." to the end of stderr, or str(IcpError)
    stderr: str = ""
    warnings: tuple[str, ...] = ()  # warnings that name the file (its path written FILE)
    internal: str = ""  # where it crashed: icp_tui/...:LINE in FUNCTION: exception


# -- running and classifying one case ----------------------------------------------------------------


class CaseTimeout(BaseException):
    """Raised by SIGALRM; not an Exception, so that main()'s "internal error" handler lets it through."""


def on_alarm(*_) -> None:
    raise CaseTimeout


def names(text: str, path: Path) -> bool:
    return str(path) in text or path.name in text


def site(frames: list[tuple[str, int | str, str]], what: str) -> str:
    """The last icp_tui frame of a traceback, then the exception."""
    ours = [f for f in frames if "/icp_tui/" in f[0]]
    return (f"{os.path.relpath(ours[-1][0], ROOT)}:{ours[-1][1]} in {ours[-1][2]}" if ours else "?") + f": {what[:160]}"


def cli(argv: list, target: Path) -> Outcome:
    argv = [str(a) for a in argv]
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = icp_main(argv)
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else 2
    except Exception as e:
        return Outcome(type(e).__name__, internal=site(traceback.extract_tb(e.__traceback__), f"{type(e).__name__}: {e}"))
    o, lines = Outcome(f"exit {rc}", stderr=err.getvalue()), err.getvalue().splitlines()
    if "internal error" in o.stderr or "Traceback" in o.stderr + out.getvalue() or rc not in (0, 1):
        debug = io.StringIO()  # again with --debug, for the traceback
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(debug):
            icp_main(["--debug", *argv])
        frames = re.findall(r'File "([^"]+)", line (\d+), in (\S+)', debug.getvalue())
        o.internal = site(frames, lines[-1].removeprefix("icp: internal error: ").split(" (run with --debug")[0] if lines else "?")
        return o
    first = next((i for i, ln in enumerate(lines) if ln.startswith("icp: error:")), None)
    o.error = "\n".join(lines[first:]).strip() if first is not None else None
    o.exit += " without an error" if rc and first is None else ""  # lint's warnings, validate's failed checks
    o.warnings = tuple(ln.replace(str(target), "FILE") for ln in lines[:first]
                       if "warning" in ln and not re.search(r"\b0 warnings\b", ln) and names(ln, target))
    return o


def engine(load: Callable[[Path], list], target: Path) -> Outcome:
    """``load`` returns its warnings (a workshop summary's problems)."""
    try:
        warnings = load(target)
    except IcpError as e:
        return Outcome(type(e).__name__, error=str(e))
    except Exception as e:
        return Outcome(type(e).__name__, internal=site(traceback.extract_tb(e.__traceback__), f"{type(e).__name__}: {e}"))
    return Outcome("loaded", warnings=tuple(warnings))


def classify(case: Case, o: Outcome, target: Path, toml: bool, usual: tuple[str, ...]) -> tuple[str, bool]:
    """(internal | silent | unclear | ok, whether the error lacks the line). ``usual``: the unchanged sample's
    warnings (the sample accounts have unreadable values), which say nothing about a mutation."""
    if o.internal:
        return "internal", False
    if o.error is None:
        return ("silent" if case.expect == MUST and not set(o.warnings) - set(usual) else "ok"), False
    if "\n" in o.error or not names(o.error, target) or (o.exit.startswith("exit") and not o.error.startswith("icp: error: ")):
        return "unclear", False
    at_line = re.search(rf"(?:{re.escape(str(target))}|{re.escape(target.name)}):\d+", o.error)
    return "ok", toml and case.line is not None and not at_line


# -- TOML mutations: a generator takes (rng, family, text, data) and returns a Case or None -------------


def entries(node, path: tuple = ()):
    """Every (path, value) below ``node``, containers included (array indices count from 0)."""
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        yield path + (k,), v
        yield from entries(v, path + (k,))


def get(data, path: tuple):
    for p in path:
        data = data[p]
    return data


def keystr(path: tuple) -> str:
    return "".join(f"[{p + 1}]" if isinstance(p, int) else f".{p}" for p in path).lstrip(".") or "(top level)"


def type_name(v) -> str:
    kinds = ((bool, "bool"), ((int, float), "number"), (str, "text"), (dict, "table"), (list, "array"))
    return next((name for t, name in kinds if isinstance(v, t)), "date")


def lit(v) -> str:
    """A Python value as one line of TOML."""
    if isinstance(v, str | bool):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {lit(x)}" for k, x in v.items()) + " }"
    if isinstance(v, list):
        return "[" + ", ".join(lit(x) for x in v) + "]"
    return v.isoformat() if hasattr(v, "isoformat") else repr(v)


def parses(text: str) -> bool:
    try:
        return bool(tomllib.loads(text)) or True
    except tomllib.TOMLDecodeError:
        return False


def value_case(text: str, path: tuple, literal: str | None, desc: str, expect: str) -> Case | None:
    """Set the value at ``path`` to ``literal`` (None: delete the key) through tomlkit, and check with
    tomllib that the edit did exactly that, so that the expectation is about the file written."""
    doc = tomlkit.parse(text)
    try:
        parent = get(doc, path[:-1])
        if literal is None:
            del parent[path[-1]]
        else:
            parent[path[-1]] = PH
        new = doc.as_string().replace(json.dumps(PH), literal or "", 1)
        data = tomllib.loads(new)
    except Exception:  # an edit tomlkit cannot make or render (a table inside an array of tables...): try another
        return None
    try:
        got = repr(get(data, path))
    except (KeyError, IndexError, TypeError):
        got = None  # the key is gone
    if got != (literal and repr(tomllib.loads(f"v = {literal}")["v"])):
        return None
    line = next((i for i, (a, b) in enumerate(zip(text.splitlines(), new.splitlines()), 1) if a != b), text.count("\n"))
    return Case(f"{keystr(path)}: {desc}", expect, new.encode(), line)


SWAPS = {"text": '"lots"', "number": "42", "table": "{ a = 1 }", "array": '[1, "x"]', "bool": "true"}
REQUIRED = {  # family: the keys ("table.key") whose deletion must be refused
    "scorecard": {".criteria", "criteria.id", "criteria.category", "criteria.field", "criteria.buckets", "buckets.points",
                  "bands.min", "bands.label", "anti_personas.name", "anti_personas.conditions", "exclusions.name",
                  "exclusions.conditions"},
    "assessment": {".assessment", "assessment.questionnaire"},
    "workshop": {"lists.function", "lists.file"},
    "decisions": {"decisions.account", "decisions.action"},
}
OPTIONAL = {"questionnaire": {"questionnaire.description", "questionnaire.minutes", "questions.help",
                              "questions.revenue_metric", "dimensions.description", ".gates"}}
FREE_FORM = {"scorecard": ("columns", "units"), "decisions": ("matches",)}  # tables whose keys are the user's


def table_kind(path: tuple) -> str:
    """The table a key is in, as the loaders name it: criteria, buckets, answers... ("" at the top)."""
    return next((p for p in reversed(path[:-1]) if isinstance(p, str)), "")


def g_swap(rng, fam, text, data):
    path, old = rng.choice(list(entries(data)))
    old_t = type_name(old)
    new_t = rng.choice([t for t in SWAPS if t != old_t])
    tolerated = fam == "scorecard" and (old_t, new_t) == ("text", "number") or (  # text keys read 42 as "42"
        fam == "scorecard" and path[-1] in SET_KEYS and {old_t, new_t} <= {"text", "array"})  # in = "SaaS"
    return value_case(text, path, SWAPS[new_t], f"{old_t} -> {new_t}", MAY if tolerated else MUST)


def g_number(rng, fam, text, data):
    nums = [(p, v) for p, v in entries(data) if type_name(v) == "number"]
    if not nums:
        return None
    path, old = rng.choice(nums)
    what = rng.choice(["nan", "inf", "-inf", "1e309", "negative"] + ["fraction"] * isinstance(old, int))
    literal = {"negative": repr(-abs(old) - 3), "fraction": f"{old}.5"}.get(what, what)
    expect = MUST  # questionnaire, assessment and decisions numbers are whole, from 0 or 1
    if fam == "scorecard" and what in ("negative", "fraction"):  # points, bounds and claims may be negative
        expect = MUST if what == "negative" and path[-1] in ("weight", "min") else MAY
    return value_case(text, path, literal, f"{old!r} -> {literal}", expect)


def g_delete(rng, fam, text, data):
    path = rng.choice([p for p, _ in entries(data) if isinstance(p[-1], str)])
    name = f"{table_kind(path)}.{path[-1]}"
    expect = MUST if name in REQUIRED.get(fam, ()) or fam in OPTIONAL and name not in OPTIONAL[fam] else MAY
    if fam == "scorecard" and table_kind(path) == "buckets" and path[-1] in MATCHER_KEYS:  # a bucket's only test
        expect = MAY if (set(get(data, path[:-1])) - {path[-1]}) & set(MATCHER_KEYS) else MUST
    return value_case(text, path, None, "deleted", expect)


def g_unknown(rng, fam, text, data):
    path = rng.choice([()] + [p for p, v in entries(data) if isinstance(v, dict)])
    table = get(data, path)
    base = rng.choice(list(table)) if table else "colour"
    i = rng.randrange(max(len(base) - 1, 1))
    key = base[:i] + base[i + 1:i + 2] + base[i] + base[i + 2:] if len(base) > 2 else base + "x"  # two letters swapped
    if key in table:
        key = base + "_extra"
    expect = MAY if path and path[-1] in FREE_FORM.get(fam, ()) else MUST
    return value_case(text, path + (key,), lit(table[base]) if table else '"x"', f"unknown key (a typo of '{base}')", expect)


def g_size(rng, fam, text, data):
    """Arrays far too long, or one item short where the format fixes the count."""
    if fam == "scorecard":
        i, n = rng.randrange(len(data["criteria"])), rng.choice([0, 101, 100_000])
        buckets = "[" + ", ".join(f"{{ gte = {k}, lt = {k + 1}, points = 1 }}" for k in range(n)) + "]"
        return value_case(text, ("criteria", i, "buckets"), buckets, f"{n:,} buckets", MUST)
    if fam == "questionnaire":
        q = rng.choice([p for p, _ in entries(data) if len(p) > 1 and p[-2] == "questions"])
        a, d = get(data, q)["answers"], q[:2]
        desc, path, value, expect = rng.choice([
            ("3 answers instead of 4", q + ("answers",), a[:3], MUST),
            ("5 answers", q + ("answers",), a + [{"level": 5, "text": "Beyond"}], MUST),
            ("answers in the order 2, 1, 3, 4", q + ("answers",), [a[1], a[0], *a[2:]], MUST),
            ("2 advice steps instead of 3", d + ("advice",), get(data, d)["advice"][:2], MUST),
            ("10,000 characteristics", ("levels", 0, "characteristics"), [f"trait {k}" for k in range(10_000)], MAY)])
        return value_case(text, path, lit(value), desc, expect)
    lines = text.splitlines(keepends=True)
    if fam == "assessment":
        at = next(i for i, ln in enumerate(lines) if ln.strip() == "[answers]") + 1
        new = "".join(lines[:at] + [f'"extra.q{k}" = 2\n' for k in range(10_000)] + lines[at:])
        return Case("[answers]: 10,000 answers to questions that do not exist", MUST, new.encode(), at + 1)
    n, block = (200, '\n[[lists]]\nfunction = "Team {k}"\nfile = "lists/sales.csv"\n') if fam == "workshop" else (
        5_000, '\n[[decisions]]\naccount = "new:company {k}"\naction = "park"\nreason = ""\n')
    return Case(f"{n:,} more {block.split()[0]}", MAY, (text + "".join(block.format(k=k) for k in range(n))).encode(), len(lines) + 2)


def g_dup(rng, fam, text, data):
    """A key line, a table header or a whole [[table]] given twice."""
    lines = text.splitlines(keepends=True)
    what = rng.choice(["key", "header", "table"])
    pattern = r'\s*(?:[\w-]+|"[^"\n]*")\s*=' if what == "key" else r"\[\[" if what == "table" else r"\["
    i = rng.choice([i for i, ln in enumerate(lines) if re.match(pattern, ln)] or [None])
    if i is None:
        return None
    end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("[")), len(lines)) if what == "table" else i + 1
    new = "".join(lines[:end] + lines[i:end] + lines[end:])
    # an empty [[x]] is refused, and a copied block when it repeats an id (or makes a fifth level)
    repeats = what != "table" or re.search(r"^id\s*=", "".join(lines[i:end]), re.M) or lines[i].strip() == "[[levels]]"
    expect = MUST if not parses(new) or (what != "key" and repeats) else MAY
    return Case(f"{what} at line {i + 1} ({lines[i].strip()[:40]}) given twice", expect, new.encode(), end + 1)


def g_bytes(rng, fam, text, data):
    what = rng.choice(["cut", "utf-8", "empty", "blob", "dir", "bom", "crlf"])
    i = rng.randrange(1, len(text))
    line = text[:i].count("\n") + 1
    if what == "cut":
        return Case(f"cut at line {line}, character {i:,} of {len(text):,}", MAY if parses(text[:i]) else MUST, text[:i].encode(), line)
    if what == "utf-8":
        bad = rng.choice([b"\xff", b"\xc3\x28", b"\xed\xa0\x80", b"\x80"])
        return Case(f"invalid UTF-8 {bad!r} at line {line}", MUST, text[:i].encode() + bad + text[i:].encode(), line)
    return {"empty": Case("empty file", MAY if fam in ("decisions", "workshop") else MUST, b""),  # legal: no decisions; a bare workshop
            "blob": Case("binary blob", MUST, BLOB + rng.randbytes(4000)), "dir": Case("a directory instead of the file", MUST, None),
            "bom": Case("UTF-8 byte-order mark", MAY, b"\xef\xbb\xbf" + text.encode()),
            "crlf": Case("CRLF line endings", MAY, text.replace("\n", "\r\n").encode())}[what]


def g_compare(rng, fam, text, data):
    """Several self-assessments at once: one leader's answers given twice must be refused."""
    def head(text: str, key: str, value: str) -> str:
        return re.sub(rf"^{key} = .*$", f"{key} = {json.dumps(value)}", text, count=1, flags=re.M)

    def copy(t: Path, name: str, data: bytes | None = None) -> Path:  # data None: a symlink to t
        if data is None:
            (t.parent / name).symlink_to(t)
        else:
            (t.parent / name).write_bytes(data)
        return t.parent / name

    same, name, blank = text.encode(), rng.choice(["MARCUS LEE", "  marcus lee ", "Marcus  Lee"]), head(text, "respondent", "")
    return rng.choice([
        Case("the same file twice", MUST, same, others=lambda t: [t, t]),
        Case("the same file and a symlink to it", MUST, same, others=lambda t: [t, copy(t, "link.toml")]),
        Case("the same file by its absolute and a relative path", MUST, same, others=lambda t: [t, Path(os.path.relpath(t))]),
        Case("a copy of the file under another name", MUST, same, others=lambda t: [copy(t, "copy.toml", same), t]),
        Case("three files, the first and the third one leader", MUST, same, others=lambda t: [t, FINANCE, copy(t, "again.toml", same)]),
        Case(f"the same respondent written {name!r}", MUST, head(text, "respondent", name).encode(), others=lambda t: [SALES, t]),
        Case("the same name in another function", MAY, head(text, "function", "Marketing").encode(), others=lambda t: [SALES, t]),
        Case("two files without a respondent name", MAY, blank.encode(),
             others=lambda t: [copy(t, "other.toml", head(blank, "function", "Finance").encode()), t])])


TOML_GENS = [g_swap, g_swap, g_number, g_delete, g_unknown, g_size, g_dup, g_dup, g_bytes, g_bytes, g_bytes]
COMPARE_GENS = [g_compare, g_compare, g_compare, g_swap, g_number, g_delete, g_unknown, g_bytes]


# -- CSV mutations ---------------------------------------------------------------------------------------


def csv_bytes(rows: list[list[str]], encoding: str = "utf-8", sep: str = ",", eol: str = "\n") -> bytes:
    buf = io.StringIO()
    csv.writer(buf, delimiter=sep, lineterminator=eol).writerows(rows)
    return buf.getvalue().encode(encoding, errors="replace")


def col(rows: list[list[str]], pattern: str) -> int:
    return next((j for j, h in enumerate(rows[0]) if re.search(pattern, h.lower())), 0)


def cells(rng, rows: list[list[str]], pattern: str, values: list[str], n: int, encoding: str = "utf-8") -> bytes:
    """``n`` random rows with the columns whose header matches ``pattern`` (NUMBERS: the numeric ones) set to one of
    ``values``."""
    cols = [j for j, h in enumerate(rows[0]) if re.search(pattern, h.lower())] if pattern != NUMBERS else [
        j for j, v in enumerate(rows[1]) if re.fullmatch(r"[$€£(+-]*\d[\d.,]*\)?\s*[%kKmMbB]*", v.strip())]
    rows = [list(r) for r in rows]
    for i in rng.sample(range(1, len(rows)), min(n, len(rows) - 1)):
        for j in cols:
            rows[i][j] = rng.choice(values)
    return csv_bytes(rows, encoding)


def header(rows: list[list[str]], new: list[str]) -> bytes:
    return csv_bytes([new] + rows[1:])


def ragged(rng, rows: list[list[str]]) -> bytes:
    rows = [list(r) for r in rows]
    for i in rng.sample(range(1, len(rows)), 3):
        rows[i] = rows[i] + ["extra"] if rng.random() < 0.5 else rows[i][:-1]
    return csv_bytes(rows)


def nul(rows: list[list[str]], i: int) -> bytes:
    """A NUL byte inside row ``i``'s name (row 0: the header)."""
    rows, j = [list(r) for r in rows], col(rows, NAME)
    rows[i][j] = rows[i][j][:2] + "\x00" + rows[i][j][2:]
    return csv_bytes(rows)


ALL = ("accounts", "deals", "lists")
NAME, IDS, NUMBERS = "name|company", r"name|company|\bid\b|website|domain", "(numbers)"
LATIN1 = ["Société Générale", "Müller & Söhne GmbH", "Ångström Ltd"]
CP1250 = ["Łódź Software", "Český Telecom", "Żabka Sp. z o.o."]
FORMULAS = ['=HYPERLINK("http://x.example","click")', "+1+1", "-2+3", "@SUM(A1:A9)", "=cmd|' /C calc'!A0", "\t=1"]
GARBAGE = ["12 people", "lots", "1e400", "NaN", "∞", "--5", "1.2.3", "5 000 000", "≈40", "TBD", "$-", "(12)k"]
CSV_GENS = [  # (mutation, the families for which the file is broken, make(rng, rows) -> bytes, or None for a directory)
    ("header row dropped", ALL, lambda rng, rows: csv_bytes(rows[1:])),
    # a list's company column falls back to the first column, whatever its header
    ("header row replaced by col0, col1, ...", ("accounts", "deals"),
     lambda rng, rows: header(rows, [f"col{k}" for k in range(len(rows[0]))])),
    ("the Stage header (else the first) renamed Xyzzy", ("deals",),
     lambda rng, rows: header(rows, ["Xyzzy" if j == col(rows, "^stage$") else h for j, h in enumerate(rows[0])])),
    ("every header the same", (), lambda rng, rows: header(rows, [rows[0][0]] * len(rows[0]))),
    ("3 rows with one value too many or too few", (), ragged),
    ("a NUL byte in the header", ALL, lambda rng, rows: nul(rows, 0)),
    ("a NUL byte in the last row's name (past 64 KiB in accounts.csv)", ALL, lambda rng, rows: nul(rows, -1)),
    ("UTF-16 with BOM", (), lambda rng, rows: csv_bytes(rows, "utf-16")),
    ("latin-1 bytes (accented names)", (), lambda rng, rows: cells(rng, rows, NAME, LATIN1, 5, "latin-1")),
    ("cp1250 bytes (accented names)", (), lambda rng, rows: cells(rng, rows, NAME, CP1250, 5, "cp1250")),
    ("UTF-8 byte-order mark", (), lambda rng, rows: b"\xef\xbb\xbf" + csv_bytes(rows)),
    ("semicolons and CRLF", (), lambda rng, rows: csv_bytes(rows, sep=";", eol="\r\n")),
    ("one value of 1,000,000 characters", (), lambda rng, rows: cells(rng, rows, NAME, ["x" * 1_000_000], 1)),
    ("formula-looking names", (), lambda rng, rows: cells(rng, rows, NAME, FORMULAS, 6)),
    ("10% of the id, name and website cells blank", (), lambda rng, rows: cells(rng, rows, IDS, [""], len(rows) // 10)),
    ("every id, name and website cell blank", ("lists",), lambda rng, rows: cells(rng, rows, IDS, [""], len(rows))),  # no company
    ("garbage in the number columns", (), lambda rng, rows: cells(rng, rows, NUMBERS, GARBAGE, 8)),
    ("empty file", ALL, lambda rng, rows: b""),
    ("only blank lines", ALL, lambda rng, rows: b"\n \n\r\n"),
    ("only the header", ALL, lambda rng, rows: csv_bytes(rows[:1])),
    ("binary blob", ALL, lambda rng, rows: BLOB + rng.randbytes(4000)),
    ("a broken XLSX (zip header, then garbage)", ALL, lambda rng, rows: b"PK\x03\x04" + rng.randbytes(2000)),
    ("a directory instead of the file", ALL, lambda rng, rows: None),
]


# -- the kinds ----------------------------------------------------------------------------------------


def decisions_sample() -> str:
    """A decisions.toml as the app writes it."""
    ds = [Decision("acc:ACC-00001", "include", "Champion moved from a customer", "Tier 1"),
          Decision("new:altair labs", "park", "Check the domain")]
    with tempfile.TemporaryDirectory() as d:
        f = DecisionsFile({x.key: x for x in ds}, Rule(), 4, {"zamimo apps corp": "ACC-00001"})
        return f.save(Path(d) / "decisions.toml").read_text(encoding="utf-8")


def workshop(case: Case, t: Path) -> Outcome:
    for name in ("accounts.csv", "deals.csv", "scorecard.toml", "assessments", "lists"):
        (t.parent / name).symlink_to(SAMPLE / name)
    return engine(lambda _: [f"{s.label}: {s.problem}" for s in summarise(Workshop.load(t.parent)) if s.problem], t)


def score(accounts, scorecard, t: Path) -> Outcome:
    return cli(["score", accounts, "--scorecard", scorecard, "-o", t.parent / "out.csv"], t)


KINDS: dict[str, tuple] = {  # name: (family, sample, file name, run(case, file), generators)
    "scorecard-lint": ("scorecard", SCORECARD, "scorecard.toml", lambda _, t: cli(["lint", t], t), TOML_GENS),
    "scorecard-score": ("scorecard", SCORECARD, "scorecard.toml", lambda _, t: score(ACCOUNTS, t, t), TOML_GENS),
    "questionnaire": ("questionnaire", ROOT / "assessments" / "icp-maturity.toml", "questionnaire.toml",
                      lambda _, t: engine(lambda p: [load_questionnaire(p)][:0], t), TOML_GENS),
    "assessment": ("assessment", SALES, "sales.toml", lambda _, t: cli(["assess", "report", t], t), TOML_GENS),
    "assessment-compare": ("assessment", SALES, "sales.toml", lambda case, t: cli(
        ["assess", "report", *(case.others(t) if case.others else [FINANCE, t])], t), COMPARE_GENS),
    "workshop": ("workshop", SAMPLE / "workshop.toml", "workshop.toml", workshop, TOML_GENS),
    "decisions": ("decisions", None, "decisions.toml", lambda _, t: cli(["align", LIST, "--accounts", ACCOUNTS, "--decisions", t], t),
                  TOML_GENS),
    "accounts": ("accounts", ACCOUNTS, "accounts.csv", lambda _, t: score(t, SCORECARD, t), CSV_GENS),
    "deals": ("deals", SAMPLE / "deals.csv", "deals.csv", lambda _, t: cli(
        ["validate", "--scorecard", SCORECARD, "--deals", t, "--accounts", ACCOUNTS], t), CSV_GENS),
    "lists": ("lists", LIST, "sales.csv", lambda _, t: cli(["align", t, "--accounts", ACCOUNTS], t), CSV_GENS),
}


def generate(name: str, seed: int, n: int) -> list[Case]:
    """The unchanged sample, then ``n`` mutations (the scorecard's two commands get the same ones)."""
    fam, sample, filename, _, gens = KINDS[name]
    text = sample.read_text(encoding="utf-8") if sample else decisions_sample()
    rng = random.Random(f"{seed}/{name.removesuffix('-score').removesuffix('-lint')}")
    data = tomllib.loads(text) if filename.endswith(".toml") else None
    rows = list(csv.reader(io.StringIO(text)))
    gens = rng.sample(gens, len(gens))
    cases, k = [Case("the sample, unchanged", MAY, text.encode())], 0
    while len(cases) <= n and k < 50 * n:
        gen = gens[k % len(gens)]  # a TOML generator, or a CSV (mutation, broken for, make)
        case = gen(rng, fam, text, data) if callable(gen) else Case(gen[0], MUST if fam in gen[1] else MAY, gen[2](rng, rows))
        k += 1
        if case is not None:
            cases.append(case)
    return cases


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--per-kind", type=int, default=30, help="cases per kind (default 30)")
    ap.add_argument("--kind", action="append", choices=list(KINDS), help="only this kind (repeatable)")
    ap.add_argument("--show-failures", action="store_true", help="one line per case that is not ok")
    args = ap.parse_args()
    started, failures, control_failed = time.perf_counter(), [], False
    cats = ("ok", "internal", "silent", "unclear", "no-line")
    row = "{:<20} {:>5} {:>4} {:>8} {:>6} {:>7} {:>7} {:>8}"
    print(row.format("kind", "cases", *cats, "slowest"))
    totals = dict.fromkeys(cats, 0)
    signal.signal(signal.SIGALRM, on_alarm)
    with tempfile.TemporaryDirectory(prefix="icp-fuzz-") as tmp:
        for name in args.kind or list(KINDS):
            _, _, filename, run, _ = KINDS[name]
            counts, slowest, usual = dict.fromkeys(cats, 0), 0.0, ()
            for i, case in enumerate(generate(name, args.seed, args.per_kind)):
                target = Path(tmp) / name / f"{i:03d}" / filename
                target.parent.mkdir(parents=True)
                target.mkdir() if case.data is None else target.write_bytes(case.data)
                t0 = time.perf_counter()
                signal.alarm(TIMEOUT_S)
                try:
                    o = run(case, target)
                except CaseTimeout:
                    o = Outcome("timeout", internal=f"no answer in {TIMEOUT_S} s")
                finally:
                    signal.alarm(0)
                slowest = max(slowest, time.perf_counter() - t0)
                shutil.rmtree(target.parent)
                cat, no_line = classify(case, o, target, filename.endswith(".toml"), usual)
                first = (o.internal or o.error or o.stderr.strip() or "(nothing on stderr)").splitlines()[0][:240]
                if i == 0:  # the unchanged sample must load cleanly, or every expectation here is off
                    if o.internal or o.error:
                        print(f"{name}: the unchanged sample is refused: {first}", file=sys.stderr)
                        control_failed = True
                    usual = o.warnings
                    continue
                counts[cat] += 1
                counts["no-line"] += no_line
                for label in [cat] * (cat != "ok") + ["no-line"] * no_line:
                    failures.append(f"{name} | {label} | {case.desc} ({case.expect}) | {o.exit} | {first}")
            print(row.format(name, sum(counts[c] for c in cats[:4]), *counts.values(), f"{slowest:.1f}s"))
            totals = {c: totals[c] + counts[c] for c in cats}
    print(row.format("total", sum(totals[c] for c in cats[:4]), *totals.values(), "")
          + f"  ({time.perf_counter() - started:.0f} s, seed {args.seed})")
    if args.show_failures and failures:
        print("\nkind | category | mutation (expectation) | exit | error, or where it crashed", *failures, sep="\n")
    return 2 if control_failed else 1 if totals["internal"] or totals["silent"] else 0


if __name__ == "__main__":
    sys.exit(main())
