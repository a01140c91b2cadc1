"""The failure-heuristic network monitor against real servers on 127.0.0.1.

Two aiohttp servers on two ports are the "two distinct origins". Stopping
them makes real connections fail with "connection refused", which a tiny
stand-in for the transfer layer (:func:`fetch`) reports to the monitor exactly
as transfers do; restarting one must let the monitor's own HEAD probe bring
it back online within the backoff bound. Backoff parameters are small so the
whole module runs in a few seconds.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp
import pytest
from aiohttp import web

from bgfetch_gui.engine.network import NetworkStatus
from bgfetch_gui.engine.network_fallback import FailureHeuristicMonitor

PROBE_INITIAL = 0.05
PROBE_MAX = 0.4
PROBE_TIMEOUT = 1.0
# The longest a probe can take to notice a server that is back: one full
# backoff delay plus one probe round, plus scheduling slack.
BACK_ONLINE_BOUND = PROBE_MAX + PROBE_TIMEOUT + 1.0


class Origin:
    """An aiohttp server that can go away and come back on the same port.

    It serves only ``/data``: the probe's ``HEAD /`` gets a 404, which must
    count as an answer (any HTTP status proves the network works).
    """

    def __init__(self) -> None:
        self.port = 0
        self.requests: list[tuple[str, str, int]] = []
        self._runner: web.AppRunner | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def start(self) -> None:
        @web.middleware
        async def record(
            request: web.Request,
            handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
        ) -> web.StreamResponse:
            try:
                response: web.StreamResponse = await handler(request)
            except web.HTTPException as exc:
                self.requests.append((request.method, request.path, exc.status))
                raise
            self.requests.append((request.method, request.path, response.status))
            return response

        async def data(_request: web.Request) -> web.Response:
            return web.Response(body=b"x" * 1024)

        app = web.Application(middlewares=[record])
        app.router.add_get("/data", data)
        runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", self.port)
        await site.start()
        self.port = runner.addresses[0][1]
        self._runner = runner

    async def stop(self) -> None:
        runner, self._runner = self._runner, None
        if runner is not None:
            await runner.cleanup()


@pytest.fixture
async def origins() -> AsyncIterator[tuple[Origin, Origin]]:
    a, b = Origin(), Origin()
    await a.start()
    await b.start()
    yield a, b
    await a.stop()
    await b.stop()


@pytest.fixture
async def monitor() -> AsyncIterator[FailureHeuristicMonitor]:
    m = FailureHeuristicMonitor(
        failure_threshold=3,
        min_origins=2,
        window=10.0,
        probe_initial_delay=PROBE_INITIAL,
        probe_max_delay=PROBE_MAX,
        probe_timeout=PROBE_TIMEOUT,
    )
    yield m
    await m.close()


async def fetch(monitor: FailureHeuristicMonitor, origin: str) -> bool:
    """What a transfer does: GET, and report connect failures / arriving bytes."""
    try:
        async with (
            aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as s,
            s.get(origin + "/data", timeout=aiohttp.ClientTimeout(connect=2)) as response,
        ):
            await response.read()
    except aiohttp.ClientConnectorError:
        monitor.connection_failed(origin)
        return False
    monitor.connection_succeeded(origin)
    return True


def network_records(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bgfetch.network" and r.levelno >= logging.INFO]


async def test_offline_after_failures_to_two_origins_and_probe_brings_it_back(
    origins: tuple[Origin, Origin],
    monitor: FailureHeuristicMonitor,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="bgfetch.network")
    a, b = origins
    heard: list[NetworkStatus] = []
    monitor.subscribe(heard.append)
    assert await fetch(monitor, a.url)
    assert await fetch(monitor, b.url)

    await a.stop()
    await b.stop()
    assert not await fetch(monitor, a.url)
    assert not await fetch(monitor, a.url)
    assert monitor.online, "two failures to one origin are that server's problem"
    assert not await fetch(monitor, b.url)
    assert not monitor.online
    assert monitor.probing
    assert heard == [NetworkStatus(online=False)]

    # Probes keep failing for a while; more failures change nothing and log nothing.
    for _ in range(5):
        await fetch(monitor, a.url)
        await fetch(monitor, b.url)
    await asyncio.sleep(3 * PROBE_MAX)
    assert not monitor.online

    a.requests.clear()
    await a.start()  # only one origin comes back; that is enough
    started = time.monotonic()
    await asyncio.wait_for(monitor.wait_online(), BACK_ONLINE_BOUND)
    took = time.monotonic() - started
    assert took <= PROBE_MAX + PROBE_TIMEOUT + 0.5
    assert monitor.online
    assert not monitor.probing
    assert heard == [NetworkStatus(online=False), NetworkStatus(online=True)]
    assert ("HEAD", "/", 404) in a.requests, "the 404 of HEAD / counted as an answer"

    messages = [r.getMessage() for r in network_records(caplog)]
    assert len(messages) == 2, messages  # one per transition, none per failure
    assert "offline" in messages[0]
    assert "back" in messages[1]
    assert await fetch(monitor, a.url)


async def test_one_origin_failing_is_not_offline(
    origins: tuple[Origin, Origin], monitor: FailureHeuristicMonitor
) -> None:
    a, b = origins
    await a.stop()
    for _ in range(10):
        assert not await fetch(monitor, a.url)
    assert monitor.online
    assert not monitor.probing
    assert await fetch(monitor, b.url)


async def test_a_success_resets_the_failure_window(
    origins: tuple[Origin, Origin], monitor: FailureHeuristicMonitor
) -> None:
    a, b = origins
    await a.stop()
    monitor.connection_failed(b.url)
    assert not await fetch(monitor, a.url)
    assert await fetch(monitor, b.url)  # resets
    assert not await fetch(monitor, a.url)
    monitor.connection_failed(b.url)
    assert monitor.online, "only two failures since the last success"
    monitor.connection_failed(b.url)
    assert not monitor.online


async def test_failures_older_than_the_window_do_not_count() -> None:
    m = FailureHeuristicMonitor(window=0.2, probe_initial_delay=10)
    try:
        m.connection_failed("http://127.0.0.1:1")
        m.connection_failed("http://127.0.0.1:2")
        await asyncio.sleep(0.3)
        m.connection_failed("http://127.0.0.1:1")
        assert m.online
        m.connection_failed("http://127.0.0.1:2")
        m.connection_failed("http://127.0.0.1:1")
        assert not m.online
    finally:
        await m.close()


async def test_a_reported_success_ends_the_outage_at_once(
    origins: tuple[Origin, Origin],
) -> None:
    a, b = origins
    m = FailureHeuristicMonitor(probe_initial_delay=30, probe_max_delay=30)
    try:
        for origin in (a.url, b.url, a.url):
            m.connection_failed(origin)
        assert not m.online
        m.connection_succeeded(b.url)
        assert m.online
        assert not m.probing
    finally:
        await m.close()


async def test_external_online_stops_probing() -> None:
    """A Qt adapter may share the monitor; its "online" wins and ends the probes."""
    m = FailureHeuristicMonitor(probe_initial_delay=30, probe_max_delay=30)
    try:
        for port in (1, 2, 1):
            m.connection_failed(f"http://127.0.0.1:{port}")
        assert m.probing
        m.update(online=True)
        assert m.online
        assert not m.probing
    finally:
        await m.close()


async def test_probe_backs_off_exponentially_up_to_the_cap() -> None:
    calls: list[float] = []
    per_round = 3  # the last success and the two failed origins
    answer_in_round = 6

    async def probe(origin: str) -> bool:
        calls.append(time.monotonic())
        return len(calls) > per_round * (answer_in_round - 1)

    m = FailureHeuristicMonitor(
        probe_initial_delay=0.05, probe_backoff=2.0, probe_max_delay=0.2, probe=probe
    )
    try:
        m.connection_succeeded("http://127.0.0.1:9")
        for port in (1, 2, 1):
            m.connection_failed(f"http://127.0.0.1:{port}")
        start = time.monotonic()
        await asyncio.wait_for(m.wait_online(), 5)
    finally:
        await m.close()

    # One round's probes start together; rounds are separated by the backoff.
    rounds = [t for i, t in enumerate(calls) if i == 0 or t - calls[i - 1] > 0.02]
    assert len(rounds) == answer_in_round
    gaps = [b - a for a, b in zip([start, *rounds], rounds, strict=False)]
    expected = [0.05, 0.1, 0.2, 0.2, 0.2, 0.2]
    for gap, want in zip(gaps, expected, strict=True):
        assert want - 0.01 <= gap <= want + 0.15, (gaps, expected)


def test_probe_candidates_put_recent_successes_first() -> None:
    m = FailureHeuristicMonitor(max_probe_origins=3, failure_threshold=99)
    for origin in ("http://a:1", "http://b:1", "http://c:1", "http://d:1"):
        m.connection_succeeded(origin)
    m.connection_failed("http://e:1")
    m.connection_failed("http://b:1")  # failed since it worked: still a success to try
    assert m.probe_candidates() == ["http://d:1", "http://c:1", "http://b:1"]
    m2 = FailureHeuristicMonitor(failure_threshold=99)
    m2.connection_failed("http://x:1")
    m2.connection_failed("http://y:1")
    assert m2.probe_candidates() == ["http://y:1", "http://x:1"], "fall back to failed ones"


async def test_close_cancels_the_probe_task(
    origins: tuple[Origin, Origin], monitor: FailureHeuristicMonitor
) -> None:
    a, b = origins
    await a.stop()
    await b.stop()
    for origin in (a.url, b.url, a.url):
        await fetch(monitor, origin)
    [task] = [t for t in asyncio.all_tasks() if t.get_name() == "bgfetch-network-probe"]
    assert not task.done()
    await monitor.close()
    assert task.done()
    assert not monitor.probing
    monitor.connection_failed(a.url)  # after close: ignored, no new task
    assert not monitor.probing


async def test_hosts_that_stay_dead_are_given_up_on_not_the_network(
    origins: tuple[Origin, Origin],
) -> None:
    """Two servers that are simply down must not hold every fetch offline forever."""
    a, b = origins
    await a.stop()
    await b.stop()
    m = FailureHeuristicMonitor(probe_initial_delay=0.05, probe_max_delay=0.1, give_up_after=0.5)
    try:
        for _ in range(2):
            assert not await fetch(m, a.url)
            assert not await fetch(m, b.url)
        assert not m.online and m.probing
        async with asyncio.timeout(5):
            await m.wait_online()
        assert not m.probing
        for _ in range(5):  # their failures no longer count: their fetches fail on their own
            assert not await fetch(m, a.url)
            assert not await fetch(m, b.url)
        assert m.online
    finally:
        await m.close()
