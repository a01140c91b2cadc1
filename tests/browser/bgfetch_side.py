"""What bgfetch itself says about the fetches a browser made: its list, its records, its
files. A browser test checks these, not only the page (a page can be fooled by its own
script; bgfetch's list and the bytes on disk cannot)."""

from __future__ import annotations

import configparser
import contextlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from keyrings.alt.escape import unescape  # type: ignore[import-untyped]
from keyrings.alt.file import PlaintextKeyring  # type: ignore[import-untyped]

from bgfetch_gui.platform.secrets import SERVICE as SECRETS_SERVICE
from tests.browser.conftest import bridge_logs
from tests.e2e.conftest import DesktopHome, poll
from tests.support.pageserver import PageServer

SETTLE_TIMEOUT = 60.0  # within pytest-timeout's 120 s a test, with room to report


Match = Callable[[dict[str, Any]], bool]


def registrations(home: DesktopHome, match: Match) -> list[dict[str, Any]]:
    """Every registration bgfetch lists that ``match`` accepts."""
    return [reg for reg in home.list_json() if match(reg)]


def of_origin(fetch_id: str, origin: str) -> Match:
    return lambda reg: reg.get("id") == fetch_id and reg.get("origin") == origin


def wait_registration(home: DesktopHome, match: Match, until: Match, timeout: float,
                      what: str, logs: Callable[[], str]) -> dict[str, Any]:
    """The one registration ``match`` accepts, once ``until(reg)`` holds."""
    box: dict[str, Any] = {}

    def check() -> bool:
        found = registrations(home, match)
        box["found"] = found
        return len(found) == 1 and until(found[0])

    poll(check, timeout, lambda: f"{what}; bgfetch lists {box.get('found')}\n{logs()}",
         interval=0.2)
    reg: dict[str, Any] = box["found"][0]
    return reg


def settled(reg: dict[str, Any]) -> bool:
    return reg.get("state") in ("success", "failure")


def running(reg: dict[str, Any]) -> bool:
    """Downloading with some bytes already in: certainly not about to settle."""
    return reg.get("state") == "downloading" and int(reg.get("downloaded") or 0) > 0


def hand_off_of(home: DesktopHome, url: str) -> dict[str, Any] | None:
    """The settled registration whose one record is ``url`` (a browser's hand-off)."""
    for reg in home.list_json():
        if settled(reg) and [r["url"] for r in records(home, reg["id"])] == [url]:
            return reg
    return None


def records(home: DesktopHome, fetch_id: str) -> list[dict[str, Any]]:
    records_: list[dict[str, Any]] = home.show(fetch_id)["records"]
    return records_


def assert_files_served(records_: list[dict[str, Any]], server: PageServer,
                        paths: tuple[str, ...]) -> None:
    """Each record is one of ``paths`` on ``server`` and its file holds the served bytes."""
    by_path = {rec["url"].split("?", 1)[0].removeprefix(server.origin): rec for rec in records_}
    assert sorted(by_path) == sorted(paths), records_
    for path in paths:
        stored = Path(by_path[path]["path"])
        body = server.files[path].body
        assert stored.read_bytes() == body, (
            f"{stored} ({stored.stat().st_size} bytes) is not what {path} served "
            f"({len(body)} bytes)")


def assert_landed_with_cookie(home: DesktopHome, server: PageServer, url: str) -> None:
    """bgfetch downloaded ``url`` (a hand-off) in full, sending the site's session cookie."""
    reg = poll(lambda: hand_off_of(home, url), SETTLE_TIMEOUT,
               lambda: f"bgfetch to download {url}: {home.list_json()}\n{bridge_logs(home)}")
    assert reg["state"] == "success", reg
    (record,) = records(home, reg["id"])
    path = url.removeprefix(server.origin)
    assert Path(record["path"]).read_bytes() == server.files[path].body
    by_bgfetch = [r for r in server.requests(path)
                  if "Mozilla" not in r.headers.get("User-Agent", "")]
    assert by_bgfetch, server.requests(path)
    for request in by_bgfetch:
        assert f"session={server.session}" in request.headers.get("Cookie", ""), request


def fetch_secrets() -> list[str]:
    """Every secret bgfetch keeps in the (test's file) keyring for running fetches."""
    ring = PlaintextKeyring()  # what PYTHON_KEYRING_BACKEND picks in these tests
    config = configparser.RawConfigParser()
    config.optionxform = str  # type: ignore[assignment,method-assign]  # keep case
    config.read(ring.file_path, encoding="utf-8")
    secrets: list[str] = []
    for section in config.sections():
        if unescape(section) != SECRETS_SERVICE:
            continue
        for option in config.options(section):
            secret = ring.get_password(SECRETS_SERVICE, unescape(option))
            if secret is not None:
                secrets.append(secret)
    return secrets


def files_holding(folder: Path, secret: str) -> list[Path]:
    """The files under ``folder`` whose bytes contain ``secret``."""
    needle = secret.encode()
    return [path for path in folder.rglob("*") if path.is_file() and needle in path.read_bytes()]


def processes_with_argument(secret: str) -> list[int]:
    """Pids whose command line contains ``secret``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if secret.encode() in (entry / "cmdline").read_bytes():
                    found.append(int(entry.name))
    return found
