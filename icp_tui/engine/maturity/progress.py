"""Where the room stands per dimension, between two rounds of self-assessments, and against the roadmap.

The room's level is the one the comparison and the workshop report use: per dimension the median of the
leaders' dimension levels, and overall the median of the leaders' own overall levels (each already capped by
the questionnaire's gates); a median between two levels is rounded down (2.5 is 2). A round is a set of
answered files, given as files or folders of them.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from icp_tui.engine.core.markdown import md_text
from icp_tui.engine.maturity.assessment import (
    Comparison,
    Response,
    ResponseError,
    compare,
    load_response,
    load_responses,
)
from icp_tui.engine.maturity.questionnaire import Dimension, Questionnaire
from icp_tui.engine.maturity.roadmap import Roadmap, Target


def room_levels(cmp: Comparison) -> dict[str, int | None]:
    """Per dimension id, the median of the leaders' levels rounded down (None when no leader has one)."""
    return {row.dimension.id: None if row.median is None else math.floor(row.median) for row in cmp.rows}


def room_overall(cmp: Comparison) -> int | None:
    """The median of the leaders' overall levels, rounded down (as :func:`engine.workshop.report.room_view`)."""
    known = [r.level for r in cmp.results if r.level is not None]
    return math.floor(statistics.median(known)) if known else None


def load_round(paths: Iterable[str | Path], q: Questionnaire) -> tuple[list[Response], list[str]]:
    """The answered files of one round: each path a file, or a folder of them (its ``*.toml``). A file made
    with another questionnaire is refused; a folder's broken or foreign files are skipped and said."""
    found: list[Response] = []
    problems: list[str] = []
    for item in paths:
        p = Path(item)
        if p.is_dir():
            got, skipped = load_responses(p, q)
            found += got
            problems += skipped
            if not got and not skipped:
                problems.append(f"{p}: no self-assessment files (*.toml) in this folder")
            continue
        r = load_response(p, q)
        if r.questionnaire_id != q.id:
            raise ResponseError(f"made with questionnaire '{r.questionnaire_id}', not '{q.id}'", file=str(p))
        found.append(r)
    return found, problems


@dataclass
class DimensionProgress:
    dimension: Dimension
    before: int | None
    now: int | None
    target: Target | None = None

    @property
    def change(self) -> int | None:
        return None if self.before is None or self.now is None else self.now - self.before

    def status(self, today: dt.date) -> str:
        """Against the target: "reached", "1 to go", "1 to go, overdue", or "" without a target."""
        t = self.target
        if t is None:
            return ""
        if self.now is not None and self.now >= t.level:
            return "reached"
        togo = f"{t.level - self.now} to go" if self.now is not None else "no level now"
        return togo + (", overdue" if t.due < today else "")


@dataclass
class RoundProgress:
    questionnaire: Questionnaire
    before: Comparison
    now: Comparison
    rows: list[DimensionProgress]  # questionnaire order
    overall_before: int | None
    overall_now: int | None

    def moved(self, sign: int) -> list[DimensionProgress]:
        """The dimensions that moved up (sign 1) or down (sign -1)."""
        return [r for r in self.rows if r.change is not None and r.change * sign > 0]


def round_progress(q: Questionnaire, earlier: list[Response], later: list[Response],
                   roadmap: Roadmap | None = None) -> RoundProgress:
    """The room then (``earlier``) and now (``later``), per dimension and overall, with each dimension's target."""
    before, now = compare(q, earlier), compare(q, later)
    b, n = room_levels(before), room_levels(now)
    rows = [DimensionProgress(d, b[d.id], n[d.id], roadmap.get(d.id) if roadmap else None) for d in q.dimensions]
    return RoundProgress(q, before, now, rows, room_overall(before), room_overall(now))


def _lv(x: int | None) -> str:
    return "–" if x is None else str(x)


def _change(x: int | None) -> str:
    return "–" if x is None else (f"▲ +{x}" if x > 0 else f"▼ {x}" if x < 0 else "=")


def leaders(n: int) -> str:
    return f"{n} leader{'' if n == 1 else 's'}"


def _dates(cmp: Comparison) -> str:
    days = sorted({r.response.date for r in cmp.results if r.response.date})
    return "" if not days else f", {days[0]}" if len(days) == 1 else f", {days[0]} to {days[-1]}"


def progress_markdown(p: RoundProgress, today: dt.date | None = None) -> str:
    q, day = p.questionnaire, today or dt.date.today()
    name = lambda lv: f"Level {lv} ({md_text(q.level(lv).name)})" if lv else "no level"  # noqa: E731
    lines = [f"# {md_text(q.title)}: progress between two rounds", ""]
    lines += [f"Then: {leaders(len(p.before.results))}{md_text(_dates(p.before))}. "
              f"Now: {leaders(len(p.now.results))}{md_text(_dates(p.now))}.", ""]
    lines += [f"**Overall: {name(p.overall_before)} then, {name(p.overall_now)} now** (the median of the leaders' "
              "overall levels).", ""]
    targets = any(r.target for r in p.rows)
    head = "| dimension | then | now | change |" + (" target | owner | due | status |" if targets else "")
    lines += [head, "|---|---|---|---|" + ("---|---|---|---|" if targets else "")]
    for r in p.rows:
        row = f"| {md_text(r.dimension.name)} | {_lv(r.before)} | {_lv(r.now)} | {_change(r.change)} |"
        if targets:
            t = r.target
            row += (f" {t.level} | {md_text(t.owner)} | {t.due.isoformat()} | {r.status(day)} |" if t else " – | – | – | |")
        lines.append(row)
    lines += ["", "Per dimension: the median of the leaders' levels, rounded down.", ""]
    for label, sign in (("Moved up", 1), ("Moved down", -1)):
        moved = p.moved(sign)
        lines.append(f"- {label}: " + (", ".join(f"{md_text(r.dimension.name)} ({_lv(r.before)} → {_lv(r.now)})"
                                                 for r in moved) if moved else "none"))
    if targets:
        reached = sum(1 for r in p.rows if r.target and r.status(day) == "reached")
        lines.append(f"- Roadmap: {reached} of {sum(1 for r in p.rows if r.target)} targets reached")
    lines.append("")
    return "\n".join(lines)


def roadmap_lines(q: Questionnaire, roadmap: Roadmap, now: dict[str, int | None], today: dt.date | None = None,
                  heading: str = "## Roadmap") -> list[str]:
    """The roadmap as a Markdown section: each dimension with a target, the room's level now and what is left."""
    if not roadmap.targets:
        return []
    day = today or dt.date.today()
    out = [heading, "", "| dimension | now | target | owner | due | status |", "|---|---|---|---|---|---|"]
    for d in q.dimensions:
        t = roadmap.get(d.id)
        if t is None:
            continue
        status = DimensionProgress(d, None, now.get(d.id), t).status(day)
        out.append(f"| {md_text(d.name)} | {_lv(now.get(d.id))} | {t.level} ({md_text(q.level(t.level).name)}) | "
                   f"{md_text(t.owner)} | {t.due.isoformat()} | {status} |")
    return out + [""]


__all__ = ["DimensionProgress", "RoundProgress", "load_round", "progress_markdown", "roadmap_lines", "room_levels",
           "room_overall", "round_progress"]
