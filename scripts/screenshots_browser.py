"""Screenshots for docs/: a web page's Background Fetch in bgfetch's window and in a real
notification (dunst).

Everything is real and private: Xvfb, a session bus with Debian's dunst on it, the bgfetch
app (xcb) on a temporary data folder, the test web site on 127.0.0.1, and headless
Chromium with bgfetch's extension and native host. The page runs the snippet of issue 7;
once bgfetch has the files, the app's window and dunst's popup are captured with ``xwd``.

    python scripts/screenshots_browser.py [--out docs]

Writes ``web-fetch-window.png`` and ``web-fetch-notification.png``. Needs the Debian
packages of packaging/debian-test-packages.txt (xvfb, dbus, dunst, x11-apps, imagemagick,
xdotool, chromium, chromium-driver).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bgfetch_gui.webext.build import build_extension  # noqa: E402
from tests.browser.native_host import install_manifest, write_launcher  # noqa: E402
from tests.e2e.conftest import DesktopHome  # noqa: E402
from tests.gui.test_dunst_screenshot import DUNSTRC  # noqa: E402
from tests.support.chromium import start_chromium  # noqa: E402
from tests.support.notification_fixtures import start_private_bus  # noqa: E402
from tests.support.pageserver import SEED_ID, SEED_TITLE, PageServer, Served  # noqa: E402

T = TypeVar("T")
TIMEOUT = 90.0


def wait_for(check: Callable[[], T | None], what: str, timeout: float = TIMEOUT) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.2)


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextlib.contextmanager
def started(args: list[str], env: dict[str, str], log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """A child process for the duration of the block, stopped by its pid."""
    with log.open("wb") as sink:
        proc = subprocess.Popen(args, env=env, stdin=subprocess.DEVNULL, stdout=sink,
                                stderr=subprocess.STDOUT)
    try:
        yield proc
    finally:
        stop(proc)


@contextlib.contextmanager
def xvfb() -> Iterator[str]:
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1920x1080x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise SystemExit("Xvfb did not start")
        yield f":{number}"
    finally:
        stop(proc)


def episode_icon() -> bytes:
    """A podcast-cover-like square: a gradient with "EP 5" on it."""
    return subprocess.run(
        ["convert", "-size", "300x300", "gradient:#5e81ac-#b48ead", "-gravity", "center",
         "-font", "DejaVu-Sans-Bold", "-pointsize", "110", "-fill", "white",
         "-annotate", "0", "EP 5", "png:-"],
        capture_output=True, check=True, timeout=30).stdout


def window_of(display: str, *search: str) -> str | None:
    """The first visible window ``xdotool search ...`` finds."""
    found = subprocess.run(["xdotool", "search", "--onlyvisible", *search],
                           env={**os.environ, "DISPLAY": display}, capture_output=True,
                           text=True, check=False)
    ids = found.stdout.split()
    return ids[0] if ids else None


def capture(display: str, window: str, path: Path) -> None:
    xwd = subprocess.run(["xwd", "-silent", "-display", display, "-id", window],
                         capture_output=True, check=True, timeout=30)
    subprocess.run(["convert", "xwd:-", f"png:{path}"], input=xwd.stdout, check=True,
                   capture_output=True, timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    out = parser.parse_args().out.resolve()
    with tempfile.TemporaryDirectory(prefix="bgfetch-shots-") as tmp_name:
        tmp = Path(tmp_name)
        user = tmp / "user"
        user.mkdir()
        # The CLI, the app and the browser all run as this throw-away user.
        os.environ.update(HOME=str(user), XDG_DATA_HOME=str(tmp / "xdg-data"),
                          PYTHON_KEYRING_BACKEND="keyrings.alt.file.PlaintextKeyring")
        home = DesktopHome(tmp)
        runtime = tmp / "xdg-runtime"
        runtime.mkdir(mode=0o700)
        bus = start_private_bus(tmp)
        try:
            with xvfb() as display, PageServer(tmp) as site:
                # The site's icon is random bytes (for the tests); the docs get a picture.
                site.files["/ep-5-icon.png"] = Served(episode_icon(), "image/png")
                env = {**home.env, "QT_QPA_PLATFORM": "xcb", "DISPLAY": display,
                       "DBUS_SESSION_BUS_ADDRESS": bus.address, "XDG_RUNTIME_DIR": str(runtime),
                       "BGFETCH_NETWORK_BACKEND": "none"}
                (tmp / "dunstrc").write_text(DUNSTRC, encoding="utf-8")
                home.ok("sites", "allow", site.origin)
                with started(["dunst", "-config", str(tmp / "dunstrc")], env, tmp / "dunst.log"), \
                        started([sys.executable, "-m", "bgfetch_gui"], env, tmp / "app.log"):
                    wait_for(lambda: (home.ping() or {}).get("kind") == "gui", "the app")
                    browser_dir = tmp / "chromium"
                    browser_dir.mkdir()
                    install_manifest(browser_dir / "user-data" / "NativeMessagingHosts",
                                     "chromium", write_launcher(browser_dir / "host", env))
                    browser = start_chromium(
                        browser_dir, env={**os.environ},
                        extension=build_extension(tmp / "extension", "chromium"))
                    try:
                        browser.driver.get(f"{site.origin}/seed.html")
                        wait_for(lambda: any(r["id"] == SEED_ID and r["state"] == "success"
                                             for r in home.list_json()), "the fetch")
                        window = wait_for(lambda: window_of(display, "--name", "^bgfetch$"),
                                          "bgfetch's window")
                        popup = wait_for(lambda: window_of(display, "--class", "Dunst"),
                                         f"dunst's popup of {SEED_TITLE!r}")
                        time.sleep(1.0)  # let both finish drawing: no event says "drawn"
                        out.mkdir(parents=True, exist_ok=True)
                        capture(display, window, out / "web-fetch-window.png")
                        capture(display, popup, out / "web-fetch-notification.png")
                    finally:
                        browser.stop()
                        home.run("quit")
        finally:
            home.stop_engines()
            bus.stop()
    print(f"wrote {out / 'web-fetch-window.png'} and {out / 'web-fetch-notification.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
