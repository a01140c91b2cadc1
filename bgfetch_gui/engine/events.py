"""Engine events: what the UI and the CLI subscribe to."""

from __future__ import annotations

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass

from .model import Snapshot

log = logging.getLogger("bgfetch.events")


class EventKind(enum.StrEnum):
    REGISTERED = "registered"
    PROGRESS = "progress"  # throttled to at most 10 per second and fetch
    STATE = "state"  # the live state changed (paused, retrying, waiting-for-network…)
    SUCCESS = "success"
    FAIL = "fail"
    ABORT = "abort"
    UPDATED = "updated"  # title or icons changed (update_ui)
    REMOVED = "removed"
    CLICK = "click"  # the user clicked the fetch's notification (backgroundfetchclick)


@dataclass(frozen=True)
class FetchEvent:
    kind: EventKind
    snapshot: Snapshot

    @property
    def settled(self) -> bool:
        return self.kind in (EventKind.SUCCESS, EventKind.FAIL, EventKind.ABORT)


Subscriber = Callable[[FetchEvent], None]


class EventBus:
    """Synchronous fan-out; a subscriber that raises is logged, never breaks the engine."""

    def __init__(self) -> None:
        self._subscribers: list[Subscriber] = []

    def subscribe(self, subscriber: Subscriber) -> Callable[[], None]:
        self._subscribers.append(subscriber)

        def unsubscribe() -> None:
            if subscriber in self._subscribers:
                self._subscribers.remove(subscriber)

        return unsubscribe

    def emit(self, event: FetchEvent) -> None:
        for subscriber in list(self._subscribers):
            try:
                subscriber(event)
            except Exception:
                log.exception("event subscriber failed on %s", event.kind)
