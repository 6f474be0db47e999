"""The workshop report: one document of what the room found and decided, as Markdown (and HTML, :mod:`report_html`).

Sections: participants; maturity (each leader's level per dimension, where they disagree, the room's
level with its key gap and next steps); alignment (each function's list scored with the shared
scorecard, the overlap between lists, consensus, contested and orphan accounts); the TAL with its
tiers, and the parked and excluded accounts with their reasons; the scorecard with its checklist
against closed deals; the decision log with times. What the workshop does not have (no deals, no
assessments) is said in its section, and a file that cannot be read is named there: the report is
still written.

**Where the room stands**: the median of the leaders' own overall levels (rounded down; each already
capped by the questionnaire's gates). Its key gap is the dimensions whose median level is below the
next level, lowest first; the next steps are those dimensions' advice for their median level, then the
level's own next steps.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from dataclasses import dataclass, field

from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.markdown import md_code, md_text
from icp_tui.engine.maturity.assessment import Comparison, compare, load_responses
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.workshop.log import LogEntry, read_log
from icp_tui.engine.workshop.manifest import Participant, Workshop

TAL_SHOWN = 200  # accounts listed per TAL section; the rest are counted


@dataclass
class Report:
    workshop: Workshop
    date: str
    participants: list[Participant]
    maturity: Comparison | None = None
    room: RoomView | None = None
    roadmap: object | None = None  # maturity.roadmap.Roadmap: target level, owner and due date per dimension
    alignment: object | None = None  # overlap.Alignment
    tal: object | None = None  # tal.Tal
    scorecard: object | None = None  # model.Scorecard
    validation: object | None = None  # validation.Validation
    economics: object | None = None  # economics.Economics: per score band and customer tier
    log: list[LogEntry] = field(default_factory=list)
    missing_lists: list[str] = field(default_factory=list)  # functions whose [[lists]] file does not exist
    problems: dict[str, list[str]] = field(default_factory=dict)  # section -> what could not be read

    def problem(self, section: str, text: str) -> None:
        self.problems.setdefault(section, []).append(text)


@dataclass
class RoomView:
    """Where the room stands: the median of the leaders' overall levels (rounded down), the dimensions whose
    median level is below the next level (lowest first) and their advice, then the level's own next steps."""

    level: int | None
    overall: list[int | None]  # each leader's overall level, in order
    gap: list[tuple[str, float]]  # (dimension name, median level)
    next_steps: list[str]


def room_view(cmp: Comparison) -> RoomView:
    q = cmp.questionnaire
    overall = [r.level for r in cmp.results]
    known = [x for x in overall if x is not None]
    if not known:
        return RoomView(None, overall, [], [])
    level = math.floor(statistics.median(known))
    target = min(level + 1, 4)
    order = {d.id: i for i, d in enumerate(q.dimensions)}
    below = sorted((row for row in cmp.rows if row.median is not None and row.median < target),
                   key=lambda row: (row.median, order[row.dimension.id]))
    steps = [f"{row.dimension.name}: {row.dimension.advice[max(1, math.floor(row.median or 1)) - 1]}" for row in below]
    steps += [s for s in q.level(level).next_steps if s not in steps]
    return RoomView(level, overall, [(row.dimension.name, float(row.median or 0)) for row in below], steps)


def build_report(ws: Workshop, today: dt.date | None = None) -> Report:
    """Everything the report says, read from the workshop's files (each part on its own: one that cannot be
    read is named in its section)."""
    rep = Report(ws, (today or dt.date.today()).isoformat(), list(ws.participants))
    q = default_questionnaire()
    folder = ws.file("assessments") or ws.root / "assessments"
    try:
        responses, problems = load_responses(folder, q)
        for p in problems:
            rep.problem("maturity", p)
        if responses:
            rep.maturity = compare(q, responses)
            rep.room = room_view(rep.maturity)
    except IcpError as e:
        rep.problem("maturity", str(e))
    try:
        from icp_tui.engine.maturity.roadmap import load_roadmap, roadmap_path

        rep.roadmap = load_roadmap(roadmap_path(ws), q)
    except IcpError as e:
        rep.problem("maturity", str(e))
    if not rep.participants and rep.maturity:
        rep.participants = [Participant(r.response.respondent or "Anonymous", r.response.function) for r in rep.maturity.results]
    for ref in ws.lists:  # the session counts a missing file as an empty list (the app writes it on the first add)
        if not ref.path.exists():
            rep.missing_lists.append(ref.function)
            rep.problem("alignment", f"{ref.path}: the {ref.function} list's file is missing (named in workshop.toml); "
                                     "counted as an empty list")
    try:
        from icp_tui.engine.workshop.alignment_session import AlignmentSession

        session = AlignmentSession(ws)
        rep.alignment, rep.tal = session.alignment, session.tal
        ctx = session.ctx
        if ctx.scorecard is not None:
            rep.scorecard = ctx.scorecard.scorecard
        if ctx.scores is not None and ctx.deals is not None:
            from icp_tui.engine.alignment.overlap import deal_accounts
            from icp_tui.engine.history.validation import validate

            try:
                ctx.deals.require("stage", what="stage or outcome column")
                rep.validation = validate(ctx.scores, ctx.deals, deal_accounts(ctx.deals, ctx.universe))
            except IcpError as e:
                rep.problem("scorecard", str(e))
            if rep.validation is not None and ctx.accounts is not None:
                from icp_tui.engine.history.economics import history_economics

                try:  # seeds 000 and 004: what a customer brings against what it cost, per band and tier
                    rep.economics = history_economics(ctx.deals, ctx.accounts, deal_accounts(ctx.deals, ctx.universe),
                                                      ctx.scores)
                except IcpError as e:
                    rep.problem("scorecard", str(e))
    except IcpError as e:
        rep.problem("alignment", str(e))
    try:
        rep.log = read_log(ws.root)
    except IcpError as e:
        rep.problem("log", str(e))
    return rep


