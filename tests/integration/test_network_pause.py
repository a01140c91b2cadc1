"""Network awareness at the engine level (docs/contracts.md §2, §6).

A plain :class:`NetworkMonitor` is driven by the test with ``monitor.update(...)``
while a real fault server streams throttled files. What must hold:

* going offline moves the registration to ``waiting-for-network`` at once and
  stops the bytes within a second (engine side and server side), with the
  SQLite checkpoint equal to the bytes on disk and no retry spent;
* while offline no request reaches the server;
* coming back online resumes within a second with ``Range: bytes=N-`` from the
  checkpoint, and the file ends byte-identical; the fetch never fails;
* a fetch registered while offline waits and makes no request until online;
* quick flapping never runs two transfers of one file at once, never splices;
  a flicker that lands while a paused transfer still closes its part file
  neither loses the checkpoint nor lets a new try open that file meanwhile;
* ``hold_on_metered`` holds new fetches on a metered network, and only then.
"""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from aiohttp import web

import tests.support.faultserver as faultserver_module
from bgfetch_gui.engine import manager as manager_module
from bgfetch_gui.engine.events import EventKind
from bgfetch_gui.engine.http import partfile as partfile_module
from bgfetch_gui.engine.http.transfer import Transfer
from bgfetch_gui.engine.model import State
from bgfetch_gui.engine.naming import PART_SUFFIX
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.store import DB_NAME
from tests.integration.engine_fixtures import Engine, fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256

# The promises, in seconds.
PAUSE_WITHIN = 1.0
RESUME_WITHIN = 1.0


# -- helpers ------------------------------------------------------------------------------


async def until(predicate: Callable[[], object], timeout: float, what: str) -> float:
    """Poll ``predicate`` every 5 ms; return the seconds it took, fail the test on timeout."""
    start = time.monotonic()
    while not predicate():
        if time.monotonic() - start > timeout:
            pytest.fail(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.005)
    return time.monotonic() - start


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def db_checkpoints(home: Path, key: int) -> list[int]:
    """``bytes_done`` of each request of registration ``key``, read from SQLite directly."""
    db = sqlite3.connect(f"file:{home / DB_NAME}?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute(
            "SELECT bytes_done FROM requests WHERE reg_key = ? ORDER BY idx", (key,)
        ).fetchall()
    finally:
        db.close()
    return [r[0] for r in rows]


def part_sizes(reg: Registration) -> list[int]:
    """Bytes in each request's ``.part`` file (0 if none yet)."""
    sizes = []
    for row in reg.row.requests:
        path = reg.dest / f"{row.filename}{PART_SUFFIX}" if row.filename else None
        sizes.append(path.stat().st_size if path is not None and path.exists() else 0)
    return sizes


def runner_stopped(engine: Engine, reg: Registration) -> bool:
    """The fetch's runner task is gone: connections closed, checkpoint written."""
    return reg.key not in engine.manager._runners


async def file_digests(reg: Registration) -> dict[str, str]:
    """URL path -> SHA-256 of the stored body, for every record."""
    out = {}
    for record in await reg.match_all():
        assert record.path is not None and record.complete, record
        out[record.request.url.split("?")[0].rsplit("/", 1)[-1]] = sha256_file(record.path)
    return out


def states(engine: Engine, reg: Registration) -> list[State]:
    return [
        e.snapshot.state for e in engine.events
        if e.snapshot.key == reg.key and e.kind == EventKind.STATE
    ]


@pytest.fixture
async def offline_engine_factory(
    tmp_path: Path,
) -> AsyncIterator[Callable[..., object]]:
    """``await make(monitor, **settings)`` starts an engine; all of them stop after the test."""
    started: list[Engine] = []

    async def make(monitor: NetworkMonitor, **overrides: object) -> Engine:
        engine = await start_engine(tmp_path, fast_settings(**overrides), monitor)
        started.append(engine)
        return engine

    yield make
    for engine in started:
        await stop_engine(engine)


# -- going offline and back ------------------------------------------------------------------


