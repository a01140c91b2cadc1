"""Web origins and the user's decision about each: ask (the default), allow or deny.

An origin is written as the web's ``URL.origin`` serializes it:
``scheme://host[:port]``, scheme and host in lower case, the host in ASCII
(punycode), IPv6 in brackets, the scheme's default port left out. Only
``http`` and ``https`` origins exist here.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from typing import Any
from urllib.parse import urlsplit

from ..errors import InvalidFetch
from ..store import SiteRow, Store
from ..validation import MAX_BYTES

DEFAULT_QUOTA = 10 * 1024**3  # bytes an origin's listed fetches may hold
MAX_ORIGIN_LENGTH = 2048
_DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST_LABEL = re.compile(r"^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?$")


class InvalidOrigin(InvalidFetch):
    """Not an http(s) origin; the message says why."""


class Decision(enum.StrEnum):
    ASK = "ask"
    ALLOW = "allow"
    DENY = "deny"


def normalize_origin(text: object) -> str:
    """``text`` as ``URL.origin`` would write it; InvalidOrigin if it is not an origin.

    A trailing ``/`` is accepted (people paste it); a path, query, fragment or
    user name is not: an origin names a site, not a page.
    """
    if not isinstance(text, str) or not text:
        raise InvalidOrigin("an origin must be a non-empty string")
    shown = repr(text[:80])
    if len(text) > MAX_ORIGIN_LENGTH:
        raise InvalidOrigin(f"origin {shown}… is longer than {MAX_ORIGIN_LENGTH} characters")
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in text):
        raise InvalidOrigin(f"origin {shown} contains spaces or control characters")
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError as exc:
        raise InvalidOrigin(f"origin {shown} is malformed: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        raise InvalidOrigin(f"origin {shown} is not http(s) (write it like https://example.org)")
    if "@" in parts.netloc:
        raise InvalidOrigin(f"origin {shown} has a user name in it")
    if parts.path not in ("", "/") or parts.query or parts.fragment or text[-1] in "?#":
        raise InvalidOrigin(f"{shown} is a page, not an origin (write it like https://example.org)")
    host = _normalize_host(parts.hostname or "", shown)
    if port is not None and port != _DEFAULT_PORTS[scheme]:
        return f"{scheme}://{host}:{port}"
    return f"{scheme}://{host}"


def _normalize_host(host: str, shown: str) -> str:
    if not host:
        raise InvalidOrigin(f"origin {shown} has no host")
    if ":" in host:
        try:
            return f"[{ipaddress.IPv6Address(host).compressed}]"
        except ValueError:
            raise InvalidOrigin(f"origin {shown} has a malformed IPv6 address") from None
    try:
        ascii_host = host.encode("idna").decode("ascii").lower()
    except UnicodeError:
        raise InvalidOrigin(f"origin {shown} has a host name that cannot be encoded") from None
    labels = ascii_host.removesuffix(".").split(".")
    if not all(_HOST_LABEL.match(label) for label in labels):
        raise InvalidOrigin(f"origin {shown} has a malformed host name")
    return ascii_host


def site_json(site: SiteRow) -> dict[str, Any]:
    """A decision as ``bgfetch sites list --json`` prints it."""
    return {"origin": site.origin, "decision": site.decision, "quota": site.quota,
            "decided_at": site.decided_at}


class Sites:
    """The decisions of one data folder, read once and written through to the store."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._known = {site.origin: site for site in store.sites()}

    def list(self) -> list[SiteRow]:
        return sorted(self._known.values(), key=lambda site: site.origin)

    def decision(self, origin: str) -> Decision:
        site = self._known.get(origin)
        return Decision(site.decision) if site else Decision.ASK

    def quota(self, origin: str) -> int:
        site = self._known.get(origin)
        return site.quota if site else DEFAULT_QUOTA

    def allow(self, origin: str, quota: int | None = None) -> SiteRow:
        """Allow ``origin``; its quota stays as it was unless one is given."""
        return self._decide(origin, Decision.ALLOW, quota)

    def deny(self, origin: str) -> SiteRow:
        return self._decide(origin, Decision.DENY, None)

    def forget(self, origin: str) -> bool:
        """Back to ``ask``; False if there was no decision."""
        origin = normalize_origin(origin)
        self._known.pop(origin, None)
        return self._store.delete_site(origin)

    def _decide(self, origin: str, decision: Decision, quota: int | None) -> SiteRow:
        origin = normalize_origin(origin)
        if quota is None:
            quota = self.quota(origin)
        elif isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= MAX_BYTES:
            raise InvalidFetch("a quota is a whole number of bytes, 0 or more")
        site = self._store.save_site(origin, str(decision), quota)
        self._known[origin] = site
        return site
