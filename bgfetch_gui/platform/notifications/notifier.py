"""The contract between the presenter and the adapters that put notifications on screen.

Exists so the presenter can say *what* to show (:class:`NotificationContent`)
without knowing *how* a desktop shows it: each adapter (D-Bus, tray, in-app)
implements :class:`Notifier`, and the presenter is tested against any of them.
The content types are plain data, free of Qt and D-Bus, for the same reason.
"""

from __future__ import annotations

import abc
import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger("bgfetch.notifications")

DEFAULT_ACTION = "default"  # the freedesktop key for "the notification itself was clicked"


# -- what a notification says ---------------------------------------------------------


class Category(enum.StrEnum):
    """freedesktop notification categories for transfers."""

    TRANSFER = "transfer"
    COMPLETE = "transfer.complete"
    ERROR = "transfer.error"


class CloseReason(enum.IntEnum):
    """Why a notification went away (the freedesktop ``NotificationClosed`` codes)."""

    EXPIRED = 1
    DISMISSED = 2  # by the user
    CLOSED = 3  # by a CloseNotification call
    UNDEFINED = 4


@dataclass(frozen=True)
class NotificationAction:
    """A button; the key :data:`DEFAULT_ACTION` is a click on the notification itself."""

    key: str
    label: str


@dataclass(frozen=True)
class NotificationContent:
    """What one notification says, independent of how it is shown.

    ``body`` is plain text: an adapter escapes it if its server reads markup.
    ``ongoing`` marks a progress notification: adapters may throttle it or,
    like the tray, not show it at all. ``progress`` is 0-100 or None.
    ``phase`` names what the notification is about (a fetch's state): a
    change of phase goes out at once, updates within one phase are throttled.
    """

    title: str
    body: str = ""
    actions: tuple[NotificationAction, ...] = ()
    progress: int | None = None
    category: Category | None = None
    icon: Path | None = None
    ongoing: bool = False
    phase: str = ""


ActionHandler = Callable[[str, str], None]  # (key, action key)
ClosedHandler = Callable[[str, CloseReason], None]  # (key, reason)


class NotifierUnavailable(Exception):
    """An adapter cannot work here (no server, no tray); the chain skips it."""


# -- what an adapter does ----------------------------------------------------------


class Notifier(abc.ABC):
    """Shows notifications identified by a caller's key; reports actions and closes.

    ``show`` and ``close`` never block and never raise: a notification that
    cannot be shown is logged, and the download goes on.
    """

    name = "notifier"

    def __init__(self) -> None:
        self._on_action: ActionHandler | None = None
        self._on_closed: ClosedHandler | None = None

    @property
    def supports_actions(self) -> bool:
        """Whether buttons reach the user (the presenter offers them regardless)."""
        return False

    def set_handlers(
        self, on_action: ActionHandler | None, on_closed: ClosedHandler | None = None
    ) -> None:
        """Who hears about clicked actions and notifications closed by someone else."""
        self._on_action = on_action
        self._on_closed = on_closed

    async def start(self) -> None:  # noqa: B027 - optional hook, no-op by default
        """Get ready; raise :class:`NotifierUnavailable` if this adapter cannot work."""

    async def stop(self) -> None:  # noqa: B027 - optional hook, no-op by default
        """Release what :meth:`start` took."""

    @abc.abstractmethod
    def show(self, key: str, content: NotificationContent) -> None:
        """Show ``content`` as the notification ``key``, replacing what ``key`` showed."""

    @abc.abstractmethod
    def close(self, key: str) -> None:
        """Take the notification ``key`` off the screen, if it is there."""

    def _emit_action(self, key: str, action: str) -> None:
        if self._on_action is not None:
            try:
                self._on_action(key, action)
            except Exception:
                log.exception("notification action handler failed")

    def _emit_closed(self, key: str, reason: CloseReason) -> None:
        if self._on_closed is not None:
            try:
                self._on_closed(key, reason)
            except Exception:
                log.exception("notification closed handler failed")
