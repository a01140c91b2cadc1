"""One engine per data folder, with everything around it: lock, store, network, socket.

The GUI, ``bgfetch daemon`` and the CLI's own engine (``fetch --wait``,
``wait``) all run an EngineHost, so each behaves the same: unfinished work
resumes at start, the CLI can reach it, and the network monitor follows the
OS. The GUI and the daemon run it on a qasync loop with Qt's local socket and
network information; the CLI's own engine (``qt=False``) runs on plain asyncio,
without the ~30 MB and the start-up time that Qt costs a command (issue 8),
with an asyncio Unix socket and NetworkManager read over D-Bus
(docs/contracts.md §6).
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .engine.api import CommandHandler
from .engine.datadir import EngineLock, downloads_dir
from .engine.errors import EngineBusy
from .engine.http.sessions import Sessions
from .engine.manager import FetchManager
from .engine.network import NetworkMonitor
from .engine.network_fallback import FailureHeuristicMonitor
from .engine.quit_when_done import QuitWhenDone
from .engine.settings import Settings
from .engine.store import DB_NAME, Store
from .engine.web.sites import Sites
from .engine.web.webapi import ConsentPrompt
from .platform.credentials import KeyringCredentials
from .platform.ipc_client import IpcClient
from .platform.secrets import KeyringSecrets

if TYPE_CHECKING:
    from .platform.network_qt import QtNetworkWatcher

log = logging.getLogger("bgfetch.host")

TAKEOVER_TIMEOUT = 20.0
NETWORK_BACKEND_ENV = "BGFETCH_NETWORK_BACKEND"


class _Closable(Protocol):
    def close(self) -> None: ...


def attach_network_monitor(
    monitor: NetworkMonitor, *, backend: str | None = None
) -> QtNetworkWatcher | None:
    """Qt's QNetworkInformation driving ``monitor`` (imports Qt: GUI and daemon only)."""
    from .platform.network_qt import attach_network_monitor as attach

    return attach(monitor, backend=backend)


class EngineHost:
    """``kind`` is ``gui``, ``daemon`` or ``cli``: what ``bgfetch`` is told when it asks.

    ``consent`` asks the user about web origins; without one (no window) a web
    page's first fetch is refused with the command that allows its origin.
    """

    def __init__(
        self,
        folder: Path,
        kind: str,
        on_show: Callable[[str | None], None] | None = None,
        on_link: Callable[[str], None] | None = None,
        consent: ConsentPrompt | None = None,
        qt: bool = True,
    ) -> None:
        self.folder = folder
        self.qt = qt
        self.kind = kind
        self.on_show = on_show
        self.on_link = on_link
        self.consent = consent
        self.lock = EngineLock(folder)
        self.quit_requested = asyncio.Event()
        self.store: Store | None = None
        self._sites: Sites | None = None
        self._manager: FetchManager | None = None
        self._server: _Closable | None = None
        self._watcher: _Closable | None = None
        self._quit_when_done: QuitWhenDone | None = None

    @property
    def manager(self) -> FetchManager:
        assert self._manager is not None, "EngineHost.start() was not awaited"
        return self._manager

    @property
    def sites(self) -> Sites:
        assert self._sites is not None, "EngineHost.start() was not awaited"
        return self._sites

    async def start(self, take_over: bool = False) -> None:
        """Take the lock (asking a running daemon to leave if ``take_over``), then run."""
        try:
            self.lock.acquire()
        except EngineBusy:
            if not take_over:
                raise
            await self._take_over()
        settings = Settings.load(self.folder)
        self.store = Store(self.folder / DB_NAME)
        self._sites = Sites(self.store)
        # Downloads, probes and icons all take the proxy route of this (§8).
        sessions = Sessions(lambda: self.manager.settings.proxy, KeyringCredentials(),
                            desktop_proxy=self._desktop_proxy())
        monitor = await self._network_monitor(sessions)
        self._manager = FetchManager(
            self.store, settings, downloads_dir(settings.download_dir), monitor,
            KeyringCredentials(), KeyringSecrets(self.folder), self._sites.quota, sessions,
        )
        await self._manager.start()
        if self.kind in ("gui", "daemon"):  # a command's own engine ends with its fetch
            self._quit_when_done = QuitWhenDone(self._manager, self.quit_requested.set)
        handler = CommandHandler(self._manager, self.kind, self.quit_requested.set, self.on_show,
                                 self.on_link, sites=self._sites, consent=self.consent)
        if self.qt:
            from .platform.ipc import IpcServer

            server = IpcServer(self.folder, handler)
            server.listen()
            self._server = server
        else:
            from .platform.ipc_unix import UnixIpcServer

            unix_server = UnixIpcServer(self.folder, handler)
            await unix_server.listen()
            self._server = unix_server

    def _desktop_proxy(self) -> Callable[[], str | None] | None:
        """The desktop's proxy setting, which only Qt can ask for (GUI and daemon)."""
        if not self.qt:
            return None
        from .platform.proxy_qt import desktop_proxy_url

        return desktop_proxy_url

    async def _network_monitor(self, sessions: Sessions) -> NetworkMonitor:
        """The OS's view of the network if it can be had, else the failure heuristic.

        With Qt: QNetworkInformation; ``BGFETCH_NETWORK_BACKEND`` names a Qt
        backend to force (``networkmanager``, ``glib``…). Without Qt (the CLI's
        own engine): NetworkManager over D-Bus. ``none`` chooses the heuristic:
        for servers whose OS backend reports nonsense, and for tests.
        """
        choice = os.environ.get(NETWORK_BACKEND_ENV, "").strip()
        if choice != "none":
            monitor = NetworkMonitor()
            if self.qt:
                self._watcher = attach_network_monitor(monitor, backend=choice or None)
            else:
                from .platform.network_nm import watch_networkmanager

                self._watcher = await watch_networkmanager(monitor)
            if self._watcher is not None:
                return monitor
        log.info("network: following connection failures (no OS network information)")
        return FailureHeuristicMonitor(sessions=sessions)

    async def _take_over(self) -> None:
        """Ask the engine that holds the folder to checkpoint and exit, then take its place."""
        client = IpcClient(self.folder)
        answer = client.ping()
        if answer is not None and answer.get("kind") == "gui":
            raise EngineBusy("bgfetch is already open")
        if answer is not None:
            log.info("asking the running %s (pid %s) to hand over", answer.get("kind"),
                     answer.get("pid"))
            client.call({"cmd": "quit"})
        deadline = time.monotonic() + TAKEOVER_TIMEOUT
        while time.monotonic() < deadline:
            await asyncio.sleep(0.1)
            try:
                self.lock.acquire()
                return
            except EngineBusy:
                continue
        raise EngineBusy(f"the engine in {self.folder} did not hand over")

    async def stop(self) -> None:
        """Checkpoint every transfer, close the socket, release the lock."""
        if self._server is not None:
            self._server.close()
        if self._quit_when_done is not None:
            self._quit_when_done.close()
        if self._manager is not None:
            await self._manager.close()
        if self._watcher is not None:
            self._watcher.close()
        if self.store is not None:
            self.store.close()
        self.lock.release()
