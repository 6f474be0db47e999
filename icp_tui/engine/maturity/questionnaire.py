"""Maturity questionnaires as data: TOML files in ``assessments/``, checked on load.

The format is documented in the README. A broken or incomplete file raises
:class:`QuestionnaireError` naming the file, line and key path (indices count from 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.tomlpos import locate

LEVELS = (1, 2, 3, 4)
DONT_KNOW = 0


class QuestionnaireError(IcpError):
    """A questionnaire file that cannot be used."""


@dataclass(frozen=True)
class Answer:
    level: int
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    dimension: str
    text: str
    help: str
    answers: tuple[Answer, ...]
    revenue_metric: bool = False

    def answer_text(self, level: int) -> str:
        if level == DONT_KNOW:
            return "Don't know"
        return next(a.text for a in self.answers if a.level == level)


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    description: str
    advice: tuple[str, ...]  # step from level 1->2, 2->3, 3->4
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Level:
    level: int
    name: str
    summary: str
    characteristics: tuple[str, ...]
    key_gap: str
    next_steps: tuple[str, ...]


@dataclass(frozen=True)
class Gate:
    id: str
    text: str
    cap: int
    unless_question: str
    unless_level: int


@dataclass(frozen=True)
class Questionnaire:
    id: str
    version: int
    title: str
    description: str
    minutes: int
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]
    gates: tuple[Gate, ...]
    path: str = ""

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for d in self.dimensions for q in d.questions)

    def question(self, qid: str) -> Question:
        for q in self.questions:
            if q.id == qid:
                return q
        raise KeyError(qid)

    def dimension(self, did: str) -> Dimension:
        for d in self.dimensions:
            if d.id == did:
                return d
        raise KeyError(did)

    def level(self, n: int) -> Level:
        return self.levels[n - 1]


#: The keys each table may hold; any other key is refused with a hint (a typo would silently drop an answer).
KEYS = {
    "": ("questionnaire", "levels", "dimensions", "gates"),
    "questionnaire": ("id", "version", "title", "description", "minutes"),
    "levels": ("level", "name", "summary", "characteristics", "key_gap", "next_steps"),
    "dimensions": ("id", "name", "description", "advice", "questions"),
    "questions": ("id", "text", "help", "answers", "revenue_metric"),
    "answers": ("level", "text"),
    "gates": ("id", "text", "cap", "unless_question", "unless_level"),
}


class _Reader:
    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path

    def fail(self, keypath: list, message: str) -> QuestionnaireError:
        key = ""
        for p in keypath:
            key += f"[{p}]" if isinstance(p, int) else (f".{p}" if key else p)
        return QuestionnaireError(message, file=self.path, line=locate(self.text, keypath), key=key or None)

    def keys(self, t: dict, kind: str, kp: list) -> None:
        if (bad := unknown_key(t, KEYS[kind])) is not None:
            raise self.fail(kp + [bad[0]], f"is not a key here ({bad[1]})")

    def text_of(self, t: dict, key: str, kp: list, *, required: bool = True) -> str:
        v = t.get(key)
        if v is None:
            if required:
                raise self.fail(kp, f"'{key}' is missing")
            return ""
        if not isinstance(v, str) or (required and not v.strip()):
            raise self.fail(kp + [key], "must be non-empty text")
        return v.strip()

    def texts(self, t: dict, key: str, kp: list, count: int | None = None) -> tuple[str, ...]:
        v = t.get(key)
        if not isinstance(v, list) or not v or not all(isinstance(x, str) and x.strip() for x in v):
            raise self.fail(kp + ([key] if key in t else []), f"'{key}' must be a list of texts")
        if count is not None and len(v) != count:
            raise self.fail(kp + [key], f"needs exactly {count} items, has {len(v)}")
        return tuple(x.strip() for x in v)

    def tables(self, t: dict, key: str, kp: list, *, required: bool = True) -> list[dict]:
        v = t.get(key, None if required else [])
        if not isinstance(v, list) or (required and not v) or not all(isinstance(x, dict) for x in v):
            raise self.fail(kp + ([key] if key in t else []),
                            f"needs [[{'.'.join(str(k) for k in kp if isinstance(k, str)) + '.' if kp else ''}{key}]] tables")
        return v

    def read(self, doc: dict) -> Questionnaire:
        self.keys(doc, "", [])
        meta = doc.get("questionnaire")
        if not isinstance(meta, dict):
            raise self.fail(["questionnaire"] if "questionnaire" in doc else [], "has no [questionnaire] table (id, version, title)")
        self.keys(meta, "questionnaire", ["questionnaire"])
        version = meta.get("version")
        if not isinstance(version, int) or isinstance(version, bool) or version < 1:
            raise self.fail(["questionnaire", "version"], "must be a whole number from 1")
        levels = []
        raw_levels = self.tables(doc, "levels", [])
        if [x.get("level") if not isinstance(x.get("level"), bool) else None for x in raw_levels] != list(LEVELS):
            raise self.fail(["levels"], "needs four [[levels]] with level = 1, 2, 3, 4 in order")
        for i, t in enumerate(raw_levels, 1):
            kp = ["levels", i]
            self.keys(t, "levels", kp)
            levels.append(Level(t["level"], self.text_of(t, "name", kp), self.text_of(t, "summary", kp),
                                self.texts(t, "characteristics", kp), self.text_of(t, "key_gap", kp),
                                self.texts(t, "next_steps", kp)))
        dims, qids, dids = [], set(), set()
        for i, t in enumerate(self.tables(doc, "dimensions", []), 1):
            kp = ["dimensions", i]
            self.keys(t, "dimensions", kp)
            did = self.text_of(t, "id", kp)
            if did in dids:
                raise self.fail(kp + ["id"], f"id '{did}' is used twice")
            dids.add(did)
            questions = []
            for j, q in enumerate(self.tables(t, "questions", kp), 1):
                qkp = kp + ["questions", j]
                self.keys(q, "questions", qkp)
                qid = self.text_of(q, "id", qkp)
                if qid in qids:
                    raise self.fail(qkp + ["id"], f"id '{qid}' is used twice")
                qids.add(qid)
                raw = q.get("answers")
                if not isinstance(raw, list) or len(raw) != 4:
                    raise self.fail(qkp + (["answers"] if "answers" in q else []), "needs exactly four answers, levels 1 to 4"
                                    + (f" (has {len(raw)})" if isinstance(raw, list) else ""))
                answers = []
                for k, a in enumerate(raw, 1):
                    if not isinstance(a, dict) or a.get("level") != k or isinstance(a.get("level"), bool):
                        raise self.fail(qkp + ["answers", k], f"must be {{ level = {k}, text = \"...\" }}")
                    self.keys(a, "answers", qkp + ["answers", k])
                    answers.append(Answer(k, self.text_of(a, "text", qkp + ["answers", k])))
                revenue = q.get("revenue_metric", False)
                if not isinstance(revenue, bool):
                    raise self.fail(qkp + ["revenue_metric"], "must be true or false")
                questions.append(Question(qid, did, self.text_of(q, "text", qkp), self.text_of(q, "help", qkp, required=False),
                                          tuple(answers), revenue))
            dims.append(Dimension(did, self.text_of(t, "name", kp), self.text_of(t, "description", kp, required=False),
                                  self.texts(t, "advice", kp, 3), tuple(questions)))
        minutes = meta.get("minutes", 10)
        if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes < 1:
            raise self.fail(["questionnaire", "minutes"], "must be a whole number of minutes")
        gates, gids = [], set()
        for i, g in enumerate(self.tables(doc, "gates", [], required=False), 1):
            kp = ["gates", i]
            self.keys(g, "gates", kp)
            if not isinstance(g.get("unless_question"), str) or g["unless_question"] not in qids:
                raise self.fail(kp + ["unless_question"], f"names no question of this questionnaire: {g.get('unless_question')!r}")
            cap, need = g.get("cap"), g.get("unless_level")
            if isinstance(cap, bool) or isinstance(need, bool) or cap not in LEVELS or need not in LEVELS:
                raise self.fail(kp, "cap and unless_level must be levels 1-4")
            gid = self.text_of(g, "id", kp)
            if gid in gids:
                raise self.fail(kp + ["id"], f"id '{gid}' is used twice")
            gids.add(gid)
            gates.append(Gate(gid, self.text_of(g, "text", kp), cap, g["unless_question"], need))
        return Questionnaire(
            id=self.text_of(meta, "id", ["questionnaire"]),
            version=version,
            title=self.text_of(meta, "title", ["questionnaire"]),
            description=self.text_of(meta, "description", ["questionnaire"], required=False),
            minutes=minutes,
            levels=tuple(levels),
            dimensions=tuple(dims),
            gates=tuple(gates),
            path=self.path,
        )


def parse_questionnaire(text: str, path: str = "<questionnaire>") -> Questionnaire:
    return _Reader(text, path).read(parse_toml(text, path, QuestionnaireError).unwrap())


def load_questionnaire(path: str | Path) -> Questionnaire:
    return parse_questionnaire(read_text(path, QuestionnaireError), str(path))


def discover(folder: str | Path) -> tuple[list[Questionnaire], list[QuestionnaireError]]:
    """Every questionnaire in ``folder`` (``*.toml``), and the errors of those that failed."""
    found, errors = [], []
    for p in sorted(Path(folder).glob("*.toml")):
        try:
            found.append(load_questionnaire(p))
        except QuestionnaireError as e:
            errors.append(e)
    return found, errors


DEFAULT_ID = "icp-maturity"


def default_questionnaire() -> Questionnaire:
    """The bundled four-level ICP maturity questionnaire."""
    from icp_tui.engine.workshop.resources import assessments_dir

    return load_questionnaire(assessments_dir() / f"{DEFAULT_ID}.toml")
