"""A full disk (issue 10), for real on a small tmpfs (needs root; see tests/support/tmpfs.py).

Bundle folder full: the fetch fails with quota-exceeded and `retry` continues from the
checkpoint once space is freed. Data folder full: a clear one-line reason, the fetch
settles (a `fetch --wait` returns) and nothing stored before is lost."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import pytest

from bgfetch_gui.engine.api import CommandHandler
from bgfetch_gui.engine.errors import StoreError
from bgfetch_gui.engine.registration import Registration
from tests.integration.engine_fixtures import Engine, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256
from tests.support.tmpfs import mounted_tmpfs

pytestmark = pytest.mark.needs_root

SIZE = 4_000_000


async def sha256_of(reg: Registration) -> str:
    records = await reg.match_all()
    assert len(records) == 1 and records[0].path is not None
    return hashlib.sha256(records[0].path.read_bytes()).hexdigest()


async def test_a_full_bundle_folder_fails_with_quota_exceeded_and_retry_resumes(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
) -> None:
    with mounted_tmpfs(tmp_path / "small", "2m") as disk:
        # 8 MB/s: several checkpoints (every 0.1 s) before the disk is full.
        url = fault_server.url("big.bin", size=SIZE, rate=8_000_000)
        reg = await engine.settled(await engine.manager.fetch(
            "full", [url], dest=disk.path / "bundle"))
        assert reg.result == "failure" and reg.failure_reason == "quota-exceeded"
        kept = reg.row.requests[0].bytes_done
        assert kept > 0
        disk.resize("16m")
        fault_server.clear_requests()
        # Before: `resume` said "nothing to resume"; fetching again restarted from zero.
        handler = CommandHandler(engine.manager, "test", lambda: None)
        replies = [r async for r in handler.handle({"cmd": "resume", "id": "full"})]
        assert replies[-1]["changed"] is True
        reg = await engine.settled(reg)
        assert reg.result == "success"
        assert await sha256_of(reg) == content_sha256(SIZE)
        assert fault_server.requests_for("big.bin")[0].range == f"bytes={kept}-"


async def test_a_full_data_folder_settles_the_fetch_and_loses_nothing(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    with mounted_tmpfs(tmp_path / "home", "4m") as disk:
        engine = await start_engine(disk.path)
        try:
            url = fault_server.url("f.bin", size=SIZE, rate=4_000_000, hold="full",
                                   hold_after=1_000_000)
            reg = await engine.manager.fetch("data-full", [url], dest=tmp_path / "bundle")
            async with asyncio.timeout(20):
                while engine.manager.store.load(reg.key)[0].requests[0].bytes_done < 500_000:
                    await asyncio.sleep(0.01)
            # Every later write must grow a file: the WAL is emptied, then the disk filled.
            engine.manager.store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            filler = disk.fill()
            fault_server.release("full")
            # Before: stayed queued for ever, a traceback in the log.
            await engine.settled(reg, timeout=20)
            assert reg.result == "failure" and reg.failure_reason == "quota-exceeded"
            with pytest.raises(StoreError, match="disk is full"):
                await engine.manager.fetch("another", [url], dest=tmp_path / "other")
        finally:
            await stop_engine(engine)
        filler.unlink()
        # Nothing lost: the next engine finds the fetch at its last checkpoint and ends it.
        engine = await start_engine(disk.path)
        try:
            again = engine.manager.get("data-full")
            assert again is not None and again.active
            await engine.settled(again, timeout=30)
            assert again.result == "success"
            assert await sha256_of(again) == content_sha256(SIZE)
            resumed = [r.range for r in fault_server.requests_for("f.bin")][-1]
            assert resumed is not None and int(resumed[6:-1]) >= 500_000
        finally:
            await stop_engine(engine)
