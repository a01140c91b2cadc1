"""Chromium with bgfetch's extension and native host, against a real bgfetch (issue 7).

Every test drives a real headless Chromium (Selenium), the extension built from
``bgfetch_gui/webext``, the native host the browser itself starts, and a real engine (the
GUI under Xvfb where the window and notifications are checked, else ``bgfetch daemon``).
Each checks bgfetch's own side (its list and the bytes on disk), not only the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.bridge.identity import CHROMIUM_EXTENSION_ID
from tests.browser.bgfetch_side import (
    SETTLE_TIMEOUT,
    assert_files_served,
    assert_landed_with_cookie,
    fetch_secrets,
    files_holding,
    of_origin,
    processes_with_argument,
    records,
    registrations,
    running,
    settled,
    wait_registration,
)
from tests.browser.conftest import (
    OpenChromium,
    allow,
    bridge_logs,
    deny,
    headless_env,
    page_call,
    wait_engine,
)
from tests.e2e.conftest import Desktop, DesktopHome, RunningApp, poll
from tests.support.accessibility import AccessibilityBus, Node
from tests.support.cdp import evaluate_in_worker
from tests.support.chromium import Chromium
from tests.support.faultserver import FaultServer
from tests.support.pageserver import SEED_FILES, SEED_ID, SEED_TITLE, PageServer

WORKER = f"chrome-extension://{CHROMIUM_EXTENSION_ID}/"
# A file that takes minutes at this rate: still running whenever the test looks.
SLOW = {"size": 64 * 1024 * 1024, "rate": 256 * 1024}


def value(answer: dict[str, Any]) -> Any:
    """The page helper's value; fail with the page's error if it rejected."""
    assert "error" not in answer, f"the page's call failed: {answer}"
    return answer["value"]


def sri(body: bytes) -> str:
    """Subresource Integrity metadata of ``body``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(body).digest()).decode()


def active_tabs(browser: Chromium) -> list[str]:
    """The URLs of the active tabs, as the extension sees them."""
    urls: list[str] = evaluate_in_worker(
        browser.debugger_address, WORKER,
        "chrome.tabs.query({active: true}).then((tabs) => tabs.map((tab) => tab.url))")
    return urls


def start_slow_fetch(browser: Chromium, home: DesktopHome, origin: str, fetch_id: str,
                     slow_url: str) -> dict[str, Any]:
    """From the page: a fetch of one slow file; bgfetch's registration once it runs."""
    started = value(page_call(browser, "fetch", fetch_id, [slow_url], {"title": fetch_id}))
    assert started["id"] == fetch_id and started["result"] == "", started
    return wait_registration(home, of_origin(fetch_id, origin), running, SETTLE_TIMEOUT,
                             f"{fetch_id} to download", lambda: bridge_logs(home))


