"""Quit when the queue empties (docs/contracts.md §10): with ``quit_when_done`` on, the
engine's host quits once nothing is queued, running or waiting (paused fetches do not
hold it), not at a start with nothing to do, and new work cancels a pending quit. A
real daemon process leaves by itself after its last download."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bgfetch_gui.engine.quit_when_done import QuitWhenDone
from tests.integration.cli_helpers import HOLD_SETTINGS, Home, describe, wait_until
from tests.integration.engine_fixtures import fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer


async def test_the_host_is_told_to_quit_once_the_queue_empties(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, fast_settings(quit_when_done=True,
                                                        stall_timeout=60.0))
    manager = engine.manager
    quit_now = asyncio.Event()
    watcher = QuitWhenDone(manager, quit_now.set, delay=0.2)
    try:
        with fault_server.holding("last") as key:
            paused = await manager.fetch("paused", fault_server.url("p.bin", size=1 << 20,
                                                                      hold=key))
            await manager.pause(paused)  # paused fetches wait for the next start
            last = await manager.fetch("last", fault_server.url("last.bin", size=1000,
                                                                  hold=key, hold_after=500))
            async with asyncio.timeout(20):
                while fault_server.held(key) < 1:
                    await asyncio.sleep(0.01)
            assert not quit_now.is_set()  # a start with nothing to do did not quit
        await engine.settled(last)
        async with asyncio.timeout(20):
            await quit_now.wait()
        assert paused.active  # still there for the next start
    finally:
        watcher.close()
        await stop_engine(engine)


async def test_new_work_cancels_a_pending_quit_and_the_setting_off_keeps_running(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, fast_settings(stall_timeout=60.0))
    manager = engine.manager
    quit_now = asyncio.Event()
    watcher = QuitWhenDone(manager, quit_now.set, delay=30.0)
    try:
        first = await engine.settled(await manager.fetch(
            "first", fault_server.url("first.bin", size=100)))
        assert first.result == "success" and not watcher.planned  # the setting is off
        manager.apply_settings(fast_settings(quit_when_done=True, stall_timeout=60.0))
        with fault_server.holding("second") as key:
            # Setting off when the queue emptied: nothing was planned, so this one runs.
            second = await manager.fetch("second", fault_server.url(
                "second.bin", size=1000, hold=key, hold_after=500))
            async with asyncio.timeout(20):
                while fault_server.held(key) < 1:
                    await asyncio.sleep(0.01)
            assert not quit_now.is_set()
        await engine.settled(second)
        assert watcher.planned  # emptied: the quit is on its way...
        third = await manager.fetch("third", fault_server.url("third.bin", size=100))
        assert not watcher.planned and not quit_now.is_set()  # ...and new work cancels it
        await engine.settled(third)
        assert watcher.planned
    finally:
        watcher.close()
        await stop_engine(engine)


def test_a_daemon_quits_by_itself_after_its_last_download(
    home: Home, fault_server: FaultServer
) -> None:
    home.write_settings(**HOLD_SETTINGS, quit_when_done=True)
    dest = home.path.parent / "out"
    home.ok("fetch", "--id", "only", "--dest", str(dest),
            fault_server.url("only.bin", size=1000, hold="only", hold_after=500))
    info = home.ping()
    assert info is not None and info["kind"] == "daemon"
    pid = info["pid"]
    fault_server.release("only")
    wait_until(lambda: pid not in home.processes(), 60, what="the daemon to quit by itself")
    assert home.engine_pid() is None
    shown = home.show("only")  # answered from the database now
    assert shown["result"] == "success", describe(home.run("show", "only"))
    assert "quitting (quit_when_done)" in (home.path / "daemon.log").read_text()
