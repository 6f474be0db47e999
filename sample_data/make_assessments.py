"""Write the sample workshop's five self-assessments (one per function), deterministically.

The leaders disagree the way leaders do: Sales believes the lists are aligned, Marketing and
Customer Success do not; Finance tracks lifetime value and acquisition cost that nobody else
uses; Product cares about use case and does not know how execution is measured.
Run: python sample_data/make_assessments.py (after changing the questionnaire's questions).
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from icp_tui.engine.maturity.assessment import Response, save_response  # noqa: E402
from icp_tui.engine.maturity.questionnaire import load_questionnaire  # noqa: E402

# Each leader's view per dimension: the level their answers centre on (0 = don't know).
VIEWS = {
    "sales": ("Marcus Lee", "Sales", {
        "selection": 3, "data": 2, "metrics": 2, "refresh": 2, "alignment": 3, "revops_finance": 2,
        "measurement": 2, "use_case": 2, "analytics": 1}),
    "marketing": ("Priya Nair", "Marketing", {
        "selection": 2, "data": 3, "metrics": 2, "refresh": 1, "alignment": 1, "revops_finance": 2,
        "measurement": 1, "use_case": 2, "analytics": 2}),
    "customer_success": ("Tom Becker", "Customer Success", {
        "selection": 1, "data": 2, "metrics": 3, "refresh": 1, "alignment": 1, "revops_finance": 2,
        "measurement": 2, "use_case": 3, "analytics": 1}),
    "product": ("Aiko Tanaka", "Product", {
        "selection": 2, "data": 2, "metrics": 2, "refresh": 2, "alignment": 2, "revops_finance": 0,
        "measurement": 0, "use_case": 4, "analytics": 2}),
    "finance": ("Elena Rossi", "Finance", {
        "selection": 1, "data": 2, "metrics": 4, "refresh": 1, "alignment": 2, "revops_finance": 3,
        "measurement": 2, "use_case": 1, "analytics": 2}),
}
# Answers wander around the centre the same way for everyone: question 1 at it, 2 one above, 3 at it...
WANDER = (0, 1, 0, -1)
NOTES = {
    "sales": {"alignment": "We share one target list in Salesforce; Marketing just adds to it."},
    "marketing": {"alignment": "Sales works its own named accounts; our campaigns target a different list.",
                  "data": "We enrich with technographics from our intent provider."},
    "customer_success": {"metrics": "We track NRR and churn by segment every month, but nobody upstream uses it."},
    "product": {"use_case": "Revenue analytics buyers stay and expand; forecasting-only buyers churn."},
    "finance": {"metrics": "Finance has CLV and CAC by cohort; it has never been part of the ICP discussion."},
}


def main() -> None:
    q = load_questionnaire(HERE.parent / "assessments" / "icp-maturity.toml")
    out = HERE / "assessments"
    out.mkdir(exist_ok=True)
    for key, (name, function, view) in VIEWS.items():
        r = Response.new(q, name, function, "Northwind Analytics")
        r.date = "2026-11-02"
        for d in q.dimensions:
            centre = view[d.id]
            for j, question in enumerate(d.questions):
                r.answers[question.id] = 0 if centre == 0 else max(1, min(4, centre + WANDER[j % len(WANDER)]))
        r.notes = dict(NOTES.get(key, {}))
        save_response(r, out / f"{key}.toml")


if __name__ == "__main__":
    main()
