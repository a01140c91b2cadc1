"""Tests of the fault server itself, with stdlib clients only.

The server is what every download test trusts to misbehave exactly as asked,
so each fault is checked here with ``http.client``, ``urllib`` or raw sockets
(never aiohttp's client, the thing the server is meant to test).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import hashlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from email.message import Message
from pathlib import Path

import pytest

from tests.support.faultserver import (
    BLOCK_SIZE,
    FaultServer,
    RangeNotSatisfiable,
    content,
    content_sha256,
    gzip_content,
    if_range_matches,
    iter_content,
    parse_range,
    version_seed,
)

ROOT = Path(__file__).resolve().parents[2]

Response = tuple[int, Message, bytes]


def request(
    server: FaultServer,
    url: str,
    headers: dict[str, str] | None = None,
    method: str = "GET",
    timeout: float = 5.0,
) -> Response:
    """One request on a fresh connection: (status, headers, body)."""
    target = url.removeprefix(server.base_url)
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=timeout)
    try:
        conn.request(method, target, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.msg, resp.read()
    finally:
        conn.close()


def raw_get(
    server: FaultServer, url: str, headers: dict[str, str] | None = None, timeout: float = 5.0
) -> tuple[bytes, bytes, BaseException | None]:
    """GET over a raw socket: (head, body so far, error that ended the read)."""
    target = url.removeprefix(server.base_url)
    lines = [f"GET {target} HTTP/1.1", f"Host: 127.0.0.1:{server.port}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    data = bytearray()
    error: BaseException | None = None
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            while chunk := sock.recv(1 << 20):
                data += chunk
        except OSError as exc:  # ConnectionResetError, TimeoutError
            error = exc
    head, _, body = bytes(data).partition(b"\r\n\r\n")
    return head, body, error


# --------------------------------------------------------------------------
# Content helpers
# --------------------------------------------------------------------------


def test_content_is_deterministic_and_seed_dependent() -> None:
    assert content(4096, seed=1) == content(4096, seed=1)
    assert content(4096, seed=1) != content(4096, seed=2)
    assert len(content(12345)) == 12345
    # the same file, any window: a prefix of a bigger file is the same bytes
    assert content(100, seed=5) == content(10_000, seed=5)[:100]


def test_content_windows_agree_across_block_boundaries() -> None:
    size = 3 * BLOCK_SIZE + 17
    whole = content(size, seed=9)
    for start, end in [(0, 10), (BLOCK_SIZE - 5, BLOCK_SIZE + 5), (size - 3, size), (7, None)]:
        assert content(size, 9, start, end) == whole[start:end]
    # blocks differ from each other (a block served at the wrong index is caught)
    assert whole[:BLOCK_SIZE] != whole[BLOCK_SIZE : 2 * BLOCK_SIZE]
    pieces = list(iter_content(size, 9, 3, size, chunk=300_000))
    assert b"".join(pieces) == whole[3:]
    assert max(len(p) for p in pieces) <= 300_000
    assert content_sha256(size, 9) == hashlib.sha256(whole).hexdigest()
    with pytest.raises(ValueError):
        content(10, 0, 5, 11)


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-9", (0, 10)),
        ("bytes=5-", (5, 100)),
        ("bytes=-3", (97, 100)),
        ("bytes=-500", (0, 100)),
        ("bytes=90-500", (90, 100)),
        ("BYTES = 1 - 2", (1, 3)),
        ("bytes=9-2", None),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("bytes=-", None),
    ],
)
def test_parse_range(header: str, expected: tuple[int, int] | None) -> None:
    assert parse_range(header, 100) == expected


@pytest.mark.parametrize(
    ("header", "total"), [("bytes=100-", 100), ("bytes=-0", 100), ("bytes=-5", 0)]
)
def test_parse_range_unsatisfiable(header: str, total: int) -> None:
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, total)


def test_if_range_uses_strong_comparison_and_exact_dates() -> None:
    date = "Mon, 01 Jan 2024 00:00:00 GMT"
    assert if_range_matches('"a"', '"a"', None)
    assert not if_range_matches('"a"', '"b"', date)
    assert not if_range_matches('W/"a"', 'W/"a"', None)
    assert not if_range_matches('"a"', 'W/"a"', None)
    assert if_range_matches(date, None, date)
    assert not if_range_matches("Mon, 01 Jan 2024 00:00:01 GMT", '"a"', date)


# --------------------------------------------------------------------------
# Plain serving
# --------------------------------------------------------------------------


def test_get_and_head(fault_server: FaultServer) -> None:
    url = fault_server.url("a.bin", size=5000, seed=3)
    status, headers, body = request(fault_server, url)
    assert status == 200
    assert body == content(5000, 3)
    assert headers["Content-Length"] == "5000"
    assert headers["Accept-Ranges"] == "bytes"
    assert headers["ETag"].startswith('"') and headers["Last-Modified"].endswith("GMT")
    assert headers["Content-Type"] == "application/octet-stream"
    status, head_headers, body = request(fault_server, url, method="HEAD")
    assert (status, body) == (200, b"")
    assert head_headers["Content-Length"] == "5000"
    assert head_headers["ETag"] == headers["ETag"]


def test_validator_and_metadata_params(fault_server: FaultServer) -> None:
    url = fault_server.url(
        "m.bin",
        etag="abc",
        weak=1,
        lm="Tue, 02 Jan 2024 03:04:05 GMT",
        cd="attachment; filename*=UTF-8''na%C3%AFve.txt",
        ctype="text/plain",
    )
    _, headers, _ = request(fault_server, url)
    assert headers["ETag"] == 'W/"abc"'
    assert headers["Last-Modified"] == "Tue, 02 Jan 2024 03:04:05 GMT"
    assert headers["Content-Disposition"] == "attachment; filename*=UTF-8''na%C3%AFve.txt"
    assert headers["Content-Type"].startswith("text/plain")
    _, headers, _ = request(fault_server, fault_server.url("m.bin", etag="none", lm="none"))
    assert "ETag" not in headers and "Last-Modified" not in headers
    _, one, _ = request(fault_server, fault_server.url("m.bin", size=10, seed=1))
    _, other, _ = request(fault_server, fault_server.url("m.bin", size=10, seed=2))
    assert one["ETag"] != other["ETag"]


def test_gzip_body_is_sent_compressed(fault_server: FaultServer) -> None:
    status, headers, body = request(
        fault_server, fault_server.url("z.bin", size=3000, encoding="gzip")
    )
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert body == gzip_content(3000)
    assert headers["Content-Length"] == str(len(body))
    assert gzip.decompress(body) == content(3000)


def test_nolength_is_chunked(fault_server: FaultServer) -> None:
    status, headers, body = request(
        fault_server, fault_server.url("c.bin", size=70_000, nolength=1)
    )
    assert status == 200
    assert headers["Transfer-Encoding"] == "chunked"
    assert "Content-Length" not in headers
    assert body == content(70_000)


# --------------------------------------------------------------------------
# Ranges
# --------------------------------------------------------------------------


def test_ranges(fault_server: FaultServer) -> None:
    url = fault_server.url("r.bin", size=1000, seed=4)
    full = content(1000, 4)
    cases = {"bytes=10-19": (10, 20), "bytes=990-": (990, 1000), "bytes=-5": (995, 1000)}
    for header, (start, stop) in cases.items():
        status, headers, body = request(fault_server, url, {"Range": header})
        assert status == 206
        assert headers["Content-Range"] == f"bytes {start}-{stop - 1}/1000"
        assert body == full[start:stop]
    status, headers, _ = request(fault_server, url, {"Range": "bytes=1000-"})
    assert status == 416
    assert headers["Content-Range"] == "bytes */1000"
    status, _, body = request(fault_server, url, {"Range": "bytes=0-1,5-6"})
    assert (status, body) == (200, full)


def test_if_range(fault_server: FaultServer) -> None:
    url = fault_server.url("ir.bin", size=100)
    _, headers, _ = request(fault_server, url)
    etag, date = headers["ETag"], headers["Last-Modified"]
    assert request(fault_server, url, {"Range": "bytes=50-", "If-Range": etag})[0] == 206
    assert request(fault_server, url, {"Range": "bytes=50-", "If-Range": date})[0] == 206
    assert request(fault_server, url, {"Range": "bytes=50-", "If-Range": '"other"'})[0] == 200
    weak = fault_server.url("ir.bin", size=100, weak=1)
    weak_tag = request(fault_server, weak)[1]["ETag"]
    assert request(fault_server, weak, {"Range": "bytes=50-", "If-Range": weak_tag})[0] == 200


def test_ignore_range_and_wrong_range(fault_server: FaultServer) -> None:
    full = content(1000)
    status, headers, body = request(
        fault_server, fault_server.url("x.bin", size=1000, ignore_range=1), {"Range": "bytes=10-"}
    )
    assert (status, body) == (200, full)
    assert "Accept-Ranges" not in headers
    status, headers, body = request(
        fault_server, fault_server.url("x.bin", size=1000, wrong_range=1), {"Range": "bytes=10-19"}
    )
    assert status == 206
    assert headers["Content-Range"] == "bytes 110-119/1000"
    assert body == full[110:120]


# --------------------------------------------------------------------------
# Changing the file, failures, redirects
# --------------------------------------------------------------------------


def test_set_version_changes_bytes_etag_and_date(fault_server: FaultServer) -> None:
    url = fault_server.url("v.bin", size=500, seed=2)
    _, old_headers, old_body = request(fault_server, url)
    fault_server.set_version("v.bin", 1)
    _, new_headers, new_body = request(fault_server, url)
    assert new_body != old_body
    assert (
        new_body
        == content(500, version_seed(2, 1))
        == content(500, fault_server.seed_for("v.bin", 2))
    )
    assert new_headers["ETag"] != old_headers["ETag"]
    assert new_headers["Last-Modified"] != old_headers["Last-Modified"]
    # a resume with the old validator must get the whole new file
    status, _, body = request(
        fault_server, url, {"Range": "bytes=100-", "If-Range": old_headers["ETag"]}
    )
    assert (status, body) == (200, new_body)
    # other files are untouched
    assert request(fault_server, fault_server.url("w.bin", size=500, seed=2))[2] == old_body


def test_status_and_counted_failures(fault_server: FaultServer) -> None:
    status, headers, body = request(fault_server, fault_server.url("s.bin", status=404))
    assert status == 404 and b"404" in body and headers["Content-Type"].startswith("text/html")
    url = fault_server.url("f.bin", size=10, fail=2, retry_after=7)
    for _ in range(2):
        status, headers, _ = request(fault_server, url)
        assert (status, headers["Retry-After"]) == (503, "7")
    assert request(fault_server, url)[0] == 200
    assert (
        request(fault_server, fault_server.url("f.bin", size=10, fail=1, fail_status=429))[0] == 429
    )
    fault_server.reset_counters()
    assert request(fault_server, url)[0] == 503


def test_redirects(fault_server: FaultServer) -> None:
    url = fault_server.url("red.bin", size=10, redirect=2)
    with urllib.request.urlopen(url, timeout=5) as resp:
        assert resp.read() == content(10)
        assert resp.url == fault_server.url("red.bin", size=10)
    assert [r.query.get("redirect") for r in fault_server.requests_for("red.bin")] == [
        "2",
        "1",
        None,
    ]
    status, headers, _ = request(
        fault_server, fault_server.url("a", redirect_to="http://127.0.0.1:1/x", redirect_status=307)
    )
    assert (status, headers["Location"]) == (307, "http://127.0.0.1:1/x")


def test_cross_origin_redirect_and_echo(fault_server: FaultServer) -> None:
    status, headers, _ = request(fault_server, f"{fault_server.base_url}/redirect-cross")
    assert (status, headers["Location"]) == (
        302,
        f"http://localhost:{fault_server.port}/echo-headers",
    )
    target = f"{fault_server.base_url}/echo-headers"
    status, headers, _ = request(
        fault_server, f"{fault_server.base_url}/redirect-cross?to={target}"
    )
    assert headers["Location"] == target
    status, _, body = request(fault_server, target, {"Authorization": "Bearer t", "X-A": "1"})
    assert status == 200
    echoed = json.loads(body)
    assert echoed["Authorization"] == "Bearer t" and echoed["X-A"] == "1"


# --------------------------------------------------------------------------
# Connection-level faults
# --------------------------------------------------------------------------


def test_drop_after_resets_after_exactly_n_bytes(fault_server: FaultServer) -> None:
    url = fault_server.url("d.bin", size=3_000_000, drop_after=2_500_000, drop_times=2)
    for _ in range(2):
        head, body, error = raw_get(fault_server, url)
        assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: 3000000" in head
        assert isinstance(error, ConnectionResetError)
        assert body == content(3_000_000)[:2_500_000]
    head, body, error = raw_get(fault_server, url, {"Range": "bytes=2500000-"})
    assert error is None and head.startswith(b"HTTP/1.1 206")
    assert body == content(3_000_000)[2_500_000:]


def test_drop_mode_close_truncates_with_fin(fault_server: FaultServer) -> None:
    url = fault_server.url("dc.bin", size=1000, drop_after=0, drop_mode="close")
    head, body, error = raw_get(fault_server, url)
    assert error is None and body == b"" and b"Content-Length: 1000" in head
    assert request(fault_server, url)[2] == content(1000)


def test_stall_for_a_while_then_finish(fault_server: FaultServer) -> None:
    url = fault_server.url("st.bin", size=2000, stall_after=1000, stall_s=0.3)
    began = time.monotonic()
    status, _, body = request(fault_server, url)
    assert (status, body) == (200, content(2000))
    assert time.monotonic() - began >= 0.3
    began = time.monotonic()
    request(fault_server, url)  # stall_times defaults to 1
    assert time.monotonic() - began < 0.3


def test_stall_forever_until_client_leaves(fault_server: FaultServer) -> None:
    url = fault_server.url("sf.bin", size=2000, stall_after=700)
    head, body, error = raw_get(fault_server, url, timeout=0.3)
    assert isinstance(error, TimeoutError)
    assert head.startswith(b"HTTP/1.1 200") and body == content(2000)[:700]


def test_hold_parks_the_body_until_released(fault_server: FaultServer) -> None:
    url = fault_server.url("h.bin", size=5000, hold="h", hold_after=700)
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        held = pool.submit(raw_get, fault_server, url, timeout=30)
        fault_server.wait_held("h", timeout=30)
        assert fault_server.bytes_sent == 700 and not held.done()
        fault_server.release("h")
        head, body, error = held.result(timeout=30)
    assert error is None and head.startswith(b"HTTP/1.1 200") and body == content(5000)
    assert request(fault_server, url)[2] == content(5000)  # released for good
    assert fault_server.times_held("h") == 1 and fault_server.held("h") == 0


def test_hold_applies_to_every_response_and_to_ranges(fault_server: FaultServer) -> None:
    url = fault_server.url("hr.bin", size=3000, hold="hr", hold_after=100)
    with concurrent.futures.ThreadPoolExecutor(2) as pool, fault_server.holding("hr"):
        whole = pool.submit(raw_get, fault_server, url, timeout=30)
        tail = pool.submit(raw_get, fault_server, url, {"Range": "bytes=1000-"}, timeout=30)
        fault_server.wait_held("hr", count=2, timeout=30)
        assert fault_server.bytes_sent == 200
    assert whole.result(timeout=30)[1] == content(3000)
    assert tail.result(timeout=30)[1] == content(3000)[1000:]


def test_holds_end_when_the_server_stops(
    fault_server_factory: Callable[[], FaultServer],
) -> None:
    server = fault_server_factory()
    url = server.url("hs.bin", size=2000, hold="never")
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        held = pool.submit(raw_get, server, url, timeout=30)
        server.wait_held("never", timeout=30)
        server.stop()
        _, body, error = held.result(timeout=30)
    assert body == b"" and not isinstance(error, TimeoutError)  # ended, did not hang


def test_rate_limit(fault_server: FaultServer) -> None:
    began = time.monotonic()
    status, _, body = request(fault_server, fault_server.url("slow.bin", size=40_000, rate=100_000))
    elapsed = time.monotonic() - began
    assert (status, body) == (200, content(40_000))
    assert 0.3 <= elapsed < 2.0


def test_slow_headers(fault_server: FaultServer) -> None:
    with pytest.raises(TimeoutError):
        request(fault_server, f"{fault_server.base_url}/slow-headers?s=1", timeout=0.2)
    status, _, body = request(fault_server, f"{fault_server.base_url}/slow-headers?s=0.1&size=50")
    assert (status, body) == (200, content(50))


def test_refuse_and_accept_on_same_port(fault_server: FaultServer) -> None:
    port = fault_server.port
    idle = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    idle.request("GET", "/file/k.bin?size=10")
    assert idle.getresponse().read() == content(10)
    busy = socket.create_connection(("127.0.0.1", port), timeout=5)
    busy.sendall(b"GET /file/k.bin?size=100&stall_after=10 HTTP/1.1\r\nHost: x\r\n\r\n")
    assert busy.recv(4096).startswith(b"HTTP/1.1 200")  # now stalled mid-body

    fault_server.refuse()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    with pytest.raises(ConnectionResetError):  # the response in progress was cut
        while busy.recv(4096):
            pass
    busy.close()
    with pytest.raises((ConnectionError, http.client.HTTPException)):
        idle.request("GET", "/file/k.bin?size=10")  # the kept-alive connection too
        idle.getresponse().read()
    idle.close()

    fault_server.accept()
    assert fault_server.port == port
    assert request(fault_server, fault_server.url("k.bin", size=10))[2] == content(10)


# --------------------------------------------------------------------------
# Observation and API
# --------------------------------------------------------------------------


def test_request_log_and_byte_counter(fault_server: FaultServer) -> None:
    request(
        fault_server, fault_server.url("log.bin", size=300), {"Range": "bytes=0-99", "X-Test": "1"}
    )
    request(fault_server, fault_server.url("other.bin", size=200), method="HEAD")
    first, second = fault_server.requests
    assert (first.method, first.path, first.name, first.query) == (
        "GET",
        "/file/log.bin",
        "log.bin",
        {"size": "300"},
    )
    assert first.headers["x-test"] == "1" and first.range == "bytes=0-99"
    assert first.status == 206 and first.remote == "127.0.0.1" and first.remote_port
    assert second.method == "HEAD" and second.time >= first.time
    assert [r.name for r in fault_server.requests_for("other.bin")] == ["other.bin"]
    assert fault_server.bytes_sent == 100
    fault_server.clear_requests()
    assert fault_server.requests == []


def test_url_builder_and_bad_params(fault_server: FaultServer) -> None:
    assert fault_server.base_url == f"http://127.0.0.1:{fault_server.port}"
    assert fault_server.url("n.bin") == f"{fault_server.base_url}/file/n.bin"
    assert fault_server.url("n.bin", size=5, weak=True, etag=None, nolength=False) == (
        f"{fault_server.base_url}/file/n.bin?size=5&weak=1"
    )
    assert request(fault_server, fault_server.url("n.bin", size="abc"))[0] == 400


async def test_usable_from_an_asyncio_test(fault_server: FaultServer) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", fault_server.port)
    writer.write(b"GET /file/as.bin?size=10 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = await reader.read()
    writer.close()
    assert data.startswith(b"HTTP/1.1 200") and data.endswith(content(10))


def test_independent_servers(fault_server_factory: Callable[[], FaultServer]) -> None:
    one, two = fault_server_factory(), fault_server_factory()
    assert one.port != two.port
    one.set_version("f", 3)
    assert two.version("f") == 0


def test_standalone_mode() -> None:
    # Port 0: a probed-then-freed port could be taken by another run in between.
    command = [sys.executable, "-m", "tests.support.faultserver", "--port", "0"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True, env=env) as proc:
        try:
            assert proc.stdout is not None
            base_url = proc.stdout.readline().strip()
            assert re.fullmatch(r"http://127\.0\.0\.1:\d+", base_url), base_url
            with urllib.request.urlopen(f"{base_url}/file/a?size=20", timeout=60) as resp:
                assert resp.read() == content(20)
            proc.send_signal(signal.SIGINT)  # Ctrl+C
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
