"""Desktop notifications for fetches: one notification per fetch, kept up to date.

The Background Fetch model puts a fetch's progress and outcome in the
browser's own UI; on the desktop that UI is the notification area. The parts
are kept apart so the logic can be tested without a desktop:

* :mod:`.notifier`: the contract. :class:`NotificationContent` says what to
  show (plain data), :class:`Notifier` is what every adapter implements.
* Adapters, tried in order; the first that starts wins (:func:`notifier_chain`):

  1. :class:`DBusNotifier` (:mod:`.dbus_notifier`) speaks
     ``org.freedesktop.Notifications`` itself: actions, icons, progress
     updated in place;
  2. :class:`TrayNotifier` (:mod:`.chain`): the tray's
     ``QSystemTrayIcon.showMessage`` (Windows, macOS, or Linux without a
     notification server): outcomes only, no progress;
  3. :class:`InAppNotifier` (:mod:`.chain`): hands the content to the main
     window, or drops it.

* :class:`FetchNotifications` (:mod:`.presenter`) follows the engine's
  events, asks the chosen notifier to show or close, and runs the actions
  the user picks.

This package re-exports the public names, so callers import from here.
"""

from bgfetch_gui.platform.notifications.chain import (
    InAppNotifier,
    TrayNotifier,
    default_notifiers,
    notifier_chain,
)
from bgfetch_gui.platform.notifications.dbus_notifier import (
    APP_NAME,
    DBusNotifier,
    ServerInfo,
    UpdateThrottle,
)
from bgfetch_gui.platform.notifications.notifier import (
    DEFAULT_ACTION,
    ActionHandler,
    Category,
    ClosedHandler,
    CloseReason,
    NotificationAction,
    NotificationContent,
    Notifier,
    NotifierUnavailable,
)
from bgfetch_gui.platform.notifications.presenter import (
    ICON_SIZE,
    FetchNotifications,
    NotifyEvents,
    group_notification,
    local_icon,
    notification_for,
    open_folder_default,
    progress_text,
)

__all__ = [
    "APP_NAME",
    "DEFAULT_ACTION",
    "ICON_SIZE",
    "ActionHandler",
    "Category",
    "CloseReason",
    "ClosedHandler",
    "DBusNotifier",
    "FetchNotifications",
    "InAppNotifier",
    "NotificationAction",
    "NotificationContent",
    "Notifier",
    "NotifierUnavailable",
    "NotifyEvents",
    "ServerInfo",
    "TrayNotifier",
    "UpdateThrottle",
    "default_notifiers",
    "group_notification",
    "local_icon",
    "notification_for",
    "notifier_chain",
    "open_folder_default",
    "progress_text",
]
