"""A queue to reorder: four fetches and one free slot (docs/contracts.md §10)."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import State
from bgfetch_gui.engine.registration import Registration
from tests.gui.ui_fixtures import wait_until
from tests.support.faultserver import FaultServer


def start_order(manager: FetchManager) -> list[str]:
    """The ids of the fetches as they start downloading, kept up to date."""
    started: list[str] = []

    def starts(event: FetchEvent) -> None:
        if event.kind == EventKind.STATE and event.snapshot.state == State.DOWNLOADING:
            started.append(event.snapshot.id)

    manager.events.subscribe(starts)
    return started


@contextlib.asynccontextmanager
async def four_in_one_slot(
    manager: FetchManager, fault_server: FaultServer, hold: str
) -> AsyncIterator[tuple[Registration, Registration, Registration, Registration]]:
    """Fetches a, b, c and d under ``max_active_fetches=1``: a is under way, its
    server holding the body until the block ends; b, c and d wait in the queue."""
    with fault_server.holding(hold) as key:
        a = await manager.fetch("a", fault_server.url("a.bin", size=1000, hold=key))
        await wait_until(lambda: fault_server.held(key) == 1, 20, what="a to be under way")
        b, c, d = [await manager.fetch(name, fault_server.url(f"{name}.bin", size=1000))
                   for name in ("b", "c", "d")]
        yield a, b, c, d
