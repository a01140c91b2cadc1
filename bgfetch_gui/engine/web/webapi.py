"""One call from a web page (docs/browser-bridge.md), judged as untrusted input.

:meth:`WebApi.call` takes the extension's message (without ``seq``) and
returns the JSON result, or raises :class:`WebError` whose ``name`` is the
DOMException the page's promise rejects with. Every field is checked for its
type and size before anything else happens; a field the protocol does not
know is an error. A call acts for one origin and can only see, abort or read
that origin's fetches: another origin's id is simply unknown.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import http
import logging
import os
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, Literal, Protocol

from ..datadir import free_space
from ..errors import InvalidFetch, QuotaExceeded, UnknownFetch
from ..events import EventKind, FetchEvent
from ..integrity import MAX_METADATA, parse_metadata
from ..manager import FetchManager
from ..manifest import new_id
from ..model import FetchOptions, FetchRequest, Icon, Record, Snapshot
from ..registration import Registration
from ..secrets import Headers
from ..validation import MAX_BYTES, MAX_ID_LENGTH, check_headers, normalize_url
from .rules import MixedContent, check_mixed_content, referrer, url_origin
from .sites import Decision, InvalidOrigin, Sites, normalize_origin

log = logging.getLogger("bgfetch.web")

PROTOCOL_VERSION = 1
MAX_REQUESTS = 1000
MAX_TITLE = 1024
MAX_ICONS = 32
MAX_URL = 16 * 1024
MAX_HEADERS = 64
MAX_HEADER_NAME = 256
MAX_HEADER_VALUE = 8 * 1024
MAX_COOKIE = 64 * 1024
MAX_SHORT_TEXT = 256
MAX_READ = 512 * 1024
CONSENT_TIMEOUT = 300.0

# The Fetch standard's forbidden request headers (a page cannot set them, so a
# call that carries one did not come from a page's Request), plus what bgfetch
# itself decides: credentials, ranges and validators.
FORBIDDEN_HEADERS = frozenset({
    "accept-charset", "accept-encoding", "access-control-request-headers",
    "access-control-request-method", "connection", "content-length", "cookie", "cookie2",
    "date", "dnt", "expect", "host", "keep-alive", "origin", "referer", "set-cookie", "te",
    "trailer", "transfer-encoding", "upgrade", "via", "authorization", "range", "if-range",
})
FORBIDDEN_HEADER_PREFIXES = ("proxy-", "sec-")
# Response headers a page never sees (Fetch: forbidden response-header names).
HIDDEN_RESPONSE_HEADERS = frozenset({"set-cookie", "set-cookie2"})
# Fields that only the user's own command line may use.
LOCAL_ONLY_FIELDS = ("dest", "body", "proxy")

TYPE_ERROR = "TypeError"
QUOTA_EXCEEDED = "QuotaExceededError"
NOT_ALLOWED = "NotAllowedError"
INVALID_STATE = "InvalidStateError"
NOT_FOUND = "NotFoundError"
NOT_SUPPORTED = "NotSupportedError"

ConsentAnswer = Literal["once", "always", "deny", "dismissed"]


class WebError(Exception):
    """A refused call: ``name`` is the DOMException name, the message is for people."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(message)
        self.name = name


class ConsentPrompt(Protocol):
    """Asks the user whether ``origin`` may use bgfetch. ``download_total`` 0 means the
    size is unknown. ``once`` allows this fetch, ``always`` and ``deny`` are
    remembered, ``dismissed`` (the question was closed) refuses this fetch only."""

    async def ask(
        self, origin: str, title: str, download_total: int, n_requests: int
    ) -> ConsentAnswer: ...


class NoConsentUi:
    """A bgfetch without a window (the daemon) cannot ask: it refuses, saying how to allow."""

    async def ask(
        self, origin: str, title: str, download_total: int, n_requests: int
    ) -> ConsentAnswer:
        raise WebError(
            NOT_ALLOWED,
            f"{origin} is not allowed to use bgfetch, and no bgfetch window is open to ask; "
            f"allow it with: bgfetch sites allow {origin}",
        )


# -- what a page sees --------------------------------------------------------------------


