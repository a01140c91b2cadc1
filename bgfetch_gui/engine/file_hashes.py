"""The SHA-256 of each completed file, for ``show --json`` (docs/contracts.md §12).

Never computed on the download's hot path: hashed when asked, on a thread, and
kept in the database with the file's size, mtime and inode, so it is hashed once
and again only after the file changed. A download checked against sha256
integrity metadata leaves its digest here at once.
"""

from __future__ import annotations

import asyncio
import logging
import os
import sqlite3
from pathlib import Path

from .integrity import hash_file
from .registration import Registration
from .store import FileStamp, Store

log = logging.getLogger("bgfetch.hashes")


def stamp_of(info: os.stat_result) -> FileStamp:
    return info.st_size, info.st_mtime_ns, info.st_ino


def remember(store: Store, key: int, idx: int, path: Path, sha256: bytes) -> None:
    """``path`` (request ``idx`` of fetch ``key``) has this SHA-256 now."""
    try:
        store.save_file_hash(key, idx, stamp_of(os.stat(path)), sha256.hex())
    except (OSError, sqlite3.Error) as exc:  # only a cache: `show` hashes it when asked
        log.info("cannot keep the SHA-256 of %s: %s", path, exc)


async def record_hashes(store: Store, reg: Registration) -> list[str | None]:
    """The SHA-256 (hex) of each of ``reg``'s records, in order; None for a file not
    complete or not there (moved, deleted)."""
    cached = store.file_hashes(reg.key)
    files = [(row.idx, reg.dest / row.filename) for row in reg.row.requests
             if row.complete and row.filename]

    def look() -> dict[int, tuple[FileStamp, str]]:
        found = {}
        for idx, path in files:
            try:
                info = os.stat(path)
                known = cached.get(idx)
                if known is not None and known[0] == stamp_of(info):
                    found[idx] = known
                    continue
                digest, info = hash_file(path, "sha256")
                found[idx] = (stamp_of(info), digest.hex())
            except OSError as exc:
                log.info("no SHA-256 of %s: %s", path, exc)
        return found

    found = await asyncio.to_thread(look)
    for idx, (stamp, sha256) in found.items():
        if cached.get(idx) != (stamp, sha256):
            try:
                store.save_file_hash(reg.key, idx, stamp, sha256)
            except sqlite3.Error as exc:
                log.info("cannot keep the SHA-256 of file %d of %s: %s", idx, reg.id, exc)
    return [found[row.idx][1] if row.idx in found else None for row in reg.row.requests]
