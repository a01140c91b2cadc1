"""A fault-injecting HTTP server for download tests.

Every download test needs a server that misbehaves *on demand and
reproducibly*: drops the connection after N bytes, lies about ranges, changes
the file between two requests, refuses connections, throttles, redirects.
Real servers (or mocks of the client library) cannot do that deterministically,
so this module provides one, built on :mod:`aiohttp.web`.

The file bodies are never stored: the bytes of ``/file/{name}`` are a pure
function of ``(seed, offset)`` (see :func:`iter_content`), so a test can
download gigabytes and still check every byte with :func:`content` or
:func:`content_sha256`.

Faults are chosen per request with query parameters (see :class:`FileParams`),
so one URL fully describes one scenario. Things that must change *during* a
test (a new file version, the server going away) are controlled from Python
through :class:`FaultServer`, which runs the server in its own thread and event
loop so synchronous tests, asynchronous tests on any loop and subprocesses can
all talk to it.

Standalone: ``python -m tests.support.faultserver --port 8080``.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import email.utils
import gzip
import hashlib
import html
import re
import socket
import struct
import sys
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Coroutine, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import urlencode

from aiohttp import web
from multidict import CIMultiDict, CIMultiDictProxy, MultiDict

__all__ = [
    "BLOCK_SIZE",
    "GZIP_MAX_SIZE",
    "VERSION_SEED_STEP",
    "WRITE_CHUNK",
    "FaultServer",
    "FaultState",
    "FileParams",
    "Holds",
    "RangeNotSatisfiable",
    "RecordedRequest",
    "content",
    "content_sha256",
    "create_app",
    "gzip_content",
    "if_range_matches",
    "iter_content",
    "parse_range",
    "version_seed",
]

# --------------------------------------------------------------------------
# Deterministic content
# --------------------------------------------------------------------------

BLOCK_SIZE = 1 << 20
"""Content is built from 1 MiB blocks: big enough to make generation a memcpy."""

WRITE_CHUNK = 1 << 20
"""Largest single write: large writes are what makes loopback serving fast."""

VERSION_SEED_STEP = 7919
"""Seed offset per file version: version ``v`` of a file uses ``seed + v * 7919``."""

GZIP_MAX_SIZE = 64 << 20
"""``encoding=gzip`` compresses in memory (the length must be known up front)."""

_ROTATION_MULTIPLIER = 0x9E3779B1
"""Odd multiplier: block ``i`` is the base block rotated by ``i * M mod 2**20``,
so all 2**20 rotations are distinct and a block served at the wrong index is
detected (the stream only repeats after 1 TiB)."""

_STALL_POLL_S = 0.05
_FLUSH_TIMEOUT_S = 5.0
_FIXED_LAST_MODIFIED = datetime(2024, 1, 1, tzinfo=UTC)


@lru_cache(maxsize=16)
def _doubled_block(seed: int) -> bytes:
    """Two copies of the seed's pseudo-random base block, back to back.

    Doubling lets any rotation of the block be taken as one zero-copy slice.
    SHAKE-256 gives 1 MiB of seed-dependent bytes in a few milliseconds.
    """
    base = hashlib.shake_256(f"bgfetch-faultserver:{seed}".encode()).digest(BLOCK_SIZE)
    return base + base


def _rotation(block_index: int) -> int:
    """Where block ``block_index`` starts inside the base block (cheap index mixing)."""
    return (block_index * _ROTATION_MULTIPLIER) % BLOCK_SIZE


def _check_bounds(size: int, start: int, end: int | None) -> int:
    """Validate a ``[start, end)`` window of a ``size``-byte file; return ``end``."""
    stop = size if end is None else end
    if size < 0 or not 0 <= start <= stop <= size:
        raise ValueError(f"bad window [{start}, {end}) of a {size}-byte file")
    return stop


def iter_content(
    size: int,
    seed: int = 0,
    start: int = 0,
    end: int | None = None,
    chunk: int = WRITE_CHUNK,
) -> Iterator[memoryview]:
    """Yield bytes ``[start, end)`` of the ``size``-byte file for ``seed``.

    ``end`` is exclusive (Python slice style, unlike HTTP ranges) and defaults
    to ``size``. Pieces are read-only ``memoryview`` slices of a cached block
    (no copying, hence > 1 GB/s); they are at most ``chunk`` bytes and never
    cross a 1 MiB block boundary. Use ``bytes(piece)`` if you need to keep one.
    """
    if chunk <= 0:
        raise ValueError("chunk must be positive")
    stop = _check_bounds(size, start, end)
    doubled = memoryview(_doubled_block(seed))
    offset = start
    while offset < stop:
        index, within = divmod(offset, BLOCK_SIZE)
        length = min(chunk, BLOCK_SIZE - within, stop - offset)
        first = _rotation(index) + within
        yield doubled[first : first + length]
        offset += length


def content(size: int, seed: int = 0, start: int = 0, end: int | None = None) -> bytes:
    """Bytes ``[start, end)`` of the file, as one ``bytes`` (for small windows)."""
    return b"".join(iter_content(size, seed, start, end))


@lru_cache(maxsize=64)
def content_sha256(size: int, seed: int = 0) -> str:
    """Hex SHA-256 of the whole file, computed streaming and cached."""
    digest = hashlib.sha256()
    for piece in iter_content(size, seed):
        digest.update(piece)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def gzip_content(size: int, seed: int = 0) -> bytes:
    """The exact body sent for ``encoding=gzip`` (deterministic: ``mtime=0``)."""
    if size > GZIP_MAX_SIZE:
        raise ValueError(f"encoding=gzip is limited to {GZIP_MAX_SIZE} bytes")
    return gzip.compress(content(size, seed), compresslevel=6, mtime=0)


def version_seed(seed: int, version: int) -> int:
    """The content seed actually used for ``version`` of a file with ``seed``."""
    return seed + version * VERSION_SEED_STEP


# --------------------------------------------------------------------------
# Ranges and validators
# --------------------------------------------------------------------------


class RangeNotSatisfiable(Exception):
    """The Range header is valid but selects nothing: answer 416."""


_RANGE_RE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


def parse_range(value: str, total: int) -> tuple[int, int] | None:
    """Turn a Range header into ``(start, end_exclusive)`` over ``total`` bytes.

    Returns ``None`` when the header must be ignored (syntax we do not
    support, several ranges, ``last < first``): RFC 9110 says to then send the
    full 200 response. Raises :class:`RangeNotSatisfiable` for a 416.
    """
    if "," in value:
        return None
    match = _RANGE_RE.match(value)
    if match is None or match.group(0).count("-") != 1:
        return None
    first, last = match.groups()
    if not first:
        if not last:
            return None
        suffix = int(last)
        if suffix == 0 or total == 0:
            raise RangeNotSatisfiable(value)
        return max(0, total - suffix), total
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= total:
        raise RangeNotSatisfiable(value)
    stop = total if not last else min(int(last) + 1, total)
    return start, stop


def if_range_matches(value: str, etag: str | None, last_modified: str | None) -> bool:
    """Whether ``If-Range`` lets the Range apply (RFC 9110 section 13.1.5).

    An entity-tag must match with the *strong* comparison (weak tags never
    match); a date must equal the Last-Modified value exactly.
    """
    value = value.strip()
    if value.startswith(('"', "W/")):
        return etag is not None and not etag.startswith("W/") and value == etag
    return last_modified is not None and value == last_modified


def _render_etag(opaque: str, weak: bool) -> str:
    """Quote an opaque tag, weak (``W/"..."``) if asked."""
    return f'{"W/" if weak else ""}"{opaque}"'


def _strip_etag(raw: str) -> str:
    """The opaque part of a user-supplied ETag, quoted or not, weak or not."""
    raw = raw.strip()
    raw = raw.removeprefix("W/")
    return raw.strip('"')


def _parse_http_date(raw: str) -> datetime | None:
    """An epoch-seconds integer or an HTTP-date, or ``None`` if it is neither."""
    if raw.strip().isdigit():
        return datetime.fromtimestamp(int(raw), tz=UTC)
    try:
        parsed = email.utils.parsedate_to_datetime(raw)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _format_http_date(moment: datetime) -> str:
    """RFC 9110 IMF-fixdate."""
    return email.utils.format_datetime(moment.astimezone(UTC), usegmt=True)


# --------------------------------------------------------------------------
# Query parameters of /file/{name}
# --------------------------------------------------------------------------


class BadParam(ValueError):
    """A query parameter could not be understood: answer 400 so the test notices."""


def _get_int(query: Mapping[str, str], key: str, default: int, minimum: int = 0) -> int:
    """An integer parameter, at least ``minimum``."""
    raw = query.get(key)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadParam(f"{key}={raw!r} is not an integer") from None
    if value < minimum:
        raise BadParam(f"{key}={value} is below {minimum}")
    return value


def _get_opt_int(query: Mapping[str, str], key: str) -> int | None:
    """An optional non-negative integer parameter."""
    return _get_int(query, key, 0) if query.get(key) else None


def _get_float(query: Mapping[str, str], key: str, positive: bool = False) -> float | None:
    """An optional non-negative number (seconds; bytes per second if ``positive``)."""
    raw = query.get(key)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        raise BadParam(f"{key}={raw!r} is not a number") from None
    if value < 0 or (positive and value == 0) or value != value:
        raise BadParam(f"{key}={raw!r} is out of range")
    return value


def _get_flag(query: Mapping[str, str], key: str) -> bool:
    """A boolean parameter: present and not ``0``/``false``/``no``."""
    raw = query.get(key)
    return raw is not None and raw.lower() not in ("0", "false", "no", "off")


def _get_status(query: Mapping[str, str], key: str, default: int | None) -> int | None:
    """An HTTP status we can send as a final response (200-599)."""
    value = _get_opt_int(query, key)
    if value is None:
        return default
    if not 200 <= value <= 599:
        raise BadParam(f"{key}={value} is not a final HTTP status")
    return value


def _default_etag(size: int, seed: int, version: int, gzipped: bool) -> str:
    """Opaque part of the default ETag: changes with size, seed, version and coding."""
    return f"s{size}-{seed}-v{version}" + ("-gz" if gzipped else "")


def _make_etag(query: Mapping[str, str], size: int, seed: int, version: int) -> str | None:
    """The ETag header value (or ``None``), honouring ``etag=`` and ``weak=``."""
    raw = query.get("etag")
    if raw is not None and raw.lower() == "none":
        return None
    if raw is None:
        opaque = _default_etag(size, seed, version, query.get("encoding") == "gzip")
    else:
        opaque = _strip_etag(raw) + (f"-v{version}" if version else "")
    return _render_etag(opaque, _get_flag(query, "weak"))


def _make_last_modified(query: Mapping[str, str], version: int) -> str | None:
    """The Last-Modified value (or ``None``); each version is one hour later.

    Moving the date with the version keeps date-only ``If-Range`` honest when
    a test "changes the file". An unparsable ``lm=`` is sent verbatim.
    """
    raw = query.get("lm")
    if raw is not None and raw.lower() == "none":
        return None
    moment = _FIXED_LAST_MODIFIED if raw is None else _parse_http_date(raw)
    if moment is None:
        return raw
    return _format_http_date(moment + timedelta(hours=version))


@dataclass(frozen=True)
class FileParams:
    """Everything one ``/file/{name}`` request asked for, validated.

    Query parameters (all optional; unknown ones are ignored, so adding e.g.
    ``&n=2`` makes a distinct URL with fresh per-URL fault counters):

    ``size`` (default 1024), ``seed`` (default 0), ``etag`` (value, or
    ``none``), ``weak=1``, ``lm`` (HTTP-date or epoch, or ``none``), ``cd``
    (raw Content-Disposition), ``ctype`` (Content-Type), ``encoding=gzip``,
    ``nolength=1`` (chunked), ``status=N``, ``fail=K`` / ``fail_status`` /
    ``retry_after``, ``rate`` (bytes/s), ``drop_after=N`` / ``drop_times=K`` /
    ``drop_mode=rst|close``, ``stall_after=N`` / ``stall_times=K`` /
    ``stall_s=S``, ``ignore_range=1``, ``wrong_range=1``, ``redirect=N``,
    ``redirect_to=URL``, ``redirect_status`` (301/302/303/307/308),
    ``max_conns=N`` (at most N bodies of this file at once; more get 503),
    ``ranges=N`` (only the first N ranged requests of this URL get 206, later
    ones the whole file as 200, while ``Accept-Ranges`` is still sent),
    ``change_after=N`` (the file changes version once N requests for it arrived),
    ``whole206=1`` (the whole body as a 206 with ``Content-Range: bytes 0-N/N+1``
    even without ``Range``), ``vary=NAMES`` (sent as the ``Vary`` header),
    ``expire_after=N`` (a signed link that expires: this URL serves N body bytes in
    all, over any number of responses, cutting the one that reaches N; from then on
    every request of it is answered ``expire_status``, default 403). The same file
    without ``expire_after`` is a second URL for the same version (same ETag); with
    another ``etag=`` or ``seed=`` it is another version. ``ignore_if_range=1``: ranges
    are served whatever ``If-Range`` says (a careless server).
    Any method is served like GET; a request body is read before the answer.
    ``hold=KEY`` / ``hold_after=N`` park the body until the test releases
    ``KEY`` (see :class:`Holds`; not part of these parameters).

    Evaluation order: ``status``, then ``fail``, then redirects, then
    content. Per-URL counters are keyed on the raw path+query as received:
    ``fail`` counts every request (HEAD too); ``drop_*``/``stall_*`` count only
    GET responses that get as far as sending a body. ``drop_after`` and
    ``stall_after`` are offsets into *this response's* body, not the file.
    A drop or stall offset past the end of the body fires before the end
    (only visible with ``nolength=1``, where the final chunk goes missing).
    """

    name: str
    size: int
    seed: int
    version: int
    etag: str | None
    last_modified: str | None
    content_disposition: str | None
    content_type: str
    gzip: bool
    nolength: bool
    status: int | None
    fail: int
    fail_status: int
    retry_after: str | None
    rate: float | None
    drop_after: int | None
    drop_times: int
    drop_mode: str
    stall_after: int | None
    stall_times: int
    stall_s: float | None
    ignore_range: bool
    wrong_range: bool
    redirect: int
    redirect_to: str | None
    redirect_status: int
    max_conns: int | None = None
    ranges: int | None = None
    whole206: bool = False
    vary: str | None = None
    expire_after: int | None = None
    expire_status: int = 403
    ignore_if_range: bool = False

    @property
    def content_seed(self) -> int:
        """The seed the bytes are generated from (includes the version)."""
        return version_seed(self.seed, self.version)

    @classmethod
    def from_query(cls, name: str, query: Mapping[str, str], version: int) -> FileParams:
        """Validate the query of a request for version ``version`` of ``name``."""
        size = _get_int(query, "size", 1024)
        seed = _get_int(query, "seed", 0, minimum=-(2**63))
        encoding = query.get("encoding")
        if encoding not in (None, "", "identity", "gzip"):
            raise BadParam(f"encoding={encoding!r} is not supported (only gzip)")
        if encoding == "gzip" and size > GZIP_MAX_SIZE:
            raise BadParam(f"encoding=gzip is limited to size<={GZIP_MAX_SIZE}")
        drop_mode = query.get("drop_mode", "rst")
        if drop_mode not in ("rst", "close"):
            raise BadParam("drop_mode must be rst or close")
        redirect_status = _get_status(query, "redirect_status", 302)
        if redirect_status not in (301, 302, 303, 307, 308):
            raise BadParam("redirect_status must be 301, 302, 303, 307 or 308")
        return cls(
            name=name,
            size=size,
            seed=seed,
            version=version,
            etag=_make_etag(query, size, seed, version),
            last_modified=_make_last_modified(query, version),
            content_disposition=query.get("cd"),
            content_type=query.get("ctype") or "application/octet-stream",
            gzip=encoding == "gzip",
            nolength=_get_flag(query, "nolength"),
            status=_get_status(query, "status", None),
            fail=_get_int(query, "fail", 0),
            fail_status=_get_status(query, "fail_status", 503) or 503,
            retry_after=query.get("retry_after"),
            rate=_get_float(query, "rate", positive=True),
            drop_after=_get_opt_int(query, "drop_after"),
            drop_times=_get_int(query, "drop_times", 1),
            drop_mode=drop_mode,
            stall_after=_get_opt_int(query, "stall_after"),
            stall_times=_get_int(query, "stall_times", 1),
            stall_s=_get_float(query, "stall_s"),
            ignore_range=_get_flag(query, "ignore_range"),
            wrong_range=_get_flag(query, "wrong_range"),
            redirect=_get_int(query, "redirect", 0),
            redirect_to=query.get("redirect_to") or None,
            redirect_status=redirect_status or 302,
            max_conns=_get_opt_int(query, "max_conns"),
            ranges=_get_opt_int(query, "ranges"),
            whole206=_get_flag(query, "whole206"),
            vary=query.get("vary") or None,
            expire_after=_get_opt_int(query, "expire_after"),
            expire_status=_get_status(query, "expire_status", 403) or 403,
            ignore_if_range=_get_flag(query, "ignore_if_range"),
        )


# --------------------------------------------------------------------------
# Shared, thread-safe state
# --------------------------------------------------------------------------


@dataclass
class RecordedRequest:
    """One request as it arrived, for assertions about what the client sent.

    ``time`` is :func:`time.monotonic` at arrival (compare it across
    requests to check back-off delays). ``remote_port`` tells connections
    apart (reuse, parallel segments). ``status`` is filled in once the
    handler returns (``None`` while running or if the connection died).
    """

    method: str
    path: str
    query: dict[str, str]
    headers: CIMultiDictProxy[str]
    time: float
    remote: str | None
    remote_port: int | None
    raw_path: str
    name: str | None = None
    status: int | None = None

    @property
    def range(self) -> str | None:
        """The Range header, the thing most download tests look at."""
        return self.headers.get("Range")


@dataclass
class FaultState:
    """What the test thread and the server loop share, behind one lock.

    Holds file versions, the request log, per-URL fault counters and the
    byte counter. Every method may be called from any thread.
    """

    _lock: threading.Lock = field(default_factory=threading.Lock)
    _versions: dict[str, int] = field(default_factory=dict)
    _requests: list[RecordedRequest] = field(default_factory=list)
    _hits: Counter[tuple[str, str]] = field(default_factory=Counter)
    _bytes_sent: int = 0
    _auth: dict[str, str] = field(default_factory=dict)
    _streaming: Counter[str] = field(default_factory=Counter)
    _most_streaming: Counter[str] = field(default_factory=Counter)
    _spent: Counter[str] = field(default_factory=Counter)

    def spend(self, key: str, count: int) -> None:
        """Count ``count`` more body bytes served for URL ``key`` (``expire_after``)."""
        with self._lock:
            self._spent[key] += count

    def spent(self, key: str) -> int:
        with self._lock:
            return self._spent[key]

    def start_body(self, name: str, limit: int | None) -> bool:
        """Count one more body of ``name`` being sent; False if ``limit`` are already."""
        with self._lock:
            if limit is not None and self._streaming[name] >= limit:
                return False
            self._streaming[name] += 1
            self._most_streaming[name] = max(self._most_streaming[name], self._streaming[name])
            return True

    def end_body(self, name: str) -> None:
        with self._lock:
            self._streaming[name] -= 1

    def most_streaming(self, name: str) -> int:
        """The most bodies of ``name`` ever sent at once (connections in parallel)."""
        with self._lock:
            return self._most_streaming[name]

    def require_auth(self, name: str, username: str, password: str) -> None:
        """Make ``/file/{name}`` answer 401 unless Basic credentials match."""
        token = base64.b64encode(f"{username}:{password}".encode()).decode()
        with self._lock:
            self._auth[name] = f"Basic {token}"

    def auth_for(self, name: str) -> str | None:
        with self._lock:
            return self._auth.get(name)

    def version(self, name: str) -> int:
        """Current version of ``/file/{name}`` (0 until changed)."""
        with self._lock:
            return self._versions.get(name, 0)

    def set_version(self, name: str, version: int) -> None:
        """Make ``/file/{name}`` a different file (new bytes, ETag and date)."""
        with self._lock:
            self._versions[name] = version

    def record(self, request: RecordedRequest) -> None:
        """Append to the request log."""
        with self._lock:
            self._requests.append(request)

    def requests(self) -> list[RecordedRequest]:
        """A snapshot of the request log, in arrival order."""
        with self._lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        """Forget logged requests (fault counters are kept)."""
        with self._lock:
            self._requests.clear()

    def take_hit(self, kind: str, key: str) -> int:
        """Count one more ``kind`` event for URL ``key``; return the previous count."""
        with self._lock:
            previous = self._hits[(kind, key)]
            self._hits[(kind, key)] = previous + 1
            return previous

    def reset_counters(self) -> None:
        """Re-arm every ``fail``/``drop``/``stall`` fault as if no request was made."""
        with self._lock:
            self._hits.clear()

    def add_bytes(self, count: int) -> None:
        """Account body bytes handed to the transport."""
        with self._lock:
            self._bytes_sent += count

    @property
    def bytes_sent(self) -> int:
        """Total body bytes sent by all responses so far."""
        with self._lock:
            return self._bytes_sent


# --------------------------------------------------------------------------
# Holds: a body paused at an offset until the test says so
# --------------------------------------------------------------------------


class Holds:
    """Named gates that park response bodies until the test releases them.

    A test that must observe a download *while it is running* cannot rely on
    a slow ``rate=``: on a loaded machine the download may finish (or not
    have started) by the time the test looks. ``/file/{name}?hold=KEY&hold_after=N``
    instead sends ``N`` bytes of the body (an offset into *this response's*
    body, like ``stall_after``; default 0) and then sends nothing until
    :meth:`FaultServer.release` is called with ``KEY``, the server stops, or
    the client goes away. Every GET response for such a URL is held at its
    ``N``-th byte while ``KEY`` is unreleased (a resumed request too);
    releasing is permanent for that key, so later responses pass straight
    through. :meth:`FaultServer.wait_held` waits until a response is parked,
    i.e. the client has received exactly ``N`` body bytes and is waiting.

    The engine gives up on a connection that sends nothing for 30 s (its
    stall guard) and retries it, so keep a hold much shorter than that:
    release it as soon as the test has checked what it needed, ideally with
    ``with server.holding(KEY):`` which releases even if an assertion fails.

    The gates are shared between the test thread and the server loop, hence
    the lock; the server polls them (like stalls) rather than sharing an
    asyncio primitive across loops.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._released: set[str] = set()
        self._parked: Counter[str] = Counter()
        self._ever_parked: Counter[str] = Counter()

    def release(self, key: str) -> None:
        """Let every response held on ``key`` (now and later) continue."""
        with self._lock:
            self._released.add(key)

    def is_released(self, key: str) -> bool:
        """Whether ``key`` has been released."""
        with self._lock:
            return key in self._released

    def parked(self, key: str) -> int:
        """How many responses are waiting on ``key`` right now."""
        with self._lock:
            return self._parked[key]

    def times_parked(self, key: str) -> int:
        """How many responses have ever reached the hold for ``key``."""
        with self._lock:
            return self._ever_parked[key]

    @contextlib.contextmanager
    def parking(self, key: str) -> Iterator[None]:
        """Count one response as waiting on ``key`` for the ``with`` body."""
        with self._lock:
            self._parked[key] += 1
            self._ever_parked[key] += 1
        try:
            yield
        finally:
            with self._lock:
                self._parked[key] -= 1


