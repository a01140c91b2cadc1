"""Segmented downloads against the fault server: several connections per file, each
writing its segment in place, falling back to fewer, never splicing two versions."""

from __future__ import annotations

import asyncio
import hashlib
import json
import os
import re
import signal
import sqlite3
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.settings import Settings
from tests.integration.cli_helpers import (
    HOLD_SETTINGS,
    Home,
    describe,
    file_size,
    sha256_file,
    wait_until,
)
from tests.integration.engine_fixtures import Engine, fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256, version_seed

KiB, MiB = 1 << 10, 1 << 20
RANGE = re.compile(r"bytes=(\d+)-(\d*)")

EngineFactory = Callable[..., Awaitable[Engine]]


@pytest.fixture
async def segmented_engine(tmp_path: Path) -> AsyncIterator[EngineFactory]:
    started: list[Engine] = []

    async def make(**overrides: object) -> Engine:
        settings = fast_settings(**{"connections_per_file": 4, "min_split_size": 256 * KiB,
                                    **overrides})
        engine = await start_engine(tmp_path, settings)
        started.append(engine)
        return engine

    yield make
    for engine in started:
        await stop_engine(engine)


def file_digest(reg: Registration) -> str:
    (record,) = reg.records()
    assert record.path is not None and record.complete
    return hashlib.sha256(record.path.read_bytes()).hexdigest()


def ranged(server: FaultServer, name: str) -> list[tuple[int, int | None, str | None, int | None]]:
    """(first, last, If-Range, status) of every ranged request for ``name``."""
    found = []
    for request in server.requests_for(name):
        match = RANGE.fullmatch(request.range or "")
        if match:
            last = int(match.group(2)) if match.group(2) else None
            found.append((int(match.group(1)), last, request.headers.get("If-Range"),
                          request.status))
    return found


async def all_answered(server: FaultServer, name: str) -> None:
    """Wait until the server logged every request's status: its handler returns a moment
    after the client has the last byte."""
    deadline = asyncio.get_running_loop().time() + 10
    while any(r.status is None for r in server.requests_for(name)):
        assert asyncio.get_running_loop().time() < deadline, "a request never ended"
        await asyncio.sleep(0.02)


async def test_a_big_file_comes_over_several_connections_written_in_place(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine()
    size, seed = 4 * MiB, 31
    # 1 MB/s per connection: the speed only several connections can beat.
    url = fault_server.url("multi.bin", size=size, seed=seed, rate=1_000_000)
    reg = await engine.manager.fetch("multi", [url])
    part = reg.dest / "multi.bin.part"
    seen_connections = 0
    inode = None
    while reg.active:
        seen_connections = max(seen_connections, reg.snapshot().connections)
        if inode is None and part.exists():
            inode = part.stat().st_ino
        assert not part.exists() or part.stat().st_size <= size
        await asyncio.sleep(0.02)
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, seed)
    assert fault_server.most_streaming("multi.bin") == 4
    assert seen_connections >= 2
    # In place: the part file became the file (same inode), no reassembly copy.
    assert inode is not None and (reg.dest / "multi.bin").stat().st_ino == inode
    assert sorted(os.listdir(reg.dest)) == ["multi.bin"]
    await all_answered(fault_server, "multi.bin")
    requests = ranged(fault_server, "multi.bin")
    assert len(requests) >= 3
    assert all(if_range == f'"s{size}-{seed}-v0"' and status == 206
               for _first, _last, if_range, status in requests)
    # Bytes fetched twice: only what was in flight when a stream gave its rest away.
    assert fault_server.bytes_sent - size <= 512 * KiB


async def test_ranges_answered_with_200_fall_back_to_one_stream(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine()
    size, seed = 3 * MiB, 32
    url = fault_server.url("whole.bin", size=size, seed=seed, ranges=0, rate=6_000_000)
    reg = await engine.settled(await engine.manager.fetch("whole", [url]))
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, seed)
    requests = fault_server.requests_for("whole.bin")
    assert requests[0].range is None
    # The extra connections got the whole file and gave up; at worst the file started
    # once more, over one stream.
    assert all(status in (200, None) for *_rest, status in ranged(fault_server, "whole.bin"))
    assert len([r for r in requests if r.range is None]) <= 2
    assert len(requests) <= 8


