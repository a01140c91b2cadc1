"""The scenarios of issue 8: each runs bgfetch and its peers alternately and returns a Table.

Alternating (and rotating who goes first each round) spreads the machine's
ups and downs over every client, so the ratios within one run are fair even
on a loaded machine. Before each run the output is deleted and the page cache
synced: otherwise the previous client's dirty pages are what gets measured.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from bench import clients
from bench.clients import ClientFailed, Run, Sample
from bench.goals import Goal
from bench.nginx import Nginx
from bench.report import Table
from bench.startup import fill, run_once

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30
MB = 1_000_000
THROTTLED_RATE = 1 * MiB  # per connection, as in the measurement
# Per connection. Slow enough that a 16-connection aria2c reaches 50 % after its
# first control-file save (1 s), fast enough that curl's single stream does a
# 64 MiB round in half a minute.
RESUME_RATE = 2 * MiB
RESUME_POLL = 0.002
# Folders of the document root that nginx rate-limits per connection.
RATES = {"throttled": THROTTLED_RATE, "resume": RESUME_RATE}
PROGRESS_FILE = "throttled/progress.bin"
SIXTEEN = "bgfetch, 16 connections"

T = TypeVar("T")


@dataclass(frozen=True)
class Sizes:
    single: int
    bundle_files: int
    bundle_file: int
    throttled: int
    resume: int
    stored: int
    progress_events: int


FULL = Sizes(single=1 * GiB, bundle_files=1000, bundle_file=16 * KiB, throttled=64 * MiB,
             resume=64 * MiB, stored=10_000, progress_events=50)
QUICK = Sizes(single=64 * MiB, bundle_files=200, bundle_file=16 * KiB, throttled=8 * MiB,
              resume=16 * MiB, stored=1_000, progress_events=10)


@dataclass
class Bench:
    """What every scenario shares: the server, its document root, a scratch folder, rounds."""

    server: Nginx
    root: Path
    work: Path
    rounds: int
    sizes: Sizes

    def serve(self, path: str, size: int) -> str:
        """Create ``path`` under the document root with ``size`` random bytes; its SHA-256."""
        target = self.root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        rng = random.Random(path)
        digest = hashlib.sha256()
        with open(target, "wb") as handle:
            for start in range(0, size, 4 * MiB):
                chunk = rng.randbytes(min(4 * MiB, size - start))
                digest.update(chunk)
                handle.write(chunk)
        return digest.hexdigest()

    def run_dir(self, name: str) -> Run:
        return Run(self.work / name / "out", self.work / name / "home")


@dataclass(frozen=True)
class Resumed:
    """One kill-and-resume: bytes nginx sent beyond the file's size, and the resume's wall time."""

    twice: int
    killed_after: float
    wall: float
    responses: int


def alternate(bench: Bench, run: Run, names: list[str],
              attempt: Callable[[str], T]) -> dict[str, list[T] | str]:
    """``attempt`` every client once per round, first place rotating.

    The result is each client's list of results, or why it failed: a client
    that fails once (exit code, wrong bytes) is not run again.
    """
    outcomes: dict[str, list[T] | str] = {}
    for n in range(bench.rounds):
        for name in names[n % len(names):] + names[:n % len(names)]:
            if isinstance(outcomes.get(name), str):
                continue
            run.fresh()
            os.sync()
            try:
                result = attempt(name)
            except ClientFailed as exc:
                outcomes[name] = str(exc)
                continue
            results = outcomes.setdefault(name, [])
            assert isinstance(results, list)
            results.append(result)
    return outcomes


def timed(bench: Bench, run: Run, commands: dict[str, list[str]],
          expected: Mapping[str, str]) -> dict[str, list[Sample] | str]:
    """Each command measured to its end, its files checked against ``expected``."""

    def attempt(name: str) -> Sample:
        sample = clients.measure(commands[name], run.env)
        clients.check_files(run.out, expected)
        return sample

    return alternate(bench, run, list(commands), attempt)


def medians(samples: list[Sample]) -> Sample:
    return Sample(statistics.median(s.wall for s in samples),
                  statistics.median(s.cpu for s in samples),
                  int(statistics.median(s.rss for s in samples)))


def timed_table(title: str,
                outcomes: dict[str, list[Sample] | str]) -> tuple[Table, dict[str, Sample]]:
    """Medians of every client and bgfetch ÷ peer on each peer's line."""
    table = Table(title, ["client", "wall s", "CPU s", "peak RSS MB",
                          "bgfetch ÷ peer: wall", "CPU", "peak RSS"])
    got = {name: medians(o) for name, o in outcomes.items() if isinstance(o, list)}
    ours = got.get("bgfetch")
    for name, outcome in outcomes.items():
        if isinstance(outcome, str):
            table.rows.append([name, f"failed: {outcome}", "", "", "", "", ""])
            continue
        m = got[name]
        ratios = ["", "", ""] if ours is None or name.startswith("bgfetch") else [
            f"{ours.wall / m.wall:.2f}×", f"{ours.cpu / m.cpu:.2f}×" if m.cpu else "–",
            f"{ours.rss / m.rss:.2f}×"]
        table.rows.append([name, f"{m.wall:.2f}", f"{m.cpu:.2f}", f"{m.rss / MB:.1f}", *ratios])
    return table, got


