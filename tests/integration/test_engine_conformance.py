"""The engine against the web-platform-tests for Background Fetch
(background-fetch/*.https.window.js), on a real server and a real SQLite file."""

from __future__ import annotations

import asyncio
import hashlib
import json
from pathlib import Path

import pytest

from bgfetch_gui.engine.errors import InvalidFetch, QuotaExceeded
from bgfetch_gui.engine.events import EventKind
from bgfetch_gui.engine.model import FetchOptions, FetchRequest
from bgfetch_gui.ui import present
from tests.integration.engine_fixtures import Engine, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256


def sha256(path: object) -> str:
    with open(str(path), "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


async def test_duplicate_active_id_rejects_until_settled(engine: Engine, fault_server: FaultServer):
    # Held until the duplicate was refused: `first` is surely still active then.
    slow = fault_server.url("slow", size=200_000, hold="slow", hold_after=100_000)
    first = await engine.manager.fetch("dup", [slow])
    with pytest.raises(InvalidFetch, match="already active"):
        await engine.manager.fetch("dup", [slow])
    fault_server.release("slow")
    await engine.settled(first)
    second = await engine.manager.fetch("dup", [fault_server.url("other", size=10)])
    await engine.settled(second)
    assert second.result == "success"


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "data:text/plain,hi", "ftp://127.0.0.1/x", "not a url", "http://",
    "http://user:pass@127.0.0.1/x", "http://user:@127.0.0.1/x", "http://:pass@127.0.0.1/x",
    "http://127.0.0.1:587/x", "http://127.0.0.1:25/x",
])
async def test_bad_requests_reject(engine: Engine, url: str):
    with pytest.raises(InvalidFetch):
        await engine.manager.fetch("bad", [url])
    assert engine.manager.get_ids() == []
    assert engine.manager.registrations() == []


async def test_empty_requests_reject(engine: Engine):
    with pytest.raises(InvalidFetch, match="at least one request"):
        await engine.manager.fetch("empty", [])


async def test_fresh_registration_fields(engine: Engine, fault_server: FaultServer):
    reg = await engine.manager.fetch(
        "fresh", [fault_server.url("f", size=100_000, hold="f")],  # no byte before release
        FetchOptions(title="Fresh", download_total=100_000),
    )
    assert (reg.id, reg.title, reg.download_total) == ("fresh", "Fresh", 100_000)
    assert reg.result == "" and reg.failure_reason == "" and reg.downloaded == 0
    assert reg.upload_total == 0 and reg.uploaded == 0 and reg.records_available
    assert engine.manager.get("fresh") is reg
    assert engine.manager.get_ids() == ["fresh"]
    fault_server.release("f")
    await engine.settled(reg)
    assert engine.manager.get("fresh") is None and engine.manager.get_ids() == []


async def test_same_url_twice_gives_two_records(engine: Engine, fault_server: FaultServer):
    url = fault_server.url("twice.bin", size=5000, seed=3)
    reg = await engine.settled(await engine.manager.fetch("twice", [url, url]))
    records = await reg.match_all()
    assert reg.result == "success" and len(records) == 2
    assert [r.status for r in records] == [200, 200]
    paths = {r.path for r in records}
    assert len(paths) == 2, "the second body must not overwrite the first"
    for record in records:
        assert sha256(record.path) == content_sha256(5000, 3)
    assert len(await reg.match_all(url)) == 2
    assert await reg.match(url + "&x=1") is None
    assert await reg.match(url + "&x=1", ignore_search=True) is not None


