"""A network that really goes away: a veth link into a network namespace, taken down.

The fault server runs inside a namespace of its own, reached from the root
namespace over a veth pair. The namespace, the veth names and the /30 subnet are
chosen per run (claimed atomically, see :func:`claim_subnet`), so two runs on
one machine never share them. The engine downloads a file from it while the
test takes the link down and up again:

* in step with the NetworkMonitor (link down + ``update(online=False)``, then
  link up + ``update(online=True)``): the transfer pauses without an error and
  resumes by ``Range`` from its checkpoint;
* without telling the monitor (link down only): the transfer stalls, times
  out, retries, and finishes by ``Range`` once the link is back, within the
  retry budget.

Needs root (CI runs as root). Nothing here skips: if the namespace cannot be
made, the test fails and says why.
"""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import json
import os
import secrets
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.engine.events import EventKind
from bgfetch_gui.engine.model import State
from bgfetch_gui.engine.network import NetworkMonitor
from tests.integration.engine_fixtures import Engine, fast_settings, start_engine, stop_engine
from tests.integration.test_network_pause import (
    db_checkpoints,
    file_digests,
    part_sizes,
    runner_stopped,
    states,
    until,
)
from tests.support.faultserver import content_sha256

ROOT = Path(__file__).resolve().parents[2]
SUBNET_POOL = ipaddress.IPv4Network("10.213.0.0/16")
"""Where each run picks its /30 (16384 of them)."""
GUARD_METRIC = "4242"
CLAIM_ATTEMPTS = 50

SERVER = r"""
import json, sys
from tests.support.faultserver import FaultServer

server = FaultServer(sys.argv[1], 0).start()
print(json.dumps({"ready": server.base_url}), flush=True)
for line in sys.stdin:
    cmd, _, arg = line.strip().partition(" ")
    if cmd == "release":
        server.release(arg)
        print(json.dumps(True), flush=True)
    elif cmd == "held":
        print(json.dumps(server.held(arg)), flush=True)
    elif cmd == "requests":
        print(json.dumps([
            {"name": r.name, "range": r.range, "if_range": r.headers.get("If-Range"),
             "time": r.time}
            for r in server.requests
        ]), flush=True)
    elif cmd == "bytes":
        print(json.dumps(server.bytes_sent), flush=True)
server.stop()
"""


