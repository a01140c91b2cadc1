"""What the web lets a page fetch: mixed content, and the ``Referer`` a page sends."""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

from .sites import normalize_origin

# Hosts browsers treat as potentially trustworthy over plain http
# (Secure Contexts, "is origin potentially trustworthy").
TRUSTWORTHY_HTTP_HOSTS = frozenset({"127.0.0.1", "[::1]", "localhost"})


class MixedContent(ValueError):
    """An https page asked for an http URL."""


def url_origin(url: str) -> str:
    """The origin of an absolute http(s) URL (InvalidOrigin if it has none)."""
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    return normalize_origin(f"{parts.scheme}://{host}")


def check_mixed_content(page_origin: str, url: str) -> None:
    """An ``https:`` page may fetch ``http:`` URLs of loopback hosts only."""
    if not page_origin.startswith("https://"):
        return
    target = urlsplit(url_origin(url))
    if target.scheme != "http":
        return
    host = target.hostname or ""
    if f"[{host}]" not in TRUSTWORTHY_HTTP_HOSTS and host not in TRUSTWORTHY_HTTP_HOSTS:
        raise MixedContent(f"{url[:200]} is http, and an https page may not fetch it "
                           "(mixed content)")


def referrer(page_url: str, url: str) -> str | None:
    """The ``Referer`` of a request from ``page_url`` to ``url`` under the default
    policy, ``strict-origin-when-cross-origin``: the full page URL (without
    fragment or credentials) to the same origin, only the page's origin
    elsewhere, and nothing from https to http."""
    page = urlsplit(page_url)
    page_origin = url_origin(page_url)
    target_origin = url_origin(url)
    if page_origin.startswith("https://") and target_origin.startswith("http://"):
        return None
    if page_origin == target_origin:
        netloc = page.netloc.rpartition("@")[2]
        return urlunsplit((page.scheme, netloc, page.path or "/", page.query, ""))
    return page_origin + "/"
