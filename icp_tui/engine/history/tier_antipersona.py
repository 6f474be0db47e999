"""An anti-persona proposed from the customer tiers: what Tier 3 customers share that Tier 1 do not.

Seed 003 asks for anti-personas defined with the same rigour as the ideal customer, including the
customers who convert "into low-value, high-friction customers"; seed 001's Tier 3 are exactly those
won customers (low ACV, slow to close, churned: :func:`icp_tui.engine.history.tiers.customer_tiers`).
:func:`propose_anti_persona` looks for the account attributes where Tier 3 differs most from Tier 1
and proposes one ``[[anti_personas]]`` rule in the scorecard's condition form.

How (each step on the won deals' accounts, every test through the scorer, as the rule will score):

1. Per attribute, the one condition with the largest gap ``share of Tier 3 meeting it - share of
   Tier 1 meeting it`` (an unknown value meets nothing):
   numbers (employees, annual revenue, growth): ``FIELD <= X`` or ``FIELD >= X`` with X a Tier 3
   customer's value rounded outward to two significant digits (growth to whole percents);
   categories (industry, use case, funding stage, country): ``FIELD in [...]`` with the (up to three)
   values whose own gap is largest and positive;
   tools: ``tech_stack contains any [T]`` or ``tech_stack contains none [T]`` for one tool.
2. The attributes' conditions, largest gap first, are joined with "all" one by one while each makes
   the gap of the whole rule larger, or, while the rule flags more than :data:`MAX_ACCOUNT_SHARE` of
   all accounts, while a condition narrows it and the gap stays at least :data:`MIN_GAP`; at most
   :data:`MAX_CONDITIONS`.
3. The rule is proposed only when its gap is at least :data:`MIN_GAP`, it matches at least two Tier 3
   customers and at most :data:`MAX_TIER1_SHARE` of Tier 1 (never most of the best customers).

The proposal carries what the rule matches: Tier 1/2/3 customers, won and lost deals, accounts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from icp_tui.engine.core.conditions import Matcher, parse_condition
from icp_tui.engine.core.toml_tables import toml_text
from icp_tui.engine.history.analysis import AnalysisError
from icp_tui.engine.history.segment_profiles import _bound, outward
from icp_tui.engine.history.tiers import Tiers
from icp_tui.engine.scorecard.model import Rule
from icp_tui.engine.scorecard.scoring import Scorer

NUMBERS = ("employees", "annual_revenue", "growth_rate")
CATEGORIES = ("industry", "use_case", "funding_stage", "country")
TOOLS = "tech_stack"
MAX_CONDITIONS = 3
MIN_GAP = 0.25
MAX_TIER1_SHARE = 0.25
MAX_ACCOUNT_SHARE = 0.5  # broader than this, the rule is narrowed by the next conditions
MAX_VALUES = 3
NAME = "Like our Tier 3 customers"


@dataclass
class Tested:
    """One condition and the share of Tier 3 and of Tier 1 customers meeting it."""

    text: str
    tier3: float
    tier1: float

    @property
    def gap(self) -> float:
        return self.tier3 - self.tier1


@dataclass
class Proposal:
    name: str
    reason: str
    conditions: list[str]
    tested: list[Tested]  # each condition alone, in the rule's order
    tiers: list[tuple[int, int, int]]  # (tier, customers matched, customers in the tier)
    won: tuple[int, int]  # (won deals matched, won deals)
    lost: tuple[int, int]
    accounts: tuple[int, int]  # (accounts matched, accounts)
    gap: float
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The figures in plain words (for the CLI's comments and the app's dialog)."""
        t = ", ".join(f"Tier {k} {m} of {n}" for k, m, n in self.tiers)
        out = [f"matches customers: {t}",
               f"matches deals: won {self.won[0]} of {self.won[1]}, lost {self.lost[0]} of {self.lost[1]}; "
               f"accounts: {self.accounts[0]:,} of {self.accounts[1]:,}"]
        out += [f"{x.text}: {x.tier3:.0%} of Tier 3, {x.tier1:.0%} of Tier 1" for x in self.tested]
        return out + [f"note: {n}" for n in self.notes]

    def toml(self) -> str:
        """The ``[[anti_personas]]`` table to paste into the scorecard, the figures as comments above it."""
        head = "".join(f"# {line}\n" for line in ["Proposed from the customer tiers (icp segments --anti-persona)"] + self.lines())
        body = "".join(f"  {toml_text(c)},\n" for c in self.conditions)
        return (f"{head}[[anti_personas]]\nname = {toml_text(self.name)}\nreason = {toml_text(self.reason)}\n"
                f'match = "all"\nconditions = [\n{body}]\n')


def _value_text(v: str) -> str:
    return f'"{v}"' if any(ch in v for ch in ",[]'\"") or v != v.strip() else v