def _hold_of(query: Mapping[str, str]) -> tuple[str, int] | None:
    """``(key, offset)`` from ``hold=KEY&hold_after=N``, or ``None`` without ``hold``."""
    key = query.get("hold")
    if not key:
        return None
    return key, _get_int(query, "hold_after", 0)


# --------------------------------------------------------------------------
# Low-level connection tricks
# --------------------------------------------------------------------------


def _unsent_kernel_bytes(transport: asyncio.BaseTransport) -> int:
    """Bytes still in the kernel send queue (Linux ``SIOCOUTQ``), else 0."""
    sock = transport.get_extra_info("socket")
    if sock is None:
        return 0
    try:
        import fcntl
        import termios

        raw = fcntl.ioctl(sock.fileno(), termios.TIOCOUTQ, b"\0\0\0\0")
    except (ImportError, OSError, AttributeError):
        return 0
    return int(struct.unpack("i", raw)[0])


async def _wait_flushed(transport: asyncio.WriteTransport) -> None:
    """Wait until sent bytes have reached (been acked by) the peer.

    An abortive close discards unsent data, so without this a client could
    receive fewer than ``drop_after`` bytes, and resume tests would be flaky.
    """
    deadline = time.monotonic() + _FLUSH_TIMEOUT_S
    while time.monotonic() < deadline and not transport.is_closing():
        if transport.get_write_buffer_size() == 0 and _unsent_kernel_bytes(transport) == 0:
            return
        await asyncio.sleep(0.002)


