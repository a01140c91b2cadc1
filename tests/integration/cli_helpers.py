"""Helpers for tests that drive the ``bgfetch`` command as a user or a script would.

Every test gets its own data folder (``BGFETCH_HOME``) through the :func:`home`
fixture, with settings that keep retries and checkpoints fast, and a
``download_dir`` inside ``tmp_path`` so nothing ever lands in the real
Downloads folder. At the end the fixture asks any engine of that folder to quit
and then kills, by pid, whatever process still runs with that data folder
(a SIGKILLed test leaves none, a hung daemon must not outlive its test).

Use in a test module with::

    @pytest.fixture
    def home(tmp_path: Path) -> Iterator[Home]:
        yield from home_fixture(tmp_path)
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest

BGFETCH = [sys.executable, "-m", "bgfetch_gui.cli"]
ROOT = Path(__file__).resolve().parents[2]

FAST_SETTINGS: dict[str, Any] = {
    "retry_base_delay": 0.05,
    "retry_max_delay": 0.5,
    "max_retries": 2,
    "stall_timeout": 1.0,
    "connect_timeout": 2.0,
    "checkpoint_seconds": 0.2,
    "notifications": False,
    # One connection per file: these tests pin down one stream's ranges and timing;
    # test_segmented.py runs segmented downloads with settings of its own.
    "connections_per_file": 1,
}

HOLD_SETTINGS: dict[str, Any] = {"stall_timeout": 60.0}
"""Overrides for a test that parks a body with the fault server's ``hold=``: the
fast 1 s stall guard would otherwise retry the held connection, then fail it."""

DEFAULT_TIMEOUT = 60.0
T = TypeVar("T")


def sha256_file(path: Path | str) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def wait_until(
    predicate: Callable[[], T], timeout: float = 20.0, interval: float = 0.05, what: str = ""
) -> T:
    """Poll ``predicate`` until it returns something truthy; fail the test on timeout."""
    deadline = time.monotonic() + timeout
    last: T = predicate()
    while not last:
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout}s waiting for {what or predicate}")
        time.sleep(interval)
        last = predicate()
    return last


def stderr_lines(proc: subprocess.CompletedProcess[str]) -> list[str]:
    return [line for line in proc.stderr.splitlines() if line.strip()]


def describe(proc: subprocess.CompletedProcess[str]) -> str:
    return (
        f"argv={proc.args!r}\nrc={proc.returncode}\n"
        f"stdout={proc.stdout!r}\nstderr={proc.stderr!r}"
    )


def file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _pid_alive(pid: int) -> bool:
    """True unless the process is gone or a zombie."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    for line in status.splitlines():
        if line.startswith("State:"):
            return "Z" not in line.split()[1]
    return True


