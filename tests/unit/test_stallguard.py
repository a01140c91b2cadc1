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


async def test_a_trickle_is_cut_by_the_lowest_speed():
    # A byte every 20 ms is never a stall, but 50 bytes/s is below 1000 bytes/s.
    with pytest.raises(TimeoutError, match="slower than 1000 bytes/s"):
        async with StallGuard(1.0, lowest_speed=1000, window=0.2) as guard:
            for _ in range(100):
                await asyncio.sleep(0.02)
                guard.touch(1)


async def test_enough_bytes_keep_it_alive():
    async with StallGuard(1.0, lowest_speed=1000, window=0.1) as guard:
        for _ in range(20):  # 0.4 s at 100 kB/s
            await asyncio.sleep(0.02)
            guard.touch(2000)


async def test_our_own_waits_do_not_count_against_the_speed():
    async with StallGuard(1.0, lowest_speed=1000, window=0.1) as guard:
        for _ in range(5):
            with guard.suspended():
                await asyncio.sleep(0.1)  # a speed limit or a slow disk: our time, not theirs
            guard.touch(50)  # 500 bytes/s of wall time, but all of it came at once
