"""Writing a part file off the event loop, at given offsets, with bounded memory.

A page-cache write is usually fast, but under writeback pressure one call can
block for tens of milliseconds; on the GUI thread that is a frozen window.
Writes run on the engine's disk threads and at most ``max_pending`` bytes wait
in memory, so a slow disk slows the download down instead of filling RAM.

Writes are positional (``pwritev``): several connections fill one file, each
at its own offsets, and no write ever cuts off bytes another one wrote.
Several coroutines may write and flush the same part file at once.
"""

from __future__ import annotations

import asyncio
import errno
import os
import stat
from collections import deque
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..integrity import StreamHash
from .errors import ForeignFile

# Two batches of 1 MiB: what a disk slower than the network holds in memory (issue 8's
# 60 MB). Against 4 and 2 MiB, a fast disk showed no difference beyond noise in peak RSS
# (55.5-56.1 MB), CPU or wall time over 512 MiB (8 alternating pairs).
MAX_PENDING = 2 * 1024 * 1024
BATCH = 1024 * 1024
_IOV_MAX = 512

Piece = tuple[int, memoryview]  # (file offset, bytes)

# Never through a link, never blocking on a FIFO someone planted (docs/contracts.md §3).
_OPEN_FLAGS = (
    os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
)
# What opening a link (ELOOP; EMLINK on the BSDs), a folder or a FIFO without reader says.
_FOREIGN_ERRNOS = frozenset({errno.ELOOP, errno.EMLINK, errno.EISDIR, errno.ENXIO, errno.EACCES})


def is_ours(info: os.stat_result) -> bool:
    """Whether a file with this status may be a part file bgfetch made: a regular file
    with one link, owned by this user (another user's file in a shared folder is theirs)
    and writable by its owner (made 0644, write access never taken away; a read-only
    file is someone else's, even for root, who could write it anyway)."""
    owner = getattr(os, "getuid", None)  # POSIX; Windows has no owner id here
    return (stat.S_ISREG(info.st_mode) and info.st_nlink == 1
            and bool(info.st_mode & stat.S_IWUSR)
            and (owner is None or info.st_uid == owner()))


def open_part(path: Path, truncate_at: int | None = None) -> int:
    """A write descriptor on the part file at ``path``, created if missing.

    Anything that is not :func:`is_ours` (a symlink, folder, FIFO, read-only file
    or a hard link to some other file) raises ForeignFile, checked on the opened
    descriptor so nothing can be swapped in between the check and the write.
    """
    try:
        fd = os.open(path, _OPEN_FLAGS, 0o644)
    except OSError as exc:
        if exc.errno in _FOREIGN_ERRNOS:
            raise ForeignFile(f"{path.name} is not a file bgfetch made: {exc.strerror}") from exc
        raise
    try:
        info = os.fstat(fd)
        if not is_ours(info):
            raise ForeignFile(f"{path.name} is not a file bgfetch made")
        if truncate_at is not None:
            os.ftruncate(fd, truncate_at)
    except BaseException:
        os.close(fd)
        raise
    return fd


def _write_at(fd: int, views: list[memoryview], offset: int) -> int:
    """One gathered positional write where the OS has it; seek and write elsewhere."""
    if hasattr(os, "pwritev"):
        return os.pwritev(fd, views, offset)
    os.lseek(fd, offset, os.SEEK_SET)  # Windows: this worker is the file's only writer
    total = 0
    for view in views:
        n = os.write(fd, view)
        total += n
        if n < len(view):
            break
    return total


def _runs(pieces: Sequence[Piece]) -> list[tuple[int, list[memoryview]]]:
    """Pieces grouped into runs of adjacent bytes, one gathered write each."""
    runs: list[tuple[int, list[memoryview]]] = []
    end = -1
    for offset, view in pieces:
        if runs and offset == end:
            runs[-1][1].append(view)
        else:
            runs.append((offset, [view]))
        end = offset + len(view)
    return runs


