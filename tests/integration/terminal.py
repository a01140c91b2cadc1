"""Running ``bgfetch`` on a real pseudo-terminal, as a user at a shell does.

The command is the session leader of a new pty, which is its controlling
terminal: what it writes arrives as a terminal shows it (``\\r`` redraws and
all), and ``ctrl_c()`` types Ctrl+C, so the terminal's line discipline, not the
test, sends SIGINT to the foreground process group.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import re
import signal
import struct
import subprocess
import termios
import threading
import time
from pathlib import Path

from tests.integration.cli_helpers import BGFETCH, Home

COLUMNS, ROWS = 100, 30


def _become_terminal_owner() -> None:
    """In the child, after setsid(): make stdin (the pty) the controlling terminal."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


class Terminal:
    """``bgfetch ARGS`` on a pty of ``columns`` columns; its output collected as it comes."""

    def __init__(self, home: Home, *args: str, columns: int = COLUMNS,
                 cwd: Path | None = None, capture_stdout: bool = False) -> None:
        """``capture_stdout``: stdout goes to a pipe (``self.proc.stdout``), as in
        ``ID=$(bgfetch ...)``; stderr stays on the terminal."""
        self.master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, columns, 0, 0))
        env = {k: v for k, v in home.env.items() if k not in ("COLUMNS", "LINES")}
        env["TERM"] = "xterm"
        self.proc = subprocess.Popen(
            [*BGFETCH, *args], env=env, cwd=cwd or home.path.parent,
            stdin=slave, stdout=subprocess.PIPE if capture_stdout else slave, stderr=slave,
            start_new_session=True, preexec_fn=_become_terminal_owner,
        )
        os.close(slave)
        self._output = bytearray()
        self._lock = threading.Lock()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        while True:
            try:
                chunk = os.read(self.master, 4096)
            except OSError:  # EIO: the last writer closed the pty
                return
            if not chunk:
                return
            with self._lock:
                self._output += chunk

    @property
    def output(self) -> str:
        with self._lock:
            return self._output.decode("utf-8", "replace")

    def expect(self, pattern: str, timeout: float = 60.0) -> re.Match[str]:
        """Wait until the output matches ``pattern`` (a regex); fail with the output so far."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, self.output)
            if match:
                return match
            if time.monotonic() > deadline or (self.proc.poll() is not None
                                              and not self._reader.is_alive()):
                raise AssertionError(f"no {pattern!r} in the terminal:\n{self.output!r}")
            time.sleep(0.02)

    def ctrl_c(self) -> None:
        os.write(self.master, b"\x03")

    def wait(self, timeout: float = 60.0) -> int:
        """The exit code; the output is complete once this returns."""
        try:
            code = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.close()
            raise AssertionError(f"still running after {timeout}s:\n{self.output!r}") from None
        self._reader.join(timeout=10)
        return code

    def close(self) -> None:
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        self._reader.join(timeout=10)
        with contextlib.suppress(OSError):
            os.close(self.master)


def screen_lines(output: str) -> list[str]:
    """What a terminal would show: each ``\\r`` redraw replaces the line, escapes removed."""
    plain = re.sub(r"\x1b\[[0-9;]*[A-Za-z]", "", output.replace("\r\n", "\n"))
    return [line.rsplit("\r", 1)[-1] for line in plain.split("\n")]