async def test_abort_returns_true_then_false_and_spares_others(
    engine: Engine, fault_server: FaultServer
):
    other_url = fault_server.url("o", size=300_000, rate=1_000_000)
    other = await engine.manager.fetch("other", [other_url])
    victim = await engine.manager.fetch("victim", [fault_server.url("v", size=10**7, rate=10**6)])
    assert await victim.abort() is True
    assert await victim.abort() is False
    assert (victim.result, victim.failure_reason) == ("failure", "aborted")
    assert EventKind.ABORT in engine.kinds(victim)
    await engine.settled(other)
    assert other.result == "success"
    assert sha256((await other.match_all())[0].path) == content_sha256(300_000)
    assert not list(victim.dest.glob("*.part")), "an aborted fetch leaves no partial files"


async def test_404_fails_with_bad_status(engine: Engine, fault_server: FaultServer):
    reg = await engine.settled(await engine.manager.fetch("gone", [
        fault_server.url("ok", size=10), fault_server.url("missing", status=404),
    ]))
    assert (reg.result, reg.failure_reason) == ("failure", "bad-status")
    assert EventKind.FAIL in engine.kinds(reg)
    missing = await reg.match(fault_server.url("missing", status=404))
    assert missing is not None and missing.status == 404


async def test_download_total_smaller_than_content(engine: Engine, fault_server: FaultServer):
    for name, params in (("known", {}), ("chunked", {"nolength": 1})):
        reg = await engine.settled(await engine.manager.fetch(
            name, [fault_server.url(name, size=2_000_000, **params)],
            FetchOptions(download_total=1000),
        ))
        assert (reg.result, reg.failure_reason) == ("failure", "download-total-exceeded")
        # Stopped at once: far fewer bytes than the file were read.
        assert reg.downloaded < 1_100_000


async def test_progress_reaches_download_total(engine: Engine, fault_server: FaultServer):
    size = 3_000_000
    reg = await engine.manager.fetch(
        "progress", [fault_server.url("p", size=size, rate=6_000_000)],
        FetchOptions(download_total=size),
    )
    await engine.settled(reg)
    progress = [
        e for e in engine.events if e.kind == EventKind.PROGRESS and e.snapshot.id == "progress"
    ]
    assert reg.result == "success" and reg.downloaded == size
    assert progress[-1].snapshot.downloaded == size
    counts = [e.snapshot.downloaded for e in progress]
    assert counts == sorted(counts)
    assert 3 <= len(progress) <= 12, "throttled to at most 10 updates a second over ~0.5 s"


async def test_get_ids_and_get_return_what_was_registered(
    engine: Engine, fault_server: FaultServer
):
    slow = {"size": 100_000, "rate": 100_000}
    a = await engine.manager.fetch("a", [fault_server.url("a", **slow)], FetchOptions(title="A"))
    b = await engine.manager.fetch("b", [fault_server.url("b", **slow)], FetchOptions(title="B"))
    assert sorted(engine.manager.get_ids()) == ["a", "b"]
    assert engine.manager.get("a") is a and engine.manager.get("b").title == "B"
    assert engine.manager.get("c") is None
    await a.abort()
    await b.abort()


async def test_records_of_completed_requests_survive_a_failure(
    engine: Engine, fault_server: FaultServer
):
    # The failing answer comes late, so the first file is complete by then.
    failing = f"{fault_server.base_url}/slow-headers?s=0.5&status=410"
    reg = await engine.settled(await engine.manager.fetch("partial", [
        fault_server.url("done", size=1000), failing,
    ]))
    assert reg.failure_reason == "bad-status"
    done = await reg.match(fault_server.url("done", size=1000))
    assert done is not None and done.complete and done.size == 1000


async def test_upload_counts_bytes(engine: Engine, fault_server: FaultServer, tmp_path):
    body = tmp_path / "body.bin"
    body.write_bytes(b"x" * 70_000)
    request = FetchRequest(f"{fault_server.base_url}/upload", method="POST", body=body)
    reg = await engine.settled(await engine.manager.fetch("up", [request]))
    assert reg.result == "success"
    assert (reg.upload_total, reg.uploaded) == (70_000, 70_000)
    record = await reg.match(request, ignore_method=True)
    assert record is not None and record.path is not None
    assert json.loads(record.path.read_text()) == {
        "size": 70_000, "sha256": hashlib.sha256(b"x" * 70_000).hexdigest()}


