"""Plain-text report of what the deal history says (``icp segments``): wins against losses, the
segments found by clustering, the customer tiers, the unit economics and, with a scorecard, the ICP
coverage goals."""

from __future__ import annotations

import textwrap

from icp_tui.engine.history.analysis import NumberRow, WinLoss
from icp_tui.engine.history.coverage import Coverage, CoverageRow
from icp_tui.engine.history.economics import LTV_YEARS, MIN_DEALS, Economics
from icp_tui.engine.history.economics_report import economics_lines, mark, short_money
from icp_tui.engine.history.segments import Segments, Stats
from icp_tui.engine.history.tiers import Tiers

MONEY = frozenset({"amount", "expansion", "ltv", "annual_revenue"})
PERCENT = frozenset({"nrr", "growth_rate"})


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def money(x: float | None) -> str:
    if x is None:
        return "–"
    sign, x = ("-" if x < 0 else ""), abs(x)
    if x >= 1e9:
        return f"{sign}${x / 1e9:.1f}B"
    if x >= 1e7:
        return f"{sign}${x / 1e6:,.0f}M"
    if x >= 1e6:
        return f"{sign}${x / 1e6:.1f}M"
    return f"{sign}${x:,.0f}"


def _value(attribute: str, x: float | None) -> str:
    if x is None:
        return "–"
    if attribute in MONEY:
        return money(x)
    if attribute in PERCENT:
        return f"{x:.0%}"
    if attribute == "cycle_days":
        return f"{x:,.0f} days"
    return f"{x:,.0f}"


def _difference(r: NumberRow) -> str:
    d = r.difference
    if d is None:
        return "–"
    if r.attribute in MONEY:
        text = ("+" if d >= 0 else "-") + money(abs(d))
    elif r.attribute in PERCENT:
        text = f"{d * 100:+,.0f} pts"
    else:
        text = f"{d:+,.0f}"
    rel = r.relative
    return text + ("" if rel is None or r.attribute in PERCENT else f" ({rel:+.0%})")


def _pts(d: float | None) -> str:
    return "–" if d is None else f"{d * 100:+.0f} pts"


def win_loss_lines(wl: WinLoss) -> list[str]:
    out = [f"Wins against losses ({wl.won} won, {wl.lost} lost)",
           f"  {'':<22}{'wins':>12}{'losses':>12}  difference"]
    for r in wl.numbers:
        out.append(f"  {r.label:<22}{_value(r.attribute, r.wins_mean):>12}{_value(r.attribute, r.losses_mean):>12}  "
                   f"{_difference(r)}")
    for t in wl.categories:
        what = "share of deals whose stack holds the tool" if t.kind == "items" else "share of wins / of losses"
        out += ["", f"  {t.label} ({what}; known for {t.wins_known} wins, {t.losses_known} losses)"]
        for s in t.rows:
            name = s.value + (f" ({s.grouped})" if s.grouped else "")
            out.append(f"    {name[:32]:<34}{_pct(s.wins_share):>6}{_pct(s.losses_share):>8}  {_pts(s.difference)}")
        if t.omitted:
            out.append(f"    ({t.omitted} more tools with smaller differences)")
    return out


def _few(s: Stats, figure: str) -> bool:
    """Whether a segment's figure rests on fewer than MIN_DEALS deals (win rate: closed deals; the rest: won)."""
    return (s.deals if figure == "win_rate" else s.won) < MIN_DEALS


def _mmf_cells(s: Stats) -> str:
    few = _few(s, "acv")
    cycle = "–" if s.median_cycle is None else f"{s.median_cycle:.0f}d"
    velocity = "–" if s.velocity is None else f"{short_money(s.velocity)}/d"
    return (f"{s.deals:>6}{mark(_pct(s.win_rate), _few(s, 'win_rate')):>6}{mark(short_money(s.mean_acv), few):>9}"
            f"{mark(short_money(s.value), few):>8}{mark(cycle, few):>7}{mark(velocity, few):>10}")


def _pmf_cells(s: Stats) -> str:
    few = _few(s, "ltv")
    ltv = mark(short_money(s.ltv), few) + ("*" if s.ltv is not None and s.ltv_estimated else "")
    return f"{s.won:>6}{mark(_pct(s.nrr), few):>6}{mark(_pct(s.churn_rate), few):>7}{ltv:>9}"


