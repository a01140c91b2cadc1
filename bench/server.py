"""The fault server in a process of its own, so a benchmark's client does not share its GIL."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def fault_server_process() -> Iterator[str]:
    """Yield the server's base URL (``http://127.0.0.1:PORT``) while it runs."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "tests.support.faultserver", "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert server.stdout is not None
        server.stdout.readline()  # the base URL: it listens from here on
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait()
