"""The first choice of adapter: ``org.freedesktop.Notifications`` spoken directly.

Exists because Qt's ``QSystemTrayIcon.showMessage`` reaches that service only
through a StatusNotifier tray, and then without actions, icons or in-place
updates (see PLATFORM-NOTES). We call ``Notify`` ourselves, with dbus-fast on
the asyncio (qasync) loop rather than QtDBus: PySide6 cannot marshal the
``uint32`` ``replaces_id`` (Python ints become ``int32``, which GDBus-based
servers such as dunst and GNOME Shell reject).

Nothing here may freeze the GUI: uGet froze when no notification daemon ran.
Every D-Bus call is asynchronous and has a timeout.
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from bgfetch_gui.platform.notifications.notifier import (
    CloseReason,
    NotificationContent,
    Notifier,
    NotifierUnavailable,
)

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

log = logging.getLogger("bgfetch.notifications")

APP_NAME = "bgfetch"


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
        self._early_actions: dict[int, str] = {}  # the same race, for a quick click
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
        action = self._early_actions.pop(new_id, None)
        if action is not None:
            self._emit_action(key, action)
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
            notification_id = int(message.body[0])
            key = self._keys_by_id.get(notification_id)
            if key is not None:
                self._emit_action(key, str(message.body[1]))
            else:
                self._early_actions[notification_id] = str(message.body[1])
                while len(self._early_actions) > 64:  # other apps' ids: keep a few only
                    del self._early_actions[next(iter(self._early_actions))]
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
