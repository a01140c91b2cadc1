"""Token buckets for the speed limits: the global one, and a fetch's own under it."""

from __future__ import annotations

import asyncio
import time

MIN_PIECE = 4 * 1024



class RateLimiter:
    """Lets at most ``rate`` bytes per second through; a rate of 0 means no limit.

    The bucket holds at most a quarter second of tokens, so a transfer that
    starts after an idle minute cannot burst far over the limit. With a
    ``parent`` (a fetch's limiter under the global one) bytes wait for both
    buckets, and :attr:`rate` is the tighter of the two.
    """

    def __init__(self, rate: int = 0, parent: RateLimiter | None = None) -> None:
        self._rate = max(0, rate)
        self._tokens = 0.0
        self._stamp = time.monotonic()
        self.parent = parent

    @property
    def rate(self) -> int:
        """The limit these bytes are under (0: none); setting it sets this bucket's own."""
        inherited = self.parent.rate if self.parent is not None else 0
        return min((r for r in (self._rate, inherited) if r > 0), default=0)

    @rate.setter
    def rate(self, value: int) -> None:
        self._rate = max(0, value)

    @property
    def piece(self) -> int:
        """How many bytes a limited transfer reads at a time (0: no limit, read what is there).

        An eighth of a second's bytes, at least :data:`MIN_PIECE`: aiohttp hands over
        up to a few hundred KiB at once, which at a low rate would be charged and
        counted as one lump over seconds (docs/contracts.md §9).
        """
        rate = self.rate
        return max(MIN_PIECE, rate // 8) if rate else 0

    @property
    def own_rate(self) -> int:
        return self._rate

    async def consume(self, n: int) -> None:
        if self._rate > 0:
            now = time.monotonic()
            self._tokens = min(self._rate / 4, self._tokens + (now - self._stamp) * self._rate)
            self._stamp = now
            self._tokens -= n
            if self._tokens < 0:
                await asyncio.sleep(-self._tokens / self._rate)
        if self.parent is not None:
            await self.parent.consume(n)
