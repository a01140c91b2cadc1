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


def test_active_ids_are_unique_per_origin(tmp_path: Path):
    store = Store(tmp_path / "db")
    args = ("dup", "", [], 0, tmp_path, [FetchRequest("http://a/")], [0])
    store.insert_registration(*args)
    store.insert_registration(*args, origin="https://a.example")
    store.insert_registration(*args, origin="https://b.example")
    with pytest.raises(sqlite3.IntegrityError):
        store.insert_registration(*args, origin="https://a.example")
    assert sorted(row.origin for row in store.load()) == ["", "https://a.example",
                                                           "https://b.example"]


def test_a_version_2_database_keeps_its_fetches_as_the_users_own(tmp_path: Path):
    path = tmp_path / "old.sqlite3"
    db = sqlite3.connect(path)
    for migration in MIGRATIONS[:2]:
        for statement in _statements(migration):
            db.execute(statement)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    db.execute("INSERT INTO schema_version VALUES (2)")
    db.execute("INSERT INTO registrations (id, dest, created_at) VALUES ('old', '/x', 1)")
    db.execute("INSERT INTO requests (reg_key, idx, request) VALUES (1, 0, '{\"url\": \"http://a/\"}')")
    db.commit()
    db.close()
    store = Store(path)
    [row] = store.load()
    assert row.origin == "" and row.requests[0].secret is False
    with pytest.raises(sqlite3.IntegrityError):  # still active under the same id
        store.insert_registration("old", "", [], 0, tmp_path, [FetchRequest("http://a/")], [0])


def test_site_decisions_round_trip(tmp_path: Path):
    store = Store(tmp_path / "db")
    store.save_site("https://a.example", "allow", 5)
    store.save_site("https://b.example", "deny", 7)
    store.save_site("https://a.example", "deny", 6)
    assert [(s.origin, s.decision, s.quota) for s in store.sites()] == [
        ("https://a.example", "deny", 6), ("https://b.example", "deny", 7)]
    assert store.delete_site("https://a.example") and not store.delete_site("https://a.example")
    with pytest.raises(sqlite3.IntegrityError):
        store.save_site("https://c.example", "maybe", 1)
