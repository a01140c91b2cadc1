"""Naming fetches on the command line, and the `list` table (docs/contracts.md §4, "Ids").

Real commands against a real database: unique prefixes, ambiguous ones, and a
re-used id whose older fetches stay reachable as ``ID~N``, with and without an
engine running.
"""

from __future__ import annotations

import json
import subprocess
import time

import pytest

from bgfetch_gui.engine.units import human_size
from tests.integration.cli_helpers import HOLD_SETTINGS, Home, describe, stderr_lines
from tests.support.faultserver import FaultServer


def _run_with_columns(home: Home, columns: int, *args: str) -> subprocess.CompletedProcess[str]:
    proc = home.run(*args, extra_env={"COLUMNS": str(columns)})
    assert proc.returncode == 0, describe(proc)
    return proc


def _lines(proc_stdout: str) -> list[str]:
    return [line for line in proc_stdout.splitlines() if line.strip()]


def test_a_unique_prefix_names_the_fetch(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    home.ok("fetch", "--wait", "--id", "episode-5", "--dest", str(dest),
            fault_server.url("a.bin", size=1000))
    home.ok("fetch", "--wait", "--id", "episode-6", "--dest", str(dest),
            fault_server.url("b.bin", size=2000))
    home.ok("fetch", "--wait", "--id", "trailer", "--dest", str(dest),
            fault_server.url("c.bin", size=3000))

    assert home.show("tr")["id"] == "trailer"
    assert home.show("episode-6")["downloaded"] == 2000
    assert home.run("wait", "episode-5").returncode == 0
    assert home.run("pause", "tra").returncode == 0  # settled: nothing to pause, but found

    ambiguous = home.run("show", "epi")
    assert ambiguous.returncode == 2, describe(ambiguous)
    (line,) = stderr_lines(ambiguous)
    assert "episode-5" in line and "episode-6" in line and "Traceback" not in line
    assert home.run("wait", "episode").returncode == 2
    unknown = home.run("show", "nothing-like-it")
    assert unknown.returncode == 2 and "nothing-like-it" in unknown.stderr


def test_a_prefix_reaches_an_active_fetch_in_a_daemon(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("held.bin", size=1 << 20, hold="held", hold_after=1 << 18)
    home.ok("fetch", "--id", "long-running-fetch", "--dest", str(dest), url)
    fault_server.wait_held("held")

    assert home.run("pause", "long").returncode == 0
    assert home.show("long-running-fetch")["state"] == "paused"
    assert home.run("resume", "long-r").returncode == 0
    fault_server.release("held")
    assert home.run("wait", "long-running").returncode == 0


def test_a_reused_id_keeps_the_older_fetches_reachable(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    first = home.run("fetch", "--wait", "--id", "ep", "--title", "First", "--dest", str(dest),
                     fault_server.url("one.bin", size=1000))
    assert first.returncode == 0 and first.stderr == "", describe(first)
    second = home.run("fetch", "--wait", "--id", "ep", "--title", "Second", "--dest", str(dest),
                      fault_server.url("gone.bin", status=404))
    assert second.returncode == 1, describe(second)
    assert stderr_lines(second)[0] == (
        "bgfetch: an older settled fetch had the id ep; `bgfetch show ep~1` shows it")
    third = home.run("fetch", "--wait", "--id", "ep", "--title", "Third", "--dest", str(dest),
                     fault_server.url("three.bin", size=3000))

    assert third.returncode == 0, describe(third)
    assert "2 older settled fetches had the id ep" in third.stderr
    assert "`bgfetch show ep~1`" in third.stderr
    assert home.show("ep")["title"] == "Third"
    assert home.show("ep~1")["title"] == "Second"
    assert home.show("ep~2")["title"] == "First"
    assert home.show("e~2")["title"] == "First", "a prefix with a generation"
    too_far = home.run("show", "ep~3")
    assert too_far.returncode == 2 and "ep~3" in too_far.stderr, describe(too_far)
    assert home.run("wait", "ep~1").returncode == 1  # the 404 one

    text = home.ok("show", "ep~1").stdout
    assert "title: Second" in text and "name: ep~1" in text
    assert "name:" not in home.ok("show", "ep").stdout

    table = _lines(home.ok("list").stdout)
    rows = {line.split()[0]: line for line in table[1:]}
    assert set(rows) == {"ep", "ep~1", "ep~2"}
    assert "Third" in rows["ep"] and "Second" in rows["ep~1"] and "First" in rows["ep~2"]
    assert "failed: bad-status" in rows["ep~1"]


def test_an_id_ending_in_tilde_n_is_its_own(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    home.ok("fetch", "--wait", "--id", "v~1", "--title", "Literal", "--dest", str(dest),
            fault_server.url("v.bin", size=10))
    assert home.show("v~1")["title"] == "Literal"


def test_list_is_an_aligned_table_that_fits_the_terminal(
    home: Home, fault_server: FaultServer
) -> None:
    dest = home.path.parent / "out"
    long_title = "A very long title of a podcast episode that will not fit in the table"
    home.ok("fetch", "--wait", "--id", "done", "--title", long_title, "--dest", str(dest),
            fault_server.url("d.bin", size=60_000_000 // 1000))
    broken = home.run("fetch", "--wait", "--id", "broken", "--title", "Broken",
                      "--dest", str(dest), fault_server.url("x.bin", status=404))
    assert broken.returncode == 1, describe(broken)
    home.ok("fetch", "--id", "cancelled", "--dest", str(dest),
            fault_server.url("c.bin", size=1000, hold="c"))
    home.ok("abort", "cancelled")

    env_width = 80
    proc = _run_with_columns(home, env_width, "list")
    lines = _lines(proc.stdout)

    header = lines[0]
    assert header.split() == ["ID", "STATE", "DONE", "SIZE", "CREATED", "TITLE"]
    assert all(len(line) <= env_width for line in lines), lines
    # columns start where their header does
    title_at = header.index("TITLE")
    created_at = header.index("CREATED")
    today = time.strftime("%Y-%m-%d")
    for line in lines[1:]:
        assert line[created_at:created_at + 10] == today, line
        assert line[title_at - 2:title_at] == "  " and line[title_at] != " ", line
    rows = {line.split()[0]: line for line in lines[1:]}
    assert "success" in rows["done"] and "100%" in rows["done"]
    assert human_size(60_000) in rows["done"]
    assert rows["done"].endswith("…") and long_title[:10] in rows["done"]
    assert "failed: bad-status" in rows["broken"]
    assert "cancelled" in rows["cancelled"]

    narrow = _lines(_run_with_columns(home, 64, "list").stdout)
    assert narrow[0].split() == ["ID", "STATE", "DONE", "SIZE", "TITLE"], narrow
    assert all(len(line) <= 64 for line in narrow), narrow
    wide = _lines(_run_with_columns(home, 200, "list").stdout)
    assert any(line.endswith(long_title) for line in wide)
    # --json is untouched by any of this
    listed = json.loads(_run_with_columns(home, 40, "list", "--json").stdout)
    assert {r["id"] for r in listed} == {"done", "broken", "cancelled"}
    assert all("ref" not in r and "created_at" not in r for r in listed)


@pytest.mark.parametrize("width", [30, 50])
def test_list_table_survives_a_very_narrow_terminal(
    home: Home, fault_server: FaultServer, width: int
) -> None:
    dest = home.path.parent / "out"
    home.ok("fetch", "--wait", "--id", "n", "--title", "Narrow", "--dest", str(dest),
            fault_server.url("n.bin", size=10))
    proc = _run_with_columns(home, width, "list")
    assert proc.returncode == 0, describe(proc)
    assert _lines(proc.stdout)[1].startswith("n ")
