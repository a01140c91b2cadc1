"""Integrity metadata (docs/contracts.md §12) against the fault server: a real engine,
real part files. The body is hashed as it arrives, over the part file's bytes on a
resume, over the whole file when segmented; a mismatch fails that request only, and its
file never takes its final name."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import sqlite3
from pathlib import Path

import pytest

from bgfetch_gui.engine.file_hashes import record_hashes
from bgfetch_gui.engine.model import FailureReason, FetchRequest
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.store import DB_NAME
from bgfetch_gui.ui.present import failure_text
from tests.integration.engine_fixtures import (
    Engine,
    EngineFactory,
    fast_settings,
    start_engine,
    stop_engine,
)
from tests.support.faultserver import FaultServer, content, version_seed

KiB, MiB = 1 << 10, 1 << 20


def sri(algorithm: str, size: int, seed: int = 0) -> str:
    """The metadata of the fault server's file of ``size`` bytes from ``seed``."""
    digest = hashlib.new(algorithm, content(size, seed)).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


def wrong(algorithm: str) -> str:
    return f"{algorithm}-{base64.b64encode(hashlib.new(algorithm, b'x').digest()).decode()}"


async def fetch(engine: Engine, fetch_id: str, *requests: FetchRequest) -> Registration:
    return await engine.settled(await engine.manager.fetch(fetch_id, list(requests)))


def files(reg: Registration) -> list[str]:
    return sorted(p.name for p in reg.dest.iterdir())


@pytest.mark.parametrize("algorithm", ["sha256", "sha384", "sha512"])
async def test_a_matching_body_is_kept_and_a_mismatch_fails_its_request(
    engine: Engine, fault_server: FaultServer, algorithm: str
):
    size = 2 * MiB + 17  # streamed: larger than what is gathered in memory
    good = FetchRequest(fault_server.url("good.bin", size=size, seed=1),
                        integrity=sri(algorithm, size, 1))
    bad = FetchRequest(fault_server.url("bad.bin", size=size, seed=2),
                       integrity=f"{wrong(algorithm)}?ct=application/octet-stream")
    reg = await fetch(engine, "one-of-two", good, bad)

    assert reg.result == "failure" and reg.failure_reason == FailureReason.FETCH_ERROR
    snapshot = reg.snapshot()
    got = sri(algorithm, size, 2)
    assert snapshot.problem == f"integrity check failed: expected {wrong(algorithm)} got {got}"
    assert snapshot.problem_file == "bad.bin"
    assert failure_text(snapshot) == \
        "1 of 2 files; bad.bin: the file does not match its integrity digest"  # the window's
    # The other request finished as for any failed one; the bad body has no file at all.
    assert files(reg) == ["good.bin"]
    assert (reg.dest / "good.bin").read_bytes() == content(size, 1)
    [kept, dropped] = reg.records()
    assert kept.complete and not dropped.complete and dropped.size == 0


async def test_several_tokens_the_strongest_decides(engine: Engine, fault_server: FaultServer):
    size = 300 * KiB
    url = fault_server.url("t.bin", size=size, seed=3)
    cases = {
        # A wrong weaker digest beside a right stronger one passes...
        "stronger-right": f"{wrong('sha256')} {sri('sha512', size, 3)}",
        # ...a right weaker one does not save a wrong stronger one,
        "stronger-wrong": f"{sri('sha256', size, 3)} {wrong('sha384')}",
        # any digest of the strongest algorithm may match (a new release, an old one),
        "either": f"{wrong('sha384')} {sri('sha384', size, 3)} md5-ignored",
        # and no known algorithm at all checks nothing, as in a browser.
        "unknown": "md5-abc sha1-def",
    }
    results = {}
    for name, metadata in cases.items():
        reg = await fetch(engine, name, FetchRequest(url, integrity=metadata))
        results[name] = reg.result
    assert results == {"stronger-right": "success", "stronger-wrong": "failure",
                       "either": "success", "unknown": "success"}


async def test_a_small_body_is_checked_too(engine: Engine, fault_server: FaultServer):
    """Bodies up to 256 KiB are gathered and written in one go, then hashed whole."""
    ok = await fetch(engine, "small", FetchRequest(fault_server.url("s.bin", size=1000, seed=4),
                                                   integrity=sri("sha256", 1000, 4)))
    bad = await fetch(engine, "small-bad", FetchRequest(
        fault_server.url("s2.bin", size=1000, seed=4), integrity=wrong("sha512")))
    assert ok.result == "success" and bad.result == "failure"
    assert [name for name in files(bad) if name.startswith("s2.bin")] == []


async def test_retries_in_one_run_hash_the_bytes_already_in_the_part_file(
    engine: Engine, fault_server: FaultServer
):
    """The connection drops twice: each try resumes with Range, and the digest covers the
    bytes earlier tries wrote (a hash of the last try alone would not match)."""
    size = 3_000_000
    url = fault_server.url("drop.bin", size=size, seed=5, drop_after=1_000_000, drop_times=2)
    reg = await fetch(engine, "drop", FetchRequest(url, integrity=sri("sha384", size, 5)))
    assert reg.result == "success", reg.snapshot().problem
    assert [r.range for r in fault_server.requests_for("drop.bin")] == \
        [None, "bytes=1000000-", "bytes=2000000-"]


