"""Bad input of docs/contracts.md §1, §4 and §5: exit 2, exactly one line on stderr, no traceback.

And a refused command never stores anything, never starts a daemon, and never
disturbs the fetches that are already running.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.integration.cli_helpers import (
    HOLD_SETTINGS,
    Home,
    describe,
    file_size,
    sha256_file,
    stderr_lines,
    wait_until,
)
from tests.support.faultserver import FaultServer, content_sha256

GOOD = "http://127.0.0.1:9/never-contacted"  # only used where validation must fail first


def assert_usage_error(proc: subprocess.CompletedProcess[str], *must_mention: str) -> str:
    """Exit 2, exactly one non-empty line on stderr, no traceback; returns that line."""
    assert proc.returncode == 2, describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)
    lines = stderr_lines(proc)
    assert len(lines) == 1, describe(proc)
    for word in must_mention:
        assert word.lower() in lines[0].lower(), describe(proc)
    return lines[0]


def assert_nothing_happened(h: Home) -> None:
    """No registration stored, no engine started (checked without running bgfetch again)."""
    assert h.ping() is None, "a refused command started an engine"
    assert not (h.path / "daemon.log").exists(), "a refused command started a daemon"
    if h.db_path.exists():
        db = sqlite3.connect(f"file:{h.db_path}?mode=ro", uri=True)
        try:
            count = db.execute("SELECT COUNT(*) FROM registrations").fetchone()[0]
        except sqlite3.OperationalError:
            count = 0  # no schema yet: nothing stored
        finally:
            db.close()
        assert count == 0, "a refused fetch was stored"


# -- URLs and the request list (docs/contracts.md §1) ----------------------------------------------

BAD_FETCH_ARGS: list[tuple[str, list[str], tuple[str, ...]]] = [
    ("empty request list", ["fetch"], ()),
    ("empty request list with --wait", ["fetch", "--wait"], ()),
    ("file URL", ["fetch", "file:///etc/passwd"], ("file",)),
    ("data URL", ["fetch", "data:text/plain,hello"], ("data",)),
    ("ftp URL", ["fetch", "ftp://127.0.0.1/pub/x.iso"], ("ftp",)),
    ("javascript URL", ["fetch", "javascript:alert(1)"], ()),
    ("no scheme", ["fetch", "127.0.0.1/x"], ()),
    ("no host", ["fetch", "http://"], ()),
    # (http:///x is http://x/ to a browser, so it is accepted: WHATWG URL, issue 9.)
    ("empty host with port", ["fetch", "http://:80/x"], ()),
    ("broken IPv6", ["fetch", "http://[::1/x"], ()),
    ("port out of range", ["fetch", "http://127.0.0.1:99999/x"], ()),
    ("non-numeric port", ["fetch", "http://127.0.0.1:http/x"], ()),
    # (A space in the path is %20 to a browser; in the host it is an error.)
    ("space in URL", ["fetch", "http://127.0.0.1 /a"], ()),
    ("user:pass", ["fetch", "http://user:hunter2@127.0.0.1:8080/x"], ()),
    ("user:", ["fetch", "http://user:@127.0.0.1:8080/x"], ()),
    (":pass", ["fetch", "http://:hunter2@127.0.0.1:8080/x"], ()),
    ("user only", ["fetch", "http://user@127.0.0.1:8080/x"], ()),
    ("port 25", ["fetch", "http://127.0.0.1:25/x"], ("25",)),
    ("port 587", ["fetch", "http://127.0.0.1:587/x"], ("587",)),
    ("bad port with --wait", ["fetch", "--wait", "http://127.0.0.1:6667/x"], ("6667",)),
    ("second URL bad", ["fetch", "http://127.0.0.1:8080/ok", "gopher://127.0.0.1/x"], ("gopher",)),
    ("bad --download-total", ["fetch", "--download-total", "lots", GOOD], ("download-total",)),
    ("negative --download-total", ["fetch", "--download-total", "-5", GOOD], ("download-total",)),
    ("fraction of a byte", ["fetch", "--download-total", "1.5", GOOD], ("download-total",)),
    ("unknown unit", ["fetch", "--download-total", "10X", GOOD], ("download-total",)),
    ("empty --download-total", ["fetch", "--download-total", "", GOOD], ("download-total",)),
    ("unknown command", ["frobnicate"], ()),
    ("no command", [], ()),
    ("unknown option", ["fetch", "--frob", GOOD], ("--frob",)),
    ("unknown list option", ["list", "--all"], ("--all",)),
    ("show without id", ["show"], ()),
    ("manifest and URL", ["fetch", "--manifest", "x.bgfetch", GOOD], ()),
    ("missing manifest", ["fetch", "--manifest", "does-not-exist.bgfetch"], ()),
]


@pytest.mark.parametrize(
    ("argv", "mention"),
    [pytest.param(argv, mention, id=name) for name, argv, mention in BAD_FETCH_ARGS],
)
def test_bad_command_line(home: Home, argv: list[str], mention: tuple[str, ...]) -> None:
    proc = home.run(*argv)
    line = assert_usage_error(proc, *mention)
    assert "hunter2" not in line, "a password was echoed to the terminal"
    assert_nothing_happened(home)


def test_dest_that_is_a_file(home: Home, fault_server: FaultServer) -> None:
    target = home.path.parent / "a-file"
    target.write_text("x")
    proc = home.run("fetch", "--dest", str(target), fault_server.url("d.bin"))
    assert_usage_error(proc)
    assert target.read_text() == "x"
    assert_nothing_happened(home)
    assert fault_server.requests == []


@pytest.mark.parametrize("command", ["show", "wait", "pause", "resume", "abort"])
def test_unknown_id_without_an_engine(home: Home, command: str) -> None:
    proc = home.run(command, "no-such-fetch")
    assert_usage_error(proc, "no-such-fetch")
    assert home.ping() is None


# -- duplicate ids and download_total -----------------------------------------------------------


def test_duplicate_active_id_is_refused_until_it_settles(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    slow = fault_server.url("slow.bin", size=1 << 20, seed=1, hold="X", hold_after=1 << 19)
    other = fault_server.url("other.bin", size=1000, seed=2)

    home.ok("fetch", "--id", "X", "--dest", str(dest), slow)

    for extra in ([], ["--wait"]):
        proc = home.run("fetch", *extra, "--id", "X", "--dest", str(dest), other)
        assert_usage_error(proc, "X")
    assert [r["id"] for r in home.list_json()] == ["X"]
    assert fault_server.requests_for("other.bin") == []

    fault_server.release("X")
    assert home.run("wait", "X").returncode == 0
    assert sha256_file(dest / "slow.bin") == content_sha256(1 << 20, 1)

    # settled: the id is free again
    proc = home.run("fetch", "--wait", "--id", "X", "--dest", str(dest), other)
    assert proc.returncode == 0, describe(proc)
    regs = home.list_json()
    assert [r["id"] for r in regs] == ["X", "X"]
    assert [r["result"] for r in regs] == ["success", "success"]


def test_duplicate_id_of_a_paused_fetch_with_no_engine(
    home: Home, fault_server: FaultServer
) -> None:
    """The registration is active (paused) but no engine runs: still refused."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    slow = fault_server.url("slow.bin", size=1 << 20, seed=1, hold="P", hold_after=1 << 19)
    home.ok("fetch", "--id", "P", "--dest", str(dest), slow)
    home.ok("pause", "P")
    home.ok("quit")
    assert home.ping() is None

    for extra in (["--wait"], []):
        proc = home.run("fetch", *extra, "--id", "P", "--dest", str(dest),
                        fault_server.url("x.bin"))
        assert_usage_error(proc, "P")
    reg = home.show("P")
    assert reg["state"] == "paused" and reg["result"] == ""
    assert fault_server.requests_for("x.bin") == []


