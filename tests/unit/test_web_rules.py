"""Origins as URL.origin writes them, the user's decisions, mixed content and Referer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgfetch_gui.engine.store import Store
from bgfetch_gui.engine.web.rules import MixedContent, check_mixed_content, referrer
from bgfetch_gui.engine.web.sites import (
    DEFAULT_QUOTA,
    Decision,
    InvalidOrigin,
    Sites,
    normalize_origin,
)


@pytest.mark.parametrize(("text", "origin"), [
    ("https://example.org", "https://example.org"),
    ("https://example.org/", "https://example.org"),
    ("HTTPS://Example.ORG:443", "https://example.org"),
    ("http://example.org:80", "http://example.org"),
    ("http://example.org:443", "http://example.org:443"),
    ("https://example.org:8443", "https://example.org:8443"),
    ("http://127.0.0.1:8080", "http://127.0.0.1:8080"),
    ("http://[0:0:0:0:0:0:0:1]:9000", "http://[::1]:9000"),
    ("https://bücher.example", "https://xn--bcher-kva.example"),
    ("http://localhost", "http://localhost"),
])
def test_origins_are_written_like_url_origin(text: str, origin: str) -> None:
    assert normalize_origin(text) == origin


@pytest.mark.parametrize("text", [
    "", "null", "example.org", "ftp://example.org", "file:///etc/passwd", "javascript:alert(1)",
    "chrome-extension://abc", "https://example.org/page", "https://example.org/?q",
    "https://example.org#x", "https://user:pw@example.org", "https://", "https://exa mple.org",
    "https://example.org:99999", "https://example.org\n", "https://[::g]", "https://a..b",
    "https://" + "a" * 3000, "https://ex<ample>.org",
])
def test_what_is_not_an_origin_is_refused(text: str) -> None:
    with pytest.raises(InvalidOrigin):
        normalize_origin(text)


@pytest.mark.parametrize("value", [None, 1, 1.5, True, [], {}, b"https://a.example"])
def test_an_origin_must_be_a_string(value: object) -> None:
    with pytest.raises(InvalidOrigin):
        normalize_origin(value)


def test_decisions_are_remembered_and_forgotten(tmp_path: Path) -> None:
    store = Store(tmp_path / "db")
    sites = Sites(store)
    assert sites.decision("https://a.example") == Decision.ASK
    assert sites.quota("https://a.example") == DEFAULT_QUOTA
    sites.allow("https://A.example/", 1000)
    sites.deny("https://b.example")
    sites.allow("https://a.example")  # allowing again keeps the quota
    again = Sites(Store(tmp_path / "db"))
    assert again.decision("https://a.example") == Decision.ALLOW
    assert again.quota("https://a.example") == 1000
    assert again.decision("https://b.example") == Decision.DENY
    assert again.forget("https://b.example") and not again.forget("https://b.example")
    assert [s.origin for s in again.list()] == ["https://a.example"]
    for bad_quota in (-1, True, 2**64, 1.5):
        with pytest.raises(ValueError, match="quota"):
            sites.allow("https://c.example", bad_quota)  # type: ignore[arg-type]


@pytest.mark.parametrize(("page", "url"), [
    ("https://a.example", "http://a.example/x"),
    ("https://a.example", "http://127.0.0.2/x"),
    ("https://a.example", "http://localhost.evil.example/x"),
    ("https://a.example", "http://[::2]/x"),
])
def test_https_pages_cannot_fetch_http(page: str, url: str) -> None:
    with pytest.raises(MixedContent):
        check_mixed_content(page, url)


@pytest.mark.parametrize(("page", "url"), [
    ("https://a.example", "https://b.example/x"),
    ("https://a.example", "http://127.0.0.1:8000/x"),
    ("https://a.example", "http://localhost:8000/x"),
    ("https://a.example", "http://LOCALHOST/x"),
    ("https://a.example", "http://[::1]:8000/x"),
    ("http://a.example", "http://b.example/x"),
])
def test_what_mixed_content_rules_allow(page: str, url: str) -> None:
    check_mixed_content(page, url)


@pytest.mark.parametrize(("page", "url", "sent"), [
    ("https://a.example/p/page.html?q=1#frag", "https://a.example/file",
     "https://a.example/p/page.html?q=1"),
    ("https://a.example/p/page.html?q=1", "https://b.example/file", "https://a.example/"),
    ("https://a.example/p/page.html", "http://a.example/file", None),
    ("http://a.example:8080/p", "https://a.example:8080/file", "http://a.example:8080/"),
    ("http://a.example/p", "http://b.example/file", "http://a.example/"),
])
def test_referrer_is_strict_origin_when_cross_origin(page: str, url: str, sent: str | None):
    assert referrer(page, url) == sent
