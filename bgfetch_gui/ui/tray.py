"""The tray icon: bgfetch's presence while its window is closed.

It shows the app icon with a ring of the overall progress painted over it
while anything runs, a tooltip like ``3 fetches · 45% · 2.1 MB/s``, and a
menu (Show, New fetch, Pause all, Resume all, Quit). A click toggles the
window. Where the desktop has no tray, the caller keeps a normal window.
"""

from __future__ import annotations

from bgfetch_gui.qt import (
    QAction,
    QColor,
    QIcon,
    QMenu,
    QObject,
    QPainter,
    QPen,
    QPixmap,
    QRectF,
    QSystemTrayIcon,
    Qt,
    Signal,
)
from bgfetch_gui.ui import present
from bgfetch_gui.ui.present import Summary

ICON_SIZES = (16, 22, 24, 32, 48, 64)
RING_COLOR = QColor("#2fb344")  # reads on the blue icon and on light or dark panels
TRACK_COLOR = QColor(128, 128, 128, 150)  # visible on light and dark panels


def progress_pixmap(base: QIcon, size: int, fraction: float | None) -> QPixmap:
    """``base`` at ``size`` px with a progress ring over it (none if ``fraction`` is None).

    An unknown total still gets the ring's track, so "something runs" shows.
    """
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    inset = max(1.0, size / 8)
    # The app icon shrinks a little so the ring sits around it, not on it.
    base.paint(painter, round(inset), round(inset), round(size - 2 * inset),
               round(size - 2 * inset))
    width = max(1.5, size / 9)
    rect = QRectF(width / 2, width / 2, size - width, size - width)
    painter.setPen(QPen(TRACK_COLOR, width))
    painter.drawEllipse(rect)
    if fraction is not None and fraction > 0:
        pen = QPen(RING_COLOR, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        painter.setPen(pen)
        # Qt angles are 1/16 degree, counter-clockwise from 3 o'clock: start
        # at 12 and go clockwise like every progress ring.
        painter.drawArc(rect, 90 * 16, -round(min(1.0, fraction) * 360 * 16))
    painter.end()
    return pixmap


def progress_icon(base: QIcon, fraction: float | None) -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(progress_pixmap(base, size, fraction))
    return icon


class Tray(QObject):
    """Owns the QSystemTrayIcon and its menu; the app connects the signals."""

    show_requested = Signal()
    toggle_requested = Signal()
    new_fetch_requested = Signal()
    pause_all_requested = Signal()
    resume_all_requested = Signal()
    quit_requested = Signal()

    def __init__(self, base_icon: QIcon, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._base = base_icon
        self._last_key: tuple[bool, int] | None = None
        self.icon = QSystemTrayIcon(base_icon, self)
        self.icon.setToolTip("bgfetch")
        self.menu = QMenu()
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, signal in (
            ("show", "&Show bgfetch", self.show_requested),
            ("new", "&New fetch…", self.new_fetch_requested),
            (None, "", None),
            ("pause_all", "&Pause all", self.pause_all_requested),
            ("resume_all", "&Resume all", self.resume_all_requested),
            (None, "", None),
            ("quit", "&Quit", self.quit_requested),
        ):
            if name is None or signal is None:
                self.menu.addSeparator()
                continue
            action = self.menu.addAction(text)
            action.triggered.connect(signal.emit)
            self.actions_by_name[name] = action
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.update_summary(Summary())

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def update_summary(self, summary: Summary) -> None:
        """Tooltip, ring and menu state for the fetches' overall progress."""
        text = present.summary_text(summary)
        self.icon.setToolTip(f"bgfetch\n{text}" if summary.active else "bgfetch")
        self.actions_by_name["pause_all"].setEnabled(summary.active > summary.paused)
        self.actions_by_name["resume_all"].setEnabled(summary.paused > 0)
        running = summary.running > 0
        fraction = summary.fraction
        # Repaint only when the ring visibly changes (in 1% steps).
        key = (running, -1 if fraction is None else round(fraction * 100))
        if key == self._last_key:
            return
        self._last_key = key
        if running:
            self.icon.setIcon(progress_icon(self._base, fraction))
        else:
            self.icon.setIcon(self._base)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.toggle_requested.emit()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.new_fetch_requested.emit()