async def test_a_second_range_answered_with_200_keeps_the_connections_that_work(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine()
    size, seed = 3 * MiB, 33
    url = fault_server.url("once.bin", size=size, seed=seed, ranges=1, rate=3_000_000)
    reg = await engine.settled(await engine.manager.fetch("once", [url]))
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, seed)
    statuses = [status for *_rest, status in ranged(fault_server, "once.bin")]
    assert statuses[0] == 206 and 200 in statuses


async def test_a_connection_limit_on_the_server_means_fewer_connections(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine()
    size, seed = 4 * MiB, 34
    url = fault_server.url("limit.bin", size=size, seed=seed, max_conns=2, rate=4_000_000)
    reg = await engine.settled(await engine.manager.fetch("limit", [url]))
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, seed)
    assert fault_server.most_streaming("limit.bin") == 2
    assert 503 in [r.status for r in fault_server.requests_for("limit.bin")]


async def test_a_validator_changing_between_segments_restarts_never_splices(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine()
    size, seed = 3 * MiB, 35
    # The file changes once the second request arrives: the later segments' If-Range fails.
    url = fault_server.url("moving.bin", size=size, seed=seed, change_after=2, rate=3_000_000)
    reg = await engine.settled(await engine.manager.fetch("moving", [url]))
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, version_seed(seed, 1))
    requests = fault_server.requests_for("moving.bin")
    assert any(r.range is not None and r.status == 200 for r in requests), "no If-Range failed"
    plain = [r for r in requests if r.range is None]
    assert len(plain) == 2, "the file restarted once, from a plain GET"


async def test_a_reply_that_pauses_right_after_its_segment_is_not_waited_for(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    """The first reply (the whole file) goes quiet exactly where its segment ends, as a
    per-connection rate limit does for up to a second: the segment is complete, so the
    reply is dropped there instead of waiting for one more chunk that only repeats
    bytes another connection has."""
    engine = await segmented_engine(stall_timeout=60.0)
    size, seed = 4 * MiB, 36
    # Four segments of 1 MiB; only the first response (the plain GET) stalls, for 30 s.
    url = fault_server.url("quiet.bin", size=size, seed=seed, stall_after=MiB, stall_s=30)
    reg = await engine.settled(await engine.manager.fetch("quiet", [url]), timeout=15.0)
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, seed)
    # Neither waited out nor retried: one plain GET, the rest ranges.
    assert [r.range for r in fault_server.requests_for("quiet.bin")].count(None) == 1


async def test_one_connection_setting_streams_over_one(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine(connections_per_file=1)
    size = 2 * MiB
    reg = await engine.settled(await engine.manager.fetch(
        "single", [fault_server.url("single.bin", size=size)]))
    assert reg.result == "success" and file_digest(reg) == content_sha256(size)
    assert [r.range for r in fault_server.requests_for("single.bin")] == [None]


def saved_segments(home: Home, fetch_id: str) -> list[list[int]]:
    if not home.db_path.exists():
        return []
    db = sqlite3.connect(f"file:{home.db_path}?mode=ro", uri=True, timeout=5)
    try:
        row = db.execute(
            "SELECT r.segments FROM requests r JOIN registrations g ON r.reg_key = g.key"
            " WHERE g.id = ?", (fetch_id,)).fetchone()
    except sqlite3.OperationalError:
        return []
    finally:
        db.close()
    return json.loads(row[0]) if row else []


def test_sigkill_of_a_segmented_download_resumes_every_segment(
    home: Home, fault_server: FaultServer
) -> None:
    checkpoint_bytes = 2 * MiB
    home.write_settings(connections_per_file=4, min_split_size=MiB,
                        checkpoint_bytes=checkpoint_bytes, checkpoint_seconds=0.5)
    dest = home.path.parent / "out"
    size, seed = 24 * MiB, 36
    url = fault_server.url("seg.bin", size=size, seed=seed, rate=2_000_000)
    proc = home.popen("fetch", "--wait", "--id", "seg", "--dest", str(dest), url)

    def progressed() -> bool:
        saved = saved_segments(home, "seg")
        return len(saved) >= 4 and sum(done > start for start, done, _end in saved) >= 3

    wait_until(progressed, 30, 0.05, "a checkpoint with several segments under way")
    before = saved_segments(home, "seg")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    sent_before_kill = fault_server.bytes_sent
    fault_server.clear_requests()
    assert not (dest / "seg.bin").exists()

    waited = home.run("wait", "seg", timeout=60)

    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "seg.bin") == content_sha256(size, seed)
    resumes = fault_server.requests_for("seg.bin")
    assert resumes and all(r.range is not None for r in resumes), "a resume without Range"
    assert all(r.headers.get("If-Range") == f'"s{size}-{seed}-v0"' for r in resumes)
    assert all(r.status == 206 for r in resumes)
    # Every segment resumed at (or after) its saved position.
    starts = {int(RANGE.fullmatch(r.range or "").group(1)) for r in resumes}  # type: ignore[union-attr]
    for start, done, end in before:
        if done < end:
            assert any(done <= s < end for s in starts), f"segment {start}-{end} not resumed"
    refetched = fault_server.bytes_sent - size
    print(f"served {sent_before_kill} before the kill; fetched again {refetched}")
    assert refetched <= 8 * MiB, f"{refetched} bytes fetched twice"
    assert home.show("seg")["downloaded"] == size
    assert file_size(dest / "seg.bin") == size