def segment_lines(segs: Segments) -> list[str]:
    """The segments against all closed deals, seed 000's two families of metrics apart: message-market fit
    (win rate, ACV, sales velocity: does the pitch land?) and product-market fit (LTV, NRR, use case:
    does the product keep and grow its customers?); ranked by ``segs.rank``."""
    how = ("chosen by the best silhouette score" if segs.criterion == "silhouette" else "given")
    sil = ", ".join(f"k={k} {v:.3f}" for k, v in sorted(segs.silhouette.items()))
    label = lambda s: f"segment {s.number}"  # noqa: E731
    out = [f"Segments of the closed deals (k-means on who the account is, k={segs.k} {how}; silhouette: {sil})",
           f"  ranked by {segs.rank_label}, best first",
           "",
           "  Message-market fit (win rate, ACV, sales velocity): does the pitch land?",
           f"  {'':<11}{'deals':>6}{'win':>6}{'won ACV':>9}{'value':>8}{'cycle':>7}{'velocity':>10}{'lift':>7}",
           f"  {'baseline':<11}{_mmf_cells(segs.baseline)}{'1.00x':>7}"]
    for s in segs.segments:
        lift = "–" if s.lift is None else f"{s.lift:.2f}x"
        out.append(f"  {label(s):<11}{_mmf_cells(s.stats)}{lift:>7}")
    out += ["",
            "  Product-market fit (LTV, NRR, use case): do the customers stay and grow?",
            f"  {'':<11}{'won':>6}{'NRR':>6}{'churn':>7}{'LTV':>9}  main use case",
            f"  {'baseline':<11}{_pmf_cells(segs.baseline)}  (all)"]
    for s in segs.segments:
        uc = f"{s.use_cases[0].value} {s.use_cases[0].share:.0%}" if s.use_cases else "–"
        out.append(f"  {label(s):<11}{_pmf_cells(s.stats)}  {uc}")
    out.append("")
    for s in segs.segments:
        out.append(f"  segment {s.number}: {s.describe() or 'no attributes known'}")
    estimated = any(x.ltv_estimated and x.ltv is not None for x in [segs.baseline] + [s.stats for s in segs.segments])
    out += ["", "  win: win rate; won ACV, cycle (median days to close), NRR, churn, LTV: of the won deals; value: win "
            "rate x won ACV, what one opportunity brings; velocity: value / cycle, per day; lift: win rate over the "
            "baseline's"]
    if estimated:
        out.append(f"  * LTV estimated: ACV x {LTV_YEARS} years of revenue at the segment's NRR (else 1 - churn) "
                   "as the yearly retention; revenue, before any gross margin")
    if any(_few(x, "acv") for x in [s.stats for s in segs.segments]):
        out.append(f"  ~: from fewer than {MIN_DEALS} deals, a hint rather than a pattern")
    out += [f"  note: {n}" for n in segs.notes]
    return out


def tier_lines(t: Tiers) -> list[str]:
    out = ["Customer tiers of the won deals"]
    out += textwrap.wrap(f"rule: {t.rule}", width=100, initial_indent="  ", subsequent_indent="    ")
    if t.acv_low is not None:
        out.append(f"  cut-offs: ACV {money(t.acv_low)} / {money(t.acv_high)}"
                   + ("" if t.cycle_fast is None else f"; cycle {t.cycle_fast:.0f} / {t.cycle_slow:.0f} days"))
    out.append(f"  {'':<8}{'deals':>6}{'share':>7}{'mean ACV':>10}{'cycle':>7}{'churn':>7}{'NRR':>6}  "
               f"top industry, median employees")
    for s in t.tiers:
        cycle = "–" if s.median_cycle is None else f"{s.median_cycle:.0f}d"
        ind = "–" if s.top_industry is None else f"{s.top_industry} ({_pct(s.top_industry_share)})"
        emp = "–" if s.median_employees is None else f"{s.median_employees:,.0f}"
        out.append(f"  Tier {s.tier:<3}{s.deals:>6}{_pct(s.share):>7}{money(s.mean_acv):>10}{cycle:>7}"
                   f"{_pct(s.churn_rate):>7}{_pct(s.mean_nrr):>6}  {ind}, {emp} employees")
    return out


def _coverage_row(r: CoverageRow) -> str:
    verdict = "–" if r.met is None else ("meets" if r.met else "falls short of")
    amount = "" if r.amount_share is None else f", {money(r.in_icp_amount)} of {money(r.amount)} ({_pct(r.amount_share)})"
    return (f"  {r.name}: {r.in_icp} of {r.deals} deals inside the ICP ({_pct(r.share)}){amount}; "
            f"{verdict} the {r.goal:.0%} goal" + ("" if r.met is not None else " (no deals)"))


def coverage_lines(c: Coverage) -> list[str]:
    out = [f"ICP coverage (ICP: {', '.join(c.icp_bands)}, fit {c.icp_min:g}+)",
           _coverage_row(c.open), _coverage_row(c.won)]
    out += [f"  note: {n}" for n in c.notes]
    return out


def analysis_text(win_loss: WinLoss, segments: Segments | None, tiers: Tiers | None,
                  coverage: Coverage | None = None, *, title: str = "", notes: list[str] | tuple = (),
                  economics: Economics | None = None, band_source: str = "") -> str:
    out = [f"Deal history{': ' + title if title else ''}",
           f"{win_loss.won + win_loss.lost} closed deals ({win_loss.won} won, {win_loss.lost} lost) with a matching account"]
    out += [f"  note: {n}" for n in notes]
    out += [""] + win_loss_lines(win_loss)
    if segments is not None:
        out += [""] + segment_lines(segments)
    if tiers is not None:
        out += [""] + tier_lines(tiers)
    if economics is not None:
        out += [""] + economics_lines(economics, band_source=band_source)
    if coverage is not None:
        out += [""] + coverage_lines(coverage)
    return "\n".join(out) + "\n"
