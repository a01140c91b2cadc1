"""Finding the engine of a data folder, and starting one detached when none answers.

Used by ``bgfetch`` (a daemon for ``fetch`` and ``resume``) and by the browser's
native-messaging host (the GUI when there is a display, else a daemon). Qt-free,
so neither pays for Qt before it knows it needs an engine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from .ipc_client import IpcClient

DAEMON_LOG = "daemon.log"
GUI_OUTPUT_LOG = "bgfetch-gui.out.log"  # the GUI logs to its own file; this catches a crash


def engine_client(home: Path, wait: float = 0.0) -> IpcClient | None:
    """A client of the running engine, waiting up to ``wait`` seconds for one to answer."""
    client = IpcClient(home)
    deadline = time.monotonic() + wait
    while True:
        if client.ping() is not None:
            return client
        if time.monotonic() >= deadline:
            return None
        time.sleep(0.05)


def display_available() -> bool:
    """Whether a window could be shown: always on Windows and macOS, else X11 or Wayland."""
    if sys.platform in ("win32", "darwin"):
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def start_engine(home: Path, *, gui: bool, wait: float) -> IpcClient | None:
    """Start ``bgfetch-gui --minimized`` or ``bgfetch daemon`` detached; None if it does
    not answer within ``wait`` seconds (its output is in the log it was given)."""
    if gui:
        spawn_detached(home, [*bgfetch_program(gui=True), "--minimized"], GUI_OUTPUT_LOG)
    else:
        spawn_detached(home, [*bgfetch_program(gui=False), "daemon"], DAEMON_LOG)
    return engine_client(home, wait=wait)


def bgfetch_program(*, gui: bool) -> list[str]:
    """The command that runs ``bgfetch-gui`` (``gui``) or ``bgfetch``.

    A frozen bundle has no ``python -m``: its programs are executables side by side.
    """
    if getattr(sys, "frozen", False):
        name = ("bgfetch-gui" if gui else "bgfetch") + (".exe" if sys.platform == "win32" else "")
        return [str(Path(sys.executable).with_name(name))]
    return [sys.executable, "-m", "bgfetch_gui" if gui else "bgfetch_gui.cli"]


def spawn_detached(home: Path, command: list[str], log_name: str) -> None:
    """``command`` in its own session, output to a log in ``home``.

    Detached so it outlives whoever started it: a terminal, or a browser that
    ends its native host with the host's process group (POSIX) or job object
    (Windows). Run in the data folder so it never keeps the caller's current
    folder busy.
    """
    with open(home / log_name, "ab") as log_file:
        def start(**kwargs: Any) -> None:
            subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL, stdout=log_file, stderr=log_file, close_fds=True,
                cwd=home, env={**os.environ, "BGFETCH_HOME": str(home)}, **kwargs,
            )

        if sys.platform == "win32":
            flags = subprocess.DETACHED_PROCESS | subprocess.CREATE_NEW_PROCESS_GROUP
            try:
                start(creationflags=flags | subprocess.CREATE_BREAKAWAY_FROM_JOB)
            except PermissionError:  # a job that forbids breaking away: the best we can do
                start(creationflags=flags)
        else:
            start(start_new_session=True)
