"""Real-browser fixtures: Chromium (Selenium) and Firefox (WebDriver BiDi) with bgfetch's
extension, its native-messaging host, a real bgfetch engine and a test web site.

Every test gets a temporary ``HOME`` and ``BGFETCH_HOME`` (the e2e ``home``), a keyring
that is a file in the test's folder, and its own browser profile. Every process a test
starts is stopped by pid at its end: browsers (with their helpers and the native host they
started), the GUI app (``start_app``) or daemon, and whatever engine the host started
(``home.stop_engines`` finds it by its ``BGFETCH_HOME``).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bgfetch_gui.bridge.identity import FIREFOX_ADDON_ID
from bgfetch_gui.bridge.native_host import LOG_NAME as HOST_LOG
from bgfetch_gui.platform.engine_launch import DAEMON_LOG, GUI_OUTPUT_LOG
from bgfetch_gui.webext.build import build_extension
from tests.browser.native_host import exiting_launcher, install_manifest, write_launcher
from tests.e2e.conftest import (
    GUI_LOG,
    Desktop,
    DesktopHome,
    desktop,
    home,
    poll,
    start_app,
    stop_process,
    trayer,
    x_display,
    xdg_open,
    xvfb_display,
)
from tests.integration.cli_helpers import BGFETCH
from tests.support.accessibility import APP_ENV, AccessibilityBus
from tests.support.bidi import BiDiClient
from tests.support.chromium import Chromium, start_chromium
from tests.support.firefox import Firefox
from tests.support.notification_fixtures import notification_server, session_bus
from tests.support.pageserver import PageServer

__all__ = [
    "Desktop", "desktop", "home", "notification_server", "session_bus", "start_app",
    "trayer", "x_display", "xdg_open", "xvfb_display",
]

T = TypeVar("T")
ENGINE_START_TIMEOUT = 45.0
BROWSER_START_TIMEOUT = 60.0
# The Chromium switches every test browser gets: https://site.test:PORT reaches the page
# server, whose certificate is self-signed.
SITE_ARGS = ("--ignore-certificate-errors", "--host-resolver-rules=MAP *.test 127.0.0.1")


@pytest.fixture(autouse=True)
def private_user(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary HOME, and a keyring that is a file in it (for cookies: docs/contracts.md §7)."""
    user_home = tmp_path / "user"
    user_home.mkdir()
    monkeypatch.setenv("HOME", str(user_home))
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyrings.alt.file.PlaintextKeyring")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    return user_home


@pytest.fixture
def page_server(tmp_path: Path) -> Iterator[PageServer]:
    with PageServer(tmp_path) as server:
        yield server


@pytest.fixture(scope="session")
def chromium_extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_extension(tmp_path_factory.mktemp("ext") / "chromium", "chromium")


@pytest.fixture(scope="session")
def firefox_extension(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_extension(tmp_path_factory.mktemp("ext") / "firefox", "firefox")


# -- bgfetch --------------------------------------------------------------------------


def headless_env(home: DesktopHome) -> dict[str, str]:
    """The environment of a session without a display: a host started in it that finds no
    engine starts a daemon, never the app."""
    env = home.env
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS"):
        env.pop(name, None)
    return env


def wait_engine(home: DesktopHome, kind: str, timeout: float = ENGINE_START_TIMEOUT) -> None:
    """Until the engine of ``home`` answers as ``kind`` ("daemon" or "gui")."""

    def answered() -> bool:
        answer = home.ping()
        return answer is not None and answer.get("kind") == kind

    poll(answered, timeout, lambda: f"a {kind} engine to answer; daemon.log: "
         f"{read_tail(home.path / DAEMON_LOG)}", interval=0.1)


@pytest.fixture
def daemon(home: DesktopHome) -> Iterator[DesktopHome]:
    """``bgfetch daemon`` running on ``home``, its log in ``daemon.log`` (not a pipe nobody
    reads, which a long test could fill); stopped by its pid."""
    with (home.path / DAEMON_LOG).open("ab") as log:
        proc = subprocess.Popen([*BGFETCH, "daemon"], env=home.env, cwd=home.path,
                                stdin=subprocess.DEVNULL, stdout=log, stderr=log)
    try:
        wait_engine(home, "daemon")
        yield home
    finally:
        stop_process(proc)


def allow(home: DesktopHome, origin: str) -> None:
    home.ok("sites", "allow", origin)


def deny(home: DesktopHome, origin: str) -> None:
    home.ok("sites", "deny", origin)


def read_tail(path: Path, size: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-size:]
    except FileNotFoundError:
        return f"({path.name} does not exist)"


def bridge_logs(home: DesktopHome) -> str:
    """The native host's and engines' logs, for failure messages."""
    return "\n".join(f"--- {name} ---\n{read_tail(home.path / name)}"
                     for name in (HOST_LOG, DAEMON_LOG, GUI_LOG, GUI_OUTPUT_LOG))


@pytest.fixture
def accessibility(desktop: Desktop, tmp_path: Path,
                  monkeypatch: pytest.MonkeyPatch) -> Iterator[AccessibilityBus]:
    """The desktop's accessibility bus; apps started afterwards publish their widgets."""
    for name, setting in APP_ENV.items():
        monkeypatch.setenv(name, setting)
    bus = AccessibilityBus(desktop.env, tmp_path / "at-spi.log")
    try:
        yield bus
    finally:
        bus.stop()


# -- Chromium ----------------------------------------------------------------------------


OpenChromium = Callable[..., Chromium]


@pytest.fixture
def open_chromium(
    tmp_path: Path, chromium_extension: Path, private_user: Path, home: DesktopHome,
) -> Iterator[OpenChromium]:
    """``open_chromium(host_env=..., launcher=..., args=())``: Chromium with bgfetch's
    extension; its native host runs with ``host_env`` (or is ``launcher``, or is not
    installed when neither is given). Every browser opened is stopped at the end, before
    any engine of ``home`` is (so no host is left to start one again)."""
    opened: list[Chromium] = []

    def open_browser(*, host_env: dict[str, str] | None = None, launcher: Path | None = None,
                     args: tuple[str, ...] = ()) -> Chromium:
        workdir = tmp_path / f"chromium-{len(opened) + 1}"
        workdir.mkdir()
        if host_env is not None:
            launcher = write_launcher(workdir / "native-host", host_env)
        if launcher is not None:
            install_manifest(workdir / "user-data" / "NativeMessagingHosts", "chromium",
                             launcher)
        env = {**os.environ, "HOME": str(private_user)}
        browser = start_chromium(workdir, extension=chromium_extension, env=env,
                                 extra_args=(*SITE_ARGS, *args))
        opened.append(browser)
        return browser

    yield open_browser
    for browser in opened:
        browser.stop()


@pytest.fixture
def host_exits(tmp_path: Path) -> Path:
    """A native host that exits at once; each start is a line in ``exiting-host.calls``."""
    return exiting_launcher(tmp_path / "exiting-host", tmp_path / "exiting-host.calls")


def page_call(browser: Chromium, name: str, *args: Any) -> dict[str, Any]:
    """``window.bgfetchTest[name](...args)`` in the current page: ``{"value"}`` or
    ``{"error", "message"}``."""
    result: dict[str, Any] = browser.driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "window.bgfetchTest[arguments[0]](...arguments[1]).then(done,"
        " (e) => done({error: 'page helper', message: String(e)}));",
        name, list(args))
    return result


