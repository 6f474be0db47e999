"""Text from users (names, notes, list entries) made safe to put inside a Markdown report.

A respondent called ``A | B`` must not add a table column, a note starting with ``#`` must not become
a heading, and ``<script>`` must stay text when the report is opened in a browser or a Markdown viewer.
"""

from __future__ import annotations

import re

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])")


def md_text(value: object) -> str:
    """One line of literal text: whitespace (new lines too) folded, HTML and Markdown marks escaped."""
    s = " ".join(str(value).split())
    s = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    s = _INLINE.sub(r"\\\1", s)
    if m := _LEADING_NUMBER.match(s):  # "1. x" would start a numbered list
        return f"{m.group(1)}\\{s[m.end(1):]}"
    if s[:1] in ("#", "+", "-", "="):  # a heading, a list item or a setext underline
        return "\\" + s
    return s


def md_cell(value: object) -> str:
    """Text of our own (questionnaire wording) in a table cell: only what would break the table."""
    return " ".join(str(value).split()).replace("|", "\\|")
