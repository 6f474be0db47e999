"""The ICP scorecard as a model: criteria and their buckets, bands, anti-personas and exclusions.

Read from TOML by :mod:`icp_tui.engine.scorecard.file`; frozen, so a scorer can cache by them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from icp_tui.engine.core.conditions import Matcher

#: Signal categories (seed 000): the first four describe who the account is and make the fit score;
#: buying signals say when (timing score); qualification says whether a deal is worth it.
FIT_CATEGORIES = ("firmographic", "technographic", "geographic", "use_case")
CATEGORIES = FIT_CATEGORIES + ("buying_signal", "qualification")
SCORE_OF_CATEGORY = dict.fromkeys(FIT_CATEGORIES, "fit") | {"buying_signal": "timing", "qualification": "qualification"}


@dataclass(frozen=True)
class Bucket:
    matcher: Matcher
    points: float
    label: str = ""

    @property
    def text(self) -> str:
        return self.label or self.matcher.describe()


@dataclass(frozen=True)
class Criterion:
    id: str
    label: str
    category: str
    field: str
    buckets: tuple[Bucket, ...]
    weight: float = 1.0
    max_points_claim: float | None = None

    @property
    def best_points(self) -> float:
        return max((b.points for b in self.buckets), default=0.0)

    @property
    def max_points(self) -> float:
        """The most this criterion can add to its score (best bucket times weight)."""
        return max(self.best_points, 0.0) * self.weight

    @property
    def score(self) -> str:
        return SCORE_OF_CATEGORY[self.category]


@dataclass(frozen=True)
class Band:
    min: float
    label: str
    tier: str = ""
    action: str = ""


#: Seed 003's bands: 85-100 strong, 70-84 good, 55-69 possible, 40-54 weak, below 40 poor.
DEFAULT_BANDS = (
    Band(85, "Strong fit", "Tier 1", "Prioritise: high chance to close"),
    Band(70, "Good fit", "Tier 2", "Pursue actively; watch for buying signals"),
    Band(55, "Possible fit", "Tier 3", "Qualify hard; ask for proof of fit before a proposal"),
    Band(40, "Weak fit", "Nurture", "Only with spare outbound capacity"),
    Band(0, "Poor fit", "Pass", "Recycle or pass"),
)


@dataclass(frozen=True)
class TimingBand:
    """A band of the timing score (0-100, from buying signals): how soon to reach out; the first is 1."""

    min: float
    label: str
    action: str = ""


#: Timing bands when a scorecard has none, as a share of the most the buying signals can give:
#: 60+ is a strong signal on its own (surging intent), 30-59 one weaker signal, below 30 little or none.
DEFAULT_TIMING_BANDS = (
    TimingBand(60, "Now", "Reach out this week: the account is in market"),
    TimingBand(30, "Soon", "Warm up: sequence it and watch for a stronger signal"),
    TimingBand(0, "Later", "No buying signal yet: keep in nurture"),
)


@dataclass(frozen=True)
class Rule:
    """An anti-persona or a hard exclusion: named conditions joined by all or any."""

    name: str
    reason: str
    join: str
    conditions: tuple[Matcher, ...]


@dataclass(frozen=True)
class Scorecard:
    name: str
    version: str
    criteria: tuple[Criterion, ...]
    bands: tuple[Band, ...] = DEFAULT_BANDS
    timing_bands: tuple[TimingBand, ...] = DEFAULT_TIMING_BANDS
    anti_personas: tuple[Rule, ...] = ()
    exclusions: tuple[Rule, ...] = ()
    fit_categories: tuple[str, ...] = FIT_CATEGORIES
    description: str = ""
    column_map: dict[str, str] = field(default_factory=dict)
    units: dict[str, float] = field(default_factory=dict)
    total_points_claim: float | None = None
    validated: date | None = None  # [scorecard] validated: when it was last checked against deal history
    validated_with: str = ""  # what that check found, e.g. "10 of 12 checks passed, AUC 0.862, 320 closed deals"

    def score_of(self, criterion: Criterion) -> str:
        """Which score a criterion counts in: fit, timing or qualification."""
        if criterion.category in self.fit_categories:
            return "fit"
        return SCORE_OF_CATEGORY[criterion.category]

    def empty_scores(self) -> list[str]:
        """Scores (fit, timing, qualification) that have criteria but can never be above 0: every one
        weighs 0 or gives no positive points, so the score is empty for every account."""
        have: dict[str, float] = {}
        for c in self.criteria:
            have[self.score_of(c)] = have.get(self.score_of(c), 0.0) + c.max_points
        return [s for s, total in have.items() if total <= 0]

    def criterion(self, cid: str) -> Criterion:
        for c in self.criteria:
            if c.id == cid:
                return c
        raise KeyError(cid)

    def fields(self) -> list[str]:
        """Every account field the scorecard reads, in order of first use."""
        out: list[str] = []
        for f in [c.field for c in self.criteria] + [m.field for r in self.anti_personas + self.exclusions for m in r.conditions]:
            if f not in out:
                out.append(f)
        return out
