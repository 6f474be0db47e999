"""The unified target account list (TAL): a proposal from a rule, then the facilitator's decisions.

Rule: an account is proposed when enough functions voted for it (``min_votes``) and/or its fit is
in the top bands (``bands``). The facilitator then includes, excludes or parks any account, each
with a reason (and may set its tier). Tiers come from the scorecard band unless a decision sets
one; with a number of account executives given, Tier 1 is capped at ``per_ae`` accounts each
(about 50, seed 002): the accounts over the cap, fewest votes and lowest fit first, move to Tier 2.
Decisions are saved in the workshop's ``decisions.toml``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import tomlkit

from icp_tui.engine.alignment.holdout import CONTROL, Holdout, groups, holdout_values, parse_holdout
from icp_tui.engine.alignment.overlap import Alignment, Proposal
from icp_tui.engine.core.atomic import atomic_write_bytes, atomic_write_text
from icp_tui.engine.core.errors import IcpError
from icp_tui.engine.core.formula_guard import safe_cell
from icp_tui.engine.core.labels import known_label, label_key
from icp_tui.engine.core.lock import Fingerprint, lock_root, workshop_lock, write_checked
from icp_tui.engine.core.tomlfile import parse_toml, read_text, unknown_key
from icp_tui.engine.core.tomlpos import locate
from icp_tui.engine.scorecard.model import DEFAULT_BANDS

ACTIONS = ("include", "exclude", "park")
TIERS = ("Tier 1", "Tier 2", "Tier 3")  # the tiers the room sets on the TAL (with the scorecard bands' own)
TIER1_PER_AE = 50
#: How the TAL is ordered: most votes first (then fit), or by priority grade (A1 first; then fit, then votes).
ORDERS = ("votes", "grade")


class DecisionError(IcpError):
    """A decisions file that cannot be read."""


@dataclass
class Decision:
    key: str  # a Proposal key
    action: str  # include, exclude or park
    reason: str = ""
    tier: str = ""  # empty: from the band


@dataclass
class Rule:
    min_votes: int = 2
    bands: tuple[str, ...] = ("Strong fit", "Good fit")
    join: str = "or"  # "or": votes or band; "and": both

    def proposes(self, p: Proposal) -> bool:
        """Hard exclusions (existing customers, competitors...) are never proposed by the rule."""
        if p.excluded:
            return False
        votes, band = p.votes >= self.min_votes, label_key(p.band) in {label_key(b) for b in self.bands}
        return (votes and band) if self.join == "and" else (votes or band)


@dataclass
class TalRow:
    proposal: Proposal
    by_rule: bool
    decision: Decision | None
    tier: str
    note: str = ""
    group: str = ""  # with a hold-out, members are "target" or "control" (holdout.py); "" off the list

    @property
    def status(self) -> str:
        if self.decision:
            return {"include": "included", "exclude": "excluded", "park": "parked"}[self.decision.action]
        return "proposed" if self.by_rule else "not proposed"

    @property
    def on_list(self) -> bool:
        return self.status in ("included", "proposed")

    @property
    def grade(self) -> str:
        """The priority grade (fit letter x timing digit, e.g. "A1"); "" for an unscored account."""
        return self.proposal.grade


@dataclass
class Tal:
    rows: list[TalRow]
    rule: Rule
    aes: int | None = None
    per_ae: int = TIER1_PER_AE
    holdout: Holdout | None = None
    order: str = "votes"  # ORDERS

    @property
    def members(self) -> list[TalRow]:
        return [r for r in self.rows if r.on_list]

    def counts_by_tier(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.members:
            out[r.tier or "Unscored"] = out.get(r.tier or "Unscored", 0) + 1
        return dict(sorted(out.items()))

    def counts_by_grade(self) -> dict[str, int]:
        """Members per priority grade (those with one), sorted by grade text: A1, A2, ..., X."""
        out: dict[str, int] = {}
        for r in self.members:
            if r.grade:
                out[r.grade] = out.get(r.grade, 0) + 1
        return dict(sorted(out.items()))

    def counts_by_function(self, functions: list[str]) -> dict[str, int]:
        return {f: sum(1 for r in self.members if f in r.proposal.ranks) for f in functions}

    def counts_by_group(self) -> dict[str, int]:
        """Members targeted and held out as the control (all targeted without a hold-out)."""
        control = sum(1 for r in self.members if r.group == CONTROL)
        return {"target": len(self.members) - control, "control": control}

    def counts_by_status(self) -> dict[str, int]:
        out = dict.fromkeys(("included", "proposed", "parked", "excluded", "not proposed"), 0)
        for r in self.rows:
            out[r.status] += 1
        return out


def by_grade(r: TalRow) -> tuple:
    """Priority order: the grade (A1, A2, A3, A?, B1 ...; no grade, then X, last), then fit, votes and name."""
    p = r.proposal
    return (p.grade_rank if p.grade_rank is not None else 1 << 30, -(p.fit if p.fit is not None else -1),
            -p.votes, p.name.lower())


def build_tal(alignment: Alignment, rule: Rule | None = None, decisions: dict[str, Decision] | None = None,
              *, aes: int | None = None, per_ae: int = TIER1_PER_AE, holdout: Holdout | None = None,
              order: str = "votes") -> Tal:
    """The TAL; ``order`` "votes" (most first, then fit) or "grade" (:func:`by_grade`) orders its rows."""
    if order not in ORDERS:
        raise ValueError(f"unknown TAL order {order!r} (use one of: {', '.join(ORDERS)})")
    rule = rule or Rule()
    decisions = decisions or {}
    rows = []
    for p in sorted(alignment.proposals, key=lambda p: (-p.votes, -(p.fit if p.fit is not None else -1), p.name.lower())):
        d = decisions.get(p.key)
        rows.append(TalRow(p, rule.proposes(p), d, (d.tier if d and d.tier else p.tier) or ""))
    if aes:
        cap = aes * per_ae
        tier1 = [r for r in rows if r.on_list and r.tier == "Tier 1"]
        decided = [r for r in tier1 if r.decision and r.decision.tier == "Tier 1"]  # the room's word stays
        others = sorted((r for r in tier1 if r not in decided),
                        key=lambda r: (-r.proposal.votes, -(r.proposal.fit if r.proposal.fit is not None else -1),
                                       r.proposal.name.lower()))
        for r in others[max(cap - len(decided), 0):]:  # fewest votes and lowest fit move down
            r.tier, r.note = "Tier 2", f"over the Tier 1 cap ({aes} AE{'s' if aes != 1 else ''} x {per_ae})"
    if holdout is not None:
        members = [r for r in rows if r.on_list]
        for r, g in zip(members, groups([r.proposal.key for r in members], holdout)):  # one vectorised draw
            r.group = g
    if order == "grade":
        rows.sort(key=by_grade)
    return Tal(rows, rule, aes, per_ae, holdout, order=order)


TAL_COLUMNS = ("account_id", "name", "tier", "status", "fit_score", "band", "grade", "votes", "proposed_by",
               "ranks", "anti_personas", "excluded", "decision", "reason", "note", "holdout")


def exported_rows(tal: Tal) -> list[TalRow]:
    """What a TAL export holds: the accounts on the list, then the ones the room parked or excluded (with why)."""
    return tal.members + [r for r in tal.rows if r.status in ("parked", "excluded")]


def tal_csv(tal: Tal, *, only_members: bool = True, decided: bool = False) -> str:
    """The TAL as CSV: its members (``decided``: and the parked and excluded accounts; not ``only_members``: every row)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(TAL_COLUMNS)
    for r in exported_rows(tal) if decided else (tal.members if only_members else tal.rows):
        p = r.proposal
        w.writerow([safe_cell(x) for x in (
            p.key[4:] if p.key.startswith("acc:") else "", p.name, r.tier, r.status,
            "" if p.fit is None else f"{p.fit:.1f}", p.band, p.grade, str(p.votes), "; ".join(p.ranks),
            "; ".join(f"{f} {rk}" for f, rk in p.ranks.items() if rk is not None), p.anti_personas, p.excluded,
            r.decision.action if r.decision else "", r.decision.reason if r.decision else "", r.note, r.group)])
    return buf.getvalue()


