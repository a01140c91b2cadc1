"""Desktop notifications for fetches: one notification per fetch, kept up to date.

The Background Fetch model puts a fetch's progress and outcome in the
browser's own UI; on the desktop that UI is the notification area. This
module has three layers, so the logic can be tested without a desktop:

* :func:`notification_for` turns an engine :class:`Snapshot` into a plain
  :class:`NotificationContent` (what to say, which actions to offer);
* :class:`Notifier` adapters put that content on screen. They form a chain,
  as in qutebrowser's ``browser/webengine/notification.py``: the first that
  starts wins (:func:`notifier_chain`), one that fails to start is skipped:

  1. :class:`DBusNotifier` speaks ``org.freedesktop.Notifications`` itself.
     Qt's ``QSystemTrayIcon.showMessage`` reaches that service only through a
     StatusNotifier tray and then without actions, icons or in-place updates
     (see PLATFORM-NOTES), so we call ``Notify`` directly. It uses dbus-fast
     on the asyncio (qasync) loop rather than QtDBus: PySide6 cannot marshal
     the ``uint32`` ``replaces_id`` (Python ints become ``int32``, which
     GDBus-based servers such as dunst and GNOME Shell reject);
  2. :class:`TrayNotifier`: ``QSystemTrayIcon.showMessage`` (Windows, macOS,
     or Linux without a notification server): outcomes only, no progress;
  3. :class:`InAppNotifier`: hands the content to the main window, or drops it.

* :class:`FetchNotifications`, the presenter, subscribes to the engine's
  events, asks a notifier to show or close, and runs the actions (pause,
  cancel, retry, open the folder, show the window) the user picks.

Nothing here may freeze the GUI: uGet froze when no notification daemon ran.
Every D-Bus call is asynchronous and has a timeout.
"""

from __future__ import annotations

import abc
import asyncio
import contextlib
import enum
import html
import logging
import math
import sys
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices, QIcon
from PySide6.QtWidgets import QSystemTrayIcon

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.model import Icon, Record, Snapshot, State

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

    from bgfetch_gui.engine.manager import FetchManager
    from bgfetch_gui.engine.registration import Registration

log = logging.getLogger("bgfetch.notifications")

APP_NAME = "bgfetch"
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


# -- adapters --------------------------------------------------------------------------


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

    def invoke(self, key: str, action: str) -> None:
        """The in-app message's button was clicked (called by the window)."""
        self._emit_action(key, action)


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