def test_the_seed_snippet_fetches_into_bgfetch(
    page_server: PageServer, home: DesktopHome, desktop: Desktop,
    accessibility: AccessibilityBus, start_app: Any, open_chromium: OpenChromium,
) -> None:
    """The issue's snippet, verbatim, on an allowed origin: bgfetch downloads both files,
    its events reach the page, the page reads the files back through matchAll(), the
    window and a notification show the fetch, and a click on that notification brings the
    page's tab forward."""
    origin = page_server.origin
    allow(home, origin)
    gui: RunningApp = start_app()
    browser = open_chromium(host_env=desktop.env)

    browser.driver.get(f"{origin}/seed.html")

    reg = wait_registration(home, of_origin(SEED_ID, origin), settled, SETTLE_TIMEOUT,
                            "the seed's fetch to settle",
                            lambda: f"{bridge_logs(home)}\n{gui.describe()}")
    assert (reg["state"], reg["failure_reason"]) == ("success", ""), reg
    assert reg["title"] == SEED_TITLE
    assert_files_served(records(home, SEED_ID), page_server, SEED_FILES)
    assert value(page_call(browser, "errors")) == []
    # bgfetch's events reached the page: the snippet's registration object says it is done.
    succeeded = {
        "id": SEED_ID, "uploadTotal": 0, "uploaded": 0, "downloadTotal": 60 * 1024 * 1024,
        "downloaded": sum(len(page_server.files[path].body) for path in SEED_FILES),
        "result": "success", "failureReason": "", "recordsAvailable": True,
    }
    poll(lambda: value(page_call(browser, "seen", SEED_ID)) == succeeded, 30,
         lambda: f"the page's registration to succeed: {page_call(browser, 'seen', SEED_ID)}")

    bodies = poll(lambda: page_call(browser, "bodies", SEED_ID).get("value"), 30,
                  lambda: f"the page's matchAll(): {page_call(browser, 'bodies', SEED_ID)}")
    assert sorted((b["url"], b["status"], b["sha256"]) for b in bodies) == sorted(
        (f"{origin}{path}", 200, page_server.files[path].sha256) for path in SEED_FILES)

    notification = poll(
        lambda: [n for n in desktop.notifications.notifications if SEED_TITLE in n.summary],
        30, lambda: f"a notification titled {SEED_TITLE!r}: "
        f"{[n.summary for n in desktop.notifications.notifications]}")[-1]
    # The window lists it (a cell of its table), read as a screen reader would.
    poll(lambda: ("cell", SEED_TITLE) in [(n.role, n.name) for n in accessibility.nodes()],
         30, lambda: f"bgfetch's window to show {SEED_TITLE!r}; it shows "
         f"{[(n.role, n.name) for n in accessibility.nodes()]}")

    # A click on the notification brings the page's tab forward (backgroundfetchclick).
    browser.driver.switch_to.new_window("tab")
    browser.driver.get(f"{page_server.other_origin}/page.html")
    assert active_tabs(browser) == [f"{page_server.other_origin}/page.html"]
    desktop.notifications.invoke_action(notification.id, "default")
    poll(lambda: active_tabs(browser) == [f"{origin}/seed.html"], 30,
         lambda: f"the page's tab to be active: {active_tabs(browser)}\n{bridge_logs(home)}")


def test_a_running_fetch_is_found_again_after_a_reload(
    page_server: PageServer, fault_server: FaultServer, daemon: DesktopHome,
    open_chromium: OpenChromium,
) -> None:
    origin = page_server.origin
    allow(daemon, origin)
    browser = open_chromium(host_env=headless_env(daemon))
    browser.driver.get(f"{origin}/page.html")
    start_slow_fetch(browser, daemon, origin, "podcast", fault_server.url("ep.mp3", **SLOW))

    browser.driver.refresh()

    found = value(page_call(browser, "get", "podcast"))
    assert found is not None and found["id"] == "podcast" and found["result"] == "", found
    assert found["downloadTotal"] == 0 and found["downloaded"] > 0, found
    assert value(page_call(browser, "getIds")) == ["podcast"]
    assert value(page_call(browser, "get", "no-such-fetch")) is None


def test_abort_from_the_page_aborts_the_fetch_in_bgfetch(
    page_server: PageServer, fault_server: FaultServer, daemon: DesktopHome,
    open_chromium: OpenChromium,
) -> None:
    origin = page_server.origin
    allow(daemon, origin)
    browser = open_chromium(host_env=headless_env(daemon))
    browser.driver.get(f"{origin}/page.html")
    start_slow_fetch(browser, daemon, origin, "to-abort", fault_server.url("big.bin", **SLOW))

    assert value(page_call(browser, "abort", "to-abort")) is True

    reg = wait_registration(daemon, of_origin("to-abort", origin), settled, 30,
                            "the aborted fetch to settle", lambda: bridge_logs(daemon))
    assert (reg["state"], reg["failure_reason"]) == ("failure", "aborted"), reg
    assert value(page_call(browser, "getIds")) == []