# -- issue 9: the spec's rules where bgfetch used to break them ----------------------------
# Each test is named after the step of the WICG spec (index.bs) or the Fetch standard
# it checks.


def _post(url: str, body: Path | None = None, method: str = "POST") -> FetchRequest:
    return FetchRequest(url, method=method, body=body)


async def test_fetch_a_non_get_request_is_never_sent_twice(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
):
    """Rule 1: a dropped connection and a 503 fail a POST at once, with one request sent."""
    body = tmp_path / "form"
    body.write_bytes(b"a=1")
    dropped = fault_server.url("dropped", size=100_000, drop_after=1000)
    busy = fault_server.url("busy", size=1000, fail=5)
    reg = await engine.settled(await engine.manager.fetch("posts", [_post(dropped, body)]))
    assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
    reg = await engine.settled(await engine.manager.fetch("puts", _post(busy, method="PUT")))
    assert (reg.result, reg.failure_reason) == ("failure", "bad-status")
    assert [r.method for r in fault_server.requests_for("dropped")] == ["POST"]
    assert [r.method for r in fault_server.requests_for("busy")] == ["PUT"]


async def test_display_rule_a_fetch_with_a_non_get_request_cannot_be_paused(
    engine: Engine, fault_server: FaultServer
):
    """Rule 1: pausing would mean sending the POST again; the refusal says why."""
    with fault_server.holding("post") as key:
        reg = await engine.manager.fetch(
            "unpausable", [fault_server.url("g", size=10), _post(fault_server.url(
                "p", size=100_000, hold=key, hold_after=10))])
        assert "POST" in reg.pause_refusal
        with pytest.raises(InvalidFetch, match="cannot be paused: its POST request"):
            await engine.manager.pause(reg)
        assert reg.active and not reg.row.paused
    assert (await engine.settled(reg)).result == "success"


async def test_fetch_an_interrupted_non_get_request_is_not_sent_again(
    tmp_path: Path, fault_server: FaultServer
):
    """Rule 1: an engine stopped while a PUT was under way fails it at the next start."""
    engine = await start_engine(tmp_path)
    try:
        url = fault_server.url("put", size=100_000, hold="put", hold_after=10)
        reg = await engine.manager.fetch("put", [_post(url, method="PUT")])
        await fault_server.until_held("put")
    finally:
        await stop_engine(engine)
    fault_server.release("put")
    engine = await start_engine(tmp_path)
    try:
        reg = await engine.settled(engine.manager.find("put"))
        assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
        assert len(fault_server.requests_for("put")) == 1
        with pytest.raises(InvalidFetch, match="does not send it twice"):
            await engine.manager.retry(reg)
    finally:
        await stop_engine(engine)


async def test_download_total_is_a_hard_budget_for_a_body_of_unknown_length(
    engine: Engine, fault_server: FaultServer
):
    """Rule 2: chunked, no Content-Length: never more than downloadTotal bytes stored."""
    reg = await engine.settled(await engine.manager.fetch(
        "chunked", [fault_server.url("c.bin", size=3_000_000, nolength=1)],
        FetchOptions(download_total=100_000),
    ))
    assert (reg.result, reg.failure_reason) == ("failure", "download-total-exceeded")
    assert reg.downloaded <= 100_000
    assert sum(p.stat().st_size for p in reg.dest.iterdir() if p.is_file()) <= 100_000


async def test_upload_total_request_bodies_do_not_count_toward_download_total(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
):
    """Rule 2: a 50 kB upload answered by a small reply fits a 1 kB downloadTotal."""
    body = tmp_path / "big-form"
    body.write_bytes(b"y" * 50_000)
    reg = await engine.settled(await engine.manager.fetch(
        "upload-budget", [_post(f"{fault_server.base_url}/upload", body)],
        FetchOptions(download_total=1000),
    ))
    assert reg.result == "success", reg.failure_reason
    assert (reg.upload_total, reg.uploaded) == (50_000, 50_000) and reg.downloaded < 1000