def save_tal_csv(tal: Tal, path: str | Path) -> Path:
    """The export for the CRM: the members, then the parked and excluded accounts; the status column tells them apart."""
    with workshop_lock(lock_root(path), f"writing {Path(path).name}"):
        atomic_write_text(path, tal_csv(tal, decided=True))
    return Path(path)


def _rule_table(rule: Rule, aes: int | None) -> tomlkit.items.Table:
    t = tomlkit.table()
    t["min_votes"] = rule.min_votes
    t["bands"] = list(rule.bands)
    t["join"] = rule.join
    if aes:
        t["account_executives"] = aes
    return t


def tal_toml(tal: Tal) -> str:
    """The TAL as workshop TOML: one [[accounts]] table per account on the list."""
    doc = tomlkit.document()
    doc.add(tomlkit.comment("The unified target account list the room agreed (written by icp)."))
    doc["rule"] = _rule_table(tal.rule, tal.aes)
    doc["counts"] = tal.counts_by_tier()
    if tal.holdout is not None:
        doc["holdout"] = {**holdout_values(tal.holdout), **tal.counts_by_group()}
    arr = tomlkit.aot()
    for r in tal.members:
        p = r.proposal
        item = tomlkit.table()
        item["account"] = p.key[4:] if p.key.startswith("acc:") else ""
        item["name"] = p.name
        item["tier"] = r.tier
        if p.fit is not None:
            item["fit_score"] = p.fit
        if p.grade:
            item["grade"] = p.grade
        item["proposed_by"] = list(p.ranks)
        if r.decision:
            item["decision"] = r.decision.action
            item["reason"] = r.decision.reason
        if r.note:
            item["note"] = r.note
        if tal.holdout is not None:
            item["holdout"] = r.group
        arr.append(item)
    doc["accounts"] = arr
    return tomlkit.dumps(doc)


