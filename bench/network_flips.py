"""How fast does the engine pause on network loss and resume when the network returns?

A real throttled download from the fault server on 127.0.0.1; the engine's
NetworkMonitor is flipped offline/online ``--flips`` times (at least 20). For
each flip it measures, against the moment the signal was given:

pause
  * engine last byte  - the last chunk the engine took in after "offline"
                         (0 when none arrived after the signal)
  * transfer stopped  - the fetch's runner task gone: connection closed,
                         checkpoint written
  * server last byte  - the last body write the server made after "offline"
resume
  * server request    - the resumed request (``Range: bytes=N-``) arrives
  * engine first byte - the first chunk the engine takes in after "online"

and prints the median and the worst, in milliseconds.

    .venv/bin/python bench/network_flips.py [--flips 25] [--rate 2000000]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bgfetch_gui.engine import manager as manager_module  # noqa: E402
from bgfetch_gui.engine.manager import FetchManager  # noqa: E402
from bgfetch_gui.engine.model import State  # noqa: E402
from bgfetch_gui.engine.network import NetworkMonitor  # noqa: E402
from bgfetch_gui.engine.settings import Settings  # noqa: E402
from bgfetch_gui.engine.store import DB_NAME, Store  # noqa: E402
from tests.support import faultserver  # noqa: E402

ENGINE_BYTES: list[float] = []  # time.monotonic() of every chunk the engine counted
SERVER_BYTES: list[float] = []  # time.monotonic() of every body write of the server


def instrument() -> None:
    """Timestamp bytes on both sides by wrapping the two counting methods."""
    engine_add = manager_module._FetchHost.add_bytes
    server_add = faultserver.FaultState.add_bytes

    def engine_add_bytes(self: manager_module._FetchHost, n: int) -> None:
        ENGINE_BYTES.append(time.monotonic())
        engine_add(self, n)

    def server_add_bytes(self: faultserver.FaultState, count: int) -> None:
        SERVER_BYTES.append(time.monotonic())
        server_add(self, count)

    manager_module._FetchHost.add_bytes = engine_add_bytes  # type: ignore[method-assign]
    faultserver.FaultState.add_bytes = server_add_bytes  # type: ignore[method-assign]


def last_between(stamps: list[float], start: float, end: float) -> float | None:
    i = bisect.bisect_left(stamps, end) - 1
    return stamps[i] if i >= 0 and stamps[i] >= start else None


def first_between(stamps: list[float], start: float, end: float) -> float | None:
    i = bisect.bisect_left(stamps, start)
    return stamps[i] if i < len(stamps) and stamps[i] < end else None


async def run(flips: int, rate: int, online_s: float, offline_s: float) -> dict[str, list[float]]:
    size = 1 << 30  # never finishes during the run
    out: dict[str, list[float]] = {k: [] for k in (
        "pause: engine last byte", "pause: transfer stopped", "pause: server last byte",
        "resume: server request", "resume: engine first byte", "resume: server first byte",
    )}
    with tempfile.TemporaryDirectory(prefix="bgfetch-bench-") as tmp, \
            faultserver.FaultServer() as server:
        home = Path(tmp)
        settings = Settings(max_retries=0, checkpoint_seconds=0.1, stall_timeout=5.0)
        monitor = NetworkMonitor()
        manager = FetchManager(Store(home / DB_NAME), settings, home / "Downloads", monitor)
        await manager.start()
        try:
            reg = await manager.fetch("bench", [server.url("flip.bin", size=size, rate=rate)])
            while reg.downloaded == 0:
                await asyncio.sleep(0.01)
            marks: list[tuple[float, float, float, float]] = []
            for _ in range(flips):
                await asyncio.sleep(online_s)
                down = time.monotonic()
                monitor.update(online=False)
                while reg.key in manager._runners:
                    await asyncio.sleep(0.001)
                stopped = time.monotonic()
                assert reg.state == State.WAITING_FOR_NETWORK, reg.state
                await asyncio.sleep(offline_s)
                up = time.monotonic()
                monitor.update(online=True)
                marks.append((down, stopped, up, 0.0))
            await asyncio.sleep(online_s)
            end = time.monotonic()
            assert reg.active and reg.result == "", "the fetch must never fail on a flip"
            await reg.abort()
        finally:
            await manager.close()
            manager.store.close()

        arrivals = sorted(r.time for r in server.requests_for("flip.bin"))
        for i, (down, stopped, up, _) in enumerate(marks):
            next_down = marks[i + 1][0] if i + 1 < len(marks) else end
            last = last_between(ENGINE_BYTES, down, up)
            out["pause: engine last byte"].append(0.0 if last is None else last - down)
            out["pause: transfer stopped"].append(stopped - down)
            last = last_between(SERVER_BYTES, down, up)
            out["pause: server last byte"].append(0.0 if last is None else last - down)
            for key, stamps in (("resume: server request", arrivals),
                                ("resume: engine first byte", ENGINE_BYTES),
                                ("resume: server first byte", SERVER_BYTES)):
                first = first_between(stamps, up, next_down)
                if first is None:
                    raise SystemExit(f"flip {i}: nothing after coming back online ({key})")
                out[key].append(first - up)
        requests = server.requests_for("flip.bin")
        bad = [r.range for r in requests[1:] if not (r.range or "").startswith("bytes=")]
        if bad or len(requests) != flips + 1:
            raise SystemExit(f"unexpected requests: {len(requests)} for {flips} flips, {bad}")
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--flips", type=int, default=25)
    parser.add_argument("--rate", type=int, default=2_000_000, help="server bytes/s")
    parser.add_argument("--online", type=float, default=0.4, help="seconds online per flip")
    parser.add_argument("--offline", type=float, default=0.3, help="seconds offline per flip")
    args = parser.parse_args()
    if args.flips < 20:
        parser.error("--flips must be at least 20")
    instrument()
    started = time.monotonic()
    results = asyncio.run(run(args.flips, args.rate, args.online, args.offline))
    print(f"{args.flips} offline/online flips, throttled download at {args.rate} B/s "
          f"from 127.0.0.1 ({time.monotonic() - started:.1f} s)")
    print(f"{'latency after the signal':28} {'median ms':>10} {'worst ms':>10}")
    for name, values in results.items():
        ms = [v * 1000 for v in values]
        print(f"{name:28} {statistics.median(ms):10.1f} {max(ms):10.1f}")
    for side in ("engine", "server"):
        late = sum(1 for v in results[f"pause: {side} last byte"] if v > 0)
        print(f"flips where the {side} still moved bytes after the offline signal: "
              f"{late} of {args.flips}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
