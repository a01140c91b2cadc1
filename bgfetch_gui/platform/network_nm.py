"""Feed the engine's :class:`NetworkMonitor` from NetworkManager over D-Bus, without Qt.

For the CLI's own engine, which runs on plain asyncio (no Qt to ask). It reads
the manager object that Qt's ``networkmanager`` QNetworkInformation backend
reads, with the verdicts of :mod:`bgfetch_gui.platform.network_qt`, so a command
and the GUI agree on "offline" (docs/contracts.md §6):

* ``State`` ``CONNECTED_GLOBAL`` or ``CONNECTED_SITE`` (Qt's ``Online``,
  ``Site``) => online; ``ASLEEP``, ``DISCONNECTED``, ``DISCONNECTING`` or
  ``CONNECTED_LOCAL`` (``Disconnected``, ``Local``) => offline; ``UNKNOWN`` or
  ``CONNECTING`` => no change;
* ``Metered`` yes or guess-yes => metered, no or guess-no => not, unknown => no change.

Changes arrive as ``PropertiesChanged`` signals of the manager object.
Where there is no system bus or no NetworkManager on it, :func:`watch_networkmanager`
returns None and the caller falls back to the failure heuristic.
"""

from __future__ import annotations

import asyncio
import logging
import os
from typing import TYPE_CHECKING, Any

from ..engine.network import NetworkMonitor

if TYPE_CHECKING:
    from dbus_fast import Message
    from dbus_fast.aio import MessageBus

log = logging.getLogger("bgfetch.network")

NM_BUS_NAME = "org.freedesktop.NetworkManager"
NM_PATH = "/org/freedesktop/NetworkManager"
NM_IFACE = "org.freedesktop.NetworkManager"
PROPERTIES_IFACE = "org.freedesktop.DBus.Properties"
CONNECT_TIMEOUT = 2.0
SYSTEM_BUS_SOCKET = "/var/run/dbus/system_bus_socket"  # the D-Bus specification's default

# NMState
_ONLINE_STATES = {60, 70}  # CONNECTED_SITE, CONNECTED_GLOBAL
_OFFLINE_STATES = {10, 20, 30, 50}  # ASLEEP, DISCONNECTED, DISCONNECTING, CONNECTED_LOCAL
# NMMetered
_METERED = {1, 3}  # YES, GUESS_YES
_UNMETERED = {2, 4}  # NO, GUESS_NO


def online_from_state(state: int) -> bool | None:
    """``True``/``False`` for a clear verdict, ``None`` for "keep what you had"."""
    if state in _ONLINE_STATES:
        return True
    if state in _OFFLINE_STATES:
        return False
    return None


def metered_from_value(metered: int) -> bool | None:
    if metered in _METERED:
        return True
    if metered in _UNMETERED:
        return False
    return None


class NetworkManagerWatcher:
    """Follows NetworkManager's manager object and pushes into a monitor."""

    def __init__(self, monitor: NetworkMonitor, bus: MessageBus) -> None:
        self._monitor = monitor
        self._bus = bus

    def apply(self, properties: dict[str, Any]) -> None:
        """Apply ``State`` and ``Metered`` from a property map of D-Bus variants."""
        state = properties.get("State")
        metered = properties.get("Metered")
        online = None if state is None else online_from_state(int(state.value))
        is_metered = None if metered is None else metered_from_value(int(metered.value))
        self._monitor.update(online=online, metered=is_metered)

    def on_message(self, message: Message) -> None:
        if (
            message.member == "PropertiesChanged"
            and message.path == NM_PATH
            and message.body
            and message.body[0] == NM_IFACE
        ):
            self.apply(message.body[1])

    def close(self) -> None:
        """Stop following NetworkManager; the monitor keeps its last status."""
        self._bus.remove_message_handler(self.on_message)
        self._bus.disconnect()


def system_bus_present() -> bool:
    """Whether a system bus may answer: its address is set, or its socket is where D-Bus puts it."""
    return bool(os.environ.get("DBUS_SYSTEM_BUS_ADDRESS")) or os.path.exists(SYSTEM_BUS_SOCKET)


async def watch_networkmanager(monitor: NetworkMonitor) -> NetworkManagerWatcher | None:
    """NetworkManager driving ``monitor``, or None where it cannot be reached."""
    if not system_bus_present():
        # Not even the D-Bus library is loaded (a tenth of a second of a command's start).
        log.info("network: no system D-Bus")
        return None
    try:
        from dbus_fast import BusType, Message, MessageType
        from dbus_fast.aio import MessageBus
    except ImportError:
        return None  # not a Linux install
    try:
        bus = await asyncio.wait_for(MessageBus(bus_type=BusType.SYSTEM).connect(),
                                     CONNECT_TIMEOUT)
    except Exception as exc:  # no system bus, refused, timeout, auth failure
        log.info("network: no system D-Bus (%s)", exc)
        return None
    try:
        watcher = NetworkManagerWatcher(monitor, bus)
        # Subscribed before the first read, so no change falls between the two.
        bus.add_message_handler(watcher.on_message)
        await bus.call(Message(
            destination="org.freedesktop.DBus", path="/org/freedesktop/DBus",
            interface="org.freedesktop.DBus", member="AddMatch", signature="s",
            body=[f"type='signal',sender='{NM_BUS_NAME}',path='{NM_PATH}',"
                  f"interface='{PROPERTIES_IFACE}',member='PropertiesChanged'"],
        ))
        reply = await asyncio.wait_for(bus.call(Message(
            destination=NM_BUS_NAME, path=NM_PATH, interface=PROPERTIES_IFACE,
            member="GetAll", signature="s", body=[NM_IFACE],
        )), CONNECT_TIMEOUT)
    except Exception as exc:
        bus.disconnect()
        log.info("network: NetworkManager does not answer (%s)", exc)
        return None
    if reply is None or reply.message_type != MessageType.METHOD_RETURN:
        bus.remove_message_handler(watcher.on_message)
        bus.disconnect()
        log.info("network: no NetworkManager on the system bus")
        return None
    watcher.apply(reply.body[0])
    state = reply.body[0].get("State")
    log.info("network: NetworkManager over D-Bus reports state %s",
             state.value if state is not None else "unknown")
    return watcher
