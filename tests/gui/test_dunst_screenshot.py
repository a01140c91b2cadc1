"""A real notification server draws what DBusNotifier sends: dunst on Xvfb, on camera.

The test notification server proves what we *send*; this proves a stock
server *accepts and draws* it (GDBus-based servers reject a wrongly typed
``Notify`` outright). It starts a private X server and session bus, runs
Debian's ``dunst`` on them, sends a progress and a success notification
through :class:`DBusNotifier` on the qasync loop, and compares screenshots
taken with ``xwd`` before and after. The picture is kept as
``docs/notification.png``.

It also checks the other half of the folder opener: on a real X display
(``xcb``), Qt's ``QDesktopServices`` runs ``xdg-open`` itself.

Needs the Debian packages ``xvfb``, ``dunst``, ``x11-apps`` (xwd) and
``imagemagick`` (convert); without them the test fails and says which.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QImage

from bgfetch_gui.engine.model import FailureReason, Icon, Record, Snapshot, State
from bgfetch_gui.platform.notifications import (
    DBusNotifier,
    InAppNotifier,
    group_notification,
    notification_for,
    notifier_chain,
)
from tests.support.notification_fixtures import PrivateSessionBus

ROOT = Path(__file__).resolve().parents[2]
# The test writes the picture only when asked (scripts/screenshots.py does), so a
# test run never leaves the checkout modified.
DOCS_PICTURE_ENV = "BGFETCH_SAVE_DOCS"
DOCS_PICTURE = ROOT / "docs" / "notification.png"
ICON = ROOT / "resources" / "icons" / "bgfetch-64.png"
MB = 1024 * 1024

TOOLS = {"Xvfb": "xvfb", "dunst": "dunst", "xwd": "x11-apps", "convert": "imagemagick"}

DUNSTRC = """\
[global]
    width = 420
    height = 160
    origin = top-right
    offset = 16x16
    notification_limit = 5
    font = DejaVu Sans 11
    format = "<b>%s</b>\\n%b"
    frame_width = 2
    frame_color = "#5e81ac"
    separator_height = 2
    padding = 10
    horizontal_padding = 12
    gap_size = 8
    progress_bar = true
    progress_bar_height = 10
    progress_bar_min_width = 150
    progress_bar_max_width = 380
    icon_position = left
    min_icon_size = 48
    max_icon_size = 48
    show_indicators = no

[urgency_low]
    background = "#2e3440"
    foreground = "#eceff4"
    highlight = "#88c0d0"
    timeout = 60

[urgency_normal]
    background = "#2e3440"
    foreground = "#eceff4"
    highlight = "#88c0d0"
    timeout = 60

[urgency_critical]
    background = "#bf616a"
    foreground = "#eceff4"
    timeout = 0
"""


def _require_tools() -> None:
    missing = [f"{tool} (Debian package {pkg})" for tool, pkg in TOOLS.items()
               if shutil.which(tool) is None]
    if missing:
        pytest.fail("missing: " + ", ".join(missing) + "; apt-get install -y "
                    + " ".join(TOOLS[t.split()[0]] for t in missing), pytrace=False)


@pytest.fixture
def xvfb() -> Iterator[str]:
    """A private X server on a free display (Xvfb picks it: -displayfd)."""
    _require_tools()
    read_fd, write_fd = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x600x24", "-nolisten", "tcp"],
        pass_fds=(write_fd,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        if not number:
            pytest.fail("Xvfb did not start", pytrace=False)
        yield f":{number}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Dunst:
    display: str
    proc: subprocess.Popen[bytes]
    log: Path

    def why_not_up(self) -> str:
        """For failure messages: has dunst exited, and what did it say."""
        state = f"exited with {self.proc.returncode}" if self.proc.poll() is not None else "running"
        return f"dunst {state}; its log: {self.log.read_text(errors='replace')[-2000:]!r}"


@pytest.fixture
def dunst(xvfb: str, session_bus: PrivateSessionBus, tmp_path: Path) -> Iterator[Dunst]:
    """Debian's dunst on the private display and bus, with a known look."""
    config = tmp_path / "dunstrc"
    config.write_text(DUNSTRC, encoding="utf-8")
    env = {
        **os.environ,
        "DISPLAY": xvfb,
        "DBUS_SESSION_BUS_ADDRESS": session_bus.address,
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }
    log = tmp_path / "dunst.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            ["dunst", "-config", str(config)], env=env, stdout=sink, stderr=subprocess.STDOUT
        )
    try:
        yield Dunst(xvfb, proc, log)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def screenshot(display: str, path: Path) -> QImage:
    """``xwd -root | convert xwd:- png:path``, loaded back as a QImage."""
    xwd = subprocess.run(
        ["xwd", "-root", "-silent", "-display", display], capture_output=True, check=True
    )
    subprocess.run(["convert", "xwd:-", f"png:{path}"], input=xwd.stdout, check=True)
    image = QImage(str(path))
    assert not image.isNull(), f"could not read {path}"
    return image.convertToFormat(QImage.Format.Format_RGB32)


