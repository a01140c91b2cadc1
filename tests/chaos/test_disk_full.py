"""Disk full (issue 10, chaos 4), on small tmpfs mounts (needs root, as CI has; see
tests/support/tmpfs.py). The bundle folder's disk: that fetch fails with quota-exceeded,
its neighbour on another disk is unharmed, and a resume after freeing space continues
from the checkpoint. The data folder's disk: `bgfetch fetch --wait` returns with one
clear line and no traceback, and the next engine finishes the fetch."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.integration.cli_helpers import Home, sha256_file, wait_until
from tests.integration.engine_fixtures import Engine
from tests.support.faultserver import FaultServer, content_sha256
from tests.support.tmpfs import mounted_tmpfs

pytestmark = pytest.mark.needs_root

SIZE = 6_000_000


async def test_bundle_disk_full_beside_a_healthy_fetch(
    engine: Engine, fault_server: FaultServer, tmp_path: Path, figures: Callable[[str], None]
) -> None:
    with mounted_tmpfs(tmp_path / "small", "3m") as disk:
        full = await engine.manager.fetch(
            "full", [fault_server.url("a.bin", size=SIZE, rate=8_000_000)],
            dest=disk.path / "a")
        healthy = await engine.manager.fetch(
            "healthy", [fault_server.url("b.bin", size=SIZE, rate=8_000_000)],
            dest=tmp_path / "b")
        await engine.settled(full)
        await engine.settled(healthy)
        assert full.failure_reason == "quota-exceeded"
        assert healthy.result == "success"
        [record] = await healthy.match_all()
        assert record.path is not None
        assert hashlib.sha256(record.path.read_bytes()).hexdigest() == content_sha256(SIZE)
        kept = full.row.requests[0].bytes_done
        disk.resize("32m")
        fault_server.clear_requests()
        await engine.settled(await engine.manager.retry(full))
        assert full.result == "success"
        assert fault_server.requests_for("a.bin")[0].range == f"bytes={kept}-"
        figures(f"bundle disk full: failed at checkpoint {kept}, resumed from it; "
              "the neighbour succeeded")


def test_data_folder_full_under_fetch_wait(
    fault_server: FaultServer, tmp_path: Path, figures: Callable[[str], None]
) -> None:
    with mounted_tmpfs(tmp_path / "root" / "home", "6m") as disk:
        home = Home(tmp_path / "root")  # its data folder is the tmpfs
        try:
            url = fault_server.url("c.bin", size=SIZE, rate=4_000_000, hold="c",
                                   hold_after=1_000_000)
            dest = tmp_path / "out"
            proc = home.popen("fetch", "--wait", "--id", "c", "--dest", str(dest), url)
            wait_until(lambda: sum(home.bytes_done("c")) >= 500_000, 30,
                       what="a checkpoint")
            filler = disk.fill()
            fault_server.release("c")
            # Before: never returned, the fetch stayed queued, tracebacks in the log.
            _out, err = proc.communicate(timeout=60)
            figures(f"data folder full: exit {proc.returncode}, stderr {err.strip()!r}")
            assert proc.returncode != 0 and "Traceback" not in err
            assert "quota-exceeded" in err
            filler.unlink()
            waited = home.run("wait", "c", timeout=60)
            assert waited.returncode == 0, waited.stderr
            assert sha256_file(dest / "c.bin") == content_sha256(SIZE)
        finally:
            home.stop_engines()
