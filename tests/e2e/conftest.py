"""End-to-end fixtures: the real bgfetch app on a real X display, a private session bus
with the test notification server, a recording ``xdg-open`` and a throw-away data folder.

Everything a test starts here is a child process that the fixture stops *by pid* in
its finalizer: Xvfb, trayer, the notification server (its own fixture), the app, and
(through :meth:`Home.stop_engines`) any engine still holding the test's data folder.

Nothing here imports Qt: the app and the tray runs are subprocesses on ``xcb``, so the
pytest process may already hold an offscreen ``QApplication`` from tests/gui.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import pytest

from tests.integration.cli_helpers import ROOT, Home, describe
from tests.support.notification_fixtures import (
    PrivateSessionBus,
    notification_server,
    session_bus,
)
from tests.support.notification_server import NotificationServer

__all__ = ["notification_server", "session_bus"]

T = TypeVar("T")

TOOLS = {
    "Xvfb": "xvfb",
    "dbus-daemon": "dbus",
    "trayer": "trayer",
    "xwininfo": "x11-utils",
    "xwd": "x11-apps",
    "convert": "imagemagick",
}
APP_START_TIMEOUT = 45.0  # generous: a loaded 2-core box imports PySide6 slowly
APP_QUIT_TIMEOUT = 10.0
GUI_LOG = "bgfetch-gui.log"


def require_tools(*names: str) -> None:
    missing = [n for n in names if shutil.which(n) is None]
    if missing:
        pytest.fail(
            "missing tools: " + ", ".join(missing) + "; apt-get install -y "
            + " ".join(sorted({TOOLS.get(n, n) for n in missing})),
            pytrace=False,
        )


def poll(
    predicate: Callable[[], T | None],
    timeout: float,
    what: str | Callable[[], str],
    interval: float = 0.05,
) -> T:
    """``predicate()`` once it is truthy; fail (describing ``what``) after ``timeout`` s."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            detail = what() if callable(what) else what
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {detail}", pytrace=False)
        time.sleep(interval)


def stop_process(proc: subprocess.Popen[Any], timeout: float = 5.0) -> None:
    """SIGTERM, then SIGKILL: by the pid we started, never by name."""
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# -- the X display ----------------------------------------------------------------------


@dataclass
class XDisplay:
    """A running Xvfb: its display name (``:N``), process and log."""

    name: str
    proc: subprocess.Popen[bytes]
    log: Path

    def describe(self) -> str:
        state = "running" if self.proc.poll() is None else f"exited {self.proc.returncode}"
        socket = Path(f"/tmp/.X11-unix/X{self.name.lstrip(':')}")
        return (f"Xvfb {self.name} {state}, socket {socket} "
                f"{'present' if socket.exists() else 'missing'}; its log: "
                f"{self.log.read_text(errors='replace')[-1500:]!r}")

    def answers(self) -> bool:
        """A client can connect and read the root window."""
        result = subprocess.run(["xwininfo", "-root", "-display", self.name],
                                capture_output=True, timeout=20, check=False)
        return result.returncode == 0


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[XDisplay]:
    """A private X server on a free display number (Xvfb picks it: ``-displayfd``)."""
    require_tools("Xvfb", "xwininfo")
    log = tmp_path / "xvfb.log"
    read_fd, write_fd = os.pipe()
    with log.open("wb") as sink:
        proc = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", "1024x600x24",
             "-nolisten", "tcp"],
            pass_fds=(write_fd,),
            stdin=subprocess.DEVNULL,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    os.close(write_fd)
    try:
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()  # written once the server accepts clients
        display = XDisplay(f":{number}", proc, log)
        if not number:
            pytest.fail(f"Xvfb did not start: {display.describe()}", pytrace=False)
        poll(lambda: proc.poll() is not None or display.answers(), 20, display.describe,
             interval=0.1)
        if proc.poll() is not None:
            pytest.fail(f"Xvfb exited: {display.describe()}", pytrace=False)
        yield display
    finally:
        stop_process(proc)


@pytest.fixture
def xvfb_display(x_display: XDisplay) -> str:
    """The display name (``:N``) of :func:`x_display`."""
    return x_display.name


# -- a recording xdg-open ---------------------------------------------------------------


