"""Saving over a scorecard that another window or command changed since it was read: a three-way merge.

The app keeps the scorecard open for a whole workshop while ``icp validate --record`` or ``icp segments
--anti-persona --apply`` may write the same file. When the file on disk is no longer the one read, the
edits made here since (the base: the text as read or last saved) and the change on disk are merged line by
line (merge3, the three-way merge of Bazaar/Breezy): a weight changed here and ``validated = ...`` written
there both stay. When both changed the same lines, or the merged text is not a valid scorecard, nothing is
written and the error says why.
"""

from __future__ import annotations

from pathlib import Path

import tomlkit
from merge3 import Merge3

from icp_tui.engine.core.errors import ScorecardError
from icp_tui.engine.scorecard.loader import parse_scorecard
from icp_tui.engine.scorecard.model import Scorecard


def merge_texts(base: str, mine: str, theirs: str) -> str | None:
    """``mine`` and ``theirs`` (both changed from ``base``) merged by lines; None when they changed the same lines."""
    m = Merge3(base.splitlines(True), mine.splitlines(True), theirs.splitlines(True))
    if any(region[0] == "conflict" for region in m.merge_regions()):
        return None
    return "".join(m.merge_lines())


def merge_with_disk(path: Path, base: str, mine: str) -> tuple[str, tomlkit.TOMLDocument, Scorecard]:
    """The edits ``mine`` (from ``base``) merged with the file as it is on disk now, parsed: (text, document,
    scorecard). ScorecardError, naming the file, when they cannot be merged."""
    refused = ("changed on disk since it was read here (another window or command saved it), {}: nothing was "
               "written; your edits are still here: look at the file's change (d shows yours), then save again "
               "after undoing the edits that clash, or open the scorecard again")
    try:
        raw = path.read_bytes()
        theirs = raw.decode("utf-8").removeprefix("\ufeff")
    except (OSError, UnicodeDecodeError) as e:
        raise ScorecardError(refused.format(f"and cannot be read now ({e})"), file=path) from None
    merged = merge_texts(base, mine, theirs)
    if merged is None:
        raise ScorecardError(refused.format("on the same lines as your edits"), file=path)
    try:
        doc, scorecard = parse_scorecard(merged, path)
    except ScorecardError as e:
        raise ScorecardError(refused.format(f"and the two together are not a valid scorecard ({e.message})"),
                             file=path) from None
    return merged, doc, scorecard


__all__ = ["merge_texts", "merge_with_disk"]
