"""The ICP scorecard file: opened, edited in place (comments and order kept) and saved.

The file format is documented in the README. Reading and checking it is :mod:`icp_tui.engine.scorecard.loader`
(``parse_scorecard``, ``load_scorecard``, imported from here across the code); the model itself is
:mod:`icp_tui.engine.scorecard.model`.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import tomlkit

from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.core.lock import Fingerprint, changed_since, lock_root, workshop_lock
from icp_tui.engine.core.stdin import resolve
from icp_tui.engine.core.tomlfile import parse_toml, toml_data
from icp_tui.engine.scorecard.loader import KEYS, MAX_BANDS, MAX_BUCKETS, MAX_TIMING_BANDS, Loader, parse_scorecard  # noqa: F401
from icp_tui.engine.scorecard.merge import merge_with_disk
from icp_tui.engine.scorecard.model import (  # noqa: F401 (the model's names, imported from here across the code)
    CATEGORIES,
    DEFAULT_BANDS,
    DEFAULT_TIMING_BANDS,
    FIT_CATEGORIES,
    SCORE_OF_CATEGORY,
    Band,
    Bucket,
    Criterion,
    Rule,
    Scorecard,
    TimingBand,
)


def record_validated(sf: ScorecardFile, when: date, result: str = "") -> Scorecard:
    """Write ``validated = WHEN`` (a TOML date) and ``validated_with = RESULT`` into the ``[scorecard]`` table of
    the document (made at the top when the file has none), keeping every other line, and reload the model.
    Saving is the caller's: :meth:`ScorecardFile.save`, or the editor's save in the app."""
    import re

    from icp_tui.engine.core.toml_tables import put_key, toml_text

    order = KEYS["scorecard"]
    meta = sf.doc.get("scorecard")
    if meta is None or not len(meta):
        text = sf.doc.as_string()
        lines = f"validated = {when.isoformat()}\n" + (f"validated_with = {toml_text(result)}\n" if result else "")
        if meta is None:
            at = m.start() if (m := re.search(r"^[ \t]*\[", text, re.M)) else len(text)
            text = text[:at] + "[scorecard]\n" + lines + "\n" + text[at:]
        else:
            m = re.search(r"^[ \t]*\[scorecard\][^\n]*\n", text, re.M)
            assert m is not None  # an empty [scorecard] table is written as its header
            text = text[:m.end()] + lines + text[m.end():]
        sf.doc = parse_toml(text, str(sf.path), ScorecardError)
    else:
        put_key(meta, "validated", when, order)
        if result or "validated_with" in meta:
            put_key(meta, "validated_with", result, order)
    return sf.reload()


class ScorecardFile:
    """A scorecard as a file: the tomlkit document (comments, order, spacing) and the model read from it.

    Edits go through the document so that saving changes only the lines edited; an unchanged
    file saves byte for byte as it was read.
    """

    def __init__(self, path: Path, text: str, doc: tomlkit.TOMLDocument, scorecard: Scorecard, bom: bool = False) -> None:
        self.path = path
        self.text = text
        self.doc = doc
        self.scorecard = scorecard
        self.bom = bom  # a byte-order mark is kept on save
        self.seen: Fingerprint | None = None  # the file as read (open) or last saved: saving over it checks it is unchanged
        self.merged = False  # the last save merged a change made on disk meanwhile (merge.py)

    @classmethod
    def open(cls, path: str | Path) -> ScorecardFile:
        """Read and load a scorecard file; ``-`` reads standard input (named ``<stdin>``)."""
        source, name = resolve(path)
        p = Path(name)
        try:
            raw = source.read_bytes()
        except FileNotFoundError:
            raise ScorecardError("file not found", file=str(p)) from None
        except OSError as e:
            raise ScorecardError(f"cannot read: {e.strerror}", file=str(p)) from None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise ScorecardError(f"is not UTF-8 text (byte {e.start:,}); save it as UTF-8", file=str(p),
                                 line=raw[:e.start].count(b"\n") + 1) from None
        doc, sc = parse_scorecard(text, p)
        opened = cls(p, text, doc, sc, bom=raw.startswith(b"\xef\xbb\xbf"))
        opened.seen = Fingerprint.of(p, raw)
        return opened

    def as_string(self) -> str:
        return self.doc.as_string()

    def _criterion_table(self, cid: str) -> Any:
        for t in self.doc.get("criteria", []):
            if t.get("id") == cid:
                return t
        raise KeyError(cid)

    def set_weight(self, cid: str, weight: float) -> Scorecard:
        """Change one criterion's weight in the document and reload the model from it."""
        t = self._criterion_table(cid)
        value = int(weight) if float(weight).is_integer() and isinstance(t.get("weight", 1), int) else float(weight)
        if "weight" in t:
            t["weight"] = value
        else:  # a new key goes with the criterion's own keys, not after the comments that follow them
            t.value._insert_after(list(t.keys())[-1], "weight", value)
        return self.reload()

    def reload(self) -> Scorecard:
        """Re-read the model from the (edited) document, which stays the same object.

        tomllib reads the text several times faster than tomlkit re-parses it (an edit in the
        workbench is a key press); invalid TOML falls back to tomlkit for its error message.
        """
        text = self.doc.as_string()
        data = toml_data(text, str(self.path), ScorecardError)  # invalid TOML: an error naming its line
        self.scorecard = Loader(text, str(self.path)).load(data)
        return self.scorecard

    @property
    def dirty(self) -> bool:
        return self.doc.as_string() != self.text

    def save(self, path: str | Path | None = None) -> Path:
        from icp_tui.engine.core.atomic import atomic_write_bytes

        target = Path(path) if path else self.path
        text = self.doc.as_string()
        self.merged = False
        with workshop_lock(lock_root(target), f"saving {target.name}"):
            if self.seen is not None and target == self.path and changed_since(target, self.seen):
                # another window or command saved it since: both changes kept, or nothing written (merge.py)
                text, self.doc, self.scorecard = merge_with_disk(target, self.text, text)
                self.merged = True
            data = (b"\xef\xbb\xbf" if self.bom else b"") + text.encode("utf-8")
            atomic_write_bytes(target, data)
            self.seen = Fingerprint.of(target, data)
        self.path, self.text = target, text
        return target


def load_scorecard(path: str | Path) -> Scorecard:
    return ScorecardFile.open(path).scorecard
