"""Run engine coroutines from Qt slots without losing them or their errors.

A slot cannot ``await``; it starts a task on the qasync loop. asyncio keeps
only a weak reference to tasks, so we hold them until they finish, and an
exception is reported to the user (status bar) and the log instead of
vanishing into "Task exception was never retrieved".
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from bgfetch_gui.engine.errors import BgfetchError

log = logging.getLogger("bgfetch.ui")


class TaskRunner:
    def __init__(self, on_error: Callable[[str], None] | None = None) -> None:
        self.on_error = on_error
        self._tasks: set[asyncio.Task[Any]] = set()

    def spawn(self, coro: Coroutine[Any, Any, Any], what: str = "") -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(lambda t: self._finished(t, what))
        return task

    def _finished(self, task: asyncio.Task[Any], what: str) -> None:
        self._tasks.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is None:
            return
        if isinstance(exc, BgfetchError):
            log.info("%s: %s", what or "action", exc)
        else:
            log.error("%s failed", what or "action", exc_info=exc)
        if self.on_error is not None:
            message = str(exc) or type(exc).__name__
            self.on_error(f"{what}: {message}" if what else message)

    @property
    def pending(self) -> int:
        return len(self._tasks)

    async def wait(self) -> None:
        """Let running actions finish (used at quit, before the engine closes)."""
        if self._tasks:
            await asyncio.gather(*self._tasks, return_exceptions=True)
