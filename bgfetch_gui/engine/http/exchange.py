"""One HTTP exchange: the request we build, and what we accept as its reply.

Every header a transfer sends is built in :func:`request_headers`, so a rule
about headers (identity encoding, credentials, ranges) lives in one place.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp
from multidict import CIMultiDict

from ..credentials import origin_of
from ..model import FailureReason, FetchRequest
from ..retry import is_transient_status, parse_retry_after
from ..stallguard import StallGuard
from .context import TransferContext
from .errors import Restart, TransferFailed, Transient
from .sessions import PROXY_ERRORS, proxy_status_trouble, proxy_trouble

MAX_REDIRECTS = 10
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
        # aiohttp drops this header itself when a redirect leaves the origin.
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


@asynccontextmanager
async def exchange(
    ctx: TransferContext,
    method: str,
    url: str,
    headers: CIMultiDict[str],
    data: Any = None,
) -> AsyncIterator[tuple[aiohttp.ClientResponse, StallGuard]]:
    """Send one request; yields the response and the stall guard the reader touches.

    Network trouble becomes :class:`Transient`; what no retry can fix becomes
    :class:`TransferFailed`.
    """
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=ctx.settings.connect_timeout)
    origin = origin_of(url)
    try:
        async with StallGuard(ctx.settings.stall_timeout) as guard, ctx.session.request(
            method,
            url,
            headers=headers,
            data=data,
            allow_redirects=True,
            # aiohttp stops when the count reaches the limit: +1 lets 10 through.
            max_redirects=MAX_REDIRECTS + 1,
            timeout=timeout,
        ) as response:
            ctx.monitor.connection_succeeded(origin)
            if (trouble := proxy_status_trouble(ctx.session, response.status)) is not None:
                raise TransferFailed(FailureReason.FETCH_ERROR, str(trouble))
            yield response, guard
    except aiohttp.TooManyRedirects:
        raise TransferFailed(
            FailureReason.FETCH_ERROR, f"more than {MAX_REDIRECTS} redirects"
        ) from None
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
        detail = "stalled" if isinstance(exc, asyncio.TimeoutError) else str(exc) or repr(exc)
        raise Transient(FailureReason.FETCH_ERROR, detail) from None


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
) -> None:
    """A 206 must continue our bytes of our version; else the file restarts."""
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