async def test_pause_checkpoints_every_segment_and_resume_finishes_them(
    segmented_engine: EngineFactory, fault_server: FaultServer
) -> None:
    engine = await segmented_engine()
    size, seed = 4 * MiB, 37
    url = fault_server.url("paused.bin", size=size, seed=seed, rate=1_000_000)
    reg = await engine.manager.fetch("paused", [url])
    deadline = asyncio.get_running_loop().time() + 20
    while reg.downloaded < MiB:
        assert asyncio.get_running_loop().time() < deadline, "no progress"
        await asyncio.sleep(0.02)
    assert await engine.manager.pause(reg)
    (row,) = reg.row.requests
    saved = row.segments
    assert len(saved) >= 2 and sum(done - start for start, done, _end in saved) == reg.downloaded
    assert reg.snapshot().connections == 0
    fault_server.clear_requests()
    assert await engine.manager.resume(reg)
    await engine.settled(reg)
    assert reg.result == "success", reg.failure_reason
    assert file_digest(reg) == content_sha256(size, seed)
    await all_answered(fault_server, "paused.bin")
    resumed = ranged(fault_server, "paused.bin")
    assert resumed and all(status == 206 for *_rest, status in resumed)
    assert {first for first, *_rest in resumed} >= {
        done for _start, done, end in saved if done < end
    }


def test_checkpoints_come_by_bytes_so_a_kill_refetches_at_most_that_much(
    home: Home, fault_server: FaultServer
) -> None:
    """Every ``checkpoint_bytes`` (default) over all segments, however long the time
    rule would wait (docs/contracts.md §3).

    Every response is held at the same offset of its body, so nothing is on
    its way when the process is killed: what is fetched twice is exactly what
    came after the last checkpoint.
    """
    checkpoint_bytes = Settings().checkpoint_bytes
    assert checkpoint_bytes <= 2 * MiB, "the contract promises at most 2 MiB by default"
    home.write_settings(**HOLD_SETTINGS, connections_per_file=4, min_split_size=MiB,
                        checkpoint_seconds=600.0)
    dest = home.path.parent / "out"
    size, seed, held_at = 16 * MiB, 41, 3 * MiB + 123_457
    url = fault_server.url("bytes.bin", size=size, seed=seed, hold="bytes", hold_after=held_at)
    proc = home.popen("fetch", "--wait", "--id", "bytes", "--dest", str(dest), url)

    def saved() -> int:
        return sum(done - start for start, done, _end in saved_segments(home, "bytes"))

    # All four connections held (a segment shorter than held_at, planned so on a slow
    # machine, ends and its connection steals work: that is a fifth response), and the
    # checkpoints within checkpoint_bytes of everything the server sent.
    wait_until(lambda: fault_server.held("bytes") == 4
               and saved() >= fault_server.bytes_sent - checkpoint_bytes, 60, 0.05,
               "checkpoints up to the last MiB of what every connection received")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    sent_before_kill = fault_server.bytes_sent
    fault_server.release("bytes")

    waited = home.run("wait", "bytes", timeout=60)

    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "bytes.bin") == content_sha256(size, seed)
    refetched = fault_server.bytes_sent - size
    print(f"sent {sent_before_kill} before the kill, saved {saved()}; fetched again {refetched}")
    assert refetched <= checkpoint_bytes, f"{refetched} bytes fetched twice"