@dataclass
class DecisionsFile:
    """The workshop's ``decisions.toml``: the TAL rule, the facilitator's decisions on accounts,
    and the confirmed or rejected name matches (decision key -> account id, "" for a new account)."""

    decisions: dict[str, Decision] = field(default_factory=dict)
    rule: Rule = field(default_factory=Rule)
    aes: int | None = None
    matches: dict[str, str | None] = field(default_factory=dict)
    holdout: Holdout | None = None  # the TAL's control group (holdout.py), as [holdout]
    # loaded from a file (load): saving checks, under the workshop lock, that the file is still the one read
    watched: bool = field(default=False, compare=False, repr=False)
    seen: Fingerprint | None = field(default=None, compare=False, repr=False)  # None: there was no file

    def save(self, path: str | Path) -> Path:
        """Written over the file as it is, so that comments and order of a hand-edited file stay; refused when the
        file changed since it was loaded (another window or command wrote it)."""
        self.seen = write_checked(path, lambda: self._write(Path(path)), watched=self.watched, seen=self.seen)
        return Path(path)

    def _write(self, path: Path) -> None:
        doc = _saved_doc(Path(path))
        _update_table(doc, "rule", dict(_rule_table(self.rule, self.aes)))
        _update_table(doc, "matches", {k: v or "" for k, v in self.matches.items()})
        if self.holdout is not None:
            _update_table(doc, "holdout", holdout_values(self.holdout))
        elif "holdout" in doc:
            del doc["holdout"]
        arr = tomlkit.aot()
        for d in self.decisions.values():
            item = tomlkit.table()
            item["account"] = d.key
            item["action"] = d.action
            item["reason"] = d.reason
            if d.tier:
                item["tier"] = d.tier
            arr.append(item)
        if arr and isinstance(doc.get("decisions"), tomlkit.items.AoT):
            doc["decisions"] = arr  # where it was
        else:  # none: no key; the first ones: at the end, after the tables
            doc.pop("decisions", None)
            if arr:
                doc["decisions"] = arr
        atomic_write_text(path, tomlkit.dumps(doc))

    @classmethod
    def load(cls, path: str | Path, scorecard=None) -> DecisionsFile:
        """Names compared without case and extra spaces, kept as the ``scorecard`` spells them; unknown ones refused."""
        p = Path(path)
        seen = Fingerprint.read(p)  # before reading: a change in between is refused at save, never lost
        if not p.exists():
            return cls(watched=True)
        text = read_text(p, DecisionError)
        doc = parse_toml(text, str(p), DecisionError).unwrap()

        def fail(keys: list[str | int], message: str) -> DecisionError:
            key = "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if n else k) for n, k in enumerate(keys))
            return DecisionError(message, file=str(p), line=locate(text, keys), key=key or None)

        def known(t: dict, allowed: tuple[str, ...], keys: list[str | int]) -> None:
            if (bad := unknown_key(t, allowed)) is not None:
                raise fail(keys + [bad[0]], f"is not a key here ({bad[1]})")

        def whole(value, key: str, default):
            if value is None:
                return default
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise fail(["rule", key], f"must be a whole number from 1, not {value!r}")
            return value

        def text_of(t: dict, key: str, keys: list[str | int]) -> str:
            value = t.get(key, "")
            if not isinstance(value, str):
                raise fail(keys + [key], f"must be text, not {value!r}")
            return value

        def named(value: str, names: list[str], what: str, keys: list[str | int], strict: bool = True) -> str:
            if (name := known_label(value, names)) is None and strict:
                raise fail(keys, f"{value!r} is not {what} (one of: {', '.join(names)}; case and spaces do not matter)")
            return name or value

        sc_bands, checked = list(scorecard.bands if scorecard is not None else DEFAULT_BANDS), scorecard is not None
        band_names, tier_names = [b.label for b in sc_bands], list(dict.fromkeys([*TIERS, *(b.tier for b in sc_bands if b.tier)]))

        known(doc, ("rule", "matches", "decisions", "holdout"), [])
        r = doc.get("rule", {})
        if not isinstance(r, dict):
            raise fail(["rule"], "must be a table ([rule])")
        known(r, ("min_votes", "bands", "join", "account_executives"), ["rule"])
        join = r.get("join", "or")
        if join not in ("or", "and"):
            raise fail(["rule", "join"], f"must be 'or' or 'and', not {join!r}")
        bands = r.get("bands", list(Rule().bands))
        if not isinstance(bands, list) or not all(isinstance(b, str) for b in bands):
            raise fail(["rule", "bands"], "must be a list of band labels")
        bands = [named(b, band_names, "a band of the scorecard", ["rule", "bands", k], checked) for k, b in enumerate(bands, 1)]
        rule = Rule(whole(r.get("min_votes"), "min_votes", 2), tuple(bands), join)
        aes = whole(r.get("account_executives"), "account_executives", None)
        raw = doc.get("decisions", [])
        if not isinstance(raw, list):
            raise fail(["decisions"], "must be a list of tables ([[decisions]])")
        out: dict[str, Decision] = {}
        for i, d in enumerate(raw, 1):
            if not isinstance(d, dict) or not isinstance(d.get("action"), str) or not isinstance(d.get("account"), str):
                raise fail(["decisions", i], f"needs account (text) and action ({', '.join(ACTIONS)})")
            known(d, ("account", "action", "reason", "tier"), ["decisions", i])
            action = named(d["action"], list(ACTIONS), "an action", ["decisions", i, "action"])
            tier = text_of(d, "tier", ["decisions", i])
            tier = named(tier, tier_names, "a tier", ["decisions", i, "tier"], checked) if tier.strip() else ""
            out[d["account"]] = Decision(d["account"], action, text_of(d, "reason", ["decisions", i]), tier)
        matches = doc.get("matches", {})
        if not isinstance(matches, dict):
            raise fail(["matches"], "must be a table ([matches])")
        for k in matches:
            text_of(matches, k, ["matches"])
        holdout = parse_holdout(doc["holdout"], fail) if "holdout" in doc else None
        return cls(out, rule, aes, {str(k): (str(v) or None) for k, v in matches.items()}, holdout, True, seen)


