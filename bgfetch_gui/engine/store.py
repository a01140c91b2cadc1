"""SQLite persistence of registrations, requests, records and checkpoints.

One file, WAL mode, ``synchronous=NORMAL``: a commit survives a process kill
(SIGKILL) at once and a power cut once the WAL is checkpointed, which is what
checkpoints of partial downloads need. Every write is a small transaction, so
running it on the event loop thread never stalls the UI for long.
"""

from __future__ import annotations

import contextlib
import json
import logging
import sqlite3
import time
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datadir import owner_only
from .errors import StoreError
from .model import FetchRequest, Icon

log = logging.getLogger("bgfetch.store")

DB_NAME = "bgfetch.sqlite3"

# Each entry moves the schema one version forward; never edit a released one.
MIGRATIONS: tuple[str, ...] = (
    # 1: the first schema.
    """
    CREATE TABLE registrations (
        key INTEGER PRIMARY KEY AUTOINCREMENT,
        id TEXT NOT NULL,
        title TEXT NOT NULL DEFAULT '',
        icons TEXT NOT NULL DEFAULT '[]',
        download_total INTEGER NOT NULL DEFAULT 0,
        result TEXT NOT NULL DEFAULT '',
        failure_reason TEXT NOT NULL DEFAULT '',
        paused INTEGER NOT NULL DEFAULT 0,
        dest TEXT NOT NULL,
        created_at REAL NOT NULL,
        settled_at REAL
    );
    CREATE UNIQUE INDEX registrations_active_id ON registrations(id) WHERE result = '';
    CREATE TABLE requests (
        reg_key INTEGER NOT NULL REFERENCES registrations(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        request TEXT NOT NULL,
        status INTEGER,
        response_headers TEXT NOT NULL DEFAULT '[]',
        filename TEXT,
        bytes_done INTEGER NOT NULL DEFAULT 0,
        size_total INTEGER,
        etag TEXT,
        last_modified TEXT,
        complete INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (reg_key, idx)
    );
    """,
    # 2: uploads are counted per request, so a resumed fetch reports them right.
    """
    ALTER TABLE requests ADD COLUMN uploaded INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE requests ADD COLUMN upload_total INTEGER NOT NULL DEFAULT 0;
    """,
    # 3: web origins (the browser bridge). Ids are unique per origin among active
    # fetches ('' is the user's own); `secret` marks a request whose secret headers
    # (cookies) wait in the OS keyring; `sites` holds the user's decision per origin.
    """
    ALTER TABLE registrations ADD COLUMN origin TEXT NOT NULL DEFAULT '';
    DROP INDEX registrations_active_id;
    CREATE UNIQUE INDEX registrations_active_origin_id
        ON registrations(origin, id) WHERE result = '';
    ALTER TABLE requests ADD COLUMN secret INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE sites (
        origin TEXT PRIMARY KEY,
        decision TEXT NOT NULL CHECK (decision IN ('allow', 'deny')),
        quota INTEGER NOT NULL,
        decided_at REAL NOT NULL
    );
    """,
    # 4: the segment map of a file fetched over several connections, as JSON
    # [[start, saved, end], ...]; bytes_done is then the sum of saved - start.
    # final_url: where the redirects ended, the response's origin for web pages.
    """
    ALTER TABLE requests ADD COLUMN segments TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE requests ADD COLUMN final_url TEXT;
    """,
    # 5: `sent` marks a request that may change something on the server (POST,
    # PUT...) once it went out: it is never sent a second time (contracts §1).
    """
    ALTER TABLE requests ADD COLUMN sent INTEGER NOT NULL DEFAULT 0;
    """,
    # 6: a fetch's own proxy setting (docs/contracts.md §8) and speed limit (§9), where
    # it has either; a table of its own keeps the registrations' columns as they were.
    """
    CREATE TABLE fetch_network (
        reg_key INTEGER PRIMARY KEY REFERENCES registrations(key) ON DELETE CASCADE,
        proxy TEXT NOT NULL DEFAULT '',
        max_speed INTEGER NOT NULL DEFAULT 0
    );
    """,
    # 7: a fetch's place in the queue (docs/contracts.md §10) once the user moved one;
    # a fetch without a row is placed by its key, i.e. in the order it was registered.
    """
    CREATE TABLE queue_order (
        reg_key INTEGER PRIMARY KEY REFERENCES registrations(key) ON DELETE CASCADE,
        position INTEGER NOT NULL
    );
    """,
    # 8: "start at" of one fetch (docs/contracts.md §10), seconds since the epoch.
    """
    CREATE TABLE fetch_start (
        reg_key INTEGER PRIMARY KEY REFERENCES registrations(key) ON DELETE CASCADE,
        start_at REAL NOT NULL
    );
    """,
    # 9: the SHA-256 of a completed file (docs/contracts.md §12), with the size, mtime
    # and inode it was computed for: a file changed since is hashed again.
    """
    CREATE TABLE file_hashes (
        reg_key INTEGER NOT NULL REFERENCES registrations(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        size INTEGER NOT NULL,
        mtime_ns INTEGER NOT NULL,
        inode INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        PRIMARY KEY (reg_key, idx)
    );
    """,
    # 10: what the user did to one file of a fetch (docs/contracts.md §13): the URL
    # they gave in place of the request's, the mark of a file skipped, and the reason a
    # file failed for good (so a retry of another file does not run it again).
    """
    CREATE TABLE request_marks (
        reg_key INTEGER NOT NULL REFERENCES registrations(key) ON DELETE CASCADE,
        idx INTEGER NOT NULL,
        replaced_url TEXT,
        skipped INTEGER NOT NULL DEFAULT 0,
        failed TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (reg_key, idx)
    );
    """,
    # 11: why a failed fetch failed, in the engine's words, and the request that failed
    # first (docs/contracts.md §4 `problem`): `show` still says it after a restart.
    """
    CREATE TABLE fetch_problem (
        reg_key INTEGER PRIMARY KEY REFERENCES registrations(key) ON DELETE CASCADE,
        detail TEXT NOT NULL,
        request_idx INTEGER
    );
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)

FileStamp = tuple[int, int, int]  # a file's size, mtime in ns and inode


# The tables that hold one fetch's rows besides ``requests``, keyed by ``reg_key``:
# a salvage copies them with the fetch, or the salvaged fetch would go through another
# proxy, back to an expired URL or download a skipped file (tests/unit/test_damaged_store.py
# checks that every such table of the schema is listed here).
FETCH_SIDE_TABLES = ("fetch_network", "queue_order", "fetch_start", "file_hashes",
                     "request_marks", "fetch_problem")

@dataclass
class RequestRow:
    idx: int
    request: FetchRequest
    status: int | None = None
    response_headers: tuple[tuple[str, str], ...] = ()
    filename: str | None = None
    bytes_done: int = 0
    size_total: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    complete: bool = False
    uploaded: int = 0
    upload_total: int = 0
    secret: bool = False
    segments: tuple[tuple[int, int, int], ...] = ()  # (start, saved, end) while segmented
    final_url: str | None = None  # where the redirects ended
    sent: bool = False  # a request that is not GET or HEAD went out (never sent twice)
    # The user's per-file actions (docs/contracts.md §13), kept in `request_marks`:
    replaced_url: str | None = None  # the URL asked for in place of the request's
    skipped: bool = False  # left out: the fetch settles without this file
    failed: str = ""  # the FailureReason of a file that failed for good, until retried

    @property
    def url(self) -> str:
        """Where this request's body is fetched from now."""
        return self.replaced_url or self.request.url

    @property
    def checkpoint(self) -> int:
        """Bytes known to be in the part file: what a resume may keep."""
        if self.segments:
            return sum(saved - start for start, saved, _end in self.segments)
        return self.bytes_done


@dataclass
class RegistrationRow:
    key: int
    id: str
    title: str
    icons: tuple[Icon, ...]
    download_total: int
    result: str
    failure_reason: str
    paused: bool
    dest: Path
    created_at: float
    settled_at: float | None
    requests: list[RequestRow]
    origin: str = ""


@dataclass(frozen=True)
class SiteRow:
    """The user's decision about one web origin."""

    origin: str
    decision: str
    quota: int
    decided_at: float


class Store:
    """The database of one data folder."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.moved_aside: Path | None = None
        # What was done about damage, one line each, for the user: rows skipped,
        # fetches salvaged from a database moved aside, and what was lost.
        self.damage: list[str] = []
        self._damaged_keys: set[int] = set()
        self._db = self._open()

    # -- opening ---------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            db = self._connect()
            self._migrate(db)
            return db
        except sqlite3.DatabaseError as exc:
            # Never empty a database we cannot read: keep it for the user (or us)
            # to recover, and start afresh beside it.
            self.moved_aside = self._move_aside(exc)
            self._db = self._connect()
            self._migrate(self._db)
            self._salvage(self.moved_aside)
            return self._db

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        for suffix in ("", "-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                owner_only(Path(str(self.path) + suffix))
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA foreign_keys=ON")
        db.execute("PRAGMA busy_timeout=5000")
        row = db.execute("PRAGMA quick_check").fetchone()
        if row is None or row[0] != "ok":
            db.close()
            raise sqlite3.DatabaseError(f"integrity check failed: {row[0] if row else '?'}")
        return db

    def _move_aside(self, exc: Exception) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.name}.corrupt-{stamp}")
        for suffix in ("", "-wal", "-shm"):
            src = Path(str(self.path) + suffix)
            if src.exists():
                src.replace(Path(str(target) + suffix))
        log.error("database %s is unreadable (%s); moved it to %s", self.path, exc, target)
        return target

    def _salvage(self, old: Path) -> None:
        """Copy every fetch that can still be read from the database moved aside; say
        what could not be, so no part file is orphaned silently."""
        saved: list[str] = []
        lost: list[str] = []
        try:
            src = sqlite3.connect(f"file:{old}?mode=ro", uri=True)
        except sqlite3.Error as exc:
            self._note(f"nothing could be read from {old} ({exc}); any .part files of its "
                       "fetches are left where they were")
            return
        try:
            version = src.execute("SELECT version FROM schema_version").fetchone()
            if version is None or version[0] != SCHEMA_VERSION:
                raise sqlite3.DatabaseError(f"schema {version and version[0]}")
            regs = src.execute("SELECT * FROM registrations ORDER BY key").fetchall()
        except sqlite3.Error as exc:
            src.close()
            self._note(f"nothing could be read from {old} ({exc}); any .part files of its "
                       "fetches are left where they were")
            return
        for reg in regs:
            # Column 1 is the id, 8 the bundle folder (schema 1 order, kept by ALTER).
            name = f"{reg[1]!r} in {reg[8]}"
            try:
                # All of a fetch or none of it: one without its side rows would not do
                # what the user asked for.
                rows = {table: src.execute(f"SELECT * FROM {table} WHERE reg_key = ?",
                                           (reg[0],)).fetchall()
                        for table in ("requests", *FETCH_SIDE_TABLES)}
                with self._transaction() as db:
                    db.execute(f"INSERT INTO registrations VALUES ({_marks(reg)})", reg)
                    for table, table_rows in rows.items():
                        if table_rows:
                            db.executemany(f"INSERT INTO {table} VALUES"
                                           f" ({_marks(table_rows[0])})", table_rows)
                saved.append(name)
            except sqlite3.Error as exc:
                lost.append(f"{name} ({exc})")
        src.close()
        self._note(f"salvaged {len(saved)} fetches from {old}")
        for name in lost:
            self._note(f"lost fetch {name}; its .part files are left in that folder")

    def _note(self, line: str) -> None:
        log.error("%s", line)
        self.damage.append(line)

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Apply each missing migration in its own write transaction.

        The version is read inside the transaction, so two processes opening a
        new database at once never apply the same step twice.
        """
        while True:
            db.execute("BEGIN IMMEDIATE")
            try:
                db.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
                row = db.execute("SELECT version FROM schema_version").fetchone()
                version = row[0] if row else 0
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"the database was written by a newer bgfetch (schema {version}, "
                        f"this one knows {SCHEMA_VERSION}); upgrade bgfetch"
                    )
                if version == SCHEMA_VERSION:
                    db.execute("COMMIT")
                    return
                for statement in _statements(MIGRATIONS[version]):
                    db.execute(statement)
                db.execute("DELETE FROM schema_version")
                db.execute("INSERT INTO schema_version VALUES (?)", (version + 1,))
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
            if version:
                log.info("migrated database to schema %d", version + 1)

    def close(self) -> None:
        self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- writes ----------------------------------------------------------

    def insert_registration(
        self,
        fetch_id: str,
        title: str,
        icons: Sequence[Icon],
        download_total: int,
        dest: Path,
        requests: Sequence[FetchRequest],
        upload_sizes: Sequence[int],
        *,
        origin: str = "",
        secret_indices: Collection[int] = (),
        proxy: str = "",
        max_speed: int = 0,
        start_at: float = 0.0,
    ) -> int:
        """Store a new registration; raises sqlite3.IntegrityError if the id is active
        for ``origin``. ``secret_indices``: requests whose secret headers the caller
        keeps elsewhere (only the mark is stored here)."""
        with self._transaction() as db:
            cur = db.execute(
                "INSERT INTO registrations"
                " (id, title, icons, download_total, dest, created_at, origin)"
                " VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    fetch_id,
                    title,
                    json.dumps([i.to_json() for i in icons]),
                    download_total,
                    str(dest),
                    time.time(),
                    origin,
                ),
            )
            key = cur.lastrowid
            assert key is not None
            if proxy or max_speed:
                db.execute("INSERT INTO fetch_network (reg_key, proxy, max_speed) VALUES (?, ?, ?)",
                           (key, proxy, max_speed))
            if start_at:
                db.execute("INSERT INTO fetch_start (reg_key, start_at) VALUES (?, ?)",
                           (key, start_at))
            db.executemany(
                "INSERT INTO requests (reg_key, idx, request, upload_total, secret)"
                " VALUES (?, ?, ?, ?, ?)",
                [
                    (key, i, json.dumps(r.to_json()), size, int(i in secret_indices))
                    for i, (r, size) in enumerate(zip(requests, upload_sizes, strict=True))
                ],
            )
        return key

    def fetch_network(self, key: int) -> tuple[str, int]:
        """The fetch's own proxy setting (``""``: the app's) and speed limit (0: none)."""
        row = self._db.execute(
            "SELECT proxy, max_speed FROM fetch_network WHERE reg_key = ?", (key,)).fetchone()
        return (str(row[0]), int(row[1])) if row else ("", 0)

    def set_max_speed(self, key: int, max_speed: int) -> None:
        with self._transaction() as db:
            db.execute("INSERT INTO fetch_network (reg_key, max_speed) VALUES (?, ?)"
                       " ON CONFLICT (reg_key) DO UPDATE SET max_speed = excluded.max_speed",
                       (key, max_speed))

    def queue_positions(self) -> dict[int, int]:
        """The stored queue positions by registration key (the others: their key)."""
        return {int(k): int(p) for k, p in
                self._db.execute("SELECT reg_key, position FROM queue_order")}

    def start_times(self) -> dict[int, float]:
        """The "start at" of the fetches that have one, by registration key."""
        return {int(k): float(t) for k, t in
                self._db.execute("SELECT reg_key, start_at FROM fetch_start")}

    def file_hashes(self, key: int) -> dict[int, tuple[FileStamp, str]]:
        """The cached SHA-256 of a fetch's files by request index, with what each was of."""
        return {int(idx): ((int(size), int(mtime), int(inode)), str(sha256))
                for idx, size, mtime, inode, sha256 in self._db.execute(
                    "SELECT idx, size, mtime_ns, inode, sha256 FROM file_hashes"
                    " WHERE reg_key = ?", (key,))}

    def save_file_hash(self, key: int, idx: int, stamp: FileStamp, sha256: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO file_hashes"
                         " (reg_key, idx, size, mtime_ns, inode, sha256)"
                         " VALUES (?, ?, ?, ?, ?, ?)", (key, idx, *stamp, sha256))

    def set_start_at(self, key: int, start_at: float) -> None:
        """Keep the fetch's "start at" (0: none, it may start at once)."""
        with self._transaction() as db:
            if start_at:
                db.execute("INSERT INTO fetch_start (reg_key, start_at) VALUES (?, ?)"
                           " ON CONFLICT (reg_key) DO UPDATE SET start_at = excluded.start_at",
                           (key, start_at))
            else:
                db.execute("DELETE FROM fetch_start WHERE reg_key = ?", (key,))

    def failure_problems(self) -> dict[int, tuple[str, int | None]]:
        """Why each failed fetch failed (its detail, the index of the request that failed
        first, if one did), by registration key."""
        return {int(k): (str(detail), None if idx is None else int(idx)) for k, detail, idx in
                self._db.execute("SELECT reg_key, detail, request_idx FROM fetch_problem")}

    def set_failure_problem(self, key: int, detail: str, request_idx: int | None) -> None:
        """Keep why the fetch failed; an empty ``detail`` forgets it (a retry)."""
        with self._transaction() as db:
            db.execute("DELETE FROM fetch_problem WHERE reg_key = ?", (key,))
            if detail:
                db.execute("INSERT INTO fetch_problem (reg_key, detail, request_idx)"
                           " VALUES (?, ?, ?)", (key, detail, request_idx))

    def set_queue_positions(self, positions: dict[int, int]) -> None:
        with self._transaction() as db:
            db.executemany("INSERT INTO queue_order (reg_key, position) VALUES (?, ?)"
                           " ON CONFLICT (reg_key) DO UPDATE SET position = excluded.position",
                           positions.items())

    def save_marks(self, key: int, row: RequestRow) -> None:
        """Keep ``row``'s per-file marks (docs/contracts.md §13)."""
        self._db.execute(
            "INSERT INTO request_marks (reg_key, idx, replaced_url, skipped, failed)"
            " VALUES (?, ?, ?, ?, ?) ON CONFLICT (reg_key, idx) DO UPDATE SET"
            " replaced_url = excluded.replaced_url, skipped = excluded.skipped,"
            " failed = excluded.failed",
            (key, row.idx, row.replaced_url, int(row.skipped), row.failed))

    def update_registration(self, key: int, **fields: Any) -> None:
        if "icons" in fields:
            fields["icons"] = json.dumps([i.to_json() for i in fields["icons"]])
        if "dest" in fields:
            fields["dest"] = str(fields["dest"])
        columns = ", ".join(f"{name} = ?" for name in fields)
        self._db.execute(
            f"UPDATE registrations SET {columns} WHERE key = ?", (*fields.values(), key)
        )

    def update_request(self, key: int, idx: int, **fields: Any) -> None:
        self._update_request(self._db, key, idx, fields)

    def update_requests(self, updates: Mapping[tuple[int, int], Mapping[str, Any]]) -> None:
        """Apply many ``update_request`` calls, by (key, idx), in one transaction."""
        if len(updates) == 1:  # a statement alone is its own transaction, without BEGIN
            (key, idx), fields = next(iter(updates.items()))
            self._update_request(self._db, key, idx, dict(fields))
            return
        with self._transaction() as db:
            for (key, idx), fields in updates.items():
                self._update_request(db, key, idx, dict(fields))

    @staticmethod
    def _update_request(
        db: sqlite3.Connection, key: int, idx: int, fields: dict[str, Any]
    ) -> None:
        for name in ("response_headers", "segments"):
            if name in fields:
                fields[name] = json.dumps(fields[name])
        columns = ", ".join(f"{name} = ?" for name in fields)
        db.execute(
            f"UPDATE requests SET {columns} WHERE reg_key = ? AND idx = ?",
            (*fields.values(), key, idx),
        )

    def delete_registration(self, key: int) -> None:
        with self._transaction() as db:
            db.execute("DELETE FROM requests WHERE reg_key = ?", (key,))
            db.execute("DELETE FROM registrations WHERE key = ?", (key,))

    def save_site(self, origin: str, decision: str, quota: int) -> SiteRow:
        site = SiteRow(origin, decision, quota, time.time())
        self._db.execute(
            "INSERT OR REPLACE INTO sites (origin, decision, quota, decided_at)"
            " VALUES (?, ?, ?, ?)",
            (site.origin, site.decision, site.quota, site.decided_at),
        )
        return site

    def delete_site(self, origin: str) -> bool:
        return self._db.execute("DELETE FROM sites WHERE origin = ?", (origin,)).rowcount > 0

    # -- reads -----------------------------------------------------------

    def sites(self) -> list[SiteRow]:
        rows = self._db.execute(
            "SELECT origin, decision, quota, decided_at FROM sites ORDER BY origin"
        ).fetchall()
        return [SiteRow(*row) for row in rows]

    def load(self, key: int | None = None) -> list[RegistrationRow]:
        """Every registration (or one), oldest first, with its requests."""
        where, args = ("WHERE key = ?", (key,)) if key is not None else ("", ())
        regs = self._db.execute(
            "SELECT key, id, title, icons, download_total, result, failure_reason, paused,"
            f" dest, created_at, settled_at, origin FROM registrations {where} ORDER BY key",
            args,
        ).fetchall()
        by_key: dict[int, RegistrationRow] = {}
        for r in regs:
            try:
                by_key[r[0]] = self._registration_row(r)
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                self._skip(r[0], r[1], exc)
        rows = self._db.execute(
            "SELECT reg_key, idx, request, status, response_headers, filename, bytes_done,"
            " size_total, etag, last_modified, complete, uploaded, upload_total, secret,"
            " segments, final_url, sent"
            " FROM requests"
            f" {where.replace('key', 'reg_key')} ORDER BY reg_key, idx",
            args,
        )
        for q in rows:
            reg = by_key.get(q[0])
            if reg is None:
                continue
            try:
                reg.requests.append(_request_row(q))
            except (ValueError, TypeError, KeyError, AttributeError) as exc:
                del by_key[q[0]]
                self._skip(q[0], reg.id, exc)
        self._load_marks(by_key, where.replace("key", "reg_key"), args)
        return list(by_key.values())

    def _load_marks(
        self, by_key: dict[int, RegistrationRow], where: str, args: tuple[Any, ...]
    ) -> None:
        marks = self._db.execute(
            f"SELECT reg_key, idx, replaced_url, skipped, failed FROM request_marks {where}", args)
        for key, idx, replaced_url, skipped, failed in marks:
            reg = by_key.get(key)
            if reg is not None and 0 <= idx < len(reg.requests):
                row = reg.requests[idx]
                row.replaced_url, row.skipped, row.failed = replaced_url, bool(skipped), failed

    def _skip(self, key: int, fetch_id: object, exc: Exception) -> None:
        """One damaged row hides its fetch, and only that one; said once per store."""
        if key not in self._damaged_keys:
            self._damaged_keys.add(key)
            self._note(f"fetch {fetch_id!r} (key {key}) is damaged in {self.path} and was "
                       f"skipped: {type(exc).__name__}: {exc}")

    @staticmethod
    def _registration_row(r: tuple[Any, ...]) -> RegistrationRow:
        return RegistrationRow(
                key=r[0],
                id=r[1],
                title=r[2],
                icons=tuple(Icon(**i) for i in json.loads(r[3])),
                download_total=r[4],
                result=r[5],
                failure_reason=r[6],
                paused=bool(r[7]),
                dest=Path(r[8]),
                created_at=r[9],
                settled_at=r[10],
                requests=[],
                origin=r[11],
            )


def _request_row(q: tuple[Any, ...]) -> RequestRow:
    return RequestRow(
        idx=q[1],
        request=FetchRequest.from_json(json.loads(q[2])),
        status=q[3],
        response_headers=tuple((k, v) for k, v in json.loads(q[4])),
        filename=q[5],
        bytes_done=q[6],
        size_total=q[7],
        etag=q[8],
        last_modified=q[9],
        complete=bool(q[10]),
        uploaded=q[11],
        upload_total=q[12],
        secret=bool(q[13]),
        segments=tuple((a, b, c) for a, b, c in json.loads(q[14])),
        final_url=q[15],
        sent=bool(q[16]),
    )


def _marks(row: Sequence[object]) -> str:
    return ", ".join("?" * len(row))


def disk_full(exc: sqlite3.Error) -> bool:
    """Whether a database error means the data folder's disk (or quota) is full."""
    return getattr(exc, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or (
        "disk is full" in str(exc)
    )


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]
