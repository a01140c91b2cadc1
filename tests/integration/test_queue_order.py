"""Queue order (docs/contracts.md §10): queued fetches start in the order the user
put them in, through the manager, `bgfetch move` (with and without an engine) and
across a restart. One slot (max_active_fetches=1) and a held first body make the
order of starts the whole observation; nothing sleeps."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bgfetch_gui.engine.events import EventKind
from bgfetch_gui.engine.model import State
from tests.integration.cli_helpers import HOLD_SETTINGS, Home, describe
from tests.integration.engine_fixtures import Engine, fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer

ONE_SLOT = fast_settings(max_active_fetches=1)


def start_order(engine: Engine) -> list[str]:
    """The ids of the fetches in the order they started downloading."""
    order: list[str] = []
    for event in engine.events:
        if (event.kind == EventKind.STATE and event.snapshot.state == State.DOWNLOADING
                and event.snapshot.id not in order):
            order.append(event.snapshot.id)
    return order


async def held(fault_server: FaultServer, key: str) -> None:
    async with asyncio.timeout(20):
        while fault_server.held(key) < 1:
            await asyncio.sleep(0.01)


async def test_queued_fetches_start_in_queue_order_not_registration_order(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, ONE_SLOT)
    try:
        with fault_server.holding("first") as key:
            first = await engine.manager.fetch(
                "first", fault_server.url("first.bin", size=1000, hold=key))
            await held(fault_server, key)
            regs = [await engine.manager.fetch(name, fault_server.url(f"{name}.bin", size=1000))
                    for name in ("b", "c", "d", "e")]
            assert [r.state for r in regs] == [State.QUEUED] * 4
            manager = engine.manager
            assert manager.move(regs[3], "top") == 1  # e, first, b, c, d
            assert manager.move(regs[1], "up") == 3  # e, first, c, b, d
            assert manager.move(regs[0], "bottom") == 5  # e, first, c, d, b
            assert manager.move(regs[2], "down") == 5  # e, first, c, b, d
            assert manager.move(regs[3], "up") == 1  # already first: stays
            assert [r.id for r in manager.queue()] == ["e", "first", "c", "b", "d"]
            assert start_order(engine) == ["first"]  # a move does not start anything
        for reg in (first, *regs):
            await engine.settled(reg)
        assert start_order(engine) == ["first", "e", "c", "b", "d"]
        assert all(r.result == "success" for r in (first, *regs))
    finally:
        await stop_engine(engine)


async def test_the_queue_order_outlives_a_restart(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, ONE_SLOT)
    with fault_server.holding("a") as key:
        await engine.manager.fetch("a", fault_server.url("a.bin", size=1000, hold=key))
        await held(fault_server, key)
        later = [await engine.manager.fetch(name, fault_server.url(f"{name}.bin", size=1000))
                 for name in ("b", "c")]
        engine.manager.move(later[1], "top")  # c, a, b
        await stop_engine(engine)

        engine = await start_engine(tmp_path, ONE_SLOT)
        try:
            c = engine.manager.get("c")
            assert c is not None
            await engine.settled(c)  # c ran first: a is still held, and waits
            fresh = await engine.manager.fetch("d", fault_server.url("d.bin", size=1000))
            assert [r.id for r in engine.manager.queue()] == ["a", "b", "d"]
            fault_server.release(key)
            for reg in engine.manager.queue():
                await engine.settled(reg)
            await engine.settled(fresh)
            assert start_order(engine) == ["c", "a", "b", "d"]
        finally:
            await stop_engine(engine)


def test_cli_move_with_and_without_an_engine(home: Home, fault_server: FaultServer) -> None:
    home.write_settings(**HOLD_SETTINGS, max_active_fetches=1)
    with fault_server.holding("cli-a") as key:
        home.ok("fetch", "--id", "a", fault_server.url("a.bin", size=1000, hold=key))
        fault_server.wait_held(key, timeout=20)
        for name in ("b", "c"):
            home.ok("fetch", "--id", name, fault_server.url(f"{name}.bin", size=1000))
        home.ok("move", "c", "--top")  # the daemon answers
        home.ok("quit")
    home.ok("move", "b", "--top")  # no engine: straight into the database; b, c, a
    for args, problem in ((("nosuch", "--top"), "nosuch"),
                          (("b",), "one of the arguments --top --up --down --bottom"),
                          (("b", "--top", "--down"), "not allowed with")):
        bad = home.run("move", *args)
        assert bad.returncode == 2 and problem in bad.stderr, describe(bad)
        assert len(bad.stderr.strip().splitlines()) == 1, describe(bad)
    proc = home.run("wait", "a")  # runs the engine here, in queue order
    assert proc.returncode == 0, describe(proc)
    created = {name: home.show(name) for name in ("a", "b", "c")}
    assert all(data["result"] == "success" for data in created.values())
    # Each ran alone and in turn: the files were finished in queue order.
    finished = sorted("abc", key=lambda name: (home.downloads / f"{name}.bin").stat().st_mtime_ns)
    assert finished == ["b", "c", "a"]


async def test_a_drop_places_fetches_before_another_and_outlives_a_restart(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, ONE_SLOT)
    with fault_server.holding("a") as key:
        a = await engine.manager.fetch("a", fault_server.url("a.bin", size=1000, hold=key))
        await held(fault_server, key)
        b, c, _d, e = [await engine.manager.fetch(name, fault_server.url(f"{name}.bin",
                                                                         size=1000))
                      for name in ("b", "c", "d", "e")]
        manager = engine.manager
        manager.move_before([e, c], b)  # their own order kept: a, c, e, b, d
        assert [r.id for r in manager.queue()] == ["a", "c", "e", "b", "d"]
        manager.move_before([a], None)  # the running one to the bottom: nothing stops
        assert [r.id for r in manager.queue()] == ["c", "e", "b", "d", "a"]
        manager.move_before([e], e)  # onto itself: before the next one, so it stays
        assert [r.id for r in manager.queue()] == ["c", "e", "b", "d", "a"]
        assert a.state == State.DOWNLOADING
        await stop_engine(engine)

        engine = await start_engine(tmp_path, ONE_SLOT)
        try:
            assert [r.id for r in engine.manager.queue()] == ["c", "e", "b", "d", "a"]
        finally:
            await stop_engine(engine)
