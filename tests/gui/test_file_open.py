"""Files and links opened by the OS while bgfetch runs (macOS sends them as events)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.manager import FetchManager  # noqa: E402
from bgfetch_gui.platform.file_open import FileOpenForwarder  # noqa: E402
from bgfetch_gui.qt import QApplication, QFileOpenEvent, QSettings, QUrl  # noqa: E402
from bgfetch_gui.ui.link_prompt import LinkPrompt  # noqa: E402
from tests.gui.test_main_window import make_window  # noqa: E402
from tests.gui.ui_fixtures import wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


def registered(manager: FetchManager, fetch_id: str) -> bool:
    return any(r.id == fetch_id for r in manager.registrations())


async def test_an_opened_link_asks_and_an_opened_manifest_registers(
    qtbot, manager: FetchManager, ui_state: QSettings, tmp_path: Path,
    fault_server: FaultServer,
) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.show()
    forwarder = FileOpenForwarder(window.accept_items)
    app = QApplication.instance()
    app.installEventFilter(forwarder)
    try:
        manifest = {"id": "from-link", "requests": [fault_server.url("l.bin", size=1000)],
                    "options": {"title": "Linked", "downloadTotal": 1000}}
        data = base64.urlsafe_b64encode(json.dumps(manifest).encode()).decode().rstrip("=")
        QApplication.sendEvent(app, QFileOpenEvent(QUrl(f"bgfetch:fetch?data={data}")))
        await wait_until(lambda: window.findChild(LinkPrompt) is not None, what="the prompt")
        prompt = window.findChild(LinkPrompt)
        assert "Linked" in prompt.text() and "127.0.0.1" in prompt.text()
        assert not registered(manager, "from-link")
        prompt.download_button.click()
        await wait_until(lambda: registered(manager, "from-link"), what="registered")

        path = tmp_path / "dropped.bgfetch"
        path.write_text(json.dumps({"id": "from-file",
                                    "requests": [fault_server.url("f.bin", size=1000)]}))
        QApplication.sendEvent(app, QFileOpenEvent(str(path)))
        await wait_until(lambda: registered(manager, "from-file"), what="the manifest")
    finally:
        app.removeEventFilter(forwarder)
