"""Proxies (docs/contracts.md §8): every request of the app goes the proxy's way.

A real proxy on loopback (tests/support/proxyserver.py) logs every request it
carries, so each test shows the download, the probe or the manifest went
through it; a port nobody listens on is the dead proxy.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from aiohttp import web

from bgfetch_gui.engine import links
from bgfetch_gui.engine.credentials import Credential
from bgfetch_gui.engine.http.sessions import Sessions
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import FetchOptions
from bgfetch_gui.engine.network_fallback import FailureHeuristicMonitor
from bgfetch_gui.engine.proxy import parse_proxy
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store
from tests.integration.cli_helpers import BGFETCH, Home, describe, stderr_lines
from tests.integration.engine_fixtures import Engine, fast_settings, stop_engine
from tests.support.faultserver import FaultServer, FaultState, content, create_app
from tests.support.pageserver import self_signed_context
from tests.support.proxyserver import LoopbackProxy

MODES = ["http", "socks5"]
SECRET = "pr0xy-s3cret"


class SavedCredentials:
    """The keyring's stand-in for engine-level tests (the CLI test uses a real keyring backend)."""

    def __init__(self, table: dict[str, Credential]) -> None:
        self.table = table

    def lookup(self, origin: str) -> Credential | None:
        return self.table.get(origin)


