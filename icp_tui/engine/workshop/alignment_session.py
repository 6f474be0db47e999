"""One workshop's alignment, as the app edits it: lists, match confirmations and TAL decisions.

Every change is written at once (atomic writes): a list to its CSV, decisions and confirmed
matches to ``decisions.toml``. The last decisions can be undone. The screens call these methods
and hold no rules of their own.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

from icp_tui.engine.alignment.holdout import Holdout, new_seed, share_problem
from icp_tui.engine.alignment.holdout_compare import HoldoutComparison, compare_holdout
from icp_tui.engine.alignment.lists import Entry, FunctionList, parse_pasted, save_function_list
from icp_tui.engine.alignment.matching import Match, choices_for, decision_key
from icp_tui.engine.alignment.overlap import Alignment
from icp_tui.engine.alignment.tal import Decision, DecisionsFile, Tal, build_tal, save_tal_csv, tal_toml
from icp_tui.engine.core.atomic import atomic_write_text
from icp_tui.engine.core.errors import DataFileError, IcpError
from icp_tui.engine.core.lock import Fingerprint, changed_since, check_writable, lock_root, workshop_lock
from icp_tui.engine.core.tables import read_table
from icp_tui.engine.workshop.imports import read_deals_with, read_list_with
from icp_tui.engine.workshop.log import append_log
from icp_tui.engine.workshop.manifest import Workshop
from icp_tui.engine.workshop.workspace import Context, load_context

TIERS = ("Tier 1", "Tier 2", "Tier 3")


class AlignmentSession:
    def __init__(self, workshop: Workshop, context: Context | None = None) -> None:
        self.workshop = workshop
        self.ctx = context or load_context(workshop.file("accounts"), workshop.file("scorecard"), workshop.file("deals"), workshop)
        self.lists: list[FunctionList] = []
        for ref in workshop.lists:
            seen = Fingerprint.read(ref.path)  # before reading: a change in between is refused at save, never lost
            self.lists.append((read_list_with(ref.path, ref.function, workshop.settings("lists")) if ref.path.exists()
                               else FunctionList(ref.function, [], ref.path)).watch(seen))
        self.decisions_path = workshop.file("decisions") or workshop.root / "decisions.toml"
        self.file = DecisionsFile.load(self.decisions_path, self.ctx.scorecard.scorecard if self.ctx.scorecard else None)
        # what u undoes, newest last: ("tal", decision key, the decision before) or ("list", list index, its entries before)
        self.undo_stack: list[tuple[str, object, object]] = []
        self.log_error = ""  # why the last change could not be written to the workshop's log
        self.note = ""  # what the last change had to do first (read decisions.toml again), for the screen to say
        self.last_undone = ""  # what the last undo took back, for the screen to say
        self.order = "votes"  # how the TAL is ordered (tal.ORDERS): the screen's view, not saved
        self.recompute()

    def reload_decisions(self) -> None:
        """Read decisions.toml again (under the workshop lock, before a change: nothing another writer saved is lost)."""
        self.file = DecisionsFile.load(self.decisions_path, self.ctx.scorecard.scorecard if self.ctx.scorecard else None)
        self.recompute()

    @contextmanager
    def _decisions_change(self) -> Iterator[None]:
        """A change of decisions.toml, made under the workshop lock on the file as it is now: a change another window
        or command saved since it was read is read in first, so both are kept (decisions, matches and the rule are
        keyed by account, entry or setting: applying ours to theirs is the merge)."""
        self._writable()
        self.note = ""
        with workshop_lock(self.workshop.root, f"saving {self.decisions_path.name}"):
            if self.file.watched and changed_since(self.decisions_path, self.file.seen):
                self.reload_decisions()
                self.note = (f"{self.decisions_path.name} had been changed by another window or command: "
                             "read again, with this change made on it")
            try:
                yield
            except (IcpError, OSError):  # not saved: what is shown goes back to what the file has
                self.file = DecisionsFile.load(self.decisions_path, self.ctx.scorecard.scorecard if self.ctx.scorecard else None)
                self.recompute()
                raise

    def _writable(self) -> None:
        """Refused before anything changes in memory when this window has the workshop read-only."""
        check_writable(self.workshop.root)

    def _log(self, kind: str, text: str) -> None:
        """The change is made and saved whatever happens here; a log that cannot be written is said, not raised."""
        self.log_error = ""
        try:
            append_log(self.workshop.root, kind, text)
        except (IcpError, OSError) as e:
            self.log_error = f"done, but not logged: {e}"

    def _name(self, key: str) -> str:
        return next((r.proposal.name for r in self.tal.rows if r.proposal.key == key), key)

    @property
    def functions(self) -> list[str]:
        return [fl.function for fl in self.lists]

    @property
    def warnings(self) -> list[str]:
        """What the list files lost when read (lines skipped, with their numbers), one line each, named by file."""
        return [f"{fl.path.name if fl.path else fl.function}: {line}" for fl in self.lists for line in fl.report_lines()]

    def recompute(self) -> None:
        self.alignment: Alignment = self.ctx.align(self.lists, self.file.matches)
        self.tal: Tal = build_tal(self.alignment, self.file.rule, self.file.decisions, aes=self.file.aes,
                                  holdout=self.file.holdout, order=self.order)

    def set_order(self, order: str) -> None:
        """Order the TAL by votes (then fit) or by priority grade (then fit)."""
        self.order = order
        self.recompute()

    # -- lists --------------------------------------------------------------------------------

    def _changed_list(self, i: int, ranked: bool) -> None:
        """Save list ``i``; a ranked list is renumbered in its new order."""
        if ranked:
            self.lists[i].renumber()
        try:
            save_function_list(self.lists[i])
        except IcpError:  # refused (changed on disk since read, the lock held elsewhere): the list stays as the file has it
            _, _, before = self.undo_stack.pop()
            assert isinstance(before, list)
            self.lists[i].entries = before
            raise
        self.recompute()

    def _before_list_change(self, i: int) -> None:
        self._writable()
        if (path := self.lists[i].path) is not None:  # a linked list is only read: refused before anything changes
            self.workshop.check_own_file(path)
        self.undo_stack.append(("list", i, [copy.copy(e) for e in self.lists[i].entries]))

    def add(self, i: int, texts: list[str], at: int | None = None) -> int:
        """Add companies to list ``i`` (at position ``at``, else at the end); returns how many. Undoable."""
        self._before_list_change(i)
        fl = self.lists[i]
        ranked = fl.ranked or not fl.entries
        entries = [Entry(t.strip()) for t in texts if t.strip()]
        pos = len(fl.entries) if at is None else at
        fl.entries[pos:pos] = entries
        self._changed_list(i, ranked)
        return len(entries)

    def paste(self, i: int, text: str) -> int:
        return self.add(i, parse_pasted(text))

    def import_column(self, i: int, path: str, column: str | None = None) -> int:
        table, info = read_table(path)
        name = column or table.column_names[0]
        if name not in table.column_names:
            raise DataFileError(f"has no column '{name}' (columns: {', '.join(table.column_names)})", file=info.path)
        return self.add(i, [str(v) for v in table.column(name).to_pylist() if v])

    def remove(self, i: int, row: int) -> str:
        """Remove an entry (undoable: nothing is asked); returns what it said."""
        self._before_list_change(i)
        ranked = self.lists[i].ranked
        gone = self.lists[i].entries[row].text
        del self.lists[i].entries[row]
        self._changed_list(i, ranked)
        return gone

    def move(self, i: int, row: int, delta: int) -> int:
        """Move an entry up (-1) or down (+1); returns its new row."""
        self._before_list_change(i)
        entries = self.lists[i].entries
        new = max(0, min(len(entries) - 1, row + delta))
        entries.insert(new, entries.pop(row))
        self._changed_list(i, True)  # moving an entry is ranking it
        return new

    # -- matches --------------------------------------------------------------------------------

    def match_choices(self, match: Match) -> list[tuple[int, str, str]]:
        """The accounts a suggested match could be: (universe index, name, "score · domain · fit")."""
        u = self.ctx.universe
        scores = self.ctx.scores
        out = []
        for i, score in choices_for(match, u):
            fit = None if scores is None else float(scores.fit[i])
            parts = [f"{score:.0f}% alike", str(u.domains[i] or ""), "" if fit is None or fit != fit else f"fit {fit:.0f}"]
            out.append((i, str(u.names[i]), " · ".join(x for x in parts if x)))
        return out

    def settle_match(self, match: Match, accept: bool, account_index: int | None = None) -> None:
        """Confirm a suggested match (or the account chosen instead), or keep the company as a new account; remembered."""
        chosen = account_index if account_index is not None else match.account
        account = str(self.ctx.universe.ids[chosen]) if accept and chosen is not None else None
        with self._decisions_change():
            self.file.matches[decision_key(match.entry)] = account
            self.file.save(self.decisions_path)
        self.recompute()
        if account is not None:
            self._log("match", f"'{match.entry}' is {self.ctx.universe.names[chosen]}")
        else:
            self._log("match", f"'{match.entry}' is a new account")

    # -- the TAL ------------------------------------------------------------------------------------

    def decide(self, key: str, action: str | None, reason: str = "", tier: str | None = None) -> None:
        """Include, exclude or park an account (None clears the decision); undoable."""
        with self._decisions_change():
            before = self.file.decisions.get(key)
            if action is None:
                self.file.decisions.pop(key, None)
            else:
                keep_tier = before.tier if before and tier is None else (tier or "")
                self.file.decisions[key] = Decision(key, action, reason, keep_tier)
            self.file.save(self.decisions_path)
            self.undo_stack.append(("tal", key, before))
        name = self._name(key)
        self.recompute()
        if action is None:
            self._log("tal", f"decision on {name} cleared")
        else:
            tier_text = f" ({self.file.decisions[key].tier})" if self.file.decisions[key].tier else ""
            self._log("tal", f"{action} {name}{tier_text}" + (f": {reason}" if reason else ""))

    def set_tier(self, key: str, tier: str) -> None:
        d = self.file.decisions.get(key)
        self.decide(key, d.action if d else "include", d.reason if d else "tier set by the room", tier)

    def undo(self) -> bool:
        if not self.undo_stack:
            return False
        self._writable()
        kind, what, before = self.undo_stack.pop()
        if kind == "list":
            assert isinstance(what, int) and isinstance(before, list)
            now, self.lists[what].entries = self.lists[what].entries, before
            try:
                save_function_list(self.lists[what])
            except IcpError:  # not saved: the list and what u undoes stay as they were
                self.lists[what].entries = now
                self.undo_stack.append((kind, what, before))
                raise
            self.recompute()
            self.last_undone = f"the last change to {self.lists[what].function}'s list"
            return True
        key = str(what)
        try:
            self._undo_decision(key, before)
        except IcpError:
            self.undo_stack.append((kind, what, before))
            raise
        self.recompute()
        self.last_undone = f"the last decision on {self._name(key)}"
        self._log("tal", f"undone: {self.last_undone}")
        return True

    def _undo_decision(self, key: str, before: object) -> None:
        with self._decisions_change():
            if before is None:
                self.file.decisions.pop(key, None)
            else:
                assert isinstance(before, Decision)
                self.file.decisions[key] = before
            self.file.save(self.decisions_path)

    def set_rule(self, *, min_votes: int | None = None, join: str | None = None, aes: int | None = -1) -> None:
        with self._decisions_change():
            if min_votes is not None:
                self.file.rule.min_votes = max(1, min(len(self.lists) or 1, min_votes))
            if join is not None:
                self.file.rule.join = join
            if aes != -1:
                self.file.aes = aes
            self.file.save(self.decisions_path)
        self.recompute()
        r = self.file.rule
        caps = f"; {self.file.aes} AEs" if self.file.aes else ""
        self._log("rule", f"TAL rule: {r.min_votes}+ functions {r.join} {' / '.join(r.bands)}{caps}")

    def set_holdout(self, share: float, seed: int | None = None, since: date | None = None) -> Holdout:
        """Hold out ``share`` of the TAL as a control group (seed 002); a new seed is drawn once when none is given.
        Saved in ``decisions.toml`` and logged."""
        if (why := share_problem(share)) is not None:
            raise IcpError(f"the hold-out share {why}")
        with self._decisions_change():
            if seed is None:
                seed = self.file.holdout.seed if self.file.holdout else new_seed()
            self.file.holdout = Holdout(share, seed, since or date.today())
            self.file.save(self.decisions_path)
        self.recompute()
        n = self.tal.counts_by_group()
        self._log("tal", f"hold-out set: {self.file.holdout.text()}; {n['target']} targeted, {n['control']} control")
        return self.file.holdout

    def clear_holdout(self) -> bool:
        """No more control group (every account targeted); False when there was none."""
        with self._decisions_change():
            if self.file.holdout is None:
                return False
            gone = self.file.holdout.text()
            self.file.holdout = None
            self.file.save(self.decisions_path)
        self.recompute()
        self._log("tal", f"hold-out cleared (was {gone})")
        return True

    def compare_holdout(self, deals_path: str | Path, since: date | None = None) -> HoldoutComparison:
        """Targeted against control on a later deal file, read with the workshop's [import.deals] settings."""
        deals = read_deals_with(deals_path, self.workshop.settings("deals"))
        return compare_holdout(self.tal, deals, self.ctx.universe, since)

    def export(self, path: str | Path | None = None) -> Path:
        """Write the TAL as CSV (for the CRM) and as ``tal.toml`` beside it (for the workshop)."""
        target = Path(path) if path else self.workshop.root / "tal.csv"
        with workshop_lock(lock_root(target), "exporting the TAL"):
            save_tal_csv(self.tal, target)
            atomic_write_text(target.with_suffix(".toml"), tal_toml(self.tal))
        return target
