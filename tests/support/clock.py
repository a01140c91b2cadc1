"""A clock the test moves on by hand, for schedules (engine/schedule.Clock)."""

from __future__ import annotations

import asyncio


class ManualClock:
    def __init__(self, now: float) -> None:
        self._now = now
        self._moved = asyncio.Event()

    def now(self) -> float:
        return self._now

    async def sleep_until(self, when: float) -> None:
        while self._now < when:
            await self._moved.wait()

    def advance(self, seconds: float) -> None:
        """Move time on and wake every sleeper, which looks at the time again."""
        self._now += seconds
        moved, self._moved = self._moved, asyncio.Event()
        moved.set()
