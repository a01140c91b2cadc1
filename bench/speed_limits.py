"""How closely the speed limits hold over 10 seconds (docs/contracts.md §9; goal: within 5 %).

    .venv/bin/python -m bench.speed_limits [--seconds 10] [--rates 1M,2M,4M]

For each rate, three cases run on a real engine against the fault server on
loopback: the fetch's own limit (global none), the global limit over a fetch
whose own is higher, and the fetch's own limit changed while running (from
half the rate to the rate, measured after the change). Each measures the
bytes received over ``--seconds`` after one second of settling, and prints one
JSON line per case with the deviation from the limit in percent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bgfetch_gui.engine.model import FetchOptions  # noqa: E402
from bgfetch_gui.engine.registration import Registration  # noqa: E402
from bgfetch_gui.engine.units import parse_size  # noqa: E402
from tests.integration.engine_fixtures import fast_settings, start_engine, stop_engine  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

GOAL_PERCENT = 5.0
SETTLE = 1.0


async def rate_over(reg: Registration, seconds: float) -> float:
    async with asyncio.timeout(30):
        while reg.downloaded == 0:
            await asyncio.sleep(0.01)
    await asyncio.sleep(SETTLE)
    first, start = reg.downloaded, time.monotonic()
    await asyncio.sleep(seconds)
    return (reg.downloaded - first) / (time.monotonic() - start)


async def case(server: FaultServer, name: str, rate: int, seconds: float) -> dict[str, object]:
    size = int(rate * (seconds + SETTLE + 5) * 2)
    with tempfile.TemporaryDirectory(prefix="bgfetch-bench-limits-") as folder:
        global_limit = rate if name == "global" else 0
        own = {"own": rate, "global": rate * 4, "changed": rate // 2}[name]
        engine = await start_engine(Path(folder), fast_settings(
            speed_limit=global_limit, connections_per_file=4, stall_timeout=30.0))
        try:
            reg = await engine.manager.fetch(
                name, [server.url(f"{name}.bin", size=size)], FetchOptions(max_speed=own))
            if name == "changed":
                await rate_over(reg, 1.0)
                engine.manager.set_speed_limit(reg, rate)
            measured = await rate_over(reg, seconds)
        finally:
            await stop_engine(engine)
    deviation = (measured - rate) / rate * 100
    return {"case": name, "limit": rate, "measured": round(measured), "seconds": seconds,
            "deviation_percent": round(deviation, 2),
            "within_goal": abs(deviation) <= GOAL_PERCENT}


async def main(rates: list[int], seconds: float) -> int:
    missed = 0
    with FaultServer() as server:
        for rate in rates:
            for name in ("own", "global", "changed"):
                result = await case(server, name, rate, seconds)
                missed += not result["within_goal"]
                print(json.dumps(result), flush=True)
    return 1 if missed else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--rates", default="1M,2M,4M")
    args = parser.parse_args()
    sys.exit(asyncio.run(main([parse_size(r) for r in args.rates.split(",")], args.seconds)))