def changed_area(before: QImage, after: QImage) -> tuple[int, QRect]:
    """How many pixels differ, and the rectangle around them."""
    assert before.size() == after.size()
    count, left, top, right, bottom = 0, after.width(), after.height(), -1, -1
    for y in range(0, after.height(), 2):  # every other row: plenty, and fast
        for x in range(0, after.width(), 2):
            if before.pixel(x, y) != after.pixel(x, y):
                count += 1
                left, top = min(left, x), min(top, y)
                right, bottom = max(right, x), max(bottom, y)
    return count * 4, QRect(left, top, right - left + 1, bottom - top + 1)


def snapshot(**fields: object) -> Snapshot:
    base: dict[str, object] = {
        "id": "ep-5", "key": 1, "title": "Episode 5", "icons": (Icon(str(ICON), "64x64"),),
        "state": State.DOWNLOADING, "result": "", "failure_reason": FailureReason.NONE,
        "downloaded": 27 * MB, "download_total": 0, "uploaded": 0, "upload_total": 0,
        "dest": ROOT, "records_available": True, "created_at": 0.0,
        "speed": 2.1 * MB, "expected_size": 60 * MB,
    }
    base.update(fields)
    return Snapshot(**base)  # type: ignore[arg-type]


async def test_dunst_draws_our_notifications(dunst: Dunst, tmp_path: Path) -> None:
    before = screenshot(dunst.display, tmp_path / "before.png")
    deadline = time.monotonic() + 20  # generous: a loaded CI machine starts dunst slowly
    notifier = await notifier_chain([DBusNotifier(), InAppNotifier()])
    while not isinstance(notifier, DBusNotifier):  # dunst may still be starting
        assert time.monotonic() < deadline, dunst.why_not_up()
        await asyncio.sleep(0.1)
        notifier = await notifier_chain([DBusNotifier(), InAppNotifier()])
    assert notifier.server.name == "dunst"
    assert "actions" in notifier.server.capabilities

    running = notification_for(snapshot())
    done = notification_for(
        snapshot(id="ep-4", key=2, title="Episode 4", state=State.SUCCESS, result="success"),
        [Record(None, 200, (), ROOT / f, size, True)  # type: ignore[arg-type]
         for f, size in (("ep-4.mp3", 58 * MB), ("ep-4.jpg", 2 * MB))],
    )
    assert running is not None and done is not None
    assert running.body == "45% · 27.0 MiB of 60.0 MiB · 2.1 MiB/s"
    assert done.body == "2 files, 60.0 MiB"
    # Outcomes close together share one notification (docs/contracts.md §6).
    finished = group_notification(
        [snapshot(id=f"ep-{n}", key=10 + n, title=f"Episode {n}", state=State.SUCCESS,
                  result="success") for n in range(4, 0, -1)], success=True)
    assert (finished.title, finished.body) == ("4 fetches finished",
                                               "Episode 4, Episode 3, Episode 2 and 1 more")
    notifier.show("group-done", finished)
    notifier.show("fetch-1", running)

    # Poll until dunst has drawn both (it redraws on its own schedule).
    after_path = tmp_path / "after.png"
    count, area = 0, QRect()
    while time.monotonic() < deadline:
        await asyncio.sleep(0.3)
        after = screenshot(dunst.display, after_path)
        count, area = changed_area(before, after)
        if count > 20_000 and area.height() > 150:
            break
    assert count > 20_000, f"only {count} pixels changed: no popup? {dunst.why_not_up()}"
    assert area.left() > after.width() // 3, f"popup not top-right: {area}"
    # A popup, not noise: it has a frame and text, so many distinct colours.
    colours = {after.pixel(x, y) for x in range(area.left(), area.right(), 3)
               for y in range(area.top(), area.bottom(), 3)}
    assert len(colours) > 20

    picture = after.copy(area.adjusted(-16, -16, 16, 16))
    target = DOCS_PICTURE if os.environ.get(DOCS_PICTURE_ENV) else tmp_path / "notification.png"
    assert picture.save(str(target))
    await notifier.stop()


def test_xcb_desktop_services_run_xdg_open(xvfb: str, tmp_path: Path) -> None:
    """On a real display Qt opens the folder itself, through xdg-open."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "xdg-open.log"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    folder = tmp_path / "Episode 5"
    folder.mkdir()
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from PySide6.QtWidgets import QApplication\n"
        "from bgfetch_gui.platform.notifications import open_folder_default\n"
        "app = QApplication([])\n"
        "assert app.platformName() == 'xcb', app.platformName()\n"
        "open_folder_default(Path(sys.argv[1]))\n"
    )
    env = {**os.environ, "DISPLAY": xvfb, "QT_QPA_PLATFORM": "xcb",
           "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    subprocess.run([sys.executable, "-c", code, str(folder)], env=env, check=True, timeout=30)
    deadline = time.monotonic() + 5
    while not (log.exists() and log.read_text().strip()):
        assert time.monotonic() < deadline, "xdg-open was not run"
        time.sleep(0.05)
    assert log.read_text().split("\n")[0] == folder.as_uri()
