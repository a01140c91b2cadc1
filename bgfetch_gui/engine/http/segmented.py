"""One file over several connections at once, each writing its segment in place.

The first reply (a 200 for the whole file) keeps streaming as the first
segment while extra connections ask for the others with ``Range`` and
``If-Range``. A connection that finishes takes an unowned segment, else half
of the largest remaining one. A stream that reaches the start of an unowned
segment simply reads on, so when the extra connections are refused (a 503,
a connection limit, a range answered with 200) the file goes on over fewer
connections, down to the first one alone. A reply naming another version of
the file restarts it from zero: two versions are never spliced.

The segment map is checkpointed with the request, so a killed download
resumes every segment from its saved position, each guarded by ``If-Range``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from ..credentials import origin_of
from ..model import FailureReason
from ..stallguard import StallGuard
from .errors import Restart, TransferFailed, Transient, disk_errors
from .exchange import (
    check_range_reply,
    exchange,
    read_some,
    transient_status,
    validator_changed,
)
from .partfile import PartFile
from .placement import part_size
from .segments import Segment, SegmentMap
from .shielded import through_cancels

if TYPE_CHECKING:
    from .transfer import Transfer

log = logging.getLogger("bgfetch.segmented")

MAX_CONNECTIONS = 16


def connections_per_file(wanted: int) -> int:
    return max(1, min(MAX_CONNECTIONS, wanted))


def segment_plan(
    transfer: Transfer, response: aiohttp.ClientResponse, offset: int
) -> SegmentMap | None:
    """The segments of a fresh 200 worth splitting, or None to stream it over one connection.

    Worth it: a GET body of known size, at least twice the minimum split
    size, from a server that says it answers ranges and gave a validator
    that ``If-Range`` can carry.
    """
    settings = transfer.ctx.settings
    total = transfer.row.size_total
    connections = connections_per_file(settings.connections_per_file)
    if (
        offset
        or transfer.ranges_refused
        or response.status != 200
        or total is None
        or connections < 2
        or total < 2 * settings.min_split_size
        or transfer.row.request.method.upper() != "GET"
        or response.headers.get("Accept-Ranges", "").lower() != "bytes"
        or response.headers.get("Content-Encoding", "identity").lower() != "identity"
        or transfer.validator() is None
    ):
        return None
    plan = SegmentMap.plan(total, connections, settings.min_split_size)
    return plan if len(plan.segments) > 1 else None


def resumable_segments(transfer: Transfer) -> SegmentMap | None:
    """The checkpointed segment map, if the part file and a validator allow resuming it."""
    row = transfer.row
    if not row.segments:
        return None
    on_disk = None if row.filename is None else part_size(transfer.folder, row)
    if on_disk is None or row.size_total is None or transfer.validator() is None:
        transfer.discard_partial()
        return None
    segments = SegmentMap.restore(row.segments, on_disk)
    row.bytes_done = segments.received
    return segments


class _Refused(Exception):
    """The server would not serve this connection; others may carry on without it.

    ``alone`` is what it means when no other connection is left.
    """

    def __init__(self, detail: str, alone: Exception) -> None:
        super().__init__(detail)
        self.alone = alone


@dataclass(eq=False)
class _Lane:
    """The segment one connection is filling right now."""

    segment: Segment


class SegmentedDownload:
    def __init__(self, transfer: Transfer, segments: SegmentMap) -> None:
        self.transfer = transfer
        self.ctx = transfer.ctx
        self.row = transfer.row
        self.map = segments
        settings = transfer.ctx.settings
        self.connections = connections_per_file(settings.connections_per_file)
        self.min_split = settings.min_split_size
        self._host = origin_of(transfer.url)
        self._writer: PartFile | None = None
        self._main: asyncio.Task[object] | None = None
        self._helpers: set[asyncio.Task[None]] = set()
        self._spawned = False
        self._working = 0  # connections that still look for work
        self._open_connections = 0
        self._fatal: BaseException | None = None
        self._unsaved = 0
        self._saved_at = time.monotonic()
        self._checkpointing: asyncio.Task[None] | None = None
        self._closed = False

    # -- the main task's part --------------------------------------------------

    async def run_first(self, response: aiohttp.ClientResponse, guard: StallGuard) -> None:
        """Stream the first reply (the whole file) as the first segment, with helpers alongside."""
        first = self.map.segments[0]
        first.owned = True
        with guard.suspended():  # opening the part file is our wait, not the server's silence
            await self._open()
        self._working += 1
        try:
            with self._connection():
                await self._as_main(
                    self._drain(response, guard, _Lane(first), self.map.segments[-1].end)
                )
        finally:
            self._working -= 1

    async def run(self) -> None:
        """Fetch every segment not yet done; returns once the file is complete and synced."""
        await self._open()
        await self._as_main(self._run_main())

    async def _run_main(self) -> None:
        while True:
            await self._work()
            while self._helpers:
                await asyncio.wait(set(self._helpers))
            if self._fatal is not None:
                raise self._fatal
            if self.map.complete:
                await self._checkpoint_done()
                break
            # Every other connection gave up with work left: carry on alone.
            for segment in self.map.segments:
                segment.owned = False
        with disk_errors():
            assert self._writer is not None
            await self._writer.sync()
        for segment in self.map.segments:
            segment.saved = segment.pos
        self.row.segments = self.map.checkpoint()

    async def close(self) -> None:
        """Stop the helpers, close the part file and checkpoint what reached it."""
        if self._closed:
            return
        self._closed = True
        await through_cancels(self._shutdown())

    async def _shutdown(self) -> None:
        for task in self._helpers:
            task.cancel()
        if self._helpers:
            await asyncio.wait(set(self._helpers))
        await self._checkpoint_done()
        if self._writer is None:
            return
        if await through_cancels(self._writer.close()):
            for segment in self.map.segments:
                segment.saved = segment.pos
        self.ctx.hosts.give_back(self._host)
        self.row.segments = self.map.checkpoint()
        self.row.bytes_done = self.row.checkpoint
        self.transfer.host.connections(self.row.idx, 0)
        self.transfer.host.save(self.row)

    async def _open(self) -> None:
        if self._writer is None:
            self._main = asyncio.current_task()
            with disk_errors():
                self._writer = await PartFile.open(
                    self.transfer.part_path, None, self.ctx.disk
                )
            self.ctx.hosts.take(self._host)
            self.row.segments = self.map.checkpoint()
            self.transfer.host.save(self.row)
        if not self._spawned:
            self._spawned = True
            self._spawn_helpers()

    def _spawn_helpers(self) -> None:
        unfinished = sum(1 for s in self.map.segments if not s.done)
        limit = self.ctx.settings.connections_per_host
        for _ in range(min(self.connections, unfinished) - 1):
            if not self.ctx.hosts.try_take(self._host, limit):
                break
            task = asyncio.create_task(self._helper(), name=f"segment of {self.transfer.url}")
            self._helpers.add(task)
            task.add_done_callback(self._helper_done)

    async def _helper(self) -> None:
        try:
            await self._work()
        finally:
            self.ctx.hosts.give_back(self._host)

    def _helper_done(self, task: asyncio.Task[None]) -> None:
        self._helpers.discard(task)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None and self._fatal is None:
            self._fatal = exc
            if not self._closed and self._main is not None and not self._main.done():
                self._main.cancel()  # the main task raises self._fatal (see _as_main)

    async def _as_main(self, work: Coroutine[Any, Any, None]) -> None:
        """Await ``work`` in the main task; a helper's fatal error arrives as a cancel."""
        try:
            await work
        except asyncio.CancelledError:
            main = self._main
            if self._fatal is not None and main is not None and main.uncancel() == 0:
                raise self._fatal from None
            raise

    # -- every connection's part -----------------------------------------------

    async def _work(self) -> None:
        """Fetch segments until there is no work left, or the server refuses us."""
        self._working += 1
        try:
            while (segment := self.map.take_work(self.min_split)) is not None:
                lane = _Lane(segment)
                try:
                    await self._fetch(lane)
                except (_Refused, Transient) as exc:
                    lane.segment.owned = False
                    if self._working > 1:
                        log.info("%s: one connection less (%s)", self.transfer.url, exc)
                        return
                    alone = exc.alone if isinstance(exc, _Refused) else exc
                    raise alone from None
                lane.segment.owned = False
        finally:
            self._working -= 1

    async def _fetch(self, lane: _Lane) -> None:
        segment = lane.segment
        first, end = segment.pos, segment.end
        headers = self.transfer.headers(first, end)
        with self._connection():
            async with exchange(self.ctx, "GET", self.transfer.url, headers) as (response, guard):
                self._check_reply(response, first)
                await self._drain(response, guard, lane, end)

    def _check_reply(self, response: aiohttp.ClientResponse, first: int) -> None:
        row = self.row
        status = response.status
        if status == 206:
            check_range_reply(response, first, row.size_total, row.etag, row.last_modified,
                              confirmed=row.replaced_url is not None)
            return
        if status == 200:
            if validator_changed(response, row.etag, row.last_modified):
                raise Restart("the file changed on the server")
            self.transfer.ranges_refused = True  # a restart of this file streams over one
            raise _Refused(
                "a range was answered with the whole file",
                Restart("the server no longer answers ranges"),
            )
        if status == 416:
            raise Restart(f"server has no bytes from {first} (416)")
        transient = transient_status(response)
        if transient is not None:
            raise _Refused(str(transient), transient)
        raise _Refused(
            f"HTTP {status}",
            TransferFailed(FailureReason.BAD_STATUS, f"HTTP {status} for {response.url}"),
        )

    async def _drain(
        self, response: aiohttp.ClientResponse, guard: StallGuard, lane: _Lane, reply_end: int
    ) -> None:
        """Write the reply's bytes into the lane's segment, reading on into unowned ones.

        Stops where the segment ends (it may have been cut short by a thief)
        unless the next segment starts there, is unowned and the reply has it.
        """
        assert self._writer is not None
        writer = self._writer
        limiter = self.ctx.limiter
        host = self.transfer.host
        row = self.row
        segment = lane.segment
        pos = segment.pos
        while chunk := await read_some(response.content, (read_size := limiter.piece)):
            guard.touch(len(chunk))
            if read_size:
                with guard.suspended():
                    await limiter.consume(len(chunk))
            view = memoryview(chunk)
            used = 0
            stop = False
            while True:
                # No await in this loop: a thief reads segment.end and pos as one.
                room = segment.end - pos
                if room <= 0:
                    if used == len(view) and pos >= reply_end:
                        break  # the reply is complete: the next read says so at once
                    # Checked after a chunk's last byte too: a reply that goes on past
                    # the segment (the first one, or one a thief cut short) may send its
                    # next bytes only a second later (a per-connection rate limit).
                    following = self.map.unowned_at(pos) if pos < reply_end else None
                    if following is None:
                        stop = True
                        break
                    segment.owned = False
                    following.owned = True
                    segment = lane.segment = following
                    continue
                if used == len(view):
                    break
                piece = view[used:used + room]
                with disk_errors():
                    writer.queue(pos, piece)
                used += len(piece)
                pos += len(piece)
                segment.pos = pos
            row.bytes_done += used
            self._unsaved += used
            host.add_bytes(used)
            with guard.suspended(), disk_errors():
                await writer.room()
            if stop:
                response.close()  # the rest belongs to another connection
                return
            if self._checkpoint_due():
                # Alongside, not in the way: this connection reads on while the
                # part file is flushed and the map is saved.
                self._checkpointing = asyncio.create_task(self._checkpoint())
        if pos < min(segment.end, reply_end):
            raise Transient(
                FailureReason.FETCH_ERROR, f"segment body ended at {pos} of {segment.end}"
            )

    def _checkpoint_due(self) -> bool:
        """Every ``checkpoint_bytes`` over all segments, or ``checkpoint_seconds``.

        By bytes first: a kill loses what came since the last checkpoint, and
        eight fast connections bring many megabytes in a second.
        """
        settings = self.ctx.settings
        return self._checkpointing is None and (
            self._unsaved >= settings.checkpoint_bytes
            or time.monotonic() - self._saved_at >= settings.checkpoint_seconds
        )

    async def _checkpoint(self) -> None:
        """Save every segment's position that has reached the part file."""
        assert self._writer is not None
        try:
            marks = [(segment, segment.pos) for segment in self.map.segments]
            self._unsaved = 0
            self._saved_at = time.monotonic()
            await self._writer.flush()
            if self._closed:
                return  # close() checkpoints for itself, after every write
            for segment, pos in marks:
                segment.saved = max(segment.saved, pos)
            self.row.segments = self.map.checkpoint()
            self.transfer.host.save(self.row, commit=True)  # a kill now loses no more
        except Exception as exc:  # nobody awaits this task's result: say it here
            # A disk error reaches the connections through the part file's next write;
            # anything else only costs this checkpoint, the next one saves the same.
            log.warning("%s: a checkpoint failed: %s", self.transfer.url, exc)
        finally:
            self._checkpointing = None
            # The bytes that came during this one may be due already, and with every
            # connection waiting on its server no next chunk would ask (docs/contracts.md §3).
            if not self._closed and self._unsaved >= self.ctx.settings.checkpoint_bytes:
                self._checkpointing = asyncio.create_task(self._checkpoint())

    async def _checkpoint_done(self) -> None:
        """Wait for the checkpoints under way, so nothing saves after the final one."""
        while self._checkpointing is not None:
            await asyncio.wait([self._checkpointing])

    @contextmanager
    def _connection(self) -> Iterator[None]:
        """Counts an open connection, so the UI can show how many a file uses."""
        self._open_connections += 1
        self.transfer.host.connections(self.row.idx, self._open_connections)
        try:
            yield
        finally:
            self._open_connections -= 1
            self.transfer.host.connections(self.row.idx, self._open_connections)
