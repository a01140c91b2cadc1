"""Making finished files durable together instead of one fsync each, and cheaply.

An fsync per file costs a journal commit each: for a bundle of a thousand
small files that is most of the wall time. Small bodies are therefore
written and put in place at once, and the fetch syncs them together before
it reports success: one ``syncfs`` per file system on Linux, an fsync per file
elsewhere (still one thread hop for all of them).

A big file's fsync before its rename (docs/contracts.md §3) would otherwise
write the whole file out at the end: the part file's writer starts the
writeback of each batch as soon as it is written (Linux's ``sync_file_range``),
so the disk works while the download goes on and the final fsync has little left.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Iterable
from pathlib import Path


def _libc() -> ctypes.CDLL | None:
    """Linux's C library, for the calls Python's os module does not offer."""
    if not sys.platform.startswith("linux"):
        return None
    # The interpreter's own symbols include libc's: ctypes.util.find_library would
    # run `ldconfig -p` in a child process, a quarter to half a second of every start.
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _libc_sync_file_range(libc: ctypes.CDLL | None) -> Callable[[int, int, int, int], int] | None:
    function = None if libc is None else getattr(libc, "sync_file_range", None)
    if function is None:
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_int64, ctypes.c_int64, ctypes.c_uint)
    function.restype = ctypes.c_int
    found: Callable[[int, int, int, int], int] = function
    return found


_LIBC = _libc()
_SYNCFS: Callable[[int], int] | None = None if _LIBC is None else getattr(_LIBC, "syncfs", None)
_SYNC_FILE_RANGE = _libc_sync_file_range(_LIBC)
_SYNC_FILE_RANGE_WRITE = 2  # <fcntl.h>: start writing the dirty pages out, do not wait


def start_writeback(fd: int, offset: int, length: int) -> None:
    """Ask the OS to start writing ``[offset, offset + length)`` of ``fd`` to the disk now.

    Only a head start for a later fsync, never a promise: where the call is
    missing or fails, that fsync simply has more to do.
    """
    if _SYNC_FILE_RANGE is not None:
        _SYNC_FILE_RANGE(fd, offset, length, _SYNC_FILE_RANGE_WRITE)


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
