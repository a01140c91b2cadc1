"""Every failure reason of docs/contracts.md §1, triggered for real through the command line.

A failed fetch exits 1 with ``failure: <reason>`` on stderr, and ``show --json``
says ``result: failure`` with the same ``failure_reason``. Transient errors are
retried (``max_retries`` is 2 in these tests) with the server's ``Retry-After``
honoured, and a dropped connection resumes from the bytes received.
"""

from __future__ import annotations

import itertools
import re
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli_helpers import (
    FAST_SETTINGS,
    HOLD_SETTINGS,
    Home,
    describe,
    file_size,
    sha256_file,
    stderr_lines,
    wait_until,
)
from tests.support.faultserver import FaultServer, content_sha256
from tests.support.tmpfs import mounted_tmpfs

MAX_RETRIES = FAST_SETTINGS["max_retries"]


def assert_failed(
    h: Home, proc: subprocess.CompletedProcess[str], fetch_id: str, reason: str
) -> dict[str, Any]:
    assert proc.returncode == 1, describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)
    assert f"failure: {reason}" in stderr_lines(proc), describe(proc)
    reg = h.show(fetch_id)
    assert (reg["result"], reg["failure_reason"], reg["state"]) == ("failure", reason, "failure")
    return reg


def fetch_wait(
    h: Home, fetch_id: str, dest: Path, *urls: str, extra: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    return h.run("fetch", "--wait", "--id", fetch_id, "--dest", str(dest), *extra, *urls)


# -- bad-status -------------------------------------------------------------------------------


def test_404_is_bad_status_without_retries(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    proc = fetch_wait(home, "nf", dest, fault_server.url("missing.bin", status=404))
    reg = assert_failed(home, proc, "nf", "bad-status")
    assert reg["records"][0]["status"] == 404
    assert len(fault_server.requests_for("missing.bin")) == 1, "a 404 is not worth a retry"
    assert not (dest / "missing.bin").exists()


def test_failure_stderr_says_what_failed_then_the_reason(
    home: Home, fault_server: FaultServer
) -> None:
    """docs/contracts.md §4: exit 1 with what failed for people, then `failure: <reason>`
    last for scripts, and no engine log lines; `show` says what failed too."""
    proc = fetch_wait(home, "quiet", home.path.parent / "out",
                      fault_server.url("q.bin", status=404))
    assert proc.returncode == 1, describe(proc)
    assert stderr_lines(proc) == ["bgfetch: q.bin: the server answered 404 Not Found",
                                  "failure: bad-status"], describe(proc)
    shown = home.run("show", "quiet")
    assert "problem: q.bin: the server answered 404 Not Found" in shown.stdout.splitlines(), \
        describe(shown)
    assert "failure_reason: bad-status" in shown.stdout.splitlines(), describe(shown)


def test_status_after_redirects_is_the_final_one(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    gone = fault_server.url("gone.bin", status=410)
    proc = fetch_wait(home, "rd", dest, fault_server.url("moved.bin", redirect_to=gone))
    reg = assert_failed(home, proc, "rd", "bad-status")
    assert reg["records"][0]["status"] == 410


def test_503_forever_becomes_bad_status_after_retries(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    proc = fetch_wait(home, "busy", dest, fault_server.url("busy.bin", status=503))
    reg = assert_failed(home, proc, "busy", "bad-status")
    assert len(fault_server.requests_for("busy.bin")) == 1 + MAX_RETRIES
    assert reg["records"][0]["status"] == 503, "status is the final HTTP status once answered"


def test_one_bad_request_lets_the_others_finish(home: Home, fault_server: FaultServer) -> None:
    """Background Fetch "complete a record": only downloadTotal aborts all requests."""
    dest = home.path.parent / "out"
    # Paced so the 403 surely comes while good.bin is still on its way.
    good = fault_server.url("good.bin", size=1 << 20, rate=4 << 20)
    bad = fault_server.url("bad.bin", status=403)
    proc = fetch_wait(home, "mixed", dest, good, bad)
    assert_failed(home, proc, "mixed", "bad-status")
    assert sha256_file(dest / "good.bin") == content_sha256(1 << 20)


# -- fetch-error --------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_fetch_error(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    fault_server.refuse()
    proc = fetch_wait(home, "refused", dest, fault_server.url("x.bin"), extra=())
    reg = assert_failed(home, proc, "refused", "fetch-error")
    assert reg["records"][0]["status"] is None

    proc = fetch_wait(home, "nobody", dest, f"http://127.0.0.1:{_closed_port()}/x.bin")
    assert stderr_lines(proc)[-2] == "bgfetch: x.bin: connection refused", describe(proc)
    # Its engine is gone: the database still knows why (docs/contracts.md §4).
    reg = assert_failed(home, proc, "nobody", "fetch-error")
    assert (reg["problem_code"], reg["problem_file"]) == ("connection-refused", "x.bin"), reg
    shown = home.run("show", "nobody")
    assert "problem: x.bin: connection refused" in shown.stdout.splitlines(), describe(shown)


def test_dropped_connections_beyond_max_retries_are_fetch_error(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("drop.bin", size=100_000, drop_after=0, drop_times=99)
    proc = fetch_wait(home, "drops", dest, url)
    assert_failed(home, proc, "drops", "fetch-error")
    assert len(fault_server.requests_for("drop.bin")) == 1 + MAX_RETRIES


def test_stalled_server_is_fetch_error(home: Home, fault_server: FaultServer) -> None:
    home.write_settings(stall_timeout=0.4)
    dest = home.path.parent / "out"
    url = fault_server.url("stall.bin", size=100_000, stall_after=0, stall_times=99)
    proc = fetch_wait(home, "stall", dest, url)
    assert_failed(home, proc, "stall", "fetch-error")
    assert len(fault_server.requests_for("stall.bin")) == 1 + MAX_RETRIES


def test_too_many_redirects_is_fetch_error(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    proc = fetch_wait(home, "loop", dest, fault_server.url("loop.bin", redirect=21))
    assert_failed(home, proc, "loop", "fetch-error")
    assert len(fault_server.requests_for("loop.bin")) == 21, "no retry of a redirect loop"
    # twenty are fine (the Fetch standard's limit)
    proc = fetch_wait(home, "twenty", dest, fault_server.url("t.bin", size=1000, redirect=20))
    assert proc.returncode == 0, describe(proc)


# -- aborted ------------------------------------------------------------------------------------


def test_abort_from_another_process(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("long.bin", size=4 << 20, rate=1_000_000,
                           hold="long", hold_after=1 << 20)
    waiter = home.popen("fetch", "--wait", "--id", "ab", "--dest", str(dest), url)
    wait_until(lambda: file_size(dest / "long.bin.part") > 50_000, 60, what="bytes on disk")

    home.ok("abort", "ab")
    out, err = waiter.communicate(timeout=60)

    assert waiter.returncode == 1, (out, err)
    assert "failure: aborted" in err.splitlines()
    assert "Traceback" not in err
    reg = home.show("ab")
    assert (reg["result"], reg["failure_reason"]) == ("failure", "aborted")
    again = home.run("abort", "ab")  # nothing left to abort: not an error
    assert again.returncode == 0, describe(again)


# -- download-total-exceeded ------------------------------------------------------------------


def test_content_length_over_download_total(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    proc = fetch_wait(home, "big", dest, fault_server.url("big.bin", size=5000),
                      extra=("--download-total", "1000"))
    reg = assert_failed(home, proc, "big", "download-total-exceeded")
    assert reg["downloaded"] <= 1000
    assert not (dest / "big.bin").exists()


def test_sum_of_content_lengths_over_download_total(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    urls = [fault_server.url(f"part{i}.bin", size=600, rate=2000) for i in range(2)]
    proc = fetch_wait(home, "sum", dest, *urls, extra=("--download-total", "1000"))
    assert_failed(home, proc, "sum", "download-total-exceeded")


def test_chunked_body_over_download_total_stops_at_once(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    size = 8 << 20
    home.write_settings(**HOLD_SETTINGS)
    # Never released: an engine that read on past the limit would hang here, not fail.
    url = fault_server.url("chunked.bin", size=size, nolength=1, rate=2_000_000,
                           hold="chunked", hold_after=size // 2)
    proc = fetch_wait(home, "chunked", dest, url, extra=("--download-total", "100K"))
    reg = assert_failed(home, proc, "chunked", "download-total-exceeded")
    assert reg["downloaded"] <= 100 * 1024 + (1 << 20)
    assert fault_server.times_held("chunked") == 0, "the transfer went on after the limit"
    assert not (dest / "chunked.bin").exists()


def test_chunked_body_exactly_at_download_total_succeeds(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("exact.bin", size=5000, seed=3, nolength=1)
    proc = fetch_wait(home, "exact", dest, url, extra=("--download-total", "5000"))
    assert proc.returncode == 0, describe(proc)
    assert sha256_file(dest / "exact.bin") == content_sha256(5000, 3)


# -- quota-exceeded: a real full disk ---------------------------------------------------------


@pytest.fixture
def small_disk(home: Home, tmp_path: Path) -> Iterator[Path]:
    with mounted_tmpfs(tmp_path / "small-disk", "2m") as disk:
        try:
            yield disk.path
        finally:
            home.stop_engines()  # no engine may keep a file open on it


@pytest.mark.needs_root
def test_full_disk_is_quota_exceeded_and_spares_other_fetches(
    home: Home, fault_server: FaultServer, small_disk: Path
) -> None:
    normal = home.path.parent / "normal"
    home.write_settings(**HOLD_SETTINGS)
    other = fault_server.url("other.bin", size=2 << 20, seed=4, rate=1_000_000,
                            hold="other", hold_after=1 << 20)
    home.ok("fetch", "--id", "other", "--dest", str(normal), other)
    wait_until(lambda: file_size(normal / "other.bin.part") > 0, 60, what="the other download")

    proc = fetch_wait(home, "full", small_disk, fault_server.url("huge.bin", size=4 << 20))

    assert_failed(home, proc, "full", "quota-exceeded")
    reg = home.show("other")
    assert reg["result"] == "" and reg["state"] == "downloading"
    fault_server.release("other")
    waited = home.run("wait", "other")
    assert waited.returncode == 0, describe(waited)
    assert sha256_file(normal / "other.bin") == content_sha256(2 << 20, 4)
    assert not (small_disk / "huge.bin").exists()


# -- retries that succeed --------------------------------------------------------------------------


def test_retry_after_is_honoured(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("later.bin", size=10_000, seed=5, fail=2, retry_after=1)
    proc = fetch_wait(home, "later", dest, url)
    assert proc.returncode == 0, describe(proc)
    assert sha256_file(dest / "later.bin") == content_sha256(10_000, 5)
    requests = fault_server.requests_for("later.bin")
    assert [r.status for r in requests] == [503, 503, 200]
    gaps = [b.time - a.time for a, b in itertools.pairwise(requests)]
    for gap in gaps:
        assert 0.9 <= gap <= 2.5, f"Retry-After: 1 not honoured: gaps {gaps}"


@pytest.mark.parametrize("mode", ["rst", "close"])
def test_dropped_connection_resumes_with_range(
    home: Home, fault_server: FaultServer, mode: str
) -> None:
    home.write_settings(**HOLD_SETTINGS)
    dest = home.path.parent / "out"
    size, cut = 1_000_000, 300_000
    # Dropped only once the engine has read every byte before the cut: an RST discards
    # what the client's kernel holds unread, which a loaded machine would make random.
    url = fault_server.url("cut.bin", size=size, seed=6, drop_after=cut, drop_mode=mode,
                           hold="cut", hold_after=cut)
    waiter = home.popen("fetch", "--wait", "--id", "cut", "--dest", str(dest), url)
    fault_server.wait_held("cut")
    wait_until(lambda: home.show("cut")["downloaded"] == cut, 60,
               what="the engine to read the bytes before the cut")
    fault_server.release("cut")
    out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, (out, err)
    assert sha256_file(dest / "cut.bin") == content_sha256(size, 6)
    first, second = fault_server.requests_for("cut.bin")
    assert first.range is None
    if mode == "close" and second.range is None:
        # A clean close that lands in the same read as the last bytes makes
        # aiohttp raise before handing those bytes over: nothing was stored,
        # so the file rightly starts again from zero.
        assert second.status == 200
        return
    match = re.fullmatch(r"bytes=(\d+)-", second.range or "")
    assert match, second.range
    start = int(match.group(1))
    if mode == "rst":
        assert start == cut, "resume must start at the bytes received"
    else:
        assert 0 < start <= cut, "resume must never skip bytes it did not store"
    assert second.headers.get("If-Range") == f'"s{size}-6-v0"'
    assert second.status == 206