async def test_offline_pauses_at_once_and_online_resumes_from_the_checkpoint(
    offline_engine_factory, fault_server: FaultServer, tmp_path: Path
):
    """Three offline periods mid-download with max_retries=0: no retry spent, no failure."""
    monitor = NetworkMonitor()
    engine: Engine = await offline_engine_factory(monitor, max_retries=0)
    size = 3_000_000
    url = fault_server.url("net.bin", size=size, rate=1_000_000)
    reg = await engine.manager.fetch("net", [url])

    resumed_from = 0
    for period in range(3):
        await until(lambda: reg.downloaded >= resumed_from + 300_000, 5.0,  # noqa: B023
                    f"progress before offline period {period}")
        before = len(fault_server.requests_for("net.bin"))

        went_offline = time.monotonic()
        monitor.update(online=False)
        assert reg.state == State.WAITING_FOR_NETWORK  # at once, not after the transfer stops
        took = await until(lambda: runner_stopped(engine, reg), PAUSE_WITHIN,
                           "the transfer to stop after going offline")
        assert took < PAUSE_WITHIN
        downloaded = reg.downloaded

        # The server notices the closed connection quickly; after that it sends nothing.
        await asyncio.sleep(0.3)
        sent = fault_server.bytes_sent
        await asyncio.sleep(0.7)
        assert fault_server.bytes_sent == sent, "the server kept sending while offline"
        assert reg.downloaded == downloaded, "bytes arrived while offline"
        assert reg.state == State.WAITING_FOR_NETWORK
        assert reg.active

        checkpoint = db_checkpoints(tmp_path, reg.key)[0]
        assert checkpoint == part_sizes(reg)[0] == downloaded > 0, (
            "the SQLite checkpoint must equal the bytes on disk"
        )
        assert len(fault_server.requests_for("net.bin")) == before, "a request while offline"
        assert time.monotonic() - went_offline > 1.0

        back = time.monotonic()
        monitor.update(online=True)
        await until(lambda: len(fault_server.requests_for("net.bin")) > before,  # noqa: B023
                    RESUME_WITHIN, "a request after coming back online")
        resumed = fault_server.requests_for("net.bin")[before]
        assert resumed.time - back < RESUME_WITHIN
        assert resumed.range is not None and resumed.range.startswith("bytes=")
        offset = int(resumed.range.removeprefix("bytes=").removesuffix("-"))
        assert resumed.range == f"bytes={offset}-"
        assert offset >= checkpoint
        assert resumed.headers.get("If-Range"), "a resume must be guarded by If-Range"
        await until(lambda: reg.downloaded > offset, RESUME_WITHIN,  # noqa: B023
                    "the first byte after coming back online")
        resumed_from = reg.downloaded

    await engine.settled(reg, timeout=15)
    assert reg.result == "success", reg.failure_reason
    assert (await file_digests(reg)) == {"net.bin": content_sha256(size)}
    assert EventKind.FAIL not in engine.kinds(reg)
    seen = states(engine, reg)
    assert seen.count(State.WAITING_FOR_NETWORK) == 3, seen
    assert State.RETRYING not in seen, f"going offline must not look like an error: {seen}"
    assert len(fault_server.requests_for("net.bin")) == 4


async def test_fetch_registered_offline_waits_for_the_network(
    offline_engine_factory, fault_server: FaultServer
):
    monitor = NetworkMonitor(online=False)
    engine: Engine = await offline_engine_factory(monitor)
    size = 400_000
    url = fault_server.url("later.bin", size=size)
    reg = await engine.manager.fetch("later", [url])
    assert reg.state == State.WAITING_FOR_NETWORK

    await asyncio.sleep(1.5)
    assert fault_server.requests == [], "no request may leave while offline"
    assert reg.state == State.WAITING_FOR_NETWORK and reg.active and reg.downloaded == 0

    back = time.monotonic()
    monitor.update(online=True)
    await until(lambda: fault_server.requests_for("later.bin"), RESUME_WITHIN,
                "the first request after coming online")
    assert fault_server.requests_for("later.bin")[0].time - back < RESUME_WITHIN
    await engine.settled(reg, timeout=10)
    assert reg.result == "success"
    assert (await file_digests(reg)) == {"later.bin": content_sha256(size)}
    assert [r.range for r in fault_server.requests_for("later.bin")] == [None]
    assert EventKind.FAIL not in engine.kinds(reg)


async def test_offline_online_offline_while_checkpointing_keeps_the_checkpoint_exact(
    offline_engine_factory, fault_server: FaultServer, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
):
    """A flicker (offline, online, offline) arriving while the paused transfer still
    closes its part file on a slow disk: the SQLite checkpoint must still equal the bytes
    on disk."""
    closing = asyncio.Event()
    original_close = partfile_module.PartFile.close

    async def slow_close(self: partfile_module.PartFile) -> None:
        closing.set()
        await asyncio.sleep(0.2)  # a disk under writeback pressure
        await original_close(self)

    monkeypatch.setattr(partfile_module.PartFile, "close", slow_close)
    monitor = NetworkMonitor()
    # No periodic checkpoint meanwhile: the one written on pausing is the only one.
    engine: Engine = await offline_engine_factory(monitor, max_retries=0, checkpoint_seconds=30)
    size = 2_000_000
    reg = await engine.manager.fetch(
        "flicker", [fault_server.url("flicker.bin", size=size, rate=1_000_000)]
    )
    await until(lambda: reg.downloaded >= 300_000, 5.0, "progress")

    monitor.update(online=False)
    await asyncio.wait_for(closing.wait(), 1.0)  # the transfer is in its checkpoint now
    monitor.update(online=True)
    monitor.update(online=False)
    await until(lambda: runner_stopped(engine, reg), 2.0, "the transfer to stop")
    await asyncio.sleep(0.4)  # anything still closing has closed by now

    checkpoint = db_checkpoints(tmp_path, reg.key)[0]
    on_disk = part_sizes(reg)[0]
    assert checkpoint == on_disk == reg.downloaded, (
        f"SQLite checkpoint {checkpoint}, part file {on_disk}, engine {reg.downloaded}: "
        "the second cancel interrupted the checkpoint in Transfer._stream's finally"
    )
    monitor.update(online=True)
    await engine.settled(reg, timeout=10)
    assert reg.result == "success", reg.failure_reason
    assert (await file_digests(reg)) == {"flicker.bin": content_sha256(size)}
    assert EventKind.FAIL not in engine.kinds(reg)


