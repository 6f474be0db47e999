"""Issue 19, item 4: every field a file gives the reports is escaped on one path (core/markdown.py), so no HTML,
link, autolink or image can form from it in report.md (with HTML on or off) or report.html, and the text is still
there to read; a [[lists]] file that is missing is warned in the lists section, not shown as 0 entries."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from icp_tui.engine.core.markdown import md_code, md_text
from icp_tui.engine.maturity.assessment import compare, load_responses, score
from icp_tui.engine.maturity.questionnaire import default_questionnaire
from icp_tui.engine.maturity.report import comparison_markdown, result_markdown
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.report import build_report, report_markdown
from icp_tui.engine.workshop.report_html import report_html
from icp_tui.engine.workshop.resources import sample_workshop_dir

DAY = dt.date(2026, 12, 3)
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
JS = "[x](javascript:alert(1))"
PHISH = "[phish](http://evil.example)"
AUTO = "<http://evil.example/auto>"


def _replace(path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def _rename_in_csv(path, old: str, new: str) -> None:
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    assert any(old in row for row in rows), (path, old)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([[new if cell == old else cell for cell in row] for row in rows])


@pytest.fixture
def hostile(tmp_path):
    """The bundled sample with a hostile value in every kind of field the report shows, and one list file missing."""
    ws = tmp_path / "ws"
    shutil.copytree(sample_workshop_dir(), ws)
    manifest = ws / "workshop.toml"
    _replace(manifest, 'name = "Sample ICP workshop"', f'name = "Q1 {SCRIPT}"')
    _replace(manifest, 'organisation = "Northwind Analytics"', 'organisation = "Gekko & Co"')
    _replace(manifest, 'function = "Product"', f'function = "Product {JS}"')
    with manifest.open("a", encoding="utf-8") as f:
        f.write(f'\n[[participants]]\nname = "Ana {IMG}"\nfunction = "{PHISH}"\n'
                '\n[[lists]]\nfunction = "Partners"\nfile = "lists/partners.csv"\n')
    card = ws / "scorecard.toml"
    _replace(card, 'tier = "Nurture"', f'tier = "Nurture {IMG}"')
    _replace(card, 'label = "Poor fit"', f'label = "Poor {SCRIPT}"')
    _replace(card, 'action = "Prioritise: high chance to close"', f'action = "{JS}"')
    _replace(card, 'label = "Company size"', f'label = "Size {PHISH}"')
    for path in (ws / "accounts.csv", ws / "lists" / "sales.csv"):
        _rename_in_csv(path, "Acme Inc.", f"Acme {SCRIPT}")
    _replace(ws / "roadmap.toml", 'owner = "Elena Rossi"', f'owner = "{PHISH}"')
    _replace(ws / "roadmap.toml", 'owner = "Marcus Lee"', f'owner = "{AUTO}"')
    _replace(ws / "assessments" / "sales.toml", 'respondent = "Marcus Lee"', f'respondent = "Marcus {SCRIPT}"')
    (ws / "decisions.toml").write_text(
        f'[[decisions]]\naccount = "acc:ACC-00539"\naction = "park"\nreason = "{JS} {IMG}"\n', encoding="utf-8")
    (ws / "log.toml").write_text(
        f'[[entry]]\ntime = 2026-12-01T10:00:00Z\nkind = "{IMG}"\ntext = "{AUTO} {PHISH} `code` **bold**"\n',
        encoding="utf-8")
    return ws


class _Page(HTMLParser):
    """The tags, attributes and visible text of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: set[str] = set()
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def _assert_no_markup_from_files(md: str) -> None:
    for bad in ("<script", "<img", "](javascript:", "](http", "<http"):
        assert bad not in md, bad
    for html_on in (False, True):  # report.md opened in a viewer with HTML off, then on
        page = _Page()
        page.feed(MarkdownIt("commonmark", {"html": html_on}).enable("table").render(md))
        assert {"script", "img", "a"}.isdisjoint(page.tags)
        assert not [a for a in page.attrs if a[0] in ("href", "src") or a[0].startswith("on")]


def test_every_field_of_a_hostile_workshop_stays_text_in_the_markdown(hostile):
    rep = build_report(Workshop.load(hostile), DAY)
    md = report_markdown(rep)
    _assert_no_markup_from_files(md)
    assert md.startswith("# Q1 &lt;script>alert(1)&lt;/script>: ICP workshop report\n\nGekko & Co · 2026-12-03\n")
    assert "| Ana &lt;img src=x onerror=alert(1)> | \\[phish\\]\\(http://evil.example) |" in md  # participant
    assert "| Product \\[x\\]\\(javascript:alert(1)) | 56 | 52 |" in md  # a list's function
    assert "| Size \\[phish\\]\\(http://evil.example) | `employees` | fit |" in md  # a criterion label
    assert "| \\[phish\\]\\(http://evil.example) | 2027-03-31 |" in md  # a roadmap owner
    assert "| &lt;http://evil.example/auto> | 2027-02-26 |" in md
    assert "Marcus &lt;script>alert(1)&lt;/script> (Sales) 2" in md  # a respondent
    assert "| Acme &lt;script>alert(1)&lt;/script> | Tier 1 |" in md  # an account name
    assert "Nurture &lt;img src=x onerror=alert(1)> 5" in md  # a band's tier
    assert "| Poor &lt;script>alert(1)&lt;/script> |" in md  # a band's label
    assert "| parked | \\[x\\]\\(javascript:alert(1)) &lt;img src=x onerror=alert(1)> |" in md  # a decision's reason
    assert ("| &lt;img src=x onerror=alert(1)> | &lt;http://evil.example/auto> \\[phish\\]\\(http://evil.example) "
            "\\`code\\` \\*\\*bold\\*\\* |") in md  # a log entry


