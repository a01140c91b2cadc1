"""Schedules (docs/contracts.md §10): "start at" for one fetch and the global window,
against the loopback fault server with a clock the test moves on (nothing sleeps for
minutes), across a restart, and from the command line."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.manifest import parse_spec
from bgfetch_gui.engine.model import FetchOptions, FetchRequest, State
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.schedule import parse_start_at, parse_window
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store
from tests.integration.cli_helpers import HOLD_SETTINGS, Home, describe
from tests.integration.engine_fixtures import Engine, fast_settings, stop_engine
from tests.support.clock import ManualClock
from tests.support.faultserver import FaultServer

HOUR = 3600.0
WEDNESDAY_0030 = datetime(2026, 12, 2, 0, 30).timestamp()  # local time


async def start_engine(home: Path, clock: ManualClock, **settings: object) -> Engine:
    store = Store(home / DB_NAME)
    manager = FetchManager(store, fast_settings(**settings), home / "Downloads",
                           NetworkMonitor(), clock=clock)
    engine = Engine(manager, home)
    manager.events.subscribe(engine.events.append)
    await manager.start()
    return engine


async def until(condition: Callable[[], bool], what: str) -> None:
    async with asyncio.timeout(20):
        while not condition():
            await asyncio.sleep(0.01)
    assert condition(), what


def waiting(reg: Registration, reason: str) -> bool:
    snap = reg.snapshot()
    return snap.state == State.QUEUED and snap.problem == reason


async def test_start_at_holds_one_fetch_until_its_time_even_across_a_restart(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    clock = ManualClock(WEDNESDAY_0030)
    engine = await start_engine(tmp_path, clock)
    later = await engine.manager.fetch("later", fault_server.url("later.bin", size=1000),
                                       FetchOptions(start_at=WEDNESDAY_0030 + HOUR))
    now = await engine.manager.fetch("now", fault_server.url("now.bin", size=1000))
    await engine.settled(now)
    assert waiting(later, "starts at 01:30"), later.snapshot()
    assert fault_server.requests_for("later.bin") == []
    await stop_engine(engine)

    clock.advance(HOUR - 60)  # 01:29 at the restart: still waiting
    engine = await start_engine(tmp_path, clock)
    try:
        again = engine.manager.get("later")
        assert again is not None
        await until(lambda: waiting(again, "starts at 01:30"), "queued until 01:30")
        clock.advance(60)
        await engine.settled(again)
        assert again.result == "success"
    finally:
        await stop_engine(engine)


async def test_the_schedule_window_starts_and_stops_fetches(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    clock = ManualClock(WEDNESDAY_0030)
    engine = await start_engine(tmp_path, clock, schedule="01:00-07:00 mon-fri",
                                stall_timeout=60.0)
    try:
        with fault_server.holding("night") as key:
            reg = await engine.manager.fetch(
                "night", fault_server.url("night.bin", size=1 << 20, hold=key, hold_after=1 << 19))
            await until(lambda: waiting(reg, "runs 01:00-07:00 mon-fri; next at 01:00"),
                        "queued before the window")
            clock.advance(HOUR / 2)  # 01:00: the window opens
            await until(lambda: fault_server.held(key) == 1, "the transfer under way")
            await until(lambda: reg.downloaded == 1 << 19, "the first half on disk")
            assert reg.state == State.DOWNLOADING
            clock.advance(6 * HOUR)  # 07:00: it closes, the fetch stops and waits
            await until(lambda: waiting(reg, "runs 01:00-07:00 mon-fri; next at Thu 01:00"),
                        "queued after the window")
            await until(lambda: fault_server.held(key) == 0, "the connection closed")
        clock.advance(18 * HOUR)  # Thursday 01:00
        await engine.settled(reg)
        assert reg.result == "success"
        ranges = [r.headers.get("Range") for r in fault_server.requests_for("night.bin")]
        assert ranges == [None, f"bytes={1 << 19}-"]  # resumed, not restarted
    finally:
        await stop_engine(engine)


def test_windows_and_start_times_parse_and_bad_ones_are_named() -> None:
    window = parse_window("22:00-06:00 sat,sun")
    assert window is not None
    saturday_2300 = datetime(2026, 12, 5, 23, 0).timestamp()
    assert window.is_open(saturday_2300) and window.is_open(saturday_2300 + 4 * HOUR)
    # Sunday's window runs into Monday morning; Monday's evening has none.
    assert window.is_open(datetime(2026, 12, 7, 5, 0).timestamp())
    assert not window.is_open(datetime(2026, 12, 7, 23, 0).timestamp())
    assert window.next_open(saturday_2300) == datetime(2026, 12, 6, 22, 0).timestamp()
    long_weekend = parse_window("01:00-07:00 fri-mon")
    assert long_weekend is not None and long_weekend.days == frozenset({4, 5, 6, 0})
    assert parse_window("") is None
    for bad, problem in (("1-7", "expected HH:MM-HH:MM"), ("25:00-07:00", "not a time of day"),
                         ("01:00-01:00", "same time"), ("01:00-07:00 someday", "days")):
        with pytest.raises(ValueError, match=problem):
            parse_window(bad)
    assert parse_start_at("01:30", WEDNESDAY_0030) == WEDNESDAY_0030 + HOUR
    assert parse_start_at("00:00", WEDNESDAY_0030) == WEDNESDAY_0030 + 23.5 * HOUR
    assert parse_start_at("2026-12-24T01:30", 0) == datetime(2026, 12, 24, 1, 30).timestamp()
    for bad in ("24:00", "soon", "2026-13-01"):
        with pytest.raises(ValueError):
            parse_start_at(bad, WEDNESDAY_0030)


def test_a_bad_schedule_setting_is_ignored_with_a_warning(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / "settings.json").write_text(json.dumps({"schedule": "nightly"}))
    with caplog.at_level(logging.WARNING):
        assert Settings.load(tmp_path).schedule == ""
    assert "'schedule'" in caplog.text and "HH:MM-HH:MM" in caplog.text
    (tmp_path / "settings.json").write_text(json.dumps({"schedule": "01:00-07:00 mon-fri"}))
    assert Settings.load(tmp_path).schedule == "01:00-07:00 mon-fri"


def test_manifest_start_at() -> None:
    spec = parse_spec({"requests": ["https://example.org/a"],
                       "options": {"startAt": "2026-12-24T01:30"}})
    assert spec.options.start_at == datetime(2026, 12, 24, 1, 30).timestamp()
    assert parse_spec(spec.to_json()).options.start_at == spec.options.start_at
    for bad in ("soon", -1, True):
        with pytest.raises(InvalidFetch, match=r"options\.startAt"):
            parse_spec({"requests": ["https://example.org/a"], "options": {"startAt": bad}})


def test_cli_start_at(home: Home, fault_server: FaultServer) -> None:
    home.write_settings(**HOLD_SETTINGS)
    for bad in ("25:00", "tomorrow"):
        proc = home.run("fetch", "--start-at", bad, fault_server.url("x.bin", size=10))
        assert proc.returncode == 2 and proc.stderr.startswith("bgfetch: --start-at: "), \
            describe(proc)
        assert len(proc.stderr.strip().splitlines()) == 1
    home.ok("fetch", "--id", "xmas", "--start-at", "2099-12-24T01:30",
            fault_server.url("xmas.bin", size=10))
    shown = home.show("xmas")
    assert shown["state"] == "queued" and shown["problem"] == "starts at 2099-12-24 01:30", shown
    home.ok("quit")
    assert fault_server.requests_for("xmas.bin") == []


async def test_a_post_under_way_finishes_when_the_window_closes(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    """A request sent once (§1) is never cut by the schedule: it would have to go again."""
    clock = ManualClock(WEDNESDAY_0030 + HOUR)  # 01:30, in the window
    engine = await start_engine(tmp_path, clock, schedule="01:00-07:00", stall_timeout=60.0)
    try:
        with fault_server.holding("post") as key, fault_server.holding("get") as other:
            reg = await engine.manager.fetch("post", FetchRequest(
                fault_server.url("post.bin", size=1 << 20, hold=key, hold_after=1 << 19),
                method="POST"))
            get = await engine.manager.fetch("get", fault_server.url(
                "get.bin", size=1 << 20, hold=other, hold_after=1 << 19))
            await until(lambda: fault_server.held(key) == fault_server.held(other) == 1,
                        "both under way")
            clock.advance(6 * HOUR)  # 07:30: closed
            await until(lambda: get.state == State.QUEUED, "the GET stopped by the schedule")
            assert reg.state == State.DOWNLOADING and fault_server.held(key) == 1
        await engine.settled(reg)
        assert reg.result == "success"
        assert len(fault_server.requests_for("post.bin")) == 1
    finally:
        await stop_engine(engine)


async def test_start_at_set_later_stops_a_running_fetch_and_holds_across_a_restart(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    """What the window's "Start at" does (FetchManager.set_start_at): a running fetch
    given a later time stops, checkpointed, and resumes by Range at that time."""
    clock = ManualClock(WEDNESDAY_0030)
    engine = await start_engine(tmp_path, clock, stall_timeout=60.0)
    with fault_server.holding("set") as key:
        reg = await engine.manager.fetch(
            "set", fault_server.url("set.bin", size=1 << 20, hold=key, hold_after=1 << 19))
        await until(lambda: reg.downloaded == 1 << 19, "the first half on disk")
        engine.manager.set_start_at(reg, WEDNESDAY_0030 + 2 * HOUR)
        assert engine.manager.start_at(reg) == WEDNESDAY_0030 + 2 * HOUR
        await until(lambda: waiting(reg, "starts at 02:30"), "stopped, waiting for 02:30")
        await until(lambda: fault_server.held(key) == 0, "the connection closed")
    await stop_engine(engine)

    engine = await start_engine(tmp_path, clock)
    try:
        again = engine.manager.get("set")
        assert again is not None
        await until(lambda: waiting(again, "starts at 02:30"), "still waiting after a restart")
        engine.manager.set_start_at(again, 0)  # "Now"
        await engine.settled(again)
        assert again.result == "success" and engine.manager.start_at(again) == 0
        ranges = [r.headers.get("Range") for r in fault_server.requests_for("set.bin")]
        assert ranges == [None, f"bytes={1 << 19}-"]
        with pytest.raises(InvalidFetch, match="has settled"):
            engine.manager.set_start_at(again, WEDNESDAY_0030 + 3 * HOUR)
    finally:
        await stop_engine(engine)
    store = Store(tmp_path / DB_NAME)
    try:
        assert store.start_times() == {}  # cleared in the database too
    finally:
        store.close()