async def test_flicker_never_opens_the_part_file_while_the_old_writer_closes(
    offline_engine_factory, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
):
    """offline, online, offline, online while the paused transfer still closes its part
    file on a slow disk: the next try must not open that file before the old writer is done
    (two writers on one file is a splice waiting to happen)."""
    closing = asyncio.Event()
    live: dict[Path, int] = {}
    overlaps: list[str] = []
    original_open = partfile_module.PartFile.open
    original_close = partfile_module.PartFile.close

    async def tracked_open(cls, path: Path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if live.get(path):
            overlaps.append(f"{path.name} opened while another writer still closes")
        writer = await original_open(path, *args, **kwargs)
        writer._test_path = path  # type: ignore[attr-defined]
        live[path] = live.get(path, 0) + 1
        return writer

    async def slow_close(self: partfile_module.PartFile) -> None:
        closing.set()
        try:
            await asyncio.sleep(0.2)  # a disk under writeback pressure
            await original_close(self)
        finally:
            live[self._test_path] -= 1  # type: ignore[attr-defined]

    monkeypatch.setattr(partfile_module.PartFile, "open", classmethod(tracked_open))
    monkeypatch.setattr(partfile_module.PartFile, "close", slow_close)
    monitor = NetworkMonitor()
    engine: Engine = await offline_engine_factory(monitor, max_retries=0)
    size = 2_000_000
    reg = await engine.manager.fetch(
        "flicker2", [fault_server.url("flicker2.bin", size=size, rate=1_000_000)]
    )
    await until(lambda: reg.downloaded >= 300_000, 5.0, "progress")

    monitor.update(online=False)
    await asyncio.wait_for(closing.wait(), 1.0)
    monitor.update(online=True)
    monitor.update(online=False)
    await asyncio.sleep(0.02)
    monitor.update(online=True)
    await engine.settled(reg, timeout=10)
    assert overlaps == []
    assert reg.result == "success", reg.failure_reason
    assert (await file_digests(reg)) == {"flicker2.bin": content_sha256(size)}


# -- flapping -----------------------------------------------------------------------------------


@dataclass
class ServingTracker:
    """Server-side check: a request for a file never starts while another one for the same
    file is still being served on a live connection."""

    active: dict[str, list[web.Request]] = field(default_factory=dict)
    overlaps: list[str] = field(default_factory=list)
    starts: dict[str, int] = field(default_factory=dict)

    @web.middleware
    async def middleware(self, request: web.Request, handler) -> web.StreamResponse:
        name = request.match_info.get("name") if request.path.startswith("/file/") else None
        if name is None:
            return await handler(request)
        serving = self.active.setdefault(name, [])
        live = [r for r in serving if not faultserver_module._client_gone(r)]
        if live:
            self.overlaps.append(
                f"{name}: request Range={request.headers.get('Range')} started while "
                f"{[r.headers.get('Range') for r in live]} still streamed"
            )
        self.starts[name] = self.starts.get(name, 0) + 1
        serving.append(request)
        try:
            return await handler(request)
        finally:
            serving.remove(request)


@pytest.fixture
def tracked_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FaultServer, ServingTracker]]:
    """A FaultServer whose app carries the ServingTracker middleware (faultserver.py untouched)."""
    tracker = ServingTracker()
    original = faultserver_module.create_app

    def create_app(state, closing=None, holds=None):
        app = original(state, closing, holds)
        app.middlewares.append(tracker.middleware)
        return app

    monkeypatch.setattr(faultserver_module, "create_app", create_app)
    with FaultServer() as server:
        yield server, tracker


class TransferTracker:
    """Engine-side check: never two Transfer.run() at once for one (registration, request)."""

    def __init__(self) -> None:
        self.running: set[tuple[int, int]] = set()
        self.overlaps: list[tuple[int, int]] = []
        self.runs = 0

    def transfer_class(self) -> type[Transfer]:
        tracker = self

        class TrackedTransfer(Transfer):
            async def run(self) -> None:
                key = (self.host.reg.key, self.row.idx)  # type: ignore[attr-defined]
                if key in tracker.running:
                    tracker.overlaps.append(key)
                tracker.running.add(key)
                tracker.runs += 1
                try:
                    await super().run()
                finally:
                    tracker.running.discard(key)

        return TrackedTransfer


