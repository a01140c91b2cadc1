"""A live progress notification is rebuilt at most once per interval, with the newest numbers.

Building its texts cost more than the rest of a progress event (issue 8), and
no notification server draws one faster, so the presenter skips the events in
between and sends the newest snapshot when the interval is over.
"""

from __future__ import annotations

import time
from itertools import pairwise
from pathlib import Path

import pytest

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import State
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import Store
from bgfetch_gui.platform.notifications import FetchNotifications, InAppNotifier
from bgfetch_gui.platform.notifications import presenter as presenter_module
from bgfetch_gui.platform.notifications.notifier import NotificationContent
from tests.gui.test_notifications import until
from tests.support.faultserver import FaultServer

INTERVAL = 0.3


async def test_progress_is_rebuilt_once_per_interval_and_keeps_up(
    tmp_path: Path, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presenter_module, "PROGRESS_AFTER_S", 0.1)
    monkeypatch.setattr(presenter_module, "PROGRESS_UPDATE_S", INTERVAL)
    store = Store(tmp_path / "data" / "bgfetch.sqlite3")
    manager = FetchManager(store, Settings(), tmp_path / "Downloads", NetworkMonitor())
    await manager.start()
    progress_events: list[float] = []
    shown: list[tuple[float, NotificationContent]] = []

    def on_event(event: FetchEvent) -> None:
        if event.kind == EventKind.PROGRESS and event.snapshot.state == State.DOWNLOADING:
            progress_events.append(time.monotonic())

    def sink(_key: str, content: NotificationContent | None) -> None:
        if content is not None and content.ongoing:
            shown.append((time.monotonic(), content))

    manager.events.subscribe(on_event)
    notifications = FetchNotifications(manager, InAppNotifier(sink))
    try:
        reg = await manager.fetch(
            "rate", [fault_server.url("rate.bin", size=2_000_000, rate=800_000)])
        await until(lambda: not reg.active, timeout=30, what="the fetch to settle")
    finally:
        await notifications.close()
        await manager.close()
        store.close()

    assert reg.result == "success"
    gaps = [later - earlier for (earlier, _), (later, _) in pairwise(shown)]
    assert len(shown) >= 3, f"{len(shown)} progress updates in a {len(progress_events)}-event run"
    assert min(gaps) >= INTERVAL * 0.95, gaps
    assert len(shown) < len(progress_events) / 2, (len(shown), len(progress_events))
    # The numbers move: each update carries the snapshot of its moment, not the first one.
    assert len({content.body for _, content in shown}) == len(shown)
