"""Paints the Progress column as a progress bar, drawn by the style.

Going through ``QStyle.drawControl(CE_ProgressBar)`` with the view's palette
means the bar looks native under every style and follows light and dark
themes; nothing here picks a colour of its own.
"""

from __future__ import annotations

from bgfetch_gui.engine.model import State
from bgfetch_gui.qt import (
    QApplication,
    QModelIndex,
    QObject,
    QPainter,
    QPalette,
    QPersistentModelIndex,
    QSize,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionProgressBar,
    QStyleOptionViewItem,
    Qt,
)
from bgfetch_gui.ui.fetch_model import Column, Role

AnyIndex = QModelIndex | QPersistentModelIndex

RESOLUTION = 1000  # bar steps: smooth enough at any column width
MARGIN_X = 6
BAR_HEIGHT = 16


class ProgressDelegate(QStyledItemDelegate):
    """Draws a bar in ``column``; other columns are painted the usual way."""

    def __init__(self, parent: QObject | None = None, column: int = Column.PROGRESS) -> None:
        super().__init__(parent)
        self.column = column

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: AnyIndex) -> None:
        if index.column() != self.column:
            super().paint(painter, option, index)
            return
        # The cell background first (selection, alternating rows), without text.
        background = QStyleOptionViewItem(option)
        self.initStyleOption(background, index)
        background.text = ""
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, background, painter, widget)

        bar = progress_option(option, index)
        painter.save()
        style.drawControl(QStyle.ControlElement.CE_ProgressBar, bar, painter, widget)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: AnyIndex) -> QSize:
        hint = super().sizeHint(option, index)
        if index.column() == self.column:
            hint.setWidth(max(hint.width(), 140))
            hint.setHeight(max(hint.height(), BAR_HEIGHT + 8))
        return hint


def progress_option(option: QStyleOptionViewItem, index: AnyIndex) -> QStyleOptionProgressBar:
    """The style option of one cell's bar: range, value, text and palette."""
    fraction = index.data(Role.FRACTION)
    state = index.data(Role.STATE)
    bar = QStyleOptionProgressBar()
    widget = option.widget
    if widget is not None:
        bar.initFrom(widget)
    rect = option.rect.adjusted(MARGIN_X, 0, -MARGIN_X, 0)
    height = min(BAR_HEIGHT, rect.height() - 4)
    rect.setTop(rect.top() + (rect.height() - height) // 2)
    rect.setHeight(height)
    bar.rect = rect
    bar.palette = QPalette(option.palette)
    bar.state = QStyle.StateFlag.State_Horizontal
    active = state not in (State.PAUSED, State.FAILURE, State.QUEUED, State.WAITING_FOR_NETWORK)
    if active:
        bar.state |= QStyle.StateFlag.State_Enabled
    else:
        # A paused or failed fetch's bar is drawn as disabled: still readable, clearly idle.
        bar.palette.setCurrentColorGroup(QPalette.ColorGroup.Disabled)
    bar.minimum = 0
    bar.maximum = RESOLUTION
    bar.textVisible = True
    bar.textAlignment = Qt.AlignmentFlag.AlignCenter
    if fraction is None:
        bar.progress = 0
        bar.text = "—" if state != State.SUCCESS else "100%"
    else:
        bar.progress = round(fraction * RESOLUTION)
        bar.text = f"{fraction * 100:.0f}%"
    return bar