def _number_text(x: float, attribute: str) -> str:
    b = _bound(x, attribute)
    return b if isinstance(b, str) else f"{b:g}"


class _Tester:
    def __init__(self, scorer, rows: np.ndarray, t1: np.ndarray, t3: np.ndarray) -> None:
        self.scorer, self.rows, self.t1, self.t3 = scorer, rows, t1, t3
        self.n1, self.n3 = max(int(t1.sum()), 1), max(int(t3.sum()), 1)

    def hits(self, text: str) -> np.ndarray:
        m = parse_condition(text)
        hit = self.scorer.mask(m)[0][self.rows]
        self.scorer._masks.pop((m, None), None)  # a candidate's whole-universe mask is not kept
        return hit

    def breadth(self, texts: list[str]) -> float:
        """The share of all accounts a rule of these conditions (all of them) flags."""
        hit = np.ones(len(self.scorer.accounts), dtype=bool)
        for text in texts:
            m = parse_condition(text)
            hit &= self.scorer.mask(m)[0]
            self.scorer._masks.pop((m, None), None)
        return float(hit.mean()) if len(hit) else 0.0

    def shares(self, hit: np.ndarray) -> tuple[float, float]:
        return float(hit[self.t3].sum() / self.n3), float(hit[self.t1].sum() / self.n1)

    def test(self, text: str) -> tuple[Tested, np.ndarray]:
        hit = self.hits(text)
        return Tested(text, *self.shares(hit)), hit


def _best_number(tester: _Tester, fld: str) -> tuple[Tested, np.ndarray] | None:
    acc = tester.scorer.accounts
    if not acc.has(fld):
        return None
    v = acc.numbers(fld).values[tester.rows]
    v3 = v[tester.t3 & ~np.isnan(v)]
    v1 = np.sort(v[tester.t1 & ~np.isnan(v)])
    if not len(v3):
        return None
    s3 = np.sort(v3)
    best: tuple[float, str] | None = None
    for up, op in ((True, "<="), (False, ">=")):
        cuts = np.unique(outward(s3, up, fld))
        if up:  # shares of "value <= cut", by counting sorted values (vectorised over the cuts)
            g3 = np.searchsorted(s3, cuts, "right") / tester.n3
            g1 = np.searchsorted(v1, cuts, "right") / tester.n1
        else:
            g3 = (len(s3) - np.searchsorted(s3, cuts, "left")) / tester.n3
            g1 = (len(v1) - np.searchsorted(v1, cuts, "left")) / tester.n1
        gap = g3 - g1
        # on a tie the narrowest rule: the lowest cut for <=, the highest for >=
        i = int(np.argmax(gap)) if up else int(len(gap) - 1 - np.argmax(gap[::-1]))
        if best is None or gap[i] > best[0]:
            best = (float(gap[i]), f"{fld} {op} {_number_text(float(cuts[i]), fld)}")
    assert best is not None
    return tester.test(best[1])


def _best_category(tester: _Tester, frame: pd.DataFrame, fld: str) -> tuple[Tested, np.ndarray] | None:
    if fld not in frame or not tester.scorer.accounts.has(fld):
        return None
    won = frame[frame["won"].to_numpy(bool)]
    values = won[fld].astype(object)[tester.t3].dropna().unique().tolist()
    gaps = []
    for v in values:
        t, _ = tester.test(f"{fld} in [{_value_text(str(v))}]")
        if t.gap > 0:
            gaps.append((t.gap, str(v)))
    if not gaps:
        return None
    picked = [v for _, v in sorted(gaps, key=lambda g: (-g[0], g[1].lower()))[:MAX_VALUES]]
    return tester.test(f"{fld} in [{', '.join(_value_text(v) for v in picked)}]")


def _best_tool(tester: _Tester, frame: pd.DataFrame) -> tuple[Tested, np.ndarray] | None:
    if TOOLS not in frame or not tester.scorer.accounts.has(TOOLS):
        return None
    won = frame[frame["won"].to_numpy(bool)]
    cells = won[TOOLS].to_numpy(dtype=object)[tester.t1 | tester.t3]
    tools = sorted({str(t) for cell in cells if cell for t in cell}, key=str.lower)
    best: tuple[Tested, np.ndarray] | None = None
    for tool in tools:
        for op in ("contains any", "contains none"):
            t = tester.test(f"{TOOLS} {op} [{_value_text(tool)}]")
            if best is None or t[0].gap > best[0].gap:
                best = t
    return best


def _figures(hit: np.ndarray, tier: np.ndarray) -> list[tuple[int, int, int]]:
    return [(k, int(hit[tier == k].sum()), int((tier == k).sum())) for k in (1, 2, 3)]