def ratio_goal(got: dict[str, Sample], peer: str, what: str, limit: float,
               metric: Callable[[Sample], float]) -> list[Goal]:
    if "bgfetch" not in got or peer not in got:
        return []
    return [Goal(what, metric(got["bgfetch"]) / metric(got[peer]), limit, "×")]


def _size(n: int) -> str:
    for unit, name in ((GiB, "GiB"), (MiB, "MiB")):
        if n >= unit:
            return f"{n / unit:g} {name}"
    return f"{n / KiB:g} KiB"


# -- the scenarios ---------------------------------------------------------------------


def single(bench: Bench) -> Table:
    size = bench.sizes.single
    expected = {"single.bin": bench.serve("plain/single.bin", size)}
    url = bench.server.url("plain/single.bin")
    run = bench.run_dir("single")
    outcomes = timed(bench, run, clients.one_file(url, run), expected)
    table, got = timed_table(f"single: one {_size(size)} file, no limit "
                             f"(median of {bench.rounds})", outcomes)
    table.goals += ratio_goal(got, "curl", "wall ≤ 1.2 × curl", 1.2, lambda s: s.wall)
    table.goals += ratio_goal(got, "curl", "CPU ≤ 1.5 × curl", 1.5, lambda s: s.cpu)
    table.notes.append(f"{clients.CURL_SYNCED}: curl, then coreutils' `sync` of the file "
                       "(an fsync), the durability bgfetch gives a finished file "
                       "(docs/contracts.md §3); the goals are judged against plain curl")
    if "bgfetch" in got:
        table.goals.append(Goal("peak RSS of the CLI engine ≤ 60 MB", got["bgfetch"].rss / MB,
                                60, " MB"))
    return table


def bundle(bench: Bench) -> Table:
    count, size = bench.sizes.bundle_files, bench.sizes.bundle_file
    expected = {f"f{i:04}.bin": bench.serve(f"bundle/f{i:04}.bin", size) for i in range(count)}
    urls = [bench.server.url(f"bundle/{name}") for name in expected]
    lists = bench.work / "bundle-lists"
    lists.mkdir(parents=True, exist_ok=True)
    run = bench.run_dir("bundle")
    outcomes = timed(bench, run, clients.bundle(urls, run, lists), expected)
    table, got = timed_table(f"bundle: one fetch of {count:,} files of {_size(size)} "
                             f"(median of {bench.rounds})", outcomes)
    table.goals += ratio_goal(got, "wget -i", "wall ≤ 1.0 × wget", 1.0, lambda s: s.wall)
    return table


