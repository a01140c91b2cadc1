"""Damaged state (issue 10, chaos 5): truncated, garbage and partly-bad databases, an
older schema, a part file shorter or longer than its checkpoint, bad settings. The app
starts, says what it did, and loses nothing it could keep."""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bgfetch_gui.engine.model import FetchRequest
from bgfetch_gui.engine.store import MIGRATIONS, Store
from tests.integration.cli_helpers import Home
from tests.integration.engine_fixtures import start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256


def three_fetches(home: Home) -> None:
    store = Store(home.db_path)
    for fetch_id in ("one", "two", "three"):
        key = store.insert_registration(fetch_id, "", (), 0, home.path / fetch_id,
                                        [FetchRequest(f"https://example.com/{fetch_id}")], [0])
        store.update_registration(key, result="failure", failure_reason="aborted")
    store.close()
    db = sqlite3.connect(home.db_path)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def listed(home: Home) -> tuple[list[str], str]:
    proc = home.ok("list", "--json")  # exit 0, no traceback
    return [f["id"] for f in json.loads(proc.stdout)], proc.stderr


def test_truncated_database(home: Home, figures: Callable[[str], None]) -> None:
    three_fetches(home)
    data = home.db_path.read_bytes()
    home.db_path.write_bytes(data[: len(data) // 2])
    ids, said = listed(home)
    assert "moved to" in said
    figures(f"truncated database: kept {ids}; said: {said.strip().splitlines()[-1][:160]}")


def test_garbage_database(home: Home) -> None:
    home.db_path.write_bytes(b"\x00garbage" * 4096)
    ids, said = listed(home)
    assert ids == [] and "moved to" in said and "nothing could be read" in said


@pytest.mark.parametrize("column", ["icons", "request", "response_headers", "segments"])
def test_partly_bad_database(home: Home, column: str) -> None:
    three_fetches(home)
    db = sqlite3.connect(home.db_path)
    table = "registrations" if column == "icons" else "requests"
    key = "key" if table == "registrations" else "reg_key"
    db.execute(f"UPDATE {table} SET {column} = '{{broken' WHERE {key} ="
               " (SELECT key FROM registrations WHERE id = 'two')")
    db.commit()
    db.close()
    ids, said = listed(home)
    assert ids == ["one", "three"] and "'two'" in said


def test_older_schema_is_migrated_with_its_fetches(home: Home) -> None:
    db = sqlite3.connect(home.db_path)
    db.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    for script in MIGRATIONS[:2]:
        db.executescript(script)
    db.execute("INSERT INTO schema_version VALUES (2)")
    db.execute("INSERT INTO registrations (id, dest, created_at, result, failure_reason)"
               " VALUES ('old', '/tmp/old', ?, 'failure', 'aborted')", (time.time(),))
    db.execute("INSERT INTO requests (reg_key, idx, request) VALUES (1, 0, ?)",
               (json.dumps({"url": "https://example.com/old"}),))
    db.commit()
    db.close()
    ids, _ = listed(home)
    assert ids == ["old"]


def test_bad_settings_are_named_and_the_app_starts(home: Home) -> None:
    (home.path / "settings.json").write_text(json.dumps(
        {"max_active_fetches": 0, "stall_timeout": -3, "speed_limit": "fast"}))
    proc = home.run("list")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr
    (home.path / "settings.json").write_text("{not json")
    proc = home.run("list")
    assert proc.returncode == 0 and "Traceback" not in proc.stderr


@pytest.mark.parametrize("change", [-150_000, +150_000])
async def test_part_file_shorter_or_longer_than_its_checkpoint(
    fault_server: FaultServer, tmp_path: Path, change: int
) -> None:
    size = 1_000_000
    url = fault_server.url("p.bin", size=size, rate=2_000_000, hold="p", hold_after=500_000)
    engine = await start_engine(tmp_path / "home")
    reg = await engine.manager.fetch("part", [url], dest=tmp_path / "b")
    while engine.manager.store.load(reg.key)[0].requests[0].bytes_done < 300_000:
        await asyncio.sleep(0.01)
    await stop_engine(engine)
    fault_server.release("p")
    part = tmp_path / "b" / "p.bin.part"
    checkpoint = Store(tmp_path / "home" / "bgfetch.sqlite3").load()[0].requests[0].bytes_done
    with open(part, "r+b") as handle:
        # Shorter: as after a power cut. Longer: garbage beyond the checkpoint.
        handle.truncate(checkpoint + change)
    engine = await start_engine(tmp_path / "home")
    try:
        again = engine.manager.get("part")
        assert again is not None
        await engine.settled(again)
        assert again.result == "success"
        [record] = await again.match_all()
        assert record.path is not None
        assert hashlib.sha256(record.path.read_bytes()).hexdigest() == content_sha256(size)
    finally:
        await stop_engine(engine)
