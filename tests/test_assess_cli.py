"""``icp assess report``: Markdown for one file or a comparison of several, errors as one line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ["customer_success", "finance", "marketing", "product", "sales"]
SAMPLE_PATHS = [f"sample_data/assessments/{n}.toml" for n in SAMPLES]


def icp(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "icp_tui", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_report_of_one_file():
    out = icp("assess", "report", "sample_data/assessments/sales.toml")
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    lines = out.stdout.splitlines()
    assert lines[0] == "# ICP Segmentation Maturity: Marcus Lee (Sales)"
    # sales: dimensions 3 2 2 2 3 2 2 2 1 -> second-lowest 2 (see test_assessment.py)
    assert "**Overall: Level 2 (Foundational)**" in lines
    assert "27 of 27 questions answered; 0 \"don't know\"." in lines
    assert "| Statistical and ML analysis | 1 | 0 |" in lines
    assert "## Key gap" in lines and "## Next steps" in lines
    assert lines[lines.index("## Next steps") + 2].startswith("1. Statistical and ML analysis: ")
    assert "- **Cross-functional alignment**: We share one target list in Salesforce; Marketing just adds to it." in lines


def test_report_of_one_file_with_dont_knows():
    out = icp("assess", "report", "sample_data/assessments/product.toml")
    assert out.returncode == 0, out.stderr
    assert "**Overall: Level 2 (Foundational)**" in out.stdout
    assert "27 of 27 questions answered; 8 \"don't know\"." in out.stdout
    assert "| Role of RevOps and Finance | – | 3 |" in out.stdout


def test_comparison_of_the_five_samples():
    out = icp("assess", "report", *SAMPLE_PATHS)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "# ICP Segmentation Maturity: 5 respondents compared"
    # overall levels: CS 1 (1 don't know), finance 1 (1), marketing 1, product 2 (8 don't know), sales 2
    assert lines[2:10] == [
        "| respondent | overall | don't know |",
        "|---|---|---|",
        "| Tom Becker (Customer Success) | Level 1 (Simple) | 1 |",
        "| Elena Rossi (Finance) | Level 1 (Simple) | 1 |",
        "| Priya Nair (Marketing) | Level 1 (Simple) | 0 |",
        "| Aiko Tanaka (Product) | Level 2 (Foundational) | 8 |",
        "| Marcus Lee (Sales) | Level 2 (Foundational) | 0 |",
        "",
    ]
    start = lines.index("## Where leaders disagree (2 levels or more apart)")
    # flagged: use_case (spread 3), then selection, metrics, alignment (spread 2, questionnaire order)
    assert lines[start + 1:start + 7] == [
        "",
        "- **Use case as a segment**: levels 1 to 4 (Tom Becker (Customer Success) 3, Elena Rossi (Finance) 1, "
        "Priya Nair (Marketing) 2, Aiko Tanaka (Product) 4, Marcus Lee (Sales) 2)",
        "- **Target account selection**: levels 1 to 3 (Tom Becker (Customer Success) 1, Elena Rossi (Finance) 1, "
        "Priya Nair (Marketing) 2, Aiko Tanaka (Product) 2, Marcus Lee (Sales) 3)",
        "- **Revenue and lifecycle metrics**: levels 2 to 4 (Tom Becker (Customer Success) 3, Elena Rossi (Finance) 4, "
        "Priya Nair (Marketing) 2, Aiko Tanaka (Product) 2, Marcus Lee (Sales) 2)",
        "- **Cross-functional alignment**: levels 1 to 3 (Tom Becker (Customer Success) 1, Elena Rossi (Finance) 2, "
        "Priya Nair (Marketing) 1, Aiko Tanaka (Product) 2, Marcus Lee (Sales) 3)",
        "",
    ]
    assert "## Levels by dimension" in lines
    assert "| Role of RevOps and Finance | 2 | 3 | 2 | – | 2 | 2 | 3 | 2 | 1 |" in lines
    assert [ln for ln in lines if ln.startswith("### ")] == [
        "### Use case as a segment", "### Target account selection", "### Revenue and lifecycle metrics",
        "### Cross-functional alignment"]


def test_report_to_a_file(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old content\n", encoding="utf-8")
    out = icp("assess", "report", *SAMPLE_PATHS, "-o", str(target))
    assert out.returncode == 0, out.stderr
    assert out.stdout == ""
    assert out.stderr == f"icp: report written to {target}\n"
    assert target.read_text(encoding="utf-8") == icp("assess", "report", *SAMPLE_PATHS).stdout
    assert [p.name for p in tmp_path.iterdir()] == ["report.md"]  # replaced in place, no temp file left


def test_missing_file():
    out = icp("assess", "report", "sample_data/assessments/nope.toml")
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr == "icp: error: sample_data/assessments/nope.toml: file not found\n"


def test_missing_file_among_several():
    out = icp("assess", "report", "sample_data/assessments/sales.toml", "nope.toml")
    assert (out.returncode, out.stdout, out.stderr) == (1, "", "icp: error: nope.toml: file not found\n")


def test_file_of_another_questionnaire(tmp_path):
    p = tmp_path / "other.toml"
    text = (ROOT / "sample_data/assessments/sales.toml").read_text(encoding="utf-8")
    p.write_text(text.replace('questionnaire = "icp-maturity"', 'questionnaire = "other-quiz"'), encoding="utf-8")
    out = icp("assess", "report", "sample_data/assessments/sales.toml", str(p))
    assert out.returncode == 1
    assert out.stdout == ""
    assert out.stderr == f"icp: error: {p}: made with questionnaire 'other-quiz', not 'icp-maturity'\n"


def test_bad_answer_in_a_file(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text('[assessment]\nquestionnaire = "icp-maturity"\n\n[answers]\n"data.inputs" = 7\n', encoding="utf-8")
    out = icp("assess", "report", str(p))
    assert out.returncode == 1
    assert out.stderr.count("\n") == 1
    assert out.stderr.startswith(f"icp: error: {p}")
    assert out.stderr.endswith("answers.data.inputs: must be a level 1-4 or 0 for don't know, not 7\n")


# -- the roadmap and progress between two rounds (figures by hand in test_maturity_roadmap.py) ------------------

def test_report_with_the_workshop_roadmap():
    out = icp("assess", "report", "-w", "sample_data")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "# ICP Segmentation Maturity: 5 respondents compared"  # the workshop's files, compared
    start = lines.index("## Roadmap")
    assert lines[start + 2:start + 7] == [
        "| dimension | now | target | owner | due | status |", "|---|---|---|---|---|---|",
        "| Revenue and lifecycle metrics | 2 | 3 (Developing) | Elena Rossi | 2027-03-31 | 1 to go |",
        "| Cross-functional alignment | 2 | 3 (Developing) | Marcus Lee | 2027-02-26 | 1 to go |",
        "| Measuring ICP execution | 2 | 3 (Developing) | Priya Nair | 2027-06-30 | 1 to go |"]


def test_report_without_files_or_workshop():
    out = icp("assess", "report")
    assert out.returncode == 2
    assert out.stderr.endswith("icp: error: name the answered files (icp assess report FILE...) or a workshop with -w DIR\n")


def test_progress_of_the_two_sample_rounds():
    out = icp("assess", "progress", "sample_data/assessments-2026-05", "--", "sample_data/assessments")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "# ICP Segmentation Maturity: progress between two rounds"
    assert "Then: 5 leaders, 2026-05-04. Now: 5 leaders, 2026-11-02." in lines
    assert "**Overall: Level 1 (Simple) then, Level 1 (Simple) now** (the median of the leaders' overall levels)." in lines
    table = lines[lines.index("| dimension | then | now | change |"):]
    # May 1 2 2 1 1 2 1 2 2, November 2 2 2 1 2 2 2 2 2 (medians of the leaders, rounded down)
    assert table[2:11] == [
        "| Target account selection | 1 | 2 | ▲ +1 |", "| Data behind the ICP | 2 | 2 | = |",
        "| Revenue and lifecycle metrics | 2 | 2 | = |", "| ICP refresh cadence | 1 | 1 | = |",
        "| Cross-functional alignment | 1 | 2 | ▲ +1 |", "| Role of RevOps and Finance | 2 | 2 | = |",
        "| Measuring ICP execution | 1 | 2 | ▲ +1 |", "| Use case as a segment | 2 | 2 | = |",
        "| Statistical and ML analysis | 2 | 2 | = |"]
    assert "- Moved down: none" in lines


def test_progress_against_the_workshop_roadmap(tmp_path):
    # -w: NEW defaults to the workshop's self-assessments, and the targets are shown; files may be given one by one
    old = [f"sample_data/assessments-2026-05/{n}.toml" for n in SAMPLES]
    out = icp("assess", "progress", "-w", "sample_data", *old, "-o", str(tmp_path / "p.md"))
    assert out.returncode == 0, out.stderr
    assert out.stderr == f"icp: progress written to {tmp_path / 'p.md'}\n"
    text = (tmp_path / "p.md").read_text(encoding="utf-8")
    assert "| Cross-functional alignment | 1 | 2 | ▲ +1 | 3 | Marcus Lee | 2027-02-26 | 1 to go |" in text
    assert "| Target account selection | 1 | 2 | ▲ +1 | – | – | – | |" in text
    assert "- Roadmap: 0 of 3 targets reached" in text


def test_progress_usage_errors(tmp_path):
    out = icp("assess", "progress", "sample_data/assessments")
    assert out.returncode == 2
    assert out.stderr.endswith("icp: error: give both rounds: icp assess progress OLD... -- NEW... (with -w the "
                               "workshop's self-assessments are NEW)\n")
    out = icp("assess", "progress", "a", "--", "b", "--bogus")
    assert out.returncode == 2
    assert out.stderr.endswith("icp: error: --bogus: not an option of icp assess progress (-w DIR, -o FILE, -q FILE)\n")
    out = icp("assess", "progress", "a", "--", "b", "-o")
    assert out.returncode == 2 and out.stderr.endswith("icp: error: -o needs a value, e.g. -o progress.md\n")
    out = icp("assess", "progress", "-o", "sample_data/assessments/sales.toml", "sample_data/assessments-2026-05", "--",
              "sample_data/assessments/sales.toml")
    assert out.returncode == 2 and "is one of the input files" in out.stderr


def test_progress_bad_inputs(tmp_path):
    out = icp("assess", "progress", "nope.toml", "--", "sample_data/assessments")
    assert (out.returncode, out.stdout, out.stderr) == (1, "", "icp: error: nope.toml: file not found\n")
    empty = tmp_path / "empty"
    empty.mkdir()
    out = icp("assess", "progress", str(empty), "--", "sample_data/assessments")
    assert out.returncode == 1
    assert out.stderr == (f"icp: skipped {empty}: no self-assessment files (*.toml) in this folder\n"
                          f"icp: error: no self-assessments in the earlier round ({empty})\n")
    bad = tmp_path / "roadmap-ws"
    bad.mkdir()
    (bad / "workshop.toml").write_text('[workshop]\nname = "x"\n', encoding="utf-8")
    (bad / "roadmap.toml").write_text('[metrics]\ntarget = 3\nowner = "A"\ndue = "soon"\n', encoding="utf-8")
    out = icp("assess", "progress", "-w", str(bad), "sample_data/assessments-2026-05", "--", "sample_data/assessments")
    assert (out.returncode, out.stdout) == (1, "")
    assert out.stderr == (f"icp: error: {bad / 'roadmap.toml'}:4: metrics.due: must be a date YYYY-MM-DD, "
                          "e.g. due = 2027-03-31, not 'soon'\n")
