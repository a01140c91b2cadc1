"""The SQLite store: migrations from older files, and corrupt files moved aside, never emptied."""

import sqlite3
from pathlib import Path

import pytest

from bgfetch_gui.engine.errors import StoreError
from bgfetch_gui.engine.model import FetchRequest, Icon
from bgfetch_gui.engine.store import MIGRATIONS, SCHEMA_VERSION, Store, _statements


def test_round_trip(tmp_path: Path):
    store = Store(tmp_path / "db")
    key = store.insert_registration(
        "ep5", "Episode 5", [Icon("i.png", "32x32")], 100, tmp_path,
        [FetchRequest("http://a/x", headers=(("Accept", "*/*"),))], [0],
    )
    store.update_request(key, 0, bytes_done=42, etag='"v1"', complete=0)
    store.close()
    [row] = Store(tmp_path / "db").load()
    assert (row.id, row.title, row.download_total) == ("ep5", "Episode 5", 100)
    assert row.icons == (Icon("i.png", "32x32"),)
    assert row.requests[0].bytes_done == 42 and row.requests[0].etag == '"v1"'
    assert row.requests[0].request.headers == (("Accept", "*/*"),)


def test_active_id_is_unique_in_the_database(tmp_path: Path):
    store = Store(tmp_path / "db")
    args = ("dup", "", [], 0, tmp_path, [FetchRequest("http://a/")], [0])
    key = store.insert_registration(*args)
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_registration(*args)
    store.update_registration(key, result="success")
    store.insert_registration(*args)  # free again once settled


def test_migrates_a_version_1_database(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for statement in _statements(MIGRATIONS[0]):
        db.execute(statement)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (1)")
    db.execute("INSERT INTO registrations (id, title, dest, created_at) "
               "VALUES ('old', 'Old', '/x', 1)")
    db.execute("INSERT INTO requests (reg_key, idx, request, bytes_done) VALUES "
               "(1, 0, '{\"url\": \"http://a/\"}', 77)")
    db.commit()
    db.close()
    store = Store(path)
    [row] = store.load()
    assert row.title == "Old" and row.requests[0].bytes_done == 77
    assert row.requests[0].uploaded == 0
    version = store._db.execute("SELECT version FROM schema_version").fetchone()[0]
    assert version == SCHEMA_VERSION
    assert store.moved_aside is None


def test_corrupt_database_is_moved_aside(tmp_path: Path):
    path = tmp_path / "bgfetch.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    store = Store(path)
    assert store.moved_aside is not None
    assert store.moved_aside.read_bytes().startswith(b"this is not a database")
    assert store.load() == []


def test_newer_database_is_refused(tmp_path: Path):
    path = tmp_path / "db"
    Store(path).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE schema_version SET version = 999")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer bgfetch"):
        Store(path)