# -- Markdown ------------------------------------------------------------------------------------

def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def _num(x: float | None, fmt: str = "{:.1f}") -> str:
    return "–" if x is None else fmt.format(x)


def _money(x: float | None) -> str:
    return "–" if x is None else f"${x:,.0f}"


def _problems(rep: Report, section: str) -> list[str]:
    return [f"> Not read: {md_text(p)}" for p in rep.problems.get(section, [])] + ([""] if section in rep.problems else [])


def _participants(rep: Report) -> list[str]:
    out = ["## Participants", ""]
    if not rep.participants:
        return out + ["No participants recorded.", ""]
    out += ["| name | function |", "|---|---|"]
    out += [f"| {md_text(p.name)} | {md_text(p.function) or '–'} |" for p in rep.participants]
    return out + [""]


def _maturity(rep: Report) -> list[str]:
    out = ["## ICP maturity", ""] + _problems(rep, "maturity")
    cmp = rep.maturity
    if cmp is None:
        return out + ["No self-assessments in the workshop yet.", ""]
    q = cmp.questionnaire
    names = [md_text(f"{r.response.respondent or 'Anonymous'}" + (f" ({r.response.function})" if r.response.function else ""))
             for r in cmp.results]
    room = rep.room
    if room is not None and room.level:
        levels = ", ".join(f"{n} {lv or '–'}" for n, lv in zip(names, room.overall))
        out += [f"**Where the room stands: Level {room.level} ({q.level(room.level).name})**, the median of the "
                f"leaders' own overall levels ({levels}).", "", q.level(room.level).summary, ""]
    out += ["| dimension | " + " | ".join(names) + " | median | spread |", "|---|" + "---|" * (len(names) + 2)]
    for row in cmp.rows:
        cells = [str(x) if x is not None else "–" for x in row.levels]
        flag = " ⚑" if row.flagged else ""
        med = f"{row.median:g}" if row.median is not None else "–"
        out.append(f"| {md_text(row.dimension.name)}{flag} | " + " | ".join(cells) + f" | {med} | "
                   f"{row.spread if row.spread is not None else '–'} |")
    out += ["", "⚑ leaders two levels or more apart.", ""]
    if cmp.flagged:
        out += ["### Where the leaders disagree", ""]
        for row in cmp.flagged:
            spread = ", ".join(f"{n} {lv or '–'}" for n, lv in zip(names, row.levels))
            out.append(f"- **{md_text(row.dimension.name)}**: levels {row.low} to {row.high} ({spread})")
        out += [""]
    if room is not None and room.level:
        out += ["### Key gap", "", q.level(room.level).key_gap, ""]
        if room.gap:
            out += [f"Below Level {min(room.level + 1, 4)} for most leaders (median level):", ""]
            out += [f"- {md_text(name)} ({median:g})" for name, median in room.gap] + [""]
        out += ["### Next steps", ""] + [f"{i}. {md_text(s)}" for i, s in enumerate(room.next_steps, 1)] + [""]
    if rep.roadmap is not None:
        from icp_tui.engine.maturity.progress import roadmap_lines, room_levels

        out += roadmap_lines(q, rep.roadmap, room_levels(cmp), dt.date.fromisoformat(rep.date), "### Roadmap")  # type: ignore[arg-type]
    return out


