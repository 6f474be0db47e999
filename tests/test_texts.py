"""The shared pieces of messages (engine/core/texts.py)."""

from __future__ import annotations

from icp_tui.engine.core.texts import some


def test_some_shows_the_first_few_and_says_when_there_are_more():
    assert some([4, 9, 21]) == "4, 9, 21"
    assert some(range(1, 13)) == "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …"
    assert some([4, 9], 5) == "4, 9, …"  # only the first two of five were kept
    assert some([4, 9], 2) == "4, 9"
    assert some(["Name", "Stage", "Amount"], limit=2, show=repr) == "'Name', 'Stage', …"
    assert some([]) == ""
