"""The local socket of the engine that ``fetch --wait`` runs in its own process.

That engine runs on plain asyncio, without Qt (issue 8: Qt cost a command more
start-up time and memory than the work). Its socket must be what the GUI's
and the daemon's is (docs/contracts.md §4): owner-only, token-checked, one
JSON line in, and a client that hangs up never hurts the engine. Real
processes, the fault server on 127.0.0.1; the body is held so the engine
still runs while the socket is probed.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.engine.datadir import ipc_name
from tests.integration.cli_helpers import HOLD_SETTINGS, Home, sha256_file, wait_until
from tests.support.faultserver import FaultServer, content_sha256

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a Unix socket")

SIZE = 2 << 20


def exchange(home: Home, line: bytes) -> list[dict[str, Any]]:
    """Send ``line`` to the engine's socket; every reply until the engine closes."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(ipc_name(home.path))
        sock.sendall(line)
        return [json.loads(reply) for reply in sock.makefile("rb")]


@pytest.fixture
def running(home: Home, fault_server: FaultServer) -> subprocess.Popen[str]:
    """``fetch --wait`` whose body is held half-way, its engine answering."""
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("sock.bin", size=SIZE, seed=3, hold="sock", hold_after=SIZE // 2)
    dest = home.path.parent / "out"
    proc = home.popen("fetch", "--wait", "--id", "sock", "--dest", str(dest), url)
    wait_until(lambda: home.ping() is not None, 60, what="the CLI engine to listen")
    return proc


def test_socket_and_token_are_owner_only(home: Home, running: subprocess.Popen[str]) -> None:
    info = home.ping()
    assert info is not None and info["kind"] == "cli" and info["pid"] == running.pid
    assert stat.S_IMODE(os.stat(ipc_name(home.path)).st_mode) == 0o600
    assert stat.S_IMODE((home.path / "ipc.token").stat().st_mode) == 0o600


def test_wrong_token_and_bad_lines_are_refused_and_the_engine_goes_on(
    home: Home, fault_server: FaultServer, running: subprocess.Popen[str]
) -> None:
    refused = exchange(home, b'{"cmd": "list", "token": "not-the-token"}\n')
    assert refused == [{"done": True, "ok": False, "code": 2, "error": "not authorized"}]
    bad = {"done": True, "ok": False, "code": 2, "error": "bad request"}
    assert exchange(home, b"this is not json\n") == [bad]
    assert exchange(home, b"[1, 2]\n") == [bad]
    token = (home.path / "ipc.token").read_text().strip()
    deep = "[" * 200_000 + "]" * 200_000
    assert exchange(home, f'{{"cmd": "list", "token": "{token}", "x": {deep}}}\n'.encode()) \
        == [bad]
    listed = exchange(home, json.dumps({"cmd": "list", "token": token}).encode() + b"\n")
    assert [r["id"] for r in listed[-1]["registrations"]] == ["sock"]

    fault_server.release("sock")
    out, err = running.communicate(timeout=60)
    assert running.returncode == 0, (out, err)
    assert sha256_file(home.path.parent / "out" / "sock.bin") == content_sha256(SIZE, 3)
    assert not Path(ipc_name(home.path)).exists(), "the socket file outlived the engine"


def test_a_waiter_that_hangs_up_leaves_the_engine_running(
    home: Home, fault_server: FaultServer, running: subprocess.Popen[str]
) -> None:
    token = (home.path / "ipc.token").read_text().strip()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(30)
        sock.connect(ipc_name(home.path))
        sock.sendall(json.dumps({"cmd": "wait", "id": "sock", "token": token}).encode() + b"\n")
        first = json.loads(sock.makefile("rb").readline())
        assert "progress" in first  # a wait streams progress until the fetch settles
    # The waiter is gone mid-command; the engine still answers and finishes its fetch.
    assert home.ping() is not None
    fault_server.release("sock")
    out, err = running.communicate(timeout=60)
    assert running.returncode == 0, (out, err)
