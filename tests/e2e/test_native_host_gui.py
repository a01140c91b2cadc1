"""On a desktop, the native host starts the real GUI (minimized to the tray), not a daemon."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import Desktop, DesktopHome, poll, require_tools
from tests.integration.native_host_helpers import NativeHost
from tests.support.faultserver import FaultServer

pytestmark = pytest.mark.slow

CONSENT_TITLE = "^Allow downloads from a web site"  # a regex for xdotool


def test_with_a_display_the_host_starts_bgfetch_gui(desktop: Desktop, home: DesktopHome) -> None:
    assert home.engine_pid() is None
    host = NativeHost(desktop.env)
    try:
        hello = host.ok("hello", timeout=60, browser="firefox", native=False)
        assert hello == {"version": 1, "engine": "gui", "started": True}
        ping = home.ping()
        assert ping is not None and ping["kind"] == "gui"
        argv = Path(f"/proc/{ping['pid']}/cmdline").read_bytes().split(b"\0")
        assert b"--minimized" in argv, argv
        assert host.ok("hello", browser="firefox", native=False)["started"] is False
    finally:
        assert host.close() == 0
    assert home.ping() is not None, "the GUI outlives the browser's host"


def _consent_window(display: str) -> str | None:
    found = subprocess.run(
        ["xdotool", "search", "--name", CONSENT_TITLE], env={**os.environ, "DISPLAY": display},
        capture_output=True, text=True, timeout=20, check=False,
    )
    return found.stdout.split()[0] if found.stdout.split() else None


def test_a_consent_prompt_holds_up_neither_other_calls_nor_events(
    desktop: Desktop, home: DesktopHome, fault_server: FaultServer,
    fault_server_factory: Callable[[], FaultServer],
) -> None:
    require_tools("xdotool")
    asked = fault_server_factory()
    allowed_origin, asking_origin = fault_server.base_url, asked.base_url
    host = NativeHost(desktop.env)
    try:
        host.ok("hello", timeout=60, browser="firefox", native=False)
        home.ok("sites", "allow", allowed_origin)
        waiting_seq = host.next_seq()
        host.send({"v": 1, "seq": waiting_seq, "type": "fetch", "origin": asking_origin,
                   "pageUrl": f"{asking_origin}/", "id": "asked",
                   "requests": [asked.url("asked.bin", size=100_000)],
                   "options": {"title": "Asked"}})
        dialog = poll(lambda: _consent_window(desktop.display), 30, "the consent dialog")

        # While the user thinks: other calls are answered and another fetch runs to the end.
        assert host.ok("getIds", origin=asking_origin) == []
        host.ok("fetch", origin=allowed_origin, pageUrl=f"{allowed_origin}/", id="free",
                requests=[fault_server.url("free.bin", size=300_000)], options={})
        host.wait_event(lambda e: e["event"] == "success"
                        and e["registration"]["id"] == "free", what="the other fetch's success")
        assert not host.has_reply(waiting_seq), "the prompt was answered by no one"

        # "Always allow" (Alt+A): the waiting call completes and its fetch runs.
        subprocess.run(["xdotool", "windowfocus", "--sync", dialog, "key", "alt+a"],
                       env={**os.environ, "DISPLAY": desktop.display}, check=True, timeout=20)
        answer = host.reply(waiting_seq)
        assert answer["ok"], answer
        assert answer["result"]["id"] == "asked"
        host.wait_event(lambda e: e["event"] == "success" and e["origin"] == asking_origin,
                        what="the allowed fetch's success")
        sites = {s["origin"]: s["decision"] for s in json.loads(
            home.ok("sites", "list", "--json").stdout)}
        assert sites[asking_origin] == "allow"
    finally:
        assert host.close() == 0
