"""The scorecard workbench as the app uses it: one scorecard being edited over a workshop's data.

Holds the editor (undoable edits of the TOML document), the accounts with their per-criterion
cache (a weight change re-scores from cached columns, a bucket change recomputes one criterion), and
the deals joined to their accounts once. The screens call these methods and hold no rules.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from icp_tui.engine.alignment.overlap import deal_accounts
from icp_tui.engine.core.accounts import AccountFrame
from icp_tui.engine.core.errors import IcpError, ScorecardError
from icp_tui.engine.history.deals import DealFrame
from icp_tui.engine.scorecard.editing import ScorecardEditor, bucket_test_text
from icp_tui.engine.scorecard.file import ScorecardFile, parse_scorecard
from icp_tui.engine.scorecard.lint import Finding, lint_scorecard
from icp_tui.engine.scorecard.results import ScoreResult
from icp_tui.engine.scorecard.scoring import Scorer
from icp_tui.engine.workshop.imports import read_accounts_with, read_deals_with
from icp_tui.engine.workshop.log import append_log
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.workspace import universe_of


@dataclass
class TopAccount:
    row: int
    name: str
    fit: float
    band: str
    reasons: str
    grade: str = ""  # the priority grade, fit letter x timing digit (scorecard.grade)


@dataclass
class Preview:
    accounts: int
    bands: list[tuple[str, int]]  # label, accounts (highest band first)
    anti_personas: int
    closer_to_anti: int
    excluded: int
    unscored: int  # below the lowest band or without a fit score
    top: list[TopAccount]


class ScorecardSession:
    def __init__(self, workshop: Workshop | None, scorecard: str | Path | None = None,
                 accounts: str | Path | None = None, deals: str | Path | None = None) -> None:
        self.workshop = workshop
        path = scorecard or (workshop.file("scorecard") if workshop else None)
        if path is None:
            raise ScorecardError("the workshop names no scorecard ([files] scorecard = ...)")
        self.editor = ScorecardEditor.open(path)
        sc = self.editor.scorecard
        acc = accounts or (workshop.file("accounts") if workshop else None)
        imports = workshop.settings if workshop else (lambda section: None)
        self.accounts: AccountFrame | None = (read_accounts_with(acc, imports("accounts"), sc)
                                              if acc and Path(acc).exists() else None)
        self.scorer = Scorer(self.accounts) if self.accounts is not None else None
        dl = deals or (workshop.file("deals") if workshop else None)
        self.deals: DealFrame | None = read_deals_with(dl, imports("deals")) if dl and Path(dl).exists() else None
        self.deal_rows: np.ndarray | None = None
        if self.deals is not None:
            # without an accounts file each deal row carries its account's fields
            self.deal_rows = deal_accounts(self.deals, universe_of(self.accounts)) if self.accounts is not None else None
        self._all_deals, self._all_rows = self.deals, self.deal_rows  # before any window (set_window)
        self.window = None if self.deals is None else self.set_window(None)
        self._names = (np.array(self.accounts.raw("name").to_pylist(), dtype=object)
                       if self.accounts is not None and self.accounts.has("name") else None)
        self.result: ScoreResult | None = None
        self.log_error = ""  # why the last save could not be written to the workshop's log
        self.note = ""  # what the last save had to do (merge a change made on disk meanwhile), for the screen to say
        self.rescore()

    # -- scoring ------------------------------------------------------------------------------

    @property
    def scorecard(self):
        return self.editor.scorecard

    @property
    def path(self) -> Path:
        return self.editor.file.path

    def rescore(self) -> ScoreResult | None:
        self.result = self.scorer.score(self.scorecard) if self.scorer else None
        return self.result

    def preview(self, top: int = 10) -> Preview | None:
        r = self.result
        if r is None:
            return None
        fit = np.nan_to_num(r.fit, nan=-1.0)
        eligible = ~r.is_excluded
        idx = np.flatnonzero(eligible)
        names = self._names if self._names is not None else np.array([str(i + 1) for i in range(r.n)], dtype=object)
        if len(idx) > top:  # only the accounts tied with or above the top-th fit are sorted by name
            f = fit[idx]
            idx = idx[f >= np.partition(f, len(f) - top)[len(f) - top]]
        order = idx[np.lexsort((names[idx].astype(str), -fit[idx]))][:top]
        tops = []
        for i in order:
            b = r.band_of(int(i))
            tops.append(TopAccount(int(i), str(names[i]), float(fit[i]), b.label if b else "–", r.reasons_for_row(int(i)),
                                   r.grades[int(i)]))
        return Preview(r.n, [(b.label, n) for b, n in r.band_counts()], int(r.any_anti.sum()), int(r.closer_to_anti.sum()),
                       int(r.is_excluded.sum()), int((r.band < 0).sum()), tops)

    def validation(self):
        """The quality checklist against the deals (in the window), or None without deals and accounts."""
        from icp_tui.engine.history.validation import validate

        if self.result is None or self.deals is None or self.deal_rows is None:
            return None
        v = validate(self.result, self.deals, self.deal_rows)
        v.window = self.window.summary() if self.window is not None and self.window.since else ""
        return v

    def set_window(self, since):
        """Count only the deals closed on or after ``since`` (a date; None: every deal) in the validation, the
        suggested weights and the analysis; returns the :class:`~icp_tui.engine.history.window.Window`."""
        from icp_tui.engine.history.window import apply_window

        if self._all_deals is None:
            return None
        self.deals, keep, self.window = apply_window(self._all_deals, since)
        self.deal_rows = None if self._all_rows is None else self._all_rows[keep]
        return self.window

    def record_validated(self, when) -> str:
        """Write ``validated = WHEN`` and what the checklist found into ``[scorecard]`` (one undoable edit, saved
        with the scorecard); returns that result line."""
        from icp_tui.engine.history.validation import result_line

        v = self.validation()
        if v is None:
            raise ScorecardError("no deal history to validate against: nothing to record")
        line = result_line(v)
        self.editor.record_validated(when, line)
        return line

    def suggestion(self):
        from icp_tui.engine.history.suggest import suggest_weights

        if self.result is None or self.deals is None or self.deal_rows is None:
            return None
        f = self.deals.frame
        when = f["closed"].to_numpy("datetime64[ns]") if "closed" in f else None
        return suggest_weights(self.result, f["outcome"].astype(object).to_numpy(), self.deal_rows, when)

    def preview_counts(self) -> list[tuple[str, int]]:
        return [(b.label, n) for b, n in self.result.band_counts()] if self.result else []

    def bucket_counts(self, j: int) -> list[int] | None:
        """Accounts in each bucket of criterion ``j`` (file order), or None without accounts."""
        if self.result is None or j >= len(self.result.columns):
            return None
        bucket = self.result.columns[j].bucket
        n = len(self.scorecard.criteria[j].buckets)
        return np.bincount(bucket[bucket >= 0], minlength=n)[:n].tolist()

    def rule_counts(self, kind: str) -> list[int] | None:
        """Accounts matching each anti-persona (``kind`` "anti_personas") or exclusion."""
        if self.result is None:
            return None
        hits = self.result.anti if kind == "anti_personas" else self.result.excluded
        return hits.sum(axis=0).astype(int).tolist()

    def band_index(self, shown: int) -> int:
        """File position of the band shown at ``shown`` (bands are shown highest first)."""
        bands = self.scorecard.bands
        order = sorted(range(len(bands)), key=lambda i: -bands[i].min)
        return order[shown] if shown < len(order) else len(bands) - 1

    def new_criterion_id(self, fld: str) -> str:
        """An id for a new criterion on ``fld`` that no criterion has yet."""
        taken = {c.id for c in self.scorecard.criteria}
        base = "".join(ch if ch.isalnum() else "_" for ch in fld.strip().lower()) or "criterion"
        cid, k = base, 2
        while cid in taken:
            cid, k = f"{base}_{k}", k + 1
        return cid

    def bucket_text(self, j: int, b: int) -> str:
        """The editable test of bucket ``b`` of criterion ``j``, as written in the file."""
        return bucket_test_text(self.editor.file.doc["criteria"][j]["buckets"][b])

    # -- the deal history, whatever the scorecard ------------------------------------------------

    def history_frame(self):
        """Closed deals joined to their accounts; :class:`AnalysisError` when they cannot be compared."""
        from icp_tui.engine.history.analysis import AnalysisError, check_history, closed_deal_frame

        if self.deals is None or self.accounts is None or self.deal_rows is None:
            raise AnalysisError("the workshop needs both an accounts file and a deals file")
        frame = closed_deal_frame(self.deals, self.accounts, self.deal_rows)
        check_history(frame, file=self.deals.info.path)
        return frame

    def history_notes(self) -> list[str]:
        from icp_tui.engine.history.analysis import history_notes

        return history_notes(self.deals, self.deal_rows) if self.deals is not None and self.deal_rows is not None else []

    def coverage(self):
        from icp_tui.engine.history.coverage import coverage

        if self.result is None or self.deals is None or self.deal_rows is None:
            return None
        return coverage(self.result, self.deals, self.deal_rows)

    # -- editing ------------------------------------------------------------------------------

    def edit(self, op: str, *args, **kwargs) -> str:
        """Run one editor operation (e.g. ``edit("set_weight", "industry", 2)``) and re-score."""
        getattr(self.editor, op)(*args, **kwargs)
        self.rescore()
        return op

    def trial(self, op: str, *args, **kwargs) -> tuple[str | None, list[Finding]]:
        """What an edit would give, without making it: (error message or None, lint findings)."""
        text = self.editor.file.as_string()
        try:
            doc, sc = parse_scorecard(text, self.path)
            trial = ScorecardEditor(ScorecardFile(self.path, text, doc, sc))
            getattr(trial, op)(*args, **kwargs)
        except (IcpError, ValueError) as e:
            return _message(e), []
        return None, lint_scorecard(trial.file, self.accounts)

    def lint(self) -> list[Finding]:
        return lint_scorecard(self.editor.file, self.accounts)

    def save(self, *, new_version: bool = False) -> Path:
        """Save the scorecard (or a new version of it beside it) and log what changed since the last save."""
        if self.workshop is not None:  # a linked scorecard (or a version beside it) is never written through the workshop
            self.workshop.check_own_file(self.editor.file.path)
        changes = self.editor.changes()
        path = self.editor.save_version() if new_version else self.editor.save()
        self.log_error = ""
        self.note = (f"{path.name} had been changed by another window or command: merged, both changes kept "
                     "(undo history starts here)") if self.editor.file.merged else ""
        if self.editor.file.merged:
            self.rescore()
        if self.workshop is not None and changes:
            sc = self.editor.scorecard
            try:
                append_log(self.workshop.root, "scorecard", f"saved {path.name} ({sc.name} v{sc.version}): {'; '.join(changes)}")
            except (IcpError, OSError) as e:  # the scorecard is saved all the same; the screen says the log is not
                self.log_error = f"the scorecard is saved, but not logged: {e}"
        return path

    def unsaved_edits(self) -> int:
        """How many edits the file is behind (0 when the document is as saved)."""
        return self.editor.unsaved_count

    def undo(self) -> str:
        done = self.editor.undo()
        self.rescore()
        return done

    def redo(self) -> str:
        done = self.editor.redo()
        self.rescore()
        return done

    def open(self, path: str | Path) -> None:
        """Edit another scorecard over the same accounts and deals."""
        self.editor = ScorecardEditor.open(path)
        self.rescore()


def _message(e: Exception) -> str:
    """An error's words without the file name: the screen shows them beside the field edited."""
    if isinstance(e, IcpError):
        return f"{e.key}: {e.message}" if e.key else e.message
    return str(e)