@dataclass
class XdgOpen:
    """``bin_dir/xdg-open`` appends its argv, as a JSON list, to ``log``."""

    bin_dir: Path
    log: Path

    def calls(self) -> list[list[str]]:
        try:
            lines = self.log.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        return [json.loads(line) for line in lines if line.strip()]

    @staticmethod
    def as_path(argument: str) -> Path:
        """What xdg-open was asked to open, as a path (it may get a file:// URL)."""
        if argument.startswith("file:"):
            return Path(unquote(urlsplit(argument).path))
        return Path(argument)


@pytest.fixture
def xdg_open(tmp_path: Path) -> XdgOpen:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "xdg-open.jsonl"
    script = bin_dir / "xdg-open"
    script.write_text(
        f"#!{sys.executable} -I\n"
        "import json, sys\n"
        f"with open({str(log)!r}, 'a', encoding='utf-8') as out:\n"
        "    out.write(json.dumps(sys.argv[1:]) + '\\n')\n",
        encoding="utf-8",
    )
    script.chmod(0o755)
    return XdgOpen(bin_dir, log)


# -- the data folder --------------------------------------------------------------------


class DesktopHome(Home):
    """A :class:`Home` (fast settings, downloads in tmp) with notifications on."""

    def __init__(self, root: Path) -> None:
        super().__init__(root)
        self.root = root
        self.write_settings(notifications=True)

    @property
    def gui_log(self) -> Path:
        return self.path / GUI_LOG

    def gui_log_text(self) -> str:
        try:
            return self.gui_log.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return ""


@pytest.fixture
def home(tmp_path: Path) -> Iterator[DesktopHome]:
    h = DesktopHome(tmp_path)
    try:
        yield h
    finally:
        h.stop_engines()  # `bgfetch quit`, then SIGKILL by pid whatever still uses the folder


# -- the desktop: display + bus + notification server + PATH ------------------------------


@dataclass
class Desktop:
    """An X display with a tray (trayer), a session bus with a notification server,
    and a ``PATH`` whose ``xdg-open`` records its calls: what a Linux desktop offers."""

    display: str
    bus: PrivateSessionBus
    notifications: NotificationServer
    xdg_open: XdgOpen
    home: DesktopHome
    trayer: Trayer

    @property
    def env(self) -> dict[str, str]:
        """The environment of a desktop session for the app (and a second launch)."""
        runtime = self.home.root / "xdg-runtime"
        runtime.mkdir(mode=0o700, exist_ok=True)
        env = self.home.env
        env.update(
            QT_QPA_PLATFORM="xcb",
            DISPLAY=self.display,
            DBUS_SESSION_BUS_ADDRESS=self.bus.address,
            PATH=f"{self.xdg_open.bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
            XDG_RUNTIME_DIR=str(runtime),
            XDG_CONFIG_HOME=str(self.home.root / "xdg-config"),
            XDG_CACHE_HOME=str(self.home.root / "xdg-cache"),
            # The OS network backend is not under test here; a box whose glib backend
            # says "offline" would otherwise hold every fetch (docs/contracts.md §6).
            BGFETCH_NETWORK_BACKEND="none",
        )
        env.pop("DESKTOP_SESSION", None)
        env.pop("XDG_CURRENT_DESKTOP", None)
        return env


@pytest.fixture
def desktop(
    trayer: Trayer,
    xvfb_display: str,
    session_bus: PrivateSessionBus,
    notification_server: NotificationServer,
    xdg_open: XdgOpen,
    home: DesktopHome,
) -> Desktop:
    return Desktop(xvfb_display, session_bus, notification_server, xdg_open, home, trayer)


# -- the app ----------------------------------------------------------------------------


GUI_COMMAND = [sys.executable, "-m", "bgfetch_gui"]


