"""The tray icon in a real tray host: ``trayer`` (XEmbed) on Xvfb.

The pytest process may already hold an offscreen ``QApplication`` (tests/gui), and a
process has one platform plugin for life, so the tray runs in a child process on
``xcb``: this very module, run as ``python -m tests.e2e.test_tray_host --child``. The
child shows bgfetch's :class:`Tray`, fed by a :class:`FetchListModel` on a real
:class:`FetchManager` (SQLite in ``tmp_path``) that downloads from the fault server,
and reports on stdout, one JSON object a line: whether a tray is available, the icon's
geometry, and every tooltip it shows. It takes commands on stdin (``fetch``, ``quit``),
so the test can look at the screen between steps.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.ui.tray import RING_COLOR
from tests.e2e.conftest import (
    Trayer,
    distinct_colours,
    embedded_icon,
    poll,
    screenshot,
    stop_process,
    x_tree,
)
from tests.support.faultserver import FaultServer
from tests.support.notification_fixtures import PrivateSessionBus

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
KB = 1000
TRAY_WAIT = 15.0  # trayer may take a moment to own the tray selection
IDLE_TOOLTIP = "bgfetch"


# ---------------------------------------------------------------------------------------
# The child: runs on xcb, prints JSON lines
# ---------------------------------------------------------------------------------------


def _say(**event: Any) -> None:
    print(json.dumps(event), flush=True)


async def _child(home: Path) -> int:
    from bgfetch_gui.engine.manager import FetchManager
    from bgfetch_gui.engine.model import FetchOptions
    from bgfetch_gui.engine.network import NetworkMonitor
    from bgfetch_gui.engine.settings import Settings
    from bgfetch_gui.engine.store import DB_NAME, Store
    from bgfetch_gui.qt import QApplication, QSystemTrayIcon
    from bgfetch_gui.ui.fetch_model import FetchListModel
    from bgfetch_gui.ui.icons import app_icon
    from bgfetch_gui.ui.tray import Tray

    app = QApplication.instance()
    assert app is not None
    started = time.monotonic()
    available = QSystemTrayIcon.isSystemTrayAvailable()
    while not available and time.monotonic() - started < TRAY_WAIT:
        await asyncio.sleep(0.1)
        available = QSystemTrayIcon.isSystemTrayAvailable()
    _say(event="tray", available=available, platform=QApplication.platformName(),
         waited=round(time.monotonic() - started, 2))
    if not available:
        return 3

    settings = Settings.from_dict({
        "download_dir": str(home / "Downloads"), "retry_base_delay": 0.05,
        # stall_timeout: the test holds the body while it takes screenshots.
        "retry_max_delay": 0.5, "max_retries": 2, "stall_timeout": 60.0,
        "connect_timeout": 2.0, "checkpoint_seconds": 0.2, "notifications": False,
    })
    store = Store(home / DB_NAME)
    manager = FetchManager(store, settings, home / "Downloads", NetworkMonitor())
    await manager.start()
    model = FetchListModel()
    model.attach(manager)
    tray = Tray(app_icon())
    last_tip = [tray.icon.toolTip()]

    def report_tooltip(_summary: object = None) -> None:
        text = tray.icon.toolTip()
        if text != last_tip[0]:
            last_tip[0] = text
            _say(event="tooltip", text=text, t=time.monotonic())

    # The app's wiring (app.py), plus a listener that reports what the tray now says.
    model.summary_changed.connect(tray.update_summary)
    model.summary_changed.connect(report_tooltip)
    tray.update_summary(model.summary)
    tray.show()

    def geometry() -> list[int]:
        rect = tray.icon.geometry()
        return [rect.x(), rect.y(), rect.width(), rect.height()]

    deadline = time.monotonic() + 10
    while geometry()[2] <= 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    _say(event="shown", visible=tray.icon.isVisible(), geometry=geometry(),
         tooltip=tray.icon.toolTip())

    loop = asyncio.get_running_loop()
    commands: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    def read_stdin() -> None:
        for line in sys.stdin:
            if line.strip():
                loop.call_soon_threadsafe(commands.put_nowait, json.loads(line))
        loop.call_soon_threadsafe(commands.put_nowait, {"cmd": "quit"})

    threading.Thread(target=read_stdin, daemon=True).start()
    settled: list[asyncio.Task[None]] = []
    try:
        while True:
            command = await commands.get()
            if command["cmd"] == "quit":
                break
            if command["cmd"] == "geometry":
                _say(event="geometry", geometry=geometry())
            elif command["cmd"] == "fetch":
                reg = await manager.fetch(command["id"], [command["url"]],
                                          FetchOptions(title=command["id"]))

                async def follow(reg: Any = reg) -> None:
                    while reg.active:
                        await asyncio.sleep(0.02)
                    _say(event="settled", result=str(reg.result),
                         reason=str(reg.failure_reason), t=time.monotonic())

                settled.append(asyncio.ensure_future(follow()))
    finally:
        for task in settled:
            task.cancel()
        tray.hide()
        model.detach()
        await manager.close()
        store.close()
    _say(event="bye")
    return 0


def child_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", action="store_true")
    parser.add_argument("--home", type=Path, required=True)
    args = parser.parse_args(argv)

    import qasync

    from bgfetch_gui.qt import QApplication

    app = QApplication(["bgfetch"])
    app.setApplicationName("bgfetch")
    app.setQuitOnLastWindowClosed(False)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        code: int = loop.run_until_complete(_child(args.home))
        return code
    finally:
        loop.close()


# ---------------------------------------------------------------------------------------
# The test side
# ---------------------------------------------------------------------------------------

class TrayChild:
    """The child process and what it has said so far."""

    def __init__(self, display: str, bus: PrivateSessionBus, home: Path) -> None:
        env = {k: v for k, v in os.environ.items()
               if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
        env.update(
            DISPLAY=display,
            QT_QPA_PLATFORM="xcb",
            # A private bus without a StatusNotifierWatcher: Qt uses the XEmbed tray.
            DBUS_SESSION_BUS_ADDRESS=bus.address,
            NO_PROXY="127.0.0.1,localhost",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        )
        self.stderr_path = home / "tray-child.stderr"
        with self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "tests.e2e.test_tray_host", "--child",
                 "--home", str(home)],
                env=env, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=err, text=True,
            )
        self.events: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self._lock:
                self.events.append(event)

    def seen(self, kind: str) -> list[dict[str, Any]]:
        with self._lock:
            return [e for e in self.events if e.get("event") == kind]

    def describe(self) -> str:
        status = "running" if self.proc.poll() is None else f"exited {self.proc.returncode}"
        with self._lock:
            events = list(self.events)
        return (f"tray child {status}; events {events}\n"
                f"stderr: {self.stderr_path.read_text(errors='replace')[-3000:]}")

    def expect(self, kind: str, timeout: float = 30,
               match: Callable[[dict[str, Any]], bool] = lambda e: True) -> dict[str, Any]:
        def found() -> dict[str, Any] | None:
            event = next((e for e in self.seen(kind) if match(e)), None)
            if event is None and self.proc.poll() is not None:
                pytest.fail(f"the tray child exited before {kind!r}\n{self.describe()}",
                            pytrace=False)
            return event

        return poll(found, timeout, lambda: f"{kind!r} from the tray child\n{self.describe()}")

    def send(self, **command: Any) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()

    def quit(self) -> int:
        self.send(cmd="quit")
        return self.proc.wait(timeout=15)


def ring_pixels(picture: Path, box: tuple[int, int, int, int]) -> int:
    """How many pixels of the ``box`` area of ``picture`` have the ring's green."""
    x, y, width, height = box
    raw = subprocess.run(
        ["convert", str(picture), "-crop", f"{width}x{height}+{x}+{y}", "+repage",
         "-depth", "8", "rgb:-"],
        capture_output=True, check=True, timeout=30,
    ).stdout
    ring = (RING_COLOR.red(), RING_COLOR.green(), RING_COLOR.blue())
    return sum(
        1 for i in range(0, len(raw) - 2, 3)
        if all(abs(raw[i + c] - ring[c]) < 48 for c in range(3))
    )


