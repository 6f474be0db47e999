"""Markdown reports of self-assessments: one respondent's result, or several compared."""

from __future__ import annotations

from icp_tui.engine.core.markdown import md_text
from icp_tui.engine.maturity.assessment import Comparison, Result
from icp_tui.engine.maturity.questionnaire import DONT_KNOW


def _level_name(result_or_q, level: int | None) -> str:
    q = getattr(result_or_q, "questionnaire", result_or_q)
    return f"Level {level} ({md_text(q.level(level).name)})" if level else "not enough answers"


def who(result: Result) -> str:
    r = result.response
    name = r.respondent or "Anonymous"
    return f"{name} ({r.function})" if r.function else name


def labels(results: list[Result], names: bool = True) -> list[str]:
    """What the comparison calls each respondent: "Dana Reyes (Sales)", or without names the function alone, and
    "Sales 1", "Sales 2" when two answered for one function (a respondent with neither is "Leader N")."""
    base = [r.response.function.strip() or f"Leader {i}" for i, r in enumerate(results, 1)]
    count = {b: base.count(b) for b in base}
    seen: dict[str, int] = {}
    out = []
    for r, b in zip(results, base):
        seen[b] = seen.get(b, 0) + 1
        tag = f"{b} {seen[b]}" if count[b] > 1 and not b.startswith("Leader ") else b
        out.append(who(r) if names and r.response.respondent.strip() else tag)
    return out


def _who(result: Result) -> str:
    return md_text(who(result))


def result_markdown(res: Result) -> str:
    q, r = res.questionnaire, res.response
    lines = [f"# {md_text(q.title)}: {_who(res)}", ""]
    meta = [md_text(x) for x in (r.organisation, r.date) if x]
    if meta:
        lines += [" · ".join(meta), ""]
    lines += [f"**Overall: {_level_name(res, res.level)}**", ""]
    if res.level:
        lines += [md_text(q.level(res.level).summary), ""]
    for g in res.capped_by:
        lines += [f"Capped at Level {g.cap}: {md_text(g.text)}", ""]
    answered = r.answered(q)
    lines += [f"{answered} of {len(q.questions)} questions answered; {res.dont_know} \"don't know\".", ""]
    lines += ["| dimension | level | don't know |", "|---|---|---|"]
    for d in res.dimensions:
        lines.append(f"| {md_text(d.dimension.name)} | {d.level or '–'} | {d.dont_know} |")
    lines += [""]
    if res.level:
        lines += ["## Key gap", "", md_text(q.level(res.level).key_gap), ""]
        lines += [f"- {md_text(d.dimension.name)} (level {d.level})" for d in res.gap] + [""]
        lines += ["## Next steps", ""] + [f"{i}. {md_text(s)}" for i, s in enumerate(res.next_steps, 1)] + [""]
    notes = [(q.dimension(k).name if k in {d.id for d in q.dimensions} else k, v) for k, v in r.notes.items() if v.strip()]
    if notes:
        lines += ["## Notes", ""] + [f"- **{md_text(k)}**: {md_text(v)}" for k, v in notes] + [""]
    return "\n".join(lines)


def comparison_markdown(cmp: Comparison) -> str:
    q = cmp.questionnaire
    names = [_who(r) for r in cmp.results]
    lines = [f"# {md_text(q.title)}: {len(cmp.results)} respondents compared", ""]
    lines += ["| respondent | overall | don't know |", "|---|---|---|"]
    lines += [f"| {n} | {_level_name(r, r.level)} | {r.dont_know} |" for n, r in zip(names, cmp.results)] + [""]
    if cmp.flagged:
        lines += ["## Where leaders disagree (2 levels or more apart)", ""]
        for row in cmp.flagged:
            spread = ", ".join(f"{n} {lv or '–'}" for n, lv in zip(names, row.levels))
            lines.append(f"- **{md_text(row.dimension.name)}**: levels {row.low} to {row.high} ({spread})")
        lines += [""]
    lines += ["## Levels by dimension", ""]
    lines += ["| dimension | " + " | ".join(names) + " | min | max | median | spread |",
              "|---|" + "---|" * (len(names) + 4)]
    for row in cmp.rows:
        cells = [str(x) if x is not None else "–" for x in row.levels]
        med = f"{row.median:g}" if row.median is not None else "–"
        flag = " ⚑" if row.flagged else ""
        lines.append(f"| {md_text(row.dimension.name)}{flag} | " + " | ".join(cells)
                     + f" | {row.low or '–'} | {row.high or '–'} | {med} | {row.spread if row.spread is not None else '–'} |")
    lines += [""]
    for row in cmp.flagged:
        lines += [f"### {md_text(row.dimension.name)}", ""]
        for question in row.dimension.questions:
            lines.append(f"- {md_text(question.text)}")
            for n, res in zip(names, cmp.results):
                a = res.response.answers.get(question.id)
                text = question.answer_text(a) if a is not None else "(no answer)"
                lines.append(f"  - {n}: {md_text(text)}" + (f" (level {a})" if a not in (None, DONT_KNOW) else ""))
        for n, res in zip(names, cmp.results):
            note = res.response.notes.get(row.dimension.id, "").strip()
            if note:
                lines.append(f"- Note from {n}: {md_text(note)}")
        lines += [""]
    return "\n".join(lines)
