"""A web page's calls are untrusted: each field is checked, and a refusal names the
DOMException the page sees. Nothing here reaches the network: the manager is
real (SQLite in a temporary folder) but never started, and every bad call is
refused before it could register anything."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import Store
from bgfetch_gui.engine.web.sites import Sites
from bgfetch_gui.engine.web.webapi import (
    ConsentAnswer,
    NoConsentUi,
    WebApi,
    WebError,
    event_json,
)

ORIGIN = "https://podcast.example"
PAGE = "https://podcast.example/shows/5"


class Consent:
    """A ConsentPrompt that answers from a script and remembers what it was asked."""

    def __init__(self, *answers: ConsentAnswer) -> None:
        self.answers = list(answers)
        self.asked: list[tuple[str, str, int, int]] = []

    async def ask(self, origin: str, title: str, download_total: int,
                  n_requests: int) -> ConsentAnswer:
        self.asked.append((origin, title, download_total, n_requests))
        return self.answers.pop(0)


@pytest.fixture
async def api(tmp_path: Path) -> AsyncIterator[WebApi]:
    store = Store(tmp_path / "bgfetch.sqlite3")
    sites = Sites(store)
    manager = FetchManager(store, Settings(), tmp_path / "Downloads", quota_of=sites.quota)
    yield WebApi(manager, sites, Consent(), "gui")
    store.close()


def fetch_call(**changes: Any) -> dict[str, Any]:
    call: dict[str, Any] = {
        "v": 1, "type": "fetch", "origin": ORIGIN, "pageUrl": PAGE, "id": "ep-5",
        "requests": ["https://podcast.example/ep-5.mp3"],
        "options": {"title": "Episode 5", "downloadTotal": 1000},
    }
    call.update(changes)
    return call


async def refused(api: WebApi, call: Any, name: str = "TypeError") -> str:
    before = len(api.manager.registrations())
    with pytest.raises(WebError) as caught:
        await api.call(call)
    assert caught.value.name == name, str(caught.value)
    assert len(api.manager.registrations()) == before, "a refused call registered something"
    return str(caught.value)


DEEP: Any = []
for _ in range(5000):
    DEEP = [DEEP]


@pytest.mark.parametrize("call", [
    None, [], "fetch", 1, {"type": "fetch"}, fetch_call(v="1"), fetch_call(v=True),
    fetch_call(type="nope"), fetch_call(type=["fetch"]), fetch_call(origin=None),
    fetch_call(origin="null"), fetch_call(origin="file:///"), fetch_call(origin=DEEP),
    fetch_call(unknown=1), fetch_call(seq=1),
    fetch_call(pageUrl="https://evil.example/"), fetch_call(pageUrl=None),
    fetch_call(id=""), fetch_call(id=5), fetch_call(id="x" * 257), fetch_call(id="a\nb"),
    fetch_call(id=DEEP), fetch_call(requests=[]), fetch_call(requests="ftp://a.example/"),
    fetch_call(requests=["https://a.example/"] * 1001), fetch_call(requests=[DEEP]),
    fetch_call(requests=["ftp://podcast.example/x"]), fetch_call(requests=["/relative"]),
    fetch_call(requests=["https://user:pw@podcast.example/x"]),
    fetch_call(requests=["https://podcast.example:25/x"]),
    fetch_call(requests=["http://podcast.example/ep-5.mp3"]),  # mixed content
    fetch_call(requests=[{"url": "https://podcast.example/x", "method": "POST"}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "method": 1}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "body": "/etc/passwd"}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "integrity": 5}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "integrity": "sha256-" * 2000}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "headers": {"Cookie": "a=b"}}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "headers": {"Sec-Foo": "1"}}]),
    fetch_call(requests=[{"url": "https://podcast.example/x",
                          "headers": {"X-A": "1\r\nX-Injected: 1"}}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "headers": {"Bad Name": "1"}}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "headers": {"X-A": 1}}]),
    fetch_call(requests=[{"url": "https://podcast.example/x",
                          "headers": {f"X-{i}": "1" for i in range(65)}}]),
    fetch_call(requests=[{"url": "https://podcast.example/x", "headers": [["X-A"]]}]),
    fetch_call(dest="/tmp"), fetch_call(body="/etc/passwd"), fetch_call(proxy="http://p/"),
    fetch_call(options={"title": 5}), fetch_call(options={"title": "t" * 1025}),
    fetch_call(options={"downloadTotal": -1}), fetch_call(options={"downloadTotal": 1.5}),
    fetch_call(options={"downloadTotal": True}), fetch_call(options={"downloadTotal": 2**64}),
    fetch_call(options={"maxSpeed": 1}), fetch_call(options={"proxy": "http://p/"}),
    fetch_call(options={"icons": [{"src": "https://podcast.example/i.png"}] * 33}),
    fetch_call(options={"icons": [{"src": "http://podcast.example/i.png"}]}),  # mixed
    fetch_call(options={"icons": [{"src": "/i.png"}]}),
    fetch_call(options={"icons": [{"src": "https://podcast.example/i.png", "x": 1}]}),
    fetch_call(options=[]), fetch_call(cookies=[]), fetch_call(cookies={"1": "a=b"}),
    fetch_call(cookies={"00": "a=b"}), fetch_call(cookies={"-0": "a=b"}),
    fetch_call(cookies={"0": 5}), fetch_call(cookies={"0": "a=b\r\nX: y"}),
    fetch_call(cookies={"0": "a" * (64 * 1024 + 1)}),
])
async def test_hostile_fetch_calls_are_type_errors(api: WebApi, call: Any) -> None:
    await refused(api, call)


async def test_another_protocol_version_is_not_supported(api: WebApi) -> None:
    await refused(api, fetch_call(v=2), "NotSupportedError")


async def test_every_call_type_refuses_unknown_and_local_only_fields(api: WebApi) -> None:
    base: dict[str, dict[str, Any]] = {
        "hello": {"browser": "chromium", "native": True},
        "decision": {}, "get": {"id": "x"}, "getIds": {}, "abort": {"id": "x"},
        "matchAll": {"id": "x"}, "read": {"id": "x", "index": 0, "offset": 0, "length": 1},
        "download": {"urls": ["https://a.example/f"]}, "sites": {},
    }
    for kind, fields in base.items():
        for extra in ("dest", "body", "proxy", "somethingNew"):
            call = {"v": 1, "type": kind, "origin": ORIGIN, **fields, extra: "x"}
            message = await refused(api, call)
            assert extra in message or "unknown field" in message


async def test_read_and_match_fields_are_checked_before_the_id(api: WebApi) -> None:
    for fields in ({"index": -1, "offset": 0, "length": 1}, {"index": 0, "offset": -1,
                   "length": 1}, {"index": 0, "offset": 0, "length": 512 * 1024 + 1},
                   {"index": "0", "offset": 0, "length": 1}, {"index": 0, "offset": 0}):
        await refused(api, {"v": 1, "type": "read", "origin": ORIGIN, "id": "x", **fields})
    for fields in ({"options": {"ignoreSearch": 1}}, {"options": {"x": True}},
                   {"request": {"url": 5}}, {"request": "https://a.example/"},
                   {"request": {"url": "https://a.example/", "headers": {}}}):
        await refused(api, {"v": 1, "type": "matchAll", "origin": ORIGIN, "id": "x", **fields})


async def test_ids_are_per_origin_and_other_origins_ids_are_unknown(api: WebApi) -> None:
    other = "https://other.example"
    api.sites.allow(ORIGIN)
    api.sites.allow(other)
    first = await api.call(fetch_call())
    assert set(first) == {"id", "uploadTotal", "uploaded", "downloadTotal", "downloaded",
                          "result", "failureReason", "recordsAvailable", "state", "title"}
    assert (first["id"], first["downloadTotal"], first["result"]) == ("ep-5", 1000, "")
    await refused(api, fetch_call(), "TypeError")  # already active for this origin
    theirs = await api.call(fetch_call(origin=other, pageUrl=other + "/",
                                       requests=[other + "/ep-5.mp3"]))
    assert theirs["id"] == "ep-5"

    def call(kind: str, origin: str, **fields: Any) -> Any:
        return api.call({"v": 1, "type": kind, "origin": origin, **fields})

    assert await call("getIds", ORIGIN) == ["ep-5"]
    assert await call("getIds", "https://third.example") == []
    assert await call("get", "https://third.example", id="ep-5") is None
    for kind, fields in (("abort", {}), ("matchAll", {}),
                         ("read", {"index": 0, "offset": 0, "length": 10})):
        message = await refused(api, {"v": 1, "type": kind, "origin": "https://third.example",
                                      "id": "ep-5", **fields}, "NotFoundError")
        assert "podcast" not in message and "other" not in message
    assert await call("abort", other, id="ep-5") is True
    assert (await call("get", ORIGIN, id="ep-5"))["result"] == ""  # untouched by the other
    assert await call("getIds", other) == []
    assert await call("abort", other, id="ep-5") is False  # settled: nothing to abort
    [record] = await call("matchAll", ORIGIN, id="ep-5")
    assert record["url"] == "https://podcast.example/ep-5.mp3" and record["ready"] is False
    await refused(api, {"v": 1, "type": "read", "origin": ORIGIN, "id": "ep-5", "index": 0,
                        "offset": 0, "length": 10}, "InvalidStateError")
    await refused(api, {"v": 1, "type": "read", "origin": ORIGIN, "id": "ep-5", "index": 1,
                        "offset": 0, "length": 10}, "NotFoundError")
    # The user's full rights see both, each with its origin.
    assert sorted((r.origin, r.id) for r in api.manager.registrations()) == [
        (other, "ep-5"), (ORIGIN, "ep-5")]
    assert api.manager.find("ep-5").origin in (ORIGIN, other)


async def test_consent_once_always_deny_dismissed(api: WebApi) -> None:
    consent = Consent("dismissed", "deny")
    api.consent = consent
    await refused(api, fetch_call(), "NotAllowedError")
    assert api.sites.decision(ORIGIN) == "ask"
    await refused(api, fetch_call(), "NotAllowedError")
    assert api.sites.decision(ORIGIN) == "deny"
    await refused(api, fetch_call(), "NotAllowedError")  # remembered: nobody is asked
    assert consent.asked == [(ORIGIN, "Episode 5", 1000, 1)] * 2
    api.sites.forget(ORIGIN)
    consent.answers = ["once", "always"]
    await api.call(fetch_call(id="a"))
    assert api.sites.decision(ORIGIN) == "ask"
    await api.call(fetch_call(id="b"))
    await api.call(fetch_call(id="c"))  # remembered: not asked again
    assert len(consent.asked) == 4 and api.sites.decision(ORIGIN) == "allow"


async def test_concurrent_calls_of_one_origin_ask_once(api: WebApi) -> None:
    gate = asyncio.Event()

    class SlowConsent(Consent):
        async def ask(self, origin: str, title: str, download_total: int,
                      n_requests: int) -> ConsentAnswer:
            await gate.wait()
            return await super().ask(origin, title, download_total, n_requests)

    consent = SlowConsent("always")
    api.consent = consent
    calls = [asyncio.ensure_future(api.call(fetch_call(id=f"f{i}"))) for i in range(3)]
    await asyncio.sleep(0.05)
    gate.set()
    results = await asyncio.gather(*calls)
    assert [r["id"] for r in results] == ["f0", "f1", "f2"] and len(consent.asked) == 1


async def test_without_a_window_the_refusal_names_the_command(api: WebApi) -> None:
    api.consent = NoConsentUi()
    message = await refused(api, fetch_call(), "NotAllowedError")
    assert f"bgfetch sites allow {ORIGIN}" in message


async def test_quota_and_disk(api: WebApi, tmp_path: Path) -> None:
    api.sites.allow(ORIGIN, 1500)
    await api.call(fetch_call(id="a"))
    await refused(api, fetch_call(id="b", options={"downloadTotal": 2000}),
                  "QuotaExceededError")
    api.sites.allow(ORIGIN, 10**12)
    api._disk_free = lambda folder: 100
    await refused(api, fetch_call(id="c"), "QuotaExceededError")


async def test_download_hand_off_needs_no_consent_but_has_the_limits(api: WebApi) -> None:
    api.consent = NoConsentUi()
    call = {"v": 1, "type": "download", "urls": ["http://files.example/a.zip"],
            "pageUrl": "https://shop.example/p", "title": "A", "cookies": {"0": "s=1"}}
    result = await api.call(call)
    [reg] = api.manager.registrations()
    assert result == {"id": reg.id} and reg.origin == "" and reg.title == "A"
    assert reg.row.requests[0].request.headers == ()  # https page → http: no Referer
    assert reg.row.requests[0].secret
    for bad in ({"urls": []}, {"urls": ["file:///etc/passwd"]}, {"urls": ["https://a/"] * 1001},
                {"dest": "/tmp"}, {"urls": [{"url": "https://a.example/"}]}):
        await refused(api, {**call, **bad})


async def test_hello_decision_and_sites(api: WebApi) -> None:
    assert await api.call({"v": 1, "type": "hello", "browser": "firefox", "native": False}) \
        == {"version": 1, "engine": "gui"}
    await refused(api, {"v": 1, "type": "hello", "browser": "netscape", "native": False})
    api.sites.deny("https://b.example")
    assert await api.call({"v": 1, "type": "decision", "origin": "https://b.example"}) \
        == {"decision": "deny"}
    assert await api.call({"v": 1, "type": "decision", "origin": ORIGIN}) == {"decision": "ask"}
    assert await api.call({"v": 1, "type": "sites"}) == [
        {"origin": "https://b.example", "decision": "deny", "quota": 10 * 1024**3}]


async def test_events_of_web_fetches_only(api: WebApi) -> None:
    events: list[FetchEvent] = []
    api.manager.events.subscribe(events.append)
    api.sites.allow(ORIGIN)
    await api.call(fetch_call())
    await api.manager.fetch("mine", ["https://podcast.example/x"])
    shown = [event_json(e) for e in events]
    assert shown[1] is None  # the user's own fetch is nobody else's business
    assert shown[0] == {"event": "progress", "origin": ORIGIN,
                        "registration": (await api.call(
                            {"v": 1, "type": "get", "origin": ORIGIN, "id": "ep-5"}))}
    [reg] = [r for r in api.manager.registrations() if r.origin]
    api.manager.click(reg)
    clicked = event_json(events[-1])
    assert events[-1].kind == EventKind.CLICK and clicked is not None
    assert clicked["event"] == "click" and clicked["origin"] == ORIGIN
