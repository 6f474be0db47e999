"""Self-assessments: one leader's answers as a TOML file, the levels they give, and comparisons.

Scoring rules (also in the README):

- An answer is a level 1-4, or 0 for "don't know". Don't-knows are counted and reported, never
  read as level 1.
- A dimension's level is the mean of its known answers, rounded down (answers 2 and 3 give 2).
  A dimension with more don't-knows than known answers has no level.
- The overall level is the highest level that every dimension but one reaches (the second-lowest
  dimension level), so one strong dimension cannot lift it and one weak one cannot sink it alone.
  With only one or two dimensions known it is the lowest of them; with fewer than half the
  dimensions known there is no overall level.
- Gates cap it: the bundled one allows no Level 4 until lifetime economics (CLV, CAC, NRR) shape
  the segments (its question answered at its level or above); a Level 3 organisation still lacks
  them (seed 004), so it is not held below 3.
- The key gap is the dimensions below the next level (lowest first), plus any gate that caps.
  The next steps are each of those dimensions' advice for its own next level, in that order,
  then the level's general steps.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.labels import label_key
from icp_tui.engine.core.lock import lock_root, workshop_lock
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.maturity.questionnaire import DONT_KNOW, LEVELS, Dimension, Gate, Questionnaire


class ResponseError(IcpError):
    """A self-assessment file that cannot be read."""


@dataclass
class Response:
    """One respondent's answers (question id -> level 0-4) and notes (dimension id -> text)."""

    questionnaire_id: str
    questionnaire_version: int
    respondent: str = ""
    function: str = ""
    organisation: str = ""
    date: str = ""
    answers: dict[str, int] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)
    position: str = ""  # the question to resume at
    path: Path | None = None

    @classmethod
    def new(cls, q: Questionnaire, respondent: str = "", function: str = "", organisation: str = "",
            today: dt.date | None = None) -> Response:
        return cls(q.id, q.version, respondent, function, organisation, (today or dt.date.today()).isoformat())

    def answered(self, q: Questionnaire) -> int:
        return sum(1 for x in q.questions if x.id in self.answers)

    def next_unanswered(self, q: Questionnaire) -> str | None:
        return next((x.id for x in q.questions if x.id not in self.answers), None)

    def new_questions(self, q: Questionnaire) -> list[str]:
        """Questions of a newer questionnaire version that this file has no answer for."""
        if self.questionnaire_version >= q.version:
            return []
        return [x.id for x in q.questions if x.id not in self.answers]

    def retired_answers(self, q: Questionnaire) -> list[str]:
        ids = {x.id for x in q.questions}
        return [a for a in self.answers if a not in ids]


def response_to_toml(r: Response) -> str:
    doc = tomlkit.document()
    doc.add(tomlkit.comment("ICP maturity self-assessment: answers are levels 1-4, 0 means don't know."))
    head = tomlkit.table()
    for key in ("respondent", "function", "organisation", "date"):
        head[key] = getattr(r, key)
    head["questionnaire"] = r.questionnaire_id
    head["questionnaire_version"] = r.questionnaire_version
    if r.position:
        head["position"] = r.position
    doc["assessment"] = head
    answers = tomlkit.table()
    for qid, level in r.answers.items():
        answers[qid] = level
    doc["answers"] = answers
    notes = tomlkit.table()
    for did, note in r.notes.items():
        if note.strip():
            notes[did] = tomlkit.string(note, multiline="\n" in note)
    doc["notes"] = notes
    return tomlkit.dumps(doc)


def save_response(r: Response, path: str | Path | None = None) -> Path:
    """Write atomically (temp file, fsync, rename): a killed app loses at most the answer being typed."""
    target = Path(path) if path else r.path
    if target is None:
        raise ValueError("no path to save the response to")
    with workshop_lock(lock_root(target), f"saving {target.name}"):
        atomic_write_text(target, response_to_toml(r))
    r.path = target
    return target


HEAD_KEYS = ("respondent", "function", "organisation", "date", "questionnaire", "questionnaire_version", "position")


