"""The stall guard: a deadline that moves with progress; only its own cancel is a timeout."""

import asyncio

import pytest

from bgfetch_gui.engine.stallguard import StallGuard


async def test_silence_times_out():
    with pytest.raises(TimeoutError):
        async with StallGuard(0.1):
            await asyncio.sleep(5)


async def test_progress_keeps_it_alive():
    async with StallGuard(0.15) as guard:
        for _ in range(10):  # 0.5 s in all, never 0.15 s of silence
            await asyncio.sleep(0.05)
            guard.touch()


async def test_a_cancel_from_outside_stays_a_cancel():
    async def guarded() -> None:
        async with StallGuard(10):
            await asyncio.sleep(5)

    task = asyncio.ensure_future(guarded())
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
