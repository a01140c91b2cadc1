"""Fetches that share a bundle folder own only their own files."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tests.integration.engine_fixtures import Engine
from tests.support.faultserver import FaultServer, content_sha256


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_two_fetches_never_share_a_file(engine: Engine, fault_server: FaultServer,
                                              tmp_path: Path):
    """A's first answer is a 503, so it names its file late; B must not take the same name."""
    dest = tmp_path / "shared"
    a = await engine.manager.fetch("A", [fault_server.url(
        "f.bin", size=600_000, seed=1, fail=1, retry_after=1, rate=1_000_000)], dest=dest)
    b = await engine.manager.fetch("B", [fault_server.url(
        "f.bin", size=600_000, seed=2, rate=1_000_000)], dest=dest)
    await engine.settled(a)
    await engine.settled(b)
    assert a.result == b.result == "success"
    [record_a], [record_b] = await a.match_all(), await b.match_all()
    assert record_a.path != record_b.path
    assert digest(record_a.path) == content_sha256(600_000, 1)
    assert digest(record_b.path) == content_sha256(600_000, 2)


async def test_removing_a_failed_fetch_keeps_the_files_of_others(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
):
    dest = tmp_path / "shared"
    failed = await engine.settled(await engine.manager.fetch(
        "first-try", [fault_server.url("report.pdf", status=404)], dest=dest))
    good = await engine.settled(await engine.manager.fetch(
        "second-try", [fault_server.url("report.pdf", size=1000)], dest=dest))
    assert failed.failure_reason == "bad-status" and good.result == "success"
    await engine.manager.remove(failed, delete_files=True)
    assert (dest / "report.pdf").stat().st_size == 1000


async def test_an_unexpected_error_settles_the_fetch(engine: Engine, fault_server: FaultServer,
                                                     tmp_path: Path):
    """A bundle folder that became a file must fail the fetch, not loop its runner."""
    dest = tmp_path / "was-a-folder"
    dest.write_text("a file now")
    url = fault_server.url("x.bin", size=10)
    reg = await engine.manager.fetch("x", [url], dest=tmp_path / "ok")
    reg.row.dest = dest  # as if the folder was replaced while the engine was stopped
    await engine.settled(reg, timeout=10)
    assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
