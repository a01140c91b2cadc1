"""Checks a fetch must pass before it is stored (docs/contracts.md §1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import SplitResult, urlsplit

from .errors import InvalidFetch
from .model import FetchOptions, FetchRequest

# The Fetch standard's "bad port" list: ports of protocols a browser must never
# speak HTTP to (https://fetch.spec.whatwg.org/#port-blocking).
BAD_PORTS = frozenset({
    0, 1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95,
    101, 102, 103, 104, 109, 110, 111, 113, 115, 117, 119, 123, 135, 137, 139, 143, 161, 179,
    389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601,
    636, 989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566,
    6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
})

ALLOWED_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
MAX_ID_LENGTH = 200
MAX_BYTES = 2**63 - 1  # what SQLite's INTEGER holds


def check_url(url: str) -> SplitResult:
    """Return the parsed URL, or raise InvalidFetch saying what is wrong with it."""
    if not isinstance(url, str) or not url.strip():
        raise InvalidFetch("empty URL")
    if any(c in url for c in "\r\n\t") or " " in url.strip():
        raise InvalidFetch(f"malformed URL {url!r}: contains whitespace")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise InvalidFetch(f"malformed URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        shown = f"{scheme}:" if scheme else "no scheme"
        raise InvalidFetch(f"unsupported URL scheme in {url!r} ({shown}); only http and https")
    if not parts.hostname:
        raise InvalidFetch(f"malformed URL {url!r}: no host")
    if "@" in parts.netloc:
        raise InvalidFetch(
            f"URL {_redact(parts)!r} has credentials in it; "
            "save them in the OS keyring with `bgfetch login URL` instead"
        )
    if port is not None and port in BAD_PORTS:
        raise InvalidFetch(f"URL {url!r} uses port {port}, which is blocked for HTTP")
    return parts


def _redact(parts: SplitResult) -> str:
    host = parts.netloc.rpartition("@")[2]
    return parts._replace(netloc=f"***@{host}").geturl()


_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f]")


def check_headers(headers: Sequence[tuple[str, str]]) -> None:
    """Names must be tokens and values free of control characters (no header injection)."""
    for name, value in headers:
        if not _HEADER_NAME.match(name) or _CONTROL.search(value):
            raise InvalidFetch(f"not a valid HTTP header: {name[:40]!r}")


def check_id(fetch_id: str) -> None:
    if not isinstance(fetch_id, str) or not fetch_id.strip():
        raise InvalidFetch("empty id")
    if len(fetch_id) > MAX_ID_LENGTH:
        raise InvalidFetch(f"id longer than {MAX_ID_LENGTH} characters")
    if any(ord(c) < 32 for c in fetch_id):
        raise InvalidFetch("id contains control characters")


def check_fetch(fetch_id: str, requests: Sequence[FetchRequest], options: FetchOptions) -> None:
    """Everything about a fetch that can be judged without the store."""
    check_id(fetch_id)
    if not requests:
        raise InvalidFetch("a fetch needs at least one request")
    for request in requests:
        check_url(request.url)
        check_headers(request.headers)
        if request.method.upper() not in ALLOWED_METHODS:
            raise InvalidFetch(f"unsupported method {request.method!r}")
        if request.body is not None and not request.body.is_file():
            raise InvalidFetch(f"request body file {str(request.body)!r} does not exist")
    if not isinstance(options.download_total, int) or options.download_total < 0:
        raise InvalidFetch("download_total must be a whole number of bytes, 0 or more")
    if not isinstance(options.max_speed, int) or options.max_speed < 0:
        raise InvalidFetch("max_speed must be a whole number of bytes per second, 0 or more")
    if options.download_total > MAX_BYTES:
        raise InvalidFetch(f"download_total {options.download_total} is larger than 8 EiB")
    upload_total = sum(r.body.stat().st_size for r in requests if r.body is not None)
    # What is sent counts against the announced total too (the spec's
    # "downloadTotal exceeded by known sizes" check before anything starts).
    if options.download_total and upload_total > options.download_total:
        raise InvalidFetch(
            f"download_total {options.download_total} is already exceeded by "
            f"{upload_total} bytes of request bodies"
        )