def _upload_manifest(folder: Path, url: str, body: Path, total: int) -> Path:
    manifest = folder / "up.bgfetch"
    manifest.write_text(json.dumps({
        "id": "up",
        "requests": [{"url": url, "method": "POST", "body": str(body)}],
        "options": {"downloadTotal": total},
    }))
    return manifest


def test_a_manifest_cannot_upload_local_files(
    home: Home, fault_server: FaultServer, tmp_path: Path
) -> None:
    """A .bgfetch may come from any web page: a request body (a local file) is refused whole.

    (The engine's own check, bodies larger than downloadTotal, is in tests/unit.)"""
    body = tmp_path / "upload.bin"
    body.write_bytes(b"u" * 5000)
    manifest = _upload_manifest(tmp_path, fault_server.url("up"), body, 1000)

    for extra in (["--wait"], []):
        proc = home.run("fetch", *extra, "--manifest", str(manifest))
        assert_usage_error(proc, "requests[0].body")
        assert home.list_json() == []
    assert fault_server.requests == []


@pytest.mark.parametrize("problem", ["download total exceeded", "missing body file"])
def test_refused_fetch_leaves_no_idle_daemon(
    home: Home, fault_server: FaultServer, tmp_path: Path, problem: str
) -> None:
    """`fetch` (no --wait) that the engine would refuse must not leave a daemon behind.

    Everything that can be judged without the store (check_fetch) should be judged
    before `bgfetch daemon` is started; otherwise a refused command leaves an idle
    headless engine running until the user finds and quits it.
    """
    body = tmp_path / "upload.bin"
    if problem == "download total exceeded":
        body.write_bytes(b"u" * 5000)
    manifest = _upload_manifest(tmp_path, fault_server.url("up"), body, 1000)

    proc = home.run("fetch", "--manifest", str(manifest))

    assert_usage_error(proc)
    assert_nothing_happened(home)