class RunningApp:
    """``python -m bgfetch_gui`` running on the desktop, and ways to poke it."""

    def __init__(self, desktop: Desktop, home: DesktopHome, *args: str) -> None:
        self.desktop = desktop
        self.home = home
        number = 1
        while (home.root / f"gui-{number}.stderr").exists():
            number += 1
        self.stdout_path = home.root / f"gui-{number}.stdout"
        self.stderr_path = home.root / f"gui-{number}.stderr"
        with self.stdout_path.open("wb") as out, self.stderr_path.open("wb") as err:
            self.proc = subprocess.Popen(
                [*GUI_COMMAND, *args], env=desktop.env, cwd=home.root,
                stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            )
        self.started_at = time.monotonic()
        self.ready_after: float | None = None

    @property
    def pid(self) -> int:
        return self.proc.pid

    def describe(self) -> str:
        """For failure messages: exit status, stderr and the end of the app's log."""
        status = "running" if self.proc.poll() is None else f"exited {self.proc.returncode}"
        stderr = self.stderr_path.read_text(errors="replace")[-3000:]
        return (f"app {status}\n--- stderr ---\n{stderr}\n--- {GUI_LOG} ---\n"
                f"{self.home.gui_log_text()[-4000:]}")

    def wait_ready(self, timeout: float = APP_START_TIMEOUT) -> None:
        """The app answers on its socket as the GUI and its notifier has started."""

        def ready() -> bool:
            if self.proc.poll() is not None:
                pytest.fail(f"the app exited while starting\n{self.describe()}", pytrace=False)
            answer = self.home.ping()
            if answer is None or answer.get("kind") != "gui":
                return False
            assert answer.get("pid") == self.pid, answer
            return "notifications: using" in self.home.gui_log_text()

        poll(ready, timeout, lambda: f"the app to start\n{self.describe()}", interval=0.1)
        match = re.search(r"notifications: using (\S+)", self.home.gui_log_text())
        assert match is not None and match.group(1) == "dbus", (
            f"the app did not pick the D-Bus notifier\n{self.describe()}")
        self.ready_after = time.monotonic() - self.started_at

    def launch(self, *args: str, timeout: float = 60.0) -> subprocess.CompletedProcess[str]:
        """Another ``python -m bgfetch_gui ARGS`` in the same session (it must hand over)."""
        try:
            return subprocess.run(
                [*GUI_COMMAND, *args], env=self.desktop.env, cwd=self.home.root,
                stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"a second launch did not exit in {timeout}s: {exc}", pytrace=False)

    def quit(self, timeout: float = APP_QUIT_TIMEOUT) -> int:
        """``bgfetch quit``; the app must then exit within ``timeout`` seconds."""
        result = self.home.run("quit", timeout=60)
        assert result.returncode == 0, describe(result)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            pytest.fail(f"the app did not exit {timeout}s after `bgfetch quit`\n"
                        f"{self.describe()}", pytrace=False)


def finish_app(running: RunningApp) -> str:
    """Stop ``running`` like a user would (`bgfetch quit`); what went wrong, if anything.

    The app must exit with 0 within :data:`APP_QUIT_TIMEOUT` seconds of the command and
    print no traceback; it is killed (by pid) whatever happens.
    """
    problem = ""
    try:
        if running.proc.poll() is None:
            quit_at = time.monotonic()
            result = running.home.run("quit", timeout=60)
            if result.returncode != 0:
                problem = f"`bgfetch quit` failed: {describe(result)}"
            left = APP_QUIT_TIMEOUT - (time.monotonic() - quit_at)
            try:
                running.proc.wait(timeout=max(0.1, left))
            except subprocess.TimeoutExpired:
                problem = problem or (
                    f"the app did not exit within {APP_QUIT_TIMEOUT}s of `bgfetch quit`")
        if not problem and running.proc.returncode != 0:
            problem = f"the app exited with {running.proc.returncode}"
        if not problem and "Traceback" in running.stderr_path.read_text(errors="replace"):
            problem = "the app printed a traceback"
        if problem:
            problem += "\n" + running.describe()
    finally:
        stop_process(running.proc)
    return problem


@pytest.fixture
def start_app(desktop: Desktop, home: DesktopHome) -> Iterator[Callable[..., RunningApp]]:
    """``start_app(*args)``: the real app, started like a user would, once it is ready.

    Every app started is stopped at the end with `bgfetch quit`, and must exit 0.
    """
    require_tools("Xvfb", "dbus-daemon")
    started: list[RunningApp] = []

    def start(*args: str) -> RunningApp:
        running = RunningApp(desktop, home, *args)
        started.append(running)
        running.wait_ready()
        return running

    yield start
    problems = [problem for running in started if (problem := finish_app(running))]
    if problems:
        pytest.fail("\n\n".join(problems), pytrace=False)


@pytest.fixture
def app(start_app: Callable[..., RunningApp]) -> RunningApp:
    """The real app (no arguments), ready: it answers as "gui" and notifies over D-Bus."""
    return start_app()


# -- the tray host ----------------------------------------------------------------------


