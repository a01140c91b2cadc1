"""A bundle of many small files: every byte right, connections reused, files made durable."""

from __future__ import annotations

import hashlib
from pathlib import Path

from bgfetch_gui.engine.model import FetchOptions
from tests.integration.engine_fixtures import fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256

KiB = 1 << 10


async def test_a_thousand_small_files_in_one_fetch(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(
        tmp_path, fast_settings(max_transfers_per_fetch=16, max_transfers=16)
    )
    try:
        count, size = 1000, 16 * KiB
        urls = [fault_server.url(f"part-{i:04}.bin", size=size, seed=i) for i in range(count)]
        reg = await engine.manager.fetch("bundle", urls, FetchOptions(title="Bundle"))
        await engine.settled(reg, timeout=120)
    finally:
        await stop_engine(engine)
    assert reg.result == "success", reg.failure_reason
    records = reg.records()
    assert len(records) == count
    for i, record in enumerate(records):
        assert record.complete and record.path is not None
        assert record.path.name == f"part-{i:04}.bin"
        assert hashlib.sha256(record.path.read_bytes()).hexdigest() == content_sha256(size, i)
    assert sorted(p.name for p in reg.dest.iterdir()) == [f"part-{i:04}.bin" for i in range(count)]
    # Keep-alive: the requests share a few connections, at most one per parallel transfer
    # (and a few more where the server closed one).
    connections = {r.remote_port for r in fault_server.requests}
    assert len(connections) <= 32, f"{len(connections)} connections for {count} requests"


async def test_sync_each_file_setting_still_completes_small_files(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, fast_settings(sync_each_file=True))
    try:
        urls = [fault_server.url(f"s{i}.bin", size=4 * KiB, seed=i) for i in range(5)]
        reg = await engine.settled(await engine.manager.fetch("each", urls))
    finally:
        await stop_engine(engine)
    assert reg.result == "success"
    assert [hashlib.sha256(r.path.read_bytes()).hexdigest() for r in reg.records()
            if r.path is not None] == [content_sha256(4 * KiB, i) for i in range(5)]
