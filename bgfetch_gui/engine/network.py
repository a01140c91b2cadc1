"""What the engine knows about the network, and how adapters tell it.

The engine never asks the OS itself: a platform adapter (Qt's
QNetworkInformation in ``bgfetch_gui.platform``) or the fallback detector
pushes status into a :class:`NetworkMonitor`, and the manager listens.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass

Listener = Callable[["NetworkStatus"], None]


@dataclass(frozen=True)
class NetworkStatus:
    online: bool = True
    metered: bool = False


class NetworkMonitor:
    """The latest network status, with change notification.

    Starts online: with no adapter at all (tests, a server) the engine must
    still download. Transfers report connection outcomes through
    :meth:`connection_failed` / :meth:`connection_succeeded`; the base class
    ignores them, a fallback detector subclass uses them to infer "offline".
    """

    def __init__(self, *, online: bool = True, metered: bool = False) -> None:
        self._status = NetworkStatus(online=online, metered=metered)
        self._listeners: list[Listener] = []
        self._online_event: asyncio.Event | None = None

    @property
    def status(self) -> NetworkStatus:
        return self._status

    @property
    def online(self) -> bool:
        return self._status.online

    @property
    def metered(self) -> bool:
        return self._status.metered

    def update(self, *, online: bool | None = None, metered: bool | None = None) -> None:
        """Set the status; listeners hear about it only if it changed."""
        new = NetworkStatus(
            online=self._status.online if online is None else online,
            metered=self._status.metered if metered is None else metered,
        )
        if new == self._status:
            return
        self._status = new
        if self._online_event is not None:
            if new.online:
                self._online_event.set()
            else:
                self._online_event.clear()
        for listener in list(self._listeners):
            listener(new)

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call ``listener`` on every change; returns a function that unsubscribes."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    async def wait_online(self) -> None:
        if self._online_event is None:
            self._online_event = asyncio.Event()
            if self._status.online:
                self._online_event.set()
        await self._online_event.wait()

    def connection_failed(self, origin: str) -> None:
        """A connection to ``origin`` (scheme://host:port) could not be made."""

    def connection_succeeded(self, origin: str) -> None:
        """Bytes arrived from ``origin``."""

    async def close(self) -> None:
        """Stop any background work (probes) the monitor runs."""