async def test_fetch_step_quota_check_refuses_more_than_the_free_space(engine: Engine):
    """Rule 3: QuotaExceededError at fetch(), naming the space needed and free."""
    needed = 2**62
    with pytest.raises(QuotaExceeded, match=f"needs .*{needed} bytes.* free") as refused:
        await engine.manager.fetch("huge", ["http://127.0.0.1:1234/x"],
                                   FetchOptions(download_total=needed))
    assert refused.value.needed == needed and 0 < refused.value.free < needed
    assert engine.manager.registrations() == []


@pytest.mark.parametrize("target", [
    "file:///etc/passwd", "ftp://127.0.0.1/x", "http://127.0.0.1:25/x",
])
async def test_http_redirect_fetch_checks_every_hop_like_the_first_url(
    engine: Engine, fault_server: FaultServer, target: str
):
    """Rule 4: a refused hop fails the fetch at once: no retry, one request sent."""
    url = fault_server.url("hop", redirect_to=target)
    reg = await engine.settled(await engine.manager.fetch("bad-hop", [url]), timeout=5)
    assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
    assert len(fault_server.requests_for("hop")) == 1


async def test_http_redirect_fetch_follows_twenty_redirects_not_twenty_one(
    engine: Engine, fault_server: FaultServer
):
    """Rule 4: the Fetch standard's limit is 20; the final URL is the response's URL."""
    url = fault_server.url("r.bin", size=5000, redirect=20)
    ok = await engine.settled(await engine.manager.fetch("twenty", [url]))
    assert ok.result == "success"
    record = (await ok.match_all())[0]
    assert record.path is not None and sha256(record.path) == content_sha256(5000)
    assert record.response_url == fault_server.url("r.bin", size=5000)
    too_many = await engine.settled(await engine.manager.fetch(
        "twenty-one", [fault_server.url("l.bin", size=5000, redirect=21)]))
    assert (too_many.result, too_many.failure_reason) == ("failure", "fetch-error")
    assert len(fault_server.requests_for("l.bin")) == 21, "a redirect loop is not retried"


async def test_http_redirect_fetch_recomputes_what_depends_on_the_origin(
    engine: Engine, fault_server: FaultServer
):
    """Rule 4: cross-origin, Cookie and Authorization go, the Referer becomes the origin."""
    page = f"{fault_server.base_url}/page.html?secret=1"
    request = FetchRequest(f"{fault_server.base_url}/redirect-cross", headers=(
        ("Cookie", "session=1"), ("Authorization", "Basic eDp5"), ("Referer", page)))
    reg = await engine.settled(await engine.manager.fetch("cross", [request]))
    assert reg.result == "success"
    record = (await reg.match_all())[0]
    assert record.response_url == f"http://localhost:{fault_server.port}/echo-headers"
    assert record.path is not None
    sent = json.loads(record.path.read_text())
    assert "Cookie" not in sent and "Authorization" not in sent
    assert sent["Referer"] == f"{fault_server.base_url}/"