# -- Firefox ---------------------------------------------------------------------------


async def until(check: Callable[[], Awaitable[T | None]], timeout: float,
                what: str | Callable[[], str]) -> T:
    """``await check()`` once it is truthy; fail (describing ``what``) after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {detail}", pytrace=False)
        await asyncio.sleep(0.2)


# Firefox gives each add-on a random internal UUID (its moz-extension:// host) unless this
# pref fixes it; fixed, the test can open the add-on's options page.
FIREFOX_ADDON_UUID = "e53f08e3-ff7e-5257-a236-13aa90ca2c26"


class FirefoxSession:
    """Firefox, its BiDi session, the installed extension and the tab under test."""

    def __init__(self, firefox: Firefox, client: BiDiClient, context: str,
                 downloads: Path) -> None:
        self.firefox = firefox
        self.client = client
        self.context = context
        self.downloads = downloads

    async def enable_take_over(self) -> None:
        """What the user does: open the add-on's options and tick "take over downloads"."""
        url = f"moz-extension://{FIREFOX_ADDON_UUID}/options.html"
        # Content navigation may not open an add-on's page; the browser window may.
        await self.client.evaluate_json(await self.client.chrome_context(), (
            f"gBrowser.selectedTab = gBrowser.addTab({json.dumps(url)}, {{triggeringPrincipal:"
            " Services.scriptSecurityManager.getSystemPrincipal()}), true"))

        async def options_tab() -> str | None:
            for context in await self.client.contexts():
                if context["url"] == url:
                    return str(context["context"])
            return None

        options = await until(options_tab, 30, "the options page's tab")
        # Clicked until it sticks: the form ignores clicks until it shows the stored settings.
        tick = ("(() => { const box = document.forms['take-over']?.elements.enabled;"
                " if (box && !box.checked) box.click();"
                " return document.getElementById('saved')?.textContent === 'Saved.'; })()")
        await until(lambda: self.client.evaluate_json(options, tick), 30,
                    "the options page to save")

    async def call(self, name: str, *args: Any) -> dict[str, Any]:
        """``window.bgfetchTest[name](...args)`` in the tab, like :func:`page_call`."""
        result: dict[str, Any] = await self.client.call_json(
            self.context, f"(...args) => window.bgfetchTest[{json.dumps(name)}](...args)",
            *args)
        return result


@pytest.fixture
async def open_firefox(
    tmp_path: Path, firefox_extension: Path, private_user: Path, home: DesktopHome,
) -> AsyncIterator[Callable[..., Any]]:
    """``await open_firefox(host_env)``: Firefox with bgfetch's add-on installed and its
    native host (in ``$HOME/.mozilla/native-messaging-hosts``) running with ``host_env``;
    stopped at the end, before any engine of ``home`` is."""
    started: list[tuple[Firefox, BiDiClient | None]] = []

    async def open_browser(host_env: dict[str, str]) -> FirefoxSession:
        workdir = tmp_path / f"firefox-{len(started) + 1}"
        workdir.mkdir()
        launcher = write_launcher(workdir / "native-host", host_env)
        install_manifest(private_user / ".mozilla" / "native-messaging-hosts", "firefox",
                         launcher)
        downloads = workdir / "browser-downloads"
        downloads.mkdir()
        env = {**os.environ, "HOME": str(private_user), "MOZ_CRASHREPORTER_DISABLE": "1"}
        env.pop("DISPLAY", None)
        firefox = Firefox(workdir / "profile", downloads, env, prefs={
            "extensions.webextensions.uuids": json.dumps({FIREFOX_ADDON_ID: FIREFOX_ADDON_UUID}),
        })
        started.append((firefox, None))
        url = firefox.wait_listening(BROWSER_START_TIMEOUT)
        client = await BiDiClient.connect(url)
        started[-1] = (firefox, client)
        await client.new_session({"acceptInsecureCerts": True})
        await client.install_extension(str(firefox_extension))
        return FirefoxSession(firefox, client, await client.top_context(), downloads)

    yield open_browser
    for firefox, client in started:
        if client is not None:
            await client.close()
        firefox.stop()

