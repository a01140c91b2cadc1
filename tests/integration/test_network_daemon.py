"""Network awareness in real processes: the ``bgfetch`` daemon and CLI.

(a), (b): the daemon runs Qt's real ``networkmanager`` QNetworkInformation
backend, talking to a fake NetworkManager on a private D-Bus
(``tests.support.fake_networkmanager``); the test flips it.

(c): no Qt backend at all, so the daemon falls back to
:class:`~bgfetch_gui.engine.network_fallback.FailureHeuristicMonitor`; two fault
servers on distinct origins go away and come back.

Every daemon is asked to quit and then killed by pid; every private bus stops.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli_helpers import (
    BGFETCH,
    Home,
    file_size,
    sha256_file,
    wait_until,
)
from tests.support.fake_networkmanager import FakeNetworkManager
from tests.support.faultserver import FaultServer, content_sha256

NO_BACKEND_ENV = "BGFETCH_NETWORK_BACKEND"  # the product switch these tests ask for

# Runs the real `bgfetch daemon`, except that loading a Qt network backend finds nothing:
# what a machine without NetworkManager, GLib or connman plugins looks like.
NO_BACKEND_LAUNCHER = r"""
import sys
import bgfetch_gui.host as host
host.attach_network_monitor = lambda monitor, **kwargs: None
from bgfetch_gui.cli import main
sys.exit(main(["daemon"]))
"""


class NetHome(Home):
    """A data folder whose processes also get ``extra_env`` (e.g. the fake NM's bus)."""

    def __init__(self, root: Path, extra_env: dict[str, str]) -> None:
        self.extra_env = dict(extra_env)
        super().__init__(root)
        self.daemons: list[subprocess.Popen[bytes]] = []

    @property
    def env(self) -> dict[str, str]:
        return {**super().env, **self.extra_env}

    @property
    def daemon_log(self) -> Path:
        return self.path.parent / "test-daemon.log"

    def start_daemon(self, argv: list[str] | None = None) -> subprocess.Popen[bytes]:
        """Start ``bgfetch daemon`` (or ``argv``) and wait until it answers on its socket."""
        with open(self.daemon_log, "ab") as log:
            proc = subprocess.Popen(
                argv or [*BGFETCH, "daemon"],
                env=self.env, cwd=self.path.parent, stdin=subprocess.DEVNULL,
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        self.daemons.append(proc)
        deadline = time.monotonic() + 20
        while self.ping() is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the daemon did not start (rc={proc.poll()}):\n{self.log_text()}")
            time.sleep(0.05)
        return proc

    def log_text(self) -> str:
        try:
            return self.daemon_log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def stop_all(self) -> None:
        """``bgfetch quit``, then SIGKILL by pid whatever still runs for this folder."""
        with contextlib.suppress(Exception):
            subprocess.run([*BGFETCH, "quit"], env=self.env, capture_output=True, timeout=20,
                           stdin=subprocess.DEVNULL)
        for proc in self.daemons:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        self.stop_engines()  # anything else of this folder (e.g. an auto-started daemon)

    # -- reading the state --------------------------------------------------------------

    def state(self, fetch_id: str) -> str:
        return str(self.show(fetch_id)["state"])

    def record_paths(self, fetch_id: str) -> dict[str, Path]:
        reg = self.show(fetch_id)
        return {
            rec["url"].split("?")[0].rsplit("/", 1)[-1]: Path(rec["path"])
            for rec in reg["records"]
            if rec["path"]
        }

    def part_file(self, fetch_id: str, name: str) -> Path:
        reg = self.show(fetch_id)
        return Path(reg["dest"]) / f"{name}.part"


@pytest.fixture
def nm() -> Iterator[FakeNetworkManager]:
    with FakeNetworkManager(online=True) as fake:
        yield fake


@pytest.fixture
def nm_home(tmp_path: Path, nm: FakeNetworkManager) -> Iterator[NetHome]:
    """A data folder whose daemon sees the fake NetworkManager (stopped before the bus)."""
    home = NetHome(tmp_path, nm.env())
    try:
        yield home
    finally:
        home.stop_all()


@pytest.fixture
def plain_home(tmp_path: Path) -> Iterator[NetHome]:
    home = NetHome(tmp_path, {})
    try:
        yield home
    finally:
        home.stop_all()


def assert_networkmanager_backend(home: NetHome, reachability: str) -> None:
    log = home.log_text()
    lines = [line for line in log.splitlines() if "network: Qt backend" in line]
    assert lines and "'networkmanager'" in lines[0], f"daemon did not use NetworkManager:\n{log}"
    assert lines[0].endswith(f"reports {reachability}"), lines[0]


def watch_states(home: NetHome, fetch_id: str, seconds: float, seen: list[str]) -> None:
    """Poll the state for ``seconds``, appending each change to ``seen``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        state = home.state(fetch_id)
        if not seen or seen[-1] != state:
            seen.append(state)
        time.sleep(0.1)


def wait_settled(home: NetHome, fetch_id: str, timeout: float) -> dict[str, Any]:
    reg = home.wait_state(fetch_id, {"success", "failure"}, timeout=timeout)
    assert reg["result"] == "success", (reg, home.log_text()[-3000:])
    assert reg["failure_reason"] == ""
    return reg


# -- (a) registered while NetworkManager says disconnected -----------------------------------------


def test_fetch_while_disconnected_waits_then_completes(
    nm: FakeNetworkManager, nm_home: NetHome, fault_server: FaultServer
):
    nm.set_online(False)
    nm_home.start_daemon()
    assert_networkmanager_backend(nm_home, "Disconnected")

    size = 500_000
    nm_home.ok("fetch", fault_server.url("a.bin", size=size), "--id", "a")
    assert nm_home.state("a") == "waiting-for-network"
    time.sleep(2.0)
    assert fault_server.requests == [], "a request left while NetworkManager said disconnected"
    assert nm_home.state("a") == "waiting-for-network"

    nm.set_online(True)
    wait_until(lambda: fault_server.requests_for("a.bin"), 3.0, what="the request once online")
    wait_settled(nm_home, "a", 20)
    assert [r.range for r in fault_server.requests_for("a.bin")] == [None]
    assert sha256_file(nm_home.record_paths("a")["a.bin"]) == content_sha256(size)
    assert nm_home.run("wait", "a").returncode == 0


# -- (b) NetworkManager drops mid-download ---------------------------------------------------------


def test_network_loss_mid_download_pauses_and_resumes_by_range(
    nm: FakeNetworkManager, nm_home: NetHome, fault_server: FaultServer
):
    nm_home.start_daemon()
    assert_networkmanager_backend(nm_home, "Online")
    size = 4_000_000
    nm_home.ok("fetch", fault_server.url("b.bin", size=size, rate=1_000_000), "--id", "b")
    wait_until(lambda: (nm_home.bytes_done("b") or [0])[0] >= 800_000, 10.0,
               what="a checkpoint past 800 kB")

    seen: list[str] = [nm_home.state("b")]
    dropped = time.monotonic()
    nm.set_online(False)
    nm_home.wait_state("b", "waiting-for-network", timeout=3)
    assert time.monotonic() - dropped < 2.0, "the daemon took too long to pause"
    seen.append("waiting-for-network")
    before = len(fault_server.requests_for("b.bin"))

    # The transfer stops and checkpoints; then nothing moves until the network is back.
    part = nm_home.part_file("b", "b.bin")
    wait_until(lambda: nm_home.bytes_done("b")[0] == file_size(part) > 0, 3.0,
               what="the checkpoint to equal the part file")
    time.sleep(0.3)
    sent = fault_server.bytes_sent
    checkpoint = nm_home.bytes_done("b")[0]
    watch_states(nm_home, "b", 1.5, seen)
    assert fault_server.bytes_sent == sent, "the server kept sending while offline"
    assert nm_home.bytes_done("b")[0] == checkpoint == file_size(part)
    assert len(fault_server.requests_for("b.bin")) == before, "a request while offline"
    assert set(seen[1:]) == {"waiting-for-network"}, seen

    back = time.monotonic()
    nm.set_online(True)
    wait_until(lambda: len(fault_server.requests_for("b.bin")) > before, 3.0,
               what="a request after NetworkManager reconnected")
    resumed = fault_server.requests_for("b.bin")[before]
    assert resumed.time - back < 2.0
    assert resumed.range is not None
    offset = int(resumed.range.removeprefix("bytes=").removesuffix("-"))
    assert resumed.range == f"bytes={offset}-" and offset >= checkpoint
    assert resumed.headers.get("If-Range")

    watch_states(nm_home, "b", 0.5, seen)
    wait_settled(nm_home, "b", 20)
    assert "failure" not in seen and "retrying" not in seen, seen
    assert sha256_file(nm_home.record_paths("b")["b.bin"]) == content_sha256(size)
    assert len(fault_server.requests_for("b.bin")) == before + 1
    assert "fetch b failed" not in nm_home.log_text()


# -- (c) no backend: the failure heuristics -----------------------------------------------------


def run_fallback_scenario(home: NetHome, servers: list[FaultServer]) -> None:
    """One fetch over two origins; both go away for 2.5 s and come back."""
    size = 2_000_000
    urls = [s.url(f"o{i}.bin", size=size, seed=i, rate=500_000) for i, s in enumerate(servers)]
    home.ok("fetch", *urls, "--id", "c")
    wait_until(lambda: min(home.bytes_done("c") or [0]) >= 200_000, 10.0,
               what="both files to make progress")

    for server in servers:
        server.refuse()
    seen: list[str] = []
    wait_until(lambda: home.state("c") in ("waiting-for-network", "failure"), 5.0,
               what="the fetch to notice the outage")
    assert home.state("c") == "waiting-for-network", home.log_text()[-3000:]
    counts = [len(s.requests) for s in servers]
    watch_states(home, "c", 2.0, seen)
    assert "failure" not in seen, seen
    for server in servers:
        server.accept()

    reg = wait_settled(home, "c", 25)
    assert reg["downloaded"] == 2 * size
    paths = home.record_paths("c")
    for i in range(2):
        assert sha256_file(paths[f"o{i}.bin"]) == content_sha256(size, i)
        later = [r for r in servers[i].requests[counts[i]:] if r.name == f"o{i}.bin"]
        assert later and later[0].range and later[0].range != "bytes=0-", (
            f"origin {i} was not resumed by Range: {[r.range for r in later]}"
        )
    assert "network looks offline" in home.log_text()


def test_fallback_without_any_backend_waits_instead_of_failing(
    plain_home: NetHome, fault_server_factory
):
    """The real daemon with a network-backend loader that finds nothing (stubbed in-process)."""
    servers = [fault_server_factory(), fault_server_factory()]
    assert servers[0].port != servers[1].port
    plain_home.start_daemon([*BGFETCH[:1], "-c", NO_BACKEND_LAUNCHER])
    log = plain_home.log_text()
    assert "network: Qt backend" not in log, log
    run_fallback_scenario(plain_home, servers)


def test_backend_none_switch_selects_the_fallback(plain_home: NetHome, fault_server_factory):
    """``BGFETCH_NETWORK_BACKEND=none`` must make the daemon skip QNetworkInformation.

    No environment setting of Qt's removes its network-information plugins (QT_PLUGIN_PATH
    only adds folders; the glib backend loads and says Online whatever the bus), so the
    fallback detector can only be reached on purpose through a product switch.
    """
    servers = [fault_server_factory(), fault_server_factory()]
    plain_home.extra_env[NO_BACKEND_ENV] = "none"
    plain_home.start_daemon()
    log = plain_home.log_text()
    loaded = [line for line in log.splitlines() if "network: Qt backend" in line]
    assert not loaded, (
        f"{NO_BACKEND_ENV}=none was ignored: the daemon loaded {loaded[0].split('network: ')[1]!r}"
        " (bgfetch_gui/host.py EngineHost.start always calls attach_network_monitor)"
    )
    run_fallback_scenario(plain_home, servers)


def test_show_json_reports_waiting_for_network_fields(
    nm: FakeNetworkManager, nm_home: NetHome, fault_server: FaultServer
):
    """``show --json`` while waiting: the docs/contracts.md §4 shape, nothing downloaded yet."""
    nm.set_online(False)
    nm_home.start_daemon()
    nm_home.ok("fetch", fault_server.url("j.bin", size=1000), "--id", "j")
    reg = json.loads(nm_home.ok("show", "j", "--json").stdout)
    assert reg["state"] == "waiting-for-network" and reg["result"] == ""
    assert reg["downloaded"] == 0 and reg["records"][0]["status"] is None
    listed = {r["id"]: r for r in json.loads(nm_home.ok("list", "--json").stdout)}
    assert listed["j"]["state"] == "waiting-for-network"
    nm.set_online(True)
    wait_settled(nm_home, "j", 15)


# -- (d) the CLI's own engine: no Qt, NetworkManager over D-Bus ------------------------------------


def test_fetch_wait_engine_follows_networkmanager_without_qt(
    nm: FakeNetworkManager, nm_home: NetHome, fault_server: FaultServer
):
    """``fetch --wait`` with no engine running waits while NetworkManager says
    disconnected, pauses when it drops mid-download and resumes by range after."""
    nm.set_online(False)
    size = 3_000_000
    url = fault_server.url("d.bin", size=size, rate=1_000_000)
    proc = nm_home.popen("fetch", "--wait", "--id", "d", url)
    try:
        wait_until(lambda: nm_home.ping() is not None, 30.0, what="the CLI's engine to answer")
        assert nm_home.ping()["kind"] == "cli"
        nm_home.wait_state("d", "waiting-for-network", timeout=10)
        time.sleep(1.0)
        assert fault_server.requests == [], "a request left while NetworkManager said disconnected"

        nm.set_online(True)
        wait_until(lambda: (nm_home.bytes_done("d") or [0])[0] >= 500_000, 15.0,
                   what="a checkpoint past 500 kB once online")
        nm.set_online(False)
        nm_home.wait_state("d", "waiting-for-network", timeout=3)
        before = len(fault_server.requests_for("d.bin"))
        nm.set_online(True)
        _, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(10)
    assert proc.returncode == 0, err
    log = (nm_home.path / "bgfetch.log").read_text()
    assert "network: NetworkManager over D-Bus reports state 20" in log, log
    assert "fetch d failed" not in log
    resumed = fault_server.requests_for("d.bin")[before:]
    assert resumed and resumed[0].range is not None and resumed[0].headers.get("If-Range")
    reg = nm_home.show("d")
    assert sha256_file(Path(reg["records"][0]["path"])) == content_sha256(size)
