"""The data folder is owner-only and so is the database, even if they existed with looser
modes (issue 10; docs/contracts.md §3): the database holds URLs, some with secrets."""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path

import pytest

from bgfetch_gui.engine.datadir import data_dir
from bgfetch_gui.engine.store import DB_NAME, Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_an_existing_open_data_folder_is_made_owner_only(tmp_path: Path, monkeypatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    home.chmod(0o755)
    monkeypatch.setenv("BGFETCH_HOME", str(home))
    assert data_dir() == home
    assert mode(home) == 0o700


def test_the_database_is_owner_only_under_any_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        store = Store(tmp_path / DB_NAME)
        store.insert_registration("a", "", (), 0, tmp_path, [], [])
    finally:
        os.umask(old)
    try:
        for suffix in ("", "-wal", "-shm"):
            path = Path(str(tmp_path / DB_NAME) + suffix)
            if path.exists():
                assert mode(path) == 0o600, path
    finally:
        store.close()


def test_an_existing_readable_database_is_made_owner_only(tmp_path: Path) -> None:
    Store(tmp_path / DB_NAME).close()
    (tmp_path / DB_NAME).chmod(0o644)
    Store(tmp_path / DB_NAME).close()
    assert mode(tmp_path / DB_NAME) == 0o600
