"""On a desktop, the native host starts the real GUI (minimized to the tray), not a daemon."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.conftest import Desktop, DesktopHome
from tests.integration.native_host_helpers import NativeHost

pytestmark = pytest.mark.slow


def test_with_a_display_the_host_starts_bgfetch_gui(desktop: Desktop, home: DesktopHome) -> None:
    assert home.engine_pid() is None
    host = NativeHost(desktop.env)
    try:
        hello = host.ok("hello", timeout=60, browser="firefox", native=False)
        assert hello == {"version": 1, "engine": "gui", "started": True}
        ping = home.ping()
        assert ping is not None and ping["kind"] == "gui"
        argv = Path(f"/proc/{ping['pid']}/cmdline").read_bytes().split(b"\0")
        assert b"--minimized" in argv, argv
        assert host.ok("hello", browser="firefox", native=False)["started"] is False
    finally:
        assert host.close() == 0
    assert home.ping() is not None, "the GUI outlives the browser's host"
