"""Per-file actions against the fault server (docs/contracts.md §13): a link that expires
mid-way gets a new URL and continues from its checkpoint only when the new URL serves
the same version; one file is retried or skipped without touching the others."""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Mapping
from pathlib import Path

import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.file_actions import replace_url, retry_file, skip
from bgfetch_gui.engine.model import FailureReason, State
from bgfetch_gui.engine.naming import PART_SUFFIX
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.secrets import Headers
from tests.integration.engine_fixtures import (
    Engine,
    EngineFactory,
    stop_engine,
)
from tests.support.faultserver import FaultServer, content_sha256

KiB, MiB = 1 << 10, 1 << 20


def file_digest(reg: Registration, number: int = 1) -> str:
    record = reg.records()[number - 1]
    assert record.path is not None and record.complete
    return hashlib.sha256(record.path.read_bytes()).hexdigest()


def part_of(reg: Registration, number: int = 1) -> Path:
    row = reg.row.requests[number - 1]
    assert row.filename is not None
    return reg.dest / (row.filename + PART_SUFFIX)


async def expired(engine: Engine, server: FaultServer, fetch_id: str, size: int,
                  after: int, secret_headers: Mapping[int, Headers] | None = None,
                  **params: object) -> Registration:
    """A fetch of one file whose link expires after ``after`` bytes: failed with a 403,
    its checkpoint at ``after``."""
    # Cut with a FIN: an RST makes the kernel drop bytes the engine has not read yet. And
    # only once the engine read them all, so the checkpoint is exactly ``after`` however
    # loaded the machine (a stall guard firing mid-body would leave it anywhere below).
    url = server.url(f"{fetch_id}.bin", size=size, expire_after=after, drop_mode="close",
                     hold=fetch_id, hold_after=after, **params)
    with server.holding(fetch_id):
        reg = await engine.manager.fetch(fetch_id, [url], secret_headers=secret_headers)
        await server.until_held(fetch_id)
        async with asyncio.timeout(20):
            while reg.row.requests[0].bytes_done < after:
                await asyncio.sleep(0.01)
    await engine.settled(reg)
    assert reg.result == "failure" and reg.failure_reason == FailureReason.BAD_STATUS
    (row,) = reg.row.requests
    assert row.status == 403 and row.failed == "bad-status" and row.bytes_done == after
    return reg


async def test_an_expired_link_continues_from_its_checkpoint_at_a_new_url(
    engine: Engine, fault_server: FaultServer
) -> None:
    size = 3 * MiB
    reg = await expired(engine, fault_server, "exp", size, MiB)
    # The 403 kept the part file and its checkpoint.
    assert reg.downloaded == MiB and part_of(reg).stat().st_size >= MiB
    fault_server.clear_requests()
    fresh = fault_server.url("exp.bin", size=size)  # the same version: the same ETag

    await replace_url(engine.manager, reg, 1, fresh)
    await engine.settled(reg)

    assert reg.result == "success"
    assert file_digest(reg) == content_sha256(size)
    (resumed,) = fault_server.requests_for("exp.bin")
    assert resumed.query == {"size": str(size)}
    assert resumed.range == f"bytes={MiB}-" and resumed.headers["If-Range"] == f'"s{size}-0-v0"'
    assert resumed.status == 206
    (record,) = reg.records()
    assert record.replaced_url == fresh and record.status == 206


async def test_a_new_url_serving_another_version_restarts_from_zero(
    engine: Engine, fault_server: FaultServer
) -> None:
    size = 2 * MiB
    reg = await expired(engine, fault_server, "ver", size, 700 * KiB)
    fault_server.clear_requests()
    other = fault_server.url("ver.bin", size=size, seed=5)  # new bytes, new ETag

    await replace_url(engine.manager, reg, 1, other)
    await engine.settled(reg)

    assert reg.result == "success"
    assert file_digest(reg) == content_sha256(size, 5)
    (asked,) = fault_server.requests_for("ver.bin")
    assert asked.range == f"bytes={700 * KiB}-" and asked.headers.get("If-Range")
    assert asked.status == 200  # If-Range failed: the whole new version, from zero


