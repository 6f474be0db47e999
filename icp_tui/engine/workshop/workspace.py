"""The engine objects one workshop needs at once: accounts, their scores, deals, the universe."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from icp_tui.engine.alignment.lists import FunctionList
from icp_tui.engine.alignment.matching import Universe
from icp_tui.engine.alignment.overlap import Alignment, align
from icp_tui.engine.core.accounts import AccountFrame
from icp_tui.engine.history.deals import DealFrame
from icp_tui.engine.scorecard.file import ScorecardFile
from icp_tui.engine.scorecard.results import ScoreResult
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.workshop.imports import read_accounts_with, read_deals_with
from icp_tui.engine.workshop.manifest import Workshop


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


def load_context(accounts: str | Path | None, scorecard: str | Path | None, deals: str | Path | None,
                 workshop: Workshop | None = None, deals_map: dict[str, str] | None = None) -> Context:
    """The files read with the workshop's ``[import]`` settings (when given) and the scorecard's."""
    sf = ScorecardFile.open(scorecard) if scorecard else None
    imports = workshop.settings if workshop else (lambda section: None)
    acc = read_accounts_with(accounts, imports("accounts"), sf.scorecard if sf else None) if accounts else None
    scores = Scorer(acc).score(sf.scorecard) if (acc is not None and sf) else None
    d = read_deals_with(deals, imports("deals"), deals_map) if deals else None
    return Context(acc, sf, scores, d, universe_of(acc))
