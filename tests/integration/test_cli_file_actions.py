"""``bgfetch replace-url``, ``retry --file`` and ``skip`` end to end (docs/contracts.md §13):
real commands, a real daemon killed with SIGKILL, the loopback fault server."""

from __future__ import annotations

import os
import signal

from tests.integration.cli_helpers import Home, describe, sha256_file, stderr_lines, wait_until
from tests.support.faultserver import FaultServer, content_sha256

KiB, MiB = 1 << 10, 1 << 20


def test_sigkill_between_the_403_and_the_new_url_loses_nothing(
    home: Home, fault_server: FaultServer
) -> None:
    size = 2 * MiB
    expiring = fault_server.url("ep.bin", size=size, expire_after=700 * KiB, drop_mode="close")
    other = fault_server.url("cover.jpg", size=300 * KiB, hold="cover", hold_after=100 * KiB)
    dest = home.path.parent / "out"
    home.ok("fetch", "--id", "ep", "--dest", str(dest), expiring, other)

    def refused() -> bool:
        return home.show("ep")["records"][0]["status"] == 403

    wait_until(refused, 30, 0.1, "the expired link's 403")
    fault_server.wait_held("cover")
    pid = home.engine_pid()
    assert pid is not None
    os.kill(pid, signal.SIGKILL)
    wait_until(lambda: home.engine_pid() is None, 10, 0.05, "the engine to die")
    kept = home.bytes_done("ep")[0]
    assert kept >= 700 * KiB - 64 * KiB and (dest / "ep.bin.part").stat().st_size >= kept
    fault_server.clear_requests()

    mirror = fault_server.url("ep.bin", size=size)
    home.ok("replace-url", "ep", "1", mirror)  # no engine: answered offline, then a daemon
    fault_server.release("cover")
    waited = home.run("wait", "ep", timeout=60)

    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "ep.bin") == content_sha256(size)
    asked = fault_server.requests_for("ep.bin")
    assert all("expire_after" not in r.query for r in asked), "the expired URL asked again"
    # It went on from the checkpoint; on a loaded machine a retry may follow, never from 0.
    assert asked and asked[0].range == f"bytes={kept}-", asked
    for resumed in asked:
        assert resumed.status == 206 and resumed.headers["If-Range"] == f'"s{size}-0-v0"'
    shown = home.show("ep")
    assert shown["records"][0]["replaced_url"] == mirror
    assert shown["records"][0]["url"] == expiring  # the request as it was registered


def test_retry_one_file_and_skip_another(home: Home, fault_server: FaultServer) -> None:
    good = fault_server.url("a.bin", size=10 * KiB)
    flaky = fault_server.url("b.bin", size=20 * KiB, fail=1, fail_status=404)
    broken = fault_server.url("c.bin", size=30 * KiB, status=404)
    failed = home.run("fetch", "--wait", "--id", "trio", good, flaky, broken, timeout=60)
    assert failed.returncode == 1, describe(failed)

    text = home.ok("show", "trio").stdout.splitlines()
    numbered = [line.split("\t")[:2] for line in text if line.startswith("  ")]
    assert numbered == [["  1", "200"], ["  2", "404"], ["  3", "404"]]
    asked_c = len(fault_server.requests_for("c.bin"))

    home.ok("retry", "trio", "--file", "2")
    home.wait_state("trio", "failure", timeout=30)
    assert home.show("trio")["records"][1]["status"] == 200
    assert len(fault_server.requests_for("c.bin")) == asked_c

    home.ok("skip", "trio", "3")
    shown = home.wait_state("trio", "success", timeout=30)
    assert [r["skipped"] for r in shown["records"]] == [False, False, True]
    assert shown["records"][2]["status"] is None and shown["records"][2]["path"] is None
    assert "skipped" in home.ok("show", "trio").stdout.splitlines()[-1]
    assert len(fault_server.requests_for("c.bin")) == asked_c


def test_bad_file_numbers_urls_and_states_are_one_line_and_exit_2(
    home: Home, fault_server: FaultServer
) -> None:
    done = home.run("fetch", "--wait", "--id", "one", fault_server.url("x.bin"), timeout=60)
    assert done.returncode == 0, describe(done)
    url = fault_server.url("y.bin")
    for args, why in (
        (("replace-url", "one", "2", url), "has files 1 to 1"),
        (("replace-url", "one", "x", url), "expected a file's number"),
        (("replace-url", "one", "1", "ftp://example.org/y"), "only http and https"),
        (("replace-url", "one", "1", url), "is complete"),
        (("retry", "one"), "has not failed"),
        (("skip", "one", "1"), "already succeeded"),
        (("skip", "one"), "the following arguments are required"),
    ):
        proc = home.run(*args)
        assert proc.returncode == 2, describe(proc)
        lines = stderr_lines(proc)
        assert len(lines) == 1 and why in lines[0], describe(proc)
