"""A real FetchManager on a temporary SQLite file, with settings fast enough for tests."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store


def fast_settings(**overrides: object) -> Settings:
    return Settings.from_dict({
        "retry_base_delay": 0.05,
        "retry_max_delay": 0.2,
        "max_retries": 3,
        "stall_timeout": 1.0,
        "connect_timeout": 2.0,
        "checkpoint_seconds": 0.1,
        # One stream per file, as these tests expect; test_segmented.py sets its own.
        "connections_per_file": 1,
        **overrides,
    })


@dataclass
class Engine:
    manager: FetchManager
    home: Path
    events: list[FetchEvent] = field(default_factory=list)

    async def settled(self, reg: Registration, timeout: float = 30.0) -> Registration:
        """Wait until ``reg`` settles; fail the test if it takes longer than ``timeout``."""
        async with asyncio.timeout(timeout):
            while reg.active:
                await asyncio.sleep(0.01)
        return reg

    def kinds(self, reg: Registration) -> list[EventKind]:
        return [e.kind for e in self.events if e.snapshot.key == reg.key]


async def start_engine(home: Path, settings: Settings | None = None,
                       monitor: NetworkMonitor | None = None) -> Engine:
    store = Store(home / DB_NAME)
    manager = FetchManager(store, settings or fast_settings(), home / "Downloads", monitor)
    engine = Engine(manager, home)
    manager.events.subscribe(engine.events.append)
    await manager.start()
    return engine


async def stop_engine(engine: Engine) -> None:
    await engine.manager.close()
    engine.manager.store.close()


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    started = await start_engine(tmp_path)
    yield started
    await stop_engine(started)


EngineFactory = Callable[..., Awaitable[Engine]]


@pytest.fixture
async def engine_series(tmp_path: Path) -> AsyncIterator[EngineFactory]:
    """Engines on one data folder, one after the other (a restart is a new engine)."""
    started: list[Engine] = []

    async def make(**overrides: object) -> Engine:
        engine = await start_engine(tmp_path, fast_settings(**overrides))
        started.append(engine)
        return engine

    yield make
    for engine in started:
        if not engine.manager._closing:
            await stop_engine(engine)
