"""What the window says (issue 11): failures, retries, totals and counts, rows that stay put.

A real engine on a temporary SQLite file downloads from the fault server on 127.0.0.1
(or tries a closed port); the window is real, offscreen.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.events import EventKind, FetchEvent  # noqa: E402
from bgfetch_gui.engine.model import FailureReason, FetchOptions, State  # noqa: E402
from bgfetch_gui.qt import QEvent, QGuiApplication, Qt  # noqa: E402
from bgfetch_gui.ui import present  # noqa: E402
from bgfetch_gui.ui.fetch_model import Column, Role  # noqa: E402
from bgfetch_gui.ui.files_dialog import FilesDialog  # noqa: E402
from tests.gui.test_main_window import make_window, select  # noqa: E402
from tests.gui.ui_fixtures import MB, EngineFactory, make_snapshot, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


def closed_port() -> int:
    """A loopback port nobody listens on: connecting to it is refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_a_failure_names_the_file_and_the_status(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path: Path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    reg = await manager.fetch("ep-5", [fault_server.url("ep-5.mp3", size=1000),
                                       fault_server.url("ep-5.jpg", status=404)],
                              FetchOptions(title="Episode 5"))
    await wait_until(lambda: not reg.active, what="failed")
    window.model.flush()
    row = window.model.row_of(reg.key)
    # The other file completed (issue 9, rule 6), so the count leads.
    words = "1 of 2 files; ep-5.jpg: the server answered 404 Not Found"
    assert window.model.index(row, Column.STATE).data() == words
    assert words in window.model.index(row, Column.TITLE).data(Qt.ItemDataRole.ToolTipRole)
    snap = reg.snapshot()
    assert (snap.problem_file, snap.problem_status) == ("ep-5.jpg", 404)
    assert snap.to_json()["problem_status"] == 404  # show --json keeps the detail


async def test_retrying_counts_down_and_says_why(
    qtbot, engines: EngineFactory, ui_state, tmp_path: Path
) -> None:
    manager = await engines(max_retries=7, retry_base_delay=30.0, retry_max_delay=30.0)
    window = make_window(qtbot, manager, ui_state, tmp_path)
    reg = await manager.fetch("down", [f"http://127.0.0.1:{closed_port()}/clip.bin"])
    await wait_until(lambda: reg.state == State.RETRYING, what="retrying")
    window.model.flush()
    index = window.model.index(window.model.row_of(reg.key), Column.STATE)
    pattern = re.compile(r"Retrying in (\d+) s \(connection refused, try 2 of 8\)")
    first = pattern.fullmatch(index.data())
    assert first, index.data()
    # The countdown moves without any event from the engine.
    await wait_until(lambda: (m := pattern.fullmatch(index.data())) is not None
                     and int(m.group(1)) < int(first.group(1)), timeout=5, what="countdown")


def test_retry_and_failure_words_without_an_engine() -> None:
    retrying = make_snapshot(1, state=State.RETRYING, retry_at=112.0, attempt=3, max_attempts=8,
                             problem="HTTP 503", problem_code="http-status", problem_status=503)
    assert present.state_words(retrying, now=100.0) == \
        "Retrying in 12 s (the server answered 503 Service Unavailable, try 3 of 8)"
    stalled = make_snapshot(2, state=State.RETRYING, retry_at=100.0, problem="stalled",
                            problem_code="stalled")
    assert present.state_words(stalled, now=100.0) == "Retrying now (the server stopped sending)"
    network = make_snapshot(3, result="failure", state=State.FAILURE,
                            failure_reason=FailureReason.FETCH_ERROR,
                            problem="cannot connect: Cannot connect to host 127.0.0.1:9 "
                                    "ssl:default [Connect call failed ('127.0.0.1', 9)]",
                            problem_code="connection-refused")
    assert present.state_words(network) == "Failed: connection refused"
    aborted = make_snapshot(4, result="failure", state=State.FAILURE,
                            failure_reason=FailureReason.ABORTED)
    assert present.state_words(aborted) == "Cancelled"


def test_totals_count_each_state_and_say_what_is_unknown() -> None:
    snaps = [make_snapshot(1, downloaded=MB, expected_size=4 * MB, speed=float(MB)),
             *(make_snapshot(k, state=State.QUEUED) for k in range(2, 28)),
             make_snapshot(28, state=State.PAUSED, downloaded=MB, expected_size=4 * MB),
             make_snapshot(29, state=State.WAITING_FOR_NETWORK, downloaded=MB)]
    summary = present.summarize(snaps)
    assert present.status_line(summary, 29, 29) == (
        "1 downloading · 26 queued · 1 paused · 1 waiting for network · "
        "25% of 8.0 MiB (27 of unknown size) · 1.0 MiB/s   —   29 in the list")


async def test_the_count_is_right_after_removing_rows_while_sorted(
    qtbot, manager, ui_state, tmp_path: Path
) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.view.sortByColumn(int(Column.STATE), Qt.SortOrder.AscendingOrder)
    regs = manager.registrations()
    assert window._summary_label.text().endswith("5 in the list")
    select(window, regs[1].key)
    window.actions_by_name["remove"].trigger()
    await wait_until(lambda: window.model.rowCount() == 4, what="removed")
    assert window._summary_label.text().endswith("4 in the list")
    select(window, regs[2].key, regs[3].key)
    window.actions_by_name["remove"].trigger()
    await wait_until(lambda: window.model.rowCount() == 2, what="removed two")
    assert window._summary_label.text().endswith("2 in the list")


async def test_rows_stay_put_under_the_pointer(qtbot, manager, ui_state, tmp_path: Path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.view.sortByColumn(int(Column.PROGRESS), Qt.SortOrder.AscendingOrder)

    def order() -> list[str]:
        return [window.proxy.index(r, 0).data(Role.ID) for r in range(window.proxy.rowCount())]

    before = order()
    photos = manager.find("paused-1")
    assert before.index("paused-1") == 2  # 40%: after the two at 25%, before the done ones
    window.eventFilter(window.view.viewport(), QEvent(QEvent.Type.Enter))
    # The engine reports its bytes gone (the server sent the whole file again).
    restarted = dataclasses.replace(photos.snapshot(), downloaded=0)
    window.model.on_event(FetchEvent(EventKind.PROGRESS, restarted))
    window.model.flush()
    assert order() == before  # the row stays under the pointer
    window.eventFilter(window.view.viewport(), QEvent(QEvent.Type.Leave))
    assert order()[0] == "paused-1"  # 0% sorts first once the pointer has left


async def test_the_first_close_to_the_tray_says_so_once(
    qtbot, manager, ui_state, tmp_path: Path
) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    told: list[bool] = []
    window.closed_to_tray.connect(lambda: told.append(True))
    for _ in range(2):
        window.show()
        window.close()
        assert not window.isVisible()
    assert told == [True]
    # Also across starts: the window of the next run does not say it again.
    again = make_window(qtbot, manager, ui_state, tmp_path)
    again.closed_to_tray.connect(lambda: told.append(True))
    again.show()
    again.close()
    assert told == [True]


async def test_help_opens_the_readme(qtbot, manager, ui_state, tmp_path: Path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    help_menu = next(m.menu() for m in window.menuBar().actions() if m.text() == "&Help")
    assert [a.text() for a in help_menu.actions() if not a.isSeparator()] == [
        "Read the &manual (README)", "&About bgfetch"]
    window.actions_by_name["readme"].trigger()
    assert [u.toString() for u in window.opened] == ["https://github.com/bgfetch/bgfetch#readme"]


async def test_the_files_dialog_follows_each_file(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path: Path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    reg = await manager.fetch("ep-5", [fault_server.url("ep-5.mp3", size=3000),
                                       fault_server.url("ep-5.jpg", status=404)],
                              FetchOptions(title="Episode 5"))
    await wait_until(lambda: not reg.active, what="failed")
    select(window, reg.key)
    window.actions_by_name["show_files"].trigger()
    dialog = window.findChildren(FilesDialog)[0]
    tree = dialog.tree
    rows = [[tree.topLevelItem(r).text(c) for c in range(5)] for r in range(2)]
    assert rows[1][0] == "ep-5.jpg"
    assert rows[1][3] == "the server answered 404 Not Found"
    # The mp3 may have finished before the jpg's 404 stopped the fetch, or not.
    assert rows[0][0] == "ep-5.mp3" and rows[0][3] in ("Done", "Stopped", "Not started")
    if rows[0][3] == "Done":
        assert rows[0][1:3] == ["100%", "2.9 KiB"]
        assert rows[0][4] == str(reg.dest / "ep-5.mp3")  # the full path, elided in the middle
    assert tree.textElideMode() == Qt.TextElideMode.ElideMiddle
    assert dialog.summary.text().endswith("ep-5.jpg: the server answered 404 Not Found")
    assert tree.accessibleName() == "Files of Episode 5"

    menu = dialog.context_menu_for(tree.topLevelItem(1))
    names = [a.text() for a in menu.actions() if not a.isSeparator()]
    assert names == ["&Open", "Open &folder", "Copy &URL", "Copy &path", "Copy SHA-&256",
                     "&Retry the failed files", "Replace &URL…", "Retry this &file",
                     "&Skip this file"]
    actions = {a.text(): a for a in menu.actions()}
    assert not actions["&Open"].isEnabled()  # nothing to open: it failed
    assert not actions["Copy SHA-&256"].isEnabled()  # nor to hash
    actions["Copy &URL"].trigger()
    assert QGuiApplication.clipboard().text() == fault_server.url("ep-5.jpg", status=404)
    requests_before = len(fault_server.requests_for("ep-5.jpg"))
    actions["&Retry the failed files"].trigger()
    await wait_until(lambda: len(fault_server.requests_for("ep-5.jpg")) > requests_before,
                     what="the failed file asked for again")
    await wait_until(lambda: reg.result == "failure", what="failed again")
    dialog.close()


async def test_the_files_dialog_says_why_a_file_failed(
    qtbot, engines: EngineFactory, ui_state, tmp_path: Path
) -> None:
    manager = await engines(max_retries=0)
    reg = await manager.fetch("down", [f"http://127.0.0.1:{closed_port()}/clip.bin"])
    await wait_until(lambda: not reg.active, what="failed")
    dialog = FilesDialog(reg, make_window(qtbot, manager, ui_state, tmp_path))
    assert dialog.tree.topLevelItem(0).text(3) == "connection refused"
