"""What a replaced URL is sent with (docs/contracts.md §13): what belonged to the old
URL's origin stays there, as at a redirect."""

from __future__ import annotations

from bgfetch_gui.engine.file_actions import sent_request
from bgfetch_gui.engine.model import FetchRequest
from bgfetch_gui.engine.store import RequestRow

PAGE = "https://cdn.example.org/podcast/page?x=1"
HEADERS = (("Accept", "audio/*"), ("Referer", PAGE), ("Cookie", "sid=1"),
           ("Authorization", "Basic dTpw"))


def row(replaced_url: str | None) -> RequestRow:
    request = FetchRequest("https://cdn.example.org/ep.mp3?sig=old", headers=HEADERS)
    return RequestRow(idx=0, request=request, replaced_url=replaced_url)


def test_the_registered_request_goes_out_as_it_is() -> None:
    assert sent_request(row(None)) == row(None).request


def test_a_new_url_on_the_same_origin_keeps_every_header() -> None:
    sent = sent_request(row("https://cdn.example.org/ep.mp3?sig=new"))
    assert sent.url == "https://cdn.example.org/ep.mp3?sig=new"
    assert sent.headers == HEADERS


def test_a_new_url_elsewhere_drops_credentials_and_cookies_and_trims_the_referer() -> None:
    sent = sent_request(row("https://mirror.example.net/ep.mp3"))
    assert sent.url == "https://mirror.example.net/ep.mp3"
    assert dict(sent.headers) == {"Accept": "audio/*", "Referer": "https://cdn.example.org/"}


def test_no_referer_from_https_to_http() -> None:
    sent = sent_request(row("http://mirror.example.net/ep.mp3"))
    assert dict(sent.headers) == {"Accept": "audio/*"}
