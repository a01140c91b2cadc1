"""Start-up time of bgfetch-gui with 10,000 stored registrations, until the window shows.

Fills a fresh data folder with N settled registrations (nothing
downloads, so the number is about loading and showing), then starts
``python -m bgfetch_gui`` as a user would and takes the time from just
before the process starts to the first event-loop turn after ``show()``.
Goal: under 1.5 s.

    python bench/startup.py [--count 10000] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bgfetch_gui.engine.model import FetchRequest  # noqa: E402
from bgfetch_gui.engine.store import DB_NAME, Store  # noqa: E402

GOAL_S = 1.5


def fill(home: Path, count: int) -> None:
    """``count`` settled registrations of one or two requests: done, failed, cancelled.

    Written through the engine's Store, so the rows are what the engine itself
    would have stored, whatever its schema is today.
    """
    store = Store(home / DB_NAME)
    for n in range(count):
        kind = n % 10
        result, reason = (
            ("failure", "fetch-error") if kind == 7
            else ("failure", "aborted") if kind == 8
            else ("success", "")
        )
        requests = [FetchRequest(f"https://cdn.example.org/ep-{n}-{idx}.mp3")
                    for idx in range(1 + n % 2)]
        key = store.insert_registration(f"fetch-{n}", f"Episode {n}", (), 0,
                                        home / "dl" / str(n), requests, [0] * len(requests))
        size = 50_000_000 + n
        for idx in range(len(requests)):
            store.update_request(key, idx, status=200, filename=f"ep-{n}-{idx}.mp3",
                                 bytes_done=size if result == "success" else size // 3,
                                 size_total=size, complete=int(result == "success"))
        store.update_registration(key, result=result, failure_reason=reason,
                                  settled_at=time.time())
    store.close()


def run_once(home: Path) -> float:
    env = dict(os.environ, BGFETCH_HOME=str(home), BGFETCH_GUI_EXIT_AFTER_SHOW="1")
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-m", "bgfetch_gui"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=120,
    )
    for line in proc.stdout.splitlines():
        if line.startswith("shown-at "):
            return float(line.split()[1]) - start
    raise SystemExit(f"bgfetch-gui did not report its window (exit {proc.returncode}):\n"
                     f"{proc.stderr[-2000:]}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        fill(home, args.count)
        times = [run_once(home) for _ in range(args.runs)]
    best, median = min(times), statistics.median(times)
    verdict = "OK" if median < GOAL_S else "SLOW"
    print(f"startup with {args.count} registrations: median {median:.3f} s, best {best:.3f} s "
          f"over {args.runs} runs (goal < {GOAL_S} s) {verdict}")
    return 0 if median < GOAL_S else 1


if __name__ == "__main__":
    sys.exit(main())
