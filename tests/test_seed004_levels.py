"""The four levels of seed 004 (the ICP Segmentation Maturity Model), answered as the seed describes them.

For every question of the bundled questionnaire, SEED holds four short fragments of the seed, one per level:
the sentence the answer at that level follows. An organisation the seed describes at Level n answers every
question at n, and must come out at Level n: not lower (the Level 3 organisation still lacks lifetime
economics, which the gate must not punish), not higher. A question added to the questionnaire without its
four seed sentences fails ``test_every_question_follows_the_seed``.
"""

from __future__ import annotations

import pytest

from icp_tui.engine.maturity.assessment import Response, score
from icp_tui.engine.maturity.questionnaire import default_questionnaire

# question id -> the seed's words for levels 1, 2, 3, 4 (fragments of sentences in seed 004)
SEED = {
    "selection.basis": (
        "individual reps self-select accounts based on personal relationships and comfort zone",
        "each team builds its own list based on its own criteria with limited cross-team coordination",
        "ABM strategies replace or significantly supplement traditional demand generation, with shared target account lists",
        "cross-functional stakeholders are involved in account selection, producing a unified TAL"),
    "selection.growth": (
        "either broaden the market ... or attempt to increase average sales price by moving up-market",
        "segmentation tends to remain anchored in historical deal performance metrics (win rates, deal size)",
        "ABM strategies informed by aggregate pipeline metrics — win rates, ACV, sales cycle length",
        "segment discovery is powered by CLV and CAC analysis"),
    "selection.tam": (
        "Some confuse ICP with Total Addressable Market",
        "Begin incorporating basic segmentation by industry, company size, and geography",
        "the ICP at Level 3 is typically too broad",
        "which accounts within that population are most likely to produce strong NRR"),
    "selection.abm": (
        "broad, top-of-funnel strategies focused primarily on engagement metrics",
        "Target account selection is manual and function-specific",
        "investing in the ABM platform infrastructure required to execute account-specific programs at scale",
        "a unified TAL that is the foundation for all demand generation and ABM strategies"),
    "data.inputs": (
        "based primarily on qualitative input from sales leadership and executive staff",
        "companies begin incorporating firmographic data — industry classification, revenue bands, sales regions",
        "ICP segmentation incorporates firmographics, technographics, and sales performance data",
        "financial metrics like CLV, CAC, and NRR alongside firmographic and technographic attributes"),
    "data.enrichment": (
        "little connection to data-backed customer insights",
        "Adding more data to account records without a rationalized, prioritized approach ... data overload",
        "incorporating pipeline efficiency metrics like win rates and average deal size to refine account selection",
        "which attributes actually predict revenue performance"),
    "data.quality": (
        "neither model grounded in the financial performance data",
        "CRM hygiene (ensuring clean, structured data for accurate pipeline reporting)",
        "Break down data silos and increase collaboration between RevOps, sales, and marketing",
        "combines financial, firmographic, and technographic data"),
    "data.signals": (
        "focused primarily on engagement metrics — email opens, clicks, MQL volume",
        "ICP segmentation does not incorporate behavioral or technographic insights",
        "Some organizations at this stage begin integrating behavioral data and intent signals",
        "dynamic, continuously updated segments that evolve with market conditions"),
    "metrics.sales": (
        "engagement metrics — email opens, clicks, MQL volume",
        "historical deal performance metrics (win rates, deal size)",
        "aggregate pipeline metrics — win rates, ACV, sales cycle length",
        "financial metrics — customer lifetime value (CLV), customer acquisition cost (CAC)"),
    "metrics.revenue": (
        "No revenue metric; ICP episodic and disconnected from GTM execution",
        "rather than incorporating the forward-looking financial metrics (LTV, NRR, expansion potential)",
        "but lacks financial lifecycle metrics",
        "ICP segment discovery is AI-driven and powered by financial metrics — CLV, CAC, NRR"),
    "metrics.expansion": (
        "stalled expansion from the absence of segment-level intelligence",
        "is not connected to customer retention or expansion data",
        "ICP too broad; lacks CLV/NRR/expansion data",
        "Incorporate financial performance data — CLV, LTV:CAC, NRR, expansion rates, churn patterns"),
    "refresh.cadence": (
        "defined once every few years with little relationship to day-to-day go-to-market planning",
        "defined once in the annual GTM planning cycle",
        "rather than relying on annual ICP refresh cycles",
        "ICP segments are dynamic and continuously updated as new customer performance data flows in"),
    "refresh.planning": (
        "exists, if at all, in a sales kickoff deck that is rarely referenced between kickoffs",
        "ICP work is disconnected from annual GTM planning (the Level 1 trait Level 2 leaves behind)",
        "RevOps operates as a strategic function with increasing influence over GTM planning",
        "segment maintenance is continuous, not annual"),
    "alignment.definition": (
        "each team operating from a different implicit model of the ideal customer",
        "Align cross-functional teams around shared definitions ... even if ... still primarily firmographic",
        "Marketing-sales alignment is improving but incomplete",
        "a continuously operating ... ICP intelligence system that every GTM function executes from"),
    "alignment.pipeline": (
        "Marketing defends its lead generation strategy and Sales defends its own target account list",
        "sales process standardization (establishing repeatable workflows ... how deals are qualified)",
        "sales continues to pursue out-of-ICP accounts because confidence in the defined ICP is not yet high enough",
        "hold the GTM organization accountable to the ICP in its daily execution"),
    "alignment.tal": (
        "Target account selection is ad hoc or non-existent",
        "each team builds its own list based on its own criteria",
        "with shared target account lists",
        "resulting in a unified TAL"),
    "revops_finance.revops": (
        "(no RevOps function is named at Level 1: the work rests on sales leadership and executives)",
        "Companies at this stage frequently introduce small RevOps functions",
        "companies begin treating RevOps as a strategic function rather than a tactical support role",
        "Build the collaboration between Finance and RevOps required to connect financial business objectives"),
    "revops_finance.finance": (
        "neither grounded in the financial performance data that would resolve the disagreement",
        "anchored in historical deal performance metrics ... rather than ... forward-looking financial metrics",
        "still anchored primarily in acquisition metrics rather than lifecycle financial metrics",
        "connect financial business objectives to ICP targeting criteria"),
    "revops_finance.forecast": (
        "Misalignment between sales, marketing, and customer success produces inconsistent forecasting",
        "Revenue forecasting remains inconsistent due to siloed data and role-driven prioritization strategies",
        "Marketing-sales alignment is improving but incomplete; sales continues to pursue out-of-ICP accounts",
        "the integration of financial performance evidence into the ICP definition at every stage"),
    "measurement.campaigns": (
        "focused primarily on engagement metrics — email opens, clicks, MQL volume",
        "low MQL-to-SQL conversion rates as marketing and sales target different customer profiles",
        "Marketing shifts toward ABM strategies informed by aggregate pipeline metrics",
        "run highly targeted campaigns based on ICP segments that factor in financial metrics"),
    "measurement.coverage": (
        "ICP episodic and disconnected from GTM execution",
        "accurate pipeline reporting",
        "Begin implementing a CAPDB ... that enables ongoing measurement of ICP execution performance",
        "targeting 50% of the open (new business) pipeline and 70% of closed-won opportunities"),
    "measurement.database": (
        "little connection to data-backed customer insights",
        "CRM hygiene (ensuring clean, structured data for accurate pipeline reporting)",
        "build CAPDB foundation (the Level 3 advancement step: not built yet)",
        "a Customer and Prospect Database (CAPDB) running parallel to the CRM"),
    "measurement.response": (
        "Both are right that the other's list is wrong — and neither has the data to prove why",
        "Sales is pursuing accounts that Marketing is not supporting",
        "something is still not working as well as it should",
        "if actual pipeline coverage falls below target, it signals that either the TAL is not being actively "
        "engaged, the demand generation motion is reaching outside the ICP, or the ICP definition itself needs "
        "to be revisited"),
    "use_case.capture": (
        "without vertical, use case, or behavioral differentiation",
        "Most organizations capture the general category of the deal but not the specific use case",
        "Building the discipline to capture and maintain use case data ... at the Level 3 to Level 4 transition",
        "Use case data is incorporated as a precision ICP attribute when available"),
    "use_case.segments": (
        "ICP definitions are based primarily on company size alone",
        "categorize accounts more effectively based on verticals, revenue tiers, and geographic territories",
        "Firmographics, technographics, sales performance metrics, early ABM (use case not yet an input)",
        "sometimes revealing that use case is the primary ICP segmentation dimension"),
    "analytics.method": (
        "ICP definitions that are largely intuition-based",
        "Begin incorporating basic segmentation by industry, company size, and geography",
        "integration of firmographic, technographic, and sales performance metrics",
        "machine learning models analyze sales and finance metrics to surface patterns"),
    "analytics.segments": (
        "ICP definitions are based primarily on company size alone",
        "segmentation enables GTM teams to categorize accounts ... verticals, revenue tiers",
        "the ICP at Level 3 is typically too broad",
        "dynamic, continuously updated segments"),
}