def throttled(bench: Bench) -> Table:
    size = bench.sizes.throttled
    expected = {"throttled.bin": bench.serve("throttled/throttled.bin", size)}
    url = bench.server.url("throttled/throttled.bin")
    aria2 = "aria2c " + " ".join(clients.ARIA2_SPLIT)
    run = bench.run_dir("throttled")
    every = clients.one_file(url, run)
    # aria2c is told to use 16 connections; bgfetch's default is 8. Both are shown,
    # and the goal is judged at the same count, which bgfetch allows (at most 16).
    as_aria2 = clients.with_settings({"connections_per_file": 16}, every["bgfetch"])
    outcomes = timed(bench, run, {"bgfetch": every["bgfetch"], SIXTEEN: as_aria2,
                                  aria2: every[aria2]}, expected)
    table, got = timed_table(f"throttled: one {_size(size)} file, the server sends "
                             f"{_size(THROTTLED_RATE)}/s per connection "
                             f"(median of {bench.rounds})", outcomes)
    table.goals += ratio_goal(got, aria2, "wall ≤ 1.0 × aria2c", 1.0, lambda s: s.wall)
    if SIXTEEN in got and aria2 in got:
        table.goals.append(Goal(f"{SIXTEEN}: wall ≤ 1.0 × aria2c -x16",
                                got[SIXTEEN].wall / got[aria2].wall, 1.0, "×"))
    table.notes.append(f"bgfetch: its default of 8 connections per file; {SIXTEEN}: "
                       "`connections_per_file: 16` in settings.json, aria2c's count here")
    table.notes.append(f"curl and wget use one connection: {size / THROTTLED_RATE:.0f} s "
                       "by the server's limit, not measured")
    return table


