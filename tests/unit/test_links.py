"""``bgfetch:`` links (docs/contracts.md §5): their forms, and their manifests as untrusted."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.links import Link, LinkedFetch, parse_link, spec_from_bytes
from bgfetch_gui.engine.manifest import MAX_MANIFEST_BYTES
from bgfetch_gui.ui.intake import sort_arguments

MANIFEST: dict[str, Any] = {
    "id": "ep-5",
    "requests": ["https://cdn.example.org/ep-5.mp3", "https://img.example.net/ep-5.jpg"],
    "options": {"title": "Episode 5", "downloadTotal": 62914560,
                "icons": [{"src": "https://img.example.net/icon.png", "sizes": "96x96"}]},
}


def inline(data: object) -> str:
    raw = json.dumps(data).encode()
    return "bgfetch:fetch?data=" + base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_a_manifest_url_link() -> None:
    link = parse_link("bgfetch:fetch?manifest=https%3A%2F%2Fexample.org%2Fep%3Fn%3D5")
    assert link == Link(manifest_url="https://example.org/ep?n=5")
    assert parse_link("BGFETCH://fetch?manifest=http://127.0.0.1:8080/m").manifest_url


def test_an_inline_link_without_padding() -> None:
    link = parse_link(inline(MANIFEST))
    assert link.inline is not None
    spec = spec_from_bytes(link.inline, "the link itself")
    linked = LinkedFetch(spec, "the link itself")
    assert spec.id == "ep-5" and spec.options.download_total == 62914560
    assert linked.hosts == ["cdn.example.org", "img.example.net"]


@pytest.mark.parametrize(("link", "says"), [
    ("bgfetch:", "expected bgfetch:fetch?manifest=URL"),
    ("bgfetch:delete?manifest=https://a.example/m", "expected bgfetch:fetch"),
    ("bgfetch:fetch", "exactly one of"),
    ("bgfetch:fetch?manifest=https://a/m&data=e30", "exactly one of"),
    ("bgfetch:fetch?manifest=http://example.org/m", "must use https"),
    ("bgfetch:fetch?manifest=file:///etc/passwd", "only http and https"),
    ("bgfetch:fetch?manifest=https://user:pw@example.org/m", "credentials"),
    ("bgfetch:fetch?data=%%%", "not base64url"),
    ("bgfetch:fetch?data=" + "A" * (MAX_MANIFEST_BYTES * 2), "larger than 1 MiB"),
])
def test_bad_links_say_what_is_wrong(link: str, says: str) -> None:
    with pytest.raises(InvalidFetch) as caught:
        parse_link(link)
    assert says in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(("change", "says"), [
    ({"dest": "/home/user/.config/autostart"}, "'dest'"),
    ({"requests": [{"url": "https://a.example/x", "method": "PUT", "body": "/etc/shadow"}]},
     "'requests[0].body'"),
    ({"options": {"icons": [{"src": "/home/user/.ssh/id_rsa"}]}}, "options.icons[0].src"),
    ({"options": {"icons": [{"src": "icon.png"}]}}, "cannot name local files"),
    ({"requests": ["ftp://a.example/x"]}, "requests[0].url"),
])
def test_a_links_manifest_is_untrusted(change: dict[str, Any], says: str) -> None:
    raw = json.dumps({**MANIFEST, **change}).encode()
    with pytest.raises(InvalidFetch) as caught:
        spec_from_bytes(raw, "https://example.org")
    assert says in str(caught.value)


def test_not_json_names_its_source() -> None:
    with pytest.raises(InvalidFetch, match=r"from https://example\.org is not valid JSON"):
        spec_from_bytes(b"<html>", "https://example.org")


def test_intake_keeps_links_apart_and_refuses_bad_ones() -> None:
    good = inline(MANIFEST)
    intake = sort_arguments([good, "bgfetch:nonsense", "https://example.org/a.bin"])
    assert intake.links == [good]
    assert intake.urls == ["https://example.org/a.bin"]
    assert len(intake.errors) == 1 and "bgfetch:fetch" in intake.errors[0]