# -- manifests (docs/contracts.md §5) --------------------------------------------------------------


def _manifest_cases(url: str) -> list[tuple[str, Any, tuple[str, ...]]]:
    """(name, manifest content or raw text, words the message must contain)."""
    return [
        ("bad JSON", '{"id": "m", "requests": [', ("json",)),
        ("not UTF-8", b"\xff\xfe{}", ()),
        ("empty file", "", ()),
        ("a list", [url], ()),
        ("id not a string", {"id": 5, "requests": [url]}, ("id",)),
        ("empty id", {"id": "", "requests": [url]}, ("id",)),
        ("requests missing", {"id": "m"}, ("requests",)),
        ("requests a number", {"id": "m", "requests": 5}, ("requests",)),
        ("requests empty", {"id": "m", "requests": []}, ("requests",)),
        ("request a number", {"id": "m", "requests": [7]}, ("requests",)),
        ("url not a string", {"id": "m", "requests": [{"url": 7}]}, ("url",)),
        ("url missing", {"id": "m", "requests": [{"method": "GET"}]}, ("url",)),
        ("method not a string", {"id": "m", "requests": [{"url": url, "method": 1}]},
         ("method",)),
        ("headers not an object", {"id": "m", "requests": [{"url": url, "headers": "x"}]},
         ("headers",)),
        ("header value not a string",
         {"id": "m", "requests": [{"url": url, "headers": {"Accept": 1}}]}, ("headers",)),
        ("options not an object", {"id": "m", "requests": [url], "options": []}, ("options",)),
        ("title not a string", {"id": "m", "requests": [url], "options": {"title": 5}},
         ("title",)),
        ("downloadTotal a string",
         {"id": "m", "requests": [url], "options": {"downloadTotal": "60M"}}, ("downloadTotal",)),
        ("downloadTotal negative",
         {"id": "m", "requests": [url], "options": {"downloadTotal": -1}}, ("downloadTotal",)),
        ("downloadTotal a bool",
         {"id": "m", "requests": [url], "options": {"downloadTotal": True}}, ("downloadTotal",)),
        ("downloadTotal a float",
         {"id": "m", "requests": [url], "options": {"downloadTotal": 1.5}}, ("downloadTotal",)),
        ("icons not a list", {"id": "m", "requests": [url], "options": {"icons": "x.png"}},
         ("icons",)),
        ("icon without src", {"id": "m", "requests": [url], "options": {"icons": [{}]}},
         ("icons",)),
        ("icon sizes a number",
         {"id": "m", "requests": [url], "options": {"icons": [{"src": "a.png", "sizes": 3}]}},
         ("icons",)),
        ("unknown scheme", {"id": "m", "requests": ["gopher://127.0.0.1/x"]},
         ("requests", "gopher")),
        ("unknown scheme in second request",
         {"id": "m", "requests": [url, {"url": "file:///etc/passwd"}]}, ("requests[1]",)),
        ("credentials in URL",
         {"id": "m", "requests": ["http://u:hunter2@127.0.0.1:8080/x"]}, ("requests",)),
        ("bad port", {"id": "m", "requests": ["http://127.0.0.1:25/x"]}, ("requests",)),
        ("icon with unknown scheme",
         {"id": "m", "requests": [url], "options": {"icons": [{"src": "ftp://127.0.0.1/i.png"}]}},
         ("icons",)),
    ]