def kill_when_written(cmd: list[str], env: Mapping[str, str], threshold: int) -> float:
    """Start ``cmd``, SIGKILL it once it has written ``threshold`` bytes; the seconds that took.

    Bytes written come from ``/proc/PID/io`` (``wchar``), which counts every
    client alike: one stream appending, or segments written in place into a
    sparse or preallocated file, whose size says nothing.
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    io = Path(f"/proc/{proc.pid}/io")
    try:
        while proc.poll() is None:
            fields = dict(line.split(": ") for line in io.read_text().splitlines())
            if int(fields["wchar"]) >= threshold:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return time.perf_counter() - started
            time.sleep(RESUME_POLL)
    except FileNotFoundError:
        pass  # it ended between poll() and the read
    raise ClientFailed(f"{Path(cmd[0]).name} finished (exit {proc.wait()}) before the kill at 50 %")


def resume(bench: Bench) -> Table:
    size = bench.sizes.resume
    path = "resume/resume.bin"
    expected = {"resume.bin": bench.serve(path, size)}
    url = bench.server.url(path)
    run = bench.run_dir("resume")
    commands = clients.resumable(url, run)

    def attempt(name: str) -> Resumed:
        first, then = commands[name]
        bench.server.served()  # forget what earlier runs were sent
        killed_after = kill_when_written(first, run.env, size // 2)
        sample = clients.measure(then, run.env)
        clients.check_files(run.out, expected)
        served = [s for s in bench.server.served() if s.path == f"/{path}"]
        return Resumed(sum(s.body_bytes for s in served) - size, killed_after, sample.wall,
                       len(served))

    outcomes = alternate(bench, run, list(commands), attempt)
    table = Table(f"resume: one {_size(size)} file at {_size(RESUME_RATE)}/s per connection, "
                  f"SIGKILL at 50 % written, then resumed (median of {bench.rounds})",
                  ["client", "fetched twice MiB", "worst MiB", "killed after s", "resume wall s",
                   "responses"])
    for name, outcome in outcomes.items():
        if isinstance(outcome, str):
            table.rows.append([name, f"failed: {outcome}", "", "", "", ""])
            continue
        twice = [r.twice for r in outcome]
        table.rows.append([name, f"{statistics.median(twice) / MiB:.2f}",
                           f"{max(twice) / MiB:.2f}",
                           f"{statistics.median(r.killed_after for r in outcome):.2f}",
                           f"{statistics.median(r.wall for r in outcome):.2f}",
                           f"{statistics.median(r.responses for r in outcome):g}"])
    ours = outcomes.get("bgfetch")
    if isinstance(ours, list):
        table.goals.append(Goal("≤ 8 MiB fetched twice per kill",
                                statistics.median(r.twice for r in ours) / MiB, 8, " MiB"))
    table.notes.append("fetched twice: body bytes nginx sent for the file (its access log) "
                       "minus the file's size; responses: how many nginx sent for it, both runs; "
                       "aria2c saves its control file once a second: killed before the first "
                       "save, it starts over")
    return table


def stored(bench: Bench) -> Table:
    count = bench.sizes.stored
    home = bench.work / "stored"
    home.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    fill(home, count)
    seeded = time.perf_counter() - started
    env = clients.bgfetch_env(home)
    lists, shows = [], []
    for _ in range(bench.rounds):
        lists.append(_timed_list(env, count))
        shows.append(run_once(home))
    costs = _progress_costs(bench, home)
    baseline = _progress_costs(bench, bench.work / "empty")
    table = Table(f"stored: {count:,} settled registrations in the data folder "
                  f"(median of {bench.rounds})", ["measure", "result"])
    table.rows += [
        ["`bgfetch list --json`", f"{statistics.median(lists):.2f} s"],
        ["GUI start to window shown", f"{statistics.median(shows):.2f} s"],
        ["progress event: CPU time of the GUI thread", _costs(costs["cpu_ms"])],
        ["progress event: wall time", _costs(costs["wall_ms"])],
        ["progress event with no stored fetch: CPU time", _costs(baseline["cpu_ms"])],
    ]
    if costs["cpu_ms"]:
        table.goals.append(Goal("a progress event costs ≤ 0.2 ms (mean CPU time)",
                                statistics.fmean(costs["cpu_ms"]), 0.2, " ms"))
    table.notes.append(f"seeded through the engine's Store in {seeded:.1f} s; progress measured "
                       "in the running GUI (window, model, notifications) while it downloads a "
                       "throttled file: the time the engine takes to hand one progress event "
                       "to every subscriber")
    return table


def _costs(costs: list[float]) -> str:
    if not costs:
        return "no progress event"
    return (f"mean {statistics.fmean(costs):.3f} ms, median {statistics.median(costs):.3f} ms, "
            f"worst {max(costs):.3f} ms over {len(costs)} events")


def _timed_list(env: Mapping[str, str], count: int) -> float:
    started = time.perf_counter()
    proc = subprocess.run([str(clients.BGFETCH), "list", "--json"], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0 or len(json.loads(proc.stdout)) < count:
        raise SystemExit(f"bgfetch list --json failed ({proc.returncode}): {proc.stderr[-400:]}")
    return elapsed


def _progress_costs(bench: Bench, home: Path) -> dict[str, list[float]]:
    """Progress-event costs (ms) of a GUI on ``home`` while it downloads a throttled file."""
    home.mkdir(parents=True, exist_ok=True)
    if not (bench.root / PROGRESS_FILE).exists():
        bench.serve(PROGRESS_FILE, bench.sizes.throttled)
    proc = subprocess.run(
        [sys.executable, "-m", "bench.progress_cost", "--home", str(home),
         "--url", bench.server.url(PROGRESS_FILE),
         "--events", str(bench.sizes.progress_events)],
        cwd=Path(__file__).resolve().parent.parent, env=clients.bgfetch_env(home),
        capture_output=True, text=True,
    )
    if proc.returncode != 0:
        raise SystemExit(f"bench.progress_cost failed: {proc.stderr[-800:]}")
    costs: dict[str, list[float]] = json.loads(proc.stdout.splitlines()[-1])
    return costs


SCENARIOS: dict[str, Callable[[Bench], Table]] = {
    "single": single, "bundle": bundle, "throttled": throttled, "resume": resume,
    "stored": stored,
}