class Home:
    """One isolated data folder, and the ``bgfetch`` command run against it."""

    def __init__(self, root: Path) -> None:
        self.path = root / "home"
        self.downloads = root / "Downloads"
        self.path.mkdir(parents=True, exist_ok=True)
        self.downloads.mkdir(parents=True, exist_ok=True)
        self.settings: dict[str, Any] = {}
        self.write_settings()
        self._popens: list[subprocess.Popen[str]] = []

    # -- settings and environment -------------------------------------------------

    def write_settings(self, **overrides: Any) -> None:
        """Fast settings (plus ``overrides``); only engines started afterwards see them."""
        self.settings = {**FAST_SETTINGS, "download_dir": str(self.downloads), **overrides}
        (self.path / "settings.json").write_text(json.dumps(self.settings), encoding="utf-8")

    @property
    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items()
            if k.lower() not in ("http_proxy", "https_proxy", "all_proxy")
        }
        env.update(
            BGFETCH_HOME=str(self.path),
            LC_ALL="C.UTF-8",  # English messages, whatever the machine's language
            QT_QPA_PLATFORM="offscreen",
            NO_PROXY="127.0.0.1,localhost",
            PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")])),
        )
        env.pop("PYTHONSTARTUP", None)
        return env

    @property
    def db_path(self) -> Path:
        return self.path / "bgfetch.sqlite3"

    # -- running the command ------------------------------------------------------

    def run(
        self,
        *args: str,
        timeout: float = DEFAULT_TIMEOUT,
        cwd: Path | None = None,
        extra_env: dict[str, str] | None = None,
    ) -> subprocess.CompletedProcess[str]:
        """``bgfetch ARGS...``; the result has text stdout/stderr and the exit code."""
        try:
            return subprocess.run(
                [*BGFETCH, *args],
                env={**self.env, **(extra_env or {})},
                cwd=cwd or self.path.parent,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                timeout=timeout,
            )
        except subprocess.TimeoutExpired as exc:
            pytest.fail(f"bgfetch {' '.join(args)} did not finish in {timeout}s: {exc}")

    def popen(self, *args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
        """Start ``bgfetch ARGS...`` without waiting; it is killed at the end if still running."""
        proc = subprocess.Popen(
            [*BGFETCH, *args],
            env=self.env,
            cwd=cwd or self.path.parent,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._popens.append(proc)
        return proc

    def ok(self, *args: str, timeout: float = DEFAULT_TIMEOUT) -> subprocess.CompletedProcess[str]:
        """Run and insist on exit 0."""
        proc = self.run(*args, timeout=timeout)
        assert proc.returncode == 0, describe(proc)
        assert "Traceback" not in proc.stderr, describe(proc)
        return proc

    def show(self, fetch_id: str) -> dict[str, Any]:
        proc = self.ok("show", fetch_id, "--json")
        data: dict[str, Any] = json.loads(proc.stdout)
        return data

    def list_json(self) -> list[dict[str, Any]]:
        proc = self.ok("list", "--json")
        data: list[dict[str, Any]] = json.loads(proc.stdout)
        return data

    def ids(self) -> list[str]:
        return [reg["id"] for reg in self.list_json()]

    def wait_state(
        self, fetch_id: str, states: set[str] | str, timeout: float = 20.0
    ) -> dict[str, Any]:
        wanted = {states} if isinstance(states, str) else states
        box: dict[str, Any] = {}

        def check() -> bool:
            box["reg"] = self.show(fetch_id)
            return box["reg"]["state"] in wanted

        wait_until(check, timeout, 0.1, f"{fetch_id} to be in {wanted} (last: {box.get('reg')})")
        reg: dict[str, Any] = box["reg"]
        return reg

    # -- the engine ----------------------------------------------------------------

    def engine_pid(self) -> int | None:
        """The pid of the engine holding the data folder's lock, if one does."""
        from bgfetch_gui.engine.datadir import EngineLock

        if EngineLock(self.path).is_free():
            return None
        try:
            return int((self.path / "engine.lock").read_text().strip())
        except (OSError, ValueError):
            return None

    def ping(self) -> dict[str, Any] | None:
        """What the running engine says about itself (kind, pid), or None."""
        from bgfetch_gui.platform.ipc_client import IpcClient

        return IpcClient(self.path, timeout=2.0).ping()

    def bytes_done(self, fetch_id: str) -> list[int]:
        """Checkpointed bytes of each request of the newest registration ``fetch_id``."""
        if not self.db_path.exists():
            return []
        db = sqlite3.connect(f"file:{self.db_path}?mode=ro", uri=True, timeout=5)
        try:
            rows = db.execute(
                "SELECT r.bytes_done FROM requests r JOIN registrations g ON r.reg_key = g.key"
                " WHERE g.key = (SELECT MAX(key) FROM registrations WHERE id = ?)"
                " ORDER BY r.idx",
                (fetch_id,),
            ).fetchall()
        except sqlite3.OperationalError:
            return []
        finally:
            db.close()
        return [r[0] for r in rows]

    def processes(self) -> list[int]:
        """Pids of every live process whose environment points at this data folder."""
        wanted = f"BGFETCH_HOME={self.path}".encode()
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                environ = (entry / "environ").read_bytes()
            except OSError:
                continue
            if wanted in environ.split(b"\0") and _pid_alive(int(entry.name)):
                found.append(int(entry.name))
        return found

    def stop_engines(self) -> None:
        """``bgfetch quit``, then kill (by pid) anything of this folder still running."""
        for proc in self._popens:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    proc.send_signal(signal.SIGTERM)
        for proc in self._popens:
            try:
                proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.communicate()
        with contextlib.suppress(Exception):
            subprocess.run(
                [*BGFETCH, "quit"], env=self.env, capture_output=True, timeout=20,
                stdin=subprocess.DEVNULL,
            )
        deadline = time.monotonic() + 5
        while self.processes() and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in self.processes():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


def home_fixture(tmp_path: Path) -> Iterator[Home]:
    """An isolated ``BGFETCH_HOME`` with fast settings; every engine of it stops at the end."""
    h = Home(tmp_path)
    try:
        yield h
    finally:
        h.stop_engines()

