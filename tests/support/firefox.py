"""Firefox ESR, headless, with a throw-away profile, driven over WebDriver BiDi.

``--remote-debugging-port=0`` lets Firefox pick the port; it prints
``WebDriver BiDi listening on ws://127.0.0.1:PORT`` on stderr once it accepts sessions.
The process is stopped by its pid (SIGTERM, then SIGKILL) with its whole process group,
so its content processes go too.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

LISTENING = re.compile(r"WebDriver BiDi listening on (ws://\S+)")

# Quiet, deterministic and offline: no first-run pages, updates, telemetry or remote
# settings; downloads go to one folder without asking.
PREFS: dict[str, object] = {
    "app.update.disabledForTesting": True,
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "extensions.autoDisableScopes": 0,
    "extensions.update.enabled": False,
    "xpinstall.signatures.required": False,
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.download.alwaysOpenPanel": False,
    "network.proxy.type": 0,
}


class Firefox:
    """A running ``firefox-esr --headless`` and the BiDi URL it listens on."""

    def __init__(self, profile: Path, downloads: Path, env: dict[str, str],
                 prefs: dict[str, object] | None = None) -> None:
        binary = shutil.which("firefox-esr") or shutil.which("firefox")
        if binary is None:
            raise RuntimeError("firefox-esr is not installed (Debian package firefox-esr)")
        profile.mkdir(parents=True, exist_ok=True)
        every = {**PREFS, "browser.download.dir": str(downloads), **(prefs or {})}
        (profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in every.items()),
            encoding="utf-8")
        self.log = profile.parent / "firefox.log"
        self._lines: list[str] = []
        self._url: str | None = None
        self._cond = threading.Condition()
        self.proc = subprocess.Popen(
            # System access: a test may script the browser's own window (chrome scope), e.g.
            # to open an add-on's page, which content navigation may not.
            [binary, "--headless", "--no-remote", "--profile", str(profile),
             "--remote-debugging-port=0", "--remote-allow-system-access", "about:blank"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE, text=True, errors="replace", start_new_session=True,
        )
        threading.Thread(target=self._read_stderr, name="firefox-stderr", daemon=True).start()

    def _read_stderr(self) -> None:
        assert self.proc.stderr is not None
        with self.log.open("w", encoding="utf-8") as log:
            for line in self.proc.stderr:
                log.write(line)
                log.flush()
                with self._cond:
                    self._lines.append(line)
                    found = LISTENING.search(line)
                    if found and self._url is None:
                        self._url = found.group(1)
                    self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def describe(self) -> str:
        state = "running" if self.proc.poll() is None else f"exited {self.proc.returncode}"
        with self._cond:
            tail = "".join(self._lines[-40:])
        return f"firefox {state}; stderr:\n{tail}"

    def wait_listening(self, timeout: float) -> str:
        """The BiDi websocket URL (``.../session``), once Firefox prints it."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while self._url is None:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    raise TimeoutError(f"Firefox did not start BiDi\n{self.describe()}")
                self._cond.wait(min(left, 0.5))
            url = self._url
        return url if url.endswith("/session") else url.rstrip("/") + "/session"

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM to Firefox's process group, then SIGKILL: by the pid we started."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.proc.wait(timeout=timeout)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
