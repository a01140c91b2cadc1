"""The real ``bgfetch-native-host`` between a "browser" (this test, speaking framed JSON on
its stdin/stdout) and a real engine (``bgfetch daemon`` in a temporary data folder)."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import signal
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.bridge.identity import CHROMIUM_ORIGIN, FIREFOX_ADDON_ID, HOST_NAME
from tests.integration.cli_helpers import Home
from tests.integration.native_host_helpers import NativeHost, frame
from tests.support.faultserver import FaultServer, content_sha256

GUI = [sys.executable, "-m", "bgfetch_gui"]


@pytest.fixture
def env(home: Home) -> dict[str, str]:
    """The data folder's environment, without a display: the host must start a daemon."""
    return {k: v for k, v in home.env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}


@pytest.fixture
def host(env: dict[str, str]) -> Iterator[NativeHost]:
    process = NativeHost(env)
    yield process
    if process.alive:
        assert process.close() == 0, process.stderr


# -- who may start the host ----------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    [],
    ["chrome-extension://aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/"],
    [CHROMIUM_ORIGIN.rstrip("/")],
    ["/tmp/org.bgfetch.native_host.json", "someone-else@example.org"],
    ["https://podcast.example"],
])
def test_a_caller_other_than_our_extension_is_refused(
    env: dict[str, str], home: Home, argv: list[str]
) -> None:
    process = NativeHost(env, argv)
    process.send({"v": 1, "seq": 1, "type": "hello", "browser": "chromium", "native": True})
    assert process.close() == 2
    assert "only bgfetch's browser extension" in process.stderr
    assert process.events == [] and not process.has_reply(1)
    assert home.engine_pid() is None, "a refused caller must not start bgfetch"


def test_firefox_arguments_are_accepted_and_qt_is_never_loaded(env: dict[str, str]) -> None:
    manifest = f"/home/u/.mozilla/native-messaging-hosts/{HOST_NAME}.json"
    process = NativeHost(env, [manifest, FIREFOX_ADDON_ID])
    answer = process.call("hello", v=2)  # answered by the host itself: no engine needed
    assert answer["error"]["name"] == "NotSupportedError"
    # The browser waits for the host's start: it must not pay for Qt.
    mapped = Path(f"/proc/{process.proc.pid}/maps").read_text()
    assert "libQt6" not in mapped and "PySide6" not in mapped
    assert process.close() == 0


# -- frames and envelopes the host refuses ------------------------------------------------------


def test_bad_frames_and_envelopes_never_kill_the_host(
    host: NativeHost, home: Home
) -> None:
    bad_frames = [
        frame(b"{not json"),
        frame(b"[1, 2, 3]"),
        frame(b'"a string"'),
        frame(b'{"v": 1, "seq": 1, "type": "hello", "x": "\xff"}'),
        frame(b'{"a":' + b"[" * 10_000 + b"]" * 10_000 + b"}"),
        frame(b'{"v": 1, "seq": 2, "type": "hello", "deep": [[[[[[[[[1]]]]]]]]]}'),
        frame(json.dumps({"v": 1, "seq": 3, "type": "hello",
                          "pad": "x" * (1 << 20)}).encode()),
        frame(json.dumps({"v": 1, "type": "hello"}).encode()),
        frame(json.dumps({"v": 1, "seq": -4, "type": "hello"}).encode()),
        frame(json.dumps({"v": 1, "seq": "5", "type": "hello"}).encode()),
    ]
    for data in bad_frames:
        host.send_raw(data)
    refused = {
        11: ({"v": 2, "seq": 11, "type": "hello"}, "NotSupportedError"),
        12: ({"seq": 12, "type": "hello"}, "NotSupportedError"),
        13: ({"v": 1, "seq": 13, "type": "quit"}, "TypeError"),
        14: ({"v": 1, "seq": 14, "type": "fetch", "id": "x", "requests": []}, "TypeError"),
        15: ({"v": 1, "seq": 15, "type": "get", "origin": "file:///etc", "id": "x"}, "TypeError"),
        16: ({"v": 1, "seq": 16, "type": "abort", "origin": "https://a.example/path",
              "id": "x"}, "TypeError"),
    }
    for message, _name in refused.values():
        host.send(message)
    for seq, (_message, name) in refused.items():
        answer = host.reply(seq, timeout=10)
        assert answer == {"v": 1, "re": seq, "ok": False, "error": answer["error"]}
        assert answer["error"]["name"] == name
    assert host.alive
    assert not any(host.has_reply(seq) for seq in (1, 2, 3)), "dropped frames got answers"
    assert host.unexpected == []
    assert home.engine_pid() is None, "nothing refused may reach (or start) the engine"


