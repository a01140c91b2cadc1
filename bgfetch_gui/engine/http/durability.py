"""Making finished files durable together instead of one fsync each.

An fsync per file costs a journal commit each: for a bundle of a thousand
small files that is most of the wall time. Small bodies are therefore
written and put in place at once, and the fetch syncs them together before
it reports success: one ``syncfs`` per file system on Linux, an fsync per file
elsewhere (still one thread hop for all of them).
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def _libc_syncfs() -> Callable[[int], int] | None:
    """Linux's syncfs(2), which Python's os module does not offer."""
    if not sys.platform.startswith("linux"):
        return None
    # The interpreter's own symbols include libc's: ctypes.util.find_library would
    # run `ldconfig -p` in a child process, a quarter to half a second of every start.
    try:
        libc = ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None
    syncfs: Callable[[int], int] | None = getattr(libc, "syncfs", None)
    return syncfs


_SYNCFS = _libc_syncfs()


def sync_files(paths: Iterable[Path]) -> None:
    """Make ``paths`` (and their names) durable; raises OSError if the disk refuses."""
    by_device: dict[int, Path] = {}
    files = list(paths)
    for path in files:
        by_device.setdefault(path.stat().st_dev, path)
    if _SYNCFS is not None:
        for path in by_device.values():
            fd = os.open(path, os.O_RDONLY)
            try:
                if _SYNCFS(fd) != 0:
                    errno = ctypes.get_errno()
                    raise OSError(errno, os.strerror(errno), str(path))
            finally:
                os.close(fd)
        return
    for path in files:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))  # Windows needs write access
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
