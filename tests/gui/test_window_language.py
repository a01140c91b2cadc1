"""The window in the desktop's language (issue 11.16, docs/contracts.md §4 "Language").

The app installs a QTranslator for the locale at start (``install_translator``);
here the same translator is installed for the locale the environment names
(``LANG=pt_BR.UTF-8``), around a real window on a seeded engine (and the
notification a paused fetch would show, and the tray's menu), and taken out
again so the other tests stay in English.
"""

from __future__ import annotations

import re
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from PySide6.QtCore import QLocale, QTranslator  # noqa: E402

from bgfetch_gui.engine.manager import FetchManager  # noqa: E402
from bgfetch_gui.engine.model import State  # noqa: E402
from bgfetch_gui.engine.registration import Registration  # noqa: E402
from bgfetch_gui.i18n import install_translator, locale_name  # noqa: E402
from bgfetch_gui.platform.notifications.presenter import notification_for  # noqa: E402
from bgfetch_gui.qt import QApplication, QSettings, Qt  # noqa: E402
from bgfetch_gui.ui.fetch_model import Column  # noqa: E402
from bgfetch_gui.ui.files_dialog import FileColumn, FilesDialog  # noqa: E402
from bgfetch_gui.ui.icons import app_icon  # noqa: E402
from bgfetch_gui.ui.main_window import MainWindow  # noqa: E402
from bgfetch_gui.ui.tray import Tray  # noqa: E402
from tests.gui.test_main_window import make_window  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


@pytest.fixture
def language(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> Iterator[
        Callable[..., None]]:
    """Set the locale variables, then install what the app installs for them."""
    installed: list[QTranslator | None] = []

    def use(**env: str) -> None:
        for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
            monkeypatch.delenv(variable, raising=False)
        for variable, value in env.items():
            monkeypatch.setenv(variable, value)
        installed.append(install_translator(qapp, QLocale(locale_name())))

    yield use
    for translator in installed:
        if translator is not None:
            qapp.removeTranslator(translator)


def _texts(window: MainWindow) -> dict[str, str]:
    window.model.flush()
    states = {window.model.index(row, Column.TITLE).data():
              window.model.index(row, Column.STATE).data()
              for row in range(window.model.rowCount())}
    pause_button = window.toolbar.widgetForAction(window.actions_by_name["pause"])
    paused = next(reg for reg in window.manager.registrations() if reg.id == "paused-1")
    notification = notification_for(paused.snapshot())
    assert notification is not None
    tray = Tray(app_icon(), window, fetches=lambda: [paused.snapshot()],
                window_visible=window.isVisible)
    tray.refresh_menu()
    return {
        "menus": " ".join(a.text() for a in window.menuBar().actions()),
        "pause button": pause_button.text() if pause_button is not None else "",
        "header": str(window.model.headerData(Column.STATE, Qt.Orientation.Horizontal)),
        "filter": window.filter_combo.itemText(0),
        "paused": states["Holiday photos"],
        "cancelled": states["Old build"],
        "notification": f"{notification.body.split(' · ')[0]}: "
                        + ", ".join(action.label for action in notification.actions),
        "tray": " | ".join(a.text() for a in tray.menu.actions()[:3] if a.text()),
        # Qt's own standard buttons, from Qt's translation for the locale.
        "quit": " ".join(sorted(b.text() for b in window.quit_box("?").buttons())),
    }


async def test_the_window_speaks_brazilian_portuguese(
    qtbot, manager: FetchManager, ui_state: QSettings, tmp_path: Path, language
) -> None:
    language(LANG="pt_BR.UTF-8")
    window = make_window(qtbot, manager, ui_state, tmp_path)
    assert _texts(window) == {
        "menus": "&Arquivo &Download Aj&uda",
        "pause button": "Pausar",
        "header": "Situação",
        "filter": "Todos",
        "paused": "Pausado",
        "cancelled": "Cancelado",
        "notification": "Pausado: Mostrar, Retomar, Cancelar",
        "tray": "&Mostrar o bgfetch | Holiday photos — 40% · pausado",
        "quit": "&Sim Cancelar",
    }


async def test_the_c_locale_keeps_english(
    qtbot, manager: FetchManager, ui_state: QSettings, tmp_path: Path, language
) -> None:
    language(LC_ALL="C", LANG="pt_BR.UTF-8")  # LC_ALL wins, as POSIX says
    window = make_window(qtbot, manager, ui_state, tmp_path)
    assert _texts(window) == {
        "menus": "&File &Fetch &Help",
        "pause button": "Pause",
        "header": "Status",
        "filter": "All",
        "paused": "Paused",
        "cancelled": "Cancelled",
        "notification": "Paused: Show, Resume, Cancel",
        "tray": "&Show bgfetch | Holiday photos — 40% · paused",
        "quit": "&Yes Cancel",
    }


async def test_the_engines_reasons_in_brazilian_portuguese(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state: QSettings,
    tmp_path: Path, language
) -> None:
    """The engine gives codes (docs/contracts.md §4 ``problem_code``); the window, the
    Files dialog and the notifications word them in the user's language."""
    language(LANG="pt_BR.UTF-8")
    manager = await engines(max_retries=7, retry_base_delay=30.0, retry_max_delay=30.0)
    window = make_window(qtbot, manager, ui_state, tmp_path)
    failed = await manager.fetch("ep-5", [fault_server.url("ep-5.jpg", status=404)])
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/clip.bin"  # nobody listens
    retrying = await manager.fetch("down", [refused])
    await wait_until(lambda: not failed.active and retrying.state == State.RETRYING,
                     what="one failed, one retrying")
    window.model.flush()

    def state_of(reg: Registration) -> str:
        return str(window.model.index(window.model.row_of(reg.key), Column.STATE).data())

    assert state_of(failed) == "ep-5.jpg: o servidor respondeu 404 Not Found"
    assert re.fullmatch(r"Nova tentativa em \d+ s \(conexão recusada, tentativa 2 de 8\)",
                        state_of(retrying)), state_of(retrying)
    notification = notification_for(failed.snapshot())
    assert notification is not None
    assert notification.body == "ep-5.jpg: o servidor respondeu 404 Not Found"
    files = FilesDialog(failed, window)
    qtbot.addWidget(files)
    assert files.tree.topLevelItem(0).text(FileColumn.STATE) == \
        "o servidor respondeu 404 Not Found"
    # What scripts read stays as the engine wrote it.
    shown = failed.snapshot().to_json()
    assert (shown["problem"].split(" for ")[0], shown["problem_code"]) == \
        ("HTTP 404", "http-status")
