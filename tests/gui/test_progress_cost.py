"""A progress event costs the same with 10 or 10,000 stored registrations.

The app's real subscribers (the list model and the notification presenter)
follow one running fetch while the store holds many settled ones; the cost of
an event must not grow with them, and no event may stat a file.
"""

from __future__ import annotations

import gc
import json
import pathlib
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import FetchRequest
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store
from bgfetch_gui.platform.notifications.chain import InAppNotifier
from bgfetch_gui.platform.notifications.presenter import FetchNotifications
from bgfetch_gui.ui.fetch_model import FetchListModel

EVENTS = 300
ROUNDS = 5


def fill_store(folder: Path, settled: int) -> Store:
    """A real database with ``settled`` finished two-file fetches and one running one."""
    store = Store(folder / DB_NAME)
    store.close()
    db = sqlite3.connect(folder / DB_NAME)
    with db:
        db.executemany(
            "INSERT INTO registrations (key, id, title, dest, created_at, result, settled_at)"
            " VALUES (?, ?, ?, ?, ?, 'success', ?)",
            [(k, f"old-{k}", f"Old {k}", str(folder / f"b{k}"), k, k)
             for k in range(1, settled + 1)],
        )
        request = json.dumps(FetchRequest("http://127.0.0.1:9/a.bin").to_json())
        db.executemany(
            "INSERT INTO requests (reg_key, idx, request, filename, bytes_done, size_total,"
            " complete, status) VALUES (?, ?, ?, ?, 1000, 1000, 1, 200)",
            [(k, i, request, f"f{i}.bin") for k in range(1, settled + 1) for i in range(2)],
        )
    db.close()
    return Store(folder / DB_NAME)


class StatCounter:
    def __init__(self) -> None:
        self.calls = 0


@pytest.fixture
def stat_counter(monkeypatch: pytest.MonkeyPatch) -> Iterator[StatCounter]:
    counter = StatCounter()
    original = pathlib.Path.stat

    def counting(self: Path, *args: object, **kwargs: object) -> object:
        counter.calls += 1
        return original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pathlib.Path, "stat", counting)
    yield counter


class Following:
    """An engine of ``settled`` stored fetches, followed by the app's real subscribers."""

    def __init__(self, folder: Path, settled: int) -> None:
        folder.mkdir()
        self.store = fill_store(folder, settled)
        self.manager = FetchManager(self.store, Settings(), folder / "Downloads", NetworkMonitor())
        self.manager.load()
        self.model = FetchListModel()
        self.model.attach(self.manager)
        self.notifications = FetchNotifications(
            self.manager, InAppNotifier(lambda key, content: None)
        )
        self.best = float("inf")

    async def start(self) -> None:
        self.reg = await self.manager.fetch("running", ["http://127.0.0.1:8999/big.bin"])
        self.model.flush()

    def time_events(self) -> None:
        """Time ``EVENTS`` progress events; the collector's pauses (which grow with
        every live object, whatever the code does) are kept out of the measurement."""
        gc.disable()
        try:
            start = time.perf_counter()
            for _ in range(EVENTS):
                self.manager.progress(self.reg, force=True)
            self.best = min(self.best, (time.perf_counter() - start) / EVENTS)
        finally:
            gc.enable()
        self.model.flush()

    async def close(self) -> None:
        await self.notifications.close()
        self.model.detach()
        self.store.close()


async def test_progress_cost_does_not_grow_with_stored_registrations(
    tmp_path: Path, stat_counter: StatCounter
) -> None:
    few, many = Following(tmp_path / "few", 10), Following(tmp_path / "many", 10_000)
    await few.start()
    await many.start()
    stat_counter.calls = 0
    for _ in range(ROUNDS):  # alternated, so a busy moment of the machine hits both
        few.time_events()
        many.time_events()
    stats = stat_counter.calls
    await few.close()
    await many.close()
    print(f"per event: {few.best * 1e6:.0f} us with 10 stored, "
          f"{many.best * 1e6:.0f} us with 10,000")
    assert stats == 0, "a progress event stats files"
    # Scanning 10,000 registrations per event made it ~200 times dearer; equal work
    # stays within noise of each other, so a factor of 3 leaves room for a loaded machine.
    assert many.best <= 3 * few.best, f"{many.best / few.best:.1f} times dearer with 10,000"
