"""`bgfetch fetch --wait` at a terminal while the desktop app runs the engine: the
bar is drawn from the app's progress, and Ctrl+C pauses the fetch in the app
(docs/contracts.md §4; before, the download silently went on there)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.conftest import DesktopHome, RunningApp
from tests.integration.cli_helpers import HOLD_SETTINGS, sha256_file
from tests.integration.terminal import Terminal
from tests.support.faultserver import FaultServer, content_sha256

pytestmark = pytest.mark.slow


def test_ctrl_c_pauses_the_fetch_in_the_app(
    start_app: Callable[..., RunningApp], home: DesktopHome, fault_server: FaultServer
) -> None:
    home.write_settings(notifications=True, **HOLD_SETTINGS)
    app = start_app()
    dest = home.path.parent / "out"
    size = 2 << 20
    url = fault_server.url("gui.bin", size=size, seed=23, hold="gui", hold_after=1 << 20)

    term = Terminal(home, "fetch", "--wait", "--id", "gui", "--title", "In the app",
                    "--dest", str(dest), url)
    try:
        fault_server.wait_held("gui")
        term.expect(r"In the app +50% \[")
        term.ctrl_c()
        assert term.wait() == 130, term.output
    finally:
        term.close()

    assert "gui paused; `bgfetch resume gui` continues" in term.output
    assert (home.ping() or {}).get("kind") == "gui", app.describe()
    assert home.show("gui")["state"] == "paused"
    fault_server.release("gui")
    home.ok("resume", "gui")
    assert home.run("wait", "gui").returncode == 0
    assert sha256_file(dest / "gui.bin") == content_sha256(size, 23)
