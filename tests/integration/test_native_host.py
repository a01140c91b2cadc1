"""The real ``bgfetch-native-host`` between a "browser" (this test, speaking framed JSON on
its stdin/stdout) and a real engine (``bgfetch daemon`` in a temporary data folder)."""

from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bgfetch_gui.bridge.identity import CHROMIUM_ORIGIN, FIREFOX_ADDON_ID, HOST_NAME
from tests.integration.cli_helpers import Home
from tests.integration.native_host_helpers import NativeHost, frame

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


def test_firefox_arguments_are_accepted(env: dict[str, str]) -> None:
    manifest = f"/home/u/.mozilla/native-messaging-hosts/{HOST_NAME}.json"
    process = NativeHost(env, [manifest, FIREFOX_ADDON_ID])
    answer = process.call("hello", v=2)  # answered by the host itself: no engine needed
    assert answer["error"]["name"] == "NotSupportedError"
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


def test_browser_profile_needs_install(home: Home, tmp_path: Path) -> None:
    result = subprocess.run(
        [*GUI, "--browser-profile", str(tmp_path)], env=home.env, capture_output=True,
        text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "--browser-profile needs --install-browser-integration" in result.stderr
    assert "Traceback" not in result.stderr
