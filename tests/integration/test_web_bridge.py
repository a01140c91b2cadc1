"""Web calls through the engine's CommandHandler, as the native host sends them: real
SQLite, real downloads from the fault server, the file keyring of keyrings.alt.

The fault server on ``127.0.0.1`` and the same server as ``localhost`` are two
origins, which is all the cookie and scoping tests need.
"""

from __future__ import annotations

import asyncio
import base64
import configparser
import hashlib
import json
import logging
import threading
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import keyring
import keyring.backend
import pytest
from aiohttp import web
from keyrings.alt.file import PlaintextKeyring

from bgfetch_gui.engine.api import CommandHandler
from bgfetch_gui.engine.credentials import Credential, origin_of
from bgfetch_gui.engine.secrets import Headers, MemorySecrets
from bgfetch_gui.engine.web.sites import Sites
from bgfetch_gui.engine.web.webapi import ConsentAnswer
from bgfetch_gui.platform.secrets import KeyringSecrets
from tests.integration.engine_fixtures import Engine, start_engine, stop_engine
from tests.integration.test_credentials import SavedCredentials
from tests.support.faultserver import FaultServer, content

SECRET = "session=c00kie-hunter2"


class ScriptedConsent:
    def __init__(self, *answers: ConsentAnswer) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []

    async def ask(self, origin: str, title: str, download_total: int,
                  n_requests: int) -> ConsentAnswer:
        self.asked.append(origin)
        return self.answers.pop(0)


@dataclass
class Bridge:
    """An engine and its command handler, called like the native host calls it."""

    engine: Engine
    handler: CommandHandler
    consent: ScriptedConsent

    async def call(self, kind: str, origin: str | None, **fields: Any) -> dict[str, Any]:
        call = {"v": 1, "type": kind, **fields}
        if origin is not None:
            call["origin"] = origin
        replies = [r async for r in self.handler.handle({"cmd": "web", "call": call})]
        assert len(replies) == 1 and replies[0]["done"] is True
        return replies[0]

    async def ok(self, kind: str, origin: str | None, **fields: Any) -> Any:
        reply = await self.call(kind, origin, **fields)
        assert reply["ok"], reply
        return reply["result"]

    async def refused(self, name: str, kind: str, origin: str | None, **fields: Any) -> str:
        reply = await self.call(kind, origin, **fields)
        assert not reply["ok"] and reply["name"] == name and reply["code"] == 2, reply
        return str(reply["error"])

    async def settled(self, origin: str, fetch_id: str, timeout: float = 30.0) -> dict[str, Any]:
        async with asyncio.timeout(timeout):
            while True:
                [record] = [r for r in self.engine.manager.registrations()
                            if r.origin == origin and r.id == fetch_id][-1:]
                if not record.active:
                    return {"result": record.result, "reason": str(record.failure_reason)}
                await asyncio.sleep(0.02)