@pytest.fixture(scope="module")
def q():
    return default_questionnaire()


def test_every_question_follows_the_seed(q):
    assert set(SEED) == {x.id for x in q.questions}
    for qid, quotes in SEED.items():
        assert len(quotes) == 4 and all(quotes), qid


@pytest.mark.parametrize("level", [1, 2, 3, 4])
def test_the_seed_level_is_the_level(q, level):
    # every answer the one the seed's description of this level follows: every dimension floor(n*k/k) = n;
    # the second-lowest of nine n's is n; the gate (cap 3 unless metrics.revenue >= 4) is open at 4 and does not
    # bite at 1-3 (n <= 3)
    r = Response.new(q, f"Level {level} organisation")
    r.answers = dict.fromkeys(SEED, level)
    res = score(q, r)
    assert [d.level for d in res.dimensions] == [level] * 9
    assert (res.level, res.uncapped, res.capped_by, res.dont_know) == (level, level, [], 0)
    assert q.level(level).name == ("Simple", "Foundational", "Developing", "Strategic")[level - 1]


def test_level_three_organisation_with_early_intent_data_is_three(q):
    # seed 004, Level 3: "Some organizations at this stage begin integrating behavioral data and intent signals":
    # one that has not yet (data.signals at 2) is still Level 3: data 3, 3, 3, 2 -> floor(11/4) = 2; sorted 2 3 x8 -> 3
    r = Response.new(q, "Level 3, no intent data yet")
    r.answers = dict.fromkeys(SEED, 3) | {"data.signals": 2}
    res = score(q, r)
    assert (res.level_of("data"), res.level, res.capped_by) == (2, 3, [])
    assert [d.dimension.id for d in res.gap][0] == "data"  # the lowest dimension leads the gap to Level 4


def test_level_four_practice_without_lifetime_economics_stays_three(q):
    # seed 004: Level 4 is "powered by financial metrics — CLV, CAC, NRR"; everything else at 4 but metrics.revenue
    # at 3 ("Not yet"): metrics 4, 3, 4 -> 3; sorted 3 4 x8 -> uncapped 4; the gate caps at 3
    r = Response.new(q, "Level 4 but CLV/CAC/NRR")
    r.answers = dict.fromkeys(SEED, 4) | {"metrics.revenue": 3}
    res = score(q, r)
    assert (res.uncapped, res.level, [g.id for g in res.capped_by]) == (4, 3, ["revenue_metric"])
