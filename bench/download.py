"""Throughput and peak memory of one large loopback download: bgfetch against curl, wget, aria2c.

    .venv/bin/python bench/download.py [--size 1G] [--runs 3]

Every client downloads the same file from the same fault server (a separate
process on 127.0.0.1) into a temporary folder, under ``/usr/bin/time -v`` for
the peak RSS. Prints MB/s, the ratio to curl, and peak RSS; checks the bytes.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.server import fault_server_process  # noqa: E402
from bgfetch_gui.engine.units import parse_size  # noqa: E402
from tests.support.faultserver import content_sha256  # noqa: E402


def clients(url: str, out: Path, home: Path) -> dict[str, list[str]]:
    bgfetch = [sys.executable, "-m", "bgfetch_gui.cli", "fetch", "--wait", "--dest", str(out), url]
    return {
        "bgfetch": bgfetch,
        "curl": ["curl", "-s", "-o", str(out / "curl.bin"), url],
        "wget": ["wget", "-q", "-O", str(out / "wget.bin"), url],
        "aria2c": ["aria2c", "-q", "-x1", "--allow-overwrite=true", "--file-allocation=none",
                   "-d", str(out), "-o", "aria2c.bin", url],
    }


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time in seconds and peak RSS in KiB of one run."""
    start = time.perf_counter()
    proc = subprocess.run(["/usr/bin/time", "-v", *cmd], capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"{cmd[0]} failed ({proc.returncode}): {proc.stderr[-500:]}")
    match = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    return elapsed, int(match.group(1)) if match else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", default="1G")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    size = parse_size(args.size)
    peers = ("curl", "wget", "aria2c", "/usr/bin/time")
    missing = [tool for tool in peers if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"missing: {', '.join(missing)} (apt-get install curl wget aria2 time)")

    expected = content_sha256(size)
    results: dict[str, list[tuple[float, int]]] = {}
    with fault_server_process() as base, tempfile.TemporaryDirectory() as tmp:
        url = f"{base}/file/bench.bin?size={size}"
        for n in range(args.runs):
            order = list(clients(url, Path(tmp) / "out", Path(tmp) / "home").items())
            # Rotate who goes first, and start each run with no dirty pages
            # left by the previous one: the disk, not the client, is
            # otherwise what gets measured.
            order = order[n % len(order):] + order[: n % len(order)]
            for name, cmd in order:
                out = Path(tmp) / "out"
                shutil.rmtree(out, ignore_errors=True)
                out.mkdir()
                env = {**os.environ, "BGFETCH_HOME": str(Path(tmp) / f"home{n}"),
                       "QT_QPA_PLATFORM": "offscreen"}
                os.sync()
                results.setdefault(name, []).append(run(cmd, env))
                [file] = list(out.iterdir())
                with open(file, "rb") as handle:
                    if n == 0 and hashlib.file_digest(handle, "sha256").hexdigest() != expected:
                        raise SystemExit(f"{name} stored wrong bytes")

    curl = statistics.median(t for t, _ in results["curl"])
    print(f"{size / 2**20:.0f} MiB over loopback, median of {args.runs} runs each")
    print(f"{'client':10} {'MB/s':>8} {'vs curl':>8} {'peak RSS':>10}")
    for name, runs in results.items():
        seconds = statistics.median(t for t, _ in runs)
        rss = max(r for _, r in runs)
        print(f"{name:10} {size / seconds / 1e6:8.0f} {curl / seconds:8.2f} {rss / 1024:8.1f} MB")


if __name__ == "__main__":
    main()
