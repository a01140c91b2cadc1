"""Kill loop (issue 10, chaos 1): SIGKILL the engine at random moments of a large
segmented fetch, restarting it each time; the file ends SHA-256 identical, and the bytes
fetched twice (sent by the server but not kept) are counted per restart."""

from __future__ import annotations

import random
import signal
from collections.abc import Callable

from tests.chaos.conftest import Scale
from tests.integration.cli_helpers import Home, sha256_file, wait_until
from tests.support.faultserver import FaultServer, content_sha256

MiB = 1 << 20
# The goal of the issue: at most 8 MiB fetched twice per restart, with the default
# checkpoints (8 MiB or one second) and a transfer of 8 MB/s or less.
GOAL_PER_RESTART = 8 * MiB


def test_kill_loop(
    home: Home, fault_server: FaultServer, scale: Scale, figures: Callable[[str], None]
) -> None:
    rng = random.Random(10)
    # The default checkpoints; 8 connections of 1 MB/s each.
    home.write_settings(checkpoint_bytes=8 * MiB, checkpoint_seconds=1.0,
                        connections_per_file=8)
    size, seed = scale.kill_file, 77
    url = fault_server.url("big.bin", size=size, seed=seed, rate=1_000_000)
    dest = home.path.parent / "out"
    proc = home.popen("fetch", "--wait", "--id", "kill", "--dest", str(dest), url)
    wasted_before = 0
    per_restart: list[int] = []
    for _ in range(scale.kills):
        sent_before = fault_server.bytes_sent
        # A random moment, measured in bytes the server sent (not in seconds: the
        # machine's speed must not decide where the kill lands).
        moment = rng.randint(256 * 1024, 6 * MiB)
        wait_until(lambda b=sent_before, m=moment, p=proc: fault_server.bytes_sent - b >= m
                   or p.poll() is not None, 120, 0.01, "the next kill's moment")
        if proc.poll() is not None:
            break  # finished before the kill: no more moments to kill at
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        checkpoint = sum(home.bytes_done("kill"))
        wasted = fault_server.bytes_sent - checkpoint
        per_restart.append(wasted - wasted_before)
        wasted_before = wasted
        proc = home.popen("wait", "kill")
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, (out, err)
    assert sha256_file(dest / "big.bin") == content_sha256(size, seed)
    total_twice = fault_server.bytes_sent - size
    figures(f"kill loop: {len(per_restart)} restarts survived of a {size // MiB} MiB file; "
          f"fetched twice: {total_twice / MiB:.1f} MiB in all, worst restart "
          f"{max(per_restart, default=0) / MiB:.1f} MiB, per restart "
          f"{[round(w / MiB, 1) for w in per_restart]} MiB")
    assert len(per_restart) == scale.kills, "the fetch ended before every kill was made"
    assert max(per_restart) <= GOAL_PER_RESTART, per_restart
    reg = home.show("kill")
    assert reg["result"] == "success" and reg["downloaded"] == size, reg
