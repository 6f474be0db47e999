"""What the app tests share: the two terminal sizes of every snapshot, and waiting for the app to settle."""

from __future__ import annotations

import asyncio

from textual.worker import WorkerCancelled, WorkerError

SIZES = [(80, 24), (120, 40)]


def IDS(size: tuple[int, int]) -> str:  # noqa: N802 (a pytest ids= callable, named like the constant it goes with)
    return f"{size[0]}x{size[1]}"


async def _ended(worker) -> None:
    try:
        await worker.wait()
    except WorkerCancelled:
        pass  # its screen closed or a newer exclusive worker replaced it: ended, which is what we wait for
    except WorkerError:  # not started yet (pending): let the loop start it
        await asyncio.sleep(0.01)


async def workers_done(app) -> None:
    """Wait until every worker of ``app`` has ended (done, failed or cancelled), including the ones a
    finished worker started. A failed worker still fails the test (its WorkerFailed is raised)."""
    for _ in range(10_000):  # a bound on rounds, not on time: each round waits for real work to end
        active = [w for w in app.workers if not w.is_finished]
        if not active:
            return
        await asyncio.gather(*(_ended(w) for w in active))
    raise AssertionError(f"workers never ended: {[w.name for w in app.workers if not w.is_finished]}")


async def settle(pilot, rounds: int = 3) -> None:
    """Let workers finish and the screen redraw (a worker's result may start another worker)."""
    for _ in range(rounds):
        await workers_done(pilot.app)
        await pilot.pause()


async def keys(pilot, *names: str) -> None:
    """Press each key in turn, settling before the first and after each."""
    await settle(pilot)
    for k in names:
        await pilot.press(k)
        await settle(pilot)
