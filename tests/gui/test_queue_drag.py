"""Dragging rows of the fetch list reorders the queue (docs/contracts.md §10): the drop
events a real drag delivers to the list, through the view, its sorting proxy and the
model, into the engine's queue, which decides the next start."""

from __future__ import annotations

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.model import State  # noqa: E402
from bgfetch_gui.engine.registration import Registration  # noqa: E402
from bgfetch_gui.qt import (  # noqa: E402
    QApplication,
    QDragEnterEvent,
    QDropEvent,
    QMimeData,
    QPoint,
    QPointF,
    Qt,
)
from bgfetch_gui.ui.main_window import MainWindow  # noqa: E402
from bgfetch_gui.ui.new_fetch_dialog import NewFetchDialog  # noqa: E402
from bgfetch_gui.ui.queue_drag import MIME_TYPE, dropped_keys  # noqa: E402
from tests.gui.queue_fixtures import four_in_one_slot, start_order  # noqa: E402
from tests.gui.test_main_window import make_window, select  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


def drag_selection(window: MainWindow) -> QMimeData:
    """What the view hands a drag of its selected rows (QAbstractItemView.startDrag)."""
    return window.proxy.mimeData(window.view.selectionModel().selectedIndexes())


def drop_above(window: MainWindow, data: QMimeData, reg: Registration | None) -> bool:
    """Deliver enter, move and drop just inside the top of ``reg``'s row (below the last
    row for None) to the list, as the window system does during a drag."""
    view = window.view
    if reg is None:
        last = view.visualRect(window.proxy.index(window.proxy.rowCount() - 1, 0))
        point = QPoint(20, last.bottom() + 10)
    else:
        row = window.proxy.mapFromSource(window.model.index(window.model.row_of(reg.key), 0))
        point = view.visualRect(row).topLeft() + QPoint(20, 1)
    where = QPointF(point)
    move, none = Qt.DropAction.MoveAction, Qt.MouseButton.NoButton
    modifiers = Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(point, move, data, none, modifiers)
    QApplication.sendEvent(view.viewport(), enter)
    moving = QDropEvent(where, move, data, none, modifiers, QDropEvent.Type.DragMove)
    QApplication.sendEvent(view.viewport(), moving)
    drop = QDropEvent(where, move, data, none, modifiers)
    QApplication.sendEvent(view.viewport(), drop)
    return enter.isAccepted()


async def test_dragging_rows_moves_fetches_in_the_queue(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    manager = await engines(max_active_fetches=1, stall_timeout=60.0)
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.show()
    started = start_order(manager)
    async with four_in_one_slot(manager, fault_server, "drag-a") as (a, b, c, d):
        window.model.flush()  # rows, newest first: d, c, b, a

        select(window, d.key, c.key)
        data = drag_selection(window)
        assert dropped_keys(data) == [d.key, c.key]
        assert drop_above(window, data, b)  # above b: they start before it
        assert [r.id for r in manager.queue()] == ["a", "c", "d", "b"]
        assert "Moved to place 2 in the queue" in window.statusBar().currentMessage()

        select(window, c.key)
        drop_above(window, drag_selection(window), None)  # below every row: the bottom
        assert [r.id for r in manager.queue()] == ["a", "d", "b", "c"]
        assert a.state == State.DOWNLOADING and b.state == State.QUEUED  # nothing preempted
    await wait_until(lambda: all(r.result == "success" for r in (a, b, c, d)), 20,
                     what="every fetch to finish")
    assert started == ["a", "d", "b", "c"]


async def test_settled_rows_do_not_drag_and_urls_still_reach_the_window(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.show()
    done = await manager.fetch("done", fault_server.url("done.bin", size=100))
    await wait_until(lambda: done.result == "success", 20, what="the fetch to finish")
    window.model.flush()
    index = window.model.index(window.model.row_of(done.key), 0)
    assert not window.model.flags(index) & Qt.ItemFlag.ItemIsDragEnabled
    assert dropped_keys(window.model.mimeData([index])) == []

    # A link dragged from a browser is not the list's: the window still takes it.
    links = QMimeData()
    links.setText("https://example.com/file.iso")
    assert MIME_TYPE not in links.formats()
    drop_above(window, links, done)
    dialogs = [w for w in QApplication.topLevelWidgets()
               if isinstance(w, NewFetchDialog) and w.isVisible()]
    assert [d.urls_edit.toPlainText() for d in dialogs] == ["https://example.com/file.iso"]


def shown_order(window: MainWindow) -> list[str]:
    """The ids as the list shows them, top to bottom, with their Queue column."""
    from bgfetch_gui.ui.fetch_model import Column, Role

    proxy = window.proxy
    return [f"{proxy.index(row, 0).data(Role.ID)}:{proxy.index(row, Column.QUEUE).data()}"
            for row in range(proxy.rowCount())]


async def test_sorted_by_queue_a_drag_or_move_up_visibly_moves_the_row_and_the_sort_is_kept(
    qtbot, engines: EngineFactory, fault_server: FaultServer, ui_state, tmp_path
) -> None:
    from bgfetch_gui.ui.fetch_model import Column
    from bgfetch_gui.ui.queue_menu import queue_menu

    manager = await engines(max_active_fetches=1, stall_timeout=60.0)
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.show()
    async with four_in_one_slot(manager, fault_server, "queue-view") as (a, b, c, d):
        window.model.flush()
        assert shown_order(window) == ["d:4", "c:3", "b:2", "a:1"]  # newest first
        window.view.horizontalHeader().setSortIndicator(Column.QUEUE,
                                                         Qt.SortOrder.AscendingOrder)
        assert shown_order(window) == ["a:1", "b:2", "c:3", "d:4"]

        window.hold_sorting(True)  # the pointer is over the list, as during a drag
        select(window, d.key)
        assert drop_above(window, drag_selection(window), b)
        window.model.flush()
        assert shown_order(window) == ["a:1", "d:2", "b:3", "c:4"]

        menu = queue_menu(window, manager, [c])
        (up,) = [action for action in menu.actions() if action.text() == "Move &up"]
        up.trigger()
        window.model.flush()
        assert shown_order(window) == ["a:1", "d:2", "c:3", "b:4"]

        # A settled fetch, the newest: first in the model, last as shown. A drop above
        # it is below every active row, so the bottom of the queue.
        x = await manager.fetch("x", fault_server.url("x.bin", size=1000))
        await manager.abort(x)
        window.model.flush()
        window.hold_sorting(False)  # the pointer leaves: the new row takes its place
        window.hold_sorting(True)
        assert shown_order(window) == ["a:1", "d:2", "c:3", "b:4", "x:"]
        select(window, d.key)
        assert drop_above(window, drag_selection(window), x)
        window.model.flush()
        assert shown_order(window) == ["a:1", "c:2", "b:3", "d:4", "x:"]

        window.save_state()  # the sort is kept in ui-state with the columns
        again = make_window(qtbot, manager, ui_state, tmp_path)
        again.model.flush()
        assert again.proxy.sortColumn() == Column.QUEUE
        assert shown_order(again) == ["a:1", "c:2", "b:3", "d:4", "x:"]
    await wait_until(lambda: all(r.result == "success" for r in (a, b, c, d)), 20,
                     what="every fetch to finish")
    window.model.flush()
    assert sorted(shown_order(window)) == ["a:", "b:", "c:", "d:", "x:"]  # settled: no place
