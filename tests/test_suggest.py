"""Suggested weights and the time split (engine/suggest.py)."""

from __future__ import annotations

from fractions import Fraction
from math import comb
from pathlib import Path

import numpy as np
import pytest

from icp_tui.engine.alignment.overlap import deal_accounts
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.history.suggest import MIN_CLASS, NO_SIGNAL, fit_with, suggest_weights
from icp_tui.engine.history.validation import validate
from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.workshop.workspace import universe_of
from tests.test_validation import DEALS, FIT, SEED003, write


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    path = write(tmp_path_factory.mktemp("suggest"), "deals.csv", DEALS)
    deals = read_deals(path)
    return deals, Scorer(read_accounts(path)).score(ScorecardFile.open(SEED003).scorecard)


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    folder = tmp_path_factory.mktemp("sample")
    sc_path = folder / "scorecard.toml"
    sc_path.write_bytes(Path("sample_data/scorecard.toml").read_bytes())
    sf = ScorecardFile.open(sc_path)
    acc = read_accounts("sample_data/accounts.csv", sf.scorecard.column_map, sf.scorecard.units)
    deals = read_deals("sample_data/deals.csv")
    rows = deal_accounts(deals, universe_of(acc))
    scorer = Scorer(acc)
    f = deals.frame
    outcome, when = f["outcome"].astype(object).to_numpy(), f["closed"].to_numpy("datetime64[ns]")
    return sf, scorer, deals, rows, outcome, when


def test_fit_with_the_same_weights_is_the_fit(small):
    _, result = small
    assert fit_with(result, {}).tolist() == FIT


def test_fit_with_other_weights_by_hand(small):
    _, result = small
    # industry (criterion 3) at weight 2: the fit tops out at 20 + 20 + 30 + 5 = 75 points
    # D01 20+20+30+5 = 75 -> 100.0; D04 0+5+30+0 = 35 -> 46.7; D05 20+20+10+0 = 50 -> 66.7;
    # D07 20+20+0+2 = 42 -> 56.0; D11 0 -> 0.0
    fit = fit_with(result, {2: 2.0})
    assert [fit[i] for i in (0, 3, 4, 6, 10)] == [100.0, 46.7, 66.7, 56.0, 0.0]
    # only the deals asked for, same figures
    assert fit_with(result, {2: 2.0}, np.array([3, 6])).tolist() == [46.7, 56.0]
    # growth at weight 0: 20 + 20 + 15 = 55 points; D03 20+20+15 = 55 -> 100.0, D09 5+5+15 = 25 -> 45.5
    fit = fit_with(result, {3: 0.0})
    assert (fit[2], fit[8]) == (100.0, 45.5)


def test_too_few_of_a_class_is_a_message_not_a_crash(small):
    deals, result = small
    outcome = deals.frame["outcome"].astype(object).to_numpy()
    s = suggest_weights(result, outcome, np.arange(len(outcome)))  # 6 won, 7 lost: enough
    assert s.ok
    few = outcome.copy()
    few[[2, 4, 6]] = "lost"  # 3 wins left
    s = suggest_weights(result, few, np.arange(len(outcome)))
    assert not s.ok and s.weights == []
    assert s.message == f"needs at least {MIN_CLASS} won and {MIN_CLASS} lost deals with a known account (has 3 won, 10 lost)"


def test_sample_suggestion_improves_auc_and_fixes_the_checklist(sample):
    sf, scorer, deals, rows, outcome, when = sample
    result = scorer.score(sf.scorecard)
    v = validate(result, deals, rows)
    failing = [c.name for c in v.checklist if c.status != "pass"]
    # the sample scorecard fails two items: its weights, and 11 of the last 15 wins at 70+ (73% < 80%)
    assert failing == ["Weight follows predictive power", "Latest wins scoring 70+"]
    s = suggest_weights(result, outcome, rows, when)
    assert s.ok and s.deals == 320
    assert s.auc_suggested > s.auc_current + 0.01
    by_id = {w.criterion: w for w in s.weights}
    assert by_id["geography"].suggested == 0.0  # wins are spread evenly over countries
    assert by_id["tech_stack"].suggested > 1.0  # the stack predicts wins beyond the other ranges
    # the fit criteria keep (about: weights are rounded to 0.1) the points they had
    assert sum(w.suggested_points for w in s.weights) == pytest.approx(sum(w.current_points for w in s.weights), rel=0.05)
    # time split: fitted on the older deals, measured on the latest quarter only
    assert s.split["train"] + s.split["test"] == 320 and s.split["test"] > 20
    assert s.split["auc_suggested"] > s.split["auc_current"]
    for w in s.weights:
        sf.set_weight(w.criterion, w.suggested)
    after = validate(scorer.score(sf.scorecard), deals, rows)
    assert [c.status for c in after.checklist] == ["pass"] * 12  # 12 of the last 15 wins now score 70+
    assert after.auc == pytest.approx(s.auc_suggested)