def _abort_with_rst(transport: asyncio.WriteTransport) -> None:
    """Close so the peer sees ECONNRESET (``SO_LINGER`` 0), like a crashed server."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


def _client_gone(request: web.BaseRequest) -> bool:
    """Whether the client closed the connection (aiohttp does not cancel us)."""
    transport = request.transport
    return transport is None or transport.is_closing()


class _Throttle:
    """Paces writes so the average rate stays at ``rate`` bytes per second."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._start: float | None = None
        self._sent = 0

    @property
    def chunk(self) -> int:
        """Write size: about 20 writes per second when throttled, else large."""
        if self.rate is None:
            return WRITE_CHUNK
        return max(1, min(WRITE_CHUNK, int(self.rate / 20)))

    def restart(self) -> None:
        """Start a new pacing window (time spent stalled must not be caught up)."""
        self._start = None
        self._sent = 0

    async def pace(self, count: int) -> None:
        """Sleep until ``count`` more bytes are due."""
        if self.rate is None:
            return
        now = time.monotonic()
        if self._start is None:
            self._start = now
        self._sent += count
        delay = self._start + self._sent / self.rate - now
        if delay > 0:
            await asyncio.sleep(delay)


@dataclass
class _BodyPlan:
    """What to send as the body of one response, and which faults to inject."""

    pieces: Iterator[memoryview]
    rate: float | None = None
    drop_after: int | None = None
    drop_mode: str = "rst"
    stall_after: int | None = None
    stall_s: float | None = None
    hold: tuple[str, int] | None = None
    expire: tuple[str, int] | None = None  # (URL key, body bytes it serves in all)


