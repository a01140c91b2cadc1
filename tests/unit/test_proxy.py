"""Proxy settings (docs/contracts.md §8): parsed, resolved, and kept out of untrusted manifests."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bgfetch_gui.engine.credentials import Credential
from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.links import spec_from_bytes
from bgfetch_gui.engine.manifest import load_manifest, parse_spec
from bgfetch_gui.engine.proxy import BadProxy, Proxy, Route, check_setting, parse_proxy, resolve


@pytest.mark.parametrize(("text", "expected"), [
    ("http://proxy.lan:3128", Proxy("http", "proxy.lan", 3128)),
    ("HTTPS://proxy.lan", Proxy("https", "proxy.lan", 443)),
    ("socks5://127.0.0.1", Proxy("socks5", "127.0.0.1", 1080)),
    ("socks5h://[::1]:9050/", Proxy("socks5", "::1", 9050)),
])
def test_proxy_urls(text: str, expected: Proxy) -> None:
    assert parse_proxy(text) == expected


@pytest.mark.parametrize(("text", "problem"), [
    ("ftp://proxy.lan:21", "expected http://, https:// or socks5://host:port"),
    ("proxy.lan:3128", "expected http://, https:// or socks5://host:port"),
    ("http://proxy.lan:3128/pac", "a proxy URL has no path"),
    ("http://alice:pw@proxy.lan:3128", "bgfetch login --proxy URL"),
    ("socks5://alice@proxy.lan", "must not carry a user name or password"),
])
def test_bad_proxy_urls(text: str, problem: str) -> None:
    with pytest.raises(BadProxy, match=re.escape(problem)):
        parse_proxy(text)


def test_the_environment_may_carry_credentials_and_its_url_is_shown_without_them() -> None:
    proxy = parse_proxy("http://alice:pw@proxy.lan:3128", allow_credentials=True)
    assert proxy.credential == Credential("alice", "pw")
    assert proxy.url == "http://proxy.lan:3128" and "pw" not in repr(proxy)
    assert str(proxy.url_with_credential) == "http://alice:pw@proxy.lan:3128"
    assert proxy.keyring_key == "proxy http://proxy.lan:3128"


def test_settings_are_normalised() -> None:
    assert check_setting(" System ") == "system"
    assert check_setting("NONE") == "none"
    assert check_setting("socks5h://Proxy.LAN") == "socks5://proxy.lan:1080"


@pytest.mark.parametrize(("environ", "desktop", "expected"), [
    ({}, None, Route()),
    ({"https_proxy": "http://p:1"}, "socks5://d:2", Route(from_environment=True)),
    ({"HTTP_PROXY": "http://p:1"}, None, Route(from_environment=True)),
    ({"all_proxy": "socks5://a:3"}, "http://d:2", Route(Proxy("socks5", "a", 3))),
    ({"no_proxy": "*"}, "http://d:2", Route(Proxy("http", "d", 2))),
])
def test_system_mode(environ: dict[str, str], desktop: str | None, expected: Route) -> None:
    assert resolve("system", environ, desktop) == expected
    assert resolve("", environ, desktop) == expected


def test_none_and_manual_ignore_the_system() -> None:
    environ = {"http_proxy": "http://p:1"}
    assert resolve("none", environ, "http://d:2") == Route()
    assert resolve("socks5://m:4", environ, "http://d:2") == Route(Proxy("socks5", "m", 4))


def test_a_trusted_spec_carries_its_proxy() -> None:
    spec = parse_spec({"requests": ["https://example.org/a"],
                       "options": {"proxy": "socks5://127.0.0.1:9050"}})
    assert spec.options.proxy == "socks5://127.0.0.1:9050"
    assert parse_spec(spec.to_json()).options.proxy == "socks5://127.0.0.1:9050"
    with pytest.raises(InvalidFetch, match=r"'options\.proxy': not a proxy URL"):
        parse_spec({"requests": ["https://example.org/a"], "options": {"proxy": "tor"}})


def test_a_manifest_file_or_link_cannot_choose_the_proxy(tmp_path: Path) -> None:
    data = {"requests": ["https://example.org/a"], "options": {"proxy": "none"}}
    path = tmp_path / "x.bgfetch"
    path.write_text(json.dumps(data))
    for load in (lambda: load_manifest(path), lambda: spec_from_bytes(
            json.dumps(data).encode(), "https://example.org")):
        with pytest.raises(InvalidFetch, match="a manifest cannot choose the proxy"):
            load()
