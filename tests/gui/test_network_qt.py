"""Qt's real ``networkmanager`` QNetworkInformation backend drives the NetworkMonitor.

Nothing of Qt is mocked: a private ``dbus-daemon`` stands in for the system
bus, a fake NetworkManager (``tests.support.fake_networkmanager``) serves on
it, and a child Python process runs Qt with ``DBUS_SYSTEM_BUS_ADDRESS``
pointing there. A child per test because ``QNetworkInformation`` is a
process-wide singleton whose backend loads once, and Qt reads the system bus
address only when it first opens the bus.

The child runs the app's real topology: a Qt application on a qasync loop,
:func:`attach_network_monitor`, and a coroutine awaiting
:meth:`NetworkMonitor.wait_online`. It prints JSON lines: ``ready``, then a
``status`` per monitor change, ``woke`` whenever ``wait_online`` returns, and a
``snapshot`` for each ``status`` line the test writes to its stdin.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from tests.support.fake_networkmanager import (
    NM_CONNECTIVITY_PORTAL,
    NM_STATE_CONNECTED_LOCAL,
    NM_STATE_CONNECTED_SITE,
    NM_STATE_CONNECTING,
    FakeNetworkManager,
    PrivateBus,
)

ROOT = Path(__file__).resolve().parents[2]
Event = dict[str, Any]

CHILD = r"""
import asyncio, json, logging, os, sys

import qasync
from PySide6.QtCore import QCoreApplication, QSocketNotifier

mode, backend = sys.argv[1], sys.argv[2] or None
if mode == "gui":
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
else:
    app = QCoreApplication([])

from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.platform.network_qt import attach_network_monitor

logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="LOG %(name)s %(message)s")


def emit(**kw):
    print(json.dumps(kw), flush=True)


async def main():
    done = asyncio.get_running_loop().create_future()
    monitor = NetworkMonitor()
    monitor.subscribe(lambda s: emit(event="status", online=s.online, metered=s.metered))
    watcher = attach_network_monitor(monitor, backend=backend)
    if watcher is None:
        emit(event="no-backend", online=monitor.online)
        return

    def snapshot(event):
        emit(event=event, backend=watcher.backend_name, online=monitor.online,
             metered=monitor.metered, reachability=watcher.reachability.name,
             medium=watcher.transport_medium, portal=watcher.behind_captive_portal)

    async def waiter():
        while True:
            await monitor.wait_online()
            emit(event="woke")
            offline = asyncio.Event()
            unsubscribe = monitor.subscribe(lambda s: None if s.online else offline.set())
            await offline.wait()
            unsubscribe()

    pending = b""

    def on_stdin():
        nonlocal pending
        chunk = os.read(sys.stdin.fileno(), 4096)
        if not chunk:
            notifier.setEnabled(False)
            if not done.done():
                done.set_result(None)
            return
        pending += chunk
        while b"\n" in pending:
            line, pending = pending.split(b"\n", 1)
            if line.strip() == b"status":
                snapshot("snapshot")

    notifier = QSocketNotifier(sys.stdin.fileno(), QSocketNotifier.Type.Read)
    notifier.activated.connect(on_stdin)
    snapshot("ready")
    task = asyncio.ensure_future(waiter())
    await done
    task.cancel()
    watcher.close()


loop = qasync.QEventLoop(app)
asyncio.set_event_loop(loop)
with loop:
    loop.run_until_complete(main())
