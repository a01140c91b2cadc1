"""The tray icon: bgfetch's presence while its window is closed.

It shows the app icon with a ring of the overall progress painted over it
while anything runs, a badge when fetches are only paused or waiting for the
network, a tooltip like ``3 downloading · 45% of 1.2 GiB · 2.1 MiB/s``, and a
menu: Show/Hide (matching the window), the running fetches (each with
Pause/Resume and Show), New fetch, Pause all, Resume all, the speed limit,
Open Downloads folder, Settings, Quit. A click toggles the window. Where the
desktop has no tray, the caller keeps a normal window.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Sequence

from bgfetch_gui.engine.model import Snapshot, State
from bgfetch_gui.engine.units import human_size
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
BADGE_COLORS = {"paused": QColor("#f59f00"), "waiting": QColor("#868e96")}
MENU_FETCHES = 8  # running fetches listed in the menu; the window has the rest


class Badge(enum.StrEnum):
    """What the corner of the icon says when nothing runs but something is left."""

    PAUSED = "paused"
    WAITING = "waiting"


def badge_of(summary: Summary) -> Badge | None:
    if summary.running or not summary.active:
        return None
    if summary.waiting_for_network:
        return Badge.WAITING
    return Badge.PAUSED if summary.paused else None


def badge_pixmap(base: QIcon, size: int, badge: Badge) -> QPixmap:
    """``base`` at ``size`` px with a round badge in the lower right corner: two bars
    (paused) or three dots (waiting for the network)."""
    pixmap = base.pixmap(size, size)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    diameter = max(7.0, size * 0.5)
    rect = QRectF(size - diameter, size - diameter, diameter, diameter)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(BADGE_COLORS[badge])
    painter.drawEllipse(rect)
    painter.setBrush(QColor("white"))
    unit = diameter / 7
    if badge == Badge.PAUSED:
        for x in (2.0, 4.0):
            painter.drawRect(QRectF(rect.left() + x * unit, rect.top() + 2 * unit,
                                    unit, 3 * unit))
    else:
        for x in (1.5, 3.5, 5.5):
            painter.drawEllipse(QRectF(rect.left() + (x - 0.5) * unit, rect.top() + 3 * unit,
                                       unit, unit))
    painter.end()
    return pixmap


def badge_icon(base: QIcon, badge: Badge) -> QIcon:
    icon = QIcon()
    for size in ICON_SIZES:
        icon.addPixmap(badge_pixmap(base, size, badge))
    return icon


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


def fetch_line(snap: Snapshot) -> str:
    """``Episode 5 — 45% · downloading``: one running fetch in the tray's menu."""
    name = snap.title or snap.id
    words = present.state_words(snap).split(" (")[0].lower()
    percent = present.percent_text(snap)
    return f"{name} — {percent} · {words}" if percent else f"{name} — {words}"