def test_the_html_report_has_no_tag_attribute_or_link_from_a_file_and_shows_the_text(hostile):
    html = report_html(build_report(Workshop.load(hostile), DAY))
    page = _Page()
    page.feed(html)
    assert {"script", "img", "a", "iframe", "link"}.isdisjoint(page.tags)
    assert [a for a in page.attrs if a[0] in ("href", "src") or a[0].startswith("on")] == []
    for bad in ("<script", "<img", 'href="javascript:', 'href="http', "<a "):
        assert bad not in html, bad
    text = "".join(page.text)  # what a reader sees: every hostile value, as text
    for shown in (f"Q1 {SCRIPT}", f"Ana {IMG}", f"Product {JS}", f"Size {PHISH}", PHISH, AUTO, f"Acme {SCRIPT}",
                  f"Nurture {IMG}", f"Poor {SCRIPT}", f"{JS} {IMG}", f"{AUTO} {PHISH} `code` **bold**", "Gekko & Co"):
        assert shown in text, shown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_missing_list_file_is_warned_not_shown_as_empty(hostile):
    rep = build_report(Workshop.load(hostile), DAY)
    missing = hostile / "lists" / "partners.csv"
    assert rep.problems["alignment"] == [f"{missing}: the Partners list's file is missing (named in workshop.toml); "
                                         "counted as an empty list"]
    md = report_markdown(rep)
    lines = md.splitlines()
    start = lines.index("## Alignment of the functions' lists")
    assert lines[start + 2] == "> Not read: " + md_text(rep.problems["alignment"][0])
    assert "| Partners | file missing | 0 | – | – | 0 | – | – |" in lines
    assert "| Sales | 62 | 58 | 89.1 | 91% | 0 | 69% | 0 of 4 |" in lines  # the others still scored


def test_maturity_reports_escape_names_and_notes(hostile):
    q = default_questionnaire()
    path = hostile / "assessments" / "sales.toml"
    _replace(path, "[notes]\n", f'[notes]\nmetrics = "{PHISH}\\n# heading {IMG}"\n')
    responses, problems = load_responses(hostile / "assessments", q)
    assert problems == []
    sales = next(r for r in responses if r.function == "Sales")
    one = result_markdown(score(q, sales))
    many = comparison_markdown(compare(q, responses))
    for md in (one, many):
        _assert_no_markup_from_files(md)
    assert one.startswith(f"# {q.title}: Marcus &lt;script>alert(1)&lt;/script> (Sales)\n")
    assert "\\[phish\\]\\(http://evil.example) # heading &lt;img src=x onerror=alert(1)>" in one


@pytest.mark.parametrize(("text", "escaped"), [
    ("Gekko & Co", "Gekko & Co"),  # & only where it would start an entity
    ("AT&T; &amp; &#60;", "AT&amp;T; &amp;amp; &amp;#60;"),
    ("59.8", "59.8"), ("59. Street", "59\\. Street"), ("1) first", "1\\) first"),  # a list only at the start
    ("Revenue 2024. Up", "Revenue 2024. Up"),
    ("a < b > c", "a < b > c"), ("<b>x</b>", "&lt;b>x&lt;/b>"), ("<!-- x -->", "&lt;!-- x -->"),
    ("snake_case_name", "snake_case_name"), ("_x_ *y*", "\\_x\\_ \\*y\\*"), ("~~gone~~", "\\~\\~gone\\~\\~"),
    ("Acme (UK)", "Acme (UK)"), ("[a](b)", "\\[a\\]\\(b)"), ("![i](http://x/i.png)", "!\\[i\\]\\(http://x/i.png)"),
    ("A | B", "A \\| B"), ("`rm`", "\\`rm\\`"),
    ("# head", "\\# head"), ("#1 deal", "#1 deal"), ("- item", "\\- item"), ("-3%", "-3%"), ("+ x", "\\+ x"),
    ("> quote", "\\> quote"), ("---", "\\---"), ("===", "\\==="),
    ("C:\\data\\x.csv", "C:\\data\\x.csv"), ("ends with \\", "ends with \\\\"), ("\\*", "\\\\\\*"),
    ("two\nlines\t here", "two lines here"), (42, "42"), ("", ""),
])
def test_md_text_escapes_only_what_forms_markup_where_it_stands(text, escaped):
    assert md_text(text) == escaped
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(f"| h |\n|---|\n| {escaped} |\n\n- {escaped}\n")
    page = _Page()
    page.feed(rendered)
    assert page.tags <= {"table", "thead", "tbody", "tr", "th", "td", "ul", "li"}
    shown = " ".join(str(text).split())
    assert not shown or "".join(page.text).count(shown) == 2  # the text itself, in the cell and in the item


def test_md_code_keeps_a_field_name_in_its_cell():
    assert md_code("annual_revenue") == "`annual_revenue`"
    assert md_code("a|b`c") == "`a\\|bc`"
    assert md_code("``") == ""