"""


class QtChild:
    """The Qt side in its own process, read line by line on a thread."""

    def __init__(self, env: dict[str, str], *, mode: str = "core", backend: str = "") -> None:
        self.lines: list[str] = []
        self.events: list[Event] = []
        self._queue: queue.Queue[Event | None] = queue.Queue()
        child_env = {
            **os.environ,
            **env,
            "QT_QPA_PLATFORM": "offscreen",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, mode, backend],
            cwd=ROOT,
            env=child_env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))
            if line.startswith("{"):
                self._queue.put(json.loads(line))
        self._queue.put(None)

    def expect(self, predicate: Callable[[Event], bool], timeout: float = 10.0) -> Event:
        """The next event matching ``predicate``; earlier ones are kept in ``events``."""
        deadline = time.monotonic() + timeout
        while True:
            remaining = deadline - time.monotonic()
            try:
                event = self._queue.get(timeout=max(remaining, 0))
            except queue.Empty:
                event = None
                remaining = 0
            if event is None:
                tail = "\n".join(self.lines[-30:])
                why = "timed out" if remaining <= 0 else "child exited"
                raise AssertionError(f"{why} waiting for an event; child output:\n{tail}")
            self.events.append(event)
            if predicate(event):
                return event

    def expect_status(self, *, online: bool, metered: bool | None = None) -> Event:
        def matches(e: Event) -> bool:
            return (
                e["event"] == "status"
                and e["online"] == online
                and (metered is None or e["metered"] == metered)
            )

        return self.expect(matches)

    def snapshot(self) -> Event:
        assert self.proc.stdin is not None
        self.proc.stdin.write("status\n")
        self.proc.stdin.flush()
        return self.expect(lambda e: e["event"] == "snapshot")

    def settled_snapshot(self, expected: Callable[[Event], bool], timeout: float = 10.0) -> Event:
        """Poll snapshots until ``expected`` holds (Qt handles D-Bus signals asynchronously)."""
        deadline = time.monotonic() + timeout
        while True:
            snap = self.snapshot()
            if expected(snap):
                return snap
            if time.monotonic() > deadline:
                raise AssertionError(f"last snapshot {snap} never matched")
            time.sleep(0.05)

    def close(self) -> int:
        if self.proc.stdin is not None and not self.proc.stdin.closed:
            self.proc.stdin.close()
        try:
            return self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        finally:
            self._reader.join(timeout=5)

    def __enter__(self) -> QtChild:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        code = self.close()
        if exc_type is None:
            assert code == 0, "\n".join(self.lines[-30:])


def statuses(child: QtChild) -> list[tuple[bool, bool]]:
    return [(e["online"], e["metered"]) for e in child.events if e["event"] == "status"]


def test_offline_online_and_metered_follow_networkmanager() -> None:
    with FakeNetworkManager(online=True, metered=False) as nm, QtChild(nm.env()) as child:
        ready = child.expect(lambda e: e["event"] == "ready")
        assert ready["backend"] == "networkmanager"
        assert (ready["online"], ready["metered"]) == (True, False)
        assert ready["reachability"] == "Online"
        assert ready["medium"] == "wifi"
        child.expect(lambda e: e["event"] == "woke")

        nm.set_online(False)
        child.expect_status(online=False)
        nm.set_online(True)
        child.expect_status(online=True)
        child.expect(lambda e: e["event"] == "woke")  # wait_online() returned on the loop

        nm.set_metered(True)
        child.expect_status(online=True, metered=True)
        nm.set_metered(False)
        child.expect_status(online=True, metered=False)

        nm.set_transport("ethernet")
        snap = child.settled_snapshot(lambda s: s["medium"] == "ethernet")
        assert (snap["online"], snap["metered"]) == (True, False)

    backend_logs = [line for line in child.lines if "network: Qt backend" in line]
    assert len(backend_logs) == 1, child.lines
    assert "'networkmanager'" in backend_logs[0]


def test_reachability_mapping_local_site_unknown() -> None:
    """Local => offline, Site => online, Unknown ("connecting") keeps the last verdict."""
    with FakeNetworkManager(online=True) as nm, QtChild(nm.env()) as child:
        child.expect(lambda e: e["event"] == "ready")

        nm.set_state(NM_STATE_CONNECTED_LOCAL)
        child.expect_status(online=False)
        nm.set_state(NM_STATE_CONNECTING)  # Qt: Unknown
        snap = child.settled_snapshot(lambda s: s["reachability"] == "Unknown")
        assert snap["online"] is False

        nm.set_state(NM_STATE_CONNECTED_SITE)
        child.expect_status(online=True)
        nm.set_state(NM_STATE_CONNECTING)
        snap = child.settled_snapshot(lambda s: s["reachability"] == "Unknown")
        assert snap["online"] is True

        nm.set_connectivity(NM_CONNECTIVITY_PORTAL)  # shown, not treated as offline
        snap = child.settled_snapshot(lambda s: s["portal"] is True)
        assert snap["online"] is True
        assert statuses(child) == [(False, False), (True, False)]


def test_twenty_quick_flips_end_in_the_right_state_under_qapplication() -> None:
    with FakeNetworkManager(online=True) as nm, QtChild(nm.env(), mode="gui") as child:
        child.expect(lambda e: e["event"] == "ready")
        for i in range(20):
            nm.set_online(i % 2 == 1)
            if i == 18:
                nm.set_metered(True)  # while offline: applies on reconnect, as with NM
        child.expect_status(online=True, metered=True)
        time.sleep(0.3)  # anything still in flight would show up in the snapshot
        snap = child.snapshot()
        assert (snap["online"], snap["metered"], snap["reachability"]) == (True, True, "Online")

    seen = statuses(child)
    assert seen[-1] == (True, True)
    # No flip was lost or merged: the online flag went down and up ten times, in order.
    flags = [online for online, _ in seen]
    transitions = [f for i, f in enumerate(flags) if i == 0 or f != flags[i - 1]]
    assert transitions == [False, True] * 10


def test_no_networkmanager_on_the_bus_means_no_watcher() -> None:
    """Forcing the networkmanager backend without NM: attach returns None (use the fallback)."""
    with (
        PrivateBus() as bus,
        QtChild({"DBUS_SYSTEM_BUS_ADDRESS": bus.address}, backend="networkmanager") as child,
    ):
        event = child.expect(lambda e: e["event"] in ("no-backend", "ready"))
        assert event == {"event": "no-backend", "online": True}
    assert any("no usable QNetworkInformation backend" in line for line in child.lines)


def test_starts_offline_when_networkmanager_says_so() -> None:
    with FakeNetworkManager(online=False) as nm, QtChild(nm.env()) as child:
        ready = child.expect(lambda e: e["event"] == "ready")
        assert (ready["online"], ready["reachability"]) == (False, "Disconnected")
        nm.set_online(True)
        child.expect(lambda e: e["event"] == "woke")
        assert child.events[-2] == {"event": "status", "online": True, "metered": False}
