"""`bgfetch start-at` (docs/contracts.md §10) and `bgfetch alt-speed` (§9), end to end:
through the running engine over the local API, and straight into the database and
settings.json when none runs. Each observation is the engine's own answer (`show
--json`, settings.json, a download's duration under the limit); nothing sleeps."""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from datetime import datetime

from tests.integration.cli_helpers import HOLD_SETTINGS, Home, describe, wait_until
from tests.support.faultserver import FaultServer

FAR = "2099-01-01T00:00"
FARTHER = "2099-06-01T12:30"
KIB = 1024


def settings_file(home: Home) -> dict[str, object]:
    data: dict[str, object] = json.loads((home.path / "settings.json").read_text())
    return data


def stored_start_times(home: Home) -> list[float]:
    with closing(sqlite3.connect(home.db_path)) as db:
        return [row[0] for row in db.execute("SELECT start_at FROM fetch_start")]


def one_line_exit_2(home: Home, *args: str, problem: str) -> None:
    bad = home.run(*args)
    assert bad.returncode == 2 and problem in bad.stderr, describe(bad)
    assert len(bad.stderr.strip().splitlines()) == 1, describe(bad)


def test_start_at_changes_a_fetch_s_start_with_and_without_an_engine(
    home: Home, fault_server: FaultServer
) -> None:
    home.ok("fetch", "--id", "a", "--start-at", FAR, fault_server.url("a.bin", size=1000))
    waiting = home.wait_state("a", "queued")
    assert waiting["problem_code"] == "starts-at", waiting
    assert waiting["problem_at"] == datetime.fromisoformat(FAR).timestamp()

    home.ok("start-at", "a", FARTHER)  # the daemon answers
    wait_until(lambda: home.show("a")["problem_at"] == datetime.fromisoformat(FARTHER)
               .timestamp(), 20, 0.1, "the engine to take the new start time")
    home.ok("quit")

    home.ok("start-at", "a", FAR)  # no engine: straight into the database
    assert home.ping() is None
    assert stored_start_times(home) == [datetime.fromisoformat(FAR).timestamp()]
    for args, problem in ((("a", "25:00"), "TIME: '25:00' is not a time of day"),
                          (("a", "soon"), "TIME: expected HH:MM"),
                          (("nosuch", "now"), "nosuch")):
        one_line_exit_2(home, "start-at", *args, problem=problem)

    home.ok("start-at", "a", "now")  # clears it, and starts an engine to download
    wait_until(lambda: home.show("a")["result"] == "success", 30, 0.1, "a to download")
    one_line_exit_2(home, "start-at", "a", "now", problem="has settled")


def test_alt_speed_switches_the_running_engine_s_limit_and_is_kept(
    home: Home, fault_server: FaultServer
) -> None:
    rate = 64 * KIB
    home.write_settings(**HOLD_SETTINGS, speed_limit=0, alt_speed_limit=rate)
    home.ok("alt-speed", "on")  # no engine: settings.json only
    assert settings_file(home)["alt_speed_on"] is True
    home.ok("alt-speed", "off")
    assert settings_file(home)["alt_speed_on"] is False

    with fault_server.holding("alt") as key:  # a daemon that stays up
        home.ok("fetch", "--id", "held", fault_server.url("held.bin", size=1000, hold=key))
        fault_server.wait_held(key, timeout=20)
        home.ok("alt-speed", "on")  # the daemon answers, and keeps the choice
        assert settings_file(home)["alt_speed_on"] is True
        started = time.monotonic()
        home.ok("fetch", "--id", "slow", "--wait", fault_server.url("slow.bin", size=128 * KIB))
        # The bucket holds a quarter second of bytes: 128 KiB at 64 KiB/s takes 1.75 s
        # at the least; without the limit it takes milliseconds.
        assert time.monotonic() - started >= (128 * KIB - rate / 4) / rate
        home.ok("alt-speed", "off")
        assert settings_file(home)["alt_speed_on"] is False
    one_line_exit_2(home, "alt-speed", "maybe", problem="invalid choice")
