"""The ``bgfetch`` command as a user or a script sees it (docs/contracts.md §3, §4, §5).

Real processes, a real SQLite database in a private data folder, and the
fault server on 127.0.0.1. Nothing here imports the engine to drive it: every
action goes through the command line.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
from pathlib import Path

import pytest

import bgfetch_gui
from tests.integration.cli_helpers import (
    HOLD_SETTINGS,
    Home,
    describe,
    file_size,
    sha256_file,
    stderr_lines,
    wait_until,
)
from tests.support.faultserver import FaultServer, content, content_sha256

SHOW_KEYS = {
    "id", "title", "result", "failure_reason", "state", "downloaded", "download_total",
    "uploaded", "upload_total", "dest", "origin", "records", "connections",
    "problem", "problem_file", "problem_status", "problem_code", "problem_at",
}
LIST_KEYS = SHOW_KEYS - {"records"}
RECORD_KEYS = {"url", "status", "path", "size", "sha256", "replaced_url", "skipped"}  # §4, §12, §13
ACTIVE_STATES = {"queued", "waiting-for-network", "downloading", "paused", "retrying"}


def _no_part_files(folder: Path) -> bool:
    return not any(p.name.endswith(".part") for p in folder.rglob("*"))


# -- fetch --wait -------------------------------------------------------------------------


def test_fetch_wait_gives_byte_identical_files(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    small = fault_server.url("small.bin", size=300_001, seed=1)
    large = fault_server.url("large.bin", size=(3 << 20) + 7, seed=2)
    empty = fault_server.url("empty.bin", size=0, seed=3)

    proc = home.run("fetch", "--wait", "--id", "two", "--dest", str(dest), small, large, empty)

    assert proc.returncode == 0, describe(proc)
    assert "Traceback" not in proc.stderr
    assert proc.stdout.strip() == "", "with --id nothing but the id could be printed"
    assert sha256_file(dest / "small.bin") == content_sha256(300_001, 1)
    assert sha256_file(dest / "large.bin") == content_sha256((3 << 20) + 7, 2)
    assert (dest / "empty.bin").stat().st_size == 0
    assert _no_part_files(dest)


def test_generated_id_is_the_first_stdout_line(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("gen.bin", size=10_000)

    proc = home.run("fetch", "--wait", "--dest", str(dest), url)

    assert proc.returncode == 0, describe(proc)
    first = proc.stdout.splitlines()[0].strip()
    assert first and " " not in first
    reg = home.show(first)
    assert reg["id"] == first
    assert reg["result"] == "success"
    assert home.ids() == [first]


def test_show_and_list_json_shapes(home: Home, fault_server: FaultServer) -> None:
    """The keys of docs/contracts.md §4; paths absolute even for a relative --dest; size on disk."""
    cwd = home.path.parent
    url_a = fault_server.url("a.bin", size=123_456, seed=4)
    url_b = fault_server.url("b.bin", size=1, seed=5)

    proc = home.run("fetch", "--wait", "--id", "shape", "--title", "Shapes",
                    "--dest", "rel/dir", url_a, url_b, cwd=cwd)
    assert proc.returncode == 0, describe(proc)

    shown = home.run("show", "shape", "--json")
    assert shown.returncode == 0, describe(shown)
    reg = json.loads(shown.stdout)
    assert set(reg) == SHOW_KEYS
    assert reg["id"] == "shape"
    assert reg["title"] == "Shapes"
    assert reg["result"] == "success"
    assert reg["failure_reason"] == ""
    assert reg["state"] == "success"
    assert reg["downloaded"] == 123_457
    assert reg["download_total"] == 0
    assert reg["uploaded"] == 0 and reg["upload_total"] == 0
    assert os.path.isabs(reg["dest"])
    assert Path(reg["dest"]).resolve() == (cwd / "rel" / "dir").resolve()
    assert [r["url"] for r in reg["records"]] == [url_a, url_b]
    for record, size, seed in zip(reg["records"], (123_456, 1), (4, 5), strict=True):
        assert set(record) == RECORD_KEYS
        assert record["sha256"] == content_sha256(size, seed)  # docs/contracts.md §12
        assert record["status"] == 200
        assert os.path.isabs(record["path"])
        assert Path(record["path"]).parent.resolve() == Path(reg["dest"]).resolve()
        assert record["size"] == size == os.path.getsize(record["path"])

    # `fetch --wait --json` prints the same object when the fetch settles
    again = home.run("fetch", "--wait", "--json", "--id", "shape2", "--dest", "rel/dir2", url_b,
                     cwd=cwd)
    assert again.returncode == 0, describe(again)
    printed = json.loads(again.stdout.strip().splitlines()[-1])
    assert set(printed) == SHOW_KEYS and printed["id"] == "shape2"
    assert set(printed["records"][0]) == RECORD_KEYS - {"sha256"}  # hashed for `show` only
    assert os.path.isabs(printed["dest"]) and os.path.isabs(printed["records"][0]["path"])

    listed = home.run("list", "--json")
    assert listed.returncode == 0, describe(listed)
    regs = json.loads(listed.stdout)
    regs = [r for r in regs if r["id"] == "shape"]
    assert isinstance(regs, list) and len(regs) == 1
    assert set(regs[0]) == LIST_KEYS
    assert regs[0] == {k: v for k, v in reg.items() if k != "records"}


def test_status_is_null_before_a_response(home: Home, fault_server: FaultServer) -> None:
    """A request whose server has not answered yet: status null, size 0."""
    slow = f"{fault_server.base_url}/slow-headers?s=30"
    dest = home.path.parent / "out"

    proc = home.run("fetch", "--id", "noanswer", "--dest", str(dest), slow)
    assert proc.returncode == 0, describe(proc)
    wait_until(lambda: fault_server.requests, 10, what="the request to reach the server")

    reg = home.show("noanswer")
    assert set(reg) == SHOW_KEYS
    assert reg["result"] == ""
    assert reg["state"] in ACTIVE_STATES
    [record] = reg["records"]
    assert set(record) == RECORD_KEYS
    assert record["status"] is None and record["sha256"] is None
    assert record["size"] == 0
    assert record["url"] == slow
    home.ok("abort", "noanswer")


# -- the detached daemon ----------------------------------------------------------------------


def test_fetch_without_wait_hands_over_to_a_daemon(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    size = 2 << 20
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("daemon.bin", size=size, seed=6, hold="daemon", hold_after=size // 2)

    # The body is held until released below, so returning at all proves `fetch` is detached.
    proc = home.run("fetch", "--dest", str(dest), url)

    assert proc.returncode == 0, describe(proc)
    fetch_id = proc.stdout.splitlines()[0].strip()
    reg = home.show(fetch_id)
    assert reg["result"] == "", "fetch returned only after the download ended: not detached"
    info = home.ping()
    assert info is not None and info["kind"] == "daemon"
    assert (home.path / "daemon.log").exists()

    text = home.run("list")
    assert text.returncode == 0 and fetch_id in text.stdout, describe(text)
    assert fetch_id in home.ids()

    fault_server.release("daemon")
    reg = home.wait_state(fetch_id, "success", timeout=60)
    assert reg["downloaded"] == size
    assert sha256_file(dest / "daemon.bin") == content_sha256(size, 6)


def test_pause_resume_abort_through_the_daemon(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    size = 3 << 19
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("pr.bin", size=size, seed=7, rate=1_500_000,
                          hold="pr", hold_after=size // 2)
    part = dest / "pr.bin.part"

    home.ok("fetch", "--id", "pr", "--dest", str(dest), url)
    wait_until(lambda: file_size(part) > 100_000, 60, what="bytes on disk")
    fault_server.wait_held("pr")

    home.ok("pause", "pr")
    reg = home.show("pr")
    assert reg["state"] == "paused" and reg["result"] == ""
    wait_until(lambda: fault_server.held("pr") == 0, 60, what="the paused connection to close")
    fault_server.release("pr")  # from now on the server would send, if anyone still read
    before = reg["downloaded"]
    time.sleep(0.4)
    reg = home.show("pr")
    assert reg["state"] == "paused"
    assert reg["downloaded"] == before, "a paused fetch went on downloading"
    assert reg["records"][0]["size"] == file_size(part), "size must be the bytes on disk"
    assert 0 < before < size

    home.ok("resume", "pr")
    assert home.show("pr")["state"] in {"queued", "downloading", "success"}
    reg = home.wait_state("pr", "success", timeout=60)
    assert sha256_file(dest / "pr.bin") == content_sha256(size, 7)
    ranges = [r.range for r in fault_server.requests_for("pr.bin") if r.range]
    assert ranges, "resume after pause must continue with a Range request"

    # abort: a second fetch, aborted mid-way
    url2 = fault_server.url("ab.bin", size=size, seed=8, rate=1_000_000,
                           hold="ab", hold_after=size // 2)
    home.ok("fetch", "--id", "ab", "--dest", str(dest), url2)
    wait_until(lambda: file_size(dest / "ab.bin.part") > 50_000, 60, what="bytes on disk")
    aborted = home.run("abort", "ab")
    assert aborted.returncode == 0, describe(aborted)
    reg = home.show("ab")
    assert (reg["result"], reg["failure_reason"], reg["state"]) == ("failure", "aborted", "failure")
    waited = home.run("wait", "ab")
    assert waited.returncode == 1, describe(waited)
    assert "failure: aborted" in stderr_lines(waited)
    assert not (dest / "ab.bin").exists()


def test_wait_exit_codes(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    good = fault_server.url("good.bin", size=1 << 20, seed=9, rate=2_000_000)
    bad = fault_server.url("bad.bin", status=404)

    home.ok("fetch", "--id", "good", "--dest", str(dest), good)
    home.ok("fetch", "--id", "bad", "--dest", str(dest), bad)

    ok = home.run("wait", "good")
    assert ok.returncode == 0, describe(ok)
    assert sha256_file(dest / "good.bin") == content_sha256(1 << 20, 9)
    failed = home.run("wait", "bad")
    assert failed.returncode == 1, describe(failed)
    assert stderr_lines(failed)[-1] == "failure: bad-status", describe(failed)

    # Once settled, `wait` answers at once with the same codes, with or without an engine.
    home.ok("quit")
    assert home.ping() is None
    assert home.run("wait", "good").returncode == 0
    again = home.run("wait", "bad")
    assert again.returncode == 1 and "failure: bad-status" in stderr_lines(again)


def test_quit_stops_the_daemon(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("q.bin", size=3 << 19, rate=1_500_000, hold="q", hold_after=1 << 19)
    home.ok("fetch", "--id", "q", "--dest", str(dest), url)
    wait_until(lambda: file_size(dest / "q.bin.part") > 0, 60, what="the download to start")
    info = home.ping()
    assert info is not None and info["kind"] == "daemon"
    pid = home.engine_pid()
    assert pid == info["pid"]

    proc = home.run("quit")

    assert proc.returncode == 0, describe(proc)
    assert home.ping() is None
    assert home.engine_pid() is None
    wait_until(lambda: pid not in home.processes(), 60, what="the daemon process to exit")
    reg = home.show("q")  # answered from the database now
    assert reg["result"] == "" and 0 < reg["downloaded"] < 3 << 19
    # ...and the work resumes with the next engine
    fault_server.release("q")
    assert home.run("wait", "q").returncode == 0
    assert sha256_file(dest / "q.bin") == content_sha256(3 << 19)


def test_cli_engine_serves_other_processes(home: Home, fault_server: FaultServer) -> None:
    """`fetch --wait` runs the engine in its own process; `list` elsewhere talks to it."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("served.bin", size=2 << 20, seed=10, hold="served", hold_after=1 << 20)

    waiter = home.popen("fetch", "--wait", "--id", "served", "--dest", str(dest), url)
    wait_until(lambda: home.ping() is not None, 60, what="the CLI engine to listen")
    info = home.ping()
    assert info is not None and info["kind"] == "cli" and info["pid"] == waiter.pid

    regs = home.list_json()
    assert [r["id"] for r in regs] == ["served"]
    assert regs[0]["state"] in ACTIVE_STATES
    reg = home.wait_state("served", "downloading", timeout=60)
    assert reg["records"][0]["status"] == 200

    fault_server.release("served")
    out, err = waiter.communicate(timeout=60)
    assert waiter.returncode == 0, (out, err)
    assert sha256_file(dest / "served.bin") == content_sha256(2 << 20, 10)
    assert home.ping() is None, "the CLI engine must end with its fetch"


