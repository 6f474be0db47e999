"""The three workbenches: their names, what each is for, and how to open one."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import App


@dataclass(frozen=True)
class WorkbenchInfo:
    key: str
    number: int
    title: str
    question: str
    summary: str


WORKBENCHES = (
    WorkbenchInfo(
        "maturity", 1, "Maturity",
        "Where does our ICP practice stand?",
        "Each leader answers a short questionnaire on the four-level model (Simple, Foundational, "
        "Developing, Strategic); the room sees where leaders disagree, the key gap and the next steps.",
    ),
    WorkbenchInfo(
        "alignment", 2, "Alignment",
        "Whose target list is right?",
        "Sales, Marketing, Customer Success, Product and Finance each propose accounts; the lists are "
        "matched, compared and scored with the shared scorecard, and the room agrees one target list.",
    ),
    WorkbenchInfo(
        "scorecard", 3, "Scorecard",
        "Does our scorecard predict revenue?",
        "Edit criteria, points, weights, bands and anti-personas with a live preview, check them "
        "against won and lost deals, and find the segments that win, pay and stay.",
    ),
)


def workbench(key: str) -> WorkbenchInfo:
    return next(w for w in WORKBENCHES if w.key == key)


def open_workbench(app: App, key: str) -> None:
    while len(app.screen_stack) > 2:  # workbenches open from home, never stack on each other
        app.pop_screen()
    if key == "maturity":
        app.push_screen(maturity_screen(app.workshop))  # type: ignore[attr-defined]
        return
    if key == "alignment":
        from icp_tui.tui.screens.alignment.workbench import AlignmentScreen

        app.push_screen(AlignmentScreen(app.workshop))  # type: ignore[attr-defined]
        return
    if key == "scorecard":
        from icp_tui.tui.screens.scorecard.editor import ScorecardScreen

        app.push_screen(ScorecardScreen(app.workshop))  # type: ignore[attr-defined]
        return
    raise ValueError(f"no workbench {key!r}")


def maturity_screen(workshop):
    """The facilitator's comparison of the workshop's self-assessments."""
    from icp_tui.engine.maturity.assessment import load_responses
    from icp_tui.engine.maturity.questionnaire import default_questionnaire
    from icp_tui.tui.screens.maturity.compare import CompareScreen

    folder = workshop.file("assessments") or workshop.root / "assessments"
    q = default_questionnaire()
    responses, problems = load_responses(folder, q)
    return CompareScreen(q, responses, folder, problems)
