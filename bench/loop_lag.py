"""Event-loop lag of the GUI while a 1 GiB loopback download runs with the window open.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/loop_lag.py [--size 1G]

Runs the real app (GuiApp: engine, window, tray, notifications) in this
process on its qasync loop, downloads from the fault server in another
process, and measures how late a 10 ms QTimer fires: the time a click would
wait. Prints p50 / p99 / max, idle and during the download. Goal: p99 ≤ 20 ms.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402

from bench.server import fault_server_process  # noqa: E402
from bgfetch_gui.app import GuiApp, parse_args  # noqa: E402
from bgfetch_gui.engine.units import parse_size  # noqa: E402
from bgfetch_gui.qt import QApplication, QTimer  # noqa: E402

TICK_MS = 10
GOAL_MS = 20.0


class LagProbe:
    """A 10 ms timer that records how late each tick comes."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self._timer = QTimer()
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.lags.clear()
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> list[float]:
        self._timer.stop()
        return list(self.lags)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.lags.append(max(0.0, (now - self._last) * 1000 - TICK_MS))
        self._last = now


def report(name: str, lags: list[float]) -> float:
    ordered = sorted(lags)
    p99 = ordered[int(len(ordered) * 0.99) - 1]
    print(f"{name:12} ticks {len(lags):5}  p50 {statistics.median(lags):6.2f} ms  "
          f"p99 {p99:6.2f} ms  max {ordered[-1]:6.2f} ms")
    return p99


async def measure(home: Path, url: str) -> None:
    gui = GuiApp(home, parse_args([]))
    running = asyncio.ensure_future(gui.run())
    while gui.shown_at is None:
        await asyncio.sleep(0.05)
    probe = LagProbe()
    probe.start()
    await asyncio.sleep(2.0)
    idle = probe.stop()
    manager = gui.host.manager
    probe.start()
    started = time.perf_counter()
    reg = await manager.fetch("bench", [url], dest=home / "out")
    while reg.active:
        await asyncio.sleep(0.05)
    elapsed = time.perf_counter() - started
    busy = probe.stop()
    print(f"download: {reg.result}, {reg.downloaded / elapsed / 1e6:.0f} MB/s with the window open")
    report("idle", idle)
    p99 = report("downloading", busy)
    print(f"goal p99 <= {GOAL_MS:.0f} ms: {'met' if p99 <= GOAL_MS else 'NOT met'}")
    gui.host.quit_requested.set()
    await running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1G")
    args = parser.parse_args()
    with fault_server_process() as base, tempfile.TemporaryDirectory() as tmp:
        url = f"{base}/file/lag.bin?size={parse_size(args.size)}"
        os.environ["BGFETCH_HOME"] = tmp
        app = QApplication.instance() or QApplication([])
        loop = qasync.QEventLoop(app)
        asyncio.set_event_loop(loop)
        with loop:
            loop.run_until_complete(measure(Path(tmp), url))


if __name__ == "__main__":
    main()
