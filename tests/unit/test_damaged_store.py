"""Damage in the database is contained (issue 10): one bad row hides its own fetch only
and is reported; a database moved aside as corrupt is salvaged, each fetch whole (its
side tables too), and what was lost is said."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bgfetch_gui.engine.model import FetchRequest
from bgfetch_gui.engine.store import DB_NAME, FETCH_SIDE_TABLES, Store


def two_fetches(path: Path) -> None:
    store = Store(path)
    for fetch_id in ("good", "bad"):
        store.insert_registration(fetch_id, fetch_id.title(), (), 0, path.parent / fetch_id,
                                  [FetchRequest("https://example.com/a")], [0])
    store.close()


def damage(path: Path, sql: str) -> None:
    db = sqlite3.connect(path)
    db.execute(sql)
    db.commit()
    db.close()


def test_a_bad_json_column_skips_its_fetch_only(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    two_fetches(path)
    damage(path, "UPDATE requests SET response_headers = '{not json'"
                 " WHERE reg_key = (SELECT key FROM registrations WHERE id = 'bad')")
    store = Store(path)
    assert [r.id for r in store.load()] == ["good"]
    assert len(store.damage) == 1 and "'bad'" in store.damage[0]
    assert [r.id for r in store.load()] == ["good"] and len(store.damage) == 1  # said once


def test_bad_icons_or_a_request_that_is_not_an_object(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    two_fetches(path)
    damage(path, "UPDATE registrations SET icons = '[{\"nope\": 1}]' WHERE id = 'bad'")
    damage(path, "UPDATE requests SET request = '[1, 2]'"
                 " WHERE reg_key = (SELECT key FROM registrations WHERE id = 'good')")
    store = Store(path)
    assert store.load() == []
    assert sorted(line.split()[1] for line in store.damage) == ["'bad'", "'good'"]


def _corrupt_an_index(path: Path) -> None:
    """Garbage over one index page: the integrity check fails, the tables still read."""
    db = sqlite3.connect(path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = db.execute("PRAGMA page_size").fetchone()[0]
    root = db.execute("SELECT rootpage FROM sqlite_master"
                      " WHERE name = 'registrations_active_origin_id'").fetchone()[0]
    db.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_a_corrupt_database_is_moved_aside_and_its_fetches_salvaged(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    two_fetches(path)
    _corrupt_an_index(path)
    store = Store(path)
    assert store.moved_aside is not None and store.moved_aside.exists()
    assert sorted(r.id for r in store.load()) == ["bad", "good"]
    assert store.load()[0].requests[0].request.url == "https://example.com/a"
    assert any("salvaged 2 fetches" in line for line in store.damage)


def test_garbage_is_moved_aside_and_the_loss_is_said(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    path.write_bytes(b"this is not a database" * 1000)
    store = Store(path)
    assert store.moved_aside is not None and store.load() == []
    assert any("nothing could be read" in line for line in store.damage)


def test_a_salvaged_fetch_keeps_its_proxy_limit_start_time_and_file_marks(tmp_path: Path) -> None:
    path = tmp_path / DB_NAME
    store = Store(path)
    key = store.insert_registration(
        "marked", "Marked", (), 0, tmp_path / "marked",
        [FetchRequest("https://example.com/a"), FetchRequest("https://example.com/b")], [0, 0],
        proxy="socks5://127.0.0.1:1080", max_speed=512_000, start_at=2_000_000_000.0)
    store.set_queue_positions({key: 7})
    (row_a, row_b) = store.load()[0].requests
    row_a.replaced_url = "https://example.com/a-renewed"
    row_b.skipped = True
    store.save_marks(key, row_a)
    store.save_marks(key, row_b)
    store.save_file_hash(key, 0, (3, 4, 5), "ab" * 32)
    store.set_failure_problem(key, "the server answered 404 Not Found", 1)
    store.close()
    _corrupt_an_index(path)

    store = Store(path)
    assert store.moved_aside is not None
    (salvaged,) = store.load()
    assert store.fetch_network(salvaged.key) == ("socks5://127.0.0.1:1080", 512_000)
    assert store.start_times() == {salvaged.key: 2_000_000_000.0}
    assert store.queue_positions() == {salvaged.key: 7}
    assert salvaged.requests[0].replaced_url == "https://example.com/a-renewed"
    assert salvaged.requests[1].skipped
    assert store.file_hashes(salvaged.key) == {0: ((3, 4, 5), "ab" * 32)}
    assert store.failure_problems() == {salvaged.key: ("the server answered 404 Not Found", 1)}


def test_every_table_of_a_fetch_is_salvaged(tmp_path: Path) -> None:
    """A table a new migration adds with a ``reg_key`` must be listed for the salvage."""
    store = Store(tmp_path / DB_NAME)
    tables = [name for (name,) in store._db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")]
    keyed = {table for table in tables
             if any(column[1] == "reg_key"
                    for column in store._db.execute(f"PRAGMA table_info({table})"))}
    store.close()
    assert keyed == {"requests", *FETCH_SIDE_TABLES}
