"""One HTTP exchange: the request we build, and what we accept as its reply.

Every header a transfer sends is built in :func:`request_headers`, so a rule
about headers (identity encoding, credentials, ranges) lives in one place.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

import ada_url
import aiohttp
from multidict import CIMultiDict

from ..credentials import origin_of
from ..errors import InvalidFetch
from ..model import FailureReason, FetchRequest
from ..retry import is_transient_status, parse_retry_after
from ..stallguard import StallGuard
from ..validation import normalize_url
from ..web.rules import referrer
from .context import TransferContext
from .errors import Restart, TransferFailed, Transient
from .sessions import PROXY_ERRORS, proxy_status_trouble, proxy_trouble

# The Fetch standard's limit ("HTTP-redirect fetch", step 5): the 21st redirect fails.
MAX_REDIRECTS = 20
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
Body = Callable[[], AsyncIterator[bytes]]  # a fresh copy of the body for each send
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


def request_headers(
    request: FetchRequest,
    *,
    authorization: str | None = None,
    first_byte: int = 0,
    end: int | None = None,
    if_range: str | None = None,
) -> CIMultiDict[str]:
    """The headers of one request for bytes ``[first_byte, end)`` of ``request``'s body."""
    headers = CIMultiDict(request.headers)
    # Bytes are stored exactly as sent: ask for them unencoded, as curl and
    # wget do, so a resumed range lines up with what is on disk.
    headers.setdefault("Accept-Encoding", "identity")
    if authorization:
        # exchange() drops it when a redirect leaves the origin (hop_headers).
        headers["Authorization"] = authorization
    if first_byte or end is not None:
        last = "" if end is None else str(end - 1)
        headers["Range"] = f"bytes={first_byte}-{last}"
        headers["If-Range"] = if_range or ""
    return headers


def strong_validator(etag: str | None, last_modified: str | None) -> str | None:
    """What ``If-Range`` may carry: a strong ETag, else Last-Modified, else nothing."""
    if etag and not etag.startswith("W/"):
        return etag
    return last_modified or None


def hop_headers(headers: CIMultiDict[str], first_url: str, url: str) -> CIMultiDict[str]:
    """``headers`` for a redirect hop to ``url``: what belongs to the first URL's origin
    (credentials, a browser's cookies) stays there, and the ``Referer`` is worked out
    again for the new target, as the Fetch standard's "HTTP-redirect fetch" does."""
    if origin_of(url) == origin_of(first_url):
        return headers
    hop = CIMultiDict(headers)
    for name in ("Authorization", "Cookie"):
        hop.popall(name, None)
    sent = hop.popall("Referer", None)
    if sent:
        again = referrer(sent[0], url)
        if again is not None:
            hop["Referer"] = again
    return hop


def redirect_target(response: aiohttp.ClientResponse) -> str | None:
    """Where a redirect points, checked like a fetch's first URL; None if not a redirect."""
    location = response.headers.get("Location")
    if response.status not in REDIRECT_STATUSES or location is None:
        return None
    try:
        # Resolved against the response's URL as a browser resolves it (WHATWG URL).
        target = str(ada_url.join_url(str(response.url), location))
    except ValueError:
        target = location  # not a URL at all: normalize_url says why
    try:
        return normalize_url(target)
    except InvalidFetch as exc:
        # No retry can make such a hop acceptable (docs/contracts.md §1).
        raise TransferFailed(FailureReason.FETCH_ERROR, f"redirect refused: {exc}") from None


def redirected_method(method: str, status: int) -> str:
    """Fetch standard: 303 (except for HEAD), and 301/302 after a POST, become GET."""
    if (status == 303 and method != "HEAD") or (status in (301, 302) and method == "POST"):
        return "GET"
    return method


@asynccontextmanager
async def exchange(
    ctx: TransferContext,
    method: str,
    url: str,
    headers: CIMultiDict[str],
    body: Body | None = None,
) -> AsyncIterator[tuple[aiohttp.ClientResponse, StallGuard]]:
    """Send one request and follow its redirects; yields the final response and the
    stall guard the reader touches.

    Every hop is checked like the first URL (scheme, port, credentials) and sent
    with the headers its origin may see (:func:`hop_headers`). Network trouble
    becomes :class:`Transient`; what no retry can fix becomes :class:`TransferFailed`.
    """
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=ctx.settings.connect_timeout)
    origin = origin_of(url)
    hop_url, hop_method, hop_body = url, method, body
    try:
        async with StallGuard(
            ctx.settings.stall_timeout,
            ctx.settings.lowest_speed,
            ctx.settings.lowest_speed_window,
        ) as guard:
            for _hop in range(MAX_REDIRECTS + 1):
                async with ctx.session.request(
                    hop_method,
                    hop_url,
                    headers=hop_headers(headers, url, hop_url),
                    data=_watched(hop_body, guard) if hop_body is not None else None,
                    allow_redirects=False,
                    timeout=timeout,
                ) as response:
                    ctx.monitor.connection_succeeded(origin)
                    if (trouble := proxy_status_trouble(ctx.session, response.status)):
                        raise TransferFailed(FailureReason.FETCH_ERROR, str(trouble))
                    target = redirect_target(response)
                    if target is None:
                        yield response, guard
                        return
                guard.touch()
                next_method = redirected_method(hop_method, response.status)
                if next_method != hop_method:
                    hop_body = None  # a method changed to GET drops the body
                hop_url, hop_method = target, next_method
    except aiohttp.InvalidURL as exc:
        raise TransferFailed(
            FailureReason.FETCH_ERROR, f"redirected to a URL that is not http(s): {exc}"
        ) from None
    except PROXY_ERRORS as exc:
        # The proxy's failure, not the network's: the offline guess is not told (§8).
        trouble = proxy_trouble(ctx.session, exc)
        failed = TransferFailed if trouble.lasting else Transient
        raise failed(FailureReason.FETCH_ERROR, str(trouble)) from None
    except aiohttp.ClientConnectorError as exc:
        ctx.monitor.connection_failed(origin)
        raise Transient(FailureReason.FETCH_ERROR, f"cannot connect: {exc}") from None
    except (TimeoutError, aiohttp.ClientError) as exc:
        if isinstance(exc, asyncio.TimeoutError):
            detail = str(exc) or "stalled"  # the guard says which rule cut it
        else:
            detail = str(exc) or repr(exc)
        raise Transient(FailureReason.FETCH_ERROR, detail) from None
    raise TransferFailed(FailureReason.FETCH_ERROR, f"more than {MAX_REDIRECTS} redirects")