def registration_json(snapshot: Snapshot) -> dict[str, Any]:
    """A ``BackgroundFetchRegistration``'s fields, as the page script sets them."""
    return {
        "id": snapshot.id,
        "uploadTotal": snapshot.upload_total,
        "uploaded": snapshot.uploaded,
        "downloadTotal": snapshot.download_total,
        "downloaded": snapshot.downloaded,
        "result": snapshot.result,
        "failureReason": str(snapshot.failure_reason),
        "recordsAvailable": snapshot.records_available,
        "state": str(snapshot.state),
        "title": snapshot.title,
    }


def readable_by(origin: str, record: Record) -> bool:
    """Whether a page of ``origin`` may see this response: its own origin's, or one whose
    server allowed ``origin`` by CORS (``Access-Control-Allow-Origin``), as in a browser.
    The response's origin is where the redirects ended: a page's own URL that redirects
    to another site (a router on the LAN, say) does not make that site's answer readable."""
    if url_origin(record.response_url) == origin:
        return True
    allowed = [v.strip() for k, v in record.headers if k.lower() == "access-control-allow-origin"]
    return allowed in (["*"], [origin])


def record_json(record: Record, origin: str) -> dict[str, Any]:
    """A record as the page sees it; a response the page may not read shows no headers."""
    status = record.status
    try:
        status_text = http.HTTPStatus(status).phrase if status is not None else ""
    except ValueError:
        status_text = ""
    return {
        "index": record.index,
        "url": record.request.url,
        "method": record.request.method,
        "integrity": record.request.integrity,
        "status": status,
        "statusText": status_text,
        "headers": [[name.lower(), value] for name, value in record.headers
                    if name.lower() not in HIDDEN_RESPONSE_HEADERS]
        if readable_by(origin, record) else [],
        "ready": record.response_ready,
        "size": record.size,
    }


_EVENT_NAMES = {
    EventKind.REGISTERED: "progress",
    EventKind.PROGRESS: "progress",
    EventKind.STATE: "progress",
    EventKind.SUCCESS: "success",
    EventKind.FAIL: "fail",
    EventKind.ABORT: "abort",
    EventKind.UPDATED: "updated",
    EventKind.CLICK: "click",
}


def event_json(event: FetchEvent) -> dict[str, Any] | None:
    """The bridge's event of an engine event; None for the user's own fetches and removals."""
    name = _EVENT_NAMES.get(event.kind)
    if not event.snapshot.origin or name is None:
        return None
    return {"event": name, "origin": event.snapshot.origin,
            "registration": registration_json(event.snapshot)}


# -- checking fields ---------------------------------------------------------------------


def _type_error(where: str, problem: str) -> WebError:
    return WebError(TYPE_ERROR, f"{where}: {problem}")


