"""Guess "offline" from connection failures where the OS can't tell us.

Used when no ``QNetworkInformation`` backend loads (a headless box without
NetworkManager, a sandbox): the transfers themselves are the only sensors.
One server refusing connections says nothing about the network, so it takes
failures to *two or more distinct origins* within a short window to call the
network offline. From then on the monitor probes, with exponential backoff,
origins that recently worked (and, failing those, the ones that failed) with
a ``HEAD`` request; the first HTTP answer of any status means "online".

The guess can be wrong: two servers that are simply down look exactly like a
lost network. After ``give_up_after`` seconds with no answer the monitor
says online again and stops counting those origins' failures, so their
fetches spend their retries and fail, instead of waiting forever and holding
every other fetch back.

Pure asyncio + aiohttp, no Qt: the engine and its tests run without a GUI.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable

import aiohttp

from bgfetch_gui.engine.http.sessions import PROXY_ERRORS, Sessions
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.proxy import Route

log = logging.getLogger("bgfetch.network")

Probe = Callable[[str], Awaitable[bool]]
"""Answers whether ``origin`` (scheme://host:port) responds at all."""


class FailureHeuristicMonitor(NetworkMonitor):
    """A :class:`NetworkMonitor` that infers offline from connection failures.

    Transfers call :meth:`connection_failed` only for failures to *connect*
    (refused, unreachable, DNS, connect timeout) and
    :meth:`connection_succeeded` when bytes arrive. All methods must be called
    from the thread running the asyncio loop.

    It also accepts status pushed by someone else through :meth:`update` (for
    example a Qt adapter whose backend reports ``Unknown``): an external
    "online" stops the probing; an external "offline" starts no probing,
    since whoever said so will also say when it is over.

    :param failure_threshold: failures within ``window`` that can mean offline.
    :param min_origins: how many distinct origins those failures must span; a
        single origin failing is that server's problem, not the network's.
    :param window: seconds a failure counts for.
    :param probe_initial_delay: seconds before the first probe; doubles (times
        ``probe_backoff``) after each unanswered round, up to ``probe_max_delay``.
    :param probe_timeout: seconds one probe round may take.
    :param max_probe_origins: how many origins one probe round asks at once.
    :param probe: how to ask an origin; defaults to an aiohttp ``HEAD /``.
    :param give_up_after: seconds of unanswered probing after which the
        failing origins are taken to be down, not the network.
    :param clock: monotonic seconds; replaceable so callers can reason about time.
    :param sessions: builds the probe's session, so probes take the transfers'
        proxy route (docs/contracts.md §8); None probes directly.
    """

    def __init__(
        self,
        *,
        online: bool = True,
        metered: bool = False,
        failure_threshold: int = 3,
        min_origins: int = 2,
        window: float = 10.0,
        probe_initial_delay: float = 1.0,
        probe_backoff: float = 2.0,
        probe_max_delay: float = 60.0,
        probe_timeout: float = 5.0,
        max_probe_origins: int = 4,
        probe: Probe | None = None,
        give_up_after: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
        sessions: Sessions | None = None,
    ) -> None:
        if failure_threshold < 1 or min_origins < 1:
            raise ValueError("failure_threshold and min_origins must be at least 1")
        if window <= 0 or probe_initial_delay < 0 or probe_timeout <= 0:
            raise ValueError("window and probe_timeout must be positive")
        if probe_backoff < 1 or probe_max_delay < probe_initial_delay:
            raise ValueError("backoff must not shrink the delay")
        super().__init__(online=online, metered=metered)
        self.failure_threshold = failure_threshold
        self.min_origins = min_origins
        self.window = window
        self.probe_initial_delay = probe_initial_delay
        self.probe_backoff = probe_backoff
        self.probe_max_delay = probe_max_delay
        self.probe_timeout = probe_timeout
        self.max_probe_origins = max_probe_origins
        self._probe = probe if probe is not None else self._head_probe
        self._clock = clock
        self.sessions = sessions
        self._failures: deque[tuple[float, str]] = deque()
        # Most recent last; a dict keeps insertion order and drops duplicates.
        self._recent_successes: dict[str, None] = {}
        self._recent_failed: dict[str, None] = {}
        self._probe_task: asyncio.Task[None] | None = None
        self._closed = False
        self.give_up_after = give_up_after
        self._presumed_down: set[str] = set()  # origins whose failures no longer count

    # -- what the transfers report -------------------------------------------------

    def connection_failed(self, origin: str) -> None:
        """Count a failure; enough of them across origins means offline."""
        if self._closed or not self.online or origin in self._presumed_down:
            # Already offline (ours or someone else's verdict), or a host we
            # already know to be down: nothing to add.
            return
        now = self._clock()
        self._failures.append((now, origin))
        _remember(self._recent_failed, origin, self.max_probe_origins)
        self._expire(now)
        origins = {o for _, o in self._failures}
        if len(self._failures) >= self.failure_threshold and len(origins) >= self.min_origins:
            log.warning(
                "network looks offline: %d connection failures to %d hosts within %gs; "
                "probing until one answers",
                len(self._failures),
                len(origins),
                self.window,
            )
            self._failures.clear()
            self._start_probing()  # first: it needs the running loop, and may raise
            super().update(online=False)

    def connection_succeeded(self, origin: str) -> None:
        """A working connection clears the failure window (and ends an outage)."""
        if self._closed:
            return
        self._failures.clear()
        _remember(self._recent_successes, origin, self.max_probe_origins)
        self._recent_failed.pop(origin, None)
        self._presumed_down.discard(origin)
        if self._probe_task is not None:
            log.info("network is back: %s answered", origin)
            self._stop_probing()
            super().update(online=True)

    def update(self, *, online: bool | None = None, metered: bool | None = None) -> None:
        """Take status from elsewhere; an external "online" ends our probing."""
        super().update(online=online, metered=metered)
        if online and self._probe_task is not None:
            self._stop_probing()
            self._failures.clear()

    async def close(self) -> None:
        """Cancel the probe task and wait for it to finish."""
        self._closed = True
        task = self._probe_task
        self._probe_task = None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    # -- introspection for callers and tests ----------------------------------------

    @property
    def probing(self) -> bool:
        """True while the monitor believes it is offline and probes for a way back."""
        return self._probe_task is not None

    def probe_candidates(self) -> list[str]:
        """Origins the next probe round asks: recent successes first, newest first."""
        candidates = list(reversed(self._recent_successes))
        candidates += [o for o in reversed(self._recent_failed) if o not in candidates]
        return candidates[: self.max_probe_origins]

    # -- internals ---------------------------------------------------------------

    def _expire(self, now: float) -> None:
        while self._failures and now - self._failures[0][0] > self.window:
            self._failures.popleft()

    def _start_probing(self) -> None:
        if self._probe_task is None:
            self._probe_task = asyncio.get_running_loop().create_task(
                self._probe_until_online(), name="bgfetch-network-probe"
            )

    def _stop_probing(self) -> None:
        task, self._probe_task = self._probe_task, None
        if task is not None and task is not asyncio.current_task():
            task.cancel()

    async def _probe_until_online(self) -> None:
        delay = self.probe_initial_delay
        rounds = 0
        started = self._clock()
        while True:
            await asyncio.sleep(delay)
            rounds += 1
            candidates = self.probe_candidates()
            if self._clock() - started >= self.give_up_after:
                log.warning(
                    "no answer for %gs: taking %s to be down, not the network",
                    self.give_up_after, ", ".join(self._recent_failed) or "those hosts",
                )
                self._presumed_down.update(self._recent_failed)
                self._probe_task = None
                self._failures.clear()
                super().update(online=True)
                return
            answered = await self._probe_round(candidates)
            if answered is not None:
                log.info("network is back: %s answered a probe (after %d rounds)", answered, rounds)
                self._probe_task = None
                self._failures.clear()
                super().update(online=True)
                return
            log.debug("probe round %d: none of %s answered; next in %gs", rounds, candidates, delay)
            delay = min(max(delay, 0.001) * self.probe_backoff, self.probe_max_delay)

    async def _probe_round(self, origins: list[str]) -> str | None:
        """Ask all ``origins`` at once; the first to answer wins."""
        if not origins:
            return None
        tasks: dict[asyncio.Future[bool], str] = {
            asyncio.ensure_future(self._probe(o)): o for o in origins
        }
        try:
            pending: set[asyncio.Future[bool]] = set(tasks)
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                for fut in done:
                    if not fut.cancelled() and fut.exception() is None and fut.result():
                        return tasks[fut]
            return None
        finally:
            for fut in tasks:
                fut.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)

    async def _head_probe(self, origin: str) -> bool:
        """``HEAD origin/``: any HTTP status is an answer; connection errors are not."""
        timeout = aiohttp.ClientTimeout(total=self.probe_timeout)
        try:
            route = await self.sessions.route() if self.sessions else Route()
            # A fresh connector each time: a pooled keep-alive socket proves nothing.
            async with (
                Sessions.open(
                    route, connector_options={"force_close": True}, timeout=timeout
                ) as session,
                session.head(origin.rstrip("/") + "/", allow_redirects=False) as response,
            ):
                # Through a proxy, "cannot reach the server" is the proxy's 502 or 504.
                proxied = route.proxy is not None or route.from_environment
                return not (proxied and response.status in (502, 504))
        except (*PROXY_ERRORS, aiohttp.ClientError, TimeoutError, OSError, ValueError):
            return False


def _remember(recent: dict[str, None], origin: str, limit: int) -> None:
    recent.pop(origin, None)
    recent[origin] = None
    while len(recent) > max(limit, 1):
        del recent[next(iter(recent))]