async def test_fetch_step_the_upload_body_is_the_one_given_at_fetch(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
):
    """Rule 5: a snapshot in the data folder is sent, counted while it goes, then removed."""
    size = 32 << 20  # far more than loopback socket buffers hold (~10 MB at most)
    body = tmp_path / "body.bin"
    body.write_bytes(b"1" * size)
    upload = f"{fault_server.base_url}/upload?rate=20000000"  # read over ~1.6 s
    reg = await engine.manager.fetch("snap", [_post(upload, body)])
    body.write_bytes(b"2" * (size + 1000))  # changed (and grown) after fetch() returned
    await engine.settled(reg)
    assert reg.result == "success"
    assert (reg.upload_total, reg.uploaded) == (size, size)
    record = (await reg.match_all())[0]
    assert record.path is not None
    assert json.loads(record.path.read_text()) == {
        "size": size, "sha256": hashlib.sha256(b"1" * size).hexdigest()}
    progress = [e.snapshot for e in engine.events
                if e.kind == EventKind.PROGRESS and e.snapshot.key == reg.key]
    assert any(0 < p.uploaded < size for p in progress), "no progress while uploading"
    assert max(p.uploaded for p in progress) <= size
    snapshots = engine.home / "bodies"
    async with asyncio.timeout(5):
        while any(snapshots.iterdir()):
            await asyncio.sleep(0.01)


async def test_complete_a_record_a_failed_request_does_not_stop_the_others(
    engine: Engine, fault_server: FaultServer
):
    """Rule 6: the 404 comes first, the other files still complete and stay readable."""
    slow = {"size": 400_000, "rate": 2_000_000}
    urls = [fault_server.url("ep-4.jpg", **slow), fault_server.url("ep-5.jpg", status=404),
            fault_server.url("ep-6.jpg", **slow)]
    reg = await engine.settled(await engine.manager.fetch("three", urls))
    assert (reg.result, reg.failure_reason) == ("failure", "bad-status")
    records = await reg.match_all()
    assert [r.complete for r in records] == [True, False, True]
    assert records[1].status == 404
    for record in (records[0], records[2]):
        assert record.path is not None and sha256(record.path) == content_sha256(400_000)
    assert present.state_words(reg.snapshot()) == \
        "2 of 3 files; ep-5.jpg: the server answered 404 Not Found"


async def test_match_as_the_cache_api_method_vary_and_fragment(
    engine: Engine, fault_server: FaultServer
):
    """Rule 7: a HEAD record needs ignore_method; Vary is honoured unless ignore_vary."""
    head_url = fault_server.url("h", size=10)
    vary_url = fault_server.url("v", size=10, vary="Accept-Language")
    reg = await engine.settled(await engine.manager.fetch("match", [
        FetchRequest(head_url, method="HEAD"),
        FetchRequest(vary_url, headers=(("Accept-Language", "fi"),)),
    ]))
    assert reg.result == "success"
    assert await reg.match(head_url) is None
    assert await reg.match(FetchRequest(head_url, method="HEAD")) is None
    assert (await reg.match(head_url, ignore_method=True)).index == 0
    assert await reg.match(FetchRequest(vary_url, headers=(("Accept-Language", "en"),))) is None
    assert await reg.match(vary_url) is None
    same = FetchRequest(vary_url + "#part", headers=(("accept-language", "fi"),))
    assert (await reg.match(same)).index == 1
    assert (await reg.match(vary_url, ignore_vary=True)).index == 1
    assert len(await reg.match_all()) == 2


async def test_fetch_step_4_a_single_request_is_a_list_of_one(
    engine: Engine, fault_server: FaultServer
):
    """Rule 8: a bare URL string is one request, not one per character."""
    url = fault_server.url("single.bin", size=1000)
    reg = await engine.settled(await engine.manager.fetch("single", url))
    assert reg.result == "success" and [r.request.url for r in reg.records()] == [url]


@pytest.mark.parametrize(("method", "body", "problem"), [
    ("TRACE", False, "forbidden"), ("connect", False, "forbidden"), ("TRACK", False, "forbidden"),
    ("GE T", False, "not a valid HTTP method"), ("", False, "not a valid HTTP method"),
    ("GET", True, "cannot have a body"), ("HEAD", True, "cannot have a body"),
])
async def test_request_constructor_refuses_forbidden_methods_and_get_bodies(
    engine: Engine, tmp_path: Path, method: str, body: bool, problem: str
):
    """Rule 8: the Fetch standard's Request constructor, steps "method" and "body"."""
    data = tmp_path / "b"
    data.write_bytes(b"x")
    request = FetchRequest("http://127.0.0.1:8000/x", method=method, body=data if body else None)
    with pytest.raises(InvalidFetch, match=problem):
        await engine.manager.fetch("m", [request])
    assert engine.manager.registrations() == []


