"""A token bucket shared by every transfer, for the global speed limit."""

from __future__ import annotations

import asyncio
import time


class RateLimiter:
    """Lets at most ``rate`` bytes per second through; a rate of 0 means no limit.

    The bucket holds at most a quarter second of tokens, so a transfer that
    starts after an idle minute cannot burst far over the limit.
    """

    def __init__(self, rate: int = 0) -> None:
        self._rate = rate
        self._tokens = 0.0
        self._stamp = time.monotonic()

    @property
    def rate(self) -> int:
        return self._rate

    @rate.setter
    def rate(self, value: int) -> None:
        self._rate = max(0, value)

    async def consume(self, n: int) -> None:
        if self._rate <= 0:
            return
        now = time.monotonic()
        self._tokens = min(self._rate / 4, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now
        self._tokens -= n
        if self._tokens < 0:
            await asyncio.sleep(-self._tokens / self._rate)
