"""Plain-text unit-economics table (``icp segments``, the app's Analysis screen): per segment, score
band and customer tier, LTV against CAC; short cells ($42k, 4.2x, 14 mo) so it fits 80 columns."""

from __future__ import annotations

from icp_tui.engine.history.economics import LTV_YEARS, MIN_DEALS, Economics, UnitEconomics


def short_money(x: float | None) -> str:
    """$950, $8.5k, $42k, $1.6M, $2.1B; "–" unknown."""
    if x is None:
        return "–"
    sign, x = ("-" if x < 0 else ""), abs(x)
    # each unit from where the one below would round up to 1000 ($999,999 is $1.0M, not $1000k)
    if x >= 999.95e6:
        return f"{sign}${x / 1e9:.1f}B"
    if x >= 999_500:
        return f"{sign}${x / 1e6:.1f}M"
    if x >= 9_950:
        return f"{sign}${x / 1e3:.0f}k"
    if x >= 999.5:
        return f"{sign}${x / 1e3:.1f}k"
    return f"{sign}${x:.0f}"


def mark(text: str, few: bool) -> str:
    """A figure from fewer than MIN_DEALS deals gets a leading "~" (rough: a hint, not a pattern)."""
    return f"~{text}" if few and text != "–" else text


def cell(u: UnitEconomics, figure: str) -> str:
    """One figure of a group, formatted short and marked when it rests on too few deals."""
    x = getattr(u, figure)
    if x is None:
        return "–"
    if figure in ("win_rate", "nrr", "churn"):
        text = f"{x:.0%}"
    elif figure == "ltv_cac":
        text = f"{x:.1f}x"
    elif figure == "payback_months":
        text = f"{x:.0f} mo"
    elif figure == "cycle":
        text = f"{x:.0f}d"
    elif figure == "velocity":
        text = f"{short_money(x)}/d"
    else:
        text = short_money(x)
    return mark(text, u.few(figure))


HEAD = f"  {'':<13}{'deals':>5}{'won':>5}{'win':>5}{'ACV':>7}{'LTV':>7}{'CAC':>7}{'LTV:CAC':>8}{'payback':>8}{'cost/win':>9}"


def _row(u: UnitEconomics) -> str:
    win = cell(u, "win_rate") if u.kind != "tier" else "–"
    return (f"  {u.label[:12]:<13}{u.deals:>5}{u.won:>5}{win:>5}{cell(u, 'acv'):>7}{cell(u, 'ltv'):>7}"
            f"{cell(u, 'cac'):>7}{cell(u, 'ltv_cac'):>8}{cell(u, 'payback_months'):>8}{cell(u, 'spend_per_win'):>9}")


def economics_lines(eco: Economics, *, band_source: str = "") -> list[str]:
    """The table: all closed deals, then by segment, by score band and by customer tier (those computed)."""
    basis = "revenue" if eco.margin is None else f"{eco.margin:.0%} gross margin"
    out = [f"Unit economics: what a customer brings against what it cost to win ({basis})", HEAD, _row(eco.overall)]
    for title, groups in (("by segment", eco.segments),
                          ("by score band" + (f" ({band_source})" if band_source else ""), eco.bands),
                          ("by customer tier (won deals)", eco.tiers)):
        if groups:
            out += [f"  {title}"] + [_row(u) for u in groups]
    out += ["",
            f"  LTV: the deal's own, else ACV x {LTV_YEARS} years of revenue at the group's NRR (else 1 - churn) as "
            "the yearly retention; CAC: mean acquisition cost of the won deals; LTV:CAC = LTV / CAC; payback: CAC / "
            "monthly ACV" + ("" if eco.margin is None else " x margin") + "; cost/win: acquisition cost of all the "
            "closed deals, lost ones too, per won deal",
            f"  ~: from fewer than {MIN_DEALS} deals, a hint rather than a pattern"]
    out += [f"  note: {n}" for n in eco.notes]
    return out


def economics_markdown(eco: Economics, title: str = "### Unit economics") -> list[str]:
    """The table as Markdown (the workshop report): all closed deals, then bands, segments and tiers."""
    from icp_tui.engine.core.markdown import md_text

    out = [title, "", "| group | deals | won | win rate | ACV | LTV | CAC | LTV:CAC | payback |",
           "|---|---|---|---|---|---|---|---|---|"]
    for u in eco.groups():
        win = cell(u, "win_rate") if u.kind != "tier" else "–"
        out.append(f"| {md_text(u.label)} | {u.deals} | {u.won} | {win} | {cell(u, 'acv')} | {cell(u, 'ltv')} | "
                   f"{cell(u, 'cac')} | {cell(u, 'ltv_cac')} | {cell(u, 'payback_months')} |")
    out += ["", f"LTV: the deal's own, else ACV x {LTV_YEARS} years of revenue at the group's NRR as the yearly "
            "retention; CAC: mean acquisition cost of the won deals; payback: CAC / monthly ACV"
            + ("" if eco.margin is None else f" x {eco.margin:.0%} margin")
            + f". ~ marks a figure from fewer than {MIN_DEALS} deals. Tiers are won deals only."]
    out += [f"Note: {md_text(n)}." for n in eco.notes]
    return out
