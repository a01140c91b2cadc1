"""The data folder (docs/contracts.md §3) and the lock that keeps one engine per folder."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import IO

import platformdirs

from .errors import EngineBusy

APP_NAME = "bgfetch"
LOCK_NAME = "engine.lock"


def data_dir() -> Path:
    """``$BGFETCH_HOME``, else the platform's user data folder; created owner-only."""
    env = os.environ.get("BGFETCH_HOME")
    path = Path(env).expanduser() if env else Path(platformdirs.user_data_dir(APP_NAME, False))
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    owner_only(path)
    return path.absolute()


def free_space(folder: Path) -> int:
    """Free bytes on the file system where ``folder`` is (or would be created)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return shutil.disk_usage(candidate).free
    return 0


def owner_only(path: Path) -> None:
    """Take group and other permissions away from ``path`` (POSIX), even if it existed:
    the database holds URLs, some with secrets in their query."""
    if sys.platform == "win32":
        return
    current = path.stat().st_mode & 0o777
    if current & 0o077:
        path.chmod(current & 0o700)


def downloads_dir(configured: str = "") -> Path:
    if configured:
        return Path(configured).expanduser()
    return Path(platformdirs.user_downloads_dir())


class EngineLock:
    """An exclusive OS lock on ``engine.lock``; the kernel drops it if the process dies."""

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._handle: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock or raise EngineBusy at once."""
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 (held until release)
        try:
            _lock(handle)
        except OSError:
            handle.close()
            raise EngineBusy(f"another bgfetch engine uses {self.path.parent}") from None
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._handle = handle

    def release(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    @property
    def held(self) -> bool:
        return self._handle is not None

    def is_free(self) -> bool:
        """Whether no engine holds the lock right now (probes without keeping it)."""
        if self.held:
            return False
        try:
            self.acquire()
        except EngineBusy:
            return False
        self.release()
        return True


if sys.platform == "win32":
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)


TOKEN_NAME = "ipc.token"


def ipc_name(folder: Path) -> str:
    """Where the engine of ``folder`` listens: a socket path (POSIX) or pipe name (Windows).

    Unix socket paths are limited to about 100 bytes, so a deep data folder
    gets a hashed name in the user's runtime folder instead.
    """
    import hashlib

    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    if sys.platform == "win32":
        return f"bgfetch-{digest}"
    direct = folder / "ipc.sock"
    if len(str(direct).encode()) < 100:
        return str(direct)
    runtime = Path(platformdirs.user_runtime_dir(APP_NAME, False))
    runtime.mkdir(parents=True, exist_ok=True, mode=0o700)
    return str(runtime / f"{digest}.sock")
