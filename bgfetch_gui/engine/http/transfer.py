"""One request of a fetch: retried, resumed with ``Range`` + ``If-Range``, put in place.

The rules that keep a file whole:

* bytes go to ``<name>.part``; the final name appears only once the body is
  complete and its size checked;
* a resume asks for the missing bytes guarded by ``If-Range`` (a strong ETag,
  else Last-Modified); with no validator the file restarts from zero, because
  a resume we cannot guard could splice two versions of a file;
* a 200 where 206 was asked, a ``Content-Range`` that does not start where
  asked or has another total, or a changed validator throws the partial
  bytes away.

A body big enough, from a server that answers ranges, goes on over several
connections (``segmented``); everything else streams over one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import aiohttp
from multidict import CIMultiDict

from ..credentials import origin_of
from ..file_actions import sent_request
from ..integrity import Expectation, StreamHash, hash_file
from ..model import FailureReason
from ..naming import name_key
from ..retry import backoff_delay
from ..stallguard import StallGuard
from ..store import RequestRow
from ..validation import REPEATABLE_METHODS
from .context import TransferContext
from .errors import Authenticate, ForeignFile, Restart, TransferFailed, Transient, disk_errors
from .exchange import (
    check_range_reply,
    covers_whole_body,
    exchange,
    expected_total,
    read_some,
    request_headers,
    strong_validator,
    transient_status,
)
from .partfile import PartFile
from .placement import (
    claim_name,
    empty_part,
    move_into_place,
    part_is_foreign,
    part_path,
    part_size,
    placed_before_a_kill,
    write_and_place,
    write_at,
)
from .segmented import SegmentedDownload, resumable_segments, segment_plan
from .shielded import through_cancels

log = logging.getLogger("bgfetch.transfer")

USEFUL_PROGRESS = 256 * 1024
# A body this small is read whole and written in one go: one thread hop, and
# made durable with the rest of its fetch (see durability.py), not alone.
SMALL_BODY = 256 * 1024


class TransferHost(Protocol):
    """What a transfer needs from the fetch it belongs to."""

    def add_bytes(self, n: int) -> None:
        """Count received bytes; raises TransferFailed when the fetch must stop."""

    def check_room(self, n: int) -> None:
        """Raise TransferFailed if ``n`` more bytes would exceed what the fetch may store."""

    def uploading(self) -> None:
        """Bytes of a request body went out (``row.uploaded`` grew)."""

    def announce_size(self, idx: int, size: int | None) -> None:
        """The server told the full size of request ``idx``; may raise TransferFailed."""

    def save(self, row: RequestRow, *, commit: bool = False) -> None:
        """Persist ``row`` (a checkpoint) with the next batch of record writes; with
        ``commit``, it (and everything waiting) is on disk when this returns."""

    def retrying(self, delay: float, detail: str, attempt: int = 0) -> None:
        """A transient error; try number ``attempt`` comes after ``delay`` seconds."""

    def transferring(self) -> None:
        """Bytes flow again after a retry."""

    def connections(self, idx: int, count: int) -> None:
        """Request ``idx`` now has ``count`` connections open."""

    def unsynced(self, path: Path) -> None:
        """``path`` is in place but not yet durable: sync it before the fetch succeeds."""

    def secret_headers(self, idx: int) -> tuple[tuple[str, str], ...]:
        """Headers of request ``idx`` for its own origin only (a browser's cookies)."""

    def hashed(self, row: RequestRow, sha256: bytes) -> None:
        """``row``'s file, now in place, has this SHA-256 (checked against its metadata)."""


class Transfer:
    def __init__(
        self,
        ctx: TransferContext,
        row: RequestRow,
        folder: Path,
        taken_names: set[str],
        host: TransferHost,
    ) -> None:
        self.ctx = ctx
        self.row = row
        self.folder = folder
        self.taken_names = taken_names
        self.host = host
        # Set once a server answered 401 and the keyring had credentials for
        # exactly that origin; from then on we talk to that URL only.
        self._authorization: str | None = None
        self._auth_url: str | None = None
        self.ranges_refused = False  # a range was answered with the whole file
        self._durable = True  # False once a small body skipped its own fsync
        self._placed = False  # a small body written and renamed in one go (_store_whole)
        self.expectation = Expectation.of(row.request.integrity)  # docs/contracts.md §12
        self._digest: bytes | None = None  # of the body as it streamed in, this try

    @property
    def part_path(self) -> Path:
        return part_path(self.folder, self.row)

    @property
    def url(self) -> str:
        return self._auth_url or self.row.url

    def headers(self, first_byte: int = 0, end: int | None = None) -> CIMultiDict[str]:
        """This request's headers for bytes ``[first_byte, end)``, guarded by our validator."""
        headers = request_headers(
            sent_request(self.row),
            authorization=self._authorization,
            first_byte=first_byte,
            end=end,
            if_range=self.validator(),
        )
        if origin_of(self.url) == origin_of(self.row.request.url):
            # exchange() drops Cookie when a redirect leaves this origin.
            headers.update(self.host.secret_headers(self.row.idx))
        return headers

    def validator(self) -> str | None:
        return strong_validator(self.row.etag, self.row.last_modified)

    async def run(self) -> None:
        """Download until complete; raises TransferFailed, or CancelledError to pause."""
        if self._received_in_full():
            # Killed between the last byte and the rename: nothing left to ask for.
            await self._complete()
            return
        if self.expectation is None and placed_before_a_kill(self.folder, self.row):
            # Renamed, then killed before "complete" reached the store. (With integrity
            # metadata the body is fetched again rather than trusted unchecked.)
            self._adopt_placed()
            return
        if self.row.request.method.upper() not in REPEATABLE_METHODS:
            await self._send_once()
            return
        failures = 0
        restarts = 0
        # Only bytes beyond the best checkpoint so far are progress: a server that
        # sends the same first megabytes again and again must still run out of
        # retries, so every fetch settles in bounded time (docs/contracts.md §3).
        best = self.row.checkpoint
        while True:
            try:
                await self._attempt()
                await self._complete()
                return
            except Authenticate:
                continue
            except Restart as exc:
                restarts += 1
                if isinstance(exc, ForeignFile) or part_is_foreign(self.folder, self.row):
                    log.warning("%s: %s; left alone, taking another name", self.url, exc)
                    self.forget_name()
                else:
                    log.info("%s: %s; restarting from zero", self.row.request.url, exc)
                    self.discard_partial()
                if restarts > self.ctx.settings.max_restarts:
                    raise TransferFailed(
                        FailureReason.FETCH_ERROR, f"restarted {restarts - 1} times, then: {exc}"
                    ) from None
                continue
            except Transient as exc:
                failure = exc
            if self.row.checkpoint - best >= USEFUL_PROGRESS:
                # The connection was useful: this is a new run of bad luck. A server
                # that stalls after a few bytes every time still runs out of retries.
                failures = 0
            best = max(best, self.row.checkpoint)
            failures += 1
            if failures > self.ctx.settings.max_retries:
                raise TransferFailed(failure.reason, str(failure))
            delay = failure.retry_after
            if delay is None:
                delay = backoff_delay(
                    failures, self.ctx.settings.retry_base_delay, self.ctx.settings.retry_max_delay
                )
            log.info("%s: %s; retry %d in %.1fs", self.row.request.url, failure, failures, delay)
            self.host.retrying(delay, str(failure), failures + 1)
            await asyncio.sleep(delay)

    async def _send_once(self) -> None:
        """A request that may change something on the server (POST, PUT...) goes out
        once: no retry, no resume, and never again after an interruption
        (docs/contracts.md §1). Only a 401 answered with saved credentials is sent
        again, as a browser does: the server refused the first one."""
        method = self.row.request.method.upper()
        if self.row.sent:
            raise TransferFailed(FailureReason.FETCH_ERROR, f"the {method} request was "
                                 "interrupted; bgfetch never sends it twice")
        self.row.sent = True
        self.host.save(self.row, commit=True)  # on disk before the first byte leaves
        while True:
            try:
                await self._attempt()
                break
            except Authenticate:
                continue
            except (Transient, Restart) as exc:
                reason = exc.reason if isinstance(exc, Transient) else FailureReason.FETCH_ERROR
                raise TransferFailed(reason, f"{exc}; a {method} request is not sent twice") \
                    from None
        await self._complete()

    # -- one try ----------------------------------------------------------

    async def _attempt(self) -> None:
        if self._placed:
            return  # in place before an error on the way out: only its record is left
        self._digest = None
        if part_is_foreign(self.folder, self.row):
            # Swapped for a link or a folder while we were away: never followed.
            log.warning("%s: %s is not ours any more; taking another name",
                        self.url, self.part_path.name)
            self.forget_name()
        saved = resumable_segments(self)
        segmented = None if saved is None else SegmentedDownload(self, saved)
        try:
            if segmented is None:
                segmented = await self._first_exchange()
            if segmented is not None:
                await segmented.run()
        finally:
            if segmented is not None:
                await segmented.close()

    async def _first_exchange(self) -> SegmentedDownload | None:
        """Ask for the body (from the checkpoint); a body worth splitting goes on segmented."""
        request = self.row.request
        offset = self._resume_offset()
        async with exchange(
            self.ctx,
            request.method,
            self.url,
            self.headers(offset),
            self._body if request.body else None,
        ) as (response, guard):
            segmented = await self._receive(response, offset, guard)
            if segmented is not None:
                try:
                    # The first reply's body becomes the first segment's bytes.
                    await segmented.run_first(response, guard)
                except BaseException:
                    await segmented.close()
                    raise
        return segmented

    async def _receive(
        self, response: aiohttp.ClientResponse, offset: int, guard: StallGuard
    ) -> SegmentedDownload | None:
        status = response.status
        if status == 401 and self._authorization is None:
            await self._find_credentials(response)
        transient = transient_status(response)
        if transient is not None:
            self.record_response(response, keep_validators=True)
            self.host.save(self.row)  # `show` must tell the same story with or without an engine
            raise transient
        if status == 416 and offset:
            # Nothing at or after our offset: the file shrank or changed.
            raise Restart(f"server has no bytes from {offset} (416)")
        if not 200 <= status < 300:
            self.record_response(response, keep_validators=True)
            self.host.save(self.row)
            raise TransferFailed(FailureReason.BAD_STATUS, f"HTTP {status} for {response.url}")
        if offset and status == 200:
            log.info("%s: server sent the whole file; restarting from zero", response.url)
            offset = 0
            # The old bytes are void from now on; say so before the new
            # validator is stored, so a kill here can never splice.
            self.row.bytes_done = 0
        elif offset:
            check_range_reply(
                response, offset, self.row.size_total, self.row.etag, self.row.last_modified,
                confirmed=self.row.replaced_url is not None,
            )
        elif status == 206 and not covers_whole_body(response):
            raise Transient(FailureReason.FETCH_ERROR, "206 to a request without Range")
        self.record_response(response, keep_validators=False)
        claim_name(
            self.folder,
            self.row,
            str(response.url),
            response.headers.get("Content-Disposition"),
            self.taken_names,
        )
        total = expected_total(response, offset)
        self.row.size_total = total
        self.host.announce_size(self.row.idx, total)
        # The claimed name is on disk before its part file fills: a kill leaves no part
        # file the store does not know, and finds a body renamed in place by its name.
        self.host.save(self.row, commit=True)
        self.host.transferring()
        plan = segment_plan(self, response, offset)
        if plan is not None:
            return SegmentedDownload(self, plan)
        if total is not None and total - offset <= SMALL_BODY and not self._sync_each_file:
            await self._store_whole(response, offset, total, guard)
        else:
            await self._stream(response, offset, total, guard)
        return None

    @property
    def _sync_each_file(self) -> bool:
        return self.ctx.settings.sync_each_file

    async def _store_whole(
        self, response: aiohttp.ClientResponse, offset: int, total: int, guard: StallGuard
    ) -> None:
        """A small body: gathered in memory, then written and closed in one trip to a disk
        thread. Until it is written, its bytes count as received but not stored."""
        pieces = []
        received = offset
        content, limiter = response.content, self.ctx.limiter
        while chunk := await read_some(content, (read_size := limiter.piece)):
            guard.touch(len(chunk))
            if read_size:
                with guard.suspended():
                    await limiter.consume(len(chunk))
            pieces.append(chunk)
            received += len(chunk)
            self.host.add_bytes(len(chunk))
        if received != total:
            raise Transient(FailureReason.FETCH_ERROR, f"body ended at {received} of {total} bytes")
        body = pieces[0] if len(pieces) == 1 else b"".join(pieces)
        loop = asyncio.get_running_loop()
        with guard.suspended(), disk_errors():
            if self.expectation is None:
                # Nothing to check between the write and the rename: both in one trip.
                # Its claimed name is already in the store (_receive), so a kill after
                # the rename finds the file in place (placed_before_a_kill).
                assert self.row.filename is not None
                self._placed = await loop.run_in_executor(
                    self.ctx.disk, write_and_place, self.folder, self.row.filename, total,
                    offset, body)
            else:
                await loop.run_in_executor(self.ctx.disk, write_at, self.part_path, offset, body)
        self.row.bytes_done = total
        self._durable = False

    async def _find_credentials(self, response: aiohttp.ClientResponse) -> None:
        """Raise Authenticate if the keyring has credentials for the origin that asked."""
        asking = str(response.url)
        found = await asyncio.to_thread(self.ctx.credentials.lookup, origin_of(asking))
        if found is not None:
            self._authorization = found.basic_authorization()
            self._auth_url = asking
            raise Authenticate

    def record_response(self, response: aiohttp.ClientResponse, keep_validators: bool) -> None:
        row = self.row
        row.status = response.status
        row.final_url = str(response.url)
        row.response_headers = tuple(response.headers.items())
        if not keep_validators:
            row.etag = response.headers.get("ETag")
            row.last_modified = response.headers.get("Last-Modified")

    async def _stream(
        self, response: aiohttp.ClientResponse, offset: int, total: int | None, guard: StallGuard
    ) -> None:
        settings = self.ctx.settings
        # Every disk wait is ours, not the server's silence: on a busy machine a checkpoint's
        # flush or the final fsync can outlast the stall timeout.
        with guard.suspended(), disk_errors():
            self.folder.mkdir(parents=True, exist_ok=True)
            hasher = await self._stream_hash(offset)
            writer = await PartFile.open(self.part_path, offset, self.ctx.disk, hasher=hasher)
        self.host.connections(self.row.idx, 1)
        pos = saved = offset
        self.row.bytes_done = offset
        saved_at = time.monotonic()
        content, limiter = response.content, self.ctx.limiter
        try:
            while chunk := await read_some(content, limiter.piece):
                guard.touch(len(chunk))
                self.host.check_room(len(chunk))  # a body of unknown length meets the budget
                # Our own waits (speed limit, a slow disk) are not the server's silence.
                with guard.suspended():
                    await limiter.consume(len(chunk))
                    with disk_errors():
                        await writer.write(pos, memoryview(chunk))
                pos += len(chunk)
                self.row.bytes_done = pos
                self.host.add_bytes(len(chunk))
                now = time.monotonic()
                if (
                    pos - saved >= settings.checkpoint_bytes
                    or now - saved_at >= settings.checkpoint_seconds
                ):
                    with guard.suspended(), disk_errors():
                        await writer.flush()
                    self.host.save(self.row, commit=True)  # a kill now loses no more
                    saved, saved_at = pos, now
            if total is not None and pos != total:
                raise Transient(
                    FailureReason.FETCH_ERROR, f"body ended at {pos} of {total} bytes"
                )
            with guard.suspended(), disk_errors():
                await writer.sync()
            self._digest = None if hasher is None else hasher.digest(pos)
        finally:
            # Runs on pause, abort, network loss and errors alike: what reached
            # the file is checkpointed, so the next try starts from there.
            if await through_cancels(writer.close()):
                saved = pos
            self.row.bytes_done = saved
            self.host.connections(self.row.idx, 0)
            self.host.save(self.row)

    async def _complete(self) -> None:
        sha256 = None
        if self.expectation is not None:
            digest = await self._verify(self.expectation)
            sha256 = digest if self.expectation.algorithm == "sha256" else None
        if self._placed:
            self.row.complete = True
        else:
            move_into_place(self.folder, self.row, self.taken_names)
        self.row.segments = ()
        if not self._durable:
            assert self.row.filename is not None
            self.host.unsynced(self.folder / self.row.filename)
        self.host.save(self.row)
        if sha256 is not None:
            self.host.hashed(self.row, sha256)  # `show --json` need not hash it again

    def _adopt_placed(self) -> None:
        row = self.row
        assert row.filename is not None and row.size_total is not None
        row.complete = True
        row.bytes_done = row.size_total
        row.segments = ()
        self.host.unsynced(self.folder / row.filename)  # a kill is not a power cut
        self.host.save(row)

    async def _stream_hash(self, offset: int) -> StreamHash | None:
        """A hash fed as the body is written, after the bytes a resume keeps (read again
        from the part file, off the loop); None when the request has no metadata."""
        if self.expectation is None:
            return None
        hasher = StreamHash(self.expectation.new_hash(), offset)
        if offset:
            await asyncio.get_running_loop().run_in_executor(
                self.ctx.disk, hasher.read_prefix, self.part_path)
        return hasher

    async def _verify(self, expected: Expectation) -> bytes:
        """The body's digest if it matches the request's integrity metadata; a mismatch
        deletes the part file and fails the request (docs/contracts.md §12)."""
        loop = asyncio.get_running_loop()
        if self._digest is not None:
            digest = self._digest
        else:
            # Segmented (bytes came out of order), small, or complete before this run:
            # the whole part file, hashed once on a disk thread before the rename.
            with disk_errors():
                digest, _ = await loop.run_in_executor(
                    self.ctx.disk, hash_file, self.part_path, expected.algorithm)
        problem = expected.mismatch(digest)
        if problem is None:
            return digest
        log.warning("%s: %s", self.row.request.url, problem)
        with disk_errors():
            await loop.run_in_executor(self.ctx.disk, self.part_path.unlink, True)
        # Its claim on the name went with the part file: a retry claims one anew, so it
        # can never write into a part file another fetch has claimed since.
        assert self.row.filename is not None
        self.taken_names.discard(name_key(self.row.filename))
        self.row.filename = None
        self.row.bytes_done = 0
        self.row.segments = ()
        self.host.save(self.row)
        raise TransferFailed(FailureReason.FETCH_ERROR, problem)

    # -- helpers -------------------------------------------------------------

    def _received_in_full(self) -> bool:
        row = self.row
        if row.filename is None or row.size_total is None or row.checkpoint != row.size_total:
            return False
        return part_size(self.folder, row) == row.size_total

    def _resume_offset(self) -> int:
        """Where this try starts: the checkpoint, if the part file and a validator allow."""
        row = self.row
        if not row.bytes_done or row.filename is None:
            return 0
        if self.validator() is None:
            log.info("%s: no validator to resume safely; restarting", row.request.url)
            self.discard_partial()
            return 0
        on_disk = part_size(self.folder, row)
        if on_disk is None:
            self.discard_partial()
            return 0
        # After a power cut the file may be shorter than the checkpoint: trust
        # what is there. Bytes beyond the checkpoint were never counted.
        row.bytes_done = min(row.bytes_done, on_disk)
        return row.bytes_done

    def forget_name(self) -> None:
        """Leave whatever holds our part file's name alone; the body starts again under a
        new name (the old one stays in ``taken_names``, so it is never chosen again)."""
        self.row.filename = None
        self.discard_partial()

    def discard_partial(self) -> None:
        self.row.bytes_done = 0
        self.row.segments = ()
        self.row.etag = None
        self.row.last_modified = None
        self.row.size_total = None
        empty_part(self.folder, self.row)
        self.host.save(self.row)

    async def _body(self) -> AsyncIterator[bytes]:
        """The request body, from its snapshot taken at ``fetch()``."""
        assert self.row.request.body is not None
        self.row.uploaded = 0
        with open(self.row.request.body, "rb") as body:
            while chunk := await asyncio.to_thread(body.read, 256 * 1024):
                yield chunk
                self.row.uploaded += len(chunk)
                self.host.uploading()