# -- no signal, no suggestion to apply -------------------------------------------------------------

TWO_CRITERIA = """\
[[criteria]]
id = "industry"
label = "Industry"
category = "firmographic"
field = "industry"
buckets = [{ in = ["SaaS", "FinTech"], points = 10 }, { otherwise = true, points = 0 }]

[[criteria]]
id = "size"
label = "Company size"
category = "firmographic"
field = "employees"
buckets = [{ gte = 200, lte = 2000, points = 10 }, { otherwise = true, points = 0 }]
"""


def fisher_by_hand(a: int, b: int, c: int, d: int) -> Fraction:
    """Two-sided Fisher's exact p of [[a, b], [c, d]]: the hypergeometric tables no likelier than this one."""
    n_with, wins, n = a + b, a + c, a + b + c + d
    weight = lambda k: comb(wins, k) * comb(n - wins, n_with - k)  # noqa: E731
    ks = range(max(0, n_with - (n - wins)), min(n_with, wins) + 1)
    return Fraction(sum(weight(k) for k in ks if weight(k) <= weight(a)), comb(n, n_with))


def deal_set(tmp_path, rows: list[tuple[str, int, bool]]):
    """Deals that carry their account's fields: (industry, employees, won) per deal."""
    lines = ["Opportunity ID,Account Name,Stage,Industry,Employees"]
    lines += [f"D{i:03d},Acct {i},{'Closed Won' if won else 'Closed Lost'},{ind},{emp}" for i, (ind, emp, won) in enumerate(rows)]
    path = tmp_path / "deals.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    card = tmp_path / "card.toml"
    card.write_text(TWO_CRITERIA, encoding="utf-8")
    deals = read_deals(path)
    result = Scorer(read_accounts(path)).score(ScorecardFile.open(card).scorecard)
    outcome = deals.frame["outcome"].astype(object).to_numpy()
    return path, card, suggest_weights(result, outcome, np.arange(len(outcome)))


def by_table(industry: list[tuple[int, int]], size_every: int = 2) -> list[tuple[str, int, bool]]:
    """(won, lost) deals of SaaS and of Retail; every ``size_every``-th deal of each kind has 500 employees."""
    rows = []
    for ind, (won, lost) in zip(("SaaS", "Retail"), industry):
        for k, w in enumerate([True] * won + [False] * lost):
            rows.append((ind, 500 if k % size_every == 0 else 20, w))
    return rows


def test_a_real_signal_by_hand(tmp_path):
    # Industry: SaaS 9 won 1 lost, Retail 1 won 9 lost. Size (500 employees for the even deals of each kind):
    # SaaS wins 0,2,4,6,8 and Retail's win 0 -> 6 wins; Retail losses 2,4,6,8 -> 4 losses: [[6, 4], [4, 6]]
    _, _, s = deal_set(tmp_path, by_table([(9, 1), (1, 9)]))
    ind, size = s.tests
    assert (ind.won_with, ind.lost_with, ind.won_without, ind.lost_without) == (9, 1, 1, 9)
    assert (size.won_with, size.lost_with, size.won_without, size.lost_without) == (6, 4, 4, 6)
    # P(9) + P(10) on each side: 2 x (10 x 10 + 1) / C(20, 10) = 202 / 184,756
    assert fisher_by_hand(9, 1, 1, 9) == Fraction(202, 184756)
    assert ind.p_value == pytest.approx(202 / 184756, rel=1e-9)
    assert size.p_value == pytest.approx(121252 / 184756, rel=1e-9)  # as in test_no_signal_by_hand
    # Bonferroni over 2 criteria: 0.00109 <= 0.025
    assert s.signal and s.applicable and s.caution == ""
    assert s.signal_text() == ("Fisher's exact test of each criterion's full points against won/lost, 2 criteria: "
                               "the strongest, Industry, has p = 0.0011 (beyond chance: p ≤ 0.025)")