async def test_flapping_never_runs_a_file_twice_nor_splices(
    offline_engine_factory, tracked_server, monkeypatch: pytest.MonkeyPatch
):
    """20 flips in 5 s over 2 fetches x 2 files, max_retries=0."""
    server, serving = tracked_server
    transfers = TransferTracker()
    monkeypatch.setattr(manager_module, "Transfer", transfers.transfer_class())
    monitor = NetworkMonitor()
    engine: Engine = await offline_engine_factory(monitor, max_retries=0)
    size = 3_000_000  # 3 s of online time each: the flips hit every transfer many times
    regs = []
    for f in range(2):
        urls = [server.url(f"flap{f}-{i}.bin", size=size, seed=10 * f + i, rate=1_000_000)
                for i in range(2)]
        regs.append(await engine.manager.fetch(f"flap{f}", urls))
    await until(lambda: all(r.downloaded > 0 for r in regs), 5.0, "all transfers to start")

    for flip in range(20):
        await asyncio.sleep(0.25)
        monitor.update(online=flip % 2 == 1)
        if flip % 2 == 0:
            for reg in regs:
                if reg.active:
                    assert reg.state == State.WAITING_FOR_NETWORK
    assert monitor.online

    for reg in regs:
        await engine.settled(reg, timeout=20)
    for f, reg in enumerate(regs):
        assert reg.result == "success", (reg.id, reg.failure_reason)
        assert EventKind.FAIL not in engine.kinds(reg)
        assert await file_digests(reg) == {
            f"flap{f}-{i}.bin": content_sha256(size, 10 * f + i) for i in range(2)
        }, "a file was spliced"

    assert transfers.overlaps == [], "two transfers of one file ran at once in the engine"
    assert serving.overlaps == [], "the server saw two live transfers of one file"
    # The flips did hit the transfers: most files were resumed several times, by Range.
    assert transfers.runs >= 4 + 8, transfers.runs
    assert all(n >= 6 for n in serving.starts.values()), serving.starts
    for f in range(2):
        for i in range(2):
            reqs = server.requests_for(f"flap{f}-{i}.bin")
            assert reqs[0].range is None
            offsets = [int(r.range[6:-1]) for r in reqs[1:] if r.range]
            assert offsets == sorted(offsets), f"resume went backwards: {offsets}"


# -- metered networks ---------------------------------------------------------------------------


async def test_hold_on_metered_holds_new_fetches_until_unmetered(
    offline_engine_factory, fault_server: FaultServer
):
    monitor = NetworkMonitor(online=True, metered=True)
    engine: Engine = await offline_engine_factory(monitor, hold_on_metered=True)
    size = 300_000
    reg = await engine.manager.fetch("metered", [fault_server.url("m.bin", size=size)])
    assert reg.state == State.WAITING_FOR_NETWORK

    await asyncio.sleep(1.0)
    assert fault_server.requests == [], "hold_on_metered: no request on a metered network"
    assert reg.state == State.WAITING_FOR_NETWORK and reg.active

    back = time.monotonic()
    monitor.update(metered=False)
    await until(lambda: fault_server.requests_for("m.bin"), RESUME_WITHIN,
                "the request once unmetered")
    assert fault_server.requests_for("m.bin")[0].time - back < RESUME_WITHIN
    await engine.settled(reg, timeout=10)
    assert reg.result == "success"
    assert (await file_digests(reg)) == {"m.bin": content_sha256(size)}
    assert EventKind.FAIL not in engine.kinds(reg)


async def test_metered_changes_nothing_without_hold_on_metered(
    offline_engine_factory, fault_server: FaultServer
):
    monitor = NetworkMonitor(online=True, metered=True)
    engine: Engine = await offline_engine_factory(monitor, hold_on_metered=False)
    size = 1_000_000
    reg = await engine.manager.fetch(
        "free", [fault_server.url("free.bin", size=size, rate=1_000_000)]
    )
    await until(lambda: fault_server.requests_for("free.bin"), 1.0,
                "the request on a metered network with hold_on_metered off")
    await until(lambda: reg.downloaded > 200_000, 5.0, "progress")

    monitor.update(metered=False)
    monitor.update(metered=True)
    await engine.settled(reg, timeout=10)
    assert reg.result == "success"
    assert (await file_digests(reg)) == {"free.bin": content_sha256(size)}
    assert len(fault_server.requests_for("free.bin")) == 1, "the transfer was interrupted"
    assert State.WAITING_FOR_NETWORK not in states(engine, reg)