def test_another_origin_sees_none_of_the_fetches(
    page_server: PageServer, fault_server: FaultServer, daemon: DesktopHome,
    open_chromium: OpenChromium,
) -> None:
    first, second = page_server.origin, page_server.other_origin
    allow(daemon, first)
    allow(daemon, second)
    browser = open_chromium(host_env=headless_env(daemon))
    browser.driver.get(f"{first}/page.html")
    start_slow_fetch(browser, daemon, first, "private-show", fault_server.url("x.bin", **SLOW))

    browser.driver.get(f"{second}/page.html")

    assert value(page_call(browser, "getIds")) == []
    assert value(page_call(browser, "get", "private-show")) is None
    # Ids are per origin: the same id here is a fetch of its own, not "already active".
    # Its Request carries integrity metadata (docs/contracts.md §12), checked by bgfetch:
    # the right digest passes, a wrong one fails the download.
    path = "/ep-5-artwork.jpg"
    right, wrong = sri(page_server.files[path].body), sri(b"tampered")
    value(page_call(browser, "fetchChecked", "private-show", f"{second}{path}", right))
    value(page_call(browser, "fetchChecked", "tampered", f"{second}{path}", wrong))
    mine, tampered = (
        wait_registration(daemon, of_origin(fetch_id, second), settled, SETTLE_TIMEOUT,
                          f"the second origin's {fetch_id} to settle", lambda: bridge_logs(daemon))
        for fetch_id in ("private-show", "tampered"))
    assert mine["state"] == "success", mine
    assert (tampered["state"], tampered["failure_reason"]) == ("failure", "fetch-error"), tampered
    bodies = poll(lambda: page_call(browser, "bodies", "private-show").get("value"), 30,
                  lambda: f"the page's matchAll(): {page_call(browser, 'bodies', 'private-show')}")
    assert [(b["integrity"], b["sha256"]) for b in bodies] == \
        [(right, page_server.files[path].sha256)]
    (theirs,) = registrations(daemon, of_origin("private-show", first))
    assert theirs["state"] == "downloading", theirs


def test_a_denied_origin_is_refused(
    page_server: PageServer, daemon: DesktopHome, open_chromium: OpenChromium,
) -> None:
    origin = page_server.origin
    deny(daemon, origin)
    # Without Chromium's own Background Fetch, every origin gets bgfetch's.
    browser = open_chromium(host_env=headless_env(daemon),
                            args=("--disable-blink-features=BackgroundFetch",))
    browser.driver.get(f"{origin}/page.html")

    answer = page_call(browser, "fetch", "denied", [f"{origin}/ep-5.mp3"], {})

    assert answer.get("error") == "NotAllowedError", answer
    assert origin in answer["message"], answer
    assert registrations(daemon, lambda reg: reg.get("origin") == origin) == []
    assert page_server.requests("/ep-5.mp3") == []


def test_mixed_content_is_refused(
    page_server: PageServer, daemon: DesktopHome, open_chromium: OpenChromium,
) -> None:
    origin = page_server.tls_origin
    allow(daemon, origin)
    browser = open_chromium(host_env=headless_env(daemon))
    browser.driver.get(f"{origin}/page.html")
    mixed = f"{page_server.mixed_origin}/ep-5.mp3"

    answer = page_call(browser, "fetch", "mixed", [f"{origin}/ep-5-artwork.jpg", mixed], {})

    assert answer.get("error") == "TypeError", answer
    assert answer["message"].startswith("requests[1]"), answer  # the http one
    assert registrations(daemon, lambda reg: reg.get("origin") == origin) == []
    assert page_server.requests("/ep-5.mp3") == []


@pytest.mark.parametrize("session", ["no display", "desktop"])
def test_the_host_starts_bgfetch_when_it_is_not_running(
    session: str, page_server: PageServer, home: DesktopHome, open_chromium: OpenChromium,
    request: pytest.FixtureRequest,
) -> None:
    """Without a display the host starts a daemon; on a desktop, the app (minimized)."""
    origin = page_server.origin
    allow(home, origin)
    assert home.ping() is None
    if session == "desktop":
        desktop: Desktop = request.getfixturevalue("desktop")
        # The app the host starts must quit before its display goes (set up last, the
        # desktop is torn down first); events never start an engine again.
        request.addfinalizer(home.stop_engines)
        host_env, engine = desktop.env, "gui"
    else:
        host_env, engine = headless_env(home), "daemon"
    browser = open_chromium(host_env=host_env)
    browser.driver.get(f"{origin}/page.html")

    answer = page_call(browser, "fetch", "cold-start", [f"{origin}/ep-5-artwork.jpg"],
                       {"title": "Cold start"})

    assert "error" not in answer, f"{answer}\n{bridge_logs(home)}"
    wait_engine(home, engine)
    reg = wait_registration(home, of_origin("cold-start", origin), settled, SETTLE_TIMEOUT,
                            "the fetch to settle", lambda: bridge_logs(home))
    assert reg["state"] == "success", reg
    assert_files_served(records(home, "cold-start"), page_server, ("/ep-5-artwork.jpg",))


