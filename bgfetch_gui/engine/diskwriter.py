"""Writing a part file off the event loop, in order, with bounded memory.

A page-cache write is usually fast, but under writeback pressure one call can
block for tens of milliseconds; on the GUI thread that is a frozen window.
Each writer owns one worker thread (so chunks land in order) and lets at most
``max_pending`` bytes wait in memory, so a slow disk slows the download down
instead of filling RAM.
"""

from __future__ import annotations

import asyncio
import os
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from io import FileIO
from pathlib import Path

MAX_PENDING = 8 * 1024 * 1024
BATCH = 2 * 1024 * 1024


_IOV_MAX = 512


def _writev(fd: int, views: list[memoryview]) -> int:
    """One gathered write where the OS has it (POSIX); plain writes elsewhere (Windows)."""
    if hasattr(os, "writev"):
        return os.writev(fd, views)
    total = 0
    for view in views:
        n = os.write(fd, view)
        total += n
        if n < len(view):  # a short write: the caller continues from here
            break
    return total


class PartFileWriter:
    def __init__(self, handle: FileIO, executor: ThreadPoolExecutor, max_pending: int) -> None:
        self._handle = handle
        self._executor = executor
        self._max_pending = max_pending
        self._pending: deque[tuple[asyncio.Future[None], int]] = deque()
        self._pending_bytes = 0
        # Chunks are handed to the worker in batches: one thread hop per ~2 MiB
        # instead of one per socket read keeps the event loop's overhead small.
        self._batch: list[bytes] = []
        self._batch_bytes = 0
        self.written = 0  # bytes that reached the file, counted by the worker
        self._broken: BaseException | None = None

    @classmethod
    async def open(cls, path: Path, offset: int, max_pending: int = MAX_PENDING) -> PartFileWriter:
        """Open ``path`` for writing from ``offset``, dropping whatever lies beyond it."""
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bgfetch-writer")

        def open_at() -> FileIO:
            # Unbuffered: ``written`` then counts bytes the OS has, not a Python buffer.
            handle = open(path, "r+b" if offset else "wb", buffering=0)  # noqa: SIM115
            try:
                handle.seek(offset)
                handle.truncate()
            except BaseException:
                handle.close()
                raise
            return handle

        try:
            handle = await asyncio.get_running_loop().run_in_executor(executor, open_at)
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(handle, executor, max_pending)

    async def write(self, chunk: bytes) -> None:
        """Queue ``chunk``; waits only while too much is queued. Raises the disk's errors."""
        self._batch.append(chunk)
        self._batch_bytes += len(chunk)
        if self._batch_bytes >= BATCH:
            self._submit()
        # Also collect finished writes early, so an error surfaces at the next chunk.
        while self._pending_bytes > self._max_pending or (
            self._pending and self._pending[0][0].done()
        ):
            await self._settle_oldest()

    def _submit(self) -> None:
        if not self._batch:
            return
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, self._write, self._batch)
        self._pending.append((future, self._batch_bytes))
        self._pending_bytes += self._batch_bytes
        self._batch, self._batch_bytes = [], 0

    async def flush(self) -> None:
        """Wait until every queued chunk is in the file (the OS's cache, not the disk)."""
        self._submit()
        while self._pending:
            await self._settle_oldest()

    async def sync(self) -> None:
        """Flush, then make the bytes durable (fsync), off the loop."""
        await self.flush()
        await asyncio.get_running_loop().run_in_executor(self._executor, self._fsync)

    async def close(self) -> None:
        """Write what is queued and close; errors of queued writes are raised."""
        try:
            await self.flush()
        finally:
            await asyncio.get_running_loop().run_in_executor(self._executor, self._handle.close)
            self._executor.shutdown(wait=False)

    async def _settle_oldest(self) -> None:
        future, size = self._pending[0]
        try:
            await asyncio.shield(future)
        finally:
            if future.done():
                self._pending.popleft()
                self._pending_bytes -= size
        future.result()

    def _write(self, chunks: list[bytes]) -> None:
        # After one failed write, later ones must not land beyond the gap.
        if self._broken is not None:
            raise self._broken
        views = [memoryview(c) for c in chunks]
        fd = self._handle.fileno()
        try:
            while views:
                n = _writev(fd, views[:_IOV_MAX])
                self.written += n
                while views and n >= len(views[0]):
                    n -= len(views[0])
                    views.pop(0)
                if n:
                    views[0] = views[0][n:]
        except OSError as exc:
            self._broken = exc
            raise

    def _fsync(self) -> None:
        os.fsync(self._handle.fileno())