def load_response(path: str | Path, q: Questionnaire | None = None) -> Response:
    """One self-assessment file. With the questionnaire ``q`` (of the same id), every answer must name
    one of its questions (or one a newer version retired) and every note one of its dimensions."""
    p = Path(path)
    text = read_text(p, ResponseError)
    doc = parse_toml(text, str(p), ResponseError).unwrap()

    def fail(keys: list[str], message: str) -> ResponseError:
        return ResponseError(message, file=str(p), line=locate(text, list(keys)), key=".".join(keys) or None)

    def known(table: dict, allowed: tuple[str, ...], keys: list[str]) -> None:
        if (bad := unknown_key(table, allowed)) is not None:
            raise fail(keys + [bad[0]], f"is not a key here ({bad[1]})")

    def table(key: str) -> dict:
        value = doc.get(key, {})
        if not isinstance(value, dict):
            raise fail([key], f"must be a table ([{key}])")
        return value

    head = doc.get("assessment")
    if not isinstance(head, dict) or "questionnaire" not in head:
        raise ResponseError("is not a self-assessment file (no [assessment] with questionnaire)", file=str(p))
    known(doc, ("assessment", "answers", "notes"), [])
    known(head, HEAD_KEYS, ["assessment"])
    texts = {}
    for key in HEAD_KEYS:
        value = head.get(key, "")
        if isinstance(value, (dt.date, dt.datetime)) and key == "date":
            value = value.isoformat()
        if key != "questionnaire_version" and not isinstance(value, str):
            raise fail(["assessment", key], f"must be text, not {value!r}")
        texts[key] = value.strip() if isinstance(value, str) else value
    if not texts["questionnaire"]:
        raise fail(["assessment", "questionnaire"], "must name the questionnaire answered")
    version = head.get("questionnaire_version", 1)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise fail(["assessment", "questionnaire_version"], f"must be a whole number, not {version!r}")
    ref = q if q is not None and q.id == texts["questionnaire"] else None  # answers are checked against it
    question_ids = {x.id for x in ref.questions} if ref is not None else set()
    answers: dict[str, int] = {}
    for k, v in table("answers").items():
        if isinstance(v, bool) or not isinstance(v, int) or v not in (DONT_KNOW,) + LEVELS:
            raise fail(["answers", str(k)], f"must be a level 1-4 or 0 for don't know, not {v!r}")
        if ref is not None and version == ref.version and k not in question_ids:  # an older version's may be retired
            raise fail(["answers", str(k)], f"'{k}' is not a question of {ref.id} version {ref.version}")
        answers[str(k)] = v
    notes: dict[str, str] = {}
    dimension_ids = {d.id for d in ref.dimensions} if ref is not None else set()
    for k, v in table("notes").items():
        if not isinstance(v, str):
            raise fail(["notes", str(k)], f"must be text, not {v!r}")
        if ref is not None and k not in dimension_ids:
            raise fail(["notes", str(k)], f"'{k}' is not a dimension of {ref.id}")
        notes[str(k)] = v
    return Response(
        questionnaire_id=texts["questionnaire"],
        questionnaire_version=version,
        respondent=texts["respondent"],
        function=texts["function"],
        organisation=texts["organisation"],
        date=texts["date"],
        answers=answers,
        notes=notes,
        position=texts["position"],
        path=p,
    )


def same_respondents(responses: list[Response]) -> list[tuple[Response, Response]]:
    """Pairs (first file, later file) of one respondent answering twice: the same file given twice, or two
    files with the same name, function and organisation (a file without a name cannot be told apart)."""
    seen: dict[object, Response] = {}
    out = []
    for r in responses:
        if r.path is None:
            continue  # answers being made in the app, not a file sent in
        keys: list[object] = [r.path.resolve()]
        if r.respondent.strip():
            keys.append(tuple(label_key(x) for x in (r.respondent, r.function, r.organisation)))
        first = next((seen[k] for k in keys if k in seen), None)
        if first is not None:
            out.append((first, r))
        else:
            seen.update(dict.fromkeys(keys, r))
    return out


# -- results --------------------------------------------------------------------------------------


@dataclass
class DimensionResult:
    dimension: Dimension
    level: int | None  # None: not enough known answers
    known: int
    dont_know: int
    unanswered: int


@dataclass
class Result:
    questionnaire: Questionnaire
    response: Response
    dimensions: list[DimensionResult]
    level: int | None  # overall
    uncapped: int | None  # before gates
    capped_by: list[Gate]
    gap: list[DimensionResult]  # dimensions that block the next level, lowest first
    next_steps: list[str]

    @property
    def dont_know(self) -> int:
        return sum(d.dont_know for d in self.dimensions)

    def level_of(self, did: str) -> int | None:
        return next(d.level for d in self.dimensions if d.dimension.id == did)


def dimension_level(levels: list[int], dont_know: int) -> int | None:
    if not levels or dont_know > len(levels):
        return None
    return math.floor(sum(levels) / len(levels))


def overall_level(levels: list[int | None]) -> int | None:
    known = sorted(x for x in levels if x is not None)
    if not known or len(known) * 2 < len(levels):
        return None
    # drop the single weakest only when at least three are known: with two, that would let
    # one strong dimension decide alone
    return known[1] if len(known) >= 3 else known[0]


