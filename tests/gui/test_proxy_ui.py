"""Settings → Proxy, the window's icons through the proxy (docs/contracts.md §8), and the
fetch list's "Limit speed" submenu (§9)."""

from __future__ import annotations

import json
from pathlib import Path

import keyring
import pytest
from aiohttp import web
from keyrings.alt.file import PlaintextKeyring
from PySide6.QtWidgets import QInputDialog

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.http.sessions import Sessions  # noqa: E402
from bgfetch_gui.engine.model import Icon  # noqa: E402
from bgfetch_gui.engine.settings import Settings  # noqa: E402
from bgfetch_gui.platform.proxy_qt import desktop_proxy_url  # noqa: E402
from bgfetch_gui.qt import (  # noqa: E402
    QBuffer,
    QByteArray,
    QColor,
    QDialogButtonBox,
    QIODevice,
    QMenu,
    QPixmap,
    QWidget,
)
from bgfetch_gui.ui.icons import IconProvider  # noqa: E402
from bgfetch_gui.ui.settings_dialog import SettingsDialog  # noqa: E402
from bgfetch_gui.ui.speed_limit_menu import speed_limit_menu  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402
from tests.support.proxyserver import LoopbackProxy  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


def test_the_proxy_section_edits_the_setting(qtbot) -> None:
    dialog = SettingsDialog(Settings(proxy="none"))
    qtbot.addWidget(dialog)
    section = dialog.proxy_section
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert section.mode_combo.currentData() == "none" and not section.url_edit.isEnabled()

    section.mode_combo.setCurrentIndex(section.mode_combo.findData("manual"))
    assert section.url_edit.isEnabled() and not ok.isEnabled()  # no URL yet
    section.url_edit.setText("ftp://proxy.lan")
    assert not ok.isEnabled() and "socks5://host:port" in section.error_label.text()
    section.url_edit.setText("http://alice:pw@proxy.lan:3128")
    assert not ok.isEnabled() and "keyring" in section.error_label.text()
    section.url_edit.setText("SOCKS5h://127.0.0.1:9050")
    assert ok.isEnabled() and section.error_label.isHidden()
    assert dialog.settings().proxy == "socks5://127.0.0.1:9050"

    section.mode_combo.setCurrentIndex(section.mode_combo.findData("system"))
    assert dialog.settings().proxy == "system" and ok.isEnabled()
    again = SettingsDialog(Settings(proxy="http://proxy.lan:3128"))
    qtbot.addWidget(again)
    assert again.proxy_section.url_edit.text() == "http://proxy.lan:3128"
    assert again.settings().proxy == "http://proxy.lan:3128"


async def test_save_in_keyring_stores_the_credentials_there_only(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        dialog = SettingsDialog(Settings(proxy="socks5://127.0.0.1:9050"))
        qtbot.addWidget(dialog)
        section = dialog.proxy_section
        section.username_edit.setText("alice")
        section.password_edit.setText("hunter2")
        section.save_button.click()
        await wait_until(lambda: section.saving is not None and section.saving.done(),
                         what="the keyring save")
        assert section.status_label.text().startswith("Saved in the keyring")
        assert section.password_edit.text() == ""
        stored = keyring.get_password("bgfetch", "proxy socks5://127.0.0.1:9050")
        assert stored is not None
        assert json.loads(stored) == {"username": "alice", "password": "hunter2"}
        assert "hunter2" not in json.dumps(dialog.settings().__dict__)
    finally:
        keyring.set_keyring(previous)


async def test_icons_come_through_the_proxy(tmp_path: Path) -> None:
    pixmap = QPixmap(8, 8)
    pixmap.fill(QColor("#00ff00"))
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pixmap.save(buffer, "PNG")

    async def png(_request: web.Request) -> web.Response:
        return web.Response(body=bytes(data.data()), content_type="image/png")

    app = web.Application()
    app.router.add_get("/icon.png", png)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    src = f"http://127.0.0.1:{port}/icon.png"
    try:
        with LoopbackProxy() as proxy:
            provider = IconProvider(tmp_path / "icons",
                                    sessions=Sessions(lambda: proxy.url("socks5")))
            loaded: list[str] = []
            provider.icon_loaded.connect(loaded.append)
            provider.fetch_icon((Icon(src, "64x64"),), "file")
            await wait_until(lambda: loaded == [src], what="the icon")
            await provider.close()
            assert proxy.targets("socks5") == [f"127.0.0.1:{port}"]
    finally:
        await runner.cleanup()


async def test_the_limit_speed_submenu_sets_a_running_fetch_s_own_limit(
    qtbot, engines: EngineFactory, fault_server: FaultServer
) -> None:
    manager = await engines()
    reg = await manager.fetch("menu", [fault_server.url("m.bin", size=50 << 20, rate=1 << 20)])
    parent = QWidget()
    qtbot.addWidget(parent)
    menu = speed_limit_menu(parent, manager, [reg])
    entries = {a.text(): a for a in menu.actions() if a.text()}
    assert entries["No limit of its own"].isChecked()
    assert list(entries)[1:4] == ["256 KiB/s", "512 KiB/s", "1.0 MiB/s"]
    entries["512 KiB/s"].trigger()
    assert manager.speed_limit(reg) == 512 * 1024
    again = speed_limit_menu(parent, manager, [reg])
    assert [a.text() for a in again.actions() if a.isChecked()] == ["512 KiB/s"]

    dialog = _other(again)
    dialog.textValueSelected.emit("3M")
    assert manager.speed_limit(reg) == 3 << 20
    dialog = _other(speed_limit_menu(parent, manager, [reg]))
    dialog.textValueSelected.emit("fast")
    assert "not a size" in dialog.labelText() and dialog.isVisible()
    assert manager.speed_limit(reg) == 3 << 20


def _other(menu: QMenu) -> QInputDialog:
    """Trigger "Other…" and return the prompt it opens."""
    before = set(menu.parent().findChildren(QInputDialog))
    next(a for a in menu.actions() if a.text() == "Other…").trigger()
    (dialog,) = set(menu.parent().findChildren(QInputDialog)) - before
    return dialog


def test_the_desktop_proxy_comes_from_qt_s_system_query(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                 "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert desktop_proxy_url() is None
    # On Linux without libproxy, Qt's system query reads the environment itself.
    monkeypatch.setenv("http_proxy", "socks5://127.0.0.1:1080")
    assert desktop_proxy_url() == "socks5://127.0.0.1:1080"
    monkeypatch.setenv("http_proxy", "http://proxy.lan:3128")
    assert desktop_proxy_url() == "http://proxy.lan:3128"
