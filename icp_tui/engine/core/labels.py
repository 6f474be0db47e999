"""Labels people type (band names, tiers, actions, function names) compared as a person reads them.

"Good Fit ", "good  fit" and "Good fit" are one label: case and runs of spaces do not count.
"""

from __future__ import annotations

from collections.abc import Iterable


def label_key(text: object) -> str:
    """The form two labels are compared in: spaces collapsed and trimmed, case folded."""
    return " ".join(str(text).split()).casefold()


def same_label(a: object, b: object) -> bool:
    return label_key(a) == label_key(b)


def known_label(text: object, known: Iterable[str]) -> str | None:
    """The spelling in ``known`` of the label ``text`` names, or None when it names none of them."""
    key = label_key(text)
    return next((k for k in known if label_key(k) == key), None)