def test_no_signal_by_hand(tmp_path):
    # Industry 6-4 against 4-6: every table but the 5-5 one is as likely or less,
    # p = (C(20, 10) - C(10, 5)^2) / C(20, 10) = (184,756 - 63,504) / 184,756 = 121,252 / 184,756 = 0.656
    _, _, s = deal_set(tmp_path, by_table([(6, 4), (4, 6)], size_every=2))
    ind, size = s.tests
    assert fisher_by_hand(6, 4, 4, 6) == Fraction(121252, 184756)
    assert ind.p_value == pytest.approx(121252 / 184756, rel=1e-9)
    # size: SaaS wins 0,2,4 and losses 6,8 have 500 employees, Retail wins 0,2 and losses 4,6,8 -> [[5, 5], [5, 5]]
    assert (size.won_with, size.lost_with, size.won_without, size.lost_without) == (5, 5, 5, 5)
    assert size.p_value == pytest.approx(1.0)
    assert s.ok and s.weights  # the weights are still computed and shown ...
    assert not s.signal and not s.applicable  # ... but not offered
    assert s.caution == NO_SIGNAL == ("the deal history shows no criterion that separates wins from losses beyond "
                                      "chance: these weights are fitted to noise; keep the current ones")


def random_deals(seed: int, n: int, signal: bool) -> list[tuple[str, int, bool]]:
    rng = np.random.default_rng(seed)
    industry = rng.choice(["SaaS", "FinTech", "Retail", "Energy"], n)
    employees = rng.integers(10, 5000, n)
    p_win = np.where(np.isin(industry, ["SaaS", "FinTech"]), 0.6, 0.15) if signal else np.full(n, 0.35)
    won = rng.random(n) < p_win
    return list(zip(industry.tolist(), employees.tolist(), won.tolist()))


def test_random_outcomes_have_no_signal(tmp_path):
    rows = random_deals(2024, 200, signal=False)
    _, _, s = deal_set(tmp_path, rows)
    for t in s.tests:  # the engine's tables are the deals' own, and its p-values Fisher's
        assert t.p_value == pytest.approx(float(fisher_by_hand(t.won_with, t.lost_with, t.won_without, t.lost_without)), rel=1e-9)
    ind = s.tests[0]
    saas = [w for i, _, w in rows if i in ("SaaS", "FinTech")]
    assert (ind.won_with, ind.lost_with) == (sum(saas), len(saas) - sum(saas))
    # seed 2024: industry [[37, 78], [38, 47]] p = 0.078, size [[29, 47], [46, 78]] p = 0.88; both above 0.05 / 2
    assert [(t.won_with, t.lost_with, t.won_without, t.lost_without) for t in s.tests] == [(37, 78, 38, 47), (29, 47, 46, 78)]
    assert min(t.p_value for t in s.tests) > 0.05 / 2
    assert (s.ok, s.signal, s.applicable) == (True, False, False)


def test_outcomes_that_follow_a_criterion_have_a_signal(tmp_path):
    _, _, s = deal_set(tmp_path, random_deals(2024, 200, signal=True))
    # seed 2024: industry [[67, 48], [18, 67]] p = 1.4e-7, far below 0.05 / 2; size [[32, 44], [53, 71]] p = 1
    assert [(t.won_with, t.lost_with, t.won_without, t.lost_without) for t in s.tests] == [(67, 48, 18, 67), (32, 44, 53, 71)]
    assert s.tests[0].p_value == pytest.approx(float(fisher_by_hand(67, 48, 18, 67)), rel=1e-9)
    assert s.tests[0].p_value < 0.05 / 2
    assert (s.ok, s.signal, s.applicable) == (True, True, True)


def test_cli_says_the_weights_are_fitted_to_noise(tmp_path, capsys):
    from icp_tui.cli.main import main

    path, card, s = deal_set(tmp_path, by_table([(6, 4), (4, 6)]))
    main(["validate", "-s", str(card), "-d", str(path)])
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("Suggested weights (logistic regression, L2, on bucket indicators; 20 closed deals)")
    block = lines[start:lines.index("", start)]
    assert block[-2:] == [
        "  Fisher's exact test of each criterion's full points against won/lost, 2 criteria: the strongest, "
        "Industry, has p = 0.66 (beyond chance: p ≤ 0.025)",
        "  NOT AN IMPROVEMENT: the deal history shows no criterion that separates wins from losses beyond chance: "
        "these weights are fitted to noise; keep the current ones",
    ]
    assert [line.split()[0] for line in block[2:4]] == ["Industry", "Company"]


def test_sample_history_has_a_signal(sample):
    sf, scorer, deals, rows, outcome, when = sample
    s = suggest_weights(scorer.score(sf.scorecard), outcome, rows, when)
    assert s.signal and s.applicable
    # Sales territory (the criterion the checklist flags) is the one without a signal of its own
    assert [t.criterion for t in s.tests if t.p_value > 0.05 / len(s.tests)] == ["geography"]
