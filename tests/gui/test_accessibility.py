"""Accessibility (issue 11, point 17): every control has a name a screen reader can say,
the progress cells are read as words, and the window works from the keyboard alone.

The names are read through Qt's own accessibility interfaces (what AT-SPI publishes on
Linux), not from widget properties, so a label's buddy or a button's text counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QAbstractSpinBox

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.qt import (  # noqa: E402
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    Qt,
    QWidget,
)
from bgfetch_gui.ui.files_dialog import FilesDialog  # noqa: E402
from tests.gui.test_main_window import make_window  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

CONTROLS = (QPushButton, QLineEdit, QPlainTextEdit, QComboBox, QCheckBox, QSpinBox,
            QDoubleSpinBox, QAbstractItemView)


def spoken_name(widget: QWidget) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None, widget
    return interface.text(QAccessible.Text.Name)


def unnamed(root: QWidget) -> list[str]:
    """Visible controls under ``root`` a screen reader would have no name for."""
    missing = []
    for kind in CONTROLS:
        for widget in root.findChildren(kind):
            inner = isinstance(widget.parentWidget(), QAbstractSpinBox | QComboBox)
            if widget.isVisibleTo(root) and not inner and not spoken_name(widget).strip():
                missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing


async def test_every_control_has_a_name(qtbot, manager, ui_state, tmp_path: Path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.show()
    assert unnamed(window) == []
    assert spoken_name(window.view) == "Fetches"
    assert spoken_name(window.search_edit) == "Search titles"
    toolbar_names = {spoken_name(w) for w in window.toolbar.findChildren(QWidget)
                     if w.isVisibleTo(window)}
    assert {"New fetch…", "Pause", "Resume", "Abort…", "Retry", "Open folder"} <= toolbar_names
    settings = window.open_settings()
    assert unnamed(settings) == []
    assert spoken_name(settings.retries_spin) == "Retries:"
    dialog = window.new_fetch()
    assert unnamed(dialog) == []
    assert spoken_name(dialog.urls_edit) == "URLs:"
    assert spoken_name(dialog.total_edit) == "Download total:"


def cells(view: QWidget) -> dict[str, str]:
    """Every cell the table publishes: its description ("Progress of …") -> its name."""
    table = QAccessible.queryAccessibleInterface(view)
    found = {}
    for n in range(table.childCount()):
        child = table.child(n)
        if child is not None and child.role() == QAccessible.Role.Cell:
            found[child.text(QAccessible.Text.Description)] = child.text(QAccessible.Text.Name)
    return found


async def test_a_progress_cell_is_read_as_words(qtbot, manager, ui_state, tmp_path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.show()
    window.model.flush()
    read = cells(window.view)
    assert read["Progress of Holiday photos"] == "Holiday photos, 40 percent, paused"
    assert read["Progress of Ubuntu ISO"] == "Ubuntu ISO, 100 percent, done"
    assert read["Status of Old build"] == "Cancelled"
    assert read["Size of Podcast episode"] == "4.0 MiB"


async def test_the_window_works_from_the_keyboard(qtbot, manager, ui_state, tmp_path) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.search_edit.setFocus()
    qtbot.keyClick(window.search_edit, Qt.Key.Key_Tab)
    assert window.filter_combo.hasFocus()
    qtbot.keyClick(window.filter_combo, Qt.Key.Key_Tab)
    assert window.view.hasFocus()
    # Arriving in the list puts the focus on a row, selected, so actions apply to it.
    assert window.view.currentIndex().isValid()
    assert len(window.selected_snapshots()) == 1
    first = window.selected_snapshots()[0]
    qtbot.keyClick(window.view, Qt.Key.Key_Down)
    second = window.selected_snapshots()[0]
    assert second.key != first.key
    qtbot.keyClick(window.view, Qt.Key.Key_Return)  # Enter opens the fetch's folder
    assert [u.toLocalFile() for u in window.opened] == [str(second.dest)]
    # The action shortcuts work from the list: Ctrl+I shows the files of the focused row.
    qtbot.keyClick(window.view, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    dialogs = window.findChildren(FilesDialog)
    assert len(dialogs) == 1 and dialogs[0].reg.key == second.key
    dialogs[0].close()
