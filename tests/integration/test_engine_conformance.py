"""The engine against the web-platform-tests for Background Fetch
(background-fetch/*.https.window.js), on a real server and a real SQLite file."""

from __future__ import annotations

import hashlib
import json

import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.events import EventKind
from bgfetch_gui.engine.model import FetchOptions, FetchRequest
from tests.integration.engine_fixtures import Engine
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
