"""Issue 9's Background Fetch rules through the real ``bgfetch`` command and manifests:
exit 2 and one line for what the spec refuses at ``fetch()``, exit 1 with the reason
for what fails later (docs/contracts.md §1, §4, §5)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.integration.cli_helpers import (
    HOLD_SETTINGS,
    Home,
    describe,
    sha256_file,
    stderr_lines,
    wait_until,
)
from tests.integration.test_failure_reasons import assert_failed, fetch_wait
from tests.support.faultserver import FaultServer, content_sha256

HUGE = 2**62


def one_line_refusal(proc: object, *fragments: str) -> str:
    assert proc.returncode == 2, describe(proc)  # type: ignore[attr-defined]
    lines = stderr_lines(proc)  # type: ignore[arg-type]
    assert len(lines) == 1 and "Traceback" not in lines[0], describe(proc)  # type: ignore
    for fragment in fragments:
        assert fragment in lines[0], describe(proc)  # type: ignore[arg-type]
    return lines[0]


def write_manifest(folder: Path, data: object) -> Path:
    path = folder / "fetch.bgfetch"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_fetch_quota_check_exits_2_naming_needed_and_free(
    home: Home, fault_server: FaultServer
) -> None:
    """Rule 3, with and without --wait (an engine in the process, or the daemon)."""
    url = fault_server.url("q.bin", size=10)
    for wait in (("--wait",), ()):
        proc = home.run("fetch", *wait, "--id", "huge", "--download-total", str(HUGE), url)
        line = one_line_refusal(proc, "not enough space", f"({HUGE} bytes)", "free")
        assert line.startswith("bgfetch: ")
    manifest = write_manifest(home.path.parent, {
        "id": "huge-m", "requests": url, "options": {"downloadTotal": HUGE}})
    one_line_refusal(home.run("fetch", "--wait", "--manifest", str(manifest)),
                     "not enough space")
    assert home.ids() == []
    assert fault_server.requests_for("q.bin") == []


def test_manifest_request_model_single_request_and_methods(
    home: Home, fault_server: FaultServer
) -> None:
    """Rule 8: one request object instead of a list; forbidden and malformed methods
    and dangling markup are refused with the field named."""
    folder = home.path.parent
    url = fault_server.url("single.bin", size=1000)
    manifest = write_manifest(folder, {"id": "one", "requests": {"url": url}})
    dest = folder / "out"
    home.ok("fetch", "--wait", "--manifest", str(manifest), "--dest", str(dest))
    assert sha256_file(dest / "single.bin") == content_sha256(1000)
    for method, problem in (("TRACE", "forbidden"), ("GE T", "not a valid HTTP method")):
        bad = write_manifest(folder, {"requests": {"url": url, "method": method}})
        one_line_refusal(home.run("fetch", "--manifest", str(bad)),
                         "manifest field 'requests[0].method'", problem)
    one_line_refusal(home.run("fetch", "--wait", url + "\n<img"), "dangling markup")


def test_fetch_a_non_get_request_is_sent_once_and_cannot_be_paused(
    home: Home, fault_server: FaultServer
) -> None:
    """Rule 1 through a manifest and the daemon: `pause` exits 2 saying why; a POST
    whose connection drops fails with fetch-error after one try."""
    home.write_settings(**HOLD_SETTINGS)
    folder = home.path.parent
    held = fault_server.url("p.bin", size=100_000, hold="post", hold_after=10)
    manifest = write_manifest(folder, {"id": "post", "requests": [{"url": held,
                                                                   "method": "POST"}]})
    with fault_server.holding("post"):
        home.ok("fetch", "--manifest", str(manifest))
        wait_until(lambda: fault_server.held("post") == 1, 20, what="the POST to be under way")
        one_line_refusal(home.run("pause", "post"),
                         "cannot be paused: its POST request would have to be sent again")
        assert home.show("post")["state"] == "downloading"
    proc = home.run("wait", "post")
    assert proc.returncode == 0, describe(proc)
    dropped = fault_server.url("d.bin", size=100_000, drop_after=1000)
    manifest = write_manifest(folder, {"id": "drop", "requests": [{"url": dropped,
                                                                   "method": "POST"}]})
    proc = home.run("fetch", "--wait", "--manifest", str(manifest))
    assert_failed(home, proc, "drop", "fetch-error")
    assert [r.method for r in fault_server.requests_for("d.bin")] == ["POST"]


def test_redirect_hops_budget_and_206_through_the_cli(
    home: Home, fault_server: FaultServer
) -> None:
    """Rules 2, 4 and 11: a hop to ftp: fails at once; a chunked body stops at
    downloadTotal; a 206 that covers the whole body is a success."""
    dest = home.path.parent / "out"
    proc = fetch_wait(home, "ftp", dest, fault_server.url("to-ftp", redirect_to="ftp://h/x"))
    assert_failed(home, proc, "ftp", "fetch-error")
    assert len(fault_server.requests_for("to-ftp")) == 1
    chunked = fault_server.url("c.bin", size=2_000_000, nolength=1)
    proc = fetch_wait(home, "budget", dest, chunked, extra=("--download-total", "50000"))
    reg = assert_failed(home, proc, "budget", "download-total-exceeded")
    assert reg["downloaded"] <= 50_000
    proc = fetch_wait(home, "whole", dest, fault_server.url("w.bin", size=5000, whole206=1))
    assert proc.returncode == 0, describe(proc)
    assert sha256_file(dest / "w.bin") == content_sha256(5000)


def test_abort_show_lists_no_response_for_unfinished_requests(
    home: Home, fault_server: FaultServer
) -> None:
    """Rule 9: after `bgfetch abort`, `show` gives the unfinished request no status and
    no path; the finished one keeps both."""
    home.write_settings(**HOLD_SETTINGS)
    dest = home.path.parent / "out"
    done = fault_server.url("done.bin", size=1000)
    with fault_server.holding("cut") as key:
        cut = fault_server.url("cut.bin", size=200_000, hold=key, hold_after=50_000)
        home.ok("fetch", "--id", "ab", "--dest", str(dest), done, cut)
        wait_until(lambda: fault_server.held(key) == 1, 20, what="cut.bin to be under way")
        # In place only once complete (until then it is done.bin.part).
        wait_until((dest / "done.bin").exists, 20, what="done.bin to complete")
        home.ok("abort", "ab")
    first, second = home.show("ab")["records"]
    assert (first["status"], first["path"], first["size"]) == (200, str(dest / "done.bin"), 1000)
    assert (second["status"], second["path"], second["size"]) == (None, None, 0)
