"""The engine objects one workshop needs at once: accounts, their scores, deals, the universe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icp_tui.engine.alignment.lists import FunctionList
from icp_tui.engine.alignment.matching import Universe
from icp_tui.engine.alignment.overlap import Alignment, align
from icp_tui.engine.core.accounts import AccountFrame, read_accounts
from icp_tui.engine.history.deals import DealFrame, read_deals
from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.engine.scorecard.results import ScoreResult
from icp_tui.engine.scorecard.scoring import Scorer


@dataclass
class Context:
    accounts: AccountFrame | None
    scorecard: ScorecardFile | None
    scores: ScoreResult | None
    deals: DealFrame | None
    universe: Universe

    def align(self, lists: list[FunctionList], decisions: dict[str, str | None] | None = None) -> Alignment:
        return align(lists, self.universe, scores=self.scores, deals=self.deals, decisions=decisions)


def universe_of(accounts: AccountFrame | None) -> Universe:
    if accounts is None:
        return Universe.build([], [], [])
    col = lambda f: accounts.raw(f).to_pylist() if accounts.has(f) else [""] * len(accounts)  # noqa: E731
    ids = col("account_id") if accounts.has("account_id") else [str(i + 1) for i in range(len(accounts))]
    return Universe.build(ids, col("name"), col("domain"))


def load_context(accounts: str | Path | None, scorecard: str | Path | None, deals: str | Path | None) -> Context:
    sf = ScorecardFile.open(scorecard) if scorecard else None
    acc = None
    if accounts:
        acc = read_accounts(accounts, sf.scorecard.column_map if sf else None, sf.scorecard.units if sf else None)
    scores = Scorer(acc).score(sf.scorecard) if (acc is not None and sf) else None
    d = read_deals(deals) if deals else None
    return Context(acc, sf, scores, d, universe_of(acc))
