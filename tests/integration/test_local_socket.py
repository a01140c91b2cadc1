"""The engine's local socket under hostile or heavy use (issue 10): a deeply nested or
oversized message gets an error reply and the connection closes; 500 clients at once
all get their answer (a listen backlog large enough), none gets EAGAIN."""

from __future__ import annotations

import contextlib
import json
import socket
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.engine.datadir import TOKEN_NAME, ipc_name
from bgfetch_gui.platform.ipc_wire import MAX_LINE
from tests.integration.cli_helpers import Home, wait_until

CLIENTS = 500


@pytest.fixture
def daemon(home: Home) -> Home:
    home.popen("daemon")
    wait_until(lambda: home.ping() is not None, timeout=30, what="the daemon answers")
    return home


def connect(folder: Path) -> socket.socket:
    # As IpcClient does: a timeout makes connect non-blocking, so a full listen
    # queue is an immediate EAGAIN, not a wait.
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(20)
    sock.connect(ipc_name(folder))
    return sock


def replies(sock: socket.socket) -> list[dict[str, Any]]:
    """Every reply line until the engine closes the connection."""
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    return [json.loads(line) for line in data.splitlines()]


def token(folder: Path) -> str:
    return (folder / TOKEN_NAME).read_text().strip()


def test_a_deeply_nested_message_is_refused_and_closed(daemon: Home) -> None:
    # Refused before parsing, with an error that says why (issue 10: RecursionError).
    depth = 100_000
    nested = "[" * depth + "]" * depth
    message = f'{{"token": "{token(daemon.path)}", "cmd": "fetch", "requests": {nested}}}\n'
    sock = connect(daemon.path)
    sock.sendall(message.encode())
    [reply] = replies(sock)
    assert reply == {"done": True, "ok": False, "code": 2, "error": "bad request"}
    assert daemon.ping() is not None  # the engine is unharmed


def test_an_oversized_message_is_refused_and_closed(daemon: Home) -> None:
    sock = connect(daemon.path)
    # Closed as soon as the limit was passed; the reply is still there to read.
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        sock.sendall(b'{"cmd": "' + b"a" * (MAX_LINE + 10))
    [reply] = replies(sock)
    assert reply == {"done": True, "ok": False, "code": 2, "error": "bad request"}


def test_five_hundred_clients_at_once_all_get_an_answer(daemon: Home) -> None:
    secret = token(daemon.path)
    socks = [connect(daemon.path) for _ in range(CLIENTS)]  # before: EAGAIN past 50
    for sock in socks:
        sock.sendall(json.dumps({"token": secret, "cmd": "ping"}).encode() + b"\n")
    answers = [replies(sock)[-1] for sock in socks]
    assert all(a.get("ok") is True and a.get("done") for a in answers), answers[:3]