@dataclass
class Trayer:
    display: str
    proc: subprocess.Popen[bytes]
    log: Path

    def describe(self) -> str:
        state = "running" if self.proc.poll() is None else f"exited {self.proc.returncode}"
        return f"trayer {state}; its output: {self.log.read_text(errors='replace')[-2000:]!r}"


def x_tree(display: str, window: str = "-root") -> str:
    args = ["xwininfo", "-display", display, "-tree"]
    args += ["-root"] if window == "-root" else ["-id", window]
    result = subprocess.run(args, capture_output=True, text=True, timeout=20, check=False)
    return result.stdout


def trayer_panel(display: str) -> str | None:
    """The window id of trayer's panel, once it is mapped."""
    match = re.search(r'^\s+(0x[0-9a-f]+) "panel": \("panel" "trayer"\)', x_tree(display), re.M)
    return match.group(1) if match else None


_TREE_LINE = re.compile(
    r'\("([^"]*)" "([^"]*)"\)\s+(\d+)x(\d+)\+-?\d+\+-?\d+\s+\+(-?\d+)\+(-?\d+)')


def embedded_icon(display: str) -> tuple[int, int, int, int] | None:
    """Absolute geometry (x, y, w, h) of a bgfetch window embedded in trayer's panel."""
    panel = trayer_panel(display)
    if panel is None:
        return None
    for line in x_tree(display, panel).splitlines():
        # e.g.  0x400007 "bgfetch": ("__main__.py" "bgfetch")  22x22+0+0  +1001+1
        found = _TREE_LINE.search(line)
        if found and "bgfetch" in found.group(1, 2):
            width, height, x, y = (int(v) for v in found.group(3, 4, 5, 6))
            if width > 0 and height > 0:
                return x, y, width, height
    return None


@pytest.fixture
def trayer(x_display: XDisplay, tmp_path: Path) -> Iterator[Trayer]:
    """Debian's ``trayer`` (an XEmbed system tray) docked at the top right of the display.

    A trayer that exits at once is started again (twice at most): once, on a heavily
    loaded machine, one said "cannot open display" on an Xvfb that answered.
    """
    require_tools("trayer", "xwininfo")
    display = x_display.name
    env = {**os.environ, "DISPLAY": display, "HOME": str(tmp_path)}
    failures: list[str] = []
    running: Trayer | None = None
    try:
        for attempt in range(1, 4):
            log = tmp_path / f"trayer-{attempt}.log"
            with log.open("wb") as sink:
                proc = subprocess.Popen(
                    ["trayer", "--edge", "top", "--align", "right", "--widthtype", "request",
                     "--height", "24", "--transparent", "false", "--SetDockType", "true"],
                    env=env, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT,
                )
            running = Trayer(display, proc, log)

            def up(proc: subprocess.Popen[bytes] = proc) -> bool:
                return proc.poll() is not None or trayer_panel(display) is not None

            def why(running: Trayer = running) -> str:
                return f"trayer's panel: {running.describe()}\n{x_display.describe()}"

            poll(up, 20, why, interval=0.1)
            if proc.poll() is None:
                break
            failures.append(f"attempt {attempt}: {running.describe()}")
        else:
            pytest.fail("trayer did not start:\n" + "\n".join(failures)
                        + f"\n{x_display.describe()}", pytrace=False)
        assert running is not None
        yield running
    finally:
        if running is not None:
            stop_process(running.proc)


def screenshot(display: str, path: Path) -> Path:
    """``xwd -root | convert xwd:- png:path``."""
    require_tools("xwd", "convert")
    xwd = subprocess.run(["xwd", "-root", "-silent", "-display", display],
                         capture_output=True, check=True, timeout=30)
    subprocess.run(["convert", "xwd:-", f"png:{path}"], input=xwd.stdout, check=True,
                   capture_output=True, timeout=30)
    return path


def distinct_colours(picture: Path, x: int, y: int, width: int, height: int) -> int:
    """How many different colours the ``width``x``height`` area at (x, y) holds."""
    result = subprocess.run(
        ["convert", str(picture), "-crop", f"{width}x{height}+{x}+{y}", "+repage",
         "-format", "%k", "info:"],
        capture_output=True, text=True, check=True, timeout=30,
    )
    return int(result.stdout.strip())


ICON_SOURCE = ROOT / "resources" / "icons" / "bgfetch-64.png"