def test_a_frame_cut_short_ends_the_host_cleanly(host: NativeHost) -> None:
    host.send_raw(struct.pack("=I", 100) + b'{"v": 1, "seq"')
    assert host.close() == 0


# -- installing ---------------------------------------------------------------------------------


def test_install_and_uninstall_write_and_remove_exactly_the_manifests(
    home: Home, tmp_path: Path
) -> None:
    user_home = tmp_path / "user"
    (user_home / ".config" / "chromium" / "Default").mkdir(parents=True)
    mine = user_home / ".config" / "chromium" / "NativeMessagingHosts" / "other.host.json"
    mine.parent.mkdir()
    mine.write_text("{}")
    profile = tmp_path / "chromium-profile"
    env = {**home.env, "HOME": str(user_home)}
    env.pop("XDG_CONFIG_HOME", None)
    before = sorted(p for p in tmp_path.rglob("*") if home.path not in p.parents)

    installed = subprocess.run(
        [*GUI, "--install-browser-integration", "--browser-profile", str(profile)],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert installed.returncode == 0, installed.stderr
    name = f"{HOST_NAME}.json"
    chromium_family = [
        user_home / ".config" / folder / "NativeMessagingHosts" / name
        for folder in ("chromium", "google-chrome", "BraveSoftware/Brave-Browser",
                       "microsoft-edge", "vivaldi")
    ] + [profile / "NativeMessagingHosts" / name]
    firefox = user_home / ".mozilla" / "native-messaging-hosts" / name
    launchers = set()
    for path in [*chromium_family, firefox]:
        manifest = json.loads(path.read_text())
        assert manifest["name"] == HOST_NAME and manifest["type"] == "stdio"
        if path == firefox:
            assert manifest["allowed_extensions"] == [FIREFOX_ADDON_ID]
            assert "allowed_origins" not in manifest
        else:
            assert manifest["allowed_origins"] == [CHROMIUM_ORIGIN]
            assert "allowed_extensions" not in manifest
        launchers.add(manifest["path"])
        assert str(path) in installed.stdout
    (launcher,) = launchers
    assert Path(launcher).is_absolute() and os.access(launcher, os.X_OK)
    assert Path(launcher).stat().st_mode & 0o777 == 0o700
    for browser in ("chromium", "firefox"):
        extension = home.path / "browser-extension" / browser
        assert json.loads((extension / "manifest.json").read_text())["manifest_version"] == 3
        assert str(extension) in installed.stdout
    assert "Load unpacked" in installed.stdout and "about:debugging" in installed.stdout

    # The launcher the browsers were given runs the host for this data folder.
    refused = subprocess.run([launcher, "chrome-extension://x/"], env=env, capture_output=True,
                             timeout=30, stdin=subprocess.DEVNULL)
    assert refused.returncode == 2
    assert b"only bgfetch's browser extension" in refused.stderr
    through_launcher = NativeHost(env, [CHROMIUM_ORIGIN], program=launcher)
    assert through_launcher.call("hello", v=2)["error"]["name"] == "NotSupportedError"
    assert through_launcher.close() == 0

    removed = subprocess.run(
        [*GUI, "--uninstall-browser-integration"],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert removed.returncode == 0, removed.stderr
    after = sorted(p for p in tmp_path.rglob("*") if home.path not in p.parents)
    assert after == before, "uninstall must leave exactly what was there before install"
    assert mine.read_text() == "{}"
    leftovers = {p.name for p in home.path.iterdir()}
    assert not leftovers & {"bgfetch-native-host", "browser-extension",
                            "browser-integration.json"}


@pytest.mark.slow
def test_chromium_starts_the_installed_host(home: Home, tmp_path: Path) -> None:
    """What install writes is what a real browser needs: Chromium, given the extension it
    built, finds the host manifest, runs the launcher, and the host answers."""
    from tests.support.cdp import evaluate_in_worker
    from tests.support.chromium import start_chromium

    user_home = tmp_path / "user"
    user_home.mkdir()
    env = {k: v for k, v in home.env.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env["HOME"] = str(user_home)
    installed = subprocess.run(
        [*GUI, "--install-browser-integration", "--browser-profile",
         str(tmp_path / "browser" / "user-data")],
        env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert installed.returncode == 0, installed.stderr
    browser = start_chromium(tmp_path / "browser", env=env,
                             extension=home.path / "browser-extension" / "chromium")
    try:
        reply = evaluate_in_worker(
            browser.debugger_address, CHROMIUM_ORIGIN,
            f"chrome.runtime.sendNativeMessage({json.dumps(HOST_NAME)}, "
            "{v: 1, seq: 1, type: 'hello', browser: 'chromium', native: true})",
        )
    finally:
        browser.stop()
    assert reply == {"v": 1, "re": 1, "ok": True,
                     "result": {"version": 1, "engine": "daemon", "started": True}}


def test_a_failed_install_says_why_and_uninstalls_cleanly(home: Home, tmp_path: Path) -> None:
    user_home = tmp_path / "user"
    blocker = user_home / ".config" / "vivaldi"
    blocker.parent.mkdir(parents=True)
    blocker.write_text("not a folder")
    env = {**home.env, "HOME": str(user_home)}
    env.pop("XDG_CONFIG_HOME", None)
    before = sorted(user_home.rglob("*"))

    failed = subprocess.run([*GUI, "--install-browser-integration"], env=env,
                            capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert failed.returncode == 1
    assert failed.stderr.startswith("bgfetch-gui: could not install the browser integration:")
    assert "Traceback" not in failed.stderr
    assert (user_home / ".config" / "chromium" / "NativeMessagingHosts").is_dir()

    removed = subprocess.run([*GUI, "--uninstall-browser-integration"], env=env,
                             capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    assert removed.returncode == 0, removed.stderr
    assert sorted(user_home.rglob("*")) == before
    assert blocker.read_text() == "not a folder"


def test_browser_profile_needs_install(home: Home, tmp_path: Path) -> None:
    result = subprocess.run(
        [*GUI, "--browser-profile", str(tmp_path)], env=home.env, capture_output=True,
        text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "--browser-profile needs --install-browser-integration" in result.stderr
    assert "Traceback" not in result.stderr


# -- with the real engine ------------------------------------------------------------------------


HELLO = {"browser": "chromium", "native": True}


def page_call(origin: str, fetch_id: str, urls: list[str], **options: Any) -> dict[str, Any]:
    """The fields of a ``fetch`` call as the extension sends them for a page of ``origin``."""
    return {"origin": origin, "pageUrl": f"{origin}/podcast/", "id": fetch_id,
            "requests": urls, "options": options}


def files_outside(root: Path, *allowed: Path) -> set[Path]:
    return {p for p in root.rglob("*")
            if p.is_file() and not any(a == p or a in p.parents for a in allowed)}


def test_hello_starts_a_daemon_when_no_engine_answers(host: NativeHost, home: Home) -> None:
    assert home.engine_pid() is None
    hello = host.ok("hello", **HELLO)
    assert hello == {"version": 1, "engine": "daemon", "started": True}
    ping = home.ping()
    assert ping is not None and ping["kind"] == "daemon"
    assert host.ok("hello", **HELLO)["started"] is False
    assert home.engine_pid() == ping["pid"], "one engine, not one per call"

    # Browsers end a host with signals to its process group: bgfetch must live on.
    os.killpg(host.proc.pid, signal.SIGKILL)
    host.proc.wait(10)
    assert home.ping() == ping


def test_when_bgfetch_cannot_be_started_calls_get_network_errors(
    host: NativeHost, home: Home
) -> None:
    (home.path / "daemon.log").mkdir()  # the daemon's log cannot be opened: no start
    answer = host.call("hello", **HELLO)
    assert answer["error"]["name"] == "NetworkError", answer
    assert "could not be started" in answer["error"]["message"]
    assert host.alive and home.engine_pid() is None
    (home.path / "daemon.log").rmdir()
    assert host.ok("hello", **HELLO)["started"] is True


def test_a_page_fetch_reports_progress_and_serves_its_body(
    host: NativeHost, home: Home, fault_server: FaultServer
) -> None:
    origin = fault_server.base_url
    home.ok("sites", "allow", origin)
    size = 3 << 20
    url = fault_server.url("ep-5.mp3", size=size, seed=5, rate=4 << 20)
    host.ok("hello", **HELLO)
    reg = host.ok("fetch", **page_call(origin, "ep-5", [url], title="Episode 5",
                                        downloadTotal=size))
    assert reg["id"] == "ep-5" and reg["downloadTotal"] == size and reg["title"] == "Episode 5"
    assert host.ok("getIds", origin=origin) == ["ep-5"]

    def of_ours(event: dict[str, Any], name: str) -> bool:
        return bool(event["event"] == name and event["registration"]["id"] == "ep-5")

    host.wait_event(lambda e: of_ours(e, "progress") and 0 < e["registration"]["downloaded"]
                    < size, what="a progress event part-way")
    done = host.wait_event(lambda e: of_ours(e, "success"), what="the success event")
    assert done["origin"] == origin
    assert done["registration"]["downloaded"] == size
    assert done["registration"]["result"] == "success"

    (record,) = host.ok("matchAll", origin=origin, id="ep-5")
    assert record["url"] == url and record["status"] == 200 and record["ready"]
    body, offset = bytearray(), 0
    while True:
        chunk = host.ok("read", origin=origin, id="ep-5", index=0, offset=offset,
                        length=512 * 1024)
        body += base64.b64decode(chunk["data"])
        offset = len(body)
        if chunk["eof"]:
            break
    expected = content_sha256(size, fault_server.seed_for("ep-5.mp3", 5))
    assert hashlib.sha256(body).hexdigest() == expected
    # The page chose no folder: its one file is in Downloads (docs/contracts.md §3).
    assert {p for p in home.downloads.rglob("*") if p.is_file()} == {
        home.downloads / "ep-5.mp3"}


def test_hostile_calls_change_nothing_in_the_engine(
    host: NativeHost, home: Home, fault_server: FaultServer, tmp_path: Path
) -> None:
    origin, other = fault_server.base_url, f"http://localhost:{fault_server.port}"
    home.ok("sites", "allow", origin)
    home.ok("sites", "allow", other)
    size = 3 << 20
    url = fault_server.url("slow.bin", size=size, rate=1 << 20)
    host.ok("hello", **HELLO)
    host.ok("fetch", **page_call(origin, "mine", [url], title="Mine"))
    before = files_outside(tmp_path, home.path, home.downloads)
    evil = tmp_path / "evil"

    refused = [
        ("fetch", {**page_call(other, "a", [url]), "dest": str(evil)}),
        ("fetch", page_call(other, "b", [{"url": url, "method": "POST", "body": "x"}])),
        ("fetch", page_call(other, "c", [{"url": url, "body": str(tmp_path / "x")}])),
        ("fetch", {**page_call(other, "d", [url]), "proxy": "http://127.0.0.1:1"}),
        ("fetch", {**page_call(other, "e", [url]), "priority": "high"}),
        ("fetch", page_call(other, "f", ["file:///etc/passwd"])),
        ("fetch", {**page_call(other, "g", [url]), "pageUrl": f"{origin}/"}),
        ("abort", {"origin": other, "id": "mine"}),
        ("read", {"origin": other, "id": "mine", "index": 0, "offset": 0, "length": 10}),
        ("matchAll", {"origin": other, "id": "mine"}),
        ("read", {"origin": origin, "id": "mine", "index": 0, "offset": 0,
                  "length": 1 << 30}),
    ]
    for kind, fields in refused:
        answer = host.call(kind, **fields)
        assert not answer["ok"], (kind, fields, answer)
        assert answer["error"]["name"] in ("TypeError", "NotFoundError", "InvalidStateError"), \
            (kind, fields, answer)
    assert host.ok("get", origin=other, id="mine") is None
    assert host.ok("getIds", origin=other) == []
    assert host.alive
    # Still running after all that (so the other origin's abort met an active fetch).
    assert host.ok("get", origin=origin, id="mine")["id"] == "mine"

    assert home.wait_state("mine", "success")["result"] == "success"
    assert [r["id"] for r in home.list_json()] == ["mine"], "no refused call made a fetch"
    assert not evil.exists()
    assert files_outside(tmp_path, home.path, home.downloads) == before


def test_events_follow_the_engine_across_a_restart(
    host: NativeHost, home: Home, fault_server: FaultServer
) -> None:
    origin = fault_server.base_url
    home.ok("sites", "allow", origin)
    size = 4 << 20
    url = fault_server.url("long.bin", size=size, rate=1 << 20)
    host.ok("hello", **HELLO)
    host.ok("fetch", **page_call(origin, "long", [url]))
    host.wait_event(lambda e: e["registration"]["downloaded"] > 0, what="first bytes")
    home.ok("quit")
    assert home.show("long")["result"] == "", "the fetch ended before the engine stopped"
    seen = len(host.events)
    assert host.ok("hello", **HELLO)["started"] is True
    success = host.wait_event(lambda e: e["event"] == "success", after=seen,
                              what="success after the restart")
    assert success["registration"]["downloaded"] == size