async def test_a_new_url_that_ignores_if_range_is_never_spliced(
    engine: Engine, fault_server: FaultServer
) -> None:
    """A server that serves any range and names no version: the bytes it would add to
    ours could be another file's, so the file starts again."""
    size = 2 * MiB
    reg = await expired(engine, fault_server, "care", size, 600 * KiB)
    careless = fault_server.url("care.bin", size=size, seed=9, etag="none", lm="none",
                                ignore_if_range=1)

    await replace_url(engine.manager, reg, 1, careless)
    await engine.settled(reg)

    assert reg.result == "success"
    assert file_digest(reg) == content_sha256(size, 9)
    statuses = [(r.range, r.status) for r in fault_server.requests_for("care.bin")
                if r.query.get("seed") == "9"]
    assert statuses == [(f"bytes={600 * KiB}-", 206), (None, 200)]


async def test_a_410_is_an_expired_link_too(engine: Engine, fault_server: FaultServer) -> None:
    size = MiB
    url = fault_server.url("gone.bin", size=size, expire_after=300 * KiB, drop_mode="close",
                           expire_status=410)
    reg = await engine.settled(await engine.manager.fetch("gone", [url]))
    assert reg.result == "failure" and reg.row.requests[0].status == 410
    await replace_url(engine.manager, reg, 1, fault_server.url("gone.bin", size=size))
    await engine.settled(reg)
    assert reg.result == "success" and file_digest(reg) == content_sha256(size)


async def test_credentials_and_cookies_stay_with_the_old_origin(
    engine: Engine, fault_server: FaultServer
) -> None:
    size = MiB
    reg = await expired(engine, fault_server, "own", size, 200 * KiB,
                        secret_headers={0: (("Cookie", "sid=secret"),)})
    assert all(r.headers.get("Cookie") == "sid=secret"
               for r in fault_server.requests_for("own.bin"))
    fault_server.clear_requests()
    elsewhere = f"http://localhost:{fault_server.port}/file/own.bin?size={size}"

    await replace_url(engine.manager, reg, 1, elsewhere)
    await engine.settled(reg)

    assert reg.result == "success" and file_digest(reg) == content_sha256(size)
    asked = fault_server.requests_for("own.bin")
    assert asked and asked[0].status == 206
    for request in asked:  # a retry on a loaded machine goes the same way
        assert request.headers.get("Host", "").startswith("localhost")
        assert "Cookie" not in request.headers and "Authorization" not in request.headers