@pytest.fixture
def file_keyring(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """keyrings.alt's plain file keyring in a temporary folder (tests only)."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    previous = keyring.get_keyring()
    backend = PlaintextKeyring()
    keyring.set_keyring(backend)
    yield Path(backend.file_path)
    keyring.set_keyring(previous)


@pytest.fixture
async def bridge(tmp_path: Path, file_keyring: Path) -> AsyncIterator[Bridge]:
    engine = await start_engine(tmp_path / "home")
    consent = ScriptedConsent()
    sites = Sites(engine.manager.store)
    engine.manager.secrets = KeyringSecrets(tmp_path / "home")
    engine.manager.quota_of = sites.quota
    handler = CommandHandler(engine.manager, "gui", lambda: None, sites=sites, consent=consent)
    yield Bridge(engine, handler, consent)
    await stop_engine(engine)


def in_keyring(path: Path) -> str:
    """Everything the file keyring holds, decoded (it stores values in base64)."""
    parser = configparser.RawConfigParser()
    parser.read(path)
    return "".join(base64.b64decode(parser.get(section, option)).decode()
                   for section in parser.sections() for option in parser.options(section))


def origins(server: FaultServer) -> tuple[str, str]:
    return server.base_url, f"http://localhost:{server.port}"


def fetch_fields(origin: str, fetch_id: str, urls: list[str], **options: Any) -> dict[str, Any]:
    return {"pageUrl": origin + "/podcast/page.html", "id": fetch_id, "requests": urls,
            "options": options}


async def test_two_origins_see_only_their_own_fetches(bridge: Bridge, fault_server: FaultServer):
    mine, theirs = origins(fault_server)
    bridge.handler.sites.allow(mine)
    bridge.handler.sites.allow(theirs)
    events: list[dict[str, Any]] = []

    async def follow() -> None:
        async for reply in bridge.handler.handle({"cmd": "web-events"}):
            events.append(reply)

    follower = asyncio.ensure_future(follow())
    slow = fault_server.url("slow.bin", size=200_000, rate=100_000)
    await bridge.ok("fetch", mine, **fetch_fields(mine, "ep", [slow]))
    await bridge.ok("fetch", theirs, **fetch_fields(theirs, "ep", [fault_server.url("a.bin")]))
    await bridge.engine.manager.fetch("ep", [fault_server.url("local.bin")])
    assert await bridge.ok("getIds", mine) == ["ep"]
    assert await bridge.ok("abort", theirs, id="ep") is True
    assert (await bridge.ok("get", mine, id="ep"))["result"] == ""
    assert await bridge.settled(mine, "ep") == {"result": "success", "reason": ""}
    assert await bridge.settled(theirs, "ep") == {"result": "failure", "reason": "aborted"}
    async with asyncio.timeout(5):
        while not any(e["event"] == "success" for e in events):
            await asyncio.sleep(0.02)
    follower.cancel()
    assert {e["origin"] for e in events} == {mine, theirs}  # never the user's own fetch
    ours = [e for e in events if e["origin"] == mine]
    assert ours[-1]["event"] == "success" and ours[-1]["registration"]["downloaded"] == 200_000
    assert any(e["event"] == "progress" for e in ours)
    assert [e["event"] for e in events if e["origin"] == theirs][-1] == "abort"
    # The CLI's full rights: both, each with its origin; its own id first.
    listed = [r async for r in bridge.handler.handle({"cmd": "list"})][-1]["registrations"]
    assert sorted(r["origin"] for r in listed if r["id"] == "ep") == ["", mine, theirs]
    shown = [r async for r in bridge.handler.handle({"cmd": "show", "id": "ep"})][-1]
    assert shown["registration"]["origin"] == ""


async def test_consent_deny_once_always(bridge: Bridge, fault_server: FaultServer):
    origin = fault_server.base_url
    bridge.consent.answers = ["deny"]
    fields = fetch_fields(origin, "a", [fault_server.url("a.bin")])
    message = await bridge.refused("NotAllowedError", "fetch", origin, **fields)
    assert origin in message
    assert await bridge.ok("decision", origin) == {"decision": "deny"}
    await bridge.refused("NotAllowedError", "fetch", origin, **fields)
    assert bridge.consent.asked == [origin]  # remembered
    sites = [r async for r in bridge.handler.handle({"cmd": "sites", "action": "forget",
                                                     "origin": origin})][-1]
    assert sites["forgotten"] is True
    bridge.consent.answers = ["once", "always"]
    await bridge.ok("fetch", origin, **fields)
    assert await bridge.ok("decision", origin) == {"decision": "ask"}
    await bridge.ok("fetch", origin, **fetch_fields(origin, "b", [fault_server.url("b.bin")]))
    await bridge.ok("fetch", origin, **fetch_fields(origin, "c", [fault_server.url("c.bin")]))
    assert len(bridge.consent.asked) == 3
    assert await bridge.ok("decision", origin) == {"decision": "allow"}
    for fetch_id in "abc":
        assert (await bridge.settled(origin, fetch_id))["result"] == "success"


async def test_quota_refuses_up_front_and_stops_a_fetch_that_would_pass_it(
    bridge: Bridge, fault_server: FaultServer
):
    origin = fault_server.base_url
    bridge.handler.sites.allow(origin, 150_000)
    await bridge.ok("fetch", origin, **fetch_fields(origin, "a", [fault_server.url("a.bin",
                                                                                   size=100_000)]))
    assert (await bridge.settled(origin, "a"))["result"] == "success"
    await bridge.refused("QuotaExceededError", "fetch", origin,
                         **fetch_fields(origin, "b", [fault_server.url("b.bin")],
                                        downloadTotal=60_000))
    # Sizes unknown up front: stopped once the server tells (or the bytes show) it is too big.
    for fetch_id, url in (("c", fault_server.url("c.bin", size=60_000)),
                          ("d", fault_server.url("d.bin", size=300_000, nolength=True))):
        await bridge.ok("fetch", origin, **fetch_fields(origin, fetch_id, [url]))
        assert await bridge.settled(origin, fetch_id) == {"result": "failure",
                                                          "reason": "quota-exceeded"}
        reg = bridge.engine.manager.find(fetch_id, origin)
        assert reg.downloaded <= 50_000 + 1024 * 1024  # at most one read past what was left
    assert bridge.engine.manager.origin_usage(origin) < 150_000 + 1024 * 1024


async def test_mixed_content_is_refused(bridge: Bridge, fault_server: FaultServer):
    origin = "https://podcast.example"
    bridge.handler.sites.allow(origin)
    message = await bridge.refused(
        "TypeError", "fetch", origin,
        **fetch_fields(origin, "a", ["http://podcast.example/ep.mp3"]))
    assert "mixed content" in message
    # Loopback over http is trustworthy, even from an https page.
    await bridge.ok("fetch", origin, **fetch_fields(origin, "b", [fault_server.url("b.bin")]))
    assert (await bridge.settled(origin, "b"))["result"] == "success"
    [seen] = fault_server.requests_for("b.bin")
    assert "Referer" not in seen.headers  # https page → http URL: no Referer


async def test_read_serves_the_stored_body_in_chunks(bridge: Bridge, fault_server: FaultServer):
    origin = fault_server.base_url
    bridge.handler.sites.allow(origin)
    size = 1_300_000
    await bridge.ok("fetch", origin, **fetch_fields(
        origin, "ep", [fault_server.url("ep.bin", size=size), fault_server.url("x.bin")]))
    assert (await bridge.settled(origin, "ep"))["result"] == "success"
    records = await bridge.ok("matchAll", origin, id="ep")
    assert [(r["index"], r["status"], r["statusText"], r["ready"], r["size"]) for r in records] \
        == [(0, 200, "OK", True, size), (1, 200, "OK", True, 1024)]
    assert ["content-length", str(size)] in records[0]["headers"]
    [matched] = await bridge.ok("matchAll", origin, id="ep",
                                request={"url": fault_server.url("x.bin")})
    assert matched["index"] == 1
    body, offset, eof = b"", 0, False
    while not eof:
        chunk = await bridge.ok("read", origin, id="ep", index=0, offset=offset,
                                length=512 * 1024)
        data = base64.b64decode(chunk["data"])
        assert len(data) <= 512 * 1024
        body, offset, eof = body + data, offset + len(data), chunk["eof"]
    assert body == content(size)
    assert await bridge.ok("read", origin, id="ep", index=0, offset=size + 5, length=10) \
        == {"data": "", "eof": True}
    await bridge.refused("NotFoundError", "read", f"http://localhost:{fault_server.port}",
                         id="ep", index=0, offset=0, length=10)
    # The page's Referer: its full URL to its own origin.
    [seen] = fault_server.requests_for("ep.bin")
    assert seen.headers["Referer"] == origin + "/podcast/page.html"


async def test_cookies_go_to_their_origin_only_and_live_in_the_keyring_only(
    bridge: Bridge, fault_server: FaultServer, file_keyring: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
):
    caplog.set_level(logging.DEBUG)
    origin, other = origins(fault_server)
    bridge.handler.sites.allow(origin)
    elsewhere = f"{other}/echo-headers"
    requests = [
        fault_server.url("slow.bin", size=150_000, rate=100_000),
        f"{origin}/echo-headers",
        fault_server.url("hop", redirect_to=elsewhere),
        fault_server.url("plain.bin"),
    ]
    cookies = {"0": SECRET + "-0", "1": SECRET + "-1", "2": SECRET + "-2"}
    await bridge.ok("fetch", origin, **fetch_fields(origin, "c", requests), cookies=cookies)
    # While the fetch runs, the keyring holds them.
    assert SECRET in in_keyring(file_keyring)
    assert (await bridge.settled(origin, "c"))["result"] == "success"
    reg = bridge.engine.manager.find("c", origin)
    records = await reg.match_all()
    assert fault_server.requests_for("slow.bin")[0].headers["Cookie"] == SECRET + "-0"
    same_origin = json.loads(records[1].path.read_text())
    assert same_origin["Cookie"] == SECRET + "-1"
    assert fault_server.requests_for("hop")[0].headers["Cookie"] == SECRET + "-2"
    cross_origin = json.loads(records[2].path.read_text())
    assert "Cookie" not in cross_origin, "a cookie followed a cross-origin redirect"
    assert "Cookie" not in fault_server.requests_for("plain.bin")[0].headers
    # Settled: deleted from the keyring; never in SQLite or the log.
    async with asyncio.timeout(5):
        while SECRET in in_keyring(file_keyring):
            await asyncio.sleep(0.02)
    await stop_engine(bridge.engine)
    downloads = bridge.engine.manager.downloads_dir  # where the echoed headers were saved
    checked = [path for path in (tmp_path / "home").rglob("*")
               if path.is_file() and downloads not in path.parents]
    assert any(path.name.startswith("bgfetch.sqlite3") for path in checked)
    for path in checked:
        assert SECRET.encode() not in path.read_bytes(), f"cookie found in {path}"
    assert SECRET not in caplog.text
    bridge.engine = await start_engine(tmp_path / "home")  # for the fixture's stop


async def test_cookies_survive_a_restart_until_the_fetch_settles(
    bridge: Bridge, fault_server: FaultServer, file_keyring: Path, tmp_path: Path
):
    origin = fault_server.base_url
    bridge.handler.sites.allow(origin)
    url = fault_server.url("long.bin", size=400_000, rate=100_000)
    await bridge.ok("fetch", origin, **fetch_fields(origin, "r", [url]), cookies={"0": SECRET})
    async with asyncio.timeout(10):
        while bridge.engine.manager.find("r", origin).downloaded < 50_000:
            await asyncio.sleep(0.02)
    await stop_engine(bridge.engine)  # a checkpoint, as at logout
    assert SECRET in in_keyring(file_keyring)
    bridge.engine = await start_engine(tmp_path / "home")
    bridge.engine.manager.secrets = KeyringSecrets(tmp_path / "home")
    reg = bridge.engine.manager.find("r", origin)
    await bridge.engine.settled(reg)
    assert reg.result == "success"
    resumed = fault_server.requests_for("long.bin")[-1]
    assert "Range" in resumed.headers and resumed.headers["Cookie"] == SECRET
    async with asyncio.timeout(5):
        while SECRET in in_keyring(file_keyring):
            await asyncio.sleep(0.02)


async def test_a_hand_off_is_the_users_own_fetch(bridge: Bridge, fault_server: FaultServer):
    result = await bridge.ok("download", None, urls=[fault_server.url("a.bin"),
                                                     fault_server.url("b.bin")],
                             pageUrl="https://shop.example/list", title="Two files",
                             cookies={"1": SECRET})
    reg = bridge.engine.manager.find(result["id"])
    assert reg.origin == "" and reg.title == "Two files" and bridge.consent.asked == []
    await bridge.engine.settled(reg)
    assert reg.result == "success"
    assert reg.dest.parent == bridge.engine.manager.downloads_dir
    assert fault_server.requests_for("b.bin")[0].headers["Cookie"] == SECRET
    assert "Cookie" not in fault_server.requests_for("a.bin")[0].headers


async def test_a_broken_call_gets_an_answer_not_a_crash(bridge: Bridge):
    for call in (None, [], {"v": 1}, {"v": 1, "type": "fetch", "origin": "https://a.example",
                                      "dest": "/"}):
        [reply] = [r async for r in bridge.handler.handle({"cmd": "web", "call": call})]
        assert reply["done"] and not reply["ok"] and reply["name"] == "TypeError"


async def test_a_cookie_a_server_set_in_one_fetch_never_reaches_another(bridge: Bridge):
    """Only the browser decides which cookies a request carries: what a server sets during
    one origin's fetch must not ride along with another origin's (or the user's) fetches."""

    async def set_cookie(request: web.Request) -> web.Response:
        return web.Response(text="set", headers={"Set-Cookie": "leak=1; Path=/"})

    async def echo(request: web.Request) -> web.Response:
        return web.Response(text=request.headers.get("Cookie", ""))

    app = web.Application()
    app.router.add_get("/set", set_cookie)
    app.router.add_get("/echo", echo)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        first, second = f"http://localhost:{port}", f"http://127.0.0.1:{port}"
        for origin in (first, second):
            bridge.handler.sites.allow(origin)
        await bridge.ok("fetch", first, **fetch_fields(first, "a", [f"{first}/set"]))
        assert (await bridge.settled(first, "a"))["result"] == "success"
        await bridge.ok("fetch", second, **fetch_fields(second, "b", [f"{first}/echo"]))
        assert (await bridge.settled(second, "b"))["result"] == "success"
        [record] = await bridge.engine.manager.find("b", second).match_all()
        assert record.path is not None and record.path.read_text() == ""
    finally:
        await runner.cleanup()


async def test_a_page_reads_only_its_own_or_cors_allowed_responses(
    bridge: Bridge, fault_server: FaultServer
):
    page = f"http://localhost:{fault_server.port}"
    bridge.handler.sites.allow(page)

    async def cors(request: web.Request) -> web.Response:
        return web.Response(text="shared", headers={
            "Access-Control-Allow-Origin": request.query["allow"], "X-Extra": "1"})

    app = web.Application()
    app.router.add_get("/cors", cors)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    other = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]
    try:
        urls = [f"{page}/file/own.bin?size=100", fault_server.url("private.bin", size=100),
                f"{other}/cors?allow={page}", f"{other}/cors?allow=*",
                f"{other}/cors?allow=https://elsewhere.example"]
        await bridge.ok("fetch", page, **fetch_fields(page, "f", urls))
        assert (await bridge.settled(page, "f"))["result"] == "success"
        records = await bridge.ok("matchAll", page, id="f")
        readable = [bool(r["headers"]) for r in records]
        assert readable == [True, False, True, True, False]
        for index, expected in enumerate(readable):
            reply = await bridge.call("read", page, id="f", index=index, offset=0, length=100)
            assert reply["ok"] is expected, reply
            if not expected:
                assert reply["name"] == "TypeError" and "CORS" in reply["error"]
    finally:
        await runner.cleanup()


async def test_a_redirect_to_another_site_makes_the_response_unreadable(
    bridge: Bridge, fault_server: FaultServer
):
    """The page's own URL that redirects elsewhere (a router on the LAN, a local
    service) must not let the page read what that other site answered."""
    page = f"http://localhost:{fault_server.port}"
    bridge.handler.sites.allow(page)
    elsewhere = fault_server.url("lan-secret.bin", size=100)  # 127.0.0.1: another origin
    urls = [f"{page}/redirect-cross?to={quote(elsewhere, safe='')}",
            f"{page}/redirect-cross?to={quote(page + '/file/own.bin?size=100', safe='')}"]
    await bridge.ok("fetch", page, **fetch_fields(page, "r", urls))
    assert (await bridge.settled(page, "r"))["result"] == "success"
    records = await bridge.ok("matchAll", page, id="r")
    assert [bool(r["headers"]) for r in records] == [False, True]
    refused = await bridge.call("read", page, id="r", index=0, offset=0, length=100)
    assert refused["ok"] is False and refused["name"] == "TypeError"
    allowed = await bridge.call("read", page, id="r", index=1, offset=0, length=100)
    assert allowed["ok"] is True


async def test_a_pages_fetch_never_uses_the_users_saved_credentials(
    bridge: Bridge, fault_server: FaultServer
):
    fault_server.require_auth("private.bin", "alice", "s3cret")
    url = fault_server.url("private.bin", size=100)
    bridge.engine.manager.credentials = SavedCredentials(
        {origin_of(url): Credential("alice", "s3cret")})
    origin = fault_server.base_url
    bridge.handler.sites.allow(origin)
    await bridge.ok("fetch", origin, **fetch_fields(origin, "p", [url]))
    assert await bridge.settled(origin, "p") == {"result": "failure", "reason": "bad-status"}
    assert all("Authorization" not in r.headers for r in fault_server.requests_for("private.bin"))
    mine = await bridge.engine.manager.fetch("mine", [url])  # the user's own: it may
    await bridge.engine.settled(mine)
    assert mine.result == "success"


async def test_a_fetch_that_settles_before_its_cookies_are_saved_still_forgets_them(
    tmp_path: Path, fault_server: FaultServer
):
    class SlowKeyring(MemorySecrets):
        """Saving waits for the test, as a keyring that asks to be unlocked would."""

        def __init__(self) -> None:
            super().__init__()
            self.gate = threading.Event()

        def save(self, reg_key: int, idx: int, headers: Headers) -> None:
            assert self.gate.wait(10)
            super().save(reg_key, idx, headers)

    engine = await start_engine(tmp_path)
    secrets = SlowKeyring()
    engine.manager.secrets = secrets
    try:
        url = fault_server.url("quick.bin", size=100)
        registering = asyncio.ensure_future(engine.manager.fetch(
            "q", [url], origin=fault_server.base_url, secret_headers={0: (("Cookie", SECRET),)}))
        async with asyncio.timeout(10):  # it runs, with its cookie, while the save waits
            while not engine.manager.registrations() or engine.manager.registrations()[0].active:
                await asyncio.sleep(0.01)
        assert fault_server.requests_for("quick.bin")[0].headers["Cookie"] == SECRET
        assert not registering.done()
        secrets.gate.set()
        reg = await registering
        async with asyncio.timeout(5):
            while reg.row.requests[0].secret:
                await asyncio.sleep(0.01)
        assert secrets.load(reg.key, 0) == ()
    finally:
        await stop_engine(engine)


async def test_fetch_step_4_a_page_may_pass_a_single_request(
    bridge: Bridge, fault_server: FaultServer
):
    """Issue 9, rule 8: ``requests`` may be one URL or one request object, not a list."""
    origin, _other = origins(fault_server)
    bridge.handler.sites.allow(origin)
    url = fault_server.url("one.bin", size=100)
    for fetch_id, single in (("s", url), ("o", {"url": url, "method": "GET"})):
        fields = fetch_fields(origin, fetch_id, [])
        fields["requests"] = single
        await bridge.ok("fetch", origin, **fields)
        assert (await bridge.settled(origin, fetch_id))["result"] == "success"
        [record] = await bridge.ok("matchAll", origin, id=fetch_id)
        assert record["url"] == url and record["ready"] is True
    # The bridge's own rule stays: no method with side effects without a CORS preflight.
    fields = fetch_fields(origin, "p", [])
    fields["requests"] = {"url": url, "method": "POST"}
    await bridge.refused("TypeError", "fetch", origin, **fields)


async def test_http_redirect_fetch_a_pages_referer_is_recomputed_at_each_hop(
    bridge: Bridge, fault_server: FaultServer
):
    """Issue 9, rule 4: the full page URL to its own origin; only the origin after a hop
    to another origin; a hop to ftp: fails at once, without a retry."""
    origin, other = origins(fault_server)
    bridge.handler.sites.allow(origin)
    urls = [f"{origin}/echo-headers",
            fault_server.url("hop", redirect_to=f"{other}/echo-headers")]
    await bridge.ok("fetch", origin, **fetch_fields(origin, "ref", urls))
    assert (await bridge.settled(origin, "ref"))["result"] == "success"
    same, cross = await bridge.engine.manager.find("ref", origin).match_all()
    assert json.loads(same.path.read_text())["Referer"] == origin + "/podcast/page.html"
    assert json.loads(cross.path.read_text())["Referer"] == origin + "/"
    assert cross.response_url == f"{other}/echo-headers"
    bad = [fault_server.url("to-ftp", redirect_to="ftp://127.0.0.1/x")]
    await bridge.ok("fetch", origin, **fetch_fields(origin, "ftp", bad))
    assert await bridge.settled(origin, "ftp", timeout=5) == {
        "result": "failure", "reason": "fetch-error"}
    assert len(fault_server.requests_for("to-ftp")) == 1


async def test_a_pages_integrity_is_checked_as_fetch_checks_it(
    bridge: Bridge, fault_server: FaultServer
):
    """docs/contracts.md §12: a Request's integrity goes through the bridge with its
    Referer; no known algorithm checks nothing (as in a browser), a mismatch fails."""
    origin = fault_server.base_url
    bridge.handler.sites.allow(origin)
    size = 300_000
    digest = base64.b64encode(hashlib.sha384(content(size, 3)).digest()).decode()
    right = f"sha384-{digest}?ct=application/octet-stream"
    url = fault_server.url("ep.bin", size=size, seed=3)
    cases = {"right": right, "wrong": f"sha384-{'A' * 64}", "unknown": "md5-whatever"}
    for fetch_id, integrity in cases.items():
        await bridge.ok("fetch", origin, **fetch_fields(
            origin, fetch_id, [{"url": url, "integrity": integrity}]))
    outcomes = {fetch_id: await bridge.settled(origin, fetch_id) for fetch_id in cases}
    assert outcomes == {"right": {"result": "success", "reason": ""},
                        "wrong": {"result": "failure", "reason": "fetch-error"},
                        "unknown": {"result": "success", "reason": ""}}
    wrong = bridge.engine.manager.find("wrong", origin).snapshot()
    assert wrong.problem == f"integrity check failed: expected sha384-{'A' * 64} got " \
        f"sha384-{digest}"
    [record] = await bridge.ok("matchAll", origin, id="right")
    assert record["integrity"] == right and record["ready"]
    # The page's Referer was added without losing the metadata.
    assert all(seen.headers["Referer"] == origin + "/podcast/page.html"
               for seen in fault_server.requests_for("ep.bin"))
    [unchecked] = await bridge.ok("matchAll", origin, id="unknown")
    assert unchecked["integrity"] == ""
