"""Quit bgfetch once the queue empties, with ``quit_when_done`` on (docs/contracts.md §10).

"Empty" is nothing queued, downloading, retrying or waiting for the network: paused
fetches stay paused for the next start and do not hold bgfetch. Only an emptying
counts (the last fetch settling, being paused or removed), so an engine that starts
with nothing to do keeps running. The quit comes a few seconds later, so the last
outcome's notification is shown, and new work in between cancels it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from .events import EventKind, FetchEvent
from .model import State

if TYPE_CHECKING:
    from .manager import FetchManager

log = logging.getLogger("bgfetch.quit_when_done")

QUIT_DELAY = 5.0  # outcomes are gathered 1 s before their notification shows
_CHANGES = frozenset(EventKind) - {EventKind.PROGRESS, EventKind.UPDATED, EventKind.CLICK}


def has_work(manager: FetchManager) -> bool:
    return any(reg.active and reg.state != State.PAUSED for reg in manager.registrations())


class QuitWhenDone:
    def __init__(self, manager: FetchManager, quit_app: Callable[[], None],
                 delay: float = QUIT_DELAY) -> None:
        self._manager = manager
        self._quit = quit_app
        self._delay = delay
        self._busy = has_work(manager)
        self._timer: asyncio.TimerHandle | None = None
        self._unsubscribe = manager.events.subscribe(self._on_event)

    @property
    def planned(self) -> bool:
        """Whether a quit is on its way (the queue emptied less than the delay ago)."""
        return self._timer is not None

    def _on_event(self, event: FetchEvent) -> None:
        if event.kind not in _CHANGES:
            return  # progress comes 10 times a second; it never empties the queue
        busy = has_work(self._manager)
        if busy and self._timer is not None:
            self._timer.cancel()
            self._timer = None
        elif not busy and self._busy and self._manager.settings.quit_when_done:
            self._timer = asyncio.get_running_loop().call_later(self._delay, self._fire)
        self._busy = busy

    def _fire(self) -> None:
        self._timer = None
        if self._manager.settings.quit_when_done and not has_work(self._manager):
            log.info("the queue is empty: quitting (quit_when_done)")
            self._quit()

    def close(self) -> None:
        self._unsubscribe()
        if self._timer is not None:
            self._timer.cancel()
