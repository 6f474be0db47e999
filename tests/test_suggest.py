"""Suggested weights and the time split (engine/suggest.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from icp_tui.engine.alignment.overlap import deal_accounts
from icp_tui.engine.core.accounts import read_accounts
from icp_tui.engine.history.deals import read_deals
from icp_tui.engine.history.suggest import MIN_CLASS, fit_with, suggest_weights
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
    assert failing == ["Weight follows predictive power"]  # the starter scorecard fails one item
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
    assert [c.status for c in after.checklist] == ["pass"] * 5
    assert after.auc == pytest.approx(s.auc_suggested)