def dead_port() -> int:
    """A loopback port nobody listens on (bound, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def start(home: Path, settings: Settings, *, monitor: FailureHeuristicMonitor | None = None,
                credentials: SavedCredentials | None = None,
                sessions: Sessions | None = None) -> Engine:
    manager = FetchManager(Store(home / DB_NAME), settings, home / "Downloads", monitor,
                           credentials, sessions=sessions)
    engine = Engine(manager, home)
    manager.events.subscribe(engine.events.append)
    await manager.start()
    return engine


def target_of(url: str) -> str:
    """What the proxy logs for a plain-HTTP request to ``url`` through each protocol."""
    return url.split("//", 1)[1].split("/", 1)[0]


@pytest.mark.parametrize("mode", MODES)
async def test_downloads_go_through_the_proxy(mode: str, tmp_path: Path,
                                              fault_server: FaultServer) -> None:
    small = fault_server.url("a.bin", size=300_000)
    big = fault_server.url("b.bin", size=4 << 20)  # segmented: several connections at once
    with LoopbackProxy() as proxy:
        engine = await start(tmp_path, fast_settings(proxy=proxy.url(mode),
                                                     connections_per_file=4))
        try:
            reg = await engine.settled(await engine.manager.fetch("p", [small, big]))
            assert reg.result == "success", reg.failure_reason
            records = await reg.match_all()
            assert records[0].path.read_bytes() == content(300_000)
            assert records[1].path.read_bytes() == content(4 << 20)
        finally:
            await stop_engine(engine)
        carried = proxy.targets(mode)
    # SOCKS5 carries a tunnel to host:port; an HTTP proxy sees each request's absolute URL.
    if mode == "socks5":
        assert set(carried) == {target_of(small)}
    else:
        assert set(carried) == {small, big}, carried
    served = fault_server.requests_for("a.bin") + fault_server.requests_for("b.bin")
    assert len(carried) >= len({r.remote_port for r in served}) > 2


async def test_a_fetch_s_own_proxy_overrides_the_app_s(tmp_path: Path,
                                                        fault_server: FaultServer) -> None:
    direct = fault_server.url("direct.bin", size=1000)
    proxied = fault_server.url("proxied.bin", size=1000)
    with LoopbackProxy() as proxy:
        engine = await start(tmp_path, fast_settings(proxy="none"))
        try:
            first = await engine.manager.fetch("direct", [direct])
            second = await engine.manager.fetch("proxied", [proxied],
                                                FetchOptions(proxy=proxy.url("http")))
            for reg in (first, second):
                assert (await engine.settled(reg)).result == "success", reg.failure_reason
            assert engine.manager.store.fetch_network(second.key) == (proxy.url("http"), 0)
            assert engine.manager.store.fetch_network(first.key) == ("", 0)
        finally:
            await stop_engine(engine)
        assert proxy.targets() == [proxied]


@pytest.mark.parametrize("mode", MODES)
async def test_a_dead_proxy_is_a_fetch_error_that_names_it_and_not_offline(
    mode: str, tmp_path: Path, fault_server: FaultServer, caplog: pytest.LogCaptureFixture
) -> None:
    port = dead_port()
    monitor = FailureHeuristicMonitor(failure_threshold=2, min_origins=1)
    # Two origins, several tries each: without a proxy this many connection
    # failures would make the monitor call the network offline.
    urls = [fault_server.url("x.bin", size=10),
            f"http://localhost:{fault_server.port}/file/y.bin?size=10"]
    engine = await start(tmp_path, fast_settings(proxy=f"{mode}://127.0.0.1:{port}",
                                                 max_retries=2), monitor=monitor)
    caplog.set_level(logging.WARNING, logger="bgfetch.manager")
    try:
        reg = await engine.settled(await engine.manager.fetch("dead", urls))
        assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
        assert monitor.online and not monitor.probing
    finally:
        await stop_engine(engine)
    assert f"proxy 127.0.0.1:{port} refused the connection" in caplog.text
    assert fault_server.requests_for("x.bin") == []


@pytest.mark.parametrize("mode", MODES)
async def test_proxy_credentials_come_from_the_keyring(mode: str, tmp_path: Path,
                                                        fault_server: FaultServer,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    url = fault_server.url("auth.bin", size=5000)
    with LoopbackProxy(credential=("alice", SECRET)) as proxy:
        key = parse_proxy(proxy.url(mode)).keyring_key
        saved = SavedCredentials({key: Credential("alice", SECRET)})
        engine = await start(tmp_path, fast_settings(proxy=proxy.url(mode)), credentials=saved)
        try:
            reg = await engine.settled(await engine.manager.fetch("auth", [url]))
            assert reg.result == "success", reg.failure_reason
        finally:
            await stop_engine(engine)
        assert proxy.targets(mode), proxy.log

        # Without them the proxy refuses, and the fetch says what to do, without retrying.
        caplog.set_level(logging.WARNING, logger="bgfetch.manager")
        engine = await start(tmp_path / "none", fast_settings(proxy=proxy.url(mode),
                                                              max_retries=5))
        try:
            reg = await engine.settled(await engine.manager.fetch("anon", [url]))
            assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
        finally:
            await stop_engine(engine)
        refused = [r for r in proxy.log if not r.authorized]
        assert len(refused) == 1, proxy.log
        assert "wants a user name and password; save them with: bgfetch login --proxy URL" \
            in caplog.text

        wrong = SavedCredentials({key: Credential("alice", "wrong")})
        engine = await start(tmp_path / "wrong", fast_settings(proxy=proxy.url(mode)),
                             credentials=wrong)
        try:
            reg = await engine.settled(await engine.manager.fetch("wrong", [url]))
            assert (reg.result, reg.failure_reason) == ("failure", "fetch-error")
        finally:
            await stop_engine(engine)
    assert f"proxy 127.0.0.1:{proxy.port} refused the user name and password saved for it" \
        in caplog.text
    assert SECRET.encode() not in (tmp_path / DB_NAME).read_bytes()


@pytest.mark.parametrize("mode", MODES)
async def test_network_probes_go_through_the_proxy(mode: str, fault_server: FaultServer) -> None:
    with LoopbackProxy() as proxy:
        monitor = FailureHeuristicMonitor(
            failure_threshold=2, min_origins=2, probe_initial_delay=0.01,
            sessions=Sessions(lambda: proxy.url(mode)))
        try:
            monitor.connection_failed(fault_server.base_url)
            monitor.connection_failed(f"http://127.0.0.1:{dead_port()}")
            assert not monitor.online and monitor.probing
            async with asyncio.timeout(20):
                while not monitor.online:
                    await asyncio.sleep(0.01)
        finally:
            await monitor.close()
        carried = proxy.targets(mode)
    assert (target_of(fault_server.base_url) if mode == "socks5"
            else fault_server.base_url + "/") in carried, carried
    assert [r.method for r in fault_server.requests if r.path == "/"] == ["HEAD"]


async def test_a_link_s_manifest_goes_through_the_proxy() -> None:
    async def manifest(_request: web.Request) -> web.Response:
        return web.json_response({"id": "m", "requests": ["http://127.0.0.1:8000/x"]})

    app = web.Application()
    app.router.add_get("/m.bgfetch", manifest)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}/m.bgfetch"  # type: ignore[union-attr]
    try:
        with LoopbackProxy() as proxy:
            linked = await links.resolve(f"bgfetch:fetch?manifest={quote(url, safe='')}",
                                         Sessions(lambda: proxy.url("socks5")))
            assert linked.spec.id == "m"
            assert proxy.targets("socks5") == [target_of(url)]
    finally:
        await runner.cleanup()


async def test_system_mode_follows_the_environment(
    tmp_path: Path, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = fault_server.url("env.bin", size=2000)
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy",
                 "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    with LoopbackProxy() as proxy:
        for env, expected in (({"http_proxy": proxy.url("http")}, [url]),
                              ({"all_proxy": proxy.url("socks5")}, [target_of(url)]),
                              ({"http_proxy": proxy.url("http"), "no_proxy": "127.0.0.1"}, [])):
            proxy.log.clear()
            for name in ("http_proxy", "all_proxy", "no_proxy"):
                monkeypatch.delenv(name, raising=False)
            for name, value in env.items():
                monkeypatch.setenv(name, value)
            home = tmp_path / str(len(list(tmp_path.iterdir())))
            engine = await start(home, fast_settings(proxy="system"))
            try:
                reg = await engine.settled(await engine.manager.fetch("env", [url]))
                assert reg.result == "success", (env, reg.failure_reason)
            finally:
                await stop_engine(engine)
            assert proxy.targets() == expected, env

        # Nothing in the environment: the desktop's proxy (Qt's system query in the app).
        monkeypatch.delenv("http_proxy", raising=False)
        monkeypatch.delenv("no_proxy", raising=False)
        proxy.log.clear()
        engine = await start(tmp_path / "desktop", fast_settings(), sessions=Sessions(
            lambda: "system", desktop_proxy=lambda: proxy.url("socks5")))
        try:
            reg = await engine.settled(await engine.manager.fetch("desktop", [url]))
            assert reg.result == "success", reg.failure_reason
        finally:
            await stop_engine(engine)
        assert proxy.targets() == [target_of(url)]


async def test_the_system_route_never_sends_a_netrc_login(
    tmp_path: Path, fault_server: FaultServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """aiohttp reads ~/.netrc when it reads the environment's proxies; a ``default``
    entry there would go to every server unasked. Credentials come from the keyring."""
    netrc = tmp_path / "netrc"
    netrc.write_text("default login alice password s3cret\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    for name in ("https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY",
                 "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    # A proxy in the environment (so aiohttp reads it), which loopback bypasses.
    monkeypatch.setenv("http_proxy", f"http://127.0.0.1:{dead_port()}")
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    engine = await start(tmp_path / "home", fast_settings(proxy="system"))
    try:
        url = fault_server.url("netrc.bin", size=2000)
        reg = await engine.settled(await engine.manager.fetch("netrc", [url]))
        assert reg.result == "success", reg.failure_reason
    finally:
        await stop_engine(engine)
    sent = fault_server.requests_for("netrc.bin")
    assert sent and all("Authorization" not in r.headers for r in sent)


# -- the command line: --proxy, and proxy credentials in a real keyring backend ------------


@contextlib.contextmanager
def https_files(cert_folder: Path) -> Iterator[int]:
    """The fault server's ``/file/{name}`` over https on loopback; yields the port.

    The certificate (tests/support/pageserver.py) is trusted by a child process
    given ``SSL_CERT_FILE=cert_folder/site.crt``.
    """
    loop = asyncio.new_event_loop()
    ready: concurrent.futures.Future[tuple[web.AppRunner, int]] = concurrent.futures.Future()

    async def serve() -> None:
        runner = web.AppRunner(create_app(FaultState()), access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, ssl_context=self_signed_context(cert_folder))
        await site.start()
        ready.set_result((runner, site._server.sockets[0].getsockname()[1]))  # type: ignore[union-attr]

    thread = threading.Thread(target=loop.run_forever, name="https-files", daemon=True)
    thread.start()
    asyncio.run_coroutine_threadsafe(serve(), loop)
    runner, port = ready.result(10)
    try:
        yield port
    finally:
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(10)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)
        loop.close()


def test_cli_proxy_tunnels_https_with_connect(tmp_path: Path, home: Home) -> None:
    with https_files(tmp_path) as port, LoopbackProxy() as proxy:
        url = f"https://127.0.0.1:{port}/file/tls.bin?size=200000"
        env = {**home.env, "SSL_CERT_FILE": str(tmp_path / "site.crt")}
        done = subprocess.run([*BGFETCH, "fetch", "--wait", "--dest", str(tmp_path / "d"),
                               "--proxy", proxy.url("http"), url],
                              env=env, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, describe(done)
        assert proxy.targets() == [f"127.0.0.1:{port}"]
        assert [r.protocol for r in proxy.log] == ["connect"]
    assert (tmp_path / "d" / "tls.bin").read_bytes() == content(200_000)


def test_cli_https_proxy(tmp_path: Path, home: Home, fault_server: FaultServer) -> None:
    """An ``https://`` proxy: TLS to the proxy itself, plain HTTP inside it."""
    url = fault_server.url("over-tls.bin", size=100_000)
    with LoopbackProxy(tls=self_signed_context(tmp_path)) as proxy:
        env = {**home.env, "SSL_CERT_FILE": str(tmp_path / "site.crt")}
        done = subprocess.run([*BGFETCH, "fetch", "--wait", "--dest", str(tmp_path / "d"),
                               "--proxy", proxy.url("https"), url],
                              env=env, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, describe(done)
        assert proxy.targets("http") == [url]
    assert (tmp_path / "d" / "over-tls.bin").read_bytes() == content(100_000)


def test_cli_proxy_credentials_go_to_the_keyring_never_argv(
    tmp_path: Path, home: Home, fault_server: FaultServer
) -> None:
    env = {**home.env, "PYTHON_KEYRING_BACKEND": "keyrings.alt.file.PlaintextKeyring",
           "XDG_DATA_HOME": str(tmp_path / "xdg")}
    url = fault_server.url("p.bin", size=3000)
    with LoopbackProxy(credential=("alice", SECRET)) as proxy:
        in_argv = home.run("fetch", "--proxy", f"socks5://alice:{SECRET}@127.0.0.1:{proxy.port}",
                           url)
        assert in_argv.returncode == 2, describe(in_argv)
        assert stderr_lines(in_argv) == [
            "bgfetch: --proxy: a proxy URL must not carry a user name or password (anyone on "
            "this machine can read them); save them in the keyring with: "
            "bgfetch login --proxy URL"]

        login = subprocess.run([*BGFETCH, "login", "--proxy", proxy.url("socks5"),
                                "--username", "alice"], input=SECRET + "\n", env=env,
                               capture_output=True, text=True, timeout=60)
        assert login.returncode == 0, describe(login)
        assert f"proxy socks5://127.0.0.1:{proxy.port}" in login.stderr
        done = subprocess.run([*BGFETCH, "fetch", "--wait", "--proxy", proxy.url("socks5"), url],
                              env=env, capture_output=True, text=True, timeout=60,
                              stdin=subprocess.DEVNULL)
        assert done.returncode == 0, describe(done)
        assert proxy.targets("socks5") == [target_of(url)]
        for path in home.path.rglob("*"):
            if path.is_file():
                assert SECRET.encode() not in path.read_bytes(), f"password found in {path}"

        logout = subprocess.run([*BGFETCH, "logout", "--proxy", proxy.url("socks5")], env=env,
                                capture_output=True, text=True, timeout=60)
        assert logout.returncode == 0, describe(logout)
        refused = subprocess.run([*BGFETCH, "fetch", "--wait", "--proxy", proxy.url("socks5"),
                                  url], env=env, capture_output=True, text=True, timeout=60,
                                 stdin=subprocess.DEVNULL)
        assert refused.returncode == 1, describe(refused)
        assert "failure: fetch-error" in refused.stderr
        # The reason is on stderr, whole, and in the engine's log.
        why = (f"proxy 127.0.0.1:{proxy.port} wants a user name and password; "
               "save them with: bgfetch login --proxy URL")
        assert why in refused.stderr, describe(refused)
        assert why in (home.path / "bgfetch.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(("value", "problem"), [
    ("ftp://127.0.0.1:21", "expected http://, https:// or socks5://host:port"),
    ("socks5://127.0.0.1:1080/path", "a proxy URL has no path"),
    ("system", "expected a proxy URL or none"),
])
def test_cli_refuses_a_bad_proxy(value: str, problem: str, home: Home) -> None:
    result = home.run("fetch", "--proxy", value, "http://127.0.0.1:8000/x")
    assert result.returncode == 2, describe(result)
    lines = stderr_lines(result)
    assert len(lines) == 1 and problem in lines[0], lines
