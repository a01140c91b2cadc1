"""Fixtures of the UI tests: a real FetchManager on a temporary SQLite file.

Load with ``pytest_plugins = ["tests.gui.ui_fixtures"]``. Async fixtures run
on the qasync loop that ``tests/gui/conftest.py`` provides, the same loop
the widgets use, as in the app.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import FailureReason, FetchRequest, Snapshot, State
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store
from bgfetch_gui.qt import QSettings

MB = 1024 * 1024


async def wait_until(predicate: Callable[[], bool], timeout: float = 10.0, what: str = "") -> None:
    """Let the loop (and so Qt) run until ``predicate()`` holds."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.02)


def make_snapshot(key: int, **fields: Any) -> Snapshot:
    """A snapshot for model tests that need no engine at all."""
    values: dict[str, Any] = {
        "id": f"fetch-{key}",
        "key": key,
        "title": f"Fetch {key}",
        "icons": (),
        "state": State.DOWNLOADING,
        "result": "",
        "failure_reason": FailureReason.NONE,
        "downloaded": 0,
        "download_total": 0,
        "uploaded": 0,
        "upload_total": 0,
        "dest": Path("/tmp/bgfetch-test") / str(key),
        "records_available": True,
        "created_at": 0.0,
        "expected_size": None,
    }
    values.update(fields)
    return Snapshot(**values)


# (id, title, result, failure_reason, paused, [(url, size, done)])
SEEDED = [
    ("done-1", "Ubuntu ISO", "success", "", 0, [("https://example.org/u.iso", 5 * MB, 5 * MB)]),
    ("done-2", "Podcast episode", "success", "",
     0, [("https://example.org/ep.mp3", 3 * MB, 3 * MB), ("https://example.org/ep.jpg", MB, MB)]),
    ("failed-1", "Conference talk", "failure", "fetch-error", 0,
     [("https://example.org/talk.mp4", 8 * MB, 2 * MB)]),
    ("aborted-1", "Old build", "failure", "aborted", 0,
     [("https://example.org/build.tar.xz", 4 * MB, MB)]),
    ("paused-1", "Holiday photos", "", "", 1,
     [("https://example.org/photos.zip", 10 * MB, 4 * MB)]),
]


def seed_store(store: Store, root: Path, rows: list[tuple[Any, ...]] = SEEDED) -> None:
    """Registrations as an earlier session left them: settled or paused, nothing to download."""
    for fetch_id, title, result, reason, paused, requests in rows:
        key = store.insert_registration(
            fetch_id, title, (), 0, root / fetch_id,
            [FetchRequest(url) for url, _, _ in requests], [0] * len(requests),
        )
        for idx, (url, size, done) in enumerate(requests):
            store.update_request(key, idx, status=200, filename=Path(url).name,
                                 bytes_done=done, size_total=size, complete=int(done == size))
        store.update_registration(key, result=result, failure_reason=reason, paused=paused,
                                  settled_at=time.time() if result else None)


class EngineFactory:
    """Builds started managers on temporary stores; closes them all after the test."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._made: list[tuple[FetchManager, Store]] = []

    async def __call__(self, *, seeded: bool = False, **settings: Any) -> FetchManager:
        folder = self.root / f"engine-{len(self._made)}"
        folder.mkdir()
        store = Store(folder / DB_NAME)
        if seeded:
            seed_store(store, folder / "seeded")
        # Fast retries: a failing test server must fail a fetch in well under a second.
        # One connection per file: the throttled downloads here must last as long as
        # their rate says (segmented downloads are tested in test_segmented.py).
        config = Settings(**{"retry_base_delay": 0.01, "retry_max_delay": 0.05,
                             "max_retries": 1, "connections_per_file": 1, **settings})
        manager = FetchManager(store, config, folder / "Downloads", NetworkMonitor())
        await manager.start()
        self._made.append((manager, store))
        return manager

    async def close(self) -> None:
        for manager, store in self._made:
            await manager.close()
            store.close()


@pytest.fixture
async def engines(tmp_path: Path) -> AsyncIterator[EngineFactory]:
    factory = EngineFactory(tmp_path)
    yield factory
    await factory.close()


@pytest.fixture
async def manager(engines: EngineFactory) -> FetchManager:
    """A started manager whose store holds the SEEDED registrations."""
    return await engines(seeded=True)


@pytest.fixture
def ui_state(tmp_path: Path) -> Iterator[QSettings]:
    """Window state in a file of the test's own, never the user's config."""
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    yield state
    state.sync()