# -- options ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [("123", 123), ("60M", 60 * 1024**2), ("1.5G", int(1.5 * 1024**3)), ("2K", 2048)],
)
def test_download_total_parsing(
    home: Home, fault_server: FaultServer, text: str, expected: int
) -> None:
    url = fault_server.url("t.bin", size=100)
    dest = home.path.parent / "out"
    proc = home.run("fetch", "--wait", "--id", "t", "--download-total", text, "--dest", str(dest),
                    url)
    assert proc.returncode == 0, describe(proc)
    assert home.show("t")["download_total"] == expected


def test_dest_is_created_if_missing(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "not" / "yet" / "there"
    assert not dest.exists()
    proc = home.run("fetch", "--wait", "--id", "mk", "--dest", str(dest),
                    fault_server.url("f.bin", size=5000, seed=11))
    assert proc.returncode == 0, describe(proc)
    assert (dest / "f.bin").read_bytes() == content(5000, 11)


def test_file_names_from_content_disposition(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    dest.mkdir()
    (dest / "report.pdf").write_bytes(b"mine, do not touch")
    urls = [
        fault_server.url("r1", size=1000, seed=1, cd='attachment; filename="report.pdf"'),
        fault_server.url(
            "r2", size=1001, seed=2,
            cd="attachment; filename=\"fallback.txt\"; filename*=UTF-8''na%C3%AFve%20caf%C3%A9.txt",
        ),
        fault_server.url("r3", size=1002, seed=3, cd='attachment; filename="../../escape.sh"'),
        fault_server.url("r4", size=1003, seed=4, cd='attachment; filename="a:b|c?.txt"'),
        fault_server.url("r5", size=1004, seed=5, cd='attachment; filename="dup.bin"'),
        fault_server.url("r6", size=1005, seed=6, cd='attachment; filename="dup.bin"'),
        fault_server.url("plain.dat", size=1006, seed=7),
    ]

    proc = home.run("fetch", "--wait", "--id", "names", "--dest", str(dest), *urls)

    assert proc.returncode == 0, describe(proc)
    assert (dest / "report.pdf").read_bytes() == b"mine, do not touch"
    assert (dest / "report (1).pdf").read_bytes() == content(1000, 1)
    assert (dest / "naïve café.txt").read_bytes() == content(1001, 2)
    assert (dest / "escape.sh").read_bytes() == content(1002, 3)
    assert not (home.path.parent / "escape.sh").exists()
    weird = [p for p in dest.iterdir() if p.read_bytes() == content(1003, 4)]
    assert len(weird) == 1 and not set(weird[0].name) & set(':|?/\\"')
    dups = sorted(p.name for p in dest.iterdir() if p.name.startswith("dup"))
    assert dups == ["dup (1).bin", "dup.bin"]
    assert {(dest / n).read_bytes() for n in dups} == {content(1004, 5), content(1005, 6)}
    assert (dest / "plain.dat").read_bytes() == content(1006, 7)
    paths = [Path(r["path"]) for r in home.show("names")["records"]]
    assert all(p.parent == dest.resolve() or p.parent == dest for p in paths)
    assert len(set(paths)) == len(urls)


def test_same_url_twice_gives_two_records(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("twice.bin", size=2000, seed=12)
    proc = home.run("fetch", "--wait", "--id", "twice", "--dest", str(dest), url, url)
    assert proc.returncode == 0, describe(proc)
    records = home.show("twice")["records"]
    assert len(records) == 2
    assert records[0]["path"] != records[1]["path"]
    for record in records:
        assert Path(record["path"]).read_bytes() == content(2000, 12)


def test_default_bundle_folder_is_downloads_title(home: Home, fault_server: FaultServer) -> None:
    url = fault_server.url("ep.mp3", size=4321, seed=13)
    art = fault_server.url("ep.jpg", size=100, seed=19)  # two files: a bundle, in a folder
    proc = home.run("fetch", "--wait", "--id", "ep", "--title", "My Show: Ep 1", url, art)
    assert proc.returncode == 0, describe(proc)
    reg = home.show("ep")
    dest = Path(reg["dest"])
    assert dest.parent.resolve() == home.downloads.resolve()
    assert dest.name in ("My Show_ Ep 1", "My Show Ep 1", "My Show - Ep 1", "My Show: Ep 1")
    assert (dest / "ep.mp3").read_bytes() == content(4321, 13)

    # Without a title the bundle folder is named after the id.
    proc = home.run("fetch", "--wait", "--id", "untitled", url, art)
    assert proc.returncode == 0, describe(proc)
    dest2 = Path(home.show("untitled")["dest"])
    assert dest2.resolve() == (home.downloads / "untitled").resolve()
    assert (dest2 / "ep.mp3").read_bytes() == content(4321, 13)

    # The same title again never overwrites the first bundle's file.
    proc = home.run("fetch", "--wait", "--id", "ep2", "--title", "My Show: Ep 1",
                    fault_server.url("ep.mp3", size=999, seed=14), art)
    assert proc.returncode == 0, describe(proc)
    assert (dest / "ep.mp3").read_bytes() == content(4321, 13)
    second = home.show("ep2")["records"][0]["path"]
    assert Path(second).read_bytes() == content(999, 14)


@pytest.mark.parametrize("title", ["AC/DC Live", "Back\\slash Show"])
def test_bundle_folder_keeps_the_whole_title(
    home: Home, fault_server: FaultServer, title: str
) -> None:
    """A separator in a *title* is sanitized, not taken as a path: 'AC/DC Live' is not 'DC Live'."""
    url = fault_server.url("song.mp3", size=100, seed=18)
    art = fault_server.url("song.jpg", size=100, seed=19)  # two files: a bundle, in a folder
    proc = home.run("fetch", "--wait", "--id", "t", "--title", title, url, art)
    assert proc.returncode == 0, describe(proc)
    dest = Path(home.show("t")["dest"])
    assert dest.parent.resolve() == home.downloads.resolve(), "the title escaped Downloads"
    assert not set(dest.name) & set("/\\")
    first, _, rest = title.replace("\\", "/").partition("/")
    assert dest.name.startswith(first) and dest.name.endswith(rest), (
        f"title {title!r} gave the bundle folder {dest.name!r}"
    )
    assert (dest / "song.mp3").read_bytes() == content(100, 18)


def test_manifest(home: Home, fault_server: FaultServer, tmp_path: Path) -> None:
    audio = fault_server.url("ep-5.mp3", size=200_000, seed=15)
    art = fault_server.url("ep-5-artwork.jpg", size=30_000, seed=16)
    manifest = {
        "id": "ep-5",
        "requests": [
            audio,
            {"url": art, "method": "GET", "headers": {"Accept": "image/*"}},
        ],
        "options": {
            "title": "Episode 5",
            "icons": [{"src": fault_server.url("ep-5-icon.png", size=100), "sizes": "300x300",
                       "type": "image/png"}],
            "downloadTotal": 62914560,
        },
    }
    path = tmp_path / "ep-5.bgfetch"
    path.write_text(json.dumps(manifest), encoding="utf-8")

    proc = home.run("fetch", "--manifest", str(path), "--wait")

    assert proc.returncode == 0, describe(proc)
    reg = home.show("ep-5")
    assert reg["title"] == "Episode 5"
    assert reg["download_total"] == 62914560
    assert reg["result"] == "success"
    dest = Path(reg["dest"])
    assert dest.parent.resolve() == home.downloads.resolve()
    assert (dest / "ep-5.mp3").read_bytes() == content(200_000, 15)
    assert (dest / "ep-5-artwork.jpg").read_bytes() == content(30_000, 16)
    [art_request] = fault_server.requests_for("ep-5-artwork.jpg")
    assert art_request.headers.get("Accept") == "image/*"

    # --dest works with a manifest too
    manifest["id"] = "ep-5b"
    path.write_text(json.dumps(manifest), encoding="utf-8")
    out = tmp_path / "manifest-dest"
    proc = home.run("fetch", "--manifest", str(path), "--dest", str(out), "--wait")
    assert proc.returncode == 0, describe(proc)
    assert (out / "ep-5.mp3").read_bytes() == content(200_000, 15)


# -- interruption -----------------------------------------------------------------------------


def test_sigint_during_fetch_wait_pauses_and_resume_continues(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    size = 2 << 20
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("int.bin", size=size, seed=17, rate=2_000_000,
                          hold="int", hold_after=size // 2)
    part = dest / "int.bin.part"

    proc = home.popen("fetch", "--wait", "--id", "int", "--dest", str(dest), url)
    wait_until(lambda: file_size(part) > 300_000, 60, what="bytes on disk")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert err.splitlines()[-1] == "bgfetch: int paused; `bgfetch resume int` continues"
    assert home.ping() is None
    reg = home.show("int")
    assert reg["result"] == "" and reg["state"] == "paused"
    assert 0 < reg["downloaded"] < size
    checkpoint = reg["downloaded"]

    fault_server.release("int")
    home.ok("resume", "int")
    waited = home.run("wait", "int", timeout=60)

    assert waited.returncode == 0, describe(waited)
    assert sha256_file(dest / "int.bin") == content_sha256(size, 17)
    ranges = [r.range for r in fault_server.requests_for("int.bin") if r.range]
    assert len(ranges) == 1, ranges
    match = re.fullmatch(r"bytes=(\d+)-", ranges[0])
    assert match and int(match.group(1)) >= checkpoint > 0


def test_sigint_while_waiting_on_a_daemon(home: Home, fault_server: FaultServer) -> None:
    """`fetch --wait` talking to a running daemon: Ctrl+C pauses the fetch there."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    # `first` keeps the daemon busy (so running) until the end of the test.
    home.ok("fetch", "--id", "first", "--dest", str(dest),
            fault_server.url("first.bin", size=1 << 20, hold="first", hold_after=1 << 19))
    size = 2 << 20
    url = fault_server.url("remote.bin", size=size, seed=19, hold="remote", hold_after=1 << 20)

    proc = home.popen("fetch", "--wait", "--id", "remote", "--dest", str(dest), url)
    fault_server.wait_held("remote")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, (out, err)
    assert "Traceback" not in err
    assert home.show("remote")["state"] == "paused"
    fault_server.release("first")
    fault_server.release("remote")
    home.ok("resume", "remote")
    assert home.run("wait", "remote").returncode == 0
    assert sha256_file(dest / "remote.bin") == content_sha256(size, 19)


# -- one engine per data folder, and commands that run beside each other ------------------------


@pytest.mark.parametrize("command", ["list", "show", "fetch --wait"])
def test_commands_tolerate_a_concurrent_offline_command(
    home: Home, fault_server: FaultServer, command: str
) -> None:
    """With no engine running, `list`/`show` read the database under the engine lock.

    Two commands started together by a script (say `bgfetch list` in a loop while
    another `bgfetch fetch --wait` starts) must not fail because the other one
    holds that lock for a moment: here the test holds it for 0.5 s, exactly as a
    concurrent `bgfetch list` does while it reads the database.
    """
    import threading

    from bgfetch_gui.engine.datadir import EngineLock

    dest = home.path.parent / "out"
    url = fault_server.url("c.bin", size=1000, seed=20)
    home.ok("fetch", "--wait", "--id", "c", "--dest", str(dest), url)

    lock = EngineLock(home.path)
    lock.acquire()
    timer = threading.Timer(0.5, lock.release)
    timer.start()
    try:
        if command == "fetch --wait":
            proc = home.run("fetch", "--wait", "--id", "c2", "--dest", str(dest), url)
        elif command == "show":
            proc = home.run("show", "c", "--json")
        else:
            proc = home.run("list", "--json")
    finally:
        timer.join()
        lock.release()
    assert proc.returncode == 0, describe(proc)


def test_version(home: Home) -> None:
    proc = home.run("--version")
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.strip() == f"bgfetch {bgfetch_gui.__version__}"