def _alignment(rep: Report) -> list[str]:
    out = ["## Alignment of the functions' lists", ""] + _problems(rep, "alignment")
    a = rep.alignment
    if a is None:
        return out + ["The alignment could not be built.", ""]
    funcs = [md_text(f) for f in a.functions]  # type: ignore[attr-defined]
    if not funcs:
        return out + ["No function lists in the workshop.", ""]
    out += ["Each function's list scored with the shared scorecard:", "",
            "| function | entries | accounts | mean fit | top 2 bands | anti-persona | expected win rate | own closed deals won |",
            "|---|---|---|---|---|---|---|---|"]
    for f in a.fit:  # type: ignore[attr-defined]
        own = f"{round((f.win_rate or 0) * f.closed_deals)} of {f.closed_deals}" if f.closed_deals else "–"
        entries = "file missing" if f.function in rep.missing_lists else f.entries
        out.append(f"| {md_text(f.function)} | {entries} | {f.matched} | {_num(f.mean_fit)} | {_pct(f.top_bands)} | "
                   f"{f.anti_persona} | {_pct(f.band_win_rate)} | {own} |")
    out += ["", "Expected win rate: that of the closed deals in the bands the list's accounts score in."]
    out += ["", "Accounts the lists share (the diagonal: each list's accounts):", "",
            "| | " + " | ".join(funcs) + " |", "|---|" + "---|" * len(funcs)]
    for i, f in enumerate(funcs):
        out.append(f"| {f} | " + " | ".join(str(int(a.overlap[i, j])) for j in range(len(funcs))) + " |")  # type: ignore[attr-defined]
    tal = rep.tal
    k = tal.rule.min_votes if tal is not None else 2  # type: ignore[attr-defined]
    cons, cont, orph = a.consensus(k), a.contested(), a.orphans()  # type: ignore[attr-defined]
    out += ["", f"- **Consensus** (proposed by {k} or more functions): {len(cons)}",
            f"- **Contested** (ranked far apart, a weak fit, an anti-persona or an exclusion): {len(cont)}",
            f"- **Orphans** (one function only): {len(orph)}", ""]
    if cont:
        out += ["### Contested accounts", ""]
        out += [f"- {md_text(p.name)} ({md_text(', '.join(p.ranks))}): {md_text('; '.join(p.contested_because))}"
                for p in cont[:TAL_SHOWN]]
        if len(cont) > TAL_SHOWN:
            out.append(f"- … and {len(cont) - TAL_SHOWN} more")
        out += [""]
    return out


def _tal_rows(rows, with_reason: bool) -> list[str]:
    head = "| account | tier | functions | fit | band | grade |" + (" status | reason |" if with_reason else "")
    out = [head, "|---|---|---|---|---|---|" + ("---|---|" if with_reason else "")]
    for r in rows[:TAL_SHOWN]:
        p = r.proposal
        line = (f"| {md_text(p.name)} | {md_text(r.tier) or '–'} | {md_text(', '.join(p.ranks)) or '–'} | {_num(p.fit)} | "
                f"{md_text(p.band) or '–'} | {md_text(p.grade) or '–'} |")
        if with_reason:
            line += f" {r.status} | {md_text(r.decision.reason) if r.decision and r.decision.reason else md_text(r.note) or '–'} |"
        out.append(line)
    if len(rows) > TAL_SHOWN:
        out.append(f"| … and {len(rows) - TAL_SHOWN} more | | | | | |" + (" | |" if with_reason else ""))
    return out


def _tal(rep: Report) -> list[str]:
    out = ["## The unified target account list (TAL)", ""]
    tal = rep.tal
    if tal is None:
        return out + ["No TAL: the alignment could not be built.", ""]
    members = tal.members  # type: ignore[attr-defined]
    r = tal.rule  # type: ignore[attr-defined]
    tiers = ", ".join(f"{md_text(t)} {n}" for t, n in tier_counts(tal)) or "none"
    caps = f"; Tier 1 capped at {tal.per_ae} per account executive, {tal.aes} AEs" if tal.aes else ""  # type: ignore[attr-defined]
    out += [f"**{len(members):,} account{'s' if len(members) != 1 else ''}** ({tiers}). Rule: proposed by {r.min_votes}+ "
            f"functions {r.join} in {md_text(' / '.join(r.bands))}{caps}; then the room's decisions.", ""]
    grades = tal.counts_by_grade()  # type: ignore[attr-defined]
    if grades:  # the priority a rep acts on: fit band letter x timing band digit (A1 = best fit, in market now)
        out += ["Priority grades (fit letter x timing digit; A1 first, X excluded): "
                + ", ".join(f"{md_text(g)} {n}" for g, n in grades.items()) + ".", ""]
    if getattr(tal, "holdout", None) is not None:  # seed 002: the control group kept out of the new motion
        from icp_tui.engine.alignment.holdout_compare import holdout_summary

        out += [holdout_summary(tal), ""]  # type: ignore[arg-type]
    out += _tal_rows(sorted(members, key=lambda x: (tier_rank(x.tier), -(x.proposal.fit or 0), x.proposal.name)), True) + [""]
    for status, title in (("parked", "Parked"), ("excluded", "Excluded")):
        rows = [x for x in tal.rows if x.status == status]  # type: ignore[attr-defined]
        if rows:
            out += [f"### {title} ({len(rows)})", ""] + _tal_rows(rows, True) + [""]
    return out