def ip(
    *args: str, netns: str | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    argv = ["ip", *(["netns", "exec", netns, "ip"] if netns else []), *args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=10)
    if check and proc.returncode != 0:
        pytest.fail(f"`{' '.join(argv)}` failed (rc={proc.returncode}): {proc.stderr.strip()}")
    return proc


def _networks_in_use() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """Every subnet an address or a route of this machine (root namespace) covers."""
    found: list[ipaddress.IPv4Network | ipaddress.IPv6Network] = []
    for line in ip("-o", "addr", "show").stdout.splitlines():
        fields = line.split()
        if "inet" in fields:
            found.append(ipaddress.ip_interface(fields[fields.index("inet") + 1]).network)
    for line in ip("route", "show").stdout.splitlines():
        words = line.split()
        dest = words[1] if words and words[0] in ("unreachable", "blackhole", "prohibit") else (
            words[0] if words else "default")
        if dest != "default":
            found.append(ipaddress.ip_network(dest, strict=False))
    return found


def claim_subnet() -> ipaddress.IPv4Network:
    """A random /30 of :data:`SUBNET_POOL` that nothing on this machine uses, now ours.

    Adding its guard route is the claim: the kernel refuses a second identical
    route, so two runs racing for the same /30 cannot both get it. While the
    link is down its connected route is gone, and the namespace address would
    be routed out through the default gateway to whatever answers there; the
    guard route (kept under the connected one by its metric) makes it
    unreachable instead, so no packet leaves the machine.
    """
    for _ in range(CLAIM_ATTEMPTS):
        index = secrets.randbelow(SUBNET_POOL.num_addresses // 4)
        subnet = ipaddress.IPv4Network((int(SUBNET_POOL.network_address) + 4 * index, 30))
        if any(subnet.overlaps(used) for used in _networks_in_use()
               if isinstance(used, ipaddress.IPv4Network)):
            continue
        claim = ip("route", "add", "unreachable", str(subnet), "metric", GUARD_METRIC, check=False)
        if claim.returncode == 0:
            return subnet
    pytest.fail(f"no free /30 in {SUBNET_POOL} after {CLAIM_ATTEMPTS} tries")


@dataclass
class Link:
    netns: str
    root_if: str
    ns_if: str
    ns_addr: str
    server: subprocess.Popen[str]
    base_url: str

    def down(self) -> None:
        ip("link", "set", self.root_if, "down")
        route = ip("route", "get", self.ns_addr, check=False)
        assert route.returncode != 0, (
            f"{self.ns_addr} still routed with the link down: {route.stdout}")

    def up(self) -> None:
        ip("link", "set", self.root_if, "up")
        # The connected route comes back with the link; make sure before saying "online".
        deadline = time.monotonic() + 60
        while self.root_if not in ip("route", "get", self.ns_addr, check=False).stdout:
            if time.monotonic() > deadline:
                pytest.fail("no route to the namespace after the link came up")
            time.sleep(0.01)

    def url(self, name: str, **params: Any) -> str:
        query = "&".join(f"{k}={v}" for k, v in params.items())
        return f"{self.base_url}/file/{name}" + (f"?{query}" if query else "")

    def _ask(self, cmd: str) -> Any:
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.write(cmd + "\n")
        self.server.stdin.flush()
        line = self.server.stdout.readline()
        if not line:
            pytest.fail("the fault server in the namespace died")
        return json.loads(line)

    def release(self, key: str) -> None:
        """Let bodies held with ``hold=key`` continue (see ``faultserver.Holds``)."""
        self._ask(f"release {key}")

    def held(self, key: str) -> int:
        return int(self._ask(f"held {key}"))

    def requests_for(self, name: str) -> list[dict[str, Any]]:
        return [r for r in self._ask("requests") if r["name"] == name]

    def bytes_sent(self) -> int:
        return int(self._ask("bytes"))


@pytest.fixture
def link() -> Iterator[Link]:
    """A namespace with the fault server, a veth into it, on a /30 of its own; all removed after."""
    if os.geteuid() != 0:
        pytest.fail("these tests need root to create a network namespace (CI runs as root)")
    tag = secrets.token_hex(4)  # interface names stay within IFNAMSIZ (15)
    netns, root_if, ns_if = f"bgfetch-test-{tag}", f"bgfr{tag}", f"bgfn{tag}"
    subnet = claim_subnet()
    root_addr, ns_addr = (str(host) for host in subnet.hosts())
    server: subprocess.Popen[str] | None = None
    try:
        ip("netns", "add", netns)
        ip("link", "add", root_if, "type", "veth", "peer", "name", ns_if, "netns", netns)
        ip("addr", "add", f"{root_addr}/{subnet.prefixlen}", "dev", root_if)
        ip("link", "set", root_if, "up")
        ip("addr", "add", f"{ns_addr}/{subnet.prefixlen}", "dev", ns_if, netns=netns)
        ip("link", "set", ns_if, "up", netns=netns)
        ip("link", "set", "lo", "up", netns=netns)
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        server = subprocess.Popen(
            ["ip", "netns", "exec", netns, sys.executable, "-c", SERVER, ns_addr],
            cwd=ROOT, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1,
        )
        assert server.stdout is not None
        ready = server.stdout.readline()
        if not ready:
            pytest.fail(f"the fault server did not start in namespace {netns} (rc={server.poll()})")
        yield Link(netns, root_if, ns_if, ns_addr, server, json.loads(ready)["ready"])
    finally:
        if server is not None:
            with contextlib.suppress(Exception):
                assert server.stdin is not None
                server.stdin.close()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if server.stdout is not None:
                server.stdout.close()
        ip("netns", "del", netns, check=False)
        ip("link", "del", root_if, check=False)  # gone with the namespace, normally
        ip("route", "del", "unreachable", str(subnet), "metric", GUARD_METRIC, check=False)


@pytest.fixture
async def engine_for(tmp_path: Path) -> AsyncIterator[Any]:
    started: list[Engine] = []

    async def make(monitor: NetworkMonitor, **overrides: object) -> Engine:
        engine = await start_engine(tmp_path, fast_settings(**overrides), monitor)
        started.append(engine)
        return engine

    yield make
    for engine in started:
        await stop_engine(engine)


def resume_offset(request: dict[str, Any]) -> int:
    value = request["range"]
    assert value is not None and value.startswith("bytes=") and value.endswith("-"), value
    return int(value[len("bytes="):-1])


async def test_link_down_with_the_monitor_in_step_pauses_and_resumes(
    link: Link, engine_for, tmp_path: Path
):
    monitor = NetworkMonitor()
    # The body is held at 1 MB until the link is back, so the transfer is surely mid-way when
    # the link goes down; the stall guard must not fire while it is held.
    engine: Engine = await engine_for(monitor, max_retries=0, stall_timeout=60.0)
    size = 3_000_000
    url = link.url("step.bin", size=size, hold="step", hold_after=1_000_000)
    reg = await engine.manager.fetch("ns-step", [url])
    await until(lambda: reg.downloaded >= 800_000, 60.0, "progress over the veth link")

    link.down()
    monitor.update(online=False)
    assert reg.state == State.WAITING_FOR_NETWORK
    await until(lambda: runner_stopped(engine, reg), 60.0, "the transfer to stop")
    downloaded = reg.downloaded
    await asyncio.sleep(1.5)
    assert reg.downloaded == downloaded and reg.active
    checkpoint = db_checkpoints(tmp_path, reg.key)[0]
    assert checkpoint == part_sizes(reg)[0] == downloaded
    assert len(link.requests_for("step.bin")) == 1

    link.release("step")
    link.up()
    back = time.monotonic()
    monitor.update(online=True)
    await until(lambda: len(link.requests_for("step.bin")) >= 2, 60.0, "the resumed request")
    resumed = link.requests_for("step.bin")[1]
    assert resumed["time"] - back < 1.0
    assert resume_offset(resumed) >= checkpoint and resumed["if_range"]

    await engine.settled(reg, timeout=60)
    assert reg.result == "success", reg.failure_reason
    assert await file_digests(reg) == {"step.bin": content_sha256(size)}
    assert EventKind.FAIL not in engine.kinds(reg)
    assert State.RETRYING not in states(engine, reg)
    assert len(link.requests_for("step.bin")) == 2


async def test_link_down_unannounced_stalls_retries_and_resumes(
    link: Link, engine_for, tmp_path: Path
):
    """Nobody tells the monitor: stall timeout, retries against a dead route, then Range."""
    monitor = NetworkMonitor()
    engine: Engine = await engine_for(
        monitor, stall_timeout=1.0, connect_timeout=1.0,
        max_retries=10, retry_base_delay=0.2, retry_max_delay=1.0,
    )
    size = 3_000_000
    # Bytes must be flowing when the link goes down (the stall clock starts at the last one),
    # hence the rate; the hold is the backstop that keeps the file from finishing first.
    url = link.url("cut.bin", size=size, rate=1_000_000, hold="cut", hold_after=2_000_000)
    reg = await engine.manager.fetch("ns-cut", [url])
    await until(lambda: reg.downloaded >= 800_000, 60.0, "progress over the veth link")

    link.down()
    cut = time.monotonic()
    await until(lambda: reg.state == State.RETRYING, 3.0, "the stall to be noticed")
    assert time.monotonic() - cut >= 0.9, "the stall timeout is 1 s"
    assert reg.active and monitor.online
    await asyncio.sleep(2.0 - (time.monotonic() - cut))
    checkpoint = db_checkpoints(tmp_path, reg.key)[0]
    assert checkpoint == part_sizes(reg)[0] > 0
    assert len(link.requests_for("cut.bin")) == 1  # nothing gets through a dead link

    link.release("cut")
    link.up()
    await until(lambda: len(link.requests_for("cut.bin")) >= 2, 60.0, "a retry through the link")
    resumed = link.requests_for("cut.bin")[1]
    assert resume_offset(resumed) >= checkpoint and resumed["if_range"]

    await engine.settled(reg, timeout=60)
    assert reg.result == "success", reg.failure_reason
    assert await file_digests(reg) == {"cut.bin": content_sha256(size)}
    assert EventKind.FAIL not in engine.kinds(reg)
    assert State.RETRYING in states(engine, reg)
    assert State.WAITING_FOR_NETWORK not in states(engine, reg)
