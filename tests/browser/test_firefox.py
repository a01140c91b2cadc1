"""Firefox ESR with bgfetch's add-on, driven over WebDriver BiDi, against a real bgfetch.

Firefox has no Background Fetch of its own, so every page gets bgfetch's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from tests.browser.bgfetch_side import (
    SETTLE_TIMEOUT,
    assert_files_served,
    assert_landed_with_cookie,
    of_origin,
    records,
    settled,
    wait_registration,
)
from tests.browser.conftest import (
    FirefoxSession,
    allow,
    bridge_logs,
    headless_env,
    until,
)
from tests.e2e.conftest import DesktopHome
from tests.support.pageserver import SEED_FILES, SEED_ID, SEED_TITLE, PageServer

OpenFirefox = Callable[[dict[str, str]], Awaitable[FirefoxSession]]


async def test_the_seed_snippet_fetches_into_bgfetch(
    page_server: PageServer, daemon: DesktopHome, open_firefox: OpenFirefox,
) -> None:
    origin = page_server.origin
    allow(daemon, origin)
    firefox = await open_firefox(headless_env(daemon))

    await firefox.client.navigate(firefox.context, f"{origin}/seed.html")

    reg = await asyncio.to_thread(
        wait_registration, daemon, of_origin(SEED_ID, origin), settled, SETTLE_TIMEOUT,
        "the seed's fetch to settle", lambda: bridge_logs(daemon))
    assert (reg["state"], reg["title"]) == ("success", SEED_TITLE), reg
    assert_files_served(records(daemon, SEED_ID), page_server, SEED_FILES)

    total = sum(len(page_server.files[path].body) for path in SEED_FILES)

    async def done() -> bool:
        seen = (await firefox.call("seen", SEED_ID)).get("value") or {}
        return (seen.get("result"), seen.get("downloaded")) == ("success", total)

    await until(done, 30, "bgfetch's events to tell the page it succeeded")

    async def bodies() -> Any:
        return (await firefox.call("bodies", SEED_ID)).get("value")

    found = await until(bodies, 30, "the page's matchAll()")
    assert sorted((b["url"], b["status"], b["sha256"]) for b in found) == sorted(
        (f"{origin}{path}", 200, page_server.files[path].sha256) for path in SEED_FILES)
    assert (await firefox.call("errors")) == {"value": []}


async def test_a_taken_over_download_lands_in_bgfetch_with_the_cookie(
    page_server: PageServer, daemon: DesktopHome, open_firefox: OpenFirefox,
) -> None:
    origin = page_server.origin
    firefox = await open_firefox(headless_env(daemon))
    await firefox.enable_take_over()
    await firefox.client.navigate(firefox.context, f"{origin}/login")
    url = f"{origin}/private/archive.bin"

    await firefox.client.evaluate_json(firefox.context,
                                       "document.getElementById('archive').click()")

    await asyncio.to_thread(assert_landed_with_cookie, daemon, page_server, url)
    assert not (firefox.downloads / "archive.bin").exists()