# --------------------------------------------------------------------------
# The aiohttp application
# --------------------------------------------------------------------------

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def _error_response(
    status: int, detail: str = "", headers: Mapping[str, str] | None = None
) -> web.Response:
    """A small HTML error page, like a real server or proxy would send."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    text = f"<html><body><h1>{status} {html.escape(reason)}</h1>{html.escape(detail)}</body></html>"
    return web.Response(
        status=status, text=text, content_type="text/html", headers=dict(headers or {})
    )


def _redirect(status: int, location: str) -> web.Response:
    """A redirect with a tiny body."""
    return web.Response(status=status, text=f"see {location}\n", headers={"Location": location})


def _one_redirect_less(request: web.Request, redirect: int) -> str:
    """The same URL with ``redirect`` decremented in place (dropped at 0)."""
    query: MultiDict[str] = MultiDict()
    for key, value in request.query.items():
        if key != "redirect":
            query.add(key, value)
        elif redirect > 1:
            query.add(key, str(redirect - 1))
    return str(request.url.with_query(query))


_RECORD_KEY = web.RequestKey("faultserver.record", RecordedRequest)


async def _status_when_sent(request: web.Request, response: web.StreamResponse) -> None:
    """The status, as the headers go out: a client can have the whole body, and exit,
    before the handler returns, and a test that looks then must not see None."""
    entry = request.get(_RECORD_KEY)
    if entry is not None:
        entry.status = response.status


def _record_of(request: web.Request) -> RecordedRequest:
    """Snapshot what matters of an incoming request."""
    peer = request.transport.get_extra_info("peername") if request.transport else None
    name = request.match_info.get("name") if request.path.startswith("/file/") else None
    return RecordedRequest(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        headers=CIMultiDictProxy(CIMultiDict(request.headers)),
        time=time.monotonic(),
        remote=request.remote,
        remote_port=peer[1] if isinstance(peer, tuple) and len(peer) >= 2 else None,
        raw_path=request.raw_path,
        name=name,
    )


class _FaultApp:
    """Request handlers; they run on the server loop and share a :class:`FaultState`."""

    def __init__(self, state: FaultState, closing: asyncio.Event, holds: Holds) -> None:
        self.state = state
        self.closing = closing
        self.holds = holds

    @web.middleware
    async def record(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """Log every request before handling it, and its status once its headers go out
        (:func:`_status_when_sent`) or the handler ends, whichever comes first."""
        entry = _record_of(request)
        request[_RECORD_KEY] = entry
        self.state.record(entry)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # e.g. 404 for an unknown path
            entry.status = exc.status
            raise
        entry.status = response.status
        return response

    # ---- /file/{name} -------------------------------------------------

    async def file(self, request: web.Request) -> web.StreamResponse:
        """Serve deterministic content, with the faults the query asks for."""
        return await self._file(request, request.match_info["name"])

    async def _file(self, request: web.Request, name: str) -> web.StreamResponse:
        """``/file/{name}`` for any route that behaves like a file."""
        async for _chunk in request.content.iter_any():
            pass  # a request body is read before the answer, as a server would
        change_after = request.query.get("change_after", "")
        seen = self.state.take_hit("requests", name)
        if change_after.isdigit() and seen + 1 >= int(change_after):
            self.state.set_version(name, 1)
        try:
            params = FileParams.from_query(name, request.query, self.state.version(name))
            hold = _hold_of(request.query)
        except BadParam as exc:
            return _error_response(400, str(exc))
        early = self._early_response(request, params)
        if early is not None:
            return early
        return await self._serve_content(request, params, hold)

    def _early_response(self, request: web.Request, params: FileParams) -> web.Response | None:
        """Forced status, counted failures and redirects: no content involved."""
        expected = self.state.auth_for(params.name)
        if expected is not None and request.headers.get("Authorization") != expected:
            return _error_response(401, "credentials needed",
                                   {"WWW-Authenticate": 'Basic realm="bgfetch-test"'})
        if params.status is not None:
            return _error_response(params.status, "forced by status=")
        if params.expire_after is not None and (
            self.state.spent(request.raw_path) >= params.expire_after
        ):
            return _error_response(params.expire_status, "expired (expire_after=)")
        if params.fail and self.state.take_hit("fail", request.raw_path) < params.fail:
            headers = {"Retry-After": params.retry_after} if params.retry_after else {}
            return _error_response(params.fail_status, "forced by fail=", headers)
        if params.redirect_to:
            return _redirect(params.redirect_status, params.redirect_to)
        if params.redirect > 0:
            return _redirect(params.redirect_status, _one_redirect_less(request, params.redirect))
        return None

    async def _serve_content(
        self, request: web.Request, params: FileParams, hold: tuple[str, int] | None = None
    ) -> web.StreamResponse:
        """Pick the byte window (ranges), send headers, then the body."""
        total = len(gzip_content(params.size, params.content_seed)) if params.gzip else params.size
        try:
            window = self._select_range(request, params, total)
        except RangeNotSatisfiable:
            return _error_response(
                416, "range not satisfiable", {"Content-Range": f"bytes */{total}"}
            )
        if not self.state.start_body(params.name, params.max_conns):
            return _error_response(503, "too many connections (max_conns=)")
        try:
            response = self._content_headers(params, total, window)
            await response.prepare(request)
            if request.method == "HEAD":
                await response.write_eof()
                return response
            start, stop = window or (0, total)
            plan = self._body_plan(request, params, start, stop)
            plan.hold = hold
            await self._stream(request, response, plan)
            return response
        finally:
            self.state.end_body(params.name)

    def _select_range(
        self, request: web.Request, params: FileParams, total: int
    ) -> tuple[int, int] | None:
        """The ``[start, stop)`` to send as 206, or ``None`` for a full 200."""
        header = request.headers.get("Range")
        if header is None and params.whole206:
            return (0, total)
        if header is None or params.ignore_range:
            return None
        if params.ranges is not None and (
            self.state.take_hit("ranges", request.raw_path) >= params.ranges
        ):
            return None
        if_range = request.headers.get("If-Range")
        if if_range is not None and not params.ignore_if_range and not if_range_matches(
            if_range, params.etag, params.last_modified
        ):
            return None
        window = parse_range(header, total)
        if window is not None and params.wrong_range:
            start, stop = window
            shifted = min(start + 100, total - 1)
            window = (shifted, max(shifted + 1, min(stop + 100, total)))
        return window

    @staticmethod
    def _content_headers(
        params: FileParams, total: int, window: tuple[int, int] | None
    ) -> web.StreamResponse:
        """Status and headers for the content (200 or 206)."""
        response = web.StreamResponse(status=200 if window is None else 206)
        headers = response.headers
        headers["Content-Type"] = params.content_type
        if not params.ignore_range:
            headers["Accept-Ranges"] = "bytes"
        if params.etag is not None:
            headers["ETag"] = params.etag
        if params.last_modified is not None:
            headers["Last-Modified"] = params.last_modified
        if params.content_disposition is not None:
            headers["Content-Disposition"] = params.content_disposition
        if params.vary is not None:
            headers["Vary"] = params.vary
        if params.gzip:
            headers["Content-Encoding"] = "gzip"
        start, stop = window or (0, total)
        if window is not None:
            headers["Content-Range"] = f"bytes {start}-{stop - 1}/{total}"
        if params.nolength:
            response.enable_chunked_encoding()
        else:
            response.content_length = stop - start
        return response

    def _body_plan(
        self, request: web.Request, params: FileParams, start: int, stop: int
    ) -> _BodyPlan:
        """Body bytes plus the drop/stall faults still armed for this URL."""
        if params.gzip:
            body = memoryview(gzip_content(params.size, params.content_seed))[start:stop]
            pieces: Iterator[memoryview] = (
                body[i : i + WRITE_CHUNK] for i in range(0, len(body), WRITE_CHUNK)
            )
        else:
            pieces = iter_content(params.size, params.content_seed, start, stop)
        plan = _BodyPlan(
            pieces=pieces, rate=params.rate, drop_mode=params.drop_mode, stall_s=params.stall_s
        )
        key = request.raw_path
        if params.expire_after is not None:
            plan.expire = (key, params.expire_after)
        if params.drop_after is not None and self.state.take_hit("drop", key) < params.drop_times:
            plan.drop_after = params.drop_after
        if (
            params.stall_after is not None
            and self.state.take_hit("stall", key) < params.stall_times
        ):
            plan.stall_after = params.stall_after
        return plan

    # ---- body streaming -----------------------------------------------

    async def _stream(
        self, request: web.Request, response: web.StreamResponse, plan: _BodyPlan
    ) -> None:
        """Write the body, pausing or dropping at the planned offsets.

        A client that goes away mid-body is normal in these tests, so
        connection errors just end the response.
        """
        throttle = _Throttle(plan.rate)
        sent = 0
        try:
            await response.write(b"")  # flush headers: faults at offset 0 come after them
            for piece in _resplit(plan.pieces, throttle.chunk):
                view = piece
                while view:
                    if not await self._due_faults(request, plan, sent, throttle):
                        return
                    limit = _room_before_fault(plan, sent, len(view))
                    if plan.expire is not None:
                        left = plan.expire[1] - self.state.spent(plan.expire[0])
                        if left <= 0:
                            await self._drop(request, plan.drop_mode)
                            return
                        limit = min(limit, left)
                        self.state.spend(plan.expire[0], limit)
                    await response.write(view[:limit])
                    view = view[limit:]
                    sent += limit
                    self.state.add_bytes(limit)
                    await throttle.pace(limit)
            if await self._due_faults(request, plan, sent, throttle, at_end=True):
                await response.write_eof()
        except ConnectionError:
            # The client went away (aiohttp raises ClientConnectionResetError):
            # routine in these tests, nothing to report.
            return

    async def _due_faults(
        self,
        request: web.Request,
        plan: _BodyPlan,
        sent: int,
        throttle: _Throttle,
        at_end: bool = False,
    ) -> bool:
        """Run the hold/stall/drop planned at ``sent`` (or past the end); False = stop."""
        if plan.hold is not None and (sent == plan.hold[1] or at_end):
            key = plan.hold[0]
            plan.hold = None
            await self._hold(request, key)
            throttle.restart()
            if _client_gone(request) or self.closing.is_set():
                return False
        if plan.stall_after is not None and (sent == plan.stall_after or at_end):
            plan.stall_after = None
            await self._stall(request, plan.stall_s)
            throttle.restart()
            if _client_gone(request) or self.closing.is_set():
                return False
        if plan.drop_after is not None and (sent == plan.drop_after or at_end):
            await self._drop(request, plan.drop_mode)
            return False
        return True

    async def _stall(self, request: web.Request, seconds: float | None) -> None:
        """Send nothing for ``seconds`` (forever if ``None``) or until the client leaves."""
        deadline = None if seconds is None else time.monotonic() + seconds
        while not _client_gone(request):
            remaining = _STALL_POLL_S if deadline is None else deadline - time.monotonic()
            if remaining <= 0:
                return
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), min(remaining, _STALL_POLL_S))
                return

    async def _hold(self, request: web.Request, key: str) -> None:
        """Send nothing until ``key`` is released, the server stops or the client leaves."""
        if self.holds.is_released(key):
            return
        with self.holds.parking(key):
            while not self.holds.is_released(key) and not _client_gone(request):
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self.closing.wait(), _STALL_POLL_S)
                    return

    @staticmethod
    async def _drop(request: web.Request, mode: str) -> None:
        """End the connection mid-body: RST (``rst``) or a premature FIN (``close``)."""
        transport = request.transport
        if transport is None:
            return
        await _wait_flushed(transport)
        if mode == "rst":
            _abort_with_rst(transport)
        else:
            transport.close()

    # ---- auxiliary endpoints -------------------------------------------

    async def redirect_cross(self, request: web.Request) -> web.StreamResponse:
        """302 to another origin (default: this server as ``localhost``).

        For checking that credentials are not forwarded across origins.
        """
        target = request.query.get("to")
        if not target:
            port = request.url.port
            target = f"http://localhost:{port}/echo-headers"
        try:
            status = _get_status(request.query, "status", 302) or 302
        except BadParam as exc:
            return _error_response(400, str(exc))
        return _redirect(status, target)

    async def echo_headers(self, request: web.Request) -> web.StreamResponse:
        """The request headers as a JSON object (repeated headers joined by ``, ``)."""
        merged: dict[str, str] = {}
        for key, value in request.headers.items():
            merged[key] = f"{merged[key]}, {value}" if key in merged else value
        return web.json_response(merged)

    async def upload(self, request: web.Request) -> web.StreamResponse:
        """Read a request body and answer with its size and SHA-256 as JSON.

        ``rate`` (bytes/s) reads it slowly, so the client sees its upload progress.
        """
        try:
            throttle = _Throttle(_get_float(request.query, "rate", positive=True))
        except BadParam as exc:
            return _error_response(400, str(exc))
        digest = hashlib.sha256()
        size = 0
        async for chunk in request.content.iter_any():
            digest.update(chunk)
            size += len(chunk)
            await throttle.pace(len(chunk))
        return web.json_response({"size": size, "sha256": digest.hexdigest()})

    async def slow_headers(self, request: web.Request) -> web.StreamResponse:
        """Wait ``s`` seconds before answering like ``/file/slow-headers``.

        Tests connect/read timeouts that fire before any header arrives.
        """
        try:
            delay = _get_float(request.query, "s") or 0.0
        except BadParam as exc:
            return _error_response(400, str(exc))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), delay)
        if self.closing.is_set() or _client_gone(request):
            return web.Response(status=503)
        return await self._file(request, "slow-headers")


def _resplit(pieces: Iterator[memoryview], size: int) -> Iterator[memoryview]:
    """Re-cut pieces to at most ``size`` bytes (small writes when throttled)."""
    for piece in pieces:
        for offset in range(0, len(piece), size):
            yield piece[offset : offset + size]


def _room_before_fault(plan: _BodyPlan, sent: int, available: int) -> int:
    """How many bytes may be written before reaching the next fault offset."""
    room = available
    hold_after = plan.hold[1] if plan.hold is not None else None
    for offset in (hold_after, plan.stall_after, plan.drop_after):
        if offset is not None and offset > sent:
            room = min(room, offset - sent)
    return room


def create_app(
    state: FaultState, closing: asyncio.Event | None = None, holds: Holds | None = None
) -> web.Application:
    """The aiohttp application, for embedding in another loop or runner.

    ``closing`` ends stalls, holds and slow headers early (set it before shutdown).
    """
    handlers = _FaultApp(state, closing or asyncio.Event(), holds or Holds())
    app = web.Application(middlewares=[handlers.record])
    app.on_response_prepare.append(_status_when_sent)
    app.router.add_get("/file/{name}", handlers.file)
    app.router.add_route("*", "/file/{name}", handlers.file)
    app.router.add_get("/redirect-cross", handlers.redirect_cross)
    app.router.add_get("/echo-headers", handlers.echo_headers)
    app.router.add_get("/slow-headers", handlers.slow_headers)
    app.router.add_post("/upload", handlers.upload)
    return app


# --------------------------------------------------------------------------
# The server in its own thread, controlled from tests
# --------------------------------------------------------------------------


class FaultServer:
    """The fault server on its own thread and event loop, with test controls.

    Use as ``with FaultServer() as server:`` or ``start()``/``stop()``.
    Control methods are thread-safe and must be called from outside the
    server's thread (any test thread or loop).
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.host = host
        self._port = port
        self._state = FaultState()
        self._holds = Holds()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._runner: web.AppRunner | None = None
        self._listener: asyncio.base_events.Server | None = None
        self._closing: asyncio.Event | None = None
        self._stop: asyncio.Event | None = None

    # ---- lifecycle ------------------------------------------------------

    def start(self, timeout: float = 10.0) -> FaultServer:
        """Start serving; returns once the port is listening."""
        if self._thread is not None:
            raise RuntimeError("FaultServer already started")
        ready = threading.Event()
        failure: list[BaseException] = []
        self._thread = threading.Thread(
            target=self._thread_main,
            args=(ready, failure),
            name="faultserver",
            daemon=True,
        )
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("fault server did not start")
        if failure:
            self._thread.join(timeout)
            self._thread = None
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Close every connection and the listener, and end the thread."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None:
            return
        with contextlib.suppress(RuntimeError):  # loop already closed
            loop.call_soon_threadsafe(stop.set)
        thread.join(timeout)
        self._thread = None

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _thread_main(self, ready: threading.Event, failure: list[BaseException]) -> None:
        """Thread body: a private loop, so no test's loop can block the server."""
        loop = asyncio.new_event_loop()
        self._loop = loop
        try:
            loop.run_until_complete(self._serve(ready, failure))
        finally:
            loop.close()

    async def _serve(self, ready: threading.Event, failure: list[BaseException]) -> None:
        """Set up, signal ``ready``, run until :meth:`stop`, tear down."""
        self._stop = asyncio.Event()
        self._closing = asyncio.Event()
        try:
            self._runner = web.AppRunner(
                create_app(self._state, self._closing, self._holds),
                access_log=None,
                handle_signals=False,
                shutdown_timeout=1.0,
            )
            await self._runner.setup()
            await self._open_listener()
        except BaseException as exc:
            failure.append(exc)
            ready.set()
            return
        ready.set()
        await self._stop.wait()
        self._closing.set()
        self._close_listener()
        self._abort_connections()
        await self._runner.cleanup()

    async def _open_listener(self) -> None:
        """Listen on the configured port (the first time, 0 picks a free one)."""
        assert self._runner is not None and self._runner.server is not None
        loop = asyncio.get_running_loop()
        self._listener = await loop.create_server(
            self._runner.server,
            self.host,
            self._port,
            reuse_address=True,
            backlog=128,
        )
        self._port = self._listener.sockets[0].getsockname()[1]

    def _close_listener(self) -> None:
        """Close the listening socket right away: new connects get ECONNREFUSED."""
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def _abort_connections(self) -> None:
        """Reset every open connection, idle keep-alive ones included."""
        server = self._runner.server if self._runner is not None else None
        for handler in server.connections if server is not None else []:
            if handler.transport is not None:
                _abort_with_rst(handler.transport)

    def _call(self, func: Callable[[], Coroutine[Any, Any, None]], timeout: float = 10.0) -> None:
        """Run ``func`` on the server loop and wait for it."""
        loop = self._loop
        if loop is None or self._thread is None:
            raise RuntimeError("FaultServer is not running")
        if threading.current_thread() is self._thread:
            raise RuntimeError("control methods must not be called from the server thread")
        asyncio.run_coroutine_threadsafe(func(), loop).result(timeout)

    # ---- controls ---------------------------------------------------------

    def refuse(self) -> None:
        """Simulate the server going away: refuse connects, reset open connections."""

        async def refuse() -> None:
            self._close_listener()
            self._abort_connections()

        self._call(refuse)

    def accept(self) -> None:
        """Listen again, on the same port (no-op if already listening)."""

        async def accept() -> None:
            if self._listener is None:
                await self._open_listener()

        self._call(accept)

    def require_auth(self, name: str, username: str, password: str) -> None:
        """``/file/{name}`` answers 401 until asked with these Basic credentials."""
        self._state.require_auth(name, username, password)

    def set_version(self, name: str, version: int) -> None:
        """Change ``/file/{name}`` on the server: new bytes, ETag and Last-Modified.

        Responses already streaming keep sending the old version.
        """
        self._state.set_version(name, version)

    def version(self, name: str) -> int:
        """The current version of ``/file/{name}``."""
        return self._state.version(name)

    def seed_for(self, name: str, seed: int = 0) -> int:
        """The content seed ``/file/{name}?seed=seed`` currently serves."""
        return version_seed(seed, self._state.version(name))

    def reset_counters(self) -> None:
        """Re-arm ``fail``/``drop``/``stall`` faults for every URL."""
        self._state.reset_counters()

    # ---- holds (see :class:`Holds`) -----------------------------------------

    def release(self, key: str) -> None:
        """Let bodies held with ``hold=key`` continue (now and from then on)."""
        self._holds.release(key)

    @contextlib.contextmanager
    def holding(self, key: str) -> Iterator[str]:
        """``with server.holding("k") as key:`` releases ``key`` on the way out."""
        try:
            yield key
        finally:
            self.release(key)

    def held(self, key: str) -> int:
        """How many responses are parked on ``key`` right now."""
        return self._holds.parked(key)

    def times_held(self, key: str) -> int:
        """How many responses have reached the hold for ``key`` so far."""
        return self._holds.times_parked(key)

    def wait_held(self, key: str, count: int = 1, timeout: float = 60.0) -> None:
        """Wait until ``count`` responses are parked on ``key`` (TimeoutError if not)."""
        deadline = time.monotonic() + timeout
        while self._holds.parked(key) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {count} response(s) held on {key!r} in {timeout} s")
            time.sleep(0.01)

    async def until_held(self, key: str, count: int = 1, timeout: float = 60.0) -> None:
        """:meth:`wait_held` for async tests: the caller's loop keeps running."""
        deadline = time.monotonic() + timeout
        while self._holds.parked(key) < count:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no {count} response(s) held on {key!r} in {timeout} s")
            await asyncio.sleep(0.01)

    # ---- observation ------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        """Snapshot of all requests received, in arrival order."""
        return self._state.requests()

    def requests_for(self, name: str) -> list[RecordedRequest]:
        """Requests for ``/file/{name}`` only."""
        return [r for r in self._state.requests() if r.name == name]

    def clear_requests(self) -> None:
        """Forget the request log (fault counters are kept)."""
        self._state.clear_requests()

    @property
    def bytes_sent(self) -> int:
        """Body bytes sent so far by all responses."""
        return self._state.bytes_sent

    def most_streaming(self, name: str) -> int:
        """The most bodies of ``/file/{name}`` ever sent at once."""
        return self._state.most_streaming(name)

    # ---- addresses ----------------------------------------------------------

    @property
    def port(self) -> int:
        """The listening port (fixed for the server's life, across refuse/accept)."""
        if not self._port:
            raise RuntimeError("FaultServer is not started")
        return self._port

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:PORT`` (no trailing slash)."""
        return f"http://{self.host}:{self.port}"

    def url(self, name: str, **params: Any) -> str:
        """URL of ``/file/{name}`` with query ``params``.

        ``True`` becomes ``1``, ``False``/``None`` parameters are left out,
        order is kept: ``server.url("a.bin", size=10, drop_after=5)``.
        """
        query = {
            k: ("1" if v is True else str(v))
            for k, v in params.items()
            if v is not None and v is not False
        }
        suffix = f"?{urlencode(query)}" if query else ""
        return f"{self.base_url}/file/{name}{suffix}"


# --------------------------------------------------------------------------
# Standalone mode
# --------------------------------------------------------------------------


def _examples(server: FaultServer) -> Iterator[str]:
    """A few URLs worth trying by hand."""
    yield server.url("small.bin")
    yield server.url("big.bin", size=1 << 30)
    yield server.url("flaky.bin", size=10 << 20, drop_after=1 << 20)
    yield server.url("slow.bin", size=1 << 20, rate=100_000)


def main(argv: list[str] | None = None) -> int:
    """Serve until Ctrl+C, for poking at the client by hand."""
    parser = argparse.ArgumentParser(description="bgfetch fault-injecting HTTP test server")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    server = FaultServer(args.host, args.port).start()
    try:  # Ctrl+C may come as soon as the address is printed
        print(server.base_url, flush=True)
        for example in _examples(server):
            print(f"  e.g. {example}", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
