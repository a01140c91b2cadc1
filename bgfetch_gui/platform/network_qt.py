"""Feed the engine's :class:`NetworkMonitor` from Qt's ``QNetworkInformation``.

The OS knows better than any guess whether the machine is online, and Qt
already speaks to it (NetworkManager or GLib's GNetworkMonitor on Linux,
Network List Manager on Windows, SCNetworkReachability on macOS). This module
is the only place that turns Qt's view into the engine's two booleans:

* reachability ``Online`` or ``Site`` => online (``Site`` is a network without
  a known route to the internet, e.g. a corporate LAN with a proxy, where
  downloads may well work);
* ``Disconnected`` or ``Local`` => offline (nothing beyond this link);
* ``Unknown`` => no change: the monitor keeps what it had, which is online
  unless the backend (or the failure heuristics sharing the monitor, see
  :mod:`bgfetch_gui.engine.network_fallback`) said offline before. Qt reports
  ``Unknown`` at start-up on some backends and while NetworkManager is
  "connecting"; stopping every download for that would be worse than trying;
* metered comes from ``isMetered`` when the backend supports it, otherwise
  from the transport medium (``Cellular`` => metered) when *that* is known.

Works with a ``QCoreApplication`` (the daemon) or a ``QApplication`` (GUI);
it only needs the Qt event loop to be running for change signals to arrive.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QObject, Slot
from PySide6.QtNetwork import QNetworkInformation

from bgfetch_gui.engine.network import NetworkMonitor

log = logging.getLogger("bgfetch.network")

Reachability = QNetworkInformation.Reachability
TransportMedium = QNetworkInformation.TransportMedium
Feature = QNetworkInformation.Feature

_ONLINE = {Reachability.Online, Reachability.Site}
_OFFLINE = {Reachability.Disconnected, Reachability.Local}

_MEDIUM_NAMES = {
    TransportMedium.Unknown: "unknown",
    TransportMedium.Ethernet: "ethernet",
    TransportMedium.Cellular: "cellular",
    TransportMedium.WiFi: "wifi",
    TransportMedium.Bluetooth: "bluetooth",
}


def online_from_reachability(reachability: QNetworkInformation.Reachability) -> bool | None:
    """``True``/``False`` for a clear verdict, ``None`` for "keep what you had"."""
    if reachability in _ONLINE:
        return True
    if reachability in _OFFLINE:
        return False
    return None


class QtNetworkWatcher(QObject):
    """Follows one ``QNetworkInformation`` instance and pushes into a monitor.

    Create it with :func:`attach_network_monitor`, which loads the backend.
    A UI that shows the transport medium or a captive-portal hint connects to
    :attr:`info`'s own signals (emitted from C++).

    It deliberately defines and emits no Python-side signal: with PySide6
    6.12.0 on Python 3.11, every ``SignalInstance.emit()`` from Python drops
    a reference to ``True`` (the return value), and after a few hundred the
    interpreter aborts with "bool_dealloc: deallocating True or False".
    """

    def __init__(
        self,
        monitor: NetworkMonitor,
        info: QNetworkInformation,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._monitor = monitor
        self._info = info
        self._metered_supported = info.supports(Feature.Metered)
        self._medium_supported = info.supports(Feature.TransportMedium)
        info.reachabilityChanged.connect(self._on_reachability_changed)
        info.isMeteredChanged.connect(self._on_metered_changed)
        info.transportMediumChanged.connect(self._on_transport_medium_changed)
        info.isBehindCaptivePortalChanged.connect(self._on_captive_portal_changed)
        self._connected = True
        # Apply the state the backend already knows; no signal repeats it.
        self._apply_reachability(info.reachability())
        self._apply_metered()

    # -- read-only view for the UI -----------------------------------------------------

    @property
    def monitor(self) -> NetworkMonitor:
        return self._monitor

    @property
    def info(self) -> QNetworkInformation:
        """The Qt singleton this watcher follows."""
        return self._info

    @property
    def backend_name(self) -> str:
        return self._info.backendName()

    @property
    def reachability(self) -> QNetworkInformation.Reachability:
        return self._info.reachability()

    @property
    def transport_medium(self) -> str:
        """``ethernet``, ``wifi``, ``cellular``, ``bluetooth`` or ``unknown``."""
        return _MEDIUM_NAMES.get(self._info.transportMedium(), "unknown")

    @property
    def behind_captive_portal(self) -> bool:
        """Shown to the user, not treated as offline: the portal page loads fine."""
        return self._info.isBehindCaptivePortal()

    def close(self) -> None:
        """Stop following Qt; the monitor keeps its last status."""
        if not self._connected:
            return
        self._connected = False
        info = self._info
        info.reachabilityChanged.disconnect(self._on_reachability_changed)
        info.isMeteredChanged.disconnect(self._on_metered_changed)
        info.transportMediumChanged.disconnect(self._on_transport_medium_changed)
        info.isBehindCaptivePortalChanged.disconnect(self._on_captive_portal_changed)

    # -- Qt notifications --------------------------------------------------------------

    @Slot(QNetworkInformation.Reachability)
    def _on_reachability_changed(self, reachability: QNetworkInformation.Reachability) -> None:
        self._apply_reachability(reachability)

    @Slot(bool)
    def _on_metered_changed(self, _metered: bool) -> None:
        self._apply_metered()

    @Slot(QNetworkInformation.TransportMedium)
    def _on_transport_medium_changed(self, medium: QNetworkInformation.TransportMedium) -> None:
        log.debug("transport medium: %s", _MEDIUM_NAMES.get(medium, "unknown"))
        self._apply_metered()

    @Slot(bool)
    def _on_captive_portal_changed(self, behind: bool) -> None:
        if behind:
            log.info("network: behind a captive portal; downloads may get a login page")

    # -- mapping -------------------------------------------------------------------------

    def _apply_reachability(self, reachability: QNetworkInformation.Reachability) -> None:
        online = online_from_reachability(reachability)
        log.debug("reachability %s => online=%s", reachability.name, online)
        if online is not None:
            self._monitor.update(online=online)

    def _apply_metered(self) -> None:
        if self._metered_supported:
            self._monitor.update(metered=self._info.isMetered())
        elif self._medium_supported:
            medium = self._info.transportMedium()
            if medium != TransportMedium.Unknown:
                self._monitor.update(metered=medium == TransportMedium.Cellular)


def attach_network_monitor(
    monitor: NetworkMonitor,
    *,
    backend: str | None = None,
    parent: QObject | None = None,
) -> QtNetworkWatcher | None:
    """Load a ``QNetworkInformation`` backend and make it drive ``monitor``.

    ``backend`` forces one by name (``"networkmanager"``, ``"glib"``, ...);
    by default Qt's default backend is tried, then any backend offering
    reachability. Returns ``None`` when nothing usable loads, so the caller
    can fall back to :class:`~bgfetch_gui.engine.network_fallback.FailureHeuristicMonitor`.

    ``QNetworkInformation`` is a process-wide singleton whose backend can be
    loaded once: a second call reuses whatever is loaded. A Qt application
    object must exist (its event loop delivers the change signals).
    """
    if QCoreApplication.instance() is None:
        raise RuntimeError("create a QCoreApplication or QApplication before attaching")
    info = _loaded_instance()
    if info is None:
        if backend is not None:
            QNetworkInformation.loadBackendByName(backend)
        elif not QNetworkInformation.loadDefaultBackend():
            QNetworkInformation.loadBackendByFeatures(Feature.Reachability)
        info = _loaded_instance()
    if info is None or not info.supports(Feature.Reachability):
        log.info(
            "network: no usable QNetworkInformation backend (available: %s)",
            ", ".join(QNetworkInformation.availableBackends()) or "none",
        )
        return None
    watcher = QtNetworkWatcher(monitor, info, parent)
    log.info(
        "network: Qt backend %r (metered: %s, transport medium: %s) reports %s",
        watcher.backend_name,
        "yes" if info.supports(Feature.Metered) else "no",
        "yes" if info.supports(Feature.TransportMedium) else "no",
        watcher.reachability.name,
    )
    return watcher


def _loaded_instance() -> QNetworkInformation | None:
    """The singleton, or ``None`` before a backend loads (the stubs omit the ``None``)."""
    return QNetworkInformation.instance()
