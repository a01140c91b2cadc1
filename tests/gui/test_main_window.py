"""MainWindow: actions reach the engine, filter and search, drops, state, close and quit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.events import EventKind  # noqa: E402
from bgfetch_gui.engine.manager import FetchManager  # noqa: E402
from bgfetch_gui.engine.model import FailureReason, State  # noqa: E402
from bgfetch_gui.engine.settings import Settings  # noqa: E402
from bgfetch_gui.platform import autostart  # noqa: E402
from bgfetch_gui.qt import (  # noqa: E402
    QCloseEvent,
    QDropEvent,
    QMimeData,
    QPointF,
    QSettings,
    Qt,
    QUrl,
)
from bgfetch_gui.ui.fetch_model import Column, FetchListModel  # noqa: E402
from bgfetch_gui.ui.files_dialog import FilesDialog  # noqa: E402
from bgfetch_gui.ui.main_window import MainWindow  # noqa: E402
from bgfetch_gui.ui.new_fetch_dialog import NewFetchDialog  # noqa: E402
from tests.gui.ui_fixtures import MB, EngineFactory, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


def make_window(qtbot, manager: FetchManager, state: QSettings, tmp_path: Path) -> MainWindow:
    model = FetchListModel(batch_ms=20)
    model.attach(manager)
    window = MainWindow(manager, model, state, data_dir=tmp_path)
    qtbot.addWidget(window)
    window.open_url = lambda url: opened.append(url)  # type: ignore[assignment]
    window.opened = opened = []  # type: ignore[attr-defined]
    return window


def select(window: MainWindow, *keys: int) -> None:
    window.model.flush()
    window.view.clearSelection()
    selection = window.view.selectionModel()
    for key in keys:
        index = window.proxy.mapFromSource(window.model.index(window.model.row_of(key), 0))
        selection.select(index, selection.SelectionFlag.Select | selection.SelectionFlag.Rows)


async def test_pause_resume_abort_reach_the_engine(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    slow = [await manager.fetch(f"slow-{n}", [fault_server.url(f"s{n}.bin", size=50 * MB,
                                                               rate=200_000)])
            for n in range(2)]
    await wait_until(lambda: all(r.state == State.DOWNLOADING for r in slow), what="running")
    select(window, slow[0].key)
    assert window.actions_by_name["pause"].isEnabled()
    assert not window.actions_by_name["resume"].isEnabled()

    window.actions_by_name["pause"].trigger()
    await wait_until(lambda: slow[0].state == State.PAUSED, what="paused")
    assert slow[1].state == State.DOWNLOADING
    await wait_until(lambda: window.actions_by_name["resume"].isEnabled(), what="resume enabled")

    window.actions_by_name["resume"].trigger()
    await wait_until(lambda: slow[0].state == State.DOWNLOADING, what="resumed")

    questions: list[str] = []
    window.confirm = lambda title, text: questions.append(text) or False  # type: ignore[func-returns-value]
    select(window, *(r.key for r in slow))
    window.actions_by_name["abort"].trigger()
    assert len(questions) == 1 and "2 fetches" in questions[0]
    assert all(r.active for r in slow)  # the user said no

    window.confirm = lambda title, text: questions.append(text) or True  # type: ignore[func-returns-value]
    window.actions_by_name["abort"].trigger()
    assert len(questions) == 2  # asked once for both
    await wait_until(lambda: not any(r.active for r in slow), what="aborted")
    assert all(r.failure_reason == FailureReason.ABORTED for r in slow)


async def test_retry_registers_a_failed_fetch_again(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    reg = await manager.fetch("gone", [fault_server.url("gone.bin", status=404)])
    await wait_until(lambda: reg.result == "failure", what="failed")
    states: list[State] = []
    manager.events.subscribe(
        lambda e: states.append(e.snapshot.state) if e.kind == EventKind.STATE else None)
    select(window, reg.key)
    assert window.actions_by_name["retry"].isEnabled()
    assert not window.actions_by_name["pause"].isEnabled()
    window.actions_by_name["retry"].trigger()
    await wait_until(lambda: State.QUEUED in states, what="queued again")
    await wait_until(lambda: reg.result == "failure", what="failed again")


async def test_open_folder_show_files_and_remove(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    keep = await manager.fetch("keep", [fault_server.url("keep.bin", size=1000)])
    drop = await manager.fetch("drop", [fault_server.url("drop.bin", size=2000)])
    await wait_until(lambda: keep.result == drop.result == "success", what="downloads")
    keep_file, drop_file = keep.records()[0].path, drop.records()[0].path
    assert keep_file.exists() and drop_file.exists()
    content_of_drop = drop_file.read_bytes()
    trash = tmp_path / "xdg-data" / "Trash"
    trash.parent.mkdir()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))

    select(window, keep.key)
    window.actions_by_name["open_folder"].trigger()
    assert window.opened == [QUrl.fromLocalFile(str(keep.dest))]
    window.actions_by_name["show_files"].trigger()
    dialogs = window.findChildren(FilesDialog)
    assert len(dialogs) == 1
    tree = dialogs[0].tree
    assert tree.topLevelItemCount() == 1
    assert [tree.topLevelItem(0).text(c) for c in range(5)] == [
        "keep.bin", "100%", "1000 B", "Done", str(keep_file)]
    assert tree.topLevelItem(0).text(5).endswith("/file/keep.bin?size=1000")
    dialogs[0].close()

    window.actions_by_name["remove"].trigger()
    window.confirm = lambda title, text: True  # type: ignore[assignment]
    await wait_until(lambda: window.model.row_of(keep.key) is None, what="row removed")
    assert keep_file.exists()  # "remove from list" keeps the files
    select(window, drop.key)
    window.actions_by_name["remove_delete"].trigger()
    await wait_until(lambda: window.model.row_of(drop.key) is None, what="row removed")
    # Moved to the desktop's Trash (XDG_DATA_HOME is the test's own), not deleted.
    trashed = trash / "files" / drop_file.name
    await wait_until(lambda: trashed.exists(), what="the file in the Trash")
    assert not drop_file.exists() and trashed.read_bytes() == content_of_drop
    assert drop.dest == manager.downloads_dir and drop.dest.is_dir()  # one file: no folder
    assert manager.registrations() == []


async def test_filter_and_search(qtbot, manager: FetchManager, ui_state, tmp_path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    proxy = window.proxy

    def titles() -> list[str]:
        return [proxy.index(r, Column.TITLE).data() for r in range(proxy.rowCount())]

    assert len(titles()) == 5
    window.filter_combo.setCurrentText("Done")
    assert sorted(titles()) == ["Podcast episode", "Ubuntu ISO"]
    window.filter_combo.setCurrentText("Failed")
    assert sorted(titles()) == ["Conference talk", "Old build"]
    window.filter_combo.setCurrentText("Active")
    assert titles() == ["Holiday photos"]
    window.filter_combo.setCurrentText("All")
    window.search_edit.setText("  ubuntu ")
    assert titles() == ["Ubuntu ISO"]
    window.search_edit.clear()
    assert "5 in the list" in window._summary_label.text()

    # An active fetch that finishes leaves the "Active" view by itself.
    window.filter_combo.setCurrentText("Active")
    paused = manager.find("paused-1")
    await manager.abort(paused)
    await wait_until(lambda: titles() == [], what="aborted fetch filtered out")


async def test_sorting_by_a_column(qtbot, manager: FetchManager, ui_state, tmp_path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.view.sortByColumn(Column.TITLE, Qt.SortOrder.AscendingOrder)
    proxy = window.proxy
    titles = [proxy.index(r, Column.TITLE).data() for r in range(proxy.rowCount())]
    assert titles == sorted(titles, key=str.casefold)


async def test_window_state_is_remembered(qtbot, manager: FetchManager, tmp_path) -> None:
    state = QSettings(str(tmp_path / "state.ini"), QSettings.Format.IniFormat)
    first = make_window(qtbot, manager, state, tmp_path)
    first.resize(700, 450)  # the offscreen screen is 800x600
    first.view.horizontalHeader().resizeSection(Column.SIZE, 222)
    first.filter_combo.setCurrentText("Failed")
    first.save_state()

    second = make_window(qtbot, manager, QSettings(str(tmp_path / "state.ini"),
                                                   QSettings.Format.IniFormat), tmp_path)
    assert second.view.horizontalHeader().sectionSize(Column.SIZE) == 222
    assert second.filter_combo.currentText() == "Failed"
    assert second.size().width() == 700


async def test_close_hides_and_ctrl_q_quits(qtbot, manager: FetchManager, ui_state, tmp_path):
    window = make_window(qtbot, manager, ui_state, tmp_path)
    with qtbot.waitExposed(window):
        window.show()
    event = QCloseEvent()
    window.closeEvent(event)
    assert not event.isAccepted() and not window.isVisible()

    with qtbot.waitActive(window):  # shortcuts go to the active window only
        window.show()
        window.activateWindow()
    quits: list[bool] = []
    window.quit_requested.connect(lambda: quits.append(True))
    asked: list[str] = []
    window.ask_quit = lambda text: (asked.append(text) or True, True)  # type: ignore[assignment]
    qtbot.keyClick(window.view, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    assert quits == [True]
    # One fetch (paused) is unfinished: asked once, saying it resumes at the next start.
    assert asked == ["1 fetch is not finished. It continues where it stopped the next "
                     "time bgfetch starts.\n\nQuit now?"]
    window.actions_by_name["quit"].trigger()  # "do not ask again" was ticked
    assert quits == [True, True] and len(asked) == 1
    assert window.actions_by_name["new"].shortcut().toString() == "Ctrl+N"

    window.hide_on_close = False  # no tray: closing is quitting
    window.close()
    assert quits == [True, True, True]


def _drop(window: MainWindow, mime: QMimeData) -> None:
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)


async def test_dropping_urls_and_manifests(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    mime = QMimeData()
    mime.setUrls([QUrl("https://example.org/a.mp3"), QUrl("https://example.org/b.jpg")])
    _drop(window, mime)
    dialogs = window.findChildren(NewFetchDialog)
    assert len(dialogs) == 1
    assert dialogs[0].urls_edit.toPlainText() == "https://example.org/a.mp3\nhttps://example.org/b.jpg"
    dialogs[0].close()

    manifest = tmp_path / "ep-5.bgfetch"
    manifest.write_text(json.dumps({
        "id": "ep-5",
        "requests": [fault_server.url("ep5.mp3", size=500)],
        "options": {"title": "Episode 5", "downloadTotal": 1000},
    }))
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(manifest))])
    _drop(window, mime)
    await wait_until(lambda: manager.get_ids() == ["ep-5"] or bool(
        [r for r in manager.registrations() if r.id == "ep-5"]), what="manifest registered")
    reg = manager.find("ep-5")
    assert reg.title == "Episode 5" and reg.download_total == 1000


async def test_new_fetch_dialog_registers_on_accept(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    registered: list[str] = []
    window.fetch_registered.connect(registered.append)
    dialog = window.new_fetch([fault_server.url("n.bin", size=100)])
    dialog.title_edit.setText("From the dialog")
    dialog.dest_edit.setText(str(tmp_path / "chosen"))
    dialog.ok_button.click()
    await wait_until(lambda: bool(registered), what="registered")
    reg = manager.find(registered[0])
    assert reg.title == "From the dialog"
    assert reg.dest == tmp_path / "chosen"
    await wait_until(lambda: window.select_key(reg.key), what="row shown")


async def test_settings_apply_to_engine_file_and_autostart(
    qtbot, manager: FetchManager, ui_state, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(autostart, "supported", lambda: True)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    window = make_window(qtbot, manager, ui_state, tmp_path)
    dialog = window.open_settings()
    dialog.fetches_spin.setValue(5)
    dialog.speed_edit.setText("2M")
    dialog.login_check.setChecked(True)
    dialog.buttons.accepted.emit()
    assert manager.settings.max_active_fetches == 5
    assert manager.limiter.rate == 2 * MB
    assert Settings.load(tmp_path).max_active_fetches == 5
    entry = tmp_path / "config" / "autostart" / "bgfetch.desktop"
    assert "Exec=" in entry.read_text() and "--minimized" in entry.read_text()

    dialog = window.open_settings()
    assert dialog.login_check.isChecked()
    dialog.speed_edit.setText("fast")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Ok).isEnabled()
    dialog.speed_edit.setText("")
    dialog.login_check.setChecked(False)
    dialog.buttons.accepted.emit()
    assert not entry.exists()
    assert manager.limiter.rate == 0


async def test_timeouts_retries_metered_and_notification_events_are_in_the_dialog(
    qtbot, manager: FetchManager, ui_state, tmp_path
) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    dialog = window.open_settings()
    assert dialog.connect_spin.value() == 15 and dialog.stall_spin.value() == 30
    assert dialog.retries_spin.value() == manager.settings.max_retries
    dialog.connect_spin.setValue(20)
    dialog.stall_spin.setValue(45)
    dialog.retries_spin.setValue(9)
    dialog.metered_check.setChecked(True)
    dialog.notify_progress_check.setChecked(False)
    dialog.notify_check.setChecked(False)
    assert not dialog.notify_done_check.isEnabled()  # no notifications: no choice of events
    dialog.buttons.accepted.emit()
    saved = Settings.load(tmp_path)
    assert (saved.connect_timeout, saved.stall_timeout, saved.max_retries) == (20.0, 45.0, 9)
    assert saved.hold_on_metered and not saved.notify_progress and not saved.notifications
    assert saved.notify_done and saved.notify_failed
    assert manager.settings.max_retries == 9
