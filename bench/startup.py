"""Start-up time of bgfetch-gui with 10,000 stored registrations, until the window shows.

Fills a fresh data folder with N settled or paused registrations (nothing
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

from bgfetch_gui.engine.store import DB_NAME, Store  # noqa: E402

GOAL_S = 1.5


def fill(home: Path, count: int) -> None:
    """``count`` registrations of one or two requests: done, failed, cancelled, paused."""
    store = Store(home / DB_NAME)
    db = store._db  # bulk insert in one transaction: 10,000 single inserts take too long
    now = time.time()
    db.execute("BEGIN")
    for n in range(count):
        kind = n % 10
        result, reason, paused = (
            ("failure", "fetch-error", 0) if kind == 7
            else ("failure", "aborted", 0) if kind == 8
            else ("", "", 1) if kind == 9
            else ("success", "", 0)
        )
        cur = db.execute(
            "INSERT INTO registrations (id, title, icons, download_total, result, failure_reason,"
            " paused, dest, created_at, settled_at) VALUES (?, ?, '[]', 0, ?, ?, ?, ?, ?, ?)",
            (f"fetch-{n}", f"Episode {n}", result, reason, paused, str(home / "dl" / str(n)),
             now - count + n, None if not result else now - count + n + 1),
        )
        key = cur.lastrowid
        for idx in range(1 + n % 2):
            url = f"https://cdn.example.org/ep-{n}-{idx}.mp3"
            size = 50_000_000 + n
            db.execute(
                "INSERT INTO requests (reg_key, idx, request, status, filename, bytes_done,"
                " size_total, complete) VALUES (?, ?, ?, 200, ?, ?, ?, ?)",
                (key, idx,
                 f'{{"url": "{url}", "method": "GET", "headers": [], "body": null}}',
                 f"ep-{n}-{idx}.mp3", size if result == "success" else size // 3, size,
                 int(result == "success")),
            )
    db.execute("COMMIT")
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
