"""Pytest fixtures for the fault-injecting HTTP server.

Load with ``pytest_plugins = ["tests.support.fixtures"]`` (in a test module
or a conftest). The server runs in a background thread with its own event
loop, so it serves equally well to synchronous tests, ``async`` tests on any
loop (pytest-asyncio, qasync) and subprocesses started by a test; nothing a
test does to its own loop can starve it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.support.faultserver import FaultServer

__all__ = ["fault_server", "fault_server_factory"]


@pytest.fixture
def fault_server() -> Iterator[FaultServer]:
    """A fresh :class:`FaultServer` on ``127.0.0.1`` and a free port, per test.

    Function scope: fault counters, file versions and the request log start
    empty in every test, so tests cannot leak faults into each other.
    """
    with FaultServer() as server:
        yield server


@pytest.fixture
def fault_server_factory() -> Iterator[Callable[[], FaultServer]]:
    """Start extra servers (another origin, a mirror); all stop after the test."""
    servers: list[FaultServer] = []

    def start() -> FaultServer:
        server = FaultServer().start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()