def score(q: Questionnaire, r: Response) -> Result:
    dims = []
    for d in q.dimensions:
        given = [r.answers[x.id] for x in d.questions if x.id in r.answers]
        known = [a for a in given if a != DONT_KNOW]
        dk = len(given) - len(known)
        dims.append(DimensionResult(d, dimension_level(known, dk), len(known), dk, len(d.questions) - len(given)))
    uncapped = overall_level([d.level for d in dims])
    level, capped = uncapped, []
    for g in q.gates:
        if level is not None and level > g.cap and r.answers.get(g.unless_question, DONT_KNOW) < g.unless_level:
            level = g.cap
            capped.append(g)
    gap: list[DimensionResult] = []
    steps: list[str] = []
    if level is not None:
        target = min(level + 1, 4)
        gap = sorted((d for d in dims if d.level is not None and d.level < target),
                     key=lambda d: (d.level, q.dimensions.index(d.dimension)))
        for dr in gap:
            assert dr.level is not None  # gap holds only dimensions with a level
            steps.append(f"{dr.dimension.name}: {dr.dimension.advice[dr.level - 1]}")
        for g in capped:
            steps.insert(0, g.text)
        steps += [s for s in q.level(level).next_steps if s not in steps]
    return Result(q, r, dims, level, uncapped, capped, gap, steps)


# -- several respondents ----------------------------------------------------------------------


@dataclass
class DimensionSpread:
    dimension: Dimension
    levels: list[int | None]  # one per respondent, in order
    low: int | None
    high: int | None
    median: float | None
    spread: int | None
    flagged: bool  # respondents differ by 2 levels or more


@dataclass
class Comparison:
    questionnaire: Questionnaire
    results: list[Result]
    rows: list[DimensionSpread]  # flagged first (widest spread first), then questionnaire order

    @property
    def flagged(self) -> list[DimensionSpread]:
        return [r for r in self.rows if r.flagged]


def compare(q: Questionnaire, responses: list[Response]) -> Comparison:
    """Leaders side by side. One respondent twice (same name, function and organisation) is refused:
    their view would count double in every spread and median."""
    for first, again in same_respondents(responses):
        line = locate(read_text(again.path, ResponseError), ["assessment", "respondent"]) if again.path else None
        raise ResponseError(f"{again.respondent} ({again.function or 'no function'}) also answered in {first.path}: "
                            "compare one file per leader", file=str(again.path), line=line)
    results = [score(q, r) for r in responses]
    rows = []
    for i, d in enumerate(q.dimensions):
        levels = [res.dimensions[i].level for res in results]
        known = [x for x in levels if x is not None]
        if known:
            low, high = min(known), max(known)
            rows.append(DimensionSpread(d, levels, low, high, statistics.median(known), high - low, high - low >= 2))
        else:
            rows.append(DimensionSpread(d, levels, None, None, None, None, False))
    order = {d.id: i for i, d in enumerate(q.dimensions)}
    rows.sort(key=lambda r: (not r.flagged, -(r.spread or 0) if r.flagged else 0, order[r.dimension.id]))
    return Comparison(q, results, rows)


@dataclass
class Progress:
    dimension: Dimension
    before: int | None
    now: int | None

    @property
    def change(self) -> int | None:
        return None if self.before is None or self.now is None else self.now - self.before


def progress(q: Questionnaire, earlier: list[Response], later: list[Response]) -> list[Progress]:
    """Per dimension, the median level of an organisation's earlier assessment against a later one."""
    def medians(responses: list[Response]) -> list[int | None]:
        results = [score(q, r) for r in responses]
        out = []
        for i in range(len(q.dimensions)):
            known = [lv for res in results if (lv := res.dimensions[i].level) is not None]
            out.append(math.floor(statistics.median(known)) if known else None)
        return out

    return [Progress(d, b, n) for d, b, n in zip(q.dimensions, medians(earlier), medians(later))]


def load_responses(folder: str | Path, q: Questionnaire) -> tuple[list[Response], list[str]]:
    """Every self-assessment in ``folder`` made with questionnaire ``q`` (any version), in file-name
    order, and one line per file that could not be used."""
    found, problems = [], []
    for p in sorted(Path(folder).glob("*.toml")) if Path(folder).is_dir() else []:
        try:
            r = load_response(p, q)
        except ResponseError as e:
            problems.append(str(e))
            continue
        if r.questionnaire_id != q.id:
            problems.append(f"{p}: made with questionnaire '{r.questionnaire_id}', not '{q.id}'")
            continue
        found.append(r)
    for first, again in same_respondents(found):
        problems.append(f"{again.path}: {again.respondent} also answered in {first.path}: not counted twice")
        found = [r for r in found if r is not again]
    return found, problems