def enable_take_over(browser: Chromium) -> None:
    """What the user does on the options page: take over the browser's downloads."""
    evaluate_in_worker(browser.debugger_address, WORKER,
                       "chrome.storage.local.set({takeOver: {enabled: true}}).then(() => true)")


def browser_download(browser: Chromium, name: str, timeout: float = 60.0) -> bytes:
    """The bytes of ``name`` in the browser's download folder, once complete there."""
    path = browser.downloads / name
    poll(lambda: path.exists(), timeout,
         lambda: f"{name} in the browser's downloads: {sorted(browser.downloads.iterdir())}",
         interval=0.1)
    return path.read_bytes()


@pytest.mark.parametrize("host", ["exits at once", "not installed"])
def test_the_browser_keeps_its_download_when_bgfetch_is_unreachable(
    host: str, page_server: PageServer, home: DesktopHome, host_exits: Path,
    open_chromium: OpenChromium,
) -> None:
    def host_starts() -> list[str]:
        calls = host_exits.with_suffix(".calls")
        return calls.read_text().splitlines() if calls.exists() else []

    browser = open_chromium(launcher=host_exits if host == "exits at once" else None)
    enable_take_over(browser)
    browser.driver.get(f"{page_server.origin}/page.html")
    before = len(host_starts())

    browser.driver.find_element("id", "download").click()

    body = browser_download(browser, "setup.bin")
    assert body == page_server.files["/files/setup.bin"].body
    assert home.ping() is None
    if host == "exits at once":
        # The extension did try to hand it over: it started the (failing) host for it.
        starts = host_starts()
        assert len(starts) > before, starts
        assert set(starts) == {f"chrome-extension://{CHROMIUM_EXTENSION_ID}/"}, starts


def test_hand_offs_carry_the_browsers_cookie(
    page_server: PageServer, daemon: DesktopHome, open_chromium: OpenChromium,
) -> None:
    """A link from the context menu and a taken-over download both land in bgfetch, which
    fetches them with the site's cookie from the browser (the server refuses them without)."""
    origin = page_server.origin
    browser = open_chromium(host_env=headless_env(daemon))
    enable_take_over(browser)
    browser.driver.get(f"{origin}/login")  # sets the session cookie
    menu_url, click_url = f"{origin}/private/report.bin", f"{origin}/private/archive.bin"

    # What the browser does when the user picks "Download with bgfetch" on the link.
    evaluate_in_worker(browser.debugger_address, WORKER, f"""
        chrome.tabs.query({{active: true}}).then(([tab]) => {{
          chrome.contextMenus.onClicked.dispatch({{
            menuItemId: "bgfetch-download", linkUrl: {json.dumps(menu_url)}, pageUrl: tab.url,
            frameId: 0, editable: false}}, tab);
          return true;
        }})""")
    browser.driver.find_element("id", "archive").click()

    assert_landed_with_cookie(daemon, page_server, menu_url)
    assert_landed_with_cookie(daemon, page_server, click_url)
    # The taken-over download left the browser.
    assert not (browser.downloads / "archive.bin").exists()


