"""Every fetch settles in bounded time whatever the server does (issue 10, docs/contracts.md
§3): restarts from zero are budgeted, retries reset only on new bytes, and a trickle that
is never quite silent is cut by the lowest-speed rule and retried from the checkpoint."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from tests.integration.engine_fixtures import Engine, fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256


async def test_truncation_then_a_wrong_range_fails_after_the_restart_budget(
    engine: Engine, fault_server: FaultServer
) -> None:
    # Before: the retry budget reset after every truncated body (each brought >256 KiB)
    # and restarts were never bounded: queued for ever.
    url = fault_server.url("t.bin", size=2_000_000, drop_after=700_000, drop_times=10_000,
                           wrong_range=1)
    reg = await engine.settled(await engine.manager.fetch("truncating", [url]), timeout=30)
    assert reg.result == "failure" and reg.failure_reason == "fetch-error"
    restarts = engine.manager.settings.max_restarts
    # Each restart costs one truncated body and one refused resume.
    assert len(fault_server.requests_for("t.bin")) <= 2 * (restarts + 1) + 1


async def test_the_same_bytes_again_are_not_progress(
    engine: Engine, fault_server: FaultServer
) -> None:
    # A server that ignores ranges and cuts every body at the same place: each try
    # brings 400 kB, but never one byte beyond the first try's. Cut with a FIN, which
    # delivers every byte sent: a reset may throw away bytes still unread in the client's
    # socket (a loaded machine), and a try that then brings more than the one before is
    # progress, rightly.
    url = fault_server.url("same.bin", size=2_000_000, drop_after=400_000, drop_times=10_000,
                           drop_mode="close", ignore_range=1)
    reg = await engine.settled(await engine.manager.fetch("same", [url]), timeout=30)
    assert reg.result == "failure" and reg.failure_reason == "fetch-error"
    assert len(fault_server.requests_for("same.bin")) == engine.manager.settings.max_retries + 1


async def test_a_trickle_is_cut_by_the_lowest_speed_rule(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    # 200 bytes/s never looks like a stall (a byte comes every few ms): before, the
    # fetch was "downloading" for the 5000 s the file takes at that speed.
    settings = fast_settings(lowest_speed=4096, lowest_speed_window=0.5, max_retries=2)
    engine = await start_engine(tmp_path, settings)
    try:
        started = time.monotonic()
        url = fault_server.url("slow.bin", size=1_000_000, rate=200)
        reg = await engine.settled(await engine.manager.fetch("trickle", [url]), timeout=30)
        assert reg.result == "failure" and reg.failure_reason == "fetch-error"
        assert time.monotonic() - started < 15
        requests = fault_server.requests_for("slow.bin")
        assert len(requests) == 3  # the first try and two retries from the checkpoint
        assert all(r.range is not None for r in requests[1:])
    finally:
        await stop_engine(engine)


async def test_our_own_speed_limit_is_not_a_slow_server(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    # The user's limit (20 kB/s) is below the lowest speed (100 kB/s): the time we
    # spend waiting on ourselves does not count against the server.
    settings = fast_settings(speed_limit=20_000, lowest_speed=100_000, lowest_speed_window=0.3,
                             max_retries=0)
    engine = await start_engine(tmp_path, settings)
    try:
        url = fault_server.url("limited.bin", size=40_000)
        reg = await engine.settled(await engine.manager.fetch("limited", [url]), timeout=30)
        assert reg.result == "success"
        records = await reg.match_all()
        assert records[0].path is not None
        assert hashlib.sha256(records[0].path.read_bytes()).hexdigest() == content_sha256(40_000)
    finally:
        await stop_engine(engine)
