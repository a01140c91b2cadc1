"""Where no notification server answers: the fallback adapters, and picking one.

Exists because a desktop without ``org.freedesktop.Notifications`` (Windows,
macOS, a bare window manager, a broken session bus) must still get a working
app. As in qutebrowser's ``browser/webengine/notification.py``, the adapters
form a chain and the first that starts wins (:func:`notifier_chain`):
D-Bus, then the tray's balloons (:class:`TrayNotifier`), then the main window
(:class:`InAppNotifier`), which always starts.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable, Iterable

from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from bgfetch_gui.platform.notifications.dbus_notifier import DBusNotifier
from bgfetch_gui.platform.notifications.notifier import (
    DEFAULT_ACTION,
    Category,
    NotificationContent,
    Notifier,
    NotifierUnavailable,
)

log = logging.getLogger("bgfetch.notifications")


class InAppNotifier(Notifier):
    """The last link of the chain: always starts; hands content to the window, if any.

    ``sink(key, content)`` may show it in the main window (a status line);
    ``sink(key, None)`` means the notification ``key`` is closed. Without a
    sink, notifications are dropped (the main window still lists the fetch).
    """

    name = "in-app"

    def __init__(
        self, sink: Callable[[str, NotificationContent | None], None] | None = None
    ) -> None:
        super().__init__()
        self._sink = sink

    def show(self, key: str, content: NotificationContent) -> None:
        """Pass the content on to the sink."""
        if self._sink is not None:
            self._sink(key, content)

    def close(self, key: str) -> None:
        """Tell the sink the notification is gone."""
        if self._sink is not None:
            self._sink(key, None)


class TrayNotifier(Notifier):
    """``QSystemTrayIcon.showMessage``: Windows toasts, macOS, or Linux trays.

    A balloon has no buttons and cannot be updated, so only outcomes are shown
    (progress belongs in the tray's tooltip and the window); a click on the
    balloon counts as the default action of the last one shown.
    """

    name = "tray"
    MESSAGE_MS = 8000

    def __init__(self, tray: QSystemTrayIcon) -> None:
        super().__init__()
        self._tray = tray
        self._last_key: str | None = None
        self._connected = False

    async def start(self) -> None:
        """Refuse when there is no tray to show balloons from."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            raise NotifierUnavailable("no system tray")
        if not QSystemTrayIcon.supportsMessages():
            raise NotifierUnavailable("the system tray does not show messages")
        self._tray.messageClicked.connect(self._clicked)
        self._connected = True

    async def stop(self) -> None:
        """Stop listening for clicks."""
        if self._connected:
            self._tray.messageClicked.disconnect(self._clicked)
            self._connected = False

    def show(self, key: str, content: NotificationContent) -> None:
        """Show an outcome as a balloon; progress updates are left to the tray tooltip."""
        if content.ongoing:
            return
        self._last_key = key
        if content.icon is not None:
            self._tray.showMessage(
                content.title, content.body, QIcon(str(content.icon)), self.MESSAGE_MS
            )
        else:
            kind = (
                QSystemTrayIcon.MessageIcon.Warning
                if content.category == Category.ERROR
                else QSystemTrayIcon.MessageIcon.Information
            )
            self._tray.showMessage(content.title, content.body, kind, self.MESSAGE_MS)

    def close(self, key: str) -> None:
        """Balloons cannot be taken back; forget the key so a late click does nothing."""
        if self._last_key == key:
            self._last_key = None

    def _clicked(self) -> None:
        if self._last_key is not None:
            self._emit_action(self._last_key, DEFAULT_ACTION)


async def notifier_chain(candidates: Iterable[Notifier]) -> Notifier:
    """The first candidate that starts; :class:`InAppNotifier` if none does.

    A candidate that raises, or takes longer than its budget, is skipped:
    a desktop without a notification server must still get a working app.
    """
    for notifier in candidates:
        try:
            await asyncio.wait_for(notifier.start(), DBusNotifier.START_TIMEOUT + 2)
        except (NotifierUnavailable, TimeoutError) as exc:
            log.info("notifications: %s skipped (%s)", notifier.name, exc)
            with contextlib.suppress(Exception):
                await notifier.stop()
            continue
        except Exception:
            log.exception("notifications: %s failed to start", notifier.name)
            with contextlib.suppress(Exception):
                await notifier.stop()
            continue
        log.info("notifications: using %s", notifier.name)
        return notifier
    return InAppNotifier()


def default_notifiers(
    *,
    tray: QSystemTrayIcon | None = None,
    sink: Callable[[str, NotificationContent | None], None] | None = None,
    app_icon: str = "",
) -> list[Notifier]:
    """The platform's chain: D-Bus where freedesktop servers live, then tray, then in-app."""
    chain: list[Notifier] = []
    if sys.platform not in ("win32", "darwin"):
        chain.append(DBusNotifier(app_icon=app_icon))
    if tray is not None:
        chain.append(TrayNotifier(tray))
    chain.append(InAppNotifier(sink))
    return chain
