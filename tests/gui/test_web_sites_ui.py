"""The consent dialog (the GUI's ConsentPrompt) and Settings → Web sites, offscreen."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.api import CommandHandler  # noqa: E402
from bgfetch_gui.engine.manager import FetchManager  # noqa: E402
from bgfetch_gui.engine.settings import Settings  # noqa: E402
from bgfetch_gui.engine.store import Store  # noqa: E402
from bgfetch_gui.engine.web.sites import Sites  # noqa: E402
from bgfetch_gui.qt import QApplication, QSettings, Qt, QWidget  # noqa: E402
from bgfetch_gui.ui.consent_dialog import ConsentDialog, DialogConsentPrompt  # noqa: E402
from bgfetch_gui.ui.fetch_model import FetchListModel  # noqa: E402
from bgfetch_gui.ui.main_window import MainWindow  # noqa: E402
from bgfetch_gui.ui.settings_dialog import SettingsDialog  # noqa: E402
from tests.gui.ui_fixtures import wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

ORIGIN = "https://podcast.example"


@pytest.fixture(autouse=True)
def _keep_running_when_dialogs_close() -> Iterator[None]:
    """As in the app (the tray keeps bgfetch running): closing the last window, here a
    consent dialog, must not quit Qt's loop under the test."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    before = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    yield
    app.setQuitOnLastWindowClosed(before)


async def question(prompt: DialogConsentPrompt, title: str = "Episode 5",
                   total: int = 0, files: int = 3) -> tuple[asyncio.Future[Any], ConsentDialog]:
    answer = asyncio.ensure_future(prompt.ask(ORIGIN, title, total, files))
    await wait_until(lambda: bool(prompt.open_dialogs), what="the question")
    return answer, prompt.open_dialogs[-1]


async def test_the_question_shows_what_the_page_asks_as_plain_text(qtbot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    prompt = DialogConsentPrompt(lambda: parent)
    answer, dialog = await question(prompt, title="<b>Episode</b> <img src=x>", files=3)
    assert dialog.isVisible() and not dialog.isModal()
    assert dialog.origin_label.text() == ORIGIN
    assert dialog.title_label.text() == "<b>Episode</b> <img src=x>"
    assert dialog.title_label.textFormat() == Qt.TextFormat.PlainText
    assert dialog.size_label.text() == "unknown size"
    assert dialog.files_label.text() == "3"
    assert dialog.deny_button.isDefault()
    dialog.always_button.click()
    assert await asyncio.wait_for(answer, 5) == "always"
    assert prompt.open_dialogs == []

    answer, dialog = await question(prompt, total=60 * 1024 * 1024)
    assert dialog.size_label.text() == "60.0 MiB"
    dialog.once_button.click()
    assert await asyncio.wait_for(answer, 5) == "once"

    answer, dialog = await question(prompt)
    dialog.deny_button.click()
    assert await asyncio.wait_for(answer, 5) == "deny"


async def test_closing_or_escaping_the_question_is_no_answer(qtbot) -> None:
    prompt = DialogConsentPrompt(lambda: None)
    answer, dialog = await question(prompt)
    dialog.close()
    assert await asyncio.wait_for(answer, 5) == "dismissed"
    answer, dialog = await question(prompt)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert await asyncio.wait_for(answer, 5) == "dismissed"


async def test_a_question_nobody_answers_goes_away(qtbot) -> None:
    prompt = DialogConsentPrompt(lambda: None)
    answer, dialog = await question(prompt, title="t" * 5000)
    assert len(dialog.title_label.text()) < 200
    answer.cancel()  # as the engine's timeout does
    await wait_until(lambda: not prompt.open_dialogs, what="the dialog to close")


async def test_a_web_call_waits_for_the_answer_while_the_loop_runs(
    qtbot, tmp_path: Path, fault_server: FaultServer
) -> None:
    store = Store(tmp_path / "bgfetch.sqlite3")
    manager = FetchManager(store, Settings(), tmp_path / "Downloads")
    await manager.start()
    prompt = DialogConsentPrompt(lambda: None)
    handler = CommandHandler(manager, "gui", lambda: None, consent=prompt)
    origin = fault_server.base_url
    call = {"v": 1, "type": "fetch", "origin": origin, "pageUrl": origin + "/", "id": "ep",
            "requests": [fault_server.url("ep.bin")], "options": {"title": "Ep"}}
    try:
        replies = asyncio.ensure_future(_replies(handler, {"cmd": "web", "call": call}))
        await wait_until(lambda: bool(prompt.open_dialogs), what="the question")
        ticks = 0
        for _ in range(5):  # the event loop is not blocked by the open question
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 5 and not replies.done()
        prompt.open_dialogs[0].always_button.click()
        [reply] = await asyncio.wait_for(replies, 10)
        assert reply["ok"] and reply["result"]["id"] == "ep"
        assert handler.sites.decision(origin) == "allow"
    finally:
        await manager.close()
        store.close()


async def _replies(handler: CommandHandler, message: dict[str, Any]) -> list[dict[str, Any]]:
    return [reply async for reply in handler.handle(message)]


async def test_web_sites_page_lists_and_changes_decisions(qtbot, tmp_path: Path) -> None:
    sites = Sites(Store(tmp_path / "bgfetch.sqlite3"))
    sites.allow("https://a.example", 1024**3)
    dialog = SettingsDialog(Settings(), sites=sites)
    qtbot.addWidget(dialog)
    page = dialog.web_sites_page
    assert page is not None
    assert dialog.tabs.tabText(1) == "Web sites"
    table = page.table

    def rows() -> list[tuple[str, ...]]:
        return [tuple(table.item(r, c).text() for c in range(3)) for r in range(table.rowCount())]

    assert rows() == [("https://a.example", "Allowed", "1.0 GiB")]
    page.origin_edit.setText("https://B.example/")
    page.deny_button.click()
    assert rows() == [("https://a.example", "Allowed", "1.0 GiB"),
                      ("https://b.example", "Denied", "10.0 GiB")]
    assert sites.decision("https://b.example") == "deny"
    table.selectRow(0)
    assert page.origin_edit.text() == "https://a.example"
    page.forget_button.click()
    assert [r[0] for r in rows()] == ["https://b.example"]
    page.origin_edit.setText("https://b.example")
    page.allow_button.click()
    assert rows() == [("https://b.example", "Allowed", "10.0 GiB")]
    page.origin_edit.setText("ftp://nope")
    page.allow_button.click()
    assert not page.error_label.isHidden() and "http(s)" in page.error_label.text()
    assert len(rows()) == 1
    # Decisions are kept in the data folder, not in the dialog.
    assert Sites(Store(tmp_path / "bgfetch.sqlite3")).decision("https://b.example") == "allow"


async def test_the_main_windows_settings_have_the_web_sites_page(
    qtbot, manager: FetchManager, tmp_path: Path
) -> None:
    state = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    model = FetchListModel(batch_ms=20)
    model.attach(manager)
    window = MainWindow(manager, model, state, data_dir=tmp_path, sites=Sites(manager.store))
    qtbot.addWidget(window)
    dialog = window.open_settings()
    assert dialog.web_sites_page is not None
    dialog.close()