def _object(value: Any, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _type_error(where, "expected an object")
    for name in value:
        if name in LOCAL_ONLY_FIELDS:
            raise _type_error(f"{where}.{name}", "a web page cannot choose folders, upload "
                              "local files or use a proxy")
        if name not in allowed:
            raise _type_error(where, f"unknown field {str(name)[:40]!r}")
    return value


def _text(value: Any, where: str, limit: int, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise _type_error(where, "expected a string")
    if len(value) > limit:
        raise _type_error(where, f"longer than {limit} characters")
    if not empty and not value:
        raise _type_error(where, "must not be empty")
    return value


def _whole(value: Any, where: str, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
        raise _type_error(where, f"expected a whole number from 0 to {high}")
    return value


def _flag(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise _type_error(where, "expected true or false")
    return value


def _url(value: Any, where: str) -> str:
    url = _text(value, where, MAX_URL, empty=False)
    try:
        return normalize_url(url)
    except InvalidFetch as exc:
        raise _type_error(where, str(exc)) from None


def _fetch_id(value: Any) -> str:
    fetch_id = _text(value, "id", MAX_ID_LENGTH, empty=False)
    if any(ord(c) < 32 or ord(c) == 127 for c in fetch_id):
        raise _type_error("id", "contains control characters")
    return fetch_id


def _headers(value: Any, where: str) -> Headers:
    if isinstance(value, dict):
        pairs = list(value.items())
    elif isinstance(value, list) and all(isinstance(h, list) and len(h) == 2 for h in value):
        pairs = [(h[0], h[1]) for h in value]
    else:
        raise _type_error(where, "expected an object of header names and values")
    if len(pairs) > MAX_HEADERS:
        raise _type_error(where, f"more than {MAX_HEADERS} headers")
    for name, header_value in pairs:
        _text(name, where, MAX_HEADER_NAME, empty=False)
        _text(header_value, f"{where}[{name[:40]!r}]", MAX_HEADER_VALUE)
        lower = name.lower()
        if lower in FORBIDDEN_HEADERS or lower.startswith(FORBIDDEN_HEADER_PREFIXES):
            raise _type_error(where, f"a page cannot set the {name[:40]!r} header")
    try:
        check_headers(pairs)
    except InvalidFetch as exc:
        raise _type_error(where, str(exc)) from None
    return tuple(pairs)


_REQUEST_FIELDS = frozenset({"url", "method", "headers", "integrity"})


def _web_request(value: Any, where: str) -> FetchRequest:
    raw = {"url": value} if isinstance(value, str) else _object(value, where, _REQUEST_FIELDS)
    url = _url(raw.get("url"), f"{where}.url")
    method = _text(raw.get("method", "GET"), f"{where}.method", 16).upper()
    if method not in ("GET", "HEAD"):
        raise _type_error(f"{where}.method", "only GET and HEAD requests can go through the "
                          "browser bridge")
    headers = _headers(raw.get("headers", {}), f"{where}.headers")
    integrity = _text(raw.get("integrity", ""), f"{where}.integrity", MAX_METADATA).strip()
    # As a browser's fetch(): metadata with no known algorithm checks nothing, and a
    # digest that cannot match fails the download, not the call (docs/contracts.md §12).
    if not parse_metadata(integrity):
        integrity = ""
    return FetchRequest(url, method, headers, integrity=integrity)


def _cookies(value: Any, n_requests: int) -> dict[int, Headers]:
    """``{"0": "a=b"}`` → ``{0: (("Cookie", "a=b"),)}``."""
    if not isinstance(value, dict):
        raise _type_error("cookies", "expected an object from request index to Cookie header")
    found: dict[int, Headers] = {}
    for key, cookie in value.items():
        if not (isinstance(key, str) and key.isdecimal() and str(int(key)) == key
                and int(key) < n_requests):
            raise _type_error("cookies", f"{str(key)[:20]!r} is not the index of a request")
        where = f"cookies[{key}]"
        text = _text(cookie, where, MAX_COOKIE)
        try:
            check_headers([("Cookie", text)])
        except InvalidFetch:
            raise _type_error(where, "not a valid Cookie header") from None
        if text:
            found[int(key)] = (("Cookie", text),)
    return found


def _with_referrer(request: FetchRequest, page_url: str | None) -> FetchRequest:
    sent = referrer(page_url, request.url) if page_url else None
    if sent is None:
        return request
    return dataclasses.replace(request, headers=(*request.headers, ("Referer", sent)))


# -- the handler ---------------------------------------------------------------------------


_COMMON = frozenset({"v", "type", "origin"})
_FIELDS: dict[str, frozenset[str]] = {
    "hello": frozenset({"browser", "native"}),
    "decision": frozenset(),
    "fetch": frozenset({"pageUrl", "id", "requests", "options", "cookies"}),
    "get": frozenset({"id"}),
    "getIds": frozenset(),
    "abort": frozenset({"id"}),
    "matchAll": frozenset({"id", "request", "options"}),
    "read": frozenset({"id", "index", "offset", "length"}),
    "download": frozenset({"urls", "pageUrl", "title", "cookies"}),
    "sites": frozenset(),
}
# Calls that need no page origin: the extension's own (hello, its options page) and a
# user's hand-off, which may come from a tab without a web page.
_ORIGIN_OPTIONAL = frozenset({"hello", "sites", "download"})
_OPTION_FIELDS = frozenset({"title", "icons", "downloadTotal"})
_ICON_FIELDS = frozenset({"src", "sizes", "type"})
_MATCH_OPTION_FIELDS = frozenset({"ignoreSearch", "ignoreMethod", "ignoreVary"})


class WebApi:
    """Answers the bridge's calls for one engine; ``engine_kind`` is ``gui`` or ``daemon``."""

    def __init__(
        self,
        manager: FetchManager,
        sites: Sites,
        consent: ConsentPrompt,
        engine_kind: str,
        *,
        disk_free: Callable[[Path], int] | None = None,
    ) -> None:
        self.manager = manager
        self.sites = sites
        self.consent = consent
        self.engine_kind = engine_kind
        self._disk_free = disk_free or free_space
        self._asking: dict[str, asyncio.Lock] = {}
        self._handlers: dict[str, Callable[[dict[str, Any], str], Awaitable[Any]]] = {
            "hello": self._hello,
            "decision": self._decision,
            "fetch": self._fetch,
            "get": self._get,
            "getIds": self._get_ids,
            "abort": self._abort,
            "matchAll": self._match_all,
            "read": self._read,
            "download": self._download,
            "sites": self._sites,
        }

    async def call(self, message: Any) -> Any:
        """The result of one call; WebError (with its DOMException name) if refused."""
        if not isinstance(message, dict):
            raise _type_error("message", "expected an object")
        version = message.get("v")
        if isinstance(version, bool) or not isinstance(version, int):
            raise _type_error("v", "expected the protocol version")
        if version != PROTOCOL_VERSION:
            raise WebError(NOT_SUPPORTED, f"protocol version {version} is not supported "
                           f"(this bgfetch speaks {PROTOCOL_VERSION})")
        kind = message.get("type")
        if not isinstance(kind, str) or kind not in _FIELDS:
            raise _type_error("type", f"unknown call {str(kind)[:40]!r}")
        _object(message, "message", _COMMON | _FIELDS[kind])
        origin = ""
        if "origin" in message or kind not in _ORIGIN_OPTIONAL:
            try:
                origin = normalize_origin(message.get("origin"))
            except InvalidOrigin as exc:
                raise _type_error("origin", str(exc)) from None
        return await self._handlers[kind](message, origin)

    # -- the calls ------------------------------------------------------------------------

    async def _hello(self, message: dict[str, Any], origin: str) -> Any:
        browser = _text(message.get("browser"), "browser", MAX_SHORT_TEXT)
        if browser not in ("chromium", "firefox"):
            raise _type_error("browser", "expected 'chromium' or 'firefox'")
        _flag(message.get("native"), "native")
        return {"version": PROTOCOL_VERSION, "engine": self.engine_kind}

    async def _decision(self, message: dict[str, Any], origin: str) -> Any:
        return {"decision": str(self.sites.decision(origin))}

    async def _sites(self, message: dict[str, Any], origin: str) -> Any:
        return [{"origin": site.origin, "decision": site.decision, "quota": site.quota}
                for site in self.sites.list()]

    async def _fetch(self, message: dict[str, Any], origin: str) -> Any:
        page_url = self._page_url(message.get("pageUrl"), origin)
        fetch_id = _fetch_id(message.get("id"))
        raw_requests = message.get("requests")
        if isinstance(raw_requests, (str, dict)):
            raw_requests = [raw_requests]  # fetch() step 4: one request is a list of one
        if not isinstance(raw_requests, list) or not 1 <= len(raw_requests) <= MAX_REQUESTS:
            raise _type_error("requests", f"expected a list of 1 to {MAX_REQUESTS} requests")
        requests = []
        for index, raw in enumerate(raw_requests):
            request = _web_request(raw, f"requests[{index}]")
            self._mixed_content(origin, request.url, f"requests[{index}]")
            requests.append(_with_referrer(request, page_url))
        options = self._options(message.get("options", {}), origin)
        cookies = _cookies(message.get("cookies", {}), len(requests))
        if self.manager.get(fetch_id, origin) is not None:
            raise _type_error("id", f"a fetch with id {fetch_id!r} is already active")
        if self.sites.decision(origin) == Decision.DENY:
            raise WebError(NOT_ALLOWED, f"you blocked {origin} from using bgfetch")
        await self._check_room(origin, options.download_total)
        await self._consent(origin, options, len(requests))
        try:
            reg = await self.manager.fetch(fetch_id, requests, options, origin=origin,
                                           secret_headers=cookies)
        except QuotaExceeded as exc:
            raise WebError(QUOTA_EXCEEDED, str(exc)) from None
        except InvalidFetch as exc:
            raise WebError(TYPE_ERROR, str(exc)) from None
        log.info("web fetch %r of %s registered (%d requests)", fetch_id, origin, len(requests))
        return registration_json(reg.snapshot())

    async def _get(self, message: dict[str, Any], origin: str) -> Any:
        reg = self.manager.get(_fetch_id(message.get("id")), origin)
        return registration_json(reg.snapshot()) if reg is not None else None

    async def _get_ids(self, message: dict[str, Any], origin: str) -> Any:
        return self.manager.get_ids(origin)

    async def _abort(self, message: dict[str, Any], origin: str) -> Any:
        return await self.manager.abort(self._registration(message, origin))

    async def _match_all(self, message: dict[str, Any], origin: str) -> Any:
        options = _object(message.get("options", {}), "options", _MATCH_OPTION_FIELDS)
        flags = {name: _flag(options.get(name, False), f"options.{name}")
                 for name in _MATCH_OPTION_FIELDS}
        request: FetchRequest | None = None
        if "request" in message:
            raw = _object(message["request"], "request", frozenset({"url", "method"}))
            url = _text(raw.get("url"), "request.url", MAX_URL)
            method = _text(raw.get("method", "GET"), "request.method", 16)
            request = FetchRequest(url, method.upper())
        reg = self._registration(message, origin)
        records = await reg.match_all(request, ignore_search=flags["ignoreSearch"],
                                      ignore_method=flags["ignoreMethod"],
                                      ignore_vary=flags["ignoreVary"])
        return [record_json(record, origin) for record in records]

    async def _read(self, message: dict[str, Any], origin: str) -> Any:
        index = _whole(message.get("index"), "index", MAX_REQUESTS)
        offset = _whole(message.get("offset"), "offset", MAX_BYTES)
        length = _whole(message.get("length"), "length", MAX_READ)
        reg = self._registration(message, origin)
        records = reg.records()
        if index >= len(records):
            raise WebError(NOT_FOUND, f"fetch {reg.id!r} has no record {index}")
        record = records[index]
        if not record.response_ready or record.path is None:
            raise WebError(INVALID_STATE, f"record {index} of {reg.id!r} is not complete yet")
        if not readable_by(origin, record):
            # Like a browser's opaque response: bgfetch may fetch it, the page may not read it.
            raise WebError(TYPE_ERROR, f"record {index} is another origin's response without "
                           f"CORS permission for {origin}")
        try:
            data, eof = await asyncio.to_thread(_read_part, record.path, offset, length)
        except OSError:
            raise WebError(NOT_FOUND, f"the stored body of record {index} is gone") from None
        return {"data": base64.b64encode(data).decode("ascii"), "eof": eof}

    async def _download(self, message: dict[str, Any], origin: str) -> Any:
        urls = message.get("urls")
        if not isinstance(urls, list) or not 1 <= len(urls) <= MAX_REQUESTS:
            raise _type_error("urls", f"expected a list of 1 to {MAX_REQUESTS} URLs")
        page_url = None
        if "pageUrl" in message:
            page_url = _url(message["pageUrl"], "pageUrl")
        title = _text(message.get("title", ""), "title", MAX_TITLE)
        requests = [_with_referrer(FetchRequest(_url(url, f"urls[{i}]")), page_url)
                    for i, url in enumerate(urls)]
        cookies = _cookies(message.get("cookies", {}), len(requests))
        try:
            # The user's own action: their own fetch, in the default folder.
            reg = await self.manager.fetch(new_id(), requests, FetchOptions(title=title),
                                           secret_headers=cookies)
        except InvalidFetch as exc:
            raise WebError(TYPE_ERROR, str(exc)) from None
        log.info("download of %d URLs handed over from the browser as %r", len(urls), reg.id)
        return {"id": reg.id}

    # -- helpers ------------------------------------------------------------------------

    def _registration(self, message: dict[str, Any], origin: str) -> Registration:
        fetch_id = _fetch_id(message.get("id"))
        try:
            return self.manager.find(fetch_id, origin)
        except UnknownFetch:
            raise WebError(NOT_FOUND, f"no fetch with id {fetch_id!r}") from None

    @staticmethod
    def _page_url(value: Any, origin: str) -> str:
        page_url = _url(value, "pageUrl")
        if url_origin(page_url) != origin:
            raise _type_error("pageUrl", f"is not a page of {origin}")
        return page_url

    @staticmethod
    def _mixed_content(origin: str, url: str, where: str) -> None:
        try:
            check_mixed_content(origin, url)
        except MixedContent as exc:
            raise _type_error(where, str(exc)) from None

    def _options(self, value: Any, origin: str) -> FetchOptions:
        raw = _object(value, "options", _OPTION_FIELDS)
        title = _text(raw.get("title", ""), "options.title", MAX_TITLE)
        total = _whole(raw.get("downloadTotal", 0), "options.downloadTotal", MAX_BYTES)
        raw_icons = raw.get("icons", [])
        if not isinstance(raw_icons, list) or len(raw_icons) > MAX_ICONS:
            raise _type_error("options.icons", f"expected a list of at most {MAX_ICONS} icons")
        icons = []
        for i, raw_icon in enumerate(raw_icons):
            where = f"options.icons[{i}]"
            icon = _object(raw_icon, where, _ICON_FIELDS)
            src = _url(icon.get("src"), f"{where}.src")
            self._mixed_content(origin, src, f"{where}.src")
            icons.append(Icon(src, _text(icon.get("sizes", ""), f"{where}.sizes", MAX_SHORT_TEXT),
                              _text(icon.get("type", ""), f"{where}.type", MAX_SHORT_TEXT)))
        return FetchOptions(title=title, icons=tuple(icons), download_total=total)

    async def _check_room(self, origin: str, download_total: int) -> None:
        """Refuse what the origin's quota, or the disk, cannot hold."""
        quota = self.sites.quota(origin)
        used = self.manager.origin_usage(origin)
        if used >= quota or used + download_total > quota:
            raise WebError(QUOTA_EXCEEDED, f"{origin} may keep {quota} bytes in bgfetch and "
                           f"has {used}; remove some of its fetches or raise its quota "
                           f"(bgfetch sites allow {origin} --quota BYTES)")
        if download_total:
            free = await asyncio.to_thread(self._disk_free, self.manager.downloads_dir)
            if download_total > free:
                raise WebError(QUOTA_EXCEEDED, f"the disk has {free} bytes free, "
                               f"{download_total} are needed")

    async def _consent(self, origin: str, options: FetchOptions, n_requests: int) -> None:
        """Ask the user about an origin with no decision; one question per origin at a time."""
        lock = self._asking.setdefault(origin, asyncio.Lock())
        async with lock:
            decision = self.sites.decision(origin)  # another call may have had the answer
            if decision == Decision.ALLOW:
                return
            if decision == Decision.DENY:
                raise WebError(NOT_ALLOWED, f"you blocked {origin} from using bgfetch")
            try:
                async with asyncio.timeout(CONSENT_TIMEOUT):
                    answer = await self.consent.ask(origin, options.title,
                                                    options.download_total, n_requests)
            except TimeoutError:
                raise WebError(NOT_ALLOWED, "no answer to the question whether "
                               f"{origin} may use bgfetch") from None
        if answer == "always":
            self.sites.allow(origin)
        elif answer == "deny":
            self.sites.deny(origin)
        if answer not in ("once", "always"):
            raise WebError(NOT_ALLOWED, f"you did not allow {origin} to use bgfetch")


def _read_part(path: Path, offset: int, length: int) -> tuple[bytes, bool]:
    with open(path, "rb") as body:
        size = os.fstat(body.fileno()).st_size
        body.seek(offset)
        data = body.read(length)
    return data, offset + len(data) >= size