@pytest.mark.parametrize("right", [True, False])
async def test_pause_and_resume_verify_the_whole_file(
    engine: Engine, fault_server: FaultServer, right: bool
):
    size = 2 * MiB
    url = fault_server.url("p.bin", size=size, seed=6, hold="p", hold_after=700_000)
    metadata = sri("sha256", size, 6) if right else wrong("sha256")
    reg = await engine.manager.fetch("paused", [FetchRequest(url, integrity=metadata)])
    with fault_server.holding("p"):
        await asyncio.to_thread(fault_server.wait_held, "p")
        async with asyncio.timeout(30):
            while reg.downloaded < 700_000:
                await asyncio.sleep(0.01)
        await engine.manager.pause(reg)
    assert reg.row.requests[0].checkpoint == 700_000
    await engine.manager.resume(reg)
    await engine.settled(reg)

    assert fault_server.requests_for("p.bin")[-1].range == "bytes=700000-"
    if right:
        assert reg.result == "success", reg.snapshot().problem
        assert (reg.dest / "p.bin").read_bytes() == content(size, 6)
    else:
        assert reg.result == "failure"
        assert reg.snapshot().problem.endswith(f"got {sri('sha256', size, 6)}")
        assert files(reg) == []


@pytest.mark.parametrize("right", [True, False])
async def test_a_segmented_download_is_verified_once_complete(
    engine_series: EngineFactory, fault_server: FaultServer, right: bool
):
    engine = await engine_series(connections_per_file=4, min_split_size=256 * KiB)
    size = 4 * MiB + 3
    url = fault_server.url("seg.bin", size=size, seed=7, rate=8_000_000)
    metadata = sri("sha512", size, 7) if right else wrong("sha512")
    reg = await fetch(engine, "seg", FetchRequest(url, integrity=metadata))

    assert sum(1 for r in fault_server.requests_for("seg.bin") if r.range) >= 2, \
        "the file did not go over several connections"
    assert reg.result == ("success" if right else "failure"), reg.snapshot().problem
    assert files(reg) == (["seg.bin"] if right else [])


async def test_sha256_of_records_is_cached_and_follows_a_changed_file(
    engine: Engine, fault_server: FaultServer
):
    size = 500 * KiB
    reg = await fetch(engine, "h", FetchRequest(fault_server.url("a.bin", size=size, seed=8),
                                                integrity=sri("sha256", size, 8)),
                      FetchRequest(fault_server.url("b.bin", size=size, seed=9)))
    store = engine.manager.store
    # The verified digest is kept at once; the other file is hashed only when asked.
    assert list(store.file_hashes(reg.key)) == [0]
    want = [hashlib.sha256(content(size, seed)).hexdigest() for seed in (8, 9)]
    assert await record_hashes(store, reg) == want
    assert sorted(store.file_hashes(reg.key)) == [0, 1]

    # A hash in the cache is used while the file is what it was hashed as...
    stamp, _ = store.file_hashes(reg.key)[1]
    store.save_file_hash(reg.key, 1, stamp, "0" * 64)
    assert (await record_hashes(store, reg))[1] == "0" * 64
    # ...and a file changed since is hashed again.
    with open(reg.dest / "b.bin", "ab") as handle:
        handle.write(b"more")
    assert (await record_hashes(store, reg))[1] == \
        hashlib.sha256(content(size, 9) + b"more").hexdigest()
    (reg.dest / "a.bin").unlink()
    assert (await record_hashes(store, reg))[0] is None


async def test_a_retry_after_a_mismatch_downloads_the_file_again(
    engine: Engine, fault_server: FaultServer
):
    """The mirror served a bad copy, then was fixed: `resume` of the failed fetch fetches the
    whole body again (the bad bytes are gone) under its name, and it passes."""
    size = 600 * KiB
    fixed = version_seed(10, 1)
    expected = "sha256-" + base64.b64encode(hashlib.sha256(content(size, fixed)).digest()).decode()
    url = fault_server.url("r.bin", size=size, seed=10)
    reg = await fetch(engine, "retry", FetchRequest(url, integrity=expected))
    assert reg.result == "failure" and reg.snapshot().problem_file == "r.bin"
    assert [name for name in files(reg) if name.startswith("r.bin")] == []

    fault_server.set_version("r.bin", 1)
    await engine.settled(await engine.manager.retry(reg))

    assert reg.result == "success", reg.snapshot().problem
    assert [r.range for r in fault_server.requests_for("r.bin")] == [None, None]
    assert (reg.dest / "r.bin").read_bytes() == content(size, fixed)


@pytest.mark.parametrize("damaged", [False, True])
async def test_a_body_complete_before_a_crash_is_verified_before_its_rename(
    tmp_path: Path, fault_server: FaultServer, damaged: bool
):
    """Killed between the last byte and the rename: the next engine asks the server for
    nothing, hashes the part file whole, and renames it only if it matches."""
    size = 700 * KiB
    engine = await start_engine(tmp_path, fast_settings())
    reg = await fetch(engine, "whole", FetchRequest(fault_server.url("w.bin", size=size, seed=11),
                                                    integrity=sri("sha384", size, 11)))
    path = reg.dest / "w.bin"
    await stop_engine(engine)
    # What a SIGKILL at that instant leaves: the part file and an unfinished row.
    part = path.rename(path.with_name("w.bin.part"))
    if damaged:  # a bit flipped on the disk since
        with open(part, "r+b") as handle:
            handle.seek(size // 2)
            handle.write(bytes([content(size, 11)[size // 2] ^ 1]))
    db = sqlite3.connect(tmp_path / DB_NAME)
    db.execute("UPDATE requests SET complete = 0")
    db.execute("UPDATE registrations SET result = '', settled_at = NULL")
    db.commit()
    db.close()
    fault_server.clear_requests()

    engine = await start_engine(tmp_path, fast_settings())
    try:
        [again] = engine.manager.registrations()
        await engine.settled(again)
        assert fault_server.requests_for("w.bin") == []
        assert again.result == ("failure" if damaged else "success")
        assert path.exists() is not damaged and not part.exists()
    finally:
        await stop_engine(engine)
