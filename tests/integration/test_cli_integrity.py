"""``bgfetch fetch --integrity`` and a manifest's ``integrity`` end to end (docs/contracts.md
§12): the real command, real engines (killed with SIGKILL mid-download), the fault server."""

from __future__ import annotations

import base64
import hashlib
import json
import signal
import sqlite3
from pathlib import Path

import pytest

from tests.integration.cli_helpers import (
    Home,
    describe,
    file_size,
    stderr_lines,
    wait_until,
)
from tests.support.faultserver import FaultServer, content, content_sha256

MiB = 1 << 20


def sri(algorithm: str, size: int, seed: int) -> str:
    digest = hashlib.new(algorithm, content(size, seed)).digest()
    return f"{algorithm}-{base64.b64encode(digest).decode()}"


WRONG = f"sha256-{base64.b64encode(hashlib.sha256(b'x').digest()).decode()}"


def test_integrity_pairs_with_urls_in_order_and_a_mismatch_fails_its_file(
    home: Home, fault_server: FaultServer
) -> None:
    """Through a daemon, which keeps the words of the problem while it runs (§4)."""
    dest = home.path.parent / "out"
    a = fault_server.url("a.bin", size=300_000, seed=1)
    b = fault_server.url("b.bin", size=2 * MiB, seed=2)
    c = fault_server.url("c.bin", size=5000, seed=3)
    home.ok("fetch", "--id", "pairs", "--dest", str(dest), a, b, c,
            "--integrity", sri("sha384", 300_000, 1), "--integrity", WRONG)
    failed = home.run("wait", "pairs")

    assert failed.returncode == 1, describe(failed)
    # The file and what went wrong, in words, then the reason (docs/contracts.md §4).
    assert stderr_lines(failed) == [
        "bgfetch: b.bin: the file does not match its integrity digest", "failure: fetch-error"]
    reg = home.show("pairs")
    assert reg["problem"] == (f"integrity check failed: expected {WRONG} got "
                              f"{sri('sha256', 2 * MiB, 2)}")
    assert reg["problem_file"] == "b.bin"
    # The others completed as beside any failed request; b.bin has no file, not even a part.
    assert sorted(p.name for p in dest.iterdir()) == ["a.bin", "c.bin"]
    assert [r["sha256"] for r in reg["records"]] == [
        content_sha256(300_000, 1), None, content_sha256(5000, 3)]
    stored = [json.loads(row[0]) for row in _requests(home)]
    assert [r.get("integrity", "") for r in stored] == [sri("sha384", 300_000, 1), WRONG, ""]
    # Text `show` does not hash anything: the JSON is for scripts that check.
    assert "sha256" not in home.ok("show", "pairs").stdout


@pytest.mark.parametrize(("args", "words"), [
    (["URL", "--integrity", "sha256-x", "--integrity", "sha256-y"], "--integrity given 2 times"),
    (["URL", "--integrity", "md5-abc"], "has no sha256-, sha384- or sha512- digest"),
    (["URL", "--integrity", "sha512-AAAA"], "not the base64 of a 64-byte sha512 digest"),
    (["--manifest", "MANIFEST", "--integrity", WRONG], "--manifest cannot be combined"),
])
def test_bad_integrity_on_the_command_line_is_exit_2(
    home: Home, fault_server: FaultServer, tmp_path: Path, args: list[str], words: str
) -> None:
    manifest = tmp_path / "m.bgfetch"
    manifest.write_text(json.dumps({"requests": [fault_server.url("x.bin")]}))
    argv = [fault_server.url("x.bin") if a == "URL" else str(manifest) if a == "MANIFEST" else a
            for a in args]
    proc = home.run("fetch", *argv)
    assert proc.returncode == 2, describe(proc)
    [line] = stderr_lines(proc)
    assert line.startswith("bgfetch: ") and words in line, line
    assert fault_server.requests_for("x.bin") == []


def test_a_manifest_carries_integrity(home: Home, fault_server: FaultServer,
                                      tmp_path: Path) -> None:
    good = fault_server.url("g.bin", size=100_000, seed=5)
    bad = tmp_path / "bad.bgfetch"
    bad.write_text(json.dumps({"requests": [{"url": good, "integrity": "sha1-abc"}]}))
    refused = home.run("fetch", "--manifest", str(bad))
    assert refused.returncode == 2, describe(refused)
    assert "manifest field 'requests[0].integrity'" in refused.stderr

    manifest = tmp_path / "ok.bgfetch"
    manifest.write_text(json.dumps({"id": "man", "requests": [
        {"url": good, "integrity": f"sha1-ignored {sri('sha512', 100_000, 5)}"}]}))
    proc = home.run("fetch", "--wait", "--manifest", str(manifest))
    assert proc.returncode == 0, describe(proc)
    assert home.show("man")["records"][0]["sha256"] == content_sha256(100_000, 5)


@pytest.mark.parametrize(("right", "segmented"), [(True, False), (False, True)])
def test_sigkill_mid_download_then_resume_verifies_the_whole_file(
    home: Home, fault_server: FaultServer, right: bool, segmented: bool
) -> None:
    """Killed with bytes on disk: the next engine resumes with Range and hashes what the
    part file held plus what came after. The wrong digest's problem names the digest of
    the whole file, so a hash of only the resumed part could not pass either way."""
    home.write_settings(checkpoint_bytes=MiB, checkpoint_seconds=0.2,
                        **({"connections_per_file": 3, "min_split_size": MiB}
                           if segmented else {}))
    dest = home.path.parent / "out"
    size, seed = 8 * MiB, 6
    url = fault_server.url("k.bin", size=size, seed=seed, rate=4_000_000)
    metadata = sri("sha256", size, seed) if right else WRONG
    proc = home.popen("fetch", "--wait", "--id", "kill", "--dest", str(dest), url,
                      "--integrity", metadata)
    wait_until(lambda: sum(home.bytes_done("kill")) >= 3 * MiB, 30, 0.02, "a checkpoint of 3 MiB")
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    assert proc.returncode == -signal.SIGKILL
    assert file_size(dest / "k.bin.part") >= 3 * MiB
    fault_server.clear_requests()

    # This command runs the engine, and prints the settled fetch with its problem.
    waited = home.run("wait", "kill", "--json", timeout=60)

    resumed = fault_server.requests_for("k.bin")
    assert resumed and all(r.range is not None and r.status == 206 for r in resumed), \
        [(r.range, r.status) for r in resumed]
    settled = json.loads(waited.stdout)
    if right:
        assert waited.returncode == 0, describe(waited)
        assert home.show("kill")["records"][0]["sha256"] == content_sha256(size, seed)
    else:
        assert waited.returncode == 1, describe(waited)
        assert settled["problem"] == f"integrity check failed: expected {WRONG} got " \
            f"{sri('sha256', size, seed)}"
        assert settled["problem_file"] == "k.bin"
        assert list(dest.iterdir()) == []


def _requests(home: Home) -> list[tuple[str]]:
    db = sqlite3.connect(f"file:{home.db_path}?mode=ro", uri=True, timeout=5)
    try:
        return db.execute("SELECT request FROM requests ORDER BY reg_key, idx").fetchall()
    finally:
        db.close()

