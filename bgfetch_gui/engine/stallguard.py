"""A stall timeout whose deadline moves with every byte, without a timer per byte.

aiohttp's ``sock_read`` timeout re-arms a loop timer on every socket read; on
qasync each of those is a QTimer created and killed, thousands per second at
loopback speed. This guard keeps one timer that wakes only when the deadline
could have passed, and otherwise works like ``asyncio.timeout``: it cancels
the guarded task and turns that cancellation into ``TimeoutError``.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import TracebackType


class StallGuard:
    def __init__(self, limit: float) -> None:
        self.limit = limit
        self._last = time.monotonic()
        self._fired = False
        self._task: asyncio.Task[object] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._suspended = 0

    def touch(self) -> None:
        """Something arrived: the deadline is ``limit`` seconds from now."""
        self._last = time.monotonic()

    @contextmanager
    def suspended(self) -> Iterator[None]:
        """While we wait on ourselves (a speed limit, the disk), the clock does not run."""
        self._suspended += 1
        try:
            yield
        finally:
            self._suspended -= 1
            self.touch()

    async def __aenter__(self) -> StallGuard:
        self._task = asyncio.current_task()
        self._last = time.monotonic()
        self._timer = asyncio.get_running_loop().call_later(self.limit, self._check)
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._timer is not None:
            self._timer.cancel()
        if self._fired and exc_type is asyncio.CancelledError:
            assert self._task is not None
            # Only our own cancel: one from outside (pause, shutdown) still wins.
            if self._task.uncancel() == 0:
                raise TimeoutError(f"no byte for {self.limit:.0f} s") from exc

    def _check(self) -> None:
        idle = 0.0 if self._suspended else time.monotonic() - self._last
        if idle >= self.limit:
            self._fired = True
            assert self._task is not None
            self._task.cancel()
        else:
            self._timer = asyncio.get_running_loop().call_later(self.limit - idle, self._check)
