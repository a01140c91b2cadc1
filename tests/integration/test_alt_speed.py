"""The alternative speed limit on a schedule (docs/contracts.md §9): it replaces the
global limit while on, turns on and off at its window's edges (a clock the test moves
on), a toggle in between holds until the next edge, and a saved toggle outlives a
restart. The rate is measured on a real download from the loopback server."""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from bgfetch_gui.engine.alt_speed import global_rate
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store
from tests.integration.engine_fixtures import Engine, fast_settings, stop_engine
from tests.support.clock import ManualClock
from tests.support.faultserver import FaultServer

HOUR = 3600.0
KIB = 1024
WEDNESDAY_0030 = datetime(2026, 12, 2, 0, 30).timestamp()  # local time


async def start_engine(home: Path, clock: ManualClock, settings: Settings) -> Engine:
    manager = FetchManager(Store(home / DB_NAME), settings, home / "Downloads",
                           NetworkMonitor(), clock=clock)
    engine = Engine(manager, home)
    await manager.start()
    return engine


async def timed_fetch(engine: Engine, fault_server: FaultServer, name: str) -> float:
    """Seconds a 1 MiB download takes. The token bucket holds a quarter second of bytes,
    so under a limit it cannot take less than (1 MiB - rate/4) / rate, however the body
    is cut into pieces."""
    started = time.monotonic()
    reg = await engine.manager.fetch(name, fault_server.url(f"{name}.bin", size=1024 * KIB))
    await engine.settled(reg)
    assert reg.result == "success"
    return time.monotonic() - started


async def test_the_schedule_switches_the_limit_and_a_toggle_holds_until_its_next_edge(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    clock = ManualClock(WEDNESDAY_0030)
    settings = fast_settings(speed_limit=0, alt_speed_limit=512 * KIB,
                             alt_speed_schedule="01:00-07:00 mon-fri")
    engine = await start_engine(tmp_path, clock, settings)
    manager = engine.manager
    told: list[bool] = []
    manager.alt_speed_listeners.append(told.append)
    try:
        assert manager.limiter.rate == 0 and not manager.settings.alt_speed_on
        clock.advance(HOUR / 2)  # 01:00: the window opens
        await _until(lambda: manager.limiter.rate == 512 * KIB)
        assert manager.settings.alt_speed_on and told == [True]
        assert await timed_fetch(engine, fault_server, "turtle") >= 1.7  # (1024-128)/512

        manager.set_alt_speed(False)  # the tray's toggle, inside the window
        assert manager.limiter.rate == 0 and told == [True, False]
        assert await timed_fetch(engine, fault_server, "hare") < 1.5
        clock.advance(HOUR)  # 02:00: no edge
        manager.set_alt_speed(True)  # toggled on again: it holds until the next edge
        clock.advance(5 * HOUR)  # 07:00: the window closes, and takes it off
        await _until(lambda: told == [True, False, True, False])
        assert manager.limiter.rate == 0 and not manager.settings.alt_speed_on
        clock.advance(18 * HOUR)  # Thursday 01:00: on again
        await _until(lambda: manager.limiter.rate == 512 * KIB)
        assert told == [True, False, True, False, True]
    finally:
        await stop_engine(engine)


async def test_a_toggle_without_a_schedule_is_saved_and_outlives_a_restart(
    tmp_path: Path
) -> None:
    clock = ManualClock(WEDNESDAY_0030)
    settings = fast_settings(speed_limit=0, alt_speed_limit=100 * KIB)
    engine = await start_engine(tmp_path, clock, settings)
    assert engine.manager.limiter.rate == 0
    engine.manager.set_alt_speed(True)
    assert engine.manager.limiter.rate == 100 * KIB
    engine.manager.settings.save(tmp_path)  # what the window does after the toggle
    await stop_engine(engine)

    loaded = Settings.load(tmp_path)
    assert loaded.alt_speed_on and global_rate(loaded) == 100 * KIB
    engine = await start_engine(tmp_path, clock, loaded)
    try:
        assert engine.manager.limiter.rate == 100 * KIB
        # No alternative limit configured: on means nothing, the usual limit stays.
        engine.manager.apply_settings(fast_settings(speed_limit=5000, alt_speed_on=True))
        assert engine.manager.limiter.rate == 5000
    finally:
        await stop_engine(engine)


async def _until(condition: Callable[[], bool]) -> None:
    async with asyncio.timeout(20):
        while not condition():
            await asyncio.sleep(0.01)


def test_bad_alternative_settings_are_ignored_naming_the_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "settings.json").write_text(json.dumps(
        {"alt_speed_limit": -5, "alt_speed_schedule": "office hours", "alt_speed_on": True}))
    with caplog.at_level(logging.WARNING, logger="bgfetch.settings"):
        loaded = Settings.load(tmp_path)
    assert (loaded.alt_speed_limit, loaded.alt_speed_schedule, loaded.alt_speed_on) == (
        0, "", True)
    assert "'alt_speed_limit'" in caplog.text and "'alt_speed_schedule'" in caplog.text
    assert Settings(alt_speed_schedule="25:00-07:00").problems() == [
        "alt_speed_schedule: 25:00 is not a time of day"]
