"""A ``bgfetch:`` link clicked in a browser: the real app asks, and downloads only on yes.

The desktop hands a link to ``bgfetch-gui LINK`` (the menu entry's ``Exec``); with the
app running, that second launch passes the link to it and leaves. The app fetches
the manifest from a loopback HTTP server, shows "Download with bgfetch?" naming the
title, size and hosts, and the test answers it with the keyboard through the X
server (xdotool), as a user would.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest

from tests.e2e.conftest import DesktopHome, RunningApp, poll, require_tools
from tests.integration.cli_helpers import describe
from tests.support.faultserver import FaultServer

pytestmark = pytest.mark.slow

KB = 1000
PROMPT = "Download with bgfetch?"


@pytest.fixture
def manifest_server() -> Iterator[tuple[str, dict[str, bytes], list[str]]]:
    """A plain HTTP server on loopback: (base URL, path -> body to serve, paths asked for)."""
    documents: dict[str, bytes] = {}
    asked: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            asked.append(self.path)
            body = documents.get(self.path)
            self.send_response(200 if body is not None else 404)
            self.send_header("Content-Type", "application/x-bgfetch")
            self.send_header("Content-Length", str(len(body or b"")))
            self.end_headers()
            self.wfile.write(body or b"")

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", documents, asked
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def prompt_windows(display: str) -> list[str]:
    """X ids of mapped windows titled like the link prompt."""
    result = subprocess.run(
        ["xdotool", "search", "--onlyvisible", "--name", f"^{PROMPT.replace('?', '.')}$"],
        env={"DISPLAY": display, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True,
        timeout=20, check=False,
    )
    return result.stdout.split()


def press(display: str, window: str, key: str) -> None:
    """Focus ``window`` (no window manager here: the X server's own focus) and press ``key``."""
    env = {"DISPLAY": display, "PATH": "/usr/bin:/bin"}
    subprocess.run(["xdotool", "windowfocus", "--sync", window], env=env, check=True,
                   timeout=20, capture_output=True)
    subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=env, check=True,
                   timeout=20, capture_output=True)


def test_a_link_asks_first_then_registers_and_downloads(
    app: RunningApp, home: DesktopHome, fault_server: FaultServer,
    manifest_server: tuple[str, dict[str, bytes], list[str]],
) -> None:
    require_tools("xdotool")
    base, documents, asked = manifest_server
    display = app.desktop.display
    declined = {"id": "declined-1", "requests": [fault_server.url("declined.bin", size=KB)]}
    wanted = {
        "id": "linked-1",
        "requests": [fault_server.url("linked.bin", size=300 * KB)],
        "options": {"title": "Linked episode", "downloadTotal": 300 * KB},
    }
    documents["/declined.bgfetch"] = json.dumps(declined).encode()
    documents["/episode.bgfetch"] = json.dumps(wanted).encode()

    # A bad link: one line saying what is wrong, exit 2, and the app carries on.
    bad = app.launch("bgfetch:fetch?manifest=http://example.org/e.bgfetch")
    assert bad.returncode == 2, describe(bad)
    assert bad.stderr.strip().count("\n") == 0 and "must use https" in bad.stderr, describe(bad)

    # Declined with Escape: nothing registered, nothing downloaded.
    launch = app.launch(f"bgfetch:fetch?manifest={quote(base + '/declined.bgfetch', safe='')}")
    assert launch.returncode == 0, describe(launch)
    window = poll(lambda: prompt_windows(display), 30, lambda: f"the prompt\n{app.describe()}")
    assert asked == ["/declined.bgfetch"]
    press(display, window[0], "Escape")
    poll(lambda: not prompt_windows(display), 20, "the declined prompt to close")
    assert "declined-1" not in home.ids()
    assert not fault_server.requests_for("declined.bin")

    # Accepted with Return (Download is the default button): registered, then downloaded.
    launch = app.launch(f"bgfetch:fetch?manifest={quote(base + '/episode.bgfetch', safe='')}")
    assert launch.returncode == 0, describe(launch)
    window = poll(lambda: prompt_windows(display), 30, lambda: f"the prompt\n{app.describe()}")
    assert "linked-1" not in home.ids(), "registered before the user answered"
    press(display, window[0], "Return")
    reg = home.wait_state("linked-1", {"success", "failure"}, timeout=60)
    assert reg["result"] == "success", reg
    assert reg["title"] == "Linked episode"
    assert reg["records"][0]["size"] == 300 * KB
    assert fault_server.requests_for("linked.bin")
    assert app.proc.poll() is None, app.describe()
