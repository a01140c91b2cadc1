"""``bgfetch:`` links: "Download with bgfetch" on a page whose visitors have no extension.

Two forms (docs/contracts.md §5):

- ``bgfetch:fetch?manifest=<URL>``: the manifest at an https URL (plain http only on
  loopback, for local tools and tests), fetched with a size limit and a timeout;
- ``bgfetch:fetch?data=<base64url>``: the manifest's JSON inline.

Anyone can write a link, so its manifest is judged like the browser bridge's: it
cannot choose the folder, upload local files or name local icons, and the user
confirms what it downloads and from where before anything is registered.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import aiohttp
from yarl import URL

from .errors import BgfetchError, InvalidFetch
from .http.sessions import PROXY_ERRORS, Sessions, proxy_trouble
from .manifest import MAX_MANIFEST_BYTES, FetchSpec, manifest_json, parse_spec
from .proxy import SYSTEM
from .validation import check_url

SCHEME = "bgfetch"
ACTION = "fetch"
FETCH_TIMEOUT_S = 15.0
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class Link:
    """A parsed link: where its manifest is (a URL) or the manifest itself."""

    manifest_url: str | None = None
    inline: bytes | None = None


@dataclass(frozen=True)
class LinkedFetch:
    """A link's fetch, checked and ready to show the user, not yet registered."""

    spec: FetchSpec
    source: str  # where the manifest came from: an origin, or "the link itself"

    @property
    def hosts(self) -> list[str]:
        """The hosts the files come from, in the manifest's order, each once."""
        seen: dict[str, None] = {}
        for request in self.spec.requests:
            seen[urlsplit(request.url).hostname or request.url] = None
        return list(seen)


def is_link(text: str) -> bool:
    return text.strip().lower().startswith(SCHEME + ":")


def parse_link(text: str) -> Link:
    """Read a link's form; InvalidFetch says, in one line, what is wrong with it."""
    parts = urlsplit(text.strip())
    if parts.scheme.lower() != SCHEME:
        raise InvalidFetch(f"not a bgfetch: link: {_shorten(text)!r}")
    action = (parts.netloc or parts.path).strip("/").lower()
    if action != ACTION:
        raise InvalidFetch(f"bgfetch: link {_shorten(text)!r}: expected bgfetch:fetch?manifest=URL "
                           "or bgfetch:fetch?data=BASE64URL")
    query = parse_qs(parts.query, keep_blank_values=True)
    urls, data = query.get("manifest", []), query.get("data", [])
    if len(urls) + len(data) != 1:
        raise InvalidFetch("bgfetch: link: give exactly one of manifest=URL or data=BASE64URL")
    if urls:
        check_manifest_url(urls[0])
        return Link(manifest_url=urls[0])
    return Link(inline=_decode_inline(data[0]))


def check_manifest_url(url: str) -> None:
    """https, or http on loopback: a manifest fetched in the clear could be swapped."""
    try:
        parts = check_url(url)
    except InvalidFetch as exc:
        raise InvalidFetch(f"bgfetch: link: manifest URL: {exc}") from None
    if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname or ""):
        raise InvalidFetch(f"bgfetch: link: the manifest URL {url!r} must use https")


def _is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _decode_inline(text: str) -> bytes:
    if len(text) > MAX_MANIFEST_BYTES * 4 // 3 + 4:
        raise InvalidFetch("bgfetch: link: the inline manifest is larger than 1 MiB")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
    except (binascii.Error, ValueError):
        raise InvalidFetch("bgfetch: link: data= is not base64url") from None


def spec_from_bytes(raw: bytes, source: str) -> FetchSpec:
    """Check a link's manifest as untrusted: nothing local, whatever it asks."""
    data = manifest_json(raw, f"the manifest from {source}")
    _refuse_local_icons(data)
    return parse_spec(data, base=None, trusted=False)


def _refuse_local_icons(data: Any) -> None:
    options = data.get("options") if isinstance(data, dict) else None
    icons = options.get("icons") if isinstance(options, dict) else None
    for index, icon in enumerate(icons if isinstance(icons, list) else []):
        src = icon.get("src") if isinstance(icon, dict) else None
        if isinstance(src, str) and "://" not in src:
            raise InvalidFetch(f"manifest field 'options.icons[{index}].src': a link's "
                               "manifest cannot name local files")


async def resolve(text: str, sessions: Sessions | None = None) -> LinkedFetch:
    """The fetch a link asks for: the inline manifest, or the one fetched from its URL.

    ``sessions``: the engine's, so the manifest takes the downloads' proxy route (§8).
    """
    link = parse_link(text)
    if link.inline is not None:
        return LinkedFetch(spec_from_bytes(link.inline, "the link itself"), "the link itself")
    assert link.manifest_url is not None
    raw, final_url = await fetch_manifest(link.manifest_url, sessions)
    origin = URL(final_url).origin()
    return LinkedFetch(spec_from_bytes(raw, str(origin)), str(origin))


async def fetch_manifest(url: str, sessions: Sessions | None = None) -> tuple[bytes, str]:
    """GET the manifest (≤ 1 MiB, ≤ 15 s, each redirect checked like the link): body, URL."""
    timeout = aiohttp.ClientTimeout(total=FETCH_TIMEOUT_S)
    try:
        route = await (sessions or Sessions(lambda: SYSTEM)).route()
        async with Sessions.open(route, timeout=timeout) as session:
            for _hop in range(MAX_REDIRECTS + 1):
                check_manifest_url(url)
                async with session.get(url, allow_redirects=False, headers={
                    "Accept": "application/x-bgfetch, application/json;q=0.9, */*;q=0.1",
                }) as response:
                    location = response.headers.get("Location")
                    if response.status in REDIRECT_STATUSES and location:
                        url = str(response.url.join(URL(location)))
                        continue
                    if response.status != 200:
                        raise BgfetchError(
                            f"the manifest at {url} answered HTTP {response.status}")
                    return await _read_limited(response, url), url
            raise BgfetchError(f"the manifest at {url} redirects more than {MAX_REDIRECTS} times")
    except BgfetchError:
        raise
    except PROXY_ERRORS as exc:
        raise BgfetchError(f"could not fetch the manifest at {url}: "
                           f"{proxy_trouble(session, exc)}") from None
    except (TimeoutError, aiohttp.ClientError, ValueError) as exc:  # ValueError: yarl
        reason = str(exc) or ("timed out" if isinstance(exc, asyncio.TimeoutError)
                              else type(exc).__name__)
        raise BgfetchError(f"could not fetch the manifest at {url}: {reason}") from None


async def _read_limited(response: aiohttp.ClientResponse, url: str) -> bytes:
    if (response.content_length or 0) > MAX_MANIFEST_BYTES:
        raise InvalidFetch(f"the manifest at {url} is larger than 1 MiB")
    body = bytearray()
    async for chunk in response.content.iter_chunked(64 * 1024):
        body += chunk
        if len(body) > MAX_MANIFEST_BYTES:
            raise InvalidFetch(f"the manifest at {url} is larger than 1 MiB")
    return bytes(body)


def _shorten(text: str, limit: int = 80) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit] + "…"