def propose_anti_persona(frame: pd.DataFrame, tiers: Tiers, scorer, *, taken: tuple[str, ...] = (),
                         existing: tuple[Rule, ...] = ()) -> Proposal:
    """The anti-persona the tiers suggest (see the module docstring); :class:`AnalysisError` says why there is none.

    ``frame`` is :func:`closed_deal_frame` (its ``account_row`` indexes ``scorer.accounts``), ``tiers`` its
    :func:`customer_tiers`; ``taken`` are the scorecard's anti-persona names (the proposal's name avoids them),
    ``existing`` its anti-personas (a rule already there is refused, not proposed again).
    """
    if "account_row" not in frame:
        raise AnalysisError("the deals are not joined to accounts: no anti-persona can be proposed")
    won = frame["won"].to_numpy(bool)
    rows = frame["account_row"].to_numpy(np.int64)[won]
    tier = np.asarray(tiers.tier)
    t1, t3 = tier == 1, tier == 3
    if t1.sum() == 0 or t3.sum() < 2:
        raise AnalysisError(f"Tier 1 has {int(t1.sum())} and Tier 3 {int(t3.sum())} customers: an anti-persona needs "
                            "Tier 1 customers and at least 2 in Tier 3 to compare")
    tester = _Tester(Scorer(scorer.accounts), rows, t1, t3)  # its own scorer: the session's cache stays as it was
    found = [b for b in [_best_number(tester, f) for f in NUMBERS] + [_best_category(tester, frame, f) for f in CATEGORIES]
             + [_best_tool(tester, frame)] if b is not None and b[0].gap > 0]
    if not found:
        raise AnalysisError("no attribute is more common among Tier 3 customers than among Tier 1")
    found.sort(key=lambda b: -b[0].gap)  # stable: numbers, then categories, then tools on a tie
    chosen = [found[0]]
    hit = found[0][1].copy()
    gap = found[0][0].gap
    broad = tester.breadth([found[0][0].text])
    for t, h in found[1:]:
        if len(chosen) == MAX_CONDITIONS:
            break
        g3, g1 = tester.shares(hit & h)
        wider = g3 - g1 > gap + 1e-12
        # a rule flagging most accounts is narrowed while it still tells Tier 3 from Tier 1
        narrower = broad > MAX_ACCOUNT_SHARE and g3 - g1 >= MIN_GAP
        if wider or narrower:
            b = tester.breadth([x.text for x, _ in chosen] + [t.text])
            if wider or b < broad:
                chosen.append((t, h))
                hit &= h
                gap, broad = g3 - g1, b
    g3, g1 = tester.shares(hit)
    texts = [t.text for t, _ in chosen]
    n1, n3 = int(t1.sum()), int(t3.sum())
    m1, m3 = int(hit[t1].sum()), int(hit[t3].sum())
    rule = " and ".join(texts)
    if gap < MIN_GAP or m3 < 2:
        raise AnalysisError(f"Tier 3 customers do not differ enough from Tier 1: the closest rule ({rule}) matches "
                            f"{m3} of {n3} Tier 3 and {m1} of {n1} Tier 1 customers")
    if g1 > MAX_TIER1_SHARE:
        raise AnalysisError(f"the closest rule ({rule}) would also match {m1} of {n1} Tier 1 customers "
                            f"({g1:.0%}, more than {MAX_TIER1_SHARE:.0%}): not proposed")
    for r in existing:  # the scorecard's anti-personas: the same rule is not proposed twice
        if (r.join == "all" or len(r.conditions) == 1) and set(r.conditions) == {parse_condition(t) for t in texts}:
            raise AnalysisError(f"the rule the tiers suggest ({rule}) is in the scorecard already, as '{r.name}'")
    matched = scorer.rule_matches(Rule(NAME, "", "all", tuple(parse_condition(t) for t in texts)))[0]
    deal_hit = matched[frame["account_row"].to_numpy(np.int64)]
    name = NAME
    k = 2
    while name.lower() in {x.lower() for x in taken}:
        name, k = f"{NAME} {k}", k + 1
    first = chosen[0][0]
    reason = (f"Tier 3 customers (won, but small, slow to close or churned) look like this: it matches {m3} of {n3} "
              f"Tier 3 and {m1} of {n1} Tier 1 customers; {first.text} holds for {first.tier3:.0%} of Tier 3 "
              f"against {first.tier1:.0%} of Tier 1.")
    notes = []
    if matched.sum() > len(matched) / 2:
        notes.append(f"it flags {matched.mean():.0%} of all accounts: a broad rule, narrow it before relying on it")
    return Proposal(name, reason, texts, [t for t, _ in chosen], _figures(hit, tier),
                    (int(deal_hit[won].sum()), int(won.sum())), (int(deal_hit[~won].sum()), int((~won).sum())),
                    (int(matched.sum()), int(len(matched))), gap, notes)


def conditions_of(p: Proposal) -> tuple[Matcher, ...]:
    return tuple(parse_condition(t) for t in p.conditions)
