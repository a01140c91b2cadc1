"""The cost of one progress event in the running GUI, with the data folder's stored fetches.

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m bench.progress_cost --home DIR --url URL

Runs the real app (GuiApp: engine, window, tray, notifications) in this
process, as bench/loop_lag.py does, starts one fetch of URL (a real transfer)
and times every progress event the engine hands to its subscribers (window
model, tray, notifications), until ``--events`` of them or the fetch ends.
Prints the costs in milliseconds as JSON: ``cpu_ms``, the CPU time of the GUI
thread (what the event costs, unmoved by other processes on a busy machine),
and ``wall_ms``. ``bench/run.py`` runs this
against a data folder holding 10,000 stored fetches.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import qasync  # noqa: E402

from bgfetch_gui.app import GuiApp, parse_args  # noqa: E402
from bgfetch_gui.engine.events import EventKind, FetchEvent  # noqa: E402
from bgfetch_gui.qt import QApplication  # noqa: E402

SHOW_TIMEOUT = 120.0


async def measure(home: Path, url: str, wanted: int) -> dict[str, list[float]]:
    gui = GuiApp(home, parse_args([]))
    running = asyncio.ensure_future(gui.run())
    deadline = time.monotonic() + SHOW_TIMEOUT
    while gui.shown_at is None:
        if running.done() or time.monotonic() > deadline:
            raise SystemExit("the window never showed")
        await asyncio.sleep(0.05)
    bus = gui.host.manager.events
    hand_out = bus.emit
    costs: dict[str, list[float]] = {"cpu_ms": [], "wall_ms": []}

    def timed_emit(event: FetchEvent) -> None:
        if event.kind != EventKind.PROGRESS:
            hand_out(event)
            return
        cpu, wall = time.thread_time(), time.perf_counter()
        hand_out(event)
        costs["cpu_ms"].append((time.thread_time() - cpu) * 1000)
        costs["wall_ms"].append((time.perf_counter() - wall) * 1000)

    bus.emit = timed_emit  # type: ignore[method-assign]
    reg = await gui.host.manager.fetch("progress-cost", [url], dest=home / "progress-cost")
    while reg.active and len(costs["cpu_ms"]) < wanted:
        await asyncio.sleep(0.05)
    if reg.active:
        await reg.abort()
    elif reg.result != "success":
        raise SystemExit(f"the transfer failed: {reg.failure_reason}")
    gui.host.quit_requested.set()
    await running
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--url", required=True)
    parser.add_argument("--events", type=int, default=50)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        costs = loop.run_until_complete(measure(args.home, args.url, args.events))
    print(json.dumps(costs))


if __name__ == "__main__":
    main()
