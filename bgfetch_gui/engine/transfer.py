"""One request of a fetch, streamed to disk, resumed with ``Range`` + ``If-Range``.

The rules that keep a file whole:

* bytes go to ``<name>.part``; the final name appears only once the body is
  complete and its size checked;
* a resume asks ``Range: bytes=N-`` guarded by ``If-Range`` (a strong ETag,
  else Last-Modified); with no validator the file restarts from zero, because
  a resume we cannot guard could splice two versions of a file;
* a 200 where 206 was asked, a ``Content-Range`` that does not start at N or
  has another total, or a changed ETag throws the partial bytes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import logging
import os
import re
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import aiohttp
from multidict import CIMultiDict

from .credentials import CredentialProvider, origin_of
from .diskwriter import PartFileWriter
from .model import FailureReason
from .naming import PART_SUFFIX, choose_filename, unique_name
from .network import NetworkMonitor
from .ratelimit import RateLimiter
from .retry import backoff_delay, is_transient_status, parse_retry_after
from .settings import Settings
from .stallguard import StallGuard
from .store import RequestRow

log = logging.getLogger("bgfetch.transfer")

READ_CHUNK = 1 << 20
MAX_REDIRECTS = 10
MAX_RESTARTS = 3
USEFUL_PROGRESS = 256 * 1024
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


class TransferFailed(Exception):
    """This request failed for good; the fetch fails with ``reason``."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class _Transient(Exception):
    """Worth another try after a backoff (or the server's ``Retry-After``)."""

    def __init__(self, reason: FailureReason, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.reason = reason
        self.retry_after = retry_after


class _Restart(Exception):
    """The partial bytes cannot be continued; start the file again from zero."""


class TransferHost(Protocol):
    """What a transfer needs from the fetch it belongs to."""

    def add_bytes(self, n: int) -> None:
        """Count received bytes; raises TransferFailed when the fetch must stop."""

    def announce_size(self, idx: int, size: int | None) -> None:
        """The server told the full size of request ``idx``; may raise TransferFailed."""

    def save(self, row: RequestRow) -> None:
        """Persist ``row`` (a checkpoint)."""

    def retrying(self, delay: float, detail: str) -> None:
        """A transient error; the next try comes after ``delay`` seconds."""

    def transferring(self) -> None:
        """Bytes flow again after a retry."""

    def secret_headers(self, idx: int) -> tuple[tuple[str, str], ...]:
        """Headers of request ``idx`` for its own origin only (a browser's cookies)."""


@dataclass
class TransferContext:
    """What every transfer of the engine shares."""

    session: aiohttp.ClientSession
    settings: Settings
    monitor: NetworkMonitor
    limiter: RateLimiter
    credentials: CredentialProvider


class _Authenticate(Exception):
    """The server asked for credentials and we have some for it: ask again at once."""


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

    @property
    def part_path(self) -> Path:
        assert self.row.filename is not None
        return self.folder / (self.row.filename + PART_SUFFIX)

    @property
    def final_path(self) -> Path:
        assert self.row.filename is not None
        return self.folder / self.row.filename

    async def run(self) -> None:
        """Download until complete; raises TransferFailed, or CancelledError to pause."""
        if self._received_in_full():
            # Killed between the last byte and the rename: nothing left to ask for.
            self._complete()
            return
        failures = 0
        restarts = 0
        while True:
            progress_before = self.row.bytes_done
            try:
                await self._attempt()
                return
            except _Authenticate:
                continue
            except _Restart as exc:
                restarts += 1
                log.info("%s: %s; restarting from zero", self.row.request.url, exc)
                self._discard_partial()
                if restarts <= MAX_RESTARTS:
                    continue
                failure: _Transient = _Transient(FailureReason.FETCH_ERROR, str(exc))
            except _Transient as exc:
                failure = exc
            if self.row.bytes_done - progress_before >= USEFUL_PROGRESS:
                # The connection was useful: this is a new run of bad luck. A server
                # that stalls after a few bytes every time still runs out of retries.
                failures = 0
            failures += 1
            if failures > self.ctx.settings.max_retries:
                raise TransferFailed(failure.reason, str(failure))
            delay = failure.retry_after
            if delay is None:
                delay = backoff_delay(
                    failures, self.ctx.settings.retry_base_delay, self.ctx.settings.retry_max_delay
                )
            log.info("%s: %s; retry %d in %.1fs", self.row.request.url, failure, failures, delay)
            self.host.retrying(delay, str(failure))
            await asyncio.sleep(delay)

    # -- one HTTP exchange ------------------------------------------------

    async def _attempt(self) -> None:
        request = self.row.request
        offset = self._resume_offset()
        headers = CIMultiDict(request.headers)
        # Bytes are stored exactly as sent: ask for them unencoded, as curl and
        # wget do, so a resumed range lines up with what is on disk.
        headers.setdefault("Accept-Encoding", "identity")
        if self._authorization:
            # aiohttp drops this header itself when a redirect leaves the origin.
            headers["Authorization"] = self._authorization
        if offset:
            headers["Range"] = f"bytes={offset}-"
            headers["If-Range"] = self._validator() or ""
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=self.ctx.settings.connect_timeout)
        url = self._auth_url or request.url
        origin = origin_of(url)
        if origin == origin_of(request.url):
            # aiohttp drops Cookie itself when a redirect leaves this origin.
            headers.update(self.host.secret_headers(self.row.idx))
        try:
            async with StallGuard(
                self.ctx.settings.stall_timeout
            ) as guard, self.ctx.session.request(
                request.method,
                url,
                headers=headers,
                data=self._body() if request.body else None,
                allow_redirects=True,
                # aiohttp stops when the count reaches the limit: +1 lets 10 through.
                max_redirects=MAX_REDIRECTS + 1,
                timeout=timeout,
            ) as response:
                self.ctx.monitor.connection_succeeded(origin)
                await self._receive(response, offset, guard)
        except aiohttp.TooManyRedirects:
            raise TransferFailed(
                FailureReason.FETCH_ERROR, f"more than {MAX_REDIRECTS} redirects"
            ) from None
        except aiohttp.InvalidURL as exc:
            raise TransferFailed(
                FailureReason.FETCH_ERROR, f"redirected to a URL that is not http(s): {exc}"
            ) from None
        except aiohttp.ClientConnectorError as exc:
            self.ctx.monitor.connection_failed(origin)
            raise _Transient(FailureReason.FETCH_ERROR, f"cannot connect: {exc}") from None
        except (TimeoutError, aiohttp.ClientError) as exc:
            detail = "stalled" if isinstance(exc, asyncio.TimeoutError) else str(exc) or repr(exc)
            raise _Transient(FailureReason.FETCH_ERROR, detail) from None

    async def _receive(
        self, response: aiohttp.ClientResponse, offset: int, guard: StallGuard
    ) -> None:
        status = response.status
        if status == 401 and self._authorization is None:
            await self._find_credentials(response)
        if is_transient_status(status):
            self._record_response(response, keep_validators=True)
            self.host.save(self.row)  # `show` must tell the same story with or without an engine
            raise _Transient(
                FailureReason.BAD_STATUS,
                f"HTTP {status}",
                parse_retry_after(response.headers.get("Retry-After")),
            )
        if status == 416 and offset:
            # Nothing at or after our offset: the file shrank or changed.
            raise _Restart(f"server has no bytes from {offset} (416)")
        if not 200 <= status < 300:
            self._record_response(response, keep_validators=True)
            self.host.save(self.row)
            raise TransferFailed(FailureReason.BAD_STATUS, f"HTTP {status} for {response.url}")
        if offset:
            offset = self._check_resumed(response, offset)
            if offset == 0:
                # The old bytes are void from now on; say so before the new
                # validator is stored, so a kill here can never splice.
                self.row.bytes_done = 0
        elif status == 206:
            raise _Transient(FailureReason.FETCH_ERROR, "206 to a request without Range")
        self._record_response(response, keep_validators=False)
        self._reserve_name(response)
        total = self._expected_total(response, offset)
        self.row.size_total = total
        self.host.announce_size(self.row.idx, total)
        self.host.save(self.row)
        self.host.transferring()
        await self._stream(response, offset, total, guard)

    async def _find_credentials(self, response: aiohttp.ClientResponse) -> None:
        """Raise _Authenticate if the keyring has credentials for the origin that asked."""
        asking = str(response.url)
        found = await asyncio.to_thread(self.ctx.credentials.lookup, origin_of(asking))
        if found is not None:
            self._authorization = found.basic_authorization()
            self._auth_url = asking
            raise _Authenticate

    def _check_resumed(self, response: aiohttp.ClientResponse, offset: int) -> int:
        """Whether a reply to ``Range: bytes=offset-`` continues our bytes; 0 if it restarts."""
        if response.status == 200:
            log.info("%s: server sent the whole file; restarting from zero", response.url)
            return 0
        match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
        if not match:
            raise _Restart("206 without a usable Content-Range")
        start, _end, total = match.groups()
        if int(start) != offset:
            raise _Restart(f"asked for bytes from {offset}, got Content-Range from {start}")
        if total != "*" and self.row.size_total is not None and int(total) != self.row.size_total:
            raise _Restart(f"file size changed from {self.row.size_total} to {total}")
        etag = response.headers.get("ETag")
        if etag and self.row.etag and etag != self.row.etag:
            raise _Restart("ETag changed")
        modified = response.headers.get("Last-Modified")
        if not self.row.etag and modified and self.row.last_modified \
                and modified != self.row.last_modified:
            raise _Restart("Last-Modified changed")
        return offset

    def _expected_total(self, response: aiohttp.ClientResponse, offset: int) -> int | None:
        if offset:
            match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
            if match and match.group(3) != "*":
                return int(match.group(3))
        length = response.headers.get("Content-Length")
        if length is not None and length.isdigit() and response.method != "HEAD":
            return offset + int(length)
        return None

    def _record_response(self, response: aiohttp.ClientResponse, keep_validators: bool) -> None:
        row = self.row
        row.status = response.status
        row.response_headers = tuple(response.headers.items())
        if not keep_validators:
            row.etag = response.headers.get("ETag")
            row.last_modified = response.headers.get("Last-Modified")

    def _reserve_name(self, response: aiohttp.ClientResponse) -> None:
        """Give the body its file name, claimed on disk so no other fetch can take it.

        Creating ``<name>.part`` exclusively is the claim: another fetch (in
        this process or another) that picks a name in the same folder sees it.
        """
        if self.row.filename is not None:
            return
        fallback = f"download-{self.row.idx + 1}"
        name = choose_filename(
            str(response.url), response.headers.get("Content-Disposition"), fallback
        )
        with _disk_errors():
            self.folder.mkdir(parents=True, exist_ok=True)
            while True:
                candidate = unique_name(self.folder, name, self.taken_names)
                try:
                    fd = os.open(self.folder / (candidate + PART_SUFFIX),
                                 os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
                except FileExistsError:
                    continue  # taken between the look and the claim: look again
                os.close(fd)
                break
        self.row.filename = candidate
        self.taken_names.add(candidate)

    async def _stream(
        self, response: aiohttp.ClientResponse, offset: int, total: int | None, guard: StallGuard
    ) -> None:
        settings = self.ctx.settings
        with _disk_errors():
            self.folder.mkdir(parents=True, exist_ok=True)
            writer = await PartFileWriter.open(self.part_path, offset)
        self.row.bytes_done = offset
        saved_bytes, saved_at = offset, time.monotonic()
        try:
            while chunk := await response.content.readany():
                guard.touch()
                # Our own waits (speed limit, a slow disk) are not the server's silence.
                with guard.suspended():
                    await self.ctx.limiter.consume(len(chunk))
                    with _disk_errors():
                        await writer.write(chunk)
                self.row.bytes_done += len(chunk)
                self.host.add_bytes(len(chunk))
                now = time.monotonic()
                if (
                    self.row.bytes_done - saved_bytes >= settings.checkpoint_bytes
                    or now - saved_at >= settings.checkpoint_seconds
                ):
                    with _disk_errors():
                        await writer.flush()
                    self.host.save(self.row)
                    saved_bytes, saved_at = self.row.bytes_done, now
            if total is not None and self.row.bytes_done != total:
                raise _Transient(
                    FailureReason.FETCH_ERROR,
                    f"body ended at {self.row.bytes_done} of {total} bytes",
                )
            with _disk_errors():
                await writer.sync()
        finally:
            # Runs on pause, abort, network loss and errors alike: what reached
            # the file is checkpointed, so the next try starts from there.
            await _close_through_cancels(writer)
            self.row.bytes_done = offset + writer.written
            self.host.save(self.row)
        self._complete()

    def _complete(self) -> None:
        part = self.part_path
        if self.final_path.exists():  # someone put a file there while we downloaded
            assert self.row.filename is not None
            self.row.filename = unique_name(self.folder, self.row.filename, self.taken_names)
            self.taken_names.add(self.row.filename)
        with _disk_errors():
            os.replace(part, self.final_path)
        self.row.complete = True
        self.host.save(self.row)

    # -- helpers -------------------------------------------------------------

    def _validator(self) -> str | None:
        etag = self.row.etag
        if etag and not etag.startswith("W/"):
            return etag
        return self.row.last_modified or None

    def _received_in_full(self) -> bool:
        row = self.row
        if row.filename is None or row.size_total is None or row.bytes_done != row.size_total:
            return False
        try:
            return self.part_path.stat().st_size == row.size_total
        except FileNotFoundError:
            return False

    def _resume_offset(self) -> int:
        """Where this try starts: the checkpoint, if the part file and a validator allow."""
        row = self.row
        if not row.bytes_done or row.filename is None:
            return 0
        if self._validator() is None:
            log.info("%s: no validator to resume safely; restarting", row.request.url)
            self._discard_partial()
            return 0
        try:
            on_disk = self.part_path.stat().st_size
        except FileNotFoundError:
            self._discard_partial()
            return 0
        # After a power cut the file may be shorter than the checkpoint: trust
        # what is there. Bytes beyond the checkpoint were never counted.
        row.bytes_done = min(row.bytes_done, on_disk)
        return row.bytes_done

    def _discard_partial(self) -> None:
        self.row.bytes_done = 0
        self.row.etag = None
        self.row.last_modified = None
        self.row.size_total = None
        if self.row.filename is not None:
            # Emptied, not deleted: the file keeps its claim on the name.
            with contextlib.suppress(FileNotFoundError), open(self.part_path, "r+b") as part:
                part.truncate()
        self.host.save(self.row)

    async def _body(self) -> AsyncIterator[bytes]:
        assert self.row.request.body is not None
        self.row.uploaded = 0
        with open(self.row.request.body, "rb") as body:
            while chunk := await asyncio.to_thread(body.read, 256 * 1024):
                yield chunk
                self.row.uploaded += len(chunk)


async def _close_through_cancels(writer: PartFileWriter) -> None:
    """Close ``writer`` even if cancelled again meanwhile (a network flicker).

    Returning early would leave the checkpoint behind the file and the old
    writer still writing while the next try opens the same part file. A
    repeated cancel is re-raised once the file is closed.
    """
    closing = asyncio.ensure_future(writer.close())
    cancelled = False
    while not closing.done():
        try:
            await asyncio.shield(closing)
        except asyncio.CancelledError:
            cancelled = True
        except Exception:
            break  # the disk's error; the transfer's own exception says what failed
    if not closing.cancelled():
        closing.exception()  # retrieved: reported through the transfer, not the loop
    if cancelled:
        raise asyncio.CancelledError


class _disk_errors:
    """Turns a full disk into quota-exceeded and other file errors into fetch-error."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if isinstance(exc, OSError):
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise TransferFailed(FailureReason.QUOTA_EXCEEDED, f"disk full: {exc}") from exc
            raise TransferFailed(FailureReason.FETCH_ERROR, f"cannot write: {exc}") from exc


