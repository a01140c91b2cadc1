"""Crash safety (docs/contracts.md §3): real processes killed with SIGKILL, then resumed.

After a kill the next engine must continue every unfinished file from its
SQLite checkpoint with ``Range: bytes=N-`` guarded by ``If-Range``, fetch again
no more than one checkpoint interval, and never splice two versions of a file.
"""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest

from tests.integration.cli_helpers import (
    Home,
    describe,
    file_size,
    sha256_file,
    wait_until,
)
from tests.support.faultserver import FaultServer, RecordedRequest, content_sha256, version_seed

MiB = 1 << 20
CHECKPOINT_BYTES = 8 * MiB  # the defaults of docs/contracts.md §3 / settings.py
CHECKPOINT_SECONDS = 1.0


def _range_start(request: RecordedRequest) -> int | None:
    match = re.fullmatch(r"bytes=(\d+)-", request.range or "")
    return int(match.group(1)) if match else None


def _resumes(server: FaultServer, name: str) -> list[RecordedRequest]:
    return [r for r in server.requests_for(name) if r.range is not None]


def _wait_gone(pid: int, timeout: float = 10.0) -> None:
    def gone() -> bool:
        try:
            state = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            return True
        return "\nState:\tZ" in state

    wait_until(gone, timeout, what=f"process {pid} to die")


def test_sigkill_during_fetch_wait_resumes_from_the_checkpoint(
    home: Home, fault_server: FaultServer
) -> None:
    home.write_settings(checkpoint_bytes=CHECKPOINT_BYTES, checkpoint_seconds=CHECKPOINT_SECONDS)
    dest = home.path.parent / "out"
    size, seed = 100 * MiB, 21
    url = fault_server.url("big.bin", size=size, seed=seed, rate=20_000_000)
    part = dest / "big.bin.part"

    proc = home.popen("fetch", "--wait", "--id", "crash", "--dest", str(dest), url)
    wait_until(lambda: file_size(part) > 30 * MiB, 30, what="30 MiB on disk")
    # Kill between two checkpoints, so the bytes on disk run ahead of the database.
    box: dict[str, int] = {}

    def ahead_of_checkpoint() -> bool:
        box["checkpoint"] = home.bytes_done("crash")[0]
        return file_size(part) - box["checkpoint"] >= 2 * MiB

    wait_until(ahead_of_checkpoint, 20, 0.01, "the file to run ahead of the checkpoint")
    checkpoint = box["checkpoint"]
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    on_disk = file_size(part)

    assert proc.returncode == -signal.SIGKILL
    assert checkpoint > 0, "no checkpoint after 30 MiB"
    assert on_disk >= checkpoint
    assert not (dest / "big.bin").exists()

    waited = home.run("wait", "crash", timeout=60)

    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "big.bin") == content_sha256(size, seed)
    assert not part.exists()
    resumes = _resumes(fault_server, "big.bin")
    assert len(resumes) == 1, [r.range for r in resumes]
    start = _range_start(resumes[0])
    assert start is not None, resumes[0].range
    assert resumes[0].headers.get("If-Range") == f'"s{size}-{seed}-v0"'
    assert resumes[0].status == 206
    assert start >= checkpoint, f"resumed at {start}, before the checkpoint {checkpoint}"
    refetched = on_disk - start
    print(f"checkpoint read {checkpoint}, on disk at kill {on_disk}, resumed at {start}, "
          f"fetched again {refetched}")
    assert refetched <= CHECKPOINT_BYTES, f"fetched {refetched} bytes again"
    reg = home.show("crash")
    assert reg["result"] == "success" and reg["downloaded"] == size


def test_sigkill_of_the_daemon_then_wait_resumes(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    size, seed = 16 * MiB, 22
    url = fault_server.url("d.bin", size=size, seed=seed, rate=8_000_000)
    part = dest / "d.bin.part"

    home.ok("fetch", "--id", "dk", "--dest", str(dest), url)
    info = home.ping()
    assert info is not None and info["kind"] == "daemon"
    pid = info["pid"]
    wait_until(lambda: file_size(part) > 4 * MiB, 20, what="4 MiB on disk")
    wait_until(lambda: home.bytes_done("dk")[0] > 0, 5, what="a checkpoint")
    os.kill(pid, signal.SIGKILL)
    _wait_gone(pid)
    checkpoint = home.bytes_done("dk")[0]
    assert home.ping() is None

    waited = home.run("wait", "dk", timeout=60)

    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "d.bin") == content_sha256(size, seed)
    resumes = _resumes(fault_server, "d.bin")
    assert len(resumes) == 1
    start = _range_start(resumes[0])
    assert start is not None and start >= checkpoint > 0


@pytest.mark.parametrize(
    ("validator", "params"),
    [
        ("strong etag", {}),
        ("last-modified only", {"etag": "none"}),
        ("weak etag, so last-modified", {"weak": 1}),
    ],
)
def test_file_changed_while_dead_restarts_never_splices(
    home: Home, fault_server: FaultServer, validator: str, params: dict[str, object]
) -> None:
    dest = home.path.parent / "out"
    size, seed = 3 * MiB, 23
    url = fault_server.url("v.bin", size=size, seed=seed, rate=3_000_000, **params)
    part = dest / "v.bin.part"

    proc = home.popen("fetch", "--wait", "--id", "v", "--dest", str(dest), url)
    wait_until(lambda: (home.bytes_done("v") or [0])[0] > MiB // 2, 20, what="a checkpoint")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert file_size(part) > MiB // 2
    first = fault_server.requests_for("v.bin")[0]
    fault_server.set_version("v.bin", 1)

    waited = home.run("wait", "v", timeout=60)

    assert waited.returncode == 0, describe(waited)
    new_sha = content_sha256(size, version_seed(seed, 1))
    assert new_sha != content_sha256(size, seed)
    assert sha256_file(dest / "v.bin") == new_sha, f"{validator}: versions were spliced"
    assert file_size(dest / "v.bin") == size
    resumes = _resumes(fault_server, "v.bin")
    assert len(resumes) == 1, [r.range for r in resumes]
    resume = resumes[0]
    if_range = resume.headers.get("If-Range")
    assert if_range, f"{validator}: a Range request without If-Range could splice"
    if validator == "strong etag":
        assert if_range.startswith('"')
    else:
        assert not if_range.startswith(("W/", '"')), f"{validator}: If-Range {if_range!r}"
    assert resume.status == 200, "the changed file must come back whole"
    assert first.range is None
    reg = home.show("v")
    assert reg["result"] == "success" and reg["downloaded"] == size
