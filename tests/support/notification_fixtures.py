"""pytest fixtures: a private D-Bus session bus and the test notification server.

Load with ``pytest_plugins = ["tests.support.notification_fixtures"]`` in the
top-level ``conftest.py``, or import the fixtures into a directory's conftest.

The bus is private to one test so no test sees another's notifications or a
real desktop's server. Its configuration lists *no* service directories: on a
machine with dunst installed, the stock session configuration would
auto-start dunst (``org.knopwob.dunst.service``) for the first call to
``org.freedesktop.Notifications``, so "no server" would not mean no server.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support.notification_server import NotificationServer

_BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
"""


@dataclass
class PrivateSessionBus:
    """A running ``dbus-daemon``: its address and pid."""

    address: str
    pid: int

    def stop(self) -> None:
        """Terminate the daemon (it was started with ``--fork``, so by pid)."""
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGTERM)
        path = _socket_path(self.address)
        if path is not None:
            with contextlib.suppress(OSError):
                path.unlink()


def _socket_path(address: str) -> Path | None:
    for part in address.split(","):
        if part.startswith("unix:path="):
            return Path(part.removeprefix("unix:path="))
    return None


def start_private_bus(config_dir: Path) -> PrivateSessionBus:
    """Start a session-type ``dbus-daemon`` without service activation."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        raise RuntimeError("dbus-daemon is not installed (Debian package 'dbus')")
    config = config_dir / "session-bus.conf"
    config.write_text(_BUS_CONFIG, encoding="utf-8")
    # --fork: the daemon detaches and closes our pipe, so run() returns at once.
    result = subprocess.run(
        [daemon, f"--config-file={config}", "--fork", "--print-address=1", "--print-pid=1"],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    lines = result.stdout.split()
    if result.returncode != 0 or len(lines) < 2:
        raise RuntimeError(f"dbus-daemon failed: {result.stderr.strip()}")
    return PrivateSessionBus(address=lines[0], pid=int(lines[1]))


@pytest.fixture
def session_bus(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[PrivateSessionBus]:
    """A private session bus; ``DBUS_SESSION_BUS_ADDRESS`` points at it for this test."""
    bus = start_private_bus(tmp_path_factory.mktemp("dbus"))
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", bus.address)
    try:
        yield bus
    finally:
        bus.stop()


@pytest.fixture
def notification_server(session_bus: PrivateSessionBus) -> Iterator[NotificationServer]:
    """The test notification server on :func:`session_bus`, with actions and markup."""
    server = NotificationServer(session_bus.address).start()
    try:
        yield server
    finally:
        server.stop()
