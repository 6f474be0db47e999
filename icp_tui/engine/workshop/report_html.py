"""The workshop report as one self-contained HTML file: the Markdown report rendered, with SVG charts.

Nothing is fetched: the styles are inline and the charts are SVG drawn here, so the file opens the same
offline, attached to an e-mail or printed. Markdown is rendered by markdown-it-py (CommonMark with
tables) with raw HTML off and no link of any kind (none is the product's own, so a link in the Markdown could only
come from a file): text from the files (a name with ``<script>``, a ``|`` in a reason, ``[x](http://...)``) was
escaped by the Markdown report (:func:`~icp_tui.engine.core.markdown.md_text`) and stays text; chart labels are
escaped with :func:`html.escape`.
"""

from __future__ import annotations

from html import escape

from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.lock import workshop_lock
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.report import Report, build_report, report_markdown, sections, tier_counts

STYLE = """
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d2433; max-width: 1100px;
       margin: 2em auto; padding: 0 1.5em; }
h1 { font-size: 1.8em; margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 2px solid #e3e7ef; }
table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.92em; }
th, td { border: 1px solid #d9dee8; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f3f5f9; } tr:nth-child(even) td { background: #fafbfd; }
blockquote { color: #9a3412; border-left: 4px solid #f59e0b; margin: 0.5em 0; padding: 0.2em 0.8em; }
figure { margin: 1em 0; } figcaption { color: #5b6475; font-size: 0.9em; }
svg text { font: 12px system-ui, sans-serif; fill: #1d2433; }
@media print { h2 { break-after: avoid; } table, figure { break-inside: avoid; } }
"""

BAR, TRACK, MEDIAN = "#2563eb", "#e3e7ef", "#f59e0b"


def _figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def bar_chart(rows: list[tuple[str, float | None, str]], top: float, caption: str) -> str:
    """Horizontal bars: (label, value or None, value as shown), scaled to ``top``."""
    if not rows:
        return ""
    label_w, bar_w, h = 190, 420, 24
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{label_w + bar_w + 90}" height="{h * len(rows) + 8}" role="img">']
    for i, (label, value, shown) in enumerate(rows):
        y = 4 + i * h
        w = 0 if value is None or top <= 0 else max(0.0, min(1.0, value / top)) * bar_w
        out.append(f'<text x="{label_w - 8}" y="{y + 16}" text-anchor="end">{escape(label[:28])}</text>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{h - 8}" fill="{TRACK}"/>'
                   f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{h - 8}" fill="{BAR}"/>'
                   f'<text x="{label_w + bar_w + 8}" y="{y + 16}">{escape(shown)}</text>')
    out.append("</svg>")
    return _figure("".join(out), caption)


def level_chart(rep: Report) -> str:
    """Per dimension: each leader's level as a dot on 1-4, the range between them, the median as a diamond."""
    cmp = rep.maturity
    if cmp is None:
        return ""
    label_w, step, h = 230, 110, 26
    width, height = label_w + step * 3 + 80, h * len(cmp.rows) + 34
    x = lambda level: label_w + (level - 1) * step  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">']
    for level in range(1, 5):
        name = cmp.questionnaire.level(level).name
        out.append(f'<text x="{x(level)}" y="14" text-anchor="middle">{level} {escape(name)}</text>'
                   f'<line x1="{x(level)}" y1="20" x2="{x(level)}" y2="{height - 4}" stroke="{TRACK}"/>')
    for i, row in enumerate(cmp.rows):
        y = 30 + i * h + h / 2
        out.append(f'<text x="{label_w - 12}" y="{y + 4}" text-anchor="end">{escape(row.dimension.name[:32])}</text>')
        if row.low is not None and row.high is not None:
            colour = "#dc2626" if row.flagged else BAR
            out.append(f'<line x1="{x(row.low)}" y1="{y}" x2="{x(row.high)}" y2="{y}" stroke="{colour}" stroke-width="3"/>')
            for k, given in enumerate(row.levels):
                if given is not None:
                    out.append(f'<circle cx="{x(given)}" cy="{y + (k - len(row.levels) / 2) * 1.5:.1f}" r="5" '
                               f'fill="{colour}" fill-opacity="0.55"/>')
        if row.median is not None:
            mx = x(row.median)
            out.append(f'<path d="M{mx:.1f} {y - 7} l7 7 l-7 7 l-7 -7 z" fill="{MEDIAN}"/>')
    out.append("</svg>")
    return _figure("".join(out), "Each leader's level per dimension (dots), the range between them (red: two levels or "
                                 "more apart) and the median (diamond).")


def charts(rep: Report, section: str) -> str:
    if section == "maturity":
        return level_chart(rep)
    if section == "alignment" and rep.alignment is not None:
        rows = [(f.function, f.mean_fit, "–" if f.mean_fit is None else f"{f.mean_fit:.1f}")
                for f in rep.alignment.fit]  # type: ignore[attr-defined]
        return bar_chart(rows, 100, "Mean fit score (0-100) of each function's list, with the shared scorecard.")
    if section == "tal" and rep.tal is not None:
        counts = tier_counts(rep.tal)
        top = max((n for _, n in counts), default=0)
        return bar_chart([(t, float(n), f"{n:,}") for t, n in counts], top, "Accounts on the TAL by tier.")
    if section == "scorecard" and rep.validation is not None:
        rows = [(b.label, b.win_rate, "–" if b.win_rate is None else f"{b.win_rate:.0%} of {b.deals}")
                for b in rep.validation.bands]  # type: ignore[attr-defined]
        return bar_chart(rows, 1.0, "Win rate of the closed deals in each band: it should fall band by band.")
    return ""


def _renderer():
    """CommonMark with tables, raw HTML off, and no link: markdown-it's public link check (``validateLink``) says no
    to every URL, a second guard behind the escaping (a ``[text](url)`` that got through would be left as text)."""
    from markdown_it import MarkdownIt

    class NoLinks(MarkdownIt):
        def validateLink(self, url: str) -> bool:  # markdown-it's name for its link check
            return False  # the report links nowhere: a link could only come from a file's text

    return NoLinks("commonmark", {"html": False, "linkify": False}).enable("table")


def report_html(rep: Report) -> str:
    md = _renderer()
    body = []
    for name, lines in sections(rep):
        body.append(f'<section id="{name}">' + md.render("\n".join(lines)) + charts(rep, name) + "</section>")
    title = escape(f"{rep.workshop.name}: ICP workshop report")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n"
            f"<style>{STYLE}</style>\n</head>\n<body>\n" + "\n".join(body) + "\n</body>\n</html>\n")


__all__ = ["report_html", "bar_chart", "level_chart"]


def write_report_files(ws: Workshop) -> tuple[Report, str]:
    """The workshop report built and written as ``report.md`` and ``report.html`` in the workshop folder, under its
    lock (a read-only window writes nothing): (the report, its Markdown)."""
    rep = build_report(ws)
    md = report_markdown(rep)
    with workshop_lock(ws.root, "writing the report"):
        atomic_write_text(ws.root / "report.md", md)
        atomic_write_text(ws.root / "report.html", report_html(rep))
    return rep, md
