"""Plain-text report of a scorecard's validation against deal history (``icp validate``)."""

from __future__ import annotations

from icp_tui.engine.history.suggest import Suggestion
from icp_tui.engine.history.validation import Validation

MARK = {"pass": "PASS", "warn": "WARN", "fail": "FAIL", "na": "N/A "}  # na: not enough data to say
MISSES_SHOWN = 15


def _auc(x: float | None) -> str:
    return "–" if x is None else f"{x:.3f}"


def shown_of(shown: int, total: int) -> str:
    """ "15 shown of 42" when a list is cut, else "3"."""
    return f"{shown} shown of {total:,}" if shown < total else f"{total:,}"


def _pct(x: float | None) -> str:
    return "–" if x is None else f"{x:.0%}"


def suggestion_lines(s: Suggestion) -> list[str]:
    """The suggested weights beside the current ones, and whether they may be applied."""
    if not s.ok:
        return [f"Suggested weights: none ({s.message})"]
    out = [f"Suggested weights (logistic regression, L2, on bucket indicators; {s.deals} closed deals)",
           f"{'criterion':<26}{'weight':>7}{'suggested':>10}{'points':>8}{'→':>7}"]
    for w in s.weights:
        out.append(f"{w.label[:25]:<26}{w.current:>7g}{w.suggested:>10g}{w.current_points:>8g}{w.suggested_points:>7g}")
    out.append(f"  AUC now {_auc(s.auc_current)} → suggested {_auc(s.auc_suggested)}")
    if s.split.get("auc_current") is not None:
        out.append(f"  latest quarter ({s.split['test']} deals), fitted on the {s.split['train']} before it: "
                   f"AUC {_auc(s.split['auc_current'])} → {_auc(s.split.get('auc_suggested'))}")
    elif s.split.get("message"):
        out.append(f"  time split: {s.split['message']}")
    if s.signal_text():
        out.append(f"  {s.signal_text()}")
    if s.caution:
        out.append(f"  NOT AN IMPROVEMENT: {s.caution}")
    return out


def validation_text(v: Validation, title: str, suggestion: Suggestion | None = None) -> str:
    out = [f"Validation of {title}",
           f"{v.closed} closed deals ({v.won} won, {v.lost} lost), {v.open} open"]
    if v.window:
        out.append(f"Window: {v.window}")
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
    if suggestion is not None:
        out += ["", *suggestion_lines(suggestion)]
    if v.periods:
        out += ["", "Latest quarter against the deals before it"]
        for label, n, win, auc, high in v.periods:
            out.append(f"  {label}: {n} deals, win rate {_pct(win)}, AUC {'–' if auc is None else f'{auc:.3f}'}, wins 70+ {_pct(high)}")
    if v.misses:
        shown = v.misses[:MISSES_SHOWN]
        out += ["", f"Deals the scorecard gets wrong ({shown_of(len(shown), v.wrong_total)}: wins below 55, losses above 70)"]
        for m in shown:
            top = ", ".join(f"{label} {pts:g}" for label, pts in sorted(m.points, key=lambda t: -t[1])[:3])
            out.append(f"  {m.outcome:<4} {m.fit:5.1f}  {m.account}  ({top})")
    return "\n".join(out) + "\n"