def _saved_doc(path: Path) -> tomlkit.TOMLDocument:
    """The decisions file as it is on disk (comments and order kept), or a new one. A file that no
    longer reads (hand-edited while the app was open, a merge's conflict markers) is kept beside it as
    ``decisions.toml.broken`` before the session's decisions are written over it: nothing is lost."""
    try:
        return parse_toml(read_text(path, DecisionError), str(path), DecisionError)
    except DecisionError:
        if path.is_file():
            atomic_write_bytes(path.with_name(path.name + ".broken"), path.read_bytes())
        doc = tomlkit.document()
        doc.add(tomlkit.comment("Facilitator decisions on the unified target account list (written by icp)."))
        return doc


def _update_table(doc: tomlkit.TOMLDocument, name: str, values: dict) -> None:
    """Set table ``name`` to ``values`` in place: keys whose value is unchanged keep their comments."""
    t = doc.get(name)
    if not isinstance(t, tomlkit.items.Table):
        if name in doc:
            del doc[name]
        t = tomlkit.table()
        doc[name] = t
    for k in [k for k in t if k not in values]:
        del t[k]
    for k, v in values.items():
        if k not in t or t[k] != v:
            t[k] = v


def save_decisions(decisions: dict[str, Decision], path: str | Path, rule: Rule | None = None,
                   aes: int | None = None) -> Path:
    return DecisionsFile(decisions, rule or Rule(), aes).save(path)


def load_decisions(path: str | Path, scorecard=None) -> tuple[dict[str, Decision], Rule, int | None]:
    f = DecisionsFile.load(path, scorecard)
    return f.decisions, f.rule, f.aes