class UpdateThrottle:
    """When the next ongoing update of a notification may go out.

    Servers redraw (and some re-announce) a notification on every update, so
    progress goes out at most once per ``interval``; anything else (an
    outcome, a new state) goes out at once. Pure logic, so it is testable.
    """

    def __init__(
        self, interval: float = 1.0, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.interval = interval
        self._clock = clock
        self._last: dict[str, tuple[float, str]] = {}

    def delay(self, key: str, ongoing: bool, phase: str = "") -> float:
        """Seconds to wait before sending an update of ``key`` (0: send now)."""
        last = self._last.get(key)
        if not ongoing or last is None or last[1] != phase:
            return 0.0
        return max(0.0, last[0] + self.interval - self._clock())

    def sent(self, key: str, phase: str = "") -> None:
        """Record that an update of ``key`` in ``phase`` went out now."""
        self._last[key] = (self._clock(), phase)

    def forget(self, key: str) -> None:
        """The notification is gone: its next update may go out at once."""
        self._last.pop(key, None)


@dataclass(frozen=True)
class ServerInfo:
    """What ``GetServerInformation`` and ``GetCapabilities`` said."""

    name: str = ""
    vendor: str = ""
    version: str = ""
    spec_version: str = ""
    capabilities: frozenset[str] = frozenset()

    @property
    def spec(self) -> tuple[int, ...]:
        """The spec version as numbers, ``(0,)`` if the server sent nonsense."""
        try:
            return tuple(int(p) for p in self.spec_version.split("."))
        except ValueError:
            return (0,)


@dataclass
class _Slot:
    """One key's notification on the server: its id and what is queued for it."""

    notification_id: int = 0
    pending: NotificationContent | None = None
    pump: asyncio.Task[None] | None = None
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    closing: bool = False


_BUS_NAME = "org.freedesktop.Notifications"
_PATH = "/org/freedesktop/Notifications"
_IFACE = "org.freedesktop.Notifications"


class DBusNotifier(Notifier):
    """``org.freedesktop.Notifications`` over dbus-fast on the running asyncio loop.

    Reads the server's capabilities once, at :meth:`start`, and adapts:
    actions only with ``actions``, escaped text with ``body-markup``, the
    body folded into the title without ``body``, ``image-path`` (spec 1.2)
    or the ``app_icon`` argument (older servers) for a fetch's local icon.
    Updates replace the notification in place (``replaces_id``) and ongoing
    ones are throttled (:class:`UpdateThrottle`).
    """

    name = "dbus"
    START_TIMEOUT = 3.0

    def __init__(
        self,
        app_name: str = APP_NAME,
        *,
        app_icon: str = "",
        desktop_entry: str = APP_NAME,
        bus_address: str | None = None,
        call_timeout: float = 2.0,
        min_interval: float = 1.0,
    ) -> None:
        super().__init__()
        self.app_name = app_name
        self.app_icon = app_icon
        self.desktop_entry = desktop_entry
        self.call_timeout = call_timeout
        self.server = ServerInfo()
        self._bus_address = bus_address
        self._bus: MessageBus | None = None
        self._throttle = UpdateThrottle(min_interval)
        self._slots: dict[str, _Slot] = {}
        self._keys_by_id: dict[int, str] = {}
        # NotificationClosed can overtake our handling of the Notify reply that
        # told us the id (the signal is handled as it is read, the reply when
        # the awaiting task next runs): remember recent closes of unknown ids.
        self._early_closes: dict[int, CloseReason] = {}
        self._failing = False

    @property
    def supports_actions(self) -> bool:
        """Whether the server shows buttons (the ``actions`` capability)."""
        return "actions" in self.server.capabilities

    # -- life cycle -------------------------------------------------------------

    async def start(self) -> None:
        """Connect and read the server's capabilities; NotifierUnavailable if no server."""
        try:
            from dbus_fast import BusType
            from dbus_fast.aio import MessageBus
        except ImportError as exc:
            raise NotifierUnavailable(f"dbus-fast is not installed: {exc}") from None
        try:
            bus = (
                MessageBus(bus_address=self._bus_address)
                if self._bus_address
                else MessageBus(bus_type=BusType.SESSION)
            )
            self._bus = await asyncio.wait_for(bus.connect(), self.START_TIMEOUT)
        except Exception as exc:  # no address, refused, timeout, auth failure
            raise NotifierUnavailable(f"no D-Bus session bus: {exc}") from None
        try:
            self._bus.add_message_handler(self._on_message)
            await self._call(
                "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                "AddMatch", "s", [f"type='signal',interface='{_IFACE}',path='{_PATH}'"],
            )
            info = await self._call(_BUS_NAME, _PATH, _IFACE, "GetServerInformation")
            caps = await self._call(_BUS_NAME, _PATH, _IFACE, "GetCapabilities")
        except Exception as exc:
            await self.stop()
            raise NotifierUnavailable(f"no notification server: {exc}") from None
        name, vendor, version, spec = [*info, "", "", "", ""][:4]
        self.server = ServerInfo(
            str(name), str(vendor), str(version), str(spec), frozenset(caps[0] if caps else ())
        )
        log.info(
            "notifications through %s %s (spec %s), capabilities %s",
            self.server.name, self.server.version, self.server.spec_version,
            ", ".join(sorted(self.server.capabilities)),
        )

    async def stop(self, grace: float = 1.0) -> None:
        """Drop queued updates, send the closes already asked for, then disconnect.

        Waits at most ``grace`` seconds, so quitting never hangs on a slow
        server; notifications not closed by then stay on screen.
        """
        pumps = []
        for slot in self._slots.values():
            if not slot.closing:
                slot.pending = None
                slot.wake.set()
            if slot.pump is not None and not slot.pump.done():
                pumps.append(slot.pump)
        if pumps:
            _, late = await asyncio.wait(pumps, timeout=grace)
            for pump in late:
                pump.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        self._slots.clear()
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.disconnect()

    # -- Notifier ----------------------------------------------------------------

    def show(self, key: str, content: NotificationContent) -> None:
        """Queue ``content`` for ``key``; a newer update replaces a queued one."""
        if self._bus is None:
            return
        slot = self._slots.get(key)
        if slot is None:
            slot = self._slots[key] = _Slot()
        slot.closing = False
        slot.pending = content
        slot.wake.set()
        if slot.pump is None or slot.pump.done():
            slot.pump = asyncio.ensure_future(self._pump(key, slot))

    def close(self, key: str) -> None:
        """Close ``key``'s notification, after any send already on the wire."""
        slot = self._slots.get(key)
        if slot is None:
            return
        slot.pending = None
        slot.closing = True
        slot.wake.set()
        if slot.pump is None or slot.pump.done():
            slot.pump = asyncio.ensure_future(self._pump(key, slot))

    # -- sending -----------------------------------------------------------------

    async def _pump(self, key: str, slot: _Slot) -> None:
        """Send ``key``'s updates one at a time, so each knows the id to replace."""
        try:
            while True:
                if slot.closing:
                    await self._close_now(key, slot)
                    return
                content = slot.pending
                if content is None:
                    return
                wait = self._throttle.delay(key, content.ongoing, content.phase)
                if wait > 0:
                    slot.wake.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(slot.wake.wait(), wait)
                    continue  # something newer (or a close) may have arrived
                slot.pending = None
                self._throttle.sent(key, content.phase)
                await self._notify(key, slot, content)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("notification pump for %s failed", key)

    async def _notify(self, key: str, slot: _Slot, content: NotificationContent) -> None:
        args = self.notify_arguments(content, slot.notification_id)
        try:
            reply = await self._call(_BUS_NAME, _PATH, _IFACE, "Notify", "susssasa{sv}i", args)
        except Exception as exc:
            # Once per outage, not once per second and fetch.
            log.log(logging.DEBUG if self._failing else logging.WARNING, "Notify failed: %s", exc)
            self._failing = True
            return
        if self._failing:
            log.info("notifications work again")
            self._failing = False
        new_id = int(reply[0])
        if slot.notification_id and slot.notification_id != new_id:
            self._keys_by_id.pop(slot.notification_id, None)
        slot.notification_id = new_id
        self._keys_by_id[new_id] = key
        early = self._early_closes.pop(new_id, None)
        if early is not None:
            self._closed(new_id, early)

    async def _close_now(self, key: str, slot: _Slot) -> None:
        if self._slots.get(key) is slot:
            del self._slots[key]
        self._throttle.forget(key)
        notification_id = slot.notification_id
        if not notification_id:
            return
        self._keys_by_id.pop(notification_id, None)
        try:
            await self._call(_BUS_NAME, _PATH, _IFACE, "CloseNotification", "u", [notification_id])
        except Exception as exc:
            log.warning("CloseNotification failed: %s", exc)

    def notify_arguments(self, content: NotificationContent, replaces_id: int) -> list[Any]:
        """The ``Notify`` arguments for this server, following its capabilities."""
        from dbus_fast import Variant

        caps = self.server.capabilities
        title, body = content.title, content.body
        if "body" not in caps and body:
            title, body = f"{title} — {body}", ""
        if "body-markup" in caps:
            body = html.escape(body, quote=False)
        actions: list[str] = []
        if "actions" in caps:
            for action in content.actions:
                actions += [action.key, action.label]
        hints: dict[str, Any] = {}
        if self.desktop_entry:
            hints["desktop-entry"] = Variant("s", self.desktop_entry)
        if content.category is not None:
            hints["category"] = Variant("s", str(content.category))
        if content.progress is not None:
            hints["value"] = Variant("i", max(0, min(100, int(content.progress))))
        if content.ongoing:
            hints["transient"] = Variant("b", True)  # progress has no place in a history
        app_icon = self.app_icon
        if content.icon is not None:
            if self.server.spec >= (1, 2):
                hints["image-path"] = Variant("s", str(content.icon))
            else:
                app_icon = str(content.icon)
        return [self.app_name, replaces_id, app_icon, title, body, actions, hints, -1]

    async def _call(
        self,
        destination: str,
        path: str,
        interface: str,
        member: str,
        signature: str = "",
        body: Sequence[Any] = (),
    ) -> list[Any]:
        """A method call with a timeout; raises on an error reply."""
        from dbus_fast import Message, MessageType

        bus = self._bus
        if bus is None:
            raise ConnectionError("not connected")
        message = Message(
            destination=destination, path=path, interface=interface, member=member,
            signature=signature, body=list(body),
        )
        reply = await asyncio.wait_for(bus.call(message), self.call_timeout)
        if reply.message_type == MessageType.ERROR:
            raise RuntimeError(f"{reply.error_name}: {reply.body[0] if reply.body else ''}")
        return list(reply.body)

    # -- receiving ---------------------------------------------------------------

    def _on_message(self, message: Message) -> None:
        """Route ``ActionInvoked`` and ``NotificationClosed`` of our ids to the handlers."""
        from dbus_fast import MessageType

        if message.message_type != MessageType.SIGNAL or message.interface != _IFACE:
            return
        if message.member == "ActionInvoked" and len(message.body) >= 2:
            key = self._keys_by_id.get(int(message.body[0]))
            if key is not None:
                self._emit_action(key, str(message.body[1]))
        elif message.member == "NotificationClosed" and len(message.body) >= 2:
            try:
                reason = CloseReason(int(message.body[1]))
            except ValueError:
                reason = CloseReason.UNDEFINED
            notification_id = int(message.body[0])
            if notification_id in self._keys_by_id:
                self._closed(notification_id, reason)
            else:
                self._early_closes[notification_id] = reason
                while len(self._early_closes) > 64:  # other apps' ids: keep a few only
                    del self._early_closes[next(iter(self._early_closes))]

    def _closed(self, notification_id: int, reason: CloseReason) -> None:
        """The server closed one of ours: the next update makes a new notification."""
        key = self._keys_by_id.pop(notification_id)
        slot = self._slots.get(key)
        if slot is not None and slot.notification_id == notification_id:
            slot.notification_id = 0
            self._throttle.forget(key)
        self._emit_closed(key, reason)


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


# -- opening the bundle folder -------------------------------------------------------


def open_folder_default(path: Path) -> None:
    """Open ``path`` in the file manager.

    ``QDesktopServices`` asks the platform plugin: on ``xcb`` Qt runs
    ``xdg-open`` itself (or the desktop portal in a sandbox), but plugins
    without desktop services, such as ``offscreen``, refuse (openUrl returns
    False and nothing runs). On Linux and the BSDs we then start ``xdg-open``
    ourselves, detached, so the click is never lost.
    """
    url = QUrl.fromLocalFile(str(path))
    if QDesktopServices.openUrl(url):
        return
    if sys.platform in ("win32", "darwin"):
        log.warning("could not open %s", path)
        return
    started, _pid = QProcess.startDetached("xdg-open", [str(path)])
    if not started:
        log.warning("could not open %s: xdg-open did not start", path)


# -- the presenter ---------------------------------------------------------------------

ICON_SIZE = 64  # what notification servers draw an image at, give or take


def _human(n: float) -> str:
    """``512 B``, ``2.1 MB``, ``27 MB``: two significant digits are enough at a glance."""
    for unit in ("B", "KB", "MB", "GB"):
        if abs(n) < 1024 or unit == "GB":
            if unit == "B":
                return f"{n:.0f} B"
            return f"{n:.1f} {unit}" if abs(n) < 10 else f"{n:.0f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def local_icon(icons: Sequence[Icon], size: int = ICON_SIZE) -> Path | None:
    """The local icon file that best fits ``size`` (remote icons are not fetched here)."""
    best: tuple[float, Path] | None = None
    for icon in icons:
        src = icon.src
        if src.startswith("file:"):
            src = unquote(urlsplit(src).path)
        elif "://" in src:
            continue
        path = Path(src).expanduser()
        if not path.is_file():
            continue
        score = _icon_fit(icon.sizes, size)
        if best is None or score < best[0]:
            best = (score, path.absolute())
    return best[1] if best else None


def _icon_fit(sizes: str, wanted: int) -> float:
    """Lower is better: the nearest size at or above ``wanted``, else the largest below."""
    if "any" in sizes.lower().split():
        return 0.0
    scores = []
    for item in sizes.lower().split():
        width, _, _height = item.partition("x")
        if width.isdigit():
            n = int(width)
            scores.append(n - wanted if n >= wanted else 10_000 + wanted - n)
    return min(scores) if scores else 5_000.0


_STATE_WORDS = {
    State.QUEUED: "Queued",
    State.WAITING_FOR_NETWORK: "Waiting for network",
    State.PAUSED: "Paused",
    State.RETRYING: "Retrying",
}


def progress_text(snapshot: Snapshot) -> tuple[str, int | None]:
    """``45% · 27 MB of 60 MB · 2.1 MB/s`` and the percentage, for a running fetch."""
    total = snapshot.expected_size
    if not total and snapshot.download_total:
        total = snapshot.download_total
    parts: list[str] = []
    percent: int | None = None
    if snapshot.state in _STATE_WORDS:
        parts.append(_STATE_WORDS[snapshot.state])
    if total:
        percent = max(0, min(100, math.floor(100 * snapshot.downloaded / total)))
        if snapshot.state == State.DOWNLOADING:
            parts.append(f"{percent}%")
        parts.append(f"{_human(snapshot.downloaded)} of {_human(total)}")
    elif snapshot.downloaded or snapshot.state == State.DOWNLOADING:
        parts.append(_human(snapshot.downloaded))
    if snapshot.state == State.DOWNLOADING and snapshot.speed > 0:
        parts.append(f"{_human(snapshot.speed)}/s")
    return " · ".join(parts), percent


def notification_for(
    snapshot: Snapshot, records: Sequence[Record] = ()
) -> NotificationContent | None:
    """What to show for a fetch in this state; None means "no notification"."""
    name = snapshot.title or snapshot.id
    icon = local_icon(snapshot.icons)
    if snapshot.active:
        body, percent = progress_text(snapshot)
        control = (
            NotificationAction("resume", "Resume")
            if snapshot.state == State.PAUSED
            else NotificationAction("pause", "Pause")
        )
        return NotificationContent(
            title=name,
            body=body,
            actions=(
                NotificationAction(DEFAULT_ACTION, "Show"),
                control,
                NotificationAction("cancel", "Cancel"),
            ),
            progress=percent,
            category=Category.TRANSFER,
            icon=icon,
            ongoing=True,
            phase=str(snapshot.state),
        )
    if snapshot.result == "success":
        files = [r for r in records if r.complete]
        size = sum(r.size for r in files)
        count = f"{len(files)} file" + ("" if len(files) == 1 else "s")
        return NotificationContent(
            title=f"{name} downloaded",
            body=f"{count}, {_human(size)}",
            actions=(
                NotificationAction(DEFAULT_ACTION, "Open folder"),
                NotificationAction("show", "Show"),
            ),
            category=Category.COMPLETE,
            icon=icon,
        )
    if snapshot.failure_reason == "aborted":
        return None
    return NotificationContent(
        title=f"{name} failed",
        body=snapshot.failure_reason.describe(),
        actions=(
            NotificationAction(DEFAULT_ACTION, "Show"),
            NotificationAction("retry", "Retry"),
        ),
        category=Category.ERROR,
        icon=icon,
    )


class FetchNotifications:
    """Keeps one notification per fetch in step with the engine, and runs its actions.

    Wire it once in ``app.py``::

        notifier = await notifier_chain(default_notifiers(tray=tray))
        notifications = FetchNotifications(manager, notifier, show_window=window.show_fetch)

    ``open_folder(path)`` opens a bundle folder (default:
    :func:`open_folder_default`); ``show_window(fetch_id)`` raises the main
    window on that fetch; ``enabled()`` is asked on every event (default:
    ``manager.settings.notifications``, so the settings dialog takes effect
    at once). A progress notification the user dismissed stays away until the
    fetch settles; the outcome is always shown.
    """

    def __init__(
        self,
        manager: FetchManager,
        notifier: Notifier,
        *,
        open_folder: Callable[[Path], None] | None = None,
        show_window: Callable[[str], None] | None = None,
        enabled: Callable[[], bool] | None = None,
    ) -> None:
        self._manager = manager
        self.notifier = notifier
        self._open_folder = open_folder or open_folder_default
        self._show_window = show_window
        self._enabled = enabled or (lambda: bool(manager.settings.notifications))
        self._shown: dict[int, Snapshot] = {}  # key -> last snapshot shown
        self._dismissed: set[int] = set()
        self._acted: set[int] = set()
        self._tasks: set[asyncio.Task[Any]] = set()
        notifier.set_handlers(self._on_action, self._on_closed)
        self._unsubscribe = manager.events.subscribe(self._on_event)

    async def close(self) -> None:
        """Stop following the engine; take progress notifications off the screen."""
        self._unsubscribe()
        for key, snapshot in list(self._shown.items()):
            if snapshot.active:
                self.notifier.close(self._nkey(key))
        self._shown.clear()
        for task in list(self._tasks):
            task.cancel()
        self.notifier.set_handlers(None, None)

    @staticmethod
    def _nkey(key: int) -> str:
        return f"fetch-{key}"

    @staticmethod
    def _fetch_key(nkey: str) -> int | None:
        prefix, _, number = nkey.partition("-")
        return int(number) if prefix == "fetch" and number.isdigit() else None

    # -- engine → notifications ----------------------------------------------------

    def _on_event(self, event: FetchEvent) -> None:
        snapshot = event.snapshot
        key = snapshot.key
        if event.kind in (EventKind.ABORT, EventKind.REMOVED) or not self._enabled():
            self._withdraw(key)
            return
        if event.kind == EventKind.UPDATED and key not in self._shown:
            return
        if snapshot.active and key in self._dismissed:
            return
        if not snapshot.active:
            self._dismissed.discard(key)
        content = notification_for(snapshot, self._records(key))
        if content is None:
            self._withdraw(key)
            return
        self._shown[key] = snapshot
        self.notifier.show(self._nkey(key), content)

    def _withdraw(self, key: int) -> None:
        self._dismissed.discard(key)
        self._acted.discard(key)
        if self._shown.pop(key, None) is not None:
            self.notifier.close(self._nkey(key))

    def _registration(self, key: int) -> Registration | None:
        for reg in self._manager.registrations():
            if reg.key == key:
                return reg
        return None

    def _records(self, key: int) -> list[Record]:
        reg = self._registration(key)
        return reg.records() if reg is not None else []

    # -- notifications → engine ----------------------------------------------------

    def _on_closed(self, nkey: str, reason: CloseReason) -> None:
        key = self._fetch_key(nkey)
        if key is None:
            return
        snapshot = self._shown.get(key)
        if key in self._acted:
            self._acted.discard(key)  # servers close a notification after its action
        elif snapshot is not None and snapshot.active and reason == CloseReason.DISMISSED:
            self._dismissed.add(key)
            self.notifier.close(nkey)  # drops an update already queued for it
        if snapshot is not None and not snapshot.active:
            del self._shown[key]

    def _on_action(self, nkey: str, action: str) -> None:
        key = self._fetch_key(nkey)
        snapshot = self._shown.get(key) if key is not None else None
        if key is None or snapshot is None:
            return
        self._acted.add(key)
        if action == DEFAULT_ACTION and snapshot.result == "success":
            self._open_folder(snapshot.dest)
        elif action in (DEFAULT_ACTION, "show"):
            if self._show_window is not None:
                self._show_window(snapshot.id)
        elif action in ("pause", "resume", "cancel", "retry"):
            self._spawn(self._run(key, action))
        else:
            log.warning("unknown notification action %r", action)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: int, action: str) -> None:
        reg = self._registration(key)
        if reg is None:
            return
        try:
            if action == "pause":
                await self._manager.pause(reg)
            elif action == "resume":
                await self._manager.resume(reg)
            elif action == "cancel":
                await self._manager.abort(reg)
            elif action == "retry":
                await self._manager.retry(reg)
        except Exception:
            log.exception("notification action %s on %s failed", action, reg.id)


__all__ = [
    "DEFAULT_ACTION",
    "Category",
    "CloseReason",
    "DBusNotifier",
    "FetchNotifications",
    "InAppNotifier",
    "NotificationAction",
    "NotificationContent",
    "Notifier",
    "NotifierUnavailable",
    "ServerInfo",
    "TrayNotifier",
    "UpdateThrottle",
    "default_notifiers",
    "local_icon",
    "notification_for",
    "notifier_chain",
    "open_folder_default",
    "progress_text",
]
