"""The FetchManager: registers fetches, schedules them, and settles them.

Scheduling in one sentence: every active registration that is not paused runs
when the network is usable and a fetch slot is free; everything else shows
why it waits (``queued``, ``waiting-for-network``, ``paused``). Pausing, losing
the network and shutting down all stop a fetch the same way — its runner task
is cancelled, and each transfer checkpoints what reached the disk.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import aiohttp

from .. import __version__
from .alt_speed import AltSpeedSchedule, global_rate
from .credentials import CredentialProvider, NoCredentials
from .datadir import free_space
from .errors import InvalidFetch, QuotaExceeded, StoreError, UnknownFetch
from .events import EventBus, EventKind, FetchEvent
from .file_actions import clear_failures, earlier_failure, failed_for_good, runs
from .file_hashes import remember
from .http.context import HostConnections, TransferContext
from .http.durability import sync_files
from .http.errors import TransferFailed
from .http.sessions import PooledSessions, Sessions
from .http.shielded import through_cancels
from .http.transfer import Transfer
from .model import FailureReason, FetchOptions, FetchRequest, Icon, State
from .naming import PART_SUFFIX, bundle_folder_name, unique_name
from .network import NetworkMonitor, NetworkStatus
from .problems import ProblemCode, Waiting
from .proxy import BadProxy
from .queue_order import moved, place, placed, reassigned
from .ratelimit import RateLimiter
from .record_writes import RecordWrites
from .registration import Registration
from .schedule import Clock, WallClock, parse_window, when_text
from .secrets import Headers, MemorySecrets, RequestSecrets, SecretsUnavailable
from .settings import Settings
from .store import RequestRow, Store, disk_full
from .type_folders import type_root
from .units import human_size
from .validation import check_fetch, normalize_url

log = logging.getLogger("bgfetch.manager")

PROGRESS_INTERVAL = 0.1  # at most 10 progress events per second and fetch
BODIES_FOLDER = "bodies"  # snapshots of request bodies, in the data folder
# Reasons that stop every request of a fetch (the spec's "abort all" flag); any other
# failure lets the other requests finish first.
ABORT_ALL = frozenset({FailureReason.DOWNLOAD_TOTAL_EXCEEDED, FailureReason.QUOTA_EXCEEDED})


class FetchManager:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        downloads_dir: Path,
        monitor: NetworkMonitor | None = None,
        credentials: CredentialProvider | None = None,
        secrets: RequestSecrets | None = None,
        quota_of: Callable[[str], int] | None = None,
        sessions: Sessions | None = None,
        clock: Clock | None = None,
    ) -> None:
        """``quota_of(origin)``: the bytes a web origin's listed fetches may hold.
        ``sessions``: builds the HTTP sessions along the proxy setting (docs/contracts.md §8)."""
        self.store = store
        self.records = RecordWrites(store)  # request records, committed in batches
        self.credentials = credentials or NoCredentials()
        self.secrets = secrets or MemorySecrets()
        self.quota_of = quota_of
        self.settings = settings
        self.downloads_dir = downloads_dir
        self.monitor = monitor or NetworkMonitor()
        self.events = EventBus()
        self.limiter = RateLimiter(global_rate(settings))
        self._alt_schedule = AltSpeedSchedule()
        # Told True/False when the alternative speed limit turns on or off (§9).
        self.alt_speed_listeners: list[Callable[[bool], None]] = []
        self._regs: dict[int, Registration] = {}
        self._queue_positions: dict[int, int] = {}  # docs/contracts.md §10
        self._start_times: dict[int, float] = {}  # "start at", by key (§10)
        self.clock = clock or WallClock()
        self._wake: asyncio.Task[None] | None = None  # _schedule again when a time comes
        self._progress_due: set[int] = set()  # keys with a trailing progress event planned
        self._runners: dict[int, asyncio.Task[None]] = {}
        self._transfer_slots = asyncio.Semaphore(settings.max_transfers)
        self.sessions = sessions or Sessions(lambda: self.settings.proxy, self.credentials)
        self._pool: PooledSessions | None = None
        self._fetch_limiters: dict[int, RateLimiter] = {}  # of running fetches, by key
        self._hosts = HostConnections()
        self._disk = ThreadPoolExecutor(max_workers=4, thread_name_prefix="bgfetch-disk")
        self._closing = False
        # Secret headers of running fetches, by registration key and request index.
        self._secrets: dict[int, dict[int, Headers]] = {}
        self._forgetting: set[asyncio.Task[None]] = set()
        self._saving: dict[int, asyncio.Task[None]] = {}
        self._unsubscribe_network = self.monitor.subscribe(self._on_network)

    # -- life cycle -----------------------------------------------------------

    def load(self) -> None:
        """Read every registration from the store without starting anything."""
        self._queue_positions = self.store.queue_positions()
        self._start_times = self.store.start_times()
        problems = self.store.failure_problems()
        for row in self.store.load():
            reg = Registration(self, row)
            if reg.active and row.paused:
                reg.state = State.PAUSED
            if row.key in problems and not reg.active:
                reg.remember_failure(*problems[row.key])
            self._regs[row.key] = reg

    async def start(self) -> None:
        """Open the HTTP session and resume every unfinished registration."""
        if not self._regs:
            self.load()
        self._pool = PooledSessions(
            self.sessions,
            # No shared cookie jar: a cookie one server set during one fetch would ride
            # along with every other fetch to it, a web origin's or the user's. A
            # request carries only the cookies it was given (the browser's, per request).
            cookie_jar=aiohttp.DummyCookieJar(),
            auto_decompress=False,
            connector_options={"limit": 0, "limit_per_host": 0, "ttl_dns_cache": 300},
            headers={"User-Agent": f"bgfetch/{__version__}"},
        )
        for reg in self._regs.values():
            if not reg.active:
                self._forget_secrets(reg)  # settled while no engine could forget them
                self._drop_body_snapshots(reg)
        self._schedule()

    async def close(self) -> None:
        """Checkpoint and stop every transfer; registrations stay for the next start."""
        self._closing = True
        self._unsubscribe_network()
        if self._wake is not None:
            self._wake.cancel()
        await asyncio.gather(*(self._stop(reg) for reg in list(self._regs.values())))
        await asyncio.gather(*self._saving.values(), *self._forgetting)
        if self._pool is not None:
            await self._pool.close()
        self._disk.shutdown(wait=False)
        try:
            self.records.commit()
        except sqlite3.OperationalError as exc:
            log.error("the last checkpoints are lost: %s", _store_trouble(exc))
        await self.monitor.close()

    def context(self, session: aiohttp.ClientSession, limiter: RateLimiter) -> TransferContext:
        return TransferContext(
            session, self.settings, self.monitor, limiter, self.credentials,
            self._disk, self._hosts,
        )

    # -- the spec's API -------------------------------------------------------

    async def fetch(
        self,
        fetch_id: str,
        requests: Sequence[FetchRequest | str] | FetchRequest | str,
        options: FetchOptions | None = None,
        *,
        dest: Path | None = None,
        origin: str = "",
        secret_headers: Mapping[int, Headers] | None = None,
    ) -> Registration:
        """Register a fetch and start it when a slot and the network allow.

        ``origin`` is the web origin the fetch belongs to (``""``: the user's own);
        ids are unique per origin. ``secret_headers`` (request index → headers,
        e.g. a browser's cookies) are kept by ``secrets``, never in the database.
        """
        options = options or FetchOptions()
        if isinstance(requests, (str, FetchRequest)):
            requests = [requests]  # fetch() step 4: one request is a list of one
        reqs = [FetchRequest(r) if isinstance(r, str) else r for r in requests]
        check_fetch(fetch_id, reqs, options)
        reqs = [dataclasses.replace(r, url=normalize_url(r.url)) for r in reqs]
        if self.get(fetch_id, origin) is not None:
            raise InvalidFetch(f"a fetch with id {fetch_id!r} is already active")
        secrets = {i: h for i, h in (secret_headers or {}).items() if h and 0 <= i < len(reqs)}
        await self._check_free_space(options.download_total, dest)
        folder = self._bundle_folder(fetch_id, options.title, dest, [r.url for r in reqs])
        reqs = await self._snapshot_bodies(reqs)
        try:
            key = self.store.insert_registration(
                fetch_id,
                options.title,
                options.icons,
                options.download_total,
                folder,
                reqs,
                [r.body.stat().st_size if r.body else 0 for r in reqs],
                origin=origin,
                secret_indices=secrets.keys(),
                proxy=options.proxy,
                max_speed=options.max_speed,
                start_at=options.start_at,
            )
        except sqlite3.IntegrityError:
            # Another process registered it between our check and the insert.
            await _delete(r.body for r in reqs if r.body is not None)
            raise InvalidFetch(f"a fetch with id {fetch_id!r} is already active") from None
        except sqlite3.OperationalError as exc:
            raise StoreError(f"cannot store the fetch in {self.store.path.parent}: "
                             f"{_store_trouble(exc)}") from None
        row = self.store.load(key)[0]
        reg = Registration(self, row)
        self._regs[key] = reg
        if options.start_at:
            self._start_times[key] = options.start_at
        if secrets:
            # In memory at once, for the run; in the store before this call returns.
            self._secrets[key] = secrets
            saving = asyncio.get_running_loop().create_task(self._keep_secrets(reg, secrets))
            self._saving[key] = saving
        self._emit(EventKind.REGISTERED, reg)
        self._schedule()
        if secrets:
            await asyncio.shield(saving)  # a caller that goes away does not stop the save
        return reg

    async def _check_free_space(self, download_total: int, dest: Path | None) -> None:
        """The spec's quota check at ``fetch()``: refuse what cannot fit on the disk."""
        if not download_total:
            return
        folder = dest.expanduser().absolute() if dest is not None else self.downloads_dir
        free = await asyncio.to_thread(free_space, folder)
        if download_total > free:
            raise QuotaExceeded(
                f"not enough space: the fetch needs {human_size(download_total)} "
                f"({download_total} bytes), {folder} has {human_size(free)} ({free} bytes) free",
                download_total,
                free,
            )

    async def _snapshot_bodies(self, reqs: list[FetchRequest]) -> list[FetchRequest]:
        """Copy each request body into the data folder, so the body sent is the one given
        at ``fetch()`` whatever happens to the original (docs/contracts.md §1)."""
        if not any(r.body is not None for r in reqs):
            return reqs
        folder = self.store.path.parent / BODIES_FOLDER

        def copy_all() -> list[FetchRequest]:
            folder.mkdir(mode=0o700, exist_ok=True)
            copies = []
            for request in reqs:
                if request.body is not None:
                    copy = folder / f"{uuid.uuid4().hex}.body"
                    shutil.copyfile(request.body, copy)
                    request = dataclasses.replace(request, body=copy)
                copies.append(request)
            return copies

        try:
            return await asyncio.to_thread(copy_all)
        except OSError as exc:
            raise InvalidFetch(f"cannot keep a copy of a request body: {exc}") from None

    def get(self, fetch_id: str, origin: str = "") -> Registration | None:
        """The active registration of ``origin`` with this id (settled ones are not
        returned, as in the spec)."""
        for reg in self._regs.values():
            if reg.id == fetch_id and reg.origin == origin and reg.active:
                return reg
        return None

    def get_ids(self, origin: str = "") -> list[str]:
        return [reg.id for reg in self._regs.values() if reg.active and reg.origin == origin]

    # -- beyond the spec: every registration, pause, resume, retry, remove -----

    def registrations(self) -> list[Registration]:
        """Every registration, active and settled, oldest first."""
        return list(self._regs.values())

    def registration(self, key: int) -> Registration | None:
        """The registration with this store key, without a scan (event handlers use it)."""
        return self._regs.get(key)

    def find(self, fetch_id: str, origin: str | None = None) -> Registration:
        """The active registration with this id, else the newest settled one.

        ``origin=None`` (the user's full rights) looks at the user's own fetches
        first, then at every web origin's.
        """
        same_id = [r for r in self._regs.values() if r.id == fetch_id]
        scopes = [origin] if origin is not None else ["", None]
        for scope in scopes:
            mine = [r for r in same_id if scope is None or r.origin == scope]
            if mine:
                active = [r for r in mine if r.active]
                return active[-1] if active else mine[-1]
        raise UnknownFetch(fetch_id)

    def origin_usage(self, origin: str) -> int:
        """Bytes the listed fetches of a web origin hold (or are receiving)."""
        return sum(r.downloaded for r in self._regs.values() if r.origin == origin)

    def byte_budget(self, reg: Registration) -> int | None:
        """How many bytes ``reg`` may hold under its origin's quota (None: no quota)."""
        if not reg.origin or self.quota_of is None:
            return None
        others = self.origin_usage(reg.origin) - reg.downloaded
        return max(0, self.quota_of(reg.origin) - others)

    async def pause(self, reg: Registration) -> bool:
        if not reg.active or reg.row.paused:
            return False
        refusal = reg.pause_refusal
        if refusal:
            raise InvalidFetch(refusal)
        reg.row.paused = True
        self.store.update_registration(reg.key, paused=1)
        await self._stop(reg)
        self.set_state(reg, State.PAUSED)
        self._schedule()
        return True

    async def resume(self, reg: Registration) -> bool:
        if not reg.active or not reg.row.paused:
            return False
        reg.row.paused = False
        self.store.update_registration(reg.key, paused=0)
        self.set_state(reg, State.QUEUED)
        self._schedule()
        return True

    async def abort(self, reg: Registration) -> bool:
        if not reg.active:
            return False
        reg.aborting = True  # so the runner's exit does not schedule it again
        await self._stop(reg)
        self._settle(reg, FailureReason.ABORTED)
        await _delete(
            reg.dest / (row.filename + PART_SUFFIX)
            for row in reg.row.requests if row.filename and not row.complete
        )
        return True

    async def retry(self, reg: Registration) -> Registration:
        """Register a settled, failed fetch again; completed files and partial bytes are kept."""
        if reg.active or reg.result != "failure":
            raise InvalidFetch(f"fetch {reg.id!r} has not failed")
        if self.get(reg.id) is not None:
            raise InvalidFetch(f"a fetch with id {reg.id!r} is already active")
        sent = [r for r in reg.row.requests if r.sent and not r.complete]
        if sent:
            raise InvalidFetch(f"fetch {reg.id!r} sent a {sent[0].request.method.upper()} "
                               "request that did not complete; bgfetch does not send it twice")
        clear_failures(self, reg)
        self._reopen(reg)
        self._schedule()
        return reg

    def _reopen(self, reg: Registration) -> None:
        """A failed fetch is active again, its files as they are."""
        reg.row.result = ""
        reg.row.failure_reason = ""
        reg.failure_detail = ""
        reg.failure_file = None
        reg.row.settled_at = None
        reg.ui_updates_left = 1
        reg.aborting = False
        self.store.update_registration(reg.key, result="", failure_reason="", settled_at=None)
        self.store.set_failure_problem(reg.key, "", None)
        self.set_state(reg, State.QUEUED)

    def is_running(self, reg: Registration) -> bool:
        """Whether ``reg``'s transfers run now."""
        return reg.key in self._runners

    async def restart(self, reg: Registration) -> None:
        """Run ``reg`` with its files as the user's per-file actions left them
        (docs/contracts.md §13): a running fetch stops, checkpointed, and runs again at
        once; a paused one stays paused; a failed one is active again, or settles at once
        when it has nothing left to download."""
        if reg.active:
            await self._stop(reg)
        elif not any(runs(row) for row in reg.row.requests):
            left = earlier_failure(reg)
            if left is None:
                self._reopen(reg)
                self._settle(reg, FailureReason.NONE)
            else:
                reg.failure_file, failure = left
                reg.failure_detail = str(failure)
                self._emit(EventKind.UPDATED, reg)
            return
        else:
            self._reopen(reg)
        self._schedule()
        self._emit(EventKind.UPDATED, reg)

    async def remove(self, reg: Registration, *, delete_files: bool = False) -> None:
        """Forget a registration (aborting it if active), optionally deleting its files."""
        if reg.active:
            await self.abort(reg)
        if delete_files:
            # A finished row owns its file; an unfinished one only its part file.
            await _delete(
                reg.dest / (row.filename if row.complete else row.filename + PART_SUFFIX)
                for row in reg.row.requests if row.filename
            )
            # Our own bundle folder (maybe in a folder by type, §14), and only if now empty.
            if len(reg.row.requests) > 1 and self.downloads_dir in reg.dest.parents[:2]:
                with contextlib.suppress(OSError):
                    reg.dest.rmdir()
        await self._forget_secrets_now(reg)
        self.store.delete_registration(reg.key)
        del self._regs[reg.key]
        self._emit(EventKind.REMOVED, reg)

    def update_ui(self, reg: Registration, title: str | None, icons: Sequence[Icon] | None) -> None:
        if title is not None:
            reg.row.title = title
        if icons is not None:
            reg.row.icons = tuple(icons)
        self.store.update_registration(reg.key, title=reg.row.title, icons=reg.row.icons)
        self._emit(EventKind.UPDATED, reg)

    def click(self, reg: Registration) -> None:
        """The user clicked the fetch's UI (its notification): the spec's
        ``backgroundfetchclick``, for whoever registered it (a web page)."""
        self._emit(EventKind.CLICK, reg)

    def apply_settings(self, settings: Settings) -> None:
        """Take new limits into use; running transfers keep their slots."""
        self.settings = settings
        self.limiter.rate = global_rate(settings)
        self._schedule()

    def set_alt_speed(self, on: bool) -> None:
        """Turn the alternative speed limit on or off (docs/contracts.md §9); running
        transfers take the new rate at their next bytes."""
        changed = on != self.settings.alt_speed_on
        self.settings = dataclasses.replace(self.settings, alt_speed_on=on)
        self.limiter.rate = global_rate(self.settings)
        if changed:
            for listener in list(self.alt_speed_listeners):
                listener(on)

    def speed_limit(self, reg: Registration) -> int:
        """The fetch's own limit in bytes/s (0: only the global one), docs/contracts.md §9."""
        return self.store.fetch_network(reg.key)[1]

    def set_speed_limit(self, reg: Registration, max_speed: int) -> None:
        """Change the fetch's own limit; running transfers take it at their next bytes."""
        max_speed = max(0, max_speed)
        self.store.set_max_speed(reg.key, max_speed)
        limiter = self._fetch_limiters.get(reg.key)
        if limiter is not None:
            limiter.rate = max_speed
        self._emit(EventKind.UPDATED, reg)

    def start_at(self, reg: Registration) -> float:
        """The fetch's "start at", seconds since the epoch (0: none), docs/contracts.md §10."""
        return self._start_times.get(reg.key, 0.0)

    def set_start_at(self, reg: Registration, when: float) -> None:
        """Set (or with 0 clear) when an active fetch may start. A running fetch given a
        later time stops, checkpointed, and waits for it, like one the schedule stops;
        one that cannot be paused (§1) is refused."""
        if not reg.active:
            raise InvalidFetch(f"fetch {reg.id!r} has settled; only active fetches wait")
        if reg.pause_refusal and reg.key in self._runners and when > self.clock.now():
            raise InvalidFetch(reg.pause_refusal)
        self.store.set_start_at(reg.key, when)
        if when:
            self._start_times[reg.key] = when
        else:
            self._start_times.pop(reg.key, None)
        runner, now = self._runners.get(reg.key), self.clock.now()
        if runner is not None and when > now:
            runner.cancel()  # checkpoints, as when the schedule window closes
            self._queue(reg, Waiting(ProblemCode.STARTS_AT, when,
                                     f"starts at {when_text(when, now)}"))
        self._emit(EventKind.UPDATED, reg)
        self._schedule()

    def queue(self) -> list[Registration]:
        """The active fetches in the order they start in (docs/contracts.md §10)."""
        return sorted((reg for reg in self._regs.values() if reg.active),
                      key=lambda reg: place(reg.key, self._queue_positions))

    def move(self, reg: Registration, where: str) -> int:
        """Move an active fetch to the ``top``, ``up``, ``down`` or ``bottom`` of the
        queue; returns its new place, 1 first."""
        if not reg.active:
            raise InvalidFetch(f"fetch {reg.id!r} has settled; only active fetches are queued")
        queue = [r.key for r in self.queue()]
        order = moved(queue, reg.key, where)
        self._reorder(queue, order, [reg])
        return order.index(reg.key) + 1

    def move_before(self, regs: Sequence[Registration], before: Registration | None) -> None:
        """Move active fetches, in their own order, just before ``before`` in the queue
        (None: to the bottom), as a drag in the window does (docs/contracts.md §10)."""
        moving = [reg for reg in regs if reg.active]
        queue = [r.key for r in self.queue()]
        target = before.key if before is not None else None
        self._reorder(queue, placed(queue, [r.key for r in moving], target), moving)

    def _reorder(self, queue: list[int], order: list[int], regs: Sequence[Registration]) -> None:
        positions = reassigned(queue, order, self._queue_positions)
        self.store.set_queue_positions(positions)
        self._queue_positions.update(positions)
        for reg in regs:
            self._emit(EventKind.UPDATED, reg)
        self._schedule()

    # -- scheduling -------------------------------------------------------------

    def _network_usable(self) -> bool:
        status = self.monitor.status
        return status.online and not (status.metered and self.settings.hold_on_metered)

    def _schedule(self) -> None:
        """Start what may run; give everything else the state that says why it waits."""
        if self._closing or self._pool is None:
            return  # not started (or stopping): states stay as stored
        usable = self._network_usable()
        running = len(self._runners)
        now = self.clock.now()
        turn = self._alt_schedule.turn(self.settings.alt_speed_schedule, now)
        if turn is not None:
            self.set_alt_speed(turn)
        closed = self._window_closed(now)
        for reg in self.queue():
            if reg.aborting:
                continue
            runner = self._runners.get(reg.key)
            if runner is not None:
                # A POST under way would have to be sent again: it may finish.
                if closed and not runner.cancelling() and not reg.pause_refusal:
                    runner.cancel()  # checkpoints, as when the network goes
                    self._queue(reg, closed)
                continue
            start_at = self._start_times.get(reg.key, 0.0)
            if reg.row.paused:
                self.set_state(reg, State.PAUSED)
            elif not usable:
                self.set_state(reg, State.WAITING_FOR_NETWORK)
            elif start_at > now:
                self._queue(reg, Waiting(ProblemCode.STARTS_AT, start_at,
                                         f"starts at {when_text(start_at, now)}"))
            elif closed:
                self._queue(reg, closed)
            elif running >= self.settings.max_active_fetches:
                self._queue(reg)
            else:
                running += 1
                self._start(reg)
        self._plan_wake(now)

    def _queue(self, reg: Registration, reason: Waiting | None = None) -> None:
        """State ``queued``, and why when it is the schedule's doing (docs/contracts.md §10)."""
        told = reg.wait_reason == reason
        reg.wait_reason = reason
        if reg.state != State.QUEUED:
            self.set_state(reg, State.QUEUED)
        elif not told:
            self._emit(EventKind.STATE, reg)

    def _window_closed(self, now: float) -> Waiting | None:
        """Why the schedule window holds fetches back now, or None when it does not."""
        window = parse_window(self.settings.schedule)  # checked when the settings loaded
        if window is None or window.is_open(now):
            return None
        opens = window.next_open(now)
        return Waiting(ProblemCode.OUTSIDE_SCHEDULE, opens,
                       f"runs {window.text}; next at {when_text(opens, now)}")

    def _plan_wake(self, now: float) -> None:
        """Wake the scheduler at the next start-at or schedule window change."""
        times = [t for key, t in self._start_times.items()
                 if t > now and (reg := self._regs.get(key)) is not None and reg.active]
        window = parse_window(self.settings.schedule)
        if window is not None:
            times.append(window.next_change(now))
        alt_change = AltSpeedSchedule.next_change(self.settings.alt_speed_schedule, now)
        if alt_change is not None:
            times.append(alt_change)
        if self._wake is not None:
            self._wake.cancel()
            self._wake = None
        if times:
            self._wake = asyncio.get_running_loop().create_task(self._wake_at(min(times)))

    async def _wake_at(self, when: float) -> None:
        await self.clock.sleep_until(when)
        self._wake = None
        self._schedule()

    def _start(self, reg: Registration) -> None:
        task = asyncio.get_running_loop().create_task(self._run(reg), name=f"fetch {reg.id}")
        self._runners[reg.key] = task

        def finished(_: asyncio.Task[None]) -> None:
            # The runner is gone only now, so a quick offline→online flip can
            # never start a second runner on the same files.
            if self._runners.get(reg.key) is task:
                del self._runners[reg.key]
            self._schedule()

        task.add_done_callback(finished)

    async def _stop(self, reg: Registration) -> None:
        task = self._runners.get(reg.key)
        if task is None:
            return
        task.cancel()
        await asyncio.wait([task])

    def _on_network(self, status: NetworkStatus) -> None:
        log.info("network %s%s", "online" if status.online else "offline",
                 " (metered)" if status.metered else "")
        if self._network_usable():
            self._schedule()
            return
        for key, task in list(self._runners.items()):
            # Cancelling closes the connections and checkpoints; no retry is spent.
            # A runner still stopping from the last flicker is left to finish.
            if not task.cancelling():
                task.cancel()
            self.set_state(self._regs[key], State.WAITING_FOR_NETWORK)
        self._schedule()

    # -- running one fetch -----------------------------------------------------

    async def _run(self, reg: Registration) -> None:
        self.set_state(reg, State.DOWNLOADING)
        reg.speed.reset(reg.downloaded)
        try:
            failure = await self._transfer_all(reg)
        except Exception as exc:
            # A bug or an OS surprise must settle the fetch, never leave it to be
            # rescheduled forever by the runner's exit.
            log.exception("fetch %s stopped by an unexpected error", reg.id)
            failure = TransferFailed(FailureReason.FETCH_ERROR, str(exc) or repr(exc))
        if failure is not None:
            log.warning("fetch %s failed: %s (%s)", reg.id, failure.reason, failure)
            if reg.failure_file is None:  # not one request's failure (e.g. the budget)
                reg.failure_detail = str(failure)
            self._settle(reg, failure.reason)
        else:
            # Progress events are throttled, so the last bytes may not have been told yet:
            # listeners (and pages) see the full count before the success event.
            self.progress(reg, force=True)
            self._settle(reg, FailureReason.NONE)

    async def _transfer_all(self, reg: Registration) -> TransferFailed | None:
        """Run every unfinished request; the first that fails for good stops the others."""
        try:
            reg.row.dest.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            return TransferFailed(FailureReason.FETCH_ERROR, f"cannot use {reg.dest}: {exc}")
        if reg.row.dest.is_symlink():
            # Registered as a real folder (see _bundle_folder), swapped for a link since:
            # never written through (docs/contracts.md §3).
            return TransferFailed(FailureReason.FETCH_ERROR,
                                  f"the bundle folder {reg.dest} has become a link")
        per_fetch = asyncio.Semaphore(self.settings.max_transfers_per_fetch)
        host = _FetchHost(self, reg, await self._secrets_of(reg))
        proxy, max_speed = self.store.fetch_network(reg.key)
        try:
            assert self._pool is not None, "FetchManager.start() was not awaited"
            session = await self._pool.get(proxy)
        except BadProxy as exc:
            return TransferFailed(FailureReason.FETCH_ERROR, str(exc))
        limiter = RateLimiter(max_speed, parent=self.limiter)
        self._fetch_limiters[reg.key] = limiter
        ctx = self.context(session, limiter)
        if reg.origin:
            # The credentials the user saved with `bgfetch login` are theirs, not a web
            # page's: a page's fetch gets only what its browser handed over.
            ctx = dataclasses.replace(ctx, credentials=NoCredentials())

        failed: list[RequestRow] = []

        async def transfer(row: RequestRow) -> None:
            async with per_fetch, self._transfer_slots:
                try:
                    await Transfer(ctx, row, reg.dest, reg.taken_names, host).run()
                except TransferFailed as exc:
                    if reg.failure_file is None:  # the first file to fail names the failure
                        reg.failure_file, reg.failure_detail = row, str(exc)
                    # Marked at once, so the file's actions (a new URL, a retry) are open
                    # while the other files still download; stored only if the run settles.
                    failed_for_good(row, exc)
                    failed.append(row)
                    raise

        tasks = [asyncio.create_task(transfer(row)) for row in reg.row.requests if runs(row)]
        settling = False
        try:
            failure = await _first_failure(tasks)
            # Only now, with the fetch about to settle, did those files fail for good: a
            # run cancelled meanwhile (the network went, a pause) runs them all again.
            settling = True
            for row in failed:
                with contextlib.suppress(sqlite3.OperationalError):  # kept in memory
                    self.store.save_marks(reg.key, row)
            if failure is None and (left := earlier_failure(reg)) is not None:
                reg.failure_file, failure = left  # a file retried alone succeeded, not this one
                reg.failure_detail = str(failure)
        finally:
            if not settling:
                for row in failed:
                    row.failed = ""
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            self._fetch_limiters.pop(reg.key, None)
            # Small files skipped their own fsync: they become durable together,
            # before success is reported (and before a pause leaves them).
            synced = await through_cancels(self._sync(host.unsynced_paths))
        if failure is None and not synced:
            failure = TransferFailed(FailureReason.FETCH_ERROR, "cannot sync the files")
        try:
            self.records.commit()
        except sqlite3.OperationalError as exc:
            failure = failure or TransferFailed(_store_failure(exc), _store_trouble(exc))
        return failure

    async def _sync(self, paths: list[Path]) -> None:
        if not paths:
            return
        try:
            await asyncio.get_running_loop().run_in_executor(self._disk, sync_files, paths)
        except OSError as exc:
            log.error("cannot sync %d finished files: %s", len(paths), exc)
            raise

    def _settle(self, reg: Registration, reason: FailureReason) -> None:
        if not reg.active:
            return
        reg.row.result = "failure" if reason else "success"
        reg.row.failure_reason = str(reason)
        reg.row.settled_at = time.time()
        try:
            self.records.commit()  # the records first: a fetch settled has them all
            self.store.update_registration(
                reg.key,
                result=reg.row.result,
                failure_reason=reg.row.failure_reason,
                settled_at=reg.row.settled_at,
            )
            if reg.failure_detail:
                self.store.set_failure_problem(reg.key, reg.failure_detail, None if
                                               reg.failure_file is None else reg.failure_file.idx)
        except sqlite3.OperationalError as exc:
            # Told to everyone listening all the same (a `fetch --wait` returns); the
            # database keeps the last checkpoint, so the next engine resumes from it.
            log.error("fetch %s settled as %s, but %s", reg.id, reg.row.result,
                      _store_trouble(exc))
        reg.state = State(reg.row.result)
        self._forget_secrets(reg)
        self._drop_body_snapshots(reg)
        kind = (
            EventKind.SUCCESS if not reason
            else EventKind.ABORT if reason == FailureReason.ABORTED
            else EventKind.FAIL
        )
        self._emit(kind, reg)

    def _drop_body_snapshots(self, reg: Registration) -> None:
        """A settled fetch sends nothing more: its copies of request bodies go (only
        copies: a fetch stored before snapshots existed names the user's own file)."""
        ours = self.store.path.parent / BODIES_FOLDER
        bodies = [r.request.body for r in reg.row.requests
                  if r.request.body is not None and r.request.body.parent == ours]
        if bodies:
            task = asyncio.get_running_loop().create_task(_delete(bodies))
            self._forgetting.add(task)
            task.add_done_callback(self._forgetting.discard)

    # -- secret headers -------------------------------------------------------------

    async def _keep_secrets(self, reg: Registration, secrets: Mapping[int, Headers]) -> None:
        def save_all() -> None:
            for idx, headers in secrets.items():
                self.secrets.save(reg.key, idx, headers)

        try:
            await asyncio.to_thread(save_all)
        except SecretsUnavailable as exc:
            # The fetch still runs with them while this process lives.
            log.warning("fetch %s: cannot keep its cookies past this run: %s", reg.id, exc)
        finally:
            self._saving.pop(reg.key, None)

    async def _secrets_of(self, reg: Registration) -> dict[int, Headers]:
        """The secret headers of a fetch about to run: from memory, else the store."""
        marked = [row.idx for row in reg.row.requests if row.secret]
        if not marked or reg.key in self._secrets:
            return self._secrets.get(reg.key, {})

        def load_all() -> dict[int, Headers]:
            return {idx: self.secrets.load(reg.key, idx) for idx in marked}

        try:
            found = await asyncio.to_thread(load_all)
        except SecretsUnavailable as exc:
            log.warning("fetch %s: its cookies cannot be read: %s", reg.id, exc)
            found = {}
        self._secrets[reg.key] = found
        return found

    def _forget_secrets(self, reg: Registration) -> None:
        """Delete a settled fetch's secret headers, off the loop."""
        if not any(row.secret for row in reg.row.requests):
            self._secrets.pop(reg.key, None)
            return
        task = asyncio.get_running_loop().create_task(self._forget_secrets_now(reg))
        self._forgetting.add(task)
        task.add_done_callback(self._forgetting.discard)

    async def _forget_secrets_now(self, reg: Registration) -> None:
        saving = self._saving.get(reg.key)
        if saving is not None:
            await asyncio.wait([saving])  # a fetch that settled at once: saved, then deleted
        self._secrets.pop(reg.key, None)
        marked = [row for row in reg.row.requests if row.secret]
        if not marked:
            return

        def delete_all() -> None:
            for row in marked:
                self.secrets.delete(reg.key, row.idx)

        try:
            await asyncio.to_thread(delete_all)
        except SecretsUnavailable as exc:
            log.warning("fetch %s: its cookies could not be deleted yet: %s", reg.id, exc)
            return  # still marked: the next start tries again
        for row in marked:
            row.secret = False
            if reg.key in self._regs:
                self.update_record(reg.key, row.idx, secret=0)

    # -- events ------------------------------------------------------------------

    def set_state(self, reg: Registration, state: State) -> None:
        if reg.state != state:
            reg.state = state
            self._emit(EventKind.STATE, reg)

    def _emit(self, kind: EventKind, reg: Registration) -> None:
        # What the engine tells is in the store: a file reported complete survives a kill.
        with contextlib.suppress(sqlite3.OperationalError):  # kept in self.records.failure
            self.records.commit()
        self.events.emit(FetchEvent(kind, reg.snapshot()))

    def update_record(self, key: int, idx: int, **fields: Any) -> None:
        """Write ``fields`` into a request's record, on disk when this returns (after
        any update of it still waiting: the newest wins)."""
        self.records.put(key, idx, fields)
        self.records.commit()

    def progress(self, reg: Registration, force: bool = False) -> None:
        now = time.monotonic()
        if force or now - reg.last_progress >= PROGRESS_INTERVAL:
            reg.last_progress = now
            reg.speed.sample(reg.downloaded)
            self._emit(EventKind.PROGRESS, reg)
        elif reg.key not in self._progress_due:
            # The last bytes before a pause in the stream (a slow server, a held
            # body) would otherwise go unreported until more come.
            self._progress_due.add(reg.key)
            delay = PROGRESS_INTERVAL - (now - reg.last_progress)
            asyncio.get_running_loop().call_later(delay, self._trailing_progress, reg)

    def _trailing_progress(self, reg: Registration) -> None:
        self._progress_due.discard(reg.key)
        if reg.active:
            self.progress(reg)

    def type_rules(self) -> Mapping[str, str] | None:
        """The rules of folders by type (§14), None while the setting is off."""
        return self.settings.type_folders if self.settings.folders_by_type else None

    def _bundle_folder(self, fetch_id: str, title: str, dest: Path | None,
                       urls: list[str]) -> Path:
        """``dest``; else Downloads itself for one file, or a folder named after the
        title in Downloads for several (docs/contracts.md §3); with folders by type,
        in Downloads/<Type> when every file is of that type (§14)."""
        root = type_root(self.downloads_dir, urls, self.type_rules())
        try:
            if dest is not None:
                folder = dest.expanduser().absolute()
            elif len(urls) == 1:
                folder = root
            else:
                root.mkdir(parents=True, exist_ok=True)
                folder = root / unique_name(root, bundle_folder_name(title, fetch_id), set())
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InvalidFetch(f"cannot create the folder {exc.filename}: {exc.strerror}") from None
        # A --dest the user gave through a link is stored as the folder it names, so a
        # link found there later is one someone swapped in.
        return folder.resolve() if folder.is_symlink() else folder


class _FetchHost:
    """The TransferHost of one running fetch: counting, limits, checkpoints."""

    def __init__(
        self, manager: FetchManager, reg: Registration, secrets: Mapping[int, Headers]
    ) -> None:
        self.manager = manager
        self.reg = reg
        self.secrets = secrets
        # Refreshed at each checkpoint, so fetches of one origin running side by
        # side see each other's bytes within a checkpoint interval.
        self.budget = manager.byte_budget(reg)
        self.unsynced_paths: list[Path] = []
        # Each record's fields as this host last handed them to the store, by request index.
        self._written: dict[int, dict[str, Any]] = {}

    def unsynced(self, path: Path) -> None:
        self.unsynced_paths.append(path)

    def check_room(self, n: int) -> None:
        total = self.reg.download_total
        if total and self.reg.downloaded + n > total:
            raise TransferFailed(
                FailureReason.DOWNLOAD_TOTAL_EXCEEDED,
                f"{self.reg.downloaded + n} bytes would be more than the {total} announced",
            )

    def uploading(self) -> None:
        self.manager.progress(self.reg)

    def add_bytes(self, n: int) -> None:
        total = self.reg.download_total
        # `downloaded` walks every request: a bundle of a thousand files paid that
        # walk on each socket read of each file, for limits it did not have.
        if total or self.budget is not None:
            downloaded = self.reg.downloaded
            if total and downloaded > total:
                raise TransferFailed(
                    FailureReason.DOWNLOAD_TOTAL_EXCEEDED,
                    f"{downloaded} bytes received, {total} announced",
                )
            self._check_budget(downloaded)
        self.manager.progress(self.reg)

    def announce_size(self, idx: int, size: int | None) -> None:
        total = self.reg.download_total
        if not total and self.budget is None:
            return  # expected_size walks every request: skip it when nothing limits the size
        expected = self.reg.expected_size
        if total and expected is not None and expected > total:
            raise TransferFailed(
                FailureReason.DOWNLOAD_TOTAL_EXCEEDED,
                f"the files are {expected} bytes, {total} announced",
            )
        if expected is not None:
            self._check_budget(expected)

    def _check_budget(self, size: int) -> None:
        if self.budget is not None and size > self.budget:
            raise TransferFailed(
                FailureReason.QUOTA_EXCEEDED,
                f"{size} bytes are more than the {self.budget} left in {self.reg.origin}'s quota",
            )

    def secret_headers(self, idx: int) -> Headers:
        return self.secrets.get(idx, ())

    def hashed(self, row: RequestRow, sha256: bytes) -> None:
        assert row.filename is not None
        remember(self.manager.store, self.reg.key, row.idx, self.reg.dest / row.filename, sha256)

    def save(self, row: RequestRow, *, commit: bool = False) -> None:
        records = self.manager.records
        self._save(row)
        try:
            if commit:
                records.commit()
            elif records.failure is not None:
                raise records.failure
        except sqlite3.OperationalError as exc:
            raise TransferFailed(_store_failure(exc),
                                 f"cannot checkpoint: {_store_trouble(exc)}") from None
        self.manager.progress(self.reg)
        self.budget = self.manager.byte_budget(self.reg)

    def _save(self, row: RequestRow) -> None:
        fields: dict[str, Any] = dict(
            status=row.status,
            response_headers=[list(h) for h in row.response_headers],
            filename=row.filename,
            bytes_done=row.checkpoint,
            segments=[list(s) for s in row.segments],
            size_total=row.size_total,
            etag=row.etag,
            last_modified=row.last_modified,
            complete=int(row.complete),
            uploaded=row.uploaded,
            final_url=row.final_url,
            sent=int(row.sent),
        )
        # Only what changed since this run's last save: a file's "complete" no longer
        # writes its response headers a second time.
        written = self._written.setdefault(row.idx, {})
        changed = {name: value for name, value in fields.items()
                   if name not in written or written[name] != value}
        if changed:
            written.update(changed)
            self.manager.records.put(self.reg.key, row.idx, changed)

    def connections(self, idx: int, count: int) -> None:
        if count:
            self.reg.connections[idx] = count
        else:
            self.reg.connections.pop(idx, None)

    def retrying(self, delay: float, detail: str, attempt: int = 0) -> None:
        self.reg.retry_detail = detail
        self.reg.retry_at = time.time() + delay
        self.reg.retry_attempt = attempt
        self.manager.set_state(self.reg, State.RETRYING)

    def transferring(self) -> None:
        self.reg.retry_detail = ""
        self.manager.set_state(self.reg, State.DOWNLOADING)


def _store_failure(exc: sqlite3.OperationalError) -> FailureReason:
    return FailureReason.QUOTA_EXCEEDED if disk_full(exc) else FailureReason.FETCH_ERROR


def _store_trouble(exc: sqlite3.OperationalError) -> str:
    if disk_full(exc):
        return "the data folder's disk is full"
    return f"the database cannot be written ({exc})"


async def _delete(paths: Iterable[Path]) -> None:
    """Unlink files off the loop: removing a multi-gigabyte file can take a while."""

    def unlink_all(targets: list[Path]) -> None:
        for path in targets:
            with contextlib.suppress(OSError):
                path.unlink()

    await asyncio.to_thread(unlink_all, list(paths))


async def _first_failure(tasks: list[asyncio.Task[None]]) -> TransferFailed | None:
    """Wait for all transfers; return the first that failed for good.

    A failed request does not stop the others (their records stay useful), except
    for a reason in ABORT_ALL, which is returned at once.
    """
    first: TransferFailed | None = None
    pending = set(tasks)
    while pending:
        done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
        for task in done:
            if task.cancelled():
                continue
            exc = task.exception()
            if isinstance(exc, TransferFailed):
                if exc.reason in ABORT_ALL:
                    return exc
                first = first or exc
            elif exc is not None:
                raise exc
    return first