def test_a_pages_fetch_sends_the_sites_cookie_kept_in_the_keyring_only(
    page_server: PageServer, daemon: DesktopHome, open_chromium: OpenChromium,
) -> None:
    """A same-origin request of a page's fetch carries the browser's cookie for it, which
    bgfetch keeps in the keyring while the fetch runs, then forgets; never on disk
    elsewhere, never on a command line. It also carries the page as its Referer."""
    origin, path = page_server.origin, "/private/report.bin"
    allow(daemon, origin)
    browser = open_chromium(host_env=headless_env(daemon))
    browser.driver.get(f"{origin}/login")  # sets the session cookie
    cookie = f"session={page_server.session}"

    value(page_call(browser, "fetch", "report", [f"{origin}{path}"], {"title": "Report"}))

    # Registered, and running for seconds yet (the file trickles in).
    assert any(cookie in secret for secret in fetch_secrets()), fetch_secrets()
    assert processes_with_argument(page_server.session) == []
    reg = wait_registration(daemon, of_origin("report", origin), settled, SETTLE_TIMEOUT,
                            "the fetch to settle", lambda: bridge_logs(daemon))
    assert reg["state"] == "success", reg
    assert_files_served(records(daemon, "report"), page_server, (path,))
    (sent,) = [r for r in page_server.requests(path)
               if "Mozilla" not in r.headers.get("User-Agent", "")]
    assert cookie in sent.headers.get("Cookie", ""), sent
    assert sent.headers.get("Referer") == f"{origin}/login", sent
    poll(lambda: fetch_secrets() == [], 10, lambda: f"the keyring to forget {fetch_secrets()}")
    assert files_holding(daemon.path, page_server.session) == []


def test_an_undecided_origin_asks_the_user_in_bgfetch(
    page_server: PageServer, home: DesktopHome, desktop: Desktop,
    accessibility: AccessibilityBus, start_app: Any, open_chromium: OpenChromium,
) -> None:
    """The first fetch of an origin nobody decided about shows bgfetch's question; the
    user's "Always allow" (pressed as a screen reader would) lets it through and is kept."""
    origin = page_server.origin
    start_app()
    # Without Chromium's own Background Fetch, an undecided origin gets bgfetch's.
    browser = open_chromium(host_env=desktop.env,
                            args=("--disable-blink-features=BackgroundFetch",))
    browser.driver.get(f"{origin}/page.html")

    browser.driver.execute_script(
        "window.asked = window.bgfetchTest.fetch(...arguments[0])",
        ["asked", [f"{origin}/ep-5-artwork.jpg"], {"title": "Artwork"}])

    def button() -> Node | None:
        nodes = accessibility.nodes()
        shown = {n.name for n in nodes}
        if not {origin, "Artwork"} <= shown:  # the question names the site and the fetch
            return None
        return next((n for n in nodes if (n.role, n.name) == ("push button", "Always allow")),
                    None)

    always = poll(button, 60, lambda: f"bgfetch's question; the desktop shows "
                  f"{[(n.role, n.name) for n in accessibility.nodes()]}\n{bridge_logs(home)}")
    accessibility.press(always)

    answer = browser.driver.execute_async_script("window.asked.then(arguments[0])")
    assert value(answer)["id"] == "asked", answer
    reg = wait_registration(home, of_origin("asked", origin), settled, SETTLE_TIMEOUT,
                            "the allowed fetch to settle", lambda: bridge_logs(home))
    assert reg["state"] == "success", reg
    sites = json.loads(home.ok("sites", "list", "--json").stdout)
    assert [(s["origin"], s["decision"]) for s in sites] == [(origin, "allow")], sites


def test_a_fetch_over_the_origins_quota_is_refused(
    page_server: PageServer, daemon: DesktopHome, open_chromium: OpenChromium,
) -> None:
    origin = page_server.origin
    daemon.ok("sites", "allow", origin, "--quota", "1M")
    browser = open_chromium(host_env=headless_env(daemon))
    browser.driver.get(f"{origin}/page.html")

    answer = page_call(browser, "fetch", "too-big", [f"{origin}/ep-5.mp3"],
                       {"downloadTotal": 2 * 1024 * 1024})

    assert answer.get("error") == "QuotaExceededError", answer
    assert registrations(daemon, lambda reg: reg.get("origin") == origin) == []
    assert page_server.requests("/ep-5.mp3") == []

