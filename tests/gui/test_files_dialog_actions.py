"""The Files dialog's per-file actions (docs/contracts.md §13): Replace URL…, Retry this
file, Skip this file, on a real engine downloading from the fault server; the window is
real, offscreen."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.model import FetchOptions  # noqa: E402
from bgfetch_gui.qt import QMenu  # noqa: E402
from bgfetch_gui.ui import present  # noqa: E402
from bgfetch_gui.ui.files_dialog import FileColumn, FilesDialog, ReplaceUrlDialog  # noqa: E402
from tests.gui.test_main_window import make_window, select  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer, content_sha256  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

KiB = 1 << 10
FILE_ACTIONS = ["Replace &URL…", "Retry this &file", "&Skip this file"]


def file_actions(menu: QMenu) -> dict[str, tuple[bool, str]]:
    """Each per-file action: (enabled, why not, in its tooltip)."""
    return {a.text(): (a.isEnabled(), "" if a.isEnabled() else a.toolTip())
            for a in menu.actions() if a.text() in FILE_ACTIONS}


def trigger(dialog: FilesDialog, number: int, text: str) -> None:
    menu = dialog.context_menu_for(dialog.tree.topLevelItem(number - 1))
    (action,) = [a for a in menu.actions() if a.text() == text]
    assert action.isEnabled(), action.toolTip()
    action.trigger()


async def test_replace_url_retry_and_skip_from_the_files_dialog(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path: Path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    size = 600 * KiB
    expiring = fault_server.url("ep.mp3", size=size, expire_after=200 * KiB,
                                drop_mode="close")  # a FIN: an RST may lose unread bytes
    flaky = fault_server.url("ep.txt", size=KiB, fail=1, fail_status=404)
    broken = fault_server.url("ep.jpg", status=404)
    reg = await manager.fetch("ep", [expiring, flaky, broken], FetchOptions(title="Episode"))
    await wait_until(lambda: not reg.active, what="failed")
    select(window, reg.key)
    window.actions_by_name["show_files"].trigger()
    dialog = window.findChildren(FilesDialog)[0]
    assert dialog.tree.topLevelItem(0).text(FileColumn.STATE) == \
        "the server answered 403 Forbidden"
    assert file_actions(dialog.context_menu_for(dialog.tree.topLevelItem(0))) == {
        text: (True, "") for text in FILE_ACTIONS}

    # Replace URL…: a bad URL is refused next to the line, a good one continues the file.
    trigger(dialog, 1, "Replace &URL…")
    ask = dialog.findChildren(ReplaceUrlDialog)[0]
    assert ask.isVisible() and ask.line.text() == expiring
    ask.line.setText("ftp://example.org/ep.mp3")
    ask.accept()
    assert ask.isVisible() and "only http and https" in ask.error.text()
    mirror = fault_server.url("ep.mp3", size=size)
    ask.line.setText(mirror)
    ask.accept()
    await wait_until(lambda: reg.row.requests[0].complete, what="the mp3 at its new URL")
    record = reg.records()[0]
    assert record.path is not None
    assert hashlib.sha256(record.path.read_bytes()).hexdigest() == content_sha256(size)
    resumed = [r for r in fault_server.requests_for("ep.mp3") if "expire_after" not in r.query]
    assert [r.status for r in resumed] == [206]
    await wait_until(lambda: reg.result == "failure", what="failed again: the others")
    dialog.refresh()
    assert dialog.tree.topLevelItem(0).text(FileColumn.URL) == mirror
    assert dialog.tree.topLevelItem(0).text(FileColumn.STATE) == "Done"
    done = file_actions(dialog.context_menu_for(dialog.tree.topLevelItem(0)))
    assert not done["Retry this &file"][0] and "is complete" in done["Retry this &file"][1]

    # Retry this file: only the txt is asked for again.
    jpg_asked = len(fault_server.requests_for("ep.jpg"))
    trigger(dialog, 2, "Retry this &file")
    await wait_until(lambda: reg.row.requests[1].complete, what="the txt retried")
    await wait_until(lambda: reg.result == "failure", what="failed again: the jpg")
    assert len(fault_server.requests_for("ep.jpg")) == jpg_asked

    # Skip this file: the fetch succeeds with the other two.
    trigger(dialog, 3, "&Skip this file")
    await wait_until(lambda: reg.result == "success", what="success without the jpg")
    dialog.refresh()
    assert dialog.tree.topLevelItem(2).text(FileColumn.STATE) == "Skipped"
    assert dialog.summary.text() == "2 of 3 files; 1 skipped"
    window.model.flush()
    assert present.state_words(reg.snapshot()) == "Done: 2 of 3 files; 1 skipped"
    after = file_actions(dialog.context_menu_for(dialog.tree.topLevelItem(2)))
    assert after == {text: (False, "fetch 'ep' has already succeeded" if text ==
                            "&Skip this file" else "file 3 of fetch 'ep' was skipped")
                     for text in FILE_ACTIONS}
    dialog.close()


async def test_copy_sha256_hashes_a_finished_file_off_the_gui_thread_and_caches_it(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from bgfetch_gui.engine import file_hashes
    from bgfetch_gui.qt import QGuiApplication

    hashed_on: list[threading.Thread] = []
    real_hash_file = file_hashes.hash_file

    def hash_file(path: Path, algorithm: str):  # the real one, noting where it ran
        hashed_on.append(threading.current_thread())
        return real_hash_file(path, algorithm)

    monkeypatch.setattr(file_hashes, "hash_file", hash_file)
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    size = 300 * KiB
    reg = await manager.fetch("h", [fault_server.url("h.bin", size=size),
                                    fault_server.url("gone.bin", status=404)])
    await wait_until(lambda: not reg.active, what="settled")
    select(window, reg.key)
    window.actions_by_name["show_files"].trigger()
    dialog = window.findChildren(FilesDialog)[0]
    menus = [dialog.context_menu_for(dialog.tree.topLevelItem(n)) for n in (0, 1)]
    enabled = [{a.text(): a.isEnabled() for a in m.actions()}["Copy SHA-&256"] for m in menus]
    assert enabled == [True, False]  # only a finished file has one

    QGuiApplication.clipboard().clear()
    trigger(dialog, 1, "Copy SHA-&256")
    await wait_until(lambda: QGuiApplication.clipboard().text() == content_sha256(size),
                     what="the SHA-256 on the clipboard")
    assert dialog.hash_note.text() == f"SHA-256 of h.bin copied: {content_sha256(size)}"
    assert hashed_on and threading.main_thread() not in hashed_on

    hashed_on.clear()  # again: from the cache, hashed no more
    QGuiApplication.clipboard().clear()
    trigger(dialog, 1, "Copy SHA-&256")
    await wait_until(lambda: QGuiApplication.clipboard().text() == content_sha256(size),
                     what="the SHA-256 on the clipboard again")
    assert hashed_on == []