class Tray(QObject):
    """Owns the QSystemTrayIcon and its menu; the app connects the signals.

    ``fetches()`` gives the active fetches and ``window_visible()`` says
    whether the window shows; both are asked when the menu opens, so the
    menu is current without being rebuilt ten times a second.
    """

    show_requested = Signal()
    toggle_requested = Signal()
    new_fetch_requested = Signal()
    pause_all_requested = Signal()
    resume_all_requested = Signal()
    settings_requested = Signal()
    open_downloads_requested = Signal()
    speed_limit_toggled = Signal(bool)  # True: the configured limit applies
    alt_speed_toggled = Signal(bool)  # True: the alternative limit applies (§9)
    pause_requested = Signal(int)  # a fetch's key
    resume_requested = Signal(int)
    show_fetch_requested = Signal(str)  # a fetch's id
    quit_requested = Signal()

    def __init__(
        self,
        base_icon: QIcon,
        parent: QObject | None = None,
        *,
        fetches: Callable[[], Sequence[Snapshot]] = list,
        window_visible: Callable[[], bool] = lambda: False,
    ) -> None:
        super().__init__(parent)
        self._base = base_icon
        self._fetches = fetches
        self._window_visible = window_visible
        self._last_key: tuple[bool, int, Badge | None] | None = None
        self.speed_limit = 0  # bytes/s the toggle switches on; 0: none configured
        self.icon = QSystemTrayIcon(base_icon, self)
        self.icon.setToolTip("bgfetch")
        self.menu = QMenu()
        self.menu.setAccessibleName("bgfetch")
        self.fetch_menu_actions: list[QAction] = []
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, signal in (
            ("show", self.tr("&Show bgfetch"), self.toggle_requested),
            (None, "", None),
            ("new", self.tr("&New fetch…"), self.new_fetch_requested),
            ("pause_all", self.tr("&Pause all"), self.pause_all_requested),
            ("resume_all", self.tr("&Resume all"), self.resume_all_requested),
            ("speed_limit", self.tr("&Limit speed"), None),
            ("alt_speed", self.tr("&Alternative limit"), None),
            (None, "", None),
            ("open_downloads", self.tr("Open &Downloads folder"), self.open_downloads_requested),
            ("settings", self.tr("S&ettings…"), self.settings_requested),
            (None, "", None),
            ("quit", self.tr("&Quit"), self.quit_requested),
        ):
            if name is None:
                self.menu.addSeparator()
                continue
            action = self.menu.addAction(text)
            if signal is not None:
                action.triggered.connect(signal.emit)
            self.actions_by_name[name] = action
        self._fetches_anchor = self.menu.actions()[1]  # the separator after Show
        limit = self.actions_by_name["speed_limit"]
        limit.triggered.connect(self._limit_triggered)
        alt = self.actions_by_name["alt_speed"]
        alt.setCheckable(True)
        alt.triggered.connect(lambda checked: self.alt_speed_toggled.emit(checked))
        self.menu.aboutToShow.connect(self.refresh_menu)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.update_summary(Summary())
        self.set_speed_limit(0, active=False)
        self.set_alt_speed(0, active=False)

    @staticmethod
    def available() -> bool:
        return QSystemTrayIcon.isSystemTrayAvailable()

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def set_speed_limit(self, limit: int, *, active: bool) -> None:
        """The configured limit (0: none, so the item opens Settings) and whether it applies."""
        self.speed_limit = limit
        action = self.actions_by_name["speed_limit"]
        action.setCheckable(limit > 0)
        action.setChecked(limit > 0 and active)
        action.setText(self.tr("&Limit speed to {rate}/s").format(rate=human_size(limit))
                       if limit > 0 else self.tr("&Limit speed…"))

    def set_alt_speed(self, limit: int, *, active: bool) -> None:
        """The alternative limit (0: none configured, so no item) and whether it is on."""
        action = self.actions_by_name["alt_speed"]
        action.setVisible(limit > 0)
        action.setChecked(active)
        action.setText(self.tr("&Alternative limit: {rate}/s").format(rate=human_size(limit)))

    def _limit_triggered(self, checked: bool) -> None:
        if self.actions_by_name["speed_limit"].isCheckable():
            self.speed_limit_toggled.emit(checked)
        else:
            self.settings_requested.emit()  # no limit configured yet: that is where to set one

    def refresh_menu(self) -> None:
        """Show/Hide as the window is, and the running fetches, each with its controls."""
        visible = self._window_visible()
        self.actions_by_name["show"].setText(
            self.tr("&Hide bgfetch") if visible else self.tr("&Show bgfetch"))
        for action in self.fetch_menu_actions:
            self.menu.removeAction(action)
            action.deleteLater()
        self.fetch_menu_actions = []
        active = [s for s in self._fetches() if s.active]
        shown = active[:MENU_FETCHES]
        for snap in shown:
            action = QAction(fetch_line(snap), self.menu)
            submenu = QMenu(self.menu)
            if snap.state == State.PAUSED:
                control = submenu.addAction(self.tr("&Resume"))
                control.triggered.connect(lambda _=False, k=snap.key: self.resume_requested.emit(k))
            else:
                control = submenu.addAction(self.tr("&Pause"))
                control.triggered.connect(lambda _=False, k=snap.key: self.pause_requested.emit(k))
            show = submenu.addAction(self.tr("&Show in window"))
            show.triggered.connect(lambda _=False, i=snap.id: self.show_fetch_requested.emit(i))
            action.setMenu(submenu)
            self.fetch_menu_actions.append(action)
        if len(active) > len(shown):
            more = QAction(self.tr("{count} more in the window…").format(
                count=len(active) - len(shown)), self.menu)
            more.triggered.connect(self.show_requested.emit)
            self.fetch_menu_actions.append(more)
        if self.fetch_menu_actions:
            separator = QAction(self.menu)
            separator.setSeparator(True)
            self.fetch_menu_actions.append(separator)
        anchor = self.menu.actions()[self.menu.actions().index(self._fetches_anchor) + 1]
        self.menu.insertActions(anchor, self.fetch_menu_actions)

    def update_summary(self, summary: Summary) -> None:
        """Tooltip, ring or badge, and menu state for the fetches' overall progress."""
        text = present.summary_text(summary)
        self.icon.setToolTip(f"bgfetch\n{text}" if summary.active else "bgfetch")
        self.actions_by_name["pause_all"].setEnabled(summary.active > summary.paused)
        self.actions_by_name["resume_all"].setEnabled(summary.paused > 0)
        running = summary.running > 0
        fraction = summary.fraction
        badge = badge_of(summary)
        # Repaint only when the ring visibly changes (in 1% steps) or the badge does.
        key = (running, -1 if fraction is None else round(fraction * 100), badge)
        if key == self._last_key:
            return
        self._last_key = key
        if running:
            self.icon.setIcon(progress_icon(self._base, fraction))
        elif badge is not None:
            self.icon.setIcon(badge_icon(self._base, badge))
        else:
            self.icon.setIcon(self._base)

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason in (QSystemTrayIcon.ActivationReason.Trigger,
                      QSystemTrayIcon.ActivationReason.DoubleClick):
            self.toggle_requested.emit()
        elif reason == QSystemTrayIcon.ActivationReason.MiddleClick:
            self.new_fetch_requested.emit()
