"""Checks a fetch must pass before it is stored (docs/contracts.md §1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import SplitResult, urlsplit

import ada_url

from .errors import InvalidFetch
from .integrity import MAX_METADATA
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

# Fetch standard: a method is any token except these (https://fetch.spec.whatwg.org/#methods).
FORBIDDEN_METHODS = frozenset({"CONNECT", "TRACE", "TRACK"})
# Methods that may be sent again: retried, resumed, paused (docs/contracts.md §1).
REPEATABLE_METHODS = frozenset({"GET", "HEAD"})
MAX_ID_LENGTH = 200
MAX_BYTES = 2**63 - 1  # what SQLite's INTEGER holds


def check_url(url: str) -> SplitResult:
    """Return the parsed URL, or raise InvalidFetch saying what is wrong with it."""
    return urlsplit(normalize_url(url))


def normalize_url(url: str) -> str:
    """``url`` parsed as a browser parses it (WHATWG URL), checked for what a fetch may use.

    Tabs and newlines are stripped and the rest serialized as browsers do
    (``HTTP://A.ORG:80/a b`` → ``http://a.org/a%20b``); InvalidFetch names the problem.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidFetch("empty URL")
    if any(c in url for c in "\r\n\t") and "<" in url:
        # The Fetch standard's dangling-markup rule: a URL cut out of HTML by an
        # unclosed attribute has both, and is blocked rather than repaired.
        raise InvalidFetch(f"URL {url[:80]!r} has a newline and '<' in it (dangling markup)")
    try:
        parsed = ada_url.URL(url)
    except ValueError:
        raise InvalidFetch(_why_unparsable(url)) from None
    scheme = parsed.protocol.rstrip(":").lower()
    if scheme not in ("http", "https"):
        raise InvalidFetch(
            f"unsupported URL scheme in {url!r} ({scheme}:); only http and https")
    if parsed.username or parsed.password:
        raise InvalidFetch(
            f"URL {_redact(urlsplit(url.strip()))!r} has credentials in it; "
            "save them in the OS keyring with `bgfetch login URL` instead"
        )
    port = int(parsed.port) if parsed.port else None
    if port is not None and port in BAD_PORTS:
        raise InvalidFetch(f"URL {url!r} uses port {port}, which is blocked for HTTP")
    return str(parsed.href)


def _why_unparsable(url: str) -> str:
    stripped = url.strip()
    if any(c.isspace() for c in stripped):
        return f"malformed URL {url!r}: contains whitespace"
    if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", stripped):
        return f"unsupported URL scheme in {url!r} (no scheme); only http and https"
    try:
        parts = urlsplit(stripped)
        parts.port  # noqa: B018 - raises for a port out of range
    except ValueError as exc:
        return f"malformed URL {url!r}: {exc}"
    if not parts.hostname:
        return f"malformed URL {url!r}: no host"
    return f"malformed URL {url!r}"


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


def check_method(method: str) -> None:
    """Any token but CONNECT, TRACE and TRACK (Fetch standard, "forbidden method")."""
    if not isinstance(method, str) or not _HEADER_NAME.match(method):
        raise InvalidFetch(f"not a valid HTTP method: {str(method)[:40]!r}")
    if method.upper() in FORBIDDEN_METHODS:
        raise InvalidFetch(f"the {method.upper()} method is forbidden")


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
        check_method(request.method)
        if request.body is not None and request.method.upper() in REPEATABLE_METHODS:
            raise InvalidFetch(f"a {request.method.upper()} request cannot have a body")
        if request.body is not None and not request.body.is_file():
            raise InvalidFetch(f"request body file {str(request.body)!r} does not exist")
        if not isinstance(request.integrity, str) or len(request.integrity) > MAX_METADATA:
            raise InvalidFetch(f"integrity metadata: expected a string of at most "
                               f"{MAX_METADATA} characters")
    if not isinstance(options.download_total, int) or options.download_total < 0:
        raise InvalidFetch("download_total must be a whole number of bytes, 0 or more")
    if not isinstance(options.max_speed, int) or options.max_speed < 0:
        raise InvalidFetch("max_speed must be a whole number of bytes per second, 0 or more")
    if options.download_total > MAX_BYTES:
        raise InvalidFetch(f"download_total {options.download_total} is larger than 8 EiB")