def _scorecard(rep: Report) -> list[str]:
    out = ["## The scorecard", ""] + _problems(rep, "scorecard")
    sc = rep.scorecard
    if sc is None:
        return out + ["The workshop names no scorecard.", ""]
    out += [f"**{md_text(f'{sc.name} v{sc.version}')}**", "",  # type: ignore[attr-defined]
            "| criterion | field | score | weight | best points |", "|---|---|---|---|---|"]
    for c in sc.criteria:  # type: ignore[attr-defined]
        out.append(f"| {md_text(c.label)} | {md_code(c.field)} | {sc.score_of(c)} | {c.weight:g} | {c.best_points:g} |")  # type: ignore[attr-defined]
    out += ["", "Bands: " + ", ".join(f"{md_text(b.label)} {b.min:g}+" for b in sc.bands), ""]  # type: ignore[attr-defined]
    v = rep.validation
    if v is None:
        return out + ["No deal history to check it against.", ""]
    mark = {"pass": "✓ pass", "warn": "! warn", "fail": "✗ fail", "na": "– not enough data"}
    out += [f"### Checklist against {v.closed} closed deals ({v.won} won, {v.lost} lost)", "",  # type: ignore[attr-defined]
            "| check | result | figure | target |", "|---|---|---|---|"]
    for c in v.checklist:  # type: ignore[attr-defined]
        out.append(f"| {md_text(c.name)} | {mark[c.status]} | {md_text(c.figure)} | {md_text(c.target)} |")
    auc = "–" if v.auc is None else f"{v.auc:.3f}"  # type: ignore[attr-defined]
    out += ["", f"AUC of the fit score against won/lost: {auc} (0.5 is a coin toss).", "",
            "| band | deals | won | win rate | mean won ACV |", "|---|---|---|---|---|"]
    for b in v.bands:  # type: ignore[attr-defined]
        out.append(f"| {md_text(b.label)} | {b.deals} | {b.won} | {_pct(b.win_rate)} | {_money(b.mean_acv)} |")
    if rep.economics is not None:
        from icp_tui.engine.history.economics_report import economics_markdown

        out += [""] + economics_markdown(rep.economics)  # type: ignore[arg-type]
    return out + [""]


def _log(rep: Report) -> list[str]:
    out = ["## Decision log", ""] + _problems(rep, "log")
    if not rep.log:
        return out + ["Nothing logged yet: the app logs each TAL decision, match and scorecard save.", ""]
    out += ["| time (UTC) | what | |", "|---|---|---|"]
    out += [f"| {e.time:%Y-%m-%d %H:%M} | {md_text(e.kind)} | {md_text(e.text)} |" for e in rep.log]
    changes = [e for e in rep.log if e.kind == "scorecard"]
    if changes:
        out += ["", f"The scorecard was saved {len(changes)} time{'s' if len(changes) != 1 else ''} in the log (changes listed above)."]
    return out + [""]


def sections(rep: Report) -> list[tuple[str, list[str]]]:
    """(name, Markdown lines) of every section, in order: the HTML report adds a chart after some of them."""
    ws = rep.workshop
    head = [f"# {md_text(ws.name)}: ICP workshop report", "",
            " · ".join(x for x in (md_text(ws.organisation), rep.date) if x), ""]
    return [("title", head), ("participants", _participants(rep)), ("maturity", _maturity(rep)),
            ("alignment", _alignment(rep)), ("tal", _tal(rep)), ("scorecard", _scorecard(rep)), ("log", _log(rep))]


def report_markdown(rep: Report) -> str:
    return "\n".join(line for _, part in sections(rep) for line in part).rstrip("\n") + "\n"


TIER_ORDER = ("Tier 1", "Tier 2", "Tier 3")


def tier_rank(tier: str) -> int:
    """Tier 1, 2, 3 first, then the other band tiers (Nurture, Pass, ...), then none."""
    return TIER_ORDER.index(tier) if tier in TIER_ORDER else (len(TIER_ORDER) if tier else len(TIER_ORDER) + 1)


def tier_counts(tal) -> list[tuple[str, int]]:
    return sorted(tal.counts_by_tier().items(), key=lambda kv: (tier_rank(kv[0] if kv[0] != "Unscored" else ""), kv[0]))


__all__ = ["Report", "RoomView", "build_report", "report_markdown", "room_view", "sections", "tier_counts", "tier_rank"]
