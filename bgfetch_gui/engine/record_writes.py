"""The records of running transfers, written to the store in batches (group commit).

A bundle of a thousand small files made two SQLite commits per file (its claimed
name, then "complete"), each a WAL append with its locks on the event loop. Here an
update of a request's record waits in memory and goes into one transaction with
every other update made meanwhile. The batch is committed:

* ``BATCH_SECONDS`` after its first update at the latest (well inside the
  checkpoint interval of docs/contracts.md §3);
* before the engine tells anyone anything (an event, ``FetchManager._emit``; a reply to
  a command, ``CommandHandler.handle``): a file reported complete is in the store, so a
  SIGKILL right after keeps it;
* when a transfer needs its record on disk before it acts (``commit()``): a
  request that is not GET or HEAD is marked sent before its body leaves (never sent
  twice, §1), a body's last checkpoint is stored before its part file is renamed, and
  a checkpoint of bytes flushed to the part file is stored at once. Those come every
  ``checkpoint_bytes`` per connection, a few a second, so batching them saved nothing,
  and held 50 ms they were lost to a kill that came right after the bytes were written
  (the resume benchmark kills then: 17 MiB were fetched twice instead of 1).

Updates of one record coalesce: the batch writes each record's newest fields once (and
``_FetchHost`` hands over only the fields that changed).
A batch runs on the loop thread as the single writes did, and is smaller than the
writes it replaces.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import Mapping
from typing import Any

from .store import Store

log = logging.getLogger("bgfetch.store")

BATCH_SECONDS = 0.05

RecordKey = tuple[int, int]  # registration key, request index


class RecordWrites:
    """The one writer of request records for a running engine."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._waiting: dict[RecordKey, dict[str, Any]] = {}
        self._timer: asyncio.TimerHandle | None = None
        # Why the last batch could not be stored (a full disk); None once one could.
        self.failure: sqlite3.OperationalError | None = None

    def put(self, key: int, idx: int, fields: Mapping[str, Any]) -> None:
        """Write ``fields`` into record ``idx`` of fetch ``key`` with the next batch."""
        self._waiting.setdefault((key, idx), {}).update(fields)
        if self._timer is None:
            self._timer = asyncio.get_running_loop().call_later(BATCH_SECONDS, self._commit_due)

    def commit(self) -> None:
        """Store every waiting update now, in one transaction; raises
        sqlite3.OperationalError if the store cannot (the updates wait for the next try)."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if not self._waiting:
            return
        batch, self._waiting = self._waiting, {}
        try:
            self._store.update_requests(batch)
        except sqlite3.OperationalError as exc:
            self._waiting = batch
            self.failure = exc
            raise
        self.failure = None

    def _commit_due(self) -> None:
        self._timer = None
        try:
            self.commit()
        except sqlite3.OperationalError as exc:
            # The transfers learn it at their next save (self.failure) and fail the fetch.
            log.error("cannot store %d records: %s", len(self._waiting), exc)