async def _watched(body: Body, guard: StallGuard) -> AsyncIterator[bytes]:
    """The body, touching the stall guard as it goes out: a long upload to a server
    that answers only at the end is progress, not silence."""
    async for chunk in body():
        guard.touch()
        yield chunk


async def read_some(body: aiohttp.StreamReader, size: int = 0) -> bytes:
    """The next bytes of a response body, at most ``size`` of them if given (small reads
    charge a speed limit's bucket finely, docs/contracts.md §9); b"" at its end.

    When the connection ends early, aiohttp's reads raise at once, dropping the
    bytes it received before that but had not handed out: on a busy machine, a whole
    response. They are the server's bytes all the same, so they come first and the error
    on the next read; an expired link's checkpoint is where the server really stopped
    (docs/contracts.md §13). aiohttp offers no public way to them, hence its internals.
    """
    try:
        if size:
            return await body.read(size)
        # One received chunk at a time: ``readany`` joins all that wait into a new
        # bytes object, a copy of the whole body that curl does not make (issue 8).
        while True:
            chunk, chunk_end = await body.readchunk()
            if chunk or not chunk_end:  # b"" with chunk_end: a chunked body's boundary
                return chunk
    except aiohttp.ClientPayloadError:
        if not body._buffer:
            raise
        return body._read_nowait(-1)


def transient_status(response: aiohttp.ClientResponse) -> Transient | None:
    """The retryable error a "not now" status means, if it is one."""
    if not is_transient_status(response.status):
        return None
    return Transient(
        FailureReason.BAD_STATUS,
        f"HTTP {response.status}",
        parse_retry_after(response.headers.get("Retry-After")),
    )


def content_range(response: aiohttp.ClientResponse) -> tuple[int, int, int | None] | None:
    """``(first, last, total)`` of a ``Content-Range`` header; total None for ``*``."""
    match = _CONTENT_RANGE.match(response.headers.get("Content-Range", ""))
    if not match:
        return None
    first, last, total = match.groups()
    return int(first), int(last), None if total == "*" else int(total)


def covers_whole_body(response: aiohttp.ClientResponse) -> bool:
    """A 206 whose ``Content-Range`` is the whole body (``bytes 0-N/N+1``): as good as a
    200 to a request without ``Range`` (Fetch standard; wpt background-fetch)."""
    found = content_range(response)
    return found is not None and found[0] == 0 and found[2] is not None \
        and found[1] == found[2] - 1


def validator_changed(
    response: aiohttp.ClientResponse, etag: str | None, last_modified: str | None
) -> bool:
    """Whether the reply names another version of the file than the one we hold."""
    new_etag = response.headers.get("ETag")
    if new_etag and etag and new_etag != etag:
        return True
    modified = response.headers.get("Last-Modified")
    return bool(not etag and modified and last_modified and modified != last_modified)


def check_range_reply(
    response: aiohttp.ClientResponse,
    first_byte: int,
    size_total: int | None,
    etag: str | None,
    last_modified: str | None,
    *,
    confirmed: bool = False,
) -> None:
    """A 206 must continue our bytes of our version; else the file restarts. ``confirmed``:
    the reply must also name that version (a URL the user gave in place of the first,
    docs/contracts.md §13: a server we never heard from may ignore ``If-Range``)."""
    found = content_range(response)
    if found is None:
        raise Restart("206 without a usable Content-Range")
    start, _last, total = found
    if start != first_byte:
        raise Restart(f"asked for bytes from {first_byte}, got Content-Range from {start}")
    if total is not None and size_total is not None and total != size_total:
        raise Restart(f"file size changed from {size_total} to {total}")
    if validator_changed(response, etag, last_modified):
        raise Restart("the file's validator changed")
    if confirmed and not _names_version(response, etag, last_modified):
        raise Restart("the new URL did not confirm the file's version")


def _names_version(
    response: aiohttp.ClientResponse, etag: str | None, last_modified: str | None
) -> bool:
    """Whether the reply carries the validator ``If-Range`` was sent with."""
    if etag and not etag.startswith("W/"):
        return response.headers.get("ETag") == etag
    return last_modified is not None and response.headers.get("Last-Modified") == last_modified


def expected_total(response: aiohttp.ClientResponse, offset: int) -> int | None:
    """The full size of the file, from ``Content-Range`` or ``Content-Length``."""
    if offset:
        found = content_range(response)
        if found is not None and found[2] is not None:
            return found[2]
    length = response.headers.get("Content-Length")
    if length is not None and length.isdigit() and response.method != "HEAD":
        return offset + int(length)
    return None
