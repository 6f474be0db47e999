"""Small pieces of the product's messages that many readers share (one wording, one place)."""

from __future__ import annotations

from collections.abc import Callable, Iterable


def some(items: Iterable[object], total: int | None = None, limit: int = 10, show: Callable[[object], str] = str) -> str:
    """The first ``limit`` of ``items``, comma-separated, ending in "…" when there are more (``total``: how many
    there are in all, when ``items`` holds only the first few): "4, 9, 21", "'Name', 'Stage', …"."""
    every = list(items)
    shown = every[:limit]
    return ", ".join(show(x) for x in shown) + (", …" if (len(every) if total is None else total) > len(shown) else "")


__all__ = ["some"]
