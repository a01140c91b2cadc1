"""A stall timeout whose deadline moves with every byte, without a timer per byte.

aiohttp's ``sock_read`` timeout re-arms a loop timer on every socket read; on
qasync each of those is a QTimer created and killed, thousands per second at
loopback speed. This guard keeps one timer that wakes only when the deadline
could have passed, and otherwise works like ``asyncio.timeout``: it cancels
the guarded task and turns that cancellation into ``TimeoutError``.

It also holds the lowest-speed rule: a reply that brings fewer than
``lowest_speed`` bytes/s over a whole ``window`` (a trickle that is never quite
silent) is cut like a stall, and the transfer retries from its checkpoint, a
bounded number of times (docs/contracts.md §3).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType


class StallGuard:
    def __init__(self, limit: float, lowest_speed: int = 0, window: float = 60.0) -> None:
        self.limit = limit
        self.lowest_speed = lowest_speed
        self.window = window
        self._last = time.monotonic()
        self._fired: str | None = None
        self._task: asyncio.Task[object] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._suspended = 0
        self._suspended_at = 0.0
        # The current speed window: when it began, the bytes in it, and how
        # long we spent waiting on ourselves in it (not the server's fault).
        self._window_start = self._last
        self._window_bytes = 0
        self._window_paused = 0.0

    def touch(self, n: int = 0) -> None:
        """``n`` bytes arrived: the deadline is ``limit`` seconds from now."""
        self._last = time.monotonic()
        self._window_bytes += n

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """While we wait on ourselves (a speed limit, the disk), the clock does not run."""
        if not self._suspended:
            self._suspended_at = time.monotonic()
        self._suspended += 1
        try:
            yield
        finally:
            self._suspended -= 1
            if not self._suspended:
                self._window_paused += time.monotonic() - self._suspended_at
            self.touch()

    async def __aenter__(self) -> StallGuard:
        self._task = asyncio.current_task()
        self._last = self._window_start = time.monotonic()
        self._timer = asyncio.get_running_loop().call_later(self._next_check(), self._check)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._fired is not None and exc_type is asyncio.CancelledError:
            assert self._task is not None
            # Only our own cancel: one from outside (pause, shutdown) still wins.
            if self._task.uncancel() == 0:
                raise TimeoutError(self._fired) from exc

    def _window_active(self, now: float) -> float:
        """Seconds of the current window the server, not we, had to send bytes."""
        paused = self._window_paused + (now - self._suspended_at if self._suspended else 0.0)
        return now - self._window_start - paused

    def _next_check(self) -> float:
        if not self.lowest_speed:
            return self.limit
        return min(self.limit, self.window)

    def _check(self) -> None:
        now = time.monotonic()
        idle = 0.0 if self._suspended else now - self._last
        if idle >= self.limit:
            self._fire(f"no byte for {self.limit:.0f} s")
            return
        delay = self.limit - idle
        if self.lowest_speed:
            active = self._window_active(now)
            if active >= self.window:
                if self._window_bytes < self.lowest_speed * active:
                    self._fire(
                        f"slower than {self.lowest_speed} bytes/s for {self.window:.0f} s"
                    )
                    return
                self._window_start, self._window_bytes, self._window_paused = now, 0, 0.0
                active = 0.0
            delay = min(delay, self.window - active)
        self._timer = asyncio.get_running_loop().call_later(max(delay, 0.01), self._check)

    def _fire(self, why: str) -> None:
        self._fired = why
        assert self._task is not None
        self._task.cancel()