PERCENT = re.compile(r"^bgfetch\n1 downloading · (\d+)%")


def test_tray_icon_embeds_in_trayer_and_its_tooltip_follows_a_download(
    trayer: Trayer, session_bus: PrivateSessionBus, fault_server: FaultServer, tmp_path: Path,
) -> None:
    display = trayer.display
    home = tmp_path / "home"
    home.mkdir()
    child = TrayChild(display, session_bus, home)
    try:
        tray = child.expect("tray")
        assert tray["platform"] == "xcb", child.describe()
        assert tray["available"] is True, f"no system tray\n{trayer.describe()}"

        shown = child.expect("shown")
        assert shown["visible"] is True, child.describe()
        _x, _y, width, height = shown["geometry"]
        assert width > 0 and height > 0, f"the icon has no geometry: {shown}"
        assert shown["tooltip"] == IDLE_TOOLTIP

        # XEmbed: a bgfetch window is now a child of trayer's panel, where Qt says it is.
        box = poll(lambda: embedded_icon(display), 15,
                   lambda: f"an embedded bgfetch window\n{x_tree(display)}")
        assert box[2] >= 16 and box[3] >= 16, box

        def qt_agrees() -> bool:
            replies = child.seen("geometry")
            if replies and tuple(replies[-1]["geometry"]) == box:
                return True
            child.send(cmd="geometry")  # trayer may still be laying the panel out
            return False

        poll(qt_agrees, 10, lambda: f"Qt's icon geometry to match X's {box}: "
             f"{child.seen('geometry')}", interval=0.2)

        # On screen, the tray area holds a picture, not the bare panel.
        idle_picture = screenshot(display, tmp_path / "tray-idle.png")
        icon_colours = distinct_colours(idle_picture, *box)
        assert icon_colours >= 8, f"the tray area is nearly blank ({icon_colours} colours)"

        # A real download: the tooltip follows it, then goes back to idle.
        size = 500 * KB
        # Held half-way while the screenshots are taken: it cannot end before one shows the ring.
        url = fault_server.url("tray.bin", size=size, rate=200 * KB,
                               hold="tray", hold_after=size // 2)
        child.send(cmd="fetch", id="tray-e2e", url=url)
        first = child.expect("tooltip", match=lambda e: bool(PERCENT.match(e["text"])))
        # While it runs, the tray icon on screen gets the green progress ring.
        assert not ring_pixels(idle_picture, box), "a ring before anything runs"
        ringed: Path | None = None
        shots = 0
        while ringed is None and not child.seen("settled") and shots < 20:
            shots += 1
            picture = screenshot(display, tmp_path / f"tray-busy-{shots}.png")
            if ring_pixels(picture, box) >= 3:
                ringed = picture
        fault_server.release("tray")
        settled = child.expect("settled", timeout=60)
        assert settled["result"] == "success", settled
        idle = child.expect("tooltip", match=lambda e: e["t"] >= first["t"]
                            and e["text"] == IDLE_TOOLTIP)

        tips = [e["text"] for e in child.seen("tooltip")]
        percents = [int(m.group(1)) for m in map(PERCENT.match, tips) if m]
        assert len(percents) >= 2, tips
        assert percents == sorted(percents), tips
        assert percents[-1] > percents[0], f"the tooltip did not follow the download: {tips}"
        assert any(PERCENT.match(t) and t.endswith("/s") for t in tips), tips  # and the speed
        assert tips[-1] == IDLE_TOOLTIP and idle["text"] == IDLE_TOOLTIP, tips
        assert ringed is not None, \
            f"no progress ring on screen in {shots} screenshots while the download ran"
        assert (home / "Downloads" / "tray.bin").stat().st_size == size

        assert child.quit() == 0, child.describe()
        assert child.seen("bye"), child.describe()
    finally:
        if child.proc.stdin is not None:
            child.proc.stdin.close()
        stop_process(child.proc)


if __name__ == "__main__":
    sys.exit(child_main(sys.argv[1:]))
