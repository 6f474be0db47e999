"""Plain-text report of a scorecard's validation against deal history (``icp validate``)."""

from __future__ import annotations

from icp_tui.engine.history.validation import Validation

MARK = {"pass": "PASS", "warn": "WARN", "fail": "FAIL"}


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def validation_text(v: Validation, title: str) -> str:
    out = [f"Validation of {title}",
           f"{v.closed} closed deals ({v.won} won, {v.lost} lost), {v.open} open"]
    out += [f"  note: {n}" for n in v.notes]
    out += ["", "Quality checklist"]
    for c in v.checklist:
        line = f"  {MARK[c.status]}  {c.name}: {c.figure} (target: {c.target})"
        out.append(line + (f"; {c.detail}" if c.detail else ""))
    out += ["", f"AUC of the fit score against won/lost: {'–' if v.auc is None else f'{v.auc:.3f}'}"
            + ("" if v.auc is not None else " (needs both wins and losses)"),
            "", f"{'band':<14}{'deals':>6}{'won':>5}{'win rate':>10}{'mean ACV':>11}{'median cycle':>14}{'NRR':>7}"]
    for b in v.bands:
        acv = "–" if b.mean_acv is None else f"${b.mean_acv:,.0f}"
        cyc = "–" if b.median_cycle is None else f"{b.median_cycle:.0f} days"
        nrr = "–" if b.nrr is None else f"{b.nrr:.0%}"
        out.append(f"{b.label:<14}{b.deals:>6}{b.won:>5}{_pct(b.win_rate):>10}{acv:>11}{cyc:>14}{nrr:>7}")
    out += ["", f"{'criterion':<26}{'points':>7}{'full pts':>9}{'win with':>10}{'without':>9}{'lift':>6}"]
    for x in v.lifts:
        lift = "–" if x.lift is None else ("∞" if x.lift == float("inf") else f"{x.lift:.2f}")
        out.append(f"{x.label[:25]:<26}{x.share_of_points:>7.0%}{x.with_full:>9}{_pct(x.win_with):>10}{_pct(x.win_without):>9}{lift:>6}")
    if v.periods:
        out += ["", "Latest quarter against the deals before it"]
        for label, n, win, auc, high in v.periods:
            out.append(f"  {label}: {n} deals, win rate {_pct(win)}, AUC {'–' if auc is None else f'{auc:.3f}'}, wins 70+ {_pct(high)}")
    if v.misses:
        out += ["", f"Deals the scorecard gets wrong ({len(v.misses)} shown: wins below 55, losses above 70)"]
        for m in v.misses[:15]:
            top = ", ".join(f"{label} {pts:g}" for label, pts in sorted(m.points, key=lambda t: -t[1])[:3])
            out.append(f"  {m.outcome:<4} {m.fit:5.1f}  {m.account}  ({top})")
    return "\n".join(out) + "\n"
