"""A failed fetch's problem (docs/contracts.md §4) outlives the engine that saw it,
and a retry forgets it."""

from __future__ import annotations

import socket
from pathlib import Path

from bgfetch_gui.engine.model import FailureReason, FetchOptions
from tests.integration.engine_fixtures import fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer


async def test_the_problem_holds_after_a_restart_until_a_retry(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/ep-5.jpg"  # nobody listens
    engine = await start_engine(tmp_path, fast_settings(max_retries=1))
    try:
        reg = await engine.settled(await engine.manager.fetch(
            "ep-5", [fault_server.url("ep-5.mp3", size=1000), refused],
            FetchOptions(title="Episode 5")))
        before = reg.snapshot()
    finally:
        await stop_engine(engine)
    assert (reg.failure_reason, before.problem_code) == (FailureReason.FETCH_ERROR,
                                                         "connection-refused")

    engine = await start_engine(tmp_path, fast_settings(max_retries=1))
    try:
        again = engine.manager.find("ep-5")
        after = again.snapshot()
        assert (after.problem, after.problem_code, after.problem_file) == (
            before.problem, "connection-refused", "ep-5.jpg")
        await engine.manager.retry(again)
        assert engine.manager.store.failure_problems() == {}
        await engine.settled(again)
        kept = engine.manager.store.failure_problems()
        assert list(kept) == [again.key] and kept[again.key][1] == 1, "the new run's failure"
    finally:
        await stop_engine(engine)
