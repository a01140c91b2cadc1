"""Request records written in batches (engine/record_writes.py), with the durability of
docs/contracts.md §1 and §3 kept: what is reported is stored, a non-GET request is
marked sent before its body leaves, and a body renamed just before a kill is not
fetched again."""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from aiohttp import web

from bgfetch_gui.engine.api import CommandHandler
from bgfetch_gui.engine.model import FetchRequest
from bgfetch_gui.engine.store import DB_NAME
from tests.integration.cli_helpers import Home, sha256_file
from tests.integration.engine_fixtures import Engine, start_engine, stop_engine
from tests.integration.terminal import Terminal
from tests.support.faultserver import FaultServer, content_sha256

FILES = 24
SIZE = 16 * 1024
RATE = 64 * 1024  # bytes/s per file: a quarter of a second each


def _complete_in_store(db_path: Path) -> set[int]:
    db = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        return {idx for (idx,) in db.execute("SELECT idx FROM requests WHERE complete = 1")}
    finally:
        db.close()


def test_files_reported_complete_are_stored_before_a_sigkill(
    home: Home, fault_server: FaultServer
) -> None:
    """`fetch --wait` on a terminal shows "N/24 files"; killed the moment it does, the
    store records at least N files complete, each whole under its name."""
    dest = home.path.parent / "out"
    urls = [fault_server.url(f"f{i}.bin", size=SIZE, seed=300 + i, rate=RATE)
            for i in range(FILES)]
    term = Terminal(home, "fetch", "--wait", "--id", "told", "--dest", str(dest), *urls)
    try:
        shown = int(term.expect(r"([5-9]|1\d)/24 files").group(1))
    finally:
        term.proc.send_signal(signal.SIGKILL)
        term.proc.wait(10)

    complete = _complete_in_store(home.db_path)
    assert len(complete) >= shown, f"{shown} files reported, {len(complete)} stored"
    names = dict(sqlite3.connect(home.db_path).execute(
        "SELECT idx, filename FROM requests WHERE complete = 1").fetchall())
    for idx in complete:
        assert sha256_file(dest / names[idx]) == content_sha256(SIZE, 300 + idx)


async def test_a_posts_sent_mark_is_stored_before_the_server_sees_it(
    engine: Engine, tmp_path: Path
) -> None:
    """Rule 1 of issue 9 across a crash: the server, on the request's arrival, reads the
    engine's database from another connection and finds the request marked sent."""
    seen: list[int] = []

    async def handler(request: web.Request) -> web.Response:
        db = sqlite3.connect(f"file:{engine.home / DB_NAME}?mode=ro", uri=True, timeout=5)
        try:
            seen.extend(sent for (sent,) in db.execute("SELECT sent FROM requests"))
        finally:
            db.close()
        await request.read()
        return web.Response(body=b"ok")

    app = web.Application()
    app.router.add_post("/form", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        port = runner.addresses[0][1]
        body = tmp_path / "form"
        body.write_bytes(b"a=1")
        request = FetchRequest(f"http://127.0.0.1:{port}/form", method="POST", body=body)
        reg = await engine.settled(await engine.manager.fetch("form", [request]))
    finally:
        await runner.cleanup()

    assert reg.result == "success"
    assert seen == [1]


async def test_a_bundle_stores_its_records_in_fewer_transactions_than_files(
    engine: Engine, fault_server: FaultServer
) -> None:
    """Each file used to cost two commits (its claimed name, then "complete"); batched,
    the "complete" rides along with the next file's claim: a bundle of 40 needs fewer
    than 60 transactions (it took over 80), and every record is stored."""
    files = 40
    writes: list[str] = []
    store_db = engine.manager.store._db

    def trace(statement: str) -> None:
        # A transaction: a COMMIT, or a request update outside BEGIN (an autocommit).
        if statement == "COMMIT" or (
                statement.startswith("UPDATE requests") and not store_db.in_transaction):
            writes.append(statement)

    store_db.set_trace_callback(trace)
    urls = [fault_server.url(f"b{i}.bin", size=SIZE, seed=i) for i in range(files)]
    reg = await engine.settled(await engine.manager.fetch("batch", urls))
    store_db.set_trace_callback(None)

    assert reg.result == "success"
    assert len(writes) < 1.5 * files, f"{len(writes)} transactions for {files} files"
    assert _complete_in_store(engine.home / DB_NAME) == set(range(files))


async def test_a_body_renamed_just_before_a_kill_is_not_fetched_again(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    """The state a kill leaves between the rename and the record's commit: the name is
    stored, the part file gone, the file in place, the record not complete. The next
    engine takes the file as it is: no request for it, no second copy `(1)`."""
    urls = [fault_server.url(f"k{i}.bin", size=SIZE, seed=i) for i in range(3)]
    engine = await start_engine(tmp_path)
    reg = await engine.settled(await engine.manager.fetch("kept", urls))
    dest = reg.row.dest
    await stop_engine(engine)
    db = sqlite3.connect(tmp_path / DB_NAME)
    with db:
        db.execute("UPDATE requests SET complete = 0, bytes_done = 0 WHERE idx = 1")
        db.execute("UPDATE registrations SET result = '', settled_at = NULL")
    db.close()
    fault_server.clear_requests()

    engine = await start_engine(tmp_path)
    try:
        (again,) = engine.manager.registrations()
        await engine.settled(again)
    finally:
        await stop_engine(engine)

    assert again.result == "success"
    assert again.downloaded == 3 * SIZE
    assert fault_server.requests_for("k1.bin") == []
    assert sorted(p.name for p in dest.iterdir()) == ["k0.bin", "k1.bin", "k2.bin"]
    assert sha256_file(dest / "k1.bin") == content_sha256(SIZE, 1)
    assert _complete_in_store(tmp_path / DB_NAME) == {0, 1, 2}



async def test_a_command_reply_tells_only_what_is_stored(
    engine: Engine, fault_server: FaultServer
) -> None:
    """An update still waiting for its batch is committed before the engine answers a
    command: a `show` can never report what a kill would take back."""
    reg = await engine.settled(await engine.manager.fetch(
        "shown", [fault_server.url("s0.bin", size=SIZE), fault_server.url("s1.bin", size=SIZE)]))
    engine.manager.records.put(reg.key, 1, {"uploaded": 7})  # as a transfer's save would

    handler = CommandHandler(engine.manager, "cli", on_quit=lambda: None)
    replies = [reply async for reply in handler.handle({"cmd": "show", "id": "shown"})]

    assert replies[-1]["ok"]
    db = sqlite3.connect(f"file:{engine.home / DB_NAME}?mode=ro", uri=True, timeout=5)
    try:
        assert db.execute("SELECT uploaded FROM requests WHERE idx = 1").fetchone() == (7,)
    finally:
        db.close()
