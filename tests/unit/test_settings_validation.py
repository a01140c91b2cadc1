"""Settings that make no sense are refused on load, with a warning naming the key
(issue 10; docs/contracts.md §3): `max_active_fetches: 0` made every fetch wait for ever."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bgfetch_gui.engine.settings import SETTINGS_NAME, Settings


@pytest.mark.parametrize(("key", "bad"), [
    ("max_active_fetches", 0),
    ("max_transfers_per_fetch", -1),
    ("max_transfers", 0),
    ("connections_per_file", 17),
    ("connections_per_file", 0),
    ("connections_per_host", 0),
    ("min_split_size", 0),
    ("speed_limit", -5),
    ("connect_timeout", 0),
    ("stall_timeout", -1.0),
    ("max_retries", -1),
    ("max_restarts", -2),
    ("retry_base_delay", -0.5),
    ("retry_max_delay", -1),
    ("lowest_speed", -1),
    ("lowest_speed_window", 0),
    ("checkpoint_bytes", 0),
    ("checkpoint_seconds", 0.0),
])
def test_an_out_of_range_setting_keeps_its_default_and_is_named(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, key: str, bad: float
) -> None:
    (tmp_path / SETTINGS_NAME).write_text(json.dumps({key: bad, "notifications": False}))
    with caplog.at_level(logging.WARNING, logger="bgfetch.settings"):
        loaded = Settings.load(tmp_path)
    assert loaded.notifications is False  # one bad key spoils nothing else
    assert getattr(loaded, key) == getattr(Settings(), key)
    assert any(key in record.getMessage() for record in caplog.records)
    assert loaded.problems() == []


def test_not_a_number_is_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    (tmp_path / SETTINGS_NAME).write_text('{"stall_timeout": NaN, "speed_limit": 1e999}')
    loaded = Settings.load(tmp_path)
    assert loaded.stall_timeout == Settings().stall_timeout
    assert loaded.speed_limit == 0
    assert "stall_timeout" in caplog.text


def test_problems_name_each_bad_key() -> None:
    settings = Settings(max_active_fetches=0, stall_timeout=-1)
    assert [p.split(":")[0] for p in settings.problems()] == ["max_active_fetches",
                                                             "stall_timeout"]
    assert Settings().problems() == []
