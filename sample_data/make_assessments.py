"""Write the sample workshop's five self-assessments (one per function), deterministically.

The leaders disagree the way leaders do: Sales believes the lists are aligned, Marketing and
Customer Success do not; Finance tracks lifetime value and acquisition cost that nobody else
uses; Product cares about use case and does not know how execution is measured.
An earlier round, six months before, goes to ``assessments-2026-05/``: the same leaders answering version 1
of the questionnaire (without its four later questions), a level lower where the room has moved since.
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
# Answers set one by one, where the wander would not be what this leader says: the questions of version 2
# (ICP against TAM, ABM, behaviour and intent signals, forecasts) and Customer Success's lifetime economics,
# which CS tracks but which do not shape the segments (its note says so).
ANSWERS = {
    "sales": {"selection.tam": 2, "selection.abm": 3, "data.signals": 2, "revops_finance.forecast": 2},
    "marketing": {"selection.tam": 2, "selection.abm": 2, "data.signals": 3, "revops_finance.forecast": 1},
    "customer_success": {"selection.tam": 1, "selection.abm": 1, "data.signals": 0, "revops_finance.forecast": 1,
                         "metrics.revenue": 3},
    "product": {"selection.tam": 2, "selection.abm": 0, "data.signals": 2},
    "finance": {"selection.tam": 1, "selection.abm": 1, "data.signals": 0, "revops_finance.forecast": 2},
}
NOTES = {
    "sales": {"alignment": "We share one target list in Salesforce; Marketing just adds to it."},
    "marketing": {"alignment": "Sales works its own named accounts; our campaigns target a different list.",
                  "data": "We enrich with technographics from our intent provider."},
    "customer_success": {"metrics": "We track NRR and churn by segment every month, but nobody upstream uses it."},
    "product": {"use_case": "Revenue analytics buyers stay and expand; forecasting-only buyers churn."},
    "finance": {"metrics": "Finance ranks segments by CLV and CAC per cohort; sales and marketing have yet to use it."},
}


# The earlier round: per leader the dimensions that were a level lower in May (none goes below 1).
EARLIER = {
    "sales": ("selection", "alignment", "measurement"),
    "marketing": ("data", "selection", "revops_finance"),
    "customer_success": ("metrics", "data", "measurement"),
    "product": ("use_case", "alignment", "data"),
    "finance": ("revops_finance", "alignment", "measurement"),
}
VERSION_2 = ("selection.tam", "selection.abm", "data.signals", "revops_finance.forecast")


def main() -> None:
    q = load_questionnaire(HERE.parent / "assessments" / "icp-maturity.toml")
    for folder, date, lower in (("assessments", "2026-11-02", {}), ("assessments-2026-05", "2026-05-04", EARLIER)):
        out = HERE / folder
        out.mkdir(exist_ok=True)
        for key, (name, function, view) in VIEWS.items():
            r = Response.new(q, name, function, "Northwind Analytics")
            r.date = date
            for d in q.dimensions:
                centre = view[d.id] and max(1, view[d.id] - (d.id in lower.get(key, ())))
                for j, question in enumerate(d.questions):
                    r.answers[question.id] = 0 if centre == 0 else max(1, min(4, centre + WANDER[j % len(WANDER)]))
                    if not lower:
                        r.answers[question.id] = ANSWERS.get(key, {}).get(question.id, r.answers[question.id])
            if lower:  # answered with version 1, before the four later questions
                r.questionnaire_version = 1
                for qid in VERSION_2:
                    r.answers.pop(qid, None)
            else:
                r.notes = dict(NOTES.get(key, {}))
            save_response(r, out / f"{key}.toml")


if __name__ == "__main__":
    main()
