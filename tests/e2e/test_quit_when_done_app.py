"""The desktop app with "Quit bgfetch when all downloads are done" (docs/contracts.md
§10): started with nothing to do it keeps running; after its last download it quits by
itself, cleanly (exit 0), and the fetch is there for the next start."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from tests.e2e.conftest import DesktopHome, RunningApp
from tests.integration.cli_helpers import HOLD_SETTINGS
from tests.support.faultserver import FaultServer

pytestmark = pytest.mark.slow


def test_the_app_quits_by_itself_after_its_last_download(
    start_app: Callable[..., RunningApp], home: DesktopHome, fault_server: FaultServer
) -> None:
    home.write_settings(quit_when_done=True, **HOLD_SETTINGS)
    app = start_app()
    dest = home.path.parent / "out"
    home.ok("fetch", "--id", "only", "--dest", str(dest),
            fault_server.url("only.bin", size=1000, hold="only", hold_after=500))
    fault_server.wait_held("only")
    assert app.proc.poll() is None, app.describe()  # nothing to do at the start kept it
    fault_server.release("only")
    app.proc.wait(timeout=60)
    assert app.proc.returncode == 0, app.describe()
    assert "the queue is empty: quitting (quit_when_done)" in home.gui_log_text()
    assert home.show("only")["result"] == "success"