_CASE_NAMES = [c[0] for c in _manifest_cases("http://127.0.0.1:1/x")]


@pytest.mark.parametrize("case", _CASE_NAMES)
def test_bad_manifest_is_refused_as_a_whole(
    home: Home, fault_server: FaultServer, tmp_path: Path, case: str
) -> None:
    url = fault_server.url("m.bin", size=100)
    _, data, mention = next(c for c in _manifest_cases(url) if c[0] == case)
    path = tmp_path / "bad.bgfetch"
    if isinstance(data, bytes):
        path.write_bytes(data)
    elif isinstance(data, str):
        path.write_text(data, encoding="utf-8")
    else:
        path.write_text(json.dumps(data), encoding="utf-8")

    proc = home.run("fetch", "--manifest", str(path))

    line = assert_usage_error(proc, *mention)
    assert "hunter2" not in line
    assert_nothing_happened(home)
    assert fault_server.requests == [], "part of a refused manifest was fetched"


# -- a bad command never disturbs a running fetch --------------------------------------------


def test_bad_input_leaves_running_fetches_alone(
    home: Home, fault_server: FaultServer, tmp_path: Path
) -> None:
    dest = home.path.parent / "out"
    size = 2 << 20
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("keep.bin", size=size, seed=3, rate=1_000_000,
                          hold="keep", hold_after=size // 2)
    home.ok("fetch", "--id", "keep", "--dest", str(dest), url)
    wait_until(lambda: file_size(dest / "keep.bin.part") > 0, 60, what="the download to start")
    assert home.ping() is not None

    bad_manifest = tmp_path / "bad.bgfetch"
    bad_manifest.write_text(json.dumps({"id": "keep", "requests": ["ftp://127.0.0.1/x"]}))
    dup_manifest = tmp_path / "dup.bgfetch"
    dup_manifest.write_text(json.dumps({"id": "keep", "requests": [fault_server.url("dup")]}))
    commands = [
        ["fetch"],
        ["fetch", "file:///etc/passwd"],
        ["fetch", "http://u:p@127.0.0.1:8080/x"],
        ["fetch", "http://127.0.0.1:25/x"],
        ["fetch", "--id", "keep", "--dest", str(dest), fault_server.url("dup")],
        ["fetch", "--wait", "--id", "keep", fault_server.url("dup")],
        ["fetch", "--manifest", str(dup_manifest)],
        ["fetch", "--manifest", str(bad_manifest)],
        ["fetch", "--download-total", "huge", fault_server.url("dup")],
        ["show", "nope"],
        ["wait", "nope"],
        ["pause", "nope"],
        ["resume", "nope"],
        ["abort", "nope"],
        ["frobnicate"],
    ]
    for argv in commands:
        assert_usage_error(home.run(*argv))

    reg = home.show("keep")
    assert reg["result"] == "" and reg["state"] == "downloading"
    assert [r["id"] for r in home.list_json()] == ["keep"]
    fault_server.release("keep")
    waited = home.run("wait", "keep")
    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "keep.bin") == content_sha256(size, 3)
    assert fault_server.requests_for("dup") == []
    assert [r["id"] for r in home.list_json()] == ["keep"]
