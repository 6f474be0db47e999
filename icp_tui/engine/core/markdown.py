"""Text from users (names, notes, list entries) made safe to put inside a Markdown report.

One path for the Markdown and the HTML report (rendered from the Markdown): every field read from a file goes
through :func:`md_text` before it enters a Markdown line. A respondent called ``A | B`` must not add a table
column, a note starting with ``# `` must not become a heading, ``<script>`` must stay text when the report is
opened in a browser or a Markdown viewer with HTML on, and ``[x](http://...)`` must not become a link: no link,
autolink, image, HTML tag or emphasis can form from a field.

Only what could form markup where it stands is escaped, so the raw Markdown stays readable: ``Gekko & Co``,
``59.8``, ``a < b``, ``snake_case`` and ``Acme (UK)`` are written as they are, while ``&amp;`` (an entity),
``<b`` (a tag or autolink), ``*``, backticks, ``[`` and ``]``, ``|``, ``~`` and a ``_`` at a word's edge are
escaped; ``1. ``, ``- ``, ``+ ``, ``# ``, ``>`` and ``---`` only at the start of the field. ``<`` and ``&`` become
HTML entities (every Markdown renderer reads those), the rest a backslash before the mark (CommonMark).
"""

from __future__ import annotations

import re

# a mark that could open markup anywhere in a line; "(" only right after "]" (an inline link's target)
_INLINE = re.compile(r"\\(?=[!-/:-@\[-`{-~]|$)|[`*_~\[\]|]|(?<=\])\(|<(?=[A-Za-z/!?])|&(?=#?[A-Za-z0-9]+;)")
# what starts a block when it opens a line (a list item, a heading, a quote, a rule or setext underline)
_BLOCK = re.compile(r"\d{1,9}[.)](?=\s|$)|[-+](?=\s|$)|#{1,6}(?=\s|$)|>|-+$|=+$")


def _escape(m: re.Match[str]) -> str:
    mark, s, i = m.group(), m.string, m.start()
    if mark == "<":
        return "&lt;"
    if mark == "&":
        return "&amp;"
    if mark == "_" and 0 < i < len(s) - 1 and s[i - 1].isalnum() and s[i + 1].isalnum():
        return "_"  # inside a word (snake_case): never emphasis
    return "\\" + mark


def md_text(value: object) -> str:
    """One line of literal text from a file, safe anywhere in a Markdown line (a table cell, a list item, a heading):
    whitespace (new lines too) folded, and only the marks that could form markup there escaped."""
    s = _INLINE.sub(_escape, " ".join(str(value).split()))
    if m := _BLOCK.match(s):
        mark = m.group()
        if mark[0].isdigit():  # "1. x" would start a numbered list: escape its dot
            return f"{mark[:-1]}\\{s[len(mark) - 1:]}"
        return "\\" + s
    return s


def md_code(value: object) -> str:
    """A name from a file shown as code (a field name), in a table cell: backticks dropped, ``|`` escaped."""
    s = " ".join(str(value).replace("`", "").split()).replace("|", "\\|")
    return f"`{s}`" if s else ""
