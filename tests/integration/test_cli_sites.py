"""``bgfetch sites``: with no engine (the database directly) and through a running daemon,
which cannot ask anyone and so refuses an undecided origin until the user allows it."""

from __future__ import annotations

import json
import socket

import pytest

from bgfetch_gui.engine.datadir import ipc_name
from bgfetch_gui.platform.ipc_client import IpcClient
from tests.integration.cli_helpers import Home, describe, stderr_lines, wait_until
from tests.support.faultserver import FaultServer


def sites(home: Home) -> list[dict[str, object]]:
    listed: list[dict[str, object]] = json.loads(home.ok("sites", "list", "--json").stdout)
    return listed


def test_decisions_without_an_engine(home: Home) -> None:
    assert sites(home) == []
    home.ok("sites", "allow", "HTTPS://Podcast.Example/", "--quota", "1.5G")
    home.ok("sites", "deny", "http://[::1]:8080")
    listed = sites(home)
    assert [(s["origin"], s["decision"], s["quota"]) for s in listed] == [
        ("http://[::1]:8080", "deny", 10 * 1024**3),
        ("https://podcast.example", "allow", 1536 * 1024**2),
    ]
    assert set(listed[0]) == {"origin", "decision", "quota", "decided_at"}
    text = home.ok("sites", "list").stdout.splitlines()
    assert text == ["http://[::1]:8080\tdeny\t10.0 GiB", "https://podcast.example\tallow\t1.5 GiB"]
    home.ok("sites", "forget", "https://podcast.example")
    again = home.ok("sites", "forget", "https://podcast.example")
    assert "nothing was decided" in again.stderr
    assert [s["origin"] for s in sites(home)] == ["http://[::1]:8080"]


@pytest.mark.parametrize("argv", [
    ("sites", "allow", "ftp://example.org"),
    ("sites", "allow", "https://example.org/page"),
    ("sites", "deny", "example.org"),
    ("sites", "forget", "https://user@example.org"),
    ("sites", "allow", "https://example.org", "--quota", "lots"),
    ("sites", "allow", "https://example.org", "--quota", "-5"),
    ("sites",),
    ("sites", "maybe", "https://example.org"),
])
def test_bad_input_is_one_line_and_exit_2(home: Home, argv: tuple[str, ...]) -> None:
    proc = home.run(*argv)
    assert proc.returncode == 2, describe(proc)
    assert len(stderr_lines(proc)) == 1 and "Traceback" not in proc.stderr


def test_the_daemon_refuses_an_undecided_origin_until_it_is_allowed(
    home: Home, fault_server: FaultServer
) -> None:
    home.popen("daemon")
    wait_until(home.ping, what="the daemon to answer")
    origin = fault_server.base_url
    call = {"v": 1, "type": "fetch", "origin": origin, "pageUrl": origin + "/", "id": "ep",
            "requests": [fault_server.url("ep.bin", size=5000)]}
    client = IpcClient(home.path)
    refused = client.call({"cmd": "web", "call": call})
    assert (refused["ok"], refused["name"]) == (False, "NotAllowedError")
    assert f"bgfetch sites allow {origin}" in refused["error"]

    home.ok("sites", "allow", origin)  # through the running daemon
    accepted = client.call({"cmd": "web", "call": call})
    assert accepted["ok"] and accepted["result"]["id"] == "ep", accepted
    reg = home.wait_state("ep", "success")
    assert reg["origin"] == origin
    assert home.ok("list").stdout.splitlines()[-1].endswith(f"- ({origin})")  # no title
    assert f"origin: {origin}" in home.ok("show", "ep").stdout.splitlines()
    assert client.call({"cmd": "web", "call": {"v": 1, "type": "decision",
                                               "origin": origin}})["result"] == {
        "decision": "allow"}
    home.ok("sites", "deny", origin)
    denied = client.call({"cmd": "web", "call": {**call, "id": "ep2"}})
    assert denied["name"] == "NotAllowedError"


def test_absurdly_deep_json_on_the_socket_is_a_bad_request(home: Home) -> None:
    home.popen("daemon")
    wait_until(home.ping, what="the daemon to answer")
    token = (home.path / "ipc.token").read_text().strip()
    deep = "[" * 200_000 + "]" * 200_000
    line = f'{{"cmd": "web", "token": "{token}", "call": {deep}}}\n'.encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(20)
        sock.connect(ipc_name(home.path))
        sock.sendall(line)
        reply = json.loads(sock.makefile("rb").readline())
    assert reply == {"done": True, "ok": False, "code": 2, "error": "bad request"}
    assert home.ping() is not None
