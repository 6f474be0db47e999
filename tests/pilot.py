"""What the app tests share: the two terminal sizes of every snapshot, and waiting for the app to settle."""

from __future__ import annotations

SIZES = [(80, 24), (120, 40)]


def IDS(size: tuple[int, int]) -> str:  # noqa: N802 (a pytest ids= callable, named like the constant it goes with)
    return f"{size[0]}x{size[1]}"


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen redraw (a worker's result may start another worker)."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def keys(pilot, *names: str) -> None:
    """Press each key in turn, settling before the first and after each."""
    await settle(pilot)
    for k in names:
        await pilot.press(k)
        await settle(pilot)