async def test_a_segmented_download_resumes_every_segment_at_the_new_url(
    engine_series: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await engine_series(connections_per_file=4, min_split_size=256 * KiB)
    size = 8 * MiB
    url = fault_server.url("seg.bin", size=size, seed=3, expire_after=3 * MiB,
                           drop_mode="close", rate=8 * MiB)
    reg = await engine.settled(await engine.manager.fetch("seg", [url]))
    assert reg.result == "failure"
    (row,) = reg.row.requests
    started = [(start, saved, end) for start, saved, end in row.segments if saved > start]
    assert len(started) >= 2, f"not segmented: {row.segments}"
    fault_server.clear_requests()

    await replace_url(engine.manager, reg, 1, fault_server.url("seg.bin", size=size, seed=3))
    await engine.settled(reg)

    assert reg.result == "success" and file_digest(reg) == content_sha256(size, 3)
    asked = fault_server.requests_for("seg.bin")
    assert asked and all(r.range and r.headers.get("If-Range") == f'"s{size}-3-v0"'
                         for r in asked)
    assert all(r.status == 206 for r in asked)
    starts = {int((r.range or "").split("=")[1].split("-")[0]) for r in asked}
    for start, saved, end in started:
        if saved < end:
            assert any(saved <= s < end for s in starts), f"segment {start}-{end} not resumed"


async def test_a_segmented_download_at_a_new_version_restarts_whole(
    engine_series: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await engine_series(connections_per_file=4, min_split_size=256 * KiB)
    size = 4 * MiB
    url = fault_server.url("seg2.bin", size=size, expire_after=MiB, drop_mode="close",
                           rate=8 * MiB)
    reg = await engine.settled(await engine.manager.fetch("seg2", [url]))
    assert reg.result == "failure" and reg.row.requests[0].segments

    await replace_url(engine.manager, reg, 1, fault_server.url("seg2.bin", size=size, seed=4))
    await engine.settled(reg)

    assert reg.result == "success" and file_digest(reg) == content_sha256(size, 4)


async def test_one_file_is_retried_and_another_skipped_without_touching_the_rest(
    engine: Engine, fault_server: FaultServer
) -> None:
    ok = fault_server.url("a.bin", size=100 * KiB)
    flaky = fault_server.url("b.bin", size=200 * KiB, fail=1, fail_status=404)
    broken = fault_server.url("c.bin", size=300 * KiB, status=404)
    reg = await engine.settled(await engine.manager.fetch("three", [ok, flaky, broken]))
    assert reg.result == "failure"
    asked_c = len(fault_server.requests_for("c.bin"))
    asked_a = len(fault_server.requests_for("a.bin"))

    await retry_file(engine.manager, reg, 2)
    await engine.settled(reg)

    assert reg.result == "failure" and reg.failure_reason == FailureReason.BAD_STATUS
    assert file_digest(reg, 2) == content_sha256(200 * KiB)
    assert len(fault_server.requests_for("c.bin")) == asked_c  # not touched
    assert len(fault_server.requests_for("a.bin")) == asked_a
    assert reg.snapshot().problem_file == "c.bin"

    await skip(engine.manager, reg, 3)
    await engine.settled(reg)

    assert reg.result == "success"
    snap = reg.snapshot()
    assert (snap.files_done, snap.files_total, snap.files_skipped) == (2, 3, 1)
    skipped = reg.records()[2]
    assert skipped.skipped and skipped.status is None and skipped.path is None
    assert len(fault_server.requests_for("c.bin")) == asked_c
    assert [e.kind.value for e in engine.events if e.snapshot.key == reg.key][-1] == "success"


async def test_skipping_a_running_file_removes_its_part_and_the_rest_succeeds(
    engine: Engine, fault_server: FaultServer
) -> None:
    quick = fault_server.url("q.bin", size=50 * KiB)
    held = fault_server.url("h.bin", size=MiB, hold="h", hold_after=300 * KiB)
    with fault_server.holding("h"):
        reg = await engine.manager.fetch("two", [quick, held])
        await fault_server.until_held("h")
        async with asyncio.timeout(10):
            while not reg.row.requests[0].complete or reg.row.requests[1].filename is None:
                await asyncio.sleep(0.01)
        part = part_of(reg, 2)
        await skip(engine.manager, reg, 2)
        await engine.settled(reg)
    assert reg.result == "success" and not part.exists()
    assert reg.row.requests[1].bytes_done == 0 and reg.downloaded == 50 * KiB
    success = [e.snapshot for e in engine.events
               if e.snapshot.key == reg.key and e.kind.value == "success"]
    assert [s.downloaded for s in success] == [50 * KiB]
    assert success[0].expected_size == 50 * KiB
    assert file_digest(reg, 1) == content_sha256(50 * KiB)


async def test_a_paused_fetch_takes_a_new_url_and_stays_paused(
    engine_series: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await engine_series()
    size = MiB
    url = fault_server.url("p.bin", size=size, hold="p", hold_after=400 * KiB)
    with fault_server.holding("p"):
        reg = await engine.manager.fetch("paused", [url])
        await fault_server.until_held("p")
        async with asyncio.timeout(10):
            while reg.downloaded < 400 * KiB:
                await asyncio.sleep(0.01)
        await engine.manager.pause(reg)
    mirror = fault_server.url("p.bin", size=size)
    await replace_url(engine.manager, reg, 1, mirror)
    assert reg.state == State.PAUSED and reg.active

    # The new URL is kept: a new engine resumes from it.
    await stop_engine(engine)
    engine = await engine_series()
    (again,) = engine.manager.registrations()
    assert again.row.requests[0].replaced_url == mirror and again.state == State.PAUSED
    fault_server.clear_requests()
    await engine.manager.resume(again)
    await engine.settled(again)
    assert again.result == "success" and file_digest(again) == content_sha256(size)
    (resumed,) = fault_server.requests_for("p.bin")
    assert resumed.query == {"size": str(size)} and resumed.status == 206


async def test_what_each_action_refuses(engine: Engine, fault_server: FaultServer) -> None:
    reg = await expired(engine, fault_server, "no", MiB, 100 * KiB)
    manager = engine.manager
    for bad_url, why in (("ftp://example.org/x", "only http and https"),
                         ("http://user:pw@example.org/x", "credentials"),
                         ("http://127.0.0.1:25/x", "blocked")):
        with pytest.raises(InvalidFetch, match=why):
            await replace_url(manager, reg, 1, bad_url)
    for number in (0, 2):
        with pytest.raises(InvalidFetch, match="has files 1 to 1"):
            await retry_file(manager, reg, number)
    with pytest.raises(InvalidFetch, match="last file"):
        await skip(manager, reg, 1)
    assert reg.result == "failure"

    done = await engine.settled(await manager.fetch(
        "done", [fault_server.url("d1.bin"), fault_server.url("d2.bin")]))
    assert done.result == "success"
    with pytest.raises(InvalidFetch, match="already succeeded"):
        await skip(manager, done, 1)
    with pytest.raises(InvalidFetch, match="is complete"):
        await replace_url(manager, done, 2, fault_server.url("d3.bin"))

    held = fault_server.url("r.bin", size=MiB, hold="r", hold_after=100 * KiB)
    with fault_server.holding("r"):
        running = await manager.fetch("running", [held])
        await fault_server.until_held("r")
        with pytest.raises(InvalidFetch, match="pause the fetch first"):
            await replace_url(manager, running, 1, fault_server.url("r.bin", size=MiB))
        with pytest.raises(InvalidFetch, match="has not failed"):
            await retry_file(manager, running, 1)
    await engine.settled(running)


async def test_a_new_url_while_the_other_files_still_download(
    engine_series: EngineFactory, fault_server: FaultServer
) -> None:
    """The fetch's transfers stop, checkpointed, and run again at once: the file with the
    new URL continues, and so do the others, from their checkpoints."""
    # The held file stays held (a stall timeout longer than the test): the fetch keeps
    # running, and the expired file's actions must be open all the same.
    engine = await engine_series(stall_timeout=60.0)
    size, other_size = MiB, 2 * MiB
    expiring = fault_server.url("x.bin", size=size, expire_after=300 * KiB, drop_mode="close")
    held = fault_server.url("y.bin", size=other_size, hold="y", hold_after=500 * KiB)
    with fault_server.holding("y"):
        reg = await engine.manager.fetch("busy", [expiring, held])
        await fault_server.until_held("y")
        async with asyncio.timeout(20):
            while not reg.row.requests[0].failed:
                await asyncio.sleep(0.01)
        assert reg.active and engine.manager.is_running(reg)
        fault_server.clear_requests()
        await replace_url(engine.manager, reg, 1, fault_server.url("x.bin", size=size))
    await engine.settled(reg)

    assert reg.result == "success"
    assert file_digest(reg, 1) == content_sha256(size)
    assert file_digest(reg, 2) == content_sha256(other_size)
    (x,) = fault_server.requests_for("x.bin")
    assert x.status == 206 and x.range is not None
    assert all(r.range is not None and r.status == 206 for r in fault_server.requests_for("y.bin"))
