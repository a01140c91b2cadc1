"""A private D-Bus daemon serving a fake NetworkManager, for driving Qt's real backend.

Qt's ``networkmanager`` QNetworkInformation plugin (qtbase
``src/plugins/networkinformation/networkmanager``) talks to the *system* bus:

* at load it checks that ``org.freedesktop.NetworkManager`` has an owner, then
  calls ``org.freedesktop.DBus.Properties.GetAll("org.freedesktop.NetworkManager")``
  on ``/org/freedesktop/NetworkManager`` and reads ``State`` (reachability),
  ``Connectivity`` (captive portal) and ``PrimaryConnection``; from the
  primary connection (interface ``...Connection.Active``) it reads
  ``Devices``, and from the first device (``...Device``) ``DeviceType``
  (transport medium) and ``Metered``;
* afterwards it listens only to ``org.freedesktop.DBus.Properties.PropertiesChanged``
  (``sa{sv}as``) from that object, and reacts to the keys ``State``,
  ``Connectivity``, ``PrimaryConnection`` (re-reads device type and metered)
  and ``Metered`` (read directly from the signal).

So this fake serves exactly that: the manager object with ``State``,
``Connectivity``, ``Metered``, ``PrimaryConnection``, ``PrimaryConnectionType``
(and the old ``StateChanged`` signal), one active connection and one device.

Qt reads ``DBUS_SYSTEM_BUS_ADDRESS`` the first time it opens the system bus,
so a process under test must get :meth:`FakeNetworkManager.env` in its
environment *before* it loads a QNetworkInformation backend; because that
backend loads once per process, tests run the Qt side in a child process.

The service runs in a background thread with its own asyncio loop, so it can
be used from synchronous or asynchronous tests alike, whatever loop they run.
``python -m tests.support.fake_networkmanager`` runs it standalone, prints the
bus address as a JSON line and takes commands on stdin (see :func:`main`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import json
import os
import select
import shutil
import subprocess
import sys
import threading
from collections.abc import Coroutine
from types import TracebackType
from typing import Annotated, Any, TypeVar

from dbus_fast import Message, PropertyAccess
from dbus_fast.aio import MessageBus
from dbus_fast.annotations import DBusObjectPath, DBusSignature, DBusStr, DBusUInt32
from dbus_fast.service import ServiceInterface, dbus_method, dbus_property, dbus_signal

T = TypeVar("T")

NM_BUS_NAME = "org.freedesktop.NetworkManager"
NM_PATH = "/org/freedesktop/NetworkManager"
NM_IFACE = "org.freedesktop.NetworkManager"
ACTIVE_IFACE = "org.freedesktop.NetworkManager.Connection.Active"
DEVICE_IFACE = "org.freedesktop.NetworkManager.Device"

# NMState
NM_STATE_UNKNOWN = 0
NM_STATE_ASLEEP = 10
NM_STATE_DISCONNECTED = 20
NM_STATE_DISCONNECTING = 30
NM_STATE_CONNECTING = 40
NM_STATE_CONNECTED_LOCAL = 50
NM_STATE_CONNECTED_SITE = 60
NM_STATE_CONNECTED_GLOBAL = 70
# NMConnectivityState
NM_CONNECTIVITY_UNKNOWN = 0
NM_CONNECTIVITY_NONE = 1
NM_CONNECTIVITY_PORTAL = 2
NM_CONNECTIVITY_LIMITED = 3
NM_CONNECTIVITY_FULL = 4
# NMMetered
NM_METERED_UNKNOWN = 0
NM_METERED_YES = 1
NM_METERED_NO = 2

# transport name -> (NMDeviceType, connection type as in PrimaryConnectionType)
TRANSPORTS: dict[str, tuple[int, str]] = {
    "ethernet": (1, "802-3-ethernet"),
    "wifi": (2, "802-11-wireless"),
    "bluetooth": (5, "bluetooth"),
    "cellular": (8, "gsm"),
}

_DAEMON_START_TIMEOUT = 10.0
_CALL_TIMEOUT = 10.0


class PrivateBus:
    """A ``dbus-daemon`` of our own, killed on exit.

    Uses the stock session configuration: any local process of this user may
    connect and own names, which is all a fake system bus needs.
    """

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self.address = ""

    def start(self) -> str:
        daemon = shutil.which("dbus-daemon")
        if daemon is None:
            raise RuntimeError("dbus-daemon is not installed (Debian package 'dbus')")
        self._proc = subprocess.Popen(
            [daemon, "--session", "--nofork", "--nopidfile", "--print-address=1"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,  # "Failed to set fd limit" is noise here
            text=True,
        )
        assert self._proc.stdout is not None
        ready, _, _ = select.select([self._proc.stdout], [], [], _DAEMON_START_TIMEOUT)
        line = self._proc.stdout.readline().strip() if ready else ""
        if not line:
            self.stop()
            raise RuntimeError("dbus-daemon did not print its address")
        self.address = line
        return line

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()

    def __enter__(self) -> PrivateBus:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class _Manager(ServiceInterface):
    def __init__(self) -> None:
        super().__init__(NM_IFACE)
        self.state = NM_STATE_CONNECTED_GLOBAL
        self.connectivity = NM_CONNECTIVITY_FULL
        self.metered = NM_METERED_NO
        self.primary_connection = "/"
        self.primary_connection_type = ""

    @dbus_property(access=PropertyAccess.READ)
    def State(self) -> DBusUInt32:
        return self.state

    @dbus_property(access=PropertyAccess.READ)
    def Connectivity(self) -> DBusUInt32:
        return self.connectivity

    @dbus_property(access=PropertyAccess.READ)
    def Metered(self) -> DBusUInt32:
        return self.metered

    @dbus_property(access=PropertyAccess.READ)
    def PrimaryConnection(self) -> DBusObjectPath:
        return self.primary_connection

    @dbus_property(access=PropertyAccess.READ)
    def PrimaryConnectionType(self) -> DBusStr:
        return self.primary_connection_type

    @dbus_property(access=PropertyAccess.READ)
    def Version(self) -> DBusStr:
        return "1.42.0-fake"

    @dbus_method(name="state")
    def state_method(self) -> DBusUInt32:
        return self.state

    @dbus_method()
    def CheckConnectivity(self) -> DBusUInt32:
        return self.connectivity

    @dbus_signal()
    def StateChanged(self, state: int) -> DBusUInt32:
        return state


class _ActiveConnection(ServiceInterface):
    def __init__(self, device_path: str, connection_type: str) -> None:
        super().__init__(ACTIVE_IFACE)
        self.device_path = device_path
        self.connection_type = connection_type

    @dbus_property(access=PropertyAccess.READ)
    def Devices(self) -> Annotated[list[str], DBusSignature("ao")]:
        return [self.device_path]

    @dbus_property(access=PropertyAccess.READ)
    def Type(self) -> DBusStr:
        return self.connection_type

    @dbus_property(access=PropertyAccess.READ)
    def Id(self) -> DBusStr:
        return "fake"

    @dbus_property(access=PropertyAccess.READ)
    def State(self) -> DBusUInt32:
        return 2  # NM_ACTIVE_CONNECTION_STATE_ACTIVATED


class _Device(ServiceInterface):
    def __init__(self, device_type: int, metered: int) -> None:
        super().__init__(DEVICE_IFACE)
        self.device_type = device_type
        self.metered = metered

    @dbus_property(access=PropertyAccess.READ)
    def DeviceType(self) -> DBusUInt32:
        return self.device_type

    @dbus_property(access=PropertyAccess.READ)
    def Metered(self) -> DBusUInt32:
        return self.metered

    @dbus_property(access=PropertyAccess.READ)
    def Interface(self) -> DBusStr:
        return "fake0"


class FakeNetworkManager:
    """``org.freedesktop.NetworkManager`` on a private bus, flipped from the test.

    Use as a context manager::

        with FakeNetworkManager(online=True) as nm:
            child = subprocess.Popen(..., env={**os.environ, **nm.env()})
            nm.set_online(False)

    Every setter returns after the ``PropertiesChanged`` signal has reached
    the bus daemon (a round trip to the daemon follows it), so the order of
    calls is the order clients see. Like the real NetworkManager, going
    offline sets ``PrimaryConnection`` to ``/`` and ``Metered`` to unknown;
    :meth:`set_metered` while offline takes effect when back online.
    """

    def __init__(
        self,
        bus_address: str | None = None,
        *,
        online: bool = True,
        metered: bool = False,
        transport: str = "wifi",
    ) -> None:
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {sorted(TRANSPORTS)}")
        self._own_bus = PrivateBus() if bus_address is None else None
        self.address = bus_address or ""
        self._online = online
        self._metered = metered
        self._transport = transport
        self._state = NM_STATE_CONNECTED_GLOBAL if online else NM_STATE_DISCONNECTED
        self._generation = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._bus: MessageBus | None = None
        self._manager = _Manager()
        self._active: _ActiveConnection | None = None
        self._device: _Device | None = None

    # -- lifecycle -----------------------------------------------------------------

    def start(self) -> FakeNetworkManager:
        if self._own_bus is not None:
            self.address = self._own_bus.start()
        loop = asyncio.new_event_loop()
        self._loop = loop
        self._thread = threading.Thread(
            target=loop.run_forever, name="fake-networkmanager", daemon=True
        )
        self._thread.start()
        try:
            self._call(self._connect())
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        loop, thread = self._loop, self._thread
        if loop is not None and thread is not None:
            if self._bus is not None:
                with contextlib.suppress(Exception):
                    self._call(self._disconnect())
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=5)
            if not thread.is_alive():
                loop.close()
        self._loop = self._thread = None
        if self._own_bus is not None:
            self._own_bus.stop()

    def __enter__(self) -> FakeNetworkManager:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def env(self) -> dict[str, str]:
        """What a child process needs so that Qt's system bus is this fake one."""
        return {"DBUS_SYSTEM_BUS_ADDRESS": self.address}

    # -- what tests flip ---------------------------------------------------------------

    @property
    def online(self) -> bool:
        return self._online

    @property
    def metered(self) -> bool:
        return self._metered

    def set_online(self, online: bool) -> None:
        """Connected with full connectivity (State 70), or disconnected (State 20)."""
        self.set_state(NM_STATE_CONNECTED_GLOBAL if online else NM_STATE_DISCONNECTED)

    def set_state(self, state: int) -> None:
        """Any NMState; 50 and up count as having a primary connection."""
        self._call(self._apply(state=state))

    def set_metered(self, metered: bool) -> None:
        self._call(self._apply(metered=metered))

    def set_transport(self, transport: str) -> None:
        """Switch to a new primary connection over ``transport`` (wifi, ethernet, ...)."""
        if transport not in TRANSPORTS:
            raise ValueError(f"transport must be one of {sorted(TRANSPORTS)}")
        self._call(self._apply(transport=transport))

    def set_connectivity(self, connectivity: int) -> None:
        """NMConnectivityState until the next state change; 2 (portal) = captive portal."""
        self._call(self._apply(connectivity=connectivity))

    # -- the loop thread ---------------------------------------------------------------

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        if self._loop is None:
            coro.close()
            raise RuntimeError("FakeNetworkManager is not running")
        future = asyncio.run_coroutine_threadsafe(coro, self._loop)
        try:
            return future.result(timeout=_CALL_TIMEOUT)
        except concurrent.futures.TimeoutError:
            future.cancel()
            raise

    async def _connect(self) -> None:
        bus = await MessageBus(bus_address=self.address).connect()
        self._bus = bus
        bus.export(NM_PATH, self._manager)
        self._new_primary_connection()
        self._sync_manager(emit=False)
        await bus.request_name(NM_BUS_NAME)

    async def _disconnect(self) -> None:
        bus, self._bus = self._bus, None
        if bus is not None:
            bus.disconnect()
            with contextlib.suppress(Exception):
                await asyncio.wait_for(bus.wait_for_disconnect(), 5)  # type: ignore[no-untyped-call]

    def _new_primary_connection(self) -> None:
        """Export a fresh active connection + device; Qt re-reads on a new path."""
        bus = self._bus
        assert bus is not None
        if self._active is not None:
            bus.unexport(f"{NM_PATH}/ActiveConnection/{self._generation}")
            bus.unexport(f"{NM_PATH}/Devices/{self._generation}")
        self._generation += 1
        device_type, connection_type = TRANSPORTS[self._transport]
        device_path = f"{NM_PATH}/Devices/{self._generation}"
        self._device = _Device(device_type, self._nm_metered())
        self._active = _ActiveConnection(device_path, connection_type)
        bus.export(device_path, self._device)
        bus.export(f"{NM_PATH}/ActiveConnection/{self._generation}", self._active)

    def _nm_metered(self) -> int:
        return NM_METERED_YES if self._metered else NM_METERED_NO

    async def _apply(
        self,
        *,
        state: int | None = None,
        metered: bool | None = None,
        transport: str | None = None,
        connectivity: int | None = None,
    ) -> None:
        if metered is not None:
            self._metered = metered
            if self._device is not None and self._device.metered != self._nm_metered():
                self._device.metered = self._nm_metered()
                self._device.emit_properties_changed({"Metered": self._device.metered})
        if transport is not None and transport != self._transport:
            self._transport = transport
            self._new_primary_connection()
        if state is not None:
            self._state = state
            self._online = state >= NM_STATE_CONNECTED_LOCAL
        self._sync_manager(emit=True, connectivity=connectivity)
        await self._barrier()

    def _sync_manager(self, *, emit: bool, connectivity: int | None = None) -> None:
        """Derive the manager's properties from our state, as NetworkManager does."""
        m = self._manager
        connected = self._state >= NM_STATE_CONNECTED_LOCAL
        if connectivity is None:
            connectivity = {
                NM_STATE_CONNECTED_GLOBAL: NM_CONNECTIVITY_FULL,
                NM_STATE_CONNECTED_SITE: NM_CONNECTIVITY_LIMITED,
                NM_STATE_CONNECTED_LOCAL: NM_CONNECTIVITY_LIMITED,
                NM_STATE_UNKNOWN: NM_CONNECTIVITY_UNKNOWN,
            }.get(self._state, NM_CONNECTIVITY_NONE)
        new: dict[str, Any] = {
            "State": self._state,
            "Connectivity": connectivity,
            "Metered": self._nm_metered() if connected else NM_METERED_UNKNOWN,
            "PrimaryConnection": (
                f"{NM_PATH}/ActiveConnection/{self._generation}" if connected else "/"
            ),
            "PrimaryConnectionType": TRANSPORTS[self._transport][1] if connected else "",
        }
        old = {
            "State": m.state,
            "Connectivity": m.connectivity,
            "Metered": m.metered,
            "PrimaryConnection": m.primary_connection,
            "PrimaryConnectionType": m.primary_connection_type,
        }
        m.state = new["State"]
        m.connectivity = new["Connectivity"]
        m.metered = new["Metered"]
        m.primary_connection = new["PrimaryConnection"]
        m.primary_connection_type = new["PrimaryConnectionType"]
        changed = {k: v for k, v in new.items() if old[k] != v}
        if emit and changed:
            m.emit_properties_changed(changed)
            if "State" in changed:
                m.StateChanged(self._state)

    async def _barrier(self) -> None:
        """A round trip to the daemon: everything we sent before is delivered."""
        assert self._bus is not None
        await self._bus.call(
            Message(
                destination="org.freedesktop.DBus",
                path="/org/freedesktop/DBus",
                interface="org.freedesktop.DBus",
                member="GetId",
            )
        )


def main() -> int:
    """Run standalone: print ``{"address": ...}``, then obey stdin line commands.

    Commands: ``online``, ``offline``, ``metered``, ``unmetered``,
    ``state N``, ``connectivity N``, ``transport NAME``, ``quit``. Each is
    answered with ``ok`` (or ``error: ...``) once the change is on the bus.
    """
    with FakeNetworkManager() as nm:
        print(json.dumps({"address": nm.address, "pid": os.getpid()}), flush=True)
        for raw in sys.stdin:
            cmd, _, arg = raw.strip().partition(" ")
            try:
                if cmd == "quit":
                    break
                if cmd in ("online", "offline"):
                    nm.set_online(cmd == "online")
                elif cmd in ("metered", "unmetered"):
                    nm.set_metered(cmd == "metered")
                elif cmd == "state":
                    nm.set_state(int(arg))
                elif cmd == "connectivity":
                    nm.set_connectivity(int(arg))
                elif cmd == "transport":
                    nm.set_transport(arg)
                elif cmd:
                    raise ValueError(f"unknown command {cmd!r}")
                print("ok", flush=True)
            except Exception as exc:
                print(f"error: {exc}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