async def test_request_constructor_allows_any_other_token_method(
    engine: Engine, fault_server: FaultServer
):
    """Rule 8: PROPFIND is a token and not forbidden: it is sent as is."""
    reg = await engine.settled(await engine.manager.fetch(
        "dav", [FetchRequest(fault_server.url("dav", size=10), method="PROPFIND")]))
    assert reg.result == "success"
    assert [r.method for r in fault_server.requests_for("dav")] == ["PROPFIND"]


async def test_url_parser_parses_as_browsers_do(engine: Engine, fault_server: FaultServer):
    """Rule 8: WHATWG URL: tabs and newlines stripped, an empty userinfo is no credentials;
    a newline with '<' is dangling markup and refused."""
    url = fault_server.url("wh.bin", size=100)
    messy = url.replace("/file/", "/fi\tle/\n").replace("http://", "http://@")
    reg = await engine.settled(await engine.manager.fetch("whatwg", [messy]))
    assert reg.result == "success" and reg.records()[0].request.url == url
    with pytest.raises(InvalidFetch, match="dangling markup"):
        await engine.manager.fetch("markup", [url + "\n<img"])


async def test_abort_records_of_unfinished_requests_expose_no_response(
    engine: Engine, fault_server: FaultServer
):
    """Rule 9: after abort(), a request that had not completed has no status, headers
    or path; a completed one stays readable."""
    with fault_server.holding("ab") as key:
        reg = await engine.manager.fetch("aborted", [
            fault_server.url("done.bin", size=1000),
            fault_server.url("cut.bin", size=200_000, hold=key, hold_after=50_000)])
        await fault_server.until_held(key)
        async with asyncio.timeout(10):
            while not reg.records()[0].complete:
                await asyncio.sleep(0.01)
        assert await reg.abort()
    done, cut = reg.records()
    assert done.complete and done.status == 200 and done.path is not None
    assert sha256(done.path) == content_sha256(1000)
    assert (cut.status, cut.headers, cut.path, cut.size) == (None, (), None, 0)
    assert not cut.response_ready


async def test_update_ui_once_from_success_or_fail_never_after_abort(
    engine: Engine, fault_server: FaultServer
):
    """Rule 10: update_ui() is for the success and fail handlers, once."""
    ok = await engine.settled(await engine.manager.fetch("ui", fault_server.url("u", size=10)))
    await ok.update_ui(title="Done")
    assert ok.title == "Done"
    with pytest.raises(InvalidFetch, match="only once"):
        await ok.update_ui(title="Again")
    with fault_server.holding("ui-abort") as key:
        aborted = await engine.manager.fetch(
            "ui-abort", fault_server.url("ua", size=100_000, hold=key, hold_after=10))
        await aborted.abort()
    with pytest.raises(InvalidFetch, match="success or fail handler"):
        await aborted.update_ui(title="Nope")
    assert aborted.title == ""


async def test_http_network_fetch_206_covering_the_whole_body_is_a_success(
    engine: Engine, fault_server: FaultServer
):
    """Rule 11: 206 with Content-Range bytes 0-N/N+1 to a request without Range."""
    url = fault_server.url("whole.bin", size=70_000, whole206=1)
    reg = await engine.settled(await engine.manager.fetch("whole206", [url]))
    assert reg.result == "success", reg.failure_reason
    record = (await reg.match_all())[0]
    assert record.status == 206 and record.path is not None
    assert sha256(record.path) == content_sha256(70_000)
    assert len(fault_server.requests_for("whole.bin")) == 1
