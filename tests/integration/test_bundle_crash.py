"""A bundle of small files killed with SIGKILL half-way (docs/contracts.md §3).

Every file the store records as complete must be complete on disk under its
recorded name, and the next engine finishes the rest, each file whole.
"""

from __future__ import annotations

import signal
import sqlite3
from pathlib import Path

from tests.integration.cli_helpers import Home, describe, sha256_file, wait_until
from tests.support.faultserver import FaultServer, content_sha256

FILES = 24
SIZE = 16 * 1024
RATE = 64 * 1024  # bytes/s per file: a quarter of a second each, so the kill lands mid-way


def _complete(home: Home, fetch_id: str) -> dict[int, str]:
    """Request index → file name of the requests the store records as complete."""
    if not home.db_path.exists():
        return {}
    db = sqlite3.connect(f"file:{home.db_path}?mode=ro", uri=True, timeout=5)
    try:
        rows = db.execute(
            "SELECT r.idx, r.filename FROM requests r JOIN registrations g ON r.reg_key = g.key"
            " WHERE g.id = ? AND r.complete = 1",
            (fetch_id,),
        ).fetchall()
    except sqlite3.OperationalError:
        return {}
    finally:
        db.close()
    return {idx: name for idx, name in rows}


def test_sigkill_mid_bundle_keeps_every_complete_file_and_resumes_the_rest(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    urls = [fault_server.url(f"f{i}.bin", size=SIZE, seed=100 + i, rate=RATE)
            for i in range(FILES)]

    proc = home.popen("fetch", "--wait", "--id", "bundle", "--dest", str(dest), *urls)
    wait_until(lambda: len(_complete(home, "bundle")) >= 5, 60, 0.01,
               "five files recorded complete")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    complete = _complete(home, "bundle")

    assert proc.returncode == -signal.SIGKILL
    assert len(complete) < FILES, "the bundle ended before the kill"
    folder = Path(home.show("bundle")["dest"])
    for idx, name in complete.items():
        assert sha256_file(folder / name) == content_sha256(SIZE, 100 + idx), name

    waited = home.run("wait", "bundle", timeout=120)

    assert waited.returncode == 0, describe(waited)
    done = _complete(home, "bundle")
    assert sorted(done) == list(range(FILES))
    for idx, name in done.items():
        assert sha256_file(folder / name) == content_sha256(SIZE, 100 + idx), name
        assert name == complete.get(idx, name), "a complete file was fetched again"
    assert not list(folder.glob("*.part"))
    assert len(list(folder.iterdir())) == FILES, "a file was stored twice, as 'name (1)'"
    assert home.show("bundle")["result"] == "success"
