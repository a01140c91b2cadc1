"""Debian's Chromium, headless, driven by Selenium through chromedriver.

Each browser gets its own ``--user-data-dir`` (where Chromium reads native-messaging host
manifests, ``NativeMessagingHosts/``), download folder and ``HOME``. chromedriver and
Chromium are stopped by pid; Chromium's helpers (zygote, renderers, the native host it
started) are found by their parent chain and killed too, so nothing outlives a test.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

BASE_ARGS = (
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--no-default-browser-check", "--password-store=basic",
    "--window-size=1024,700",
)


@dataclass
class Chromium:
    """A running Chromium session and the folders it uses."""

    driver: webdriver.Chrome
    user_data_dir: Path
    downloads: Path
    log: Path
    args: tuple[str, ...] = field(default=())

    @property
    def debugger_address(self) -> str:
        """``host:port`` of Chromium's DevTools endpoint (chromedriver starts it)."""
        caps: dict[str, Any] = self.driver.capabilities
        return str(caps["goog:chromeOptions"]["debuggerAddress"])

    def run_async(self, script: str, *args: Any) -> Any:
        """``execute_async_script`` whose last argument is the callback."""
        return self.driver.execute_async_script(script, *args)

    def stop(self) -> None:
        """Quit through chromedriver, then SIGKILL whatever of its process tree is left."""
        chromedriver = self.driver.service.process
        tree = _descendants(chromedriver.pid) if chromedriver is not None else []
        with contextlib.suppress(Exception):
            self.driver.quit()
        _kill_all(tree)


def start_chromium(workdir: Path, *, extension: Path | None, env: dict[str, str],
                   extra_args: tuple[str, ...] = ()) -> Chromium:
    """Start Chromium (with ``extension`` loaded unpacked, if given)."""
    chromedriver = shutil.which("chromedriver")
    binary = shutil.which("chromium")
    if chromedriver is None or binary is None:
        raise RuntimeError("apt-get install -y chromium chromium-driver")
    user_data = workdir / "user-data"
    downloads = workdir / "browser-downloads"
    user_data.mkdir(parents=True, exist_ok=True)
    downloads.mkdir(parents=True, exist_ok=True)
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    args = (*BASE_ARGS, f"--user-data-dir={user_data}", *extra_args)
    if extension is not None:
        args += (f"--load-extension={extension}", f"--disable-extensions-except={extension}")
    for arg in args:
        options.add_argument(arg)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": False,
    })
    log = workdir / "chromedriver.log"
    service = Service(chromedriver, log_output=str(log), env=env,
                      service_args=["--log-level=INFO"])
    driver = webdriver.Chrome(options=options, service=service)
    driver.set_script_timeout(90)
    driver.set_page_load_timeout(60)
    return Chromium(driver, user_data, downloads, log, args)


def _children(pid: int) -> list[int]:
    """Pids whose parent is ``pid``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _descendants(pid: int) -> list[int]:
    tree = [pid]
    index = 0
    while index < len(tree):
        tree.extend(_children(tree[index]))
        index += 1
    return tree[1:]


def _alive(pid: int) -> bool:
    """True unless the process is gone or a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _kill_all(pids: list[int], timeout: float = 5.0) -> None:
    """SIGKILL each of ``pids`` still alive and wait until they are gone."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(_alive(p) for p in pids):
        time.sleep(0.05)
