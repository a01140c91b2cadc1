"""Transfers against a misbehaving server: every fault ends in a byte-identical file or a
clear failure, never a spliced or truncated one."""

from __future__ import annotations

import asyncio
import hashlib
import sqlite3

from bgfetch_gui.engine.registration import Registration
from tests.integration.engine_fixtures import Engine
from tests.support.faultserver import FaultServer, content_sha256, gzip_content, version_seed


async def only_file(reg: Registration) -> bytes:
    records = await reg.match_all()
    assert len(records) == 1 and records[0].path is not None
    return records[0].path.read_bytes()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


async def test_dropped_connection_resumes_with_range(engine: Engine, fault_server: FaultServer):
    size = 3_000_000
    url = fault_server.url("drop.bin", size=size, drop_after=1_000_000, drop_times=2)
    reg = await engine.settled(await engine.manager.fetch("drop", [url]))
    assert reg.result == "success"
    assert digest(await only_file(reg)) == content_sha256(size)
    ranges = [r.range for r in fault_server.requests_for("drop.bin")]
    assert ranges[0] is None
    assert ranges[1] == "bytes=1000000-" and ranges[2] == "bytes=2000000-"
    assert all(r.headers.get("If-Range") for r in fault_server.requests_for("drop.bin")[1:])


async def test_stall_is_retried(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("stall.bin", size=500_000, stall_after=100_000, stall_s=5)
    reg = await engine.settled(await engine.manager.fetch("stall", [url]))
    assert reg.result == "success"
    assert digest(await only_file(reg)) == content_sha256(500_000)
    assert fault_server.requests_for("stall.bin")[1].range == "bytes=100000-"


async def test_server_ignoring_range_restarts_from_zero(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("ign.bin", size=2_000_000, drop_after=700_000, ignore_range=1)
    reg = await engine.settled(await engine.manager.fetch("ignore", [url]))
    assert reg.result == "success" and reg.downloaded == 2_000_000
    assert digest(await only_file(reg)) == content_sha256(2_000_000)


async def test_wrong_content_range_restarts_from_zero(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("wrong.bin", size=2_000_000, drop_after=700_000, wrong_range=1)
    reg = await engine.settled(await engine.manager.fetch("wrong", [url]))
    assert reg.result == "success"
    assert digest(await only_file(reg)) == content_sha256(2_000_000)
    ranges = [r.range for r in fault_server.requests_for("wrong.bin")]
    assert ranges == [None, "bytes=700000-", None]


async def test_changed_file_is_never_spliced(engine: Engine, fault_server: FaultServer):
    size = 2_000_000
    # Held at 500 kB until paused: the first version can never finish first.
    url = fault_server.url("v.bin", size=size, hold="v", hold_after=500_000)
    reg = await engine.manager.fetch("changed", [url])
    while reg.downloaded < 500_000:
        await time_step()
    await engine.manager.pause(reg)
    fault_server.set_version("v.bin", 1)
    fault_server.release("v")
    await engine.manager.resume(reg)
    await engine.settled(reg)
    assert reg.result == "success"
    assert digest(await only_file(reg)) == content_sha256(size, version_seed(0, 1))
    resumed = fault_server.requests_for("v.bin")[1]
    assert resumed.range is not None and resumed.headers.get("If-Range")


async def test_changed_file_without_if_range_support(engine: Engine, fault_server: FaultServer):
    """A server that answers 206 with a new ETag (ignoring If-Range) must not be spliced."""
    size = 1_000_000
    url = fault_server.url("e.bin", size=size, etag="one", hold="e", hold_after=200_000)
    reg = await engine.manager.fetch("etag", [url])
    while reg.downloaded < 200_000:
        await time_step()
    await engine.manager.pause(reg)
    fault_server.release("e")
    row = reg.row.requests[0]
    row.etag = '"stale-but-strong"'  # what we stored no longer matches what the server sends
    await engine.manager.resume(reg)
    await engine.settled(reg)
    assert reg.result == "success"
    assert digest(await only_file(reg)) == content_sha256(size)


async def test_503_with_retry_after_is_honoured(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("busy.bin", size=1000, fail=2, retry_after=1)
    reg = await engine.settled(await engine.manager.fetch("busy", [url]))
    assert reg.result == "success"
    times = [r.time for r in fault_server.requests_for("busy.bin")]
    assert len(times) == 3
    assert times[1] - times[0] >= 0.9 and times[2] - times[1] >= 0.9


async def test_endless_503_fails_with_bad_status(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("down.bin", size=1000, fail=100)
    reg = await engine.settled(await engine.manager.fetch("down", [url]))
    assert (reg.result, reg.failure_reason) == ("failure", "bad-status")
    assert len(fault_server.requests_for("down.bin")) == engine.manager.settings.max_retries + 1


async def test_refused_connection_fails_with_fetch_error(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("refused.bin", size=1000)
    fault_server.refuse()
    reg = await engine.settled(await engine.manager.fetch("refused", [url]))
    assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")


async def test_bytes_are_stored_as_sent(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("page.html.gz", size=200_000, encoding="gzip")
    reg = await engine.settled(await engine.manager.fetch("gzip", [url]))
    assert reg.result == "success"
    assert await only_file(reg) == gzip_content(200_000)
    sent = fault_server.requests_for("page.html.gz")[0]
    assert sent.headers.get("Accept-Encoding") == "identity"


async def test_no_validator_restarts_instead_of_guessing(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("nov.bin", size=1_000_000, drop_after=300_000, etag="none", lm="none")
    reg = await engine.settled(await engine.manager.fetch("novalidator", [url]))
    assert reg.result == "success"
    assert digest(await only_file(reg)) == content_sha256(1_000_000)
    assert [r.range for r in fault_server.requests_for("nov.bin")] == [None, None]


async def test_last_modified_guards_resume_without_etag(engine: Engine, fault_server: FaultServer):
    # The connection is reset only once the client holds the first 300,000 bytes: a reset
    # while some were still unread in its socket would throw them away (a loaded machine),
    # and the resume would start earlier, or with no Range at all.
    url = fault_server.url("lm.bin", size=1_000_000, drop_after=300_000, etag="none",
                           hold="lm", hold_after=300_000)
    with fault_server.holding("lm"):
        reg = await engine.manager.fetch("lm", [url])
        async with asyncio.timeout(30):
            while reg.downloaded < 300_000:
                await asyncio.sleep(0.01)
    reg = await engine.settled(reg)
    assert reg.result == "success"
    second = fault_server.requests_for("lm.bin")[1]
    assert second.range == "bytes=300000-"
    assert second.headers.get("If-Range", "").endswith(" GMT")  # the Last-Modified date


async def test_content_disposition_names(engine: Engine, fault_server: FaultServer):
    urls = [
        fault_server.url("a", size=10, cd="attachment; filename=\"../../etc/passwd\""),
        fault_server.url("b", size=10, cd="attachment; filename*=UTF-8''%C3%A9pisode%205.mp3"),
        fault_server.url("c", size=10, cd="attachment; filename=\"CON.txt\""),
        fault_server.url("d", size=10, cd="attachment; filename=\"/abs/path.bin\""),
    ]
    reg = await engine.settled(await engine.manager.fetch("names", urls))
    names = [r.path.name for r in await reg.match_all() if r.path]
    assert names == ["passwd", "épisode 5.mp3", "_CON.txt", "path.bin"]
    assert all(r.path.parent == reg.dest for r in await reg.match_all() if r.path)


async def test_never_overwrites_existing_files(engine: Engine, fault_server: FaultServer, tmp_path):
    dest = tmp_path / "bundle"
    dest.mkdir()
    (dest / "song.mp3").write_bytes(b"mine")
    reg = await engine.settled(await engine.manager.fetch(
        "keep", [fault_server.url("song.mp3", size=100)], dest=dest))
    assert (dest / "song.mp3").read_bytes() == b"mine"
    assert (dest / "song (1).mp3").stat().st_size == 100
    assert reg.result == "success"


async def time_step() -> None:
    await asyncio.sleep(0.01)


async def test_killed_between_last_byte_and_rename(tmp_path, fault_server: FaultServer):
    """A body received in full but not yet renamed completes at the next start, offline."""
    from tests.integration.engine_fixtures import start_engine, stop_engine

    engine = await start_engine(tmp_path)
    reg = await engine.settled(await engine.manager.fetch(
        "whole", [fault_server.url("whole.bin", size=300_000)]))
    path = (await reg.match_all())[0].path
    await stop_engine(engine)
    # What a SIGKILL at that instant leaves: the part file and an unfinished row.
    path.rename(path.with_name(path.name + ".part"))
    db = sqlite3.connect(tmp_path / "bgfetch.sqlite3")
    db.execute("UPDATE requests SET complete = 0")
    db.execute("UPDATE registrations SET result = '', settled_at = NULL")
    db.commit()
    db.close()
    fault_server.clear_requests()
    engine = await start_engine(tmp_path)
    try:
        [again] = engine.manager.registrations()
        await engine.settled(again)
        assert again.result == "success"
        assert digest(path.read_bytes()) == content_sha256(300_000)
        assert fault_server.requests_for("whole.bin") == []
    finally:
        await stop_engine(engine)


async def test_a_speed_limit_is_not_a_stall(tmp_path, fault_server: FaultServer):
    """Waiting on our own speed limit longer than the stall timeout must not fail the fetch."""
    from tests.integration.engine_fixtures import fast_settings, start_engine, stop_engine

    engine = await start_engine(tmp_path, fast_settings(speed_limit=400_000, stall_timeout=0.5,
                                                        max_retries=0))
    try:
        urls = [fault_server.url(f"l{n}.bin", size=300_000) for n in range(4)]
        reg = await engine.settled(await engine.manager.fetch("limited", urls), timeout=30)
        assert reg.result == "success", reg.failure_reason
        for n, record in enumerate(await reg.match_all()):
            assert digest(record.path.read_bytes()) == content_sha256(300_000)
            assert record.path.name == f"l{n}.bin"
    finally:
        await stop_engine(engine)