class PartFile:
    def __init__(self, fd: int, executor: ThreadPoolExecutor, max_pending: int,
                 hasher: StreamHash | None = None) -> None:
        self._fd = fd
        self._hasher = hasher  # fed on the writing thread, once bytes are in the file
        self._executor = executor
        self._max_pending = max_pending
        self._inflight: deque[asyncio.Future[None]] = deque()
        self._pending_bytes = 0
        # Pieces are handed to the worker in batches: one thread hop per ~1 MiB
        # instead of one per socket read keeps the event loop's overhead small.
        self._batch: list[Piece] = []
        self._batch_bytes = 0
        self._error: BaseException | None = None

    @classmethod
    async def open(
        cls,
        path: Path,
        truncate_at: int | None,
        executor: ThreadPoolExecutor,
        max_pending: int = MAX_PENDING,
        hasher: StreamHash | None = None,
    ) -> PartFile:
        """Open (or create) ``path``; ``truncate_at`` drops what lies beyond that offset.

        A single stream passes its offset (stale bytes after it must not
        survive); a segmented file passes None (other segments' bytes stay).
        Batches may run on several threads at once: writes are positional,
        so their order does not matter, and flush waits for all of them.
        ``hasher`` hashes what is written (docs/contracts.md §12).
        """

        fd = await asyncio.get_running_loop().run_in_executor(
            executor, open_part, path, truncate_at
        )
        return cls(fd, executor, max_pending, hasher)

    def queue(self, offset: int, data: memoryview) -> None:
        """Queue ``data`` for ``offset`` without waiting; raises an earlier write's error."""
        if self._error is not None:
            raise self._error
        self._batch.append((offset, data))
        self._batch_bytes += len(data)
        if self._batch_bytes >= BATCH:
            self._submit()

    async def room(self) -> None:
        """Wait while too much is queued; raises the disk's errors."""
        while self._pending_bytes > self._max_pending and self._inflight:
            await asyncio.wait([self._inflight[0]])
        if self._error is not None:
            raise self._error

    async def write(self, offset: int, data: memoryview) -> None:
        self.queue(offset, data)
        await self.room()

    async def flush(self) -> None:
        """Wait until every queued byte is in the file (the OS's cache, not the disk)."""
        self._submit()
        if self._inflight:
            await asyncio.wait(list(self._inflight))
        if self._error is not None:
            raise self._error

    async def sync(self) -> None:
        """Flush, then make the bytes durable (fsync), off the loop."""
        await self.flush()
        await asyncio.get_running_loop().run_in_executor(self._executor, os.fsync, self._fd)

    async def close(self) -> None:
        """Write what is queued and close; errors of queued writes are raised."""
        try:
            await self.flush()
        finally:
            await asyncio.get_running_loop().run_in_executor(self._executor, os.close, self._fd)

    def _submit(self) -> None:
        if not self._batch:
            return
        size = self._batch_bytes
        future = asyncio.get_running_loop().run_in_executor(
            self._executor, self._write, self._batch
        )
        self._inflight.append(future)
        self._pending_bytes += size
        self._batch, self._batch_bytes = [], 0

        def settled(done: asyncio.Future[None]) -> None:
            self._inflight.remove(done)
            self._pending_bytes -= size
            if not done.cancelled() and done.exception() is not None and self._error is None:
                self._error = done.exception()

        future.add_done_callback(settled)

    def _write(self, pieces: list[Piece]) -> None:
        # After one failed write nothing more is written: the caller's
        # checkpoint stays at the last flush that succeeded.
        if self._error is not None:
            raise self._error
        for offset, views in _runs(pieces):
            while views:
                n = _write_at(self._fd, views[:_IOV_MAX], offset)
                offset += n
                while views and n >= len(views[0]):
                    n -= len(views[0])
                    views.pop(0)
                if n:
                    views[0] = views[0][n:]
        if self._hasher is not None:
            self._hasher.feed(pieces)
