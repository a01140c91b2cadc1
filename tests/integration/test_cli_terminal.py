"""``bgfetch`` at a real terminal (a pty): the progress bar, the closing line, and
Ctrl+C, with the engine in the command's own process and in a daemon
(docs/contracts.md §4)."""

from __future__ import annotations

import re
import signal
from collections.abc import Iterator

import pytest

from tests.integration.cli_helpers import (
    HOLD_SETTINGS,
    Home,
    describe,
    sha256_file,
    wait_until,
)
from tests.integration.terminal import COLUMNS, Terminal, screen_lines
from tests.support.faultserver import FaultServer, content_sha256

SPEED = r"\d+(\.\d)? (?:[KMG]i)?B/s"


@pytest.fixture
def terminals() -> Iterator[list[Terminal]]:
    opened: list[Terminal] = []
    yield opened
    for terminal in opened:
        terminal.close()


def _bar_lines(output: str) -> list[str]:
    return [line for line in re.split(r"[\r\n]", output) if "[" in line and "%" in line]


def test_fetch_wait_draws_a_bar_and_says_where_the_files_are(
    home: Home, fault_server: FaultServer, terminals: list[Terminal]
) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    small = fault_server.url("small.bin", size=50_000, seed=1)
    size = 3 << 20
    big = fault_server.url("big.bin", size=size, seed=2, rate=1_000_000,
                           hold="big", hold_after=2 << 20)

    term = Terminal(home, "fetch", "--wait", "--id", "ep5", "--title", "Episode 5",
                    "--dest", str(dest), small, big)
    terminals.append(term)
    # While it downloads: percent, a bar, done of total, a speed and an ETA, files done.
    term.expect(rf"Episode 5 +\d+% \[=*>? *\] [\d.]+ (?:[KM]i)?B / 3\.0 MiB  {SPEED}  ETA \d+s"
                r"  [01]/2 files")
    fault_server.wait_held("big")
    term.expect(r"1/2 files")
    fault_server.release("big")

    assert term.wait() == 0, term.output
    lines = [line for line in screen_lines(term.output) if line.strip()]
    assert lines[-1] == f"saved 2 files to {dest}", lines
    assert re.fullmatch(r"Episode 5 100% \[=+\] 3\.0 MiB / 3\.0 MiB  success  2/2 files",
                        lines[-2]), lines
    # Redrawn in place, never wider than the terminal.
    bars = _bar_lines(term.output)
    assert len(bars) > 2 and all(len(bar.replace("\x1b[K", "")) < COLUMNS for bar in bars), bars
    assert "\r" in term.output
    assert sha256_file(dest / "big.bin") == content_sha256(size, 2)


def test_wait_on_a_terminal_fits_a_narrow_one(
    home: Home, fault_server: FaultServer, terminals: list[Terminal]
) -> None:
    """`wait` draws the same bar, here for a fetch a daemon runs; 40 columns still fit."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("one.bin", size=1 << 20, hold="one", hold_after=1 << 19)
    home.ok("fetch", "--id", "a-very-long-identifier-for-this-fetch", "--dest", str(dest), url)

    term = Terminal(home, "wait", "a-very-long", columns=40)
    terminals.append(term)
    fault_server.wait_held("one")
    term.expect(r"512 KiB / 1\.0 MiB")
    fault_server.release("one")

    assert term.wait() == 0, term.output
    bars = [line for line in screen_lines(term.output) if "MiB" in line]
    assert bars and all(len(line) < 40 for line in bars), bars
    assert screen_lines(term.output)[-2] == f"saved {dest / 'one.bin'}"


def test_ctrl_c_pauses_the_fetch_an_own_engine_runs(
    home: Home, fault_server: FaultServer, terminals: list[Terminal]
) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    size = 2 << 20
    url = fault_server.url("int.bin", size=size, seed=17, hold="int", hold_after=size // 2)

    term = Terminal(home, "fetch", "--wait", "--id", "int", "--dest", str(dest), url)
    terminals.append(term)
    fault_server.wait_held("int")
    term.expect(r"\[")
    term.ctrl_c()

    assert term.wait() == 130, term.output
    assert "int paused; `bgfetch resume int` continues" in term.output
    assert "Traceback" not in term.output
    assert home.ping() is None
    reg = home.show("int")
    assert reg["state"] == "paused" and 0 < reg["downloaded"] < size

    fault_server.release("int")
    home.ok("resume", "int")  # starts a daemon: a resumed fetch downloads
    assert home.run("wait", "int").returncode == 0
    assert sha256_file(dest / "int.bin") == content_sha256(size, 17)


def test_ctrl_c_pauses_the_fetch_a_daemon_runs(
    home: Home, fault_server: FaultServer, terminals: list[Terminal]
) -> None:
    """Today's bug: the download silently went on in the daemon after Ctrl+C."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    home.ok("fetch", "--id", "first", "--dest", str(dest),
            fault_server.url("first.bin", size=1 << 20, hold="first", hold_after=1 << 19))
    size = 2 << 20
    url = fault_server.url("remote.bin", size=size, seed=19, hold="remote", hold_after=1 << 20)

    term = Terminal(home, "fetch", "--wait", "--id", "remote", "--dest", str(dest), url)
    terminals.append(term)
    fault_server.wait_held("remote")
    term.expect(r"1\.0 MiB / 2\.0 MiB")
    term.ctrl_c()

    assert term.wait() == 130, term.output
    assert "remote paused; `bgfetch resume remote` continues" in term.output
    info = home.ping()
    assert info is not None and info["kind"] == "daemon"
    assert home.show("remote")["state"] == "paused"
    assert home.show("first")["state"] == "downloading", "only the waited fetch pauses"

    fault_server.release("remote")
    fault_server.release("first")
    home.ok("resume", "remote")
    assert home.run("wait", "remote").returncode == 0
    assert sha256_file(dest / "remote.bin") == content_sha256(size, 19)


def test_sigint_reaches_a_wait_that_found_the_folder_busy(
    home: Home, fault_server: FaultServer
) -> None:
    """The cause of the old hang: when the first look for an engine failed (here: its
    token unreadable for a moment), `fetch --wait` tried to run its own, found the
    folder busy, then waited on the daemon with SIGINT still only noted, never acted on."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    home.ok("fetch", "--id", "first", "--dest", str(dest),
            fault_server.url("first.bin", size=1 << 20, hold="first", hold_after=1 << 19))
    token = home.path / "ipc.token"
    hidden = token.with_name("ipc.token.hidden")
    token.rename(hidden)
    url = fault_server.url("busy.bin", size=2 << 20, hold="busy", hold_after=1 << 20)

    proc = home.popen("fetch", "--wait", "--id", "busy", "--dest", str(dest), url)
    # Its own engine logs there before it finds the daemon's lock.
    wait_until(lambda: (home.path / "bgfetch.log").exists(), 60, what="a try at its own engine")
    hidden.rename(token)
    fault_server.wait_held("busy")
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)

    assert proc.returncode == 130, (out, err)
    assert "busy paused" in err and "Traceback" not in err
    assert home.show("busy")["state"] == "paused"
    fault_server.release("first")
    fault_server.release("busy")


def test_no_bar_without_a_terminal(home: Home, fault_server: FaultServer) -> None:
    dest = home.path.parent / "out"
    url = fault_server.url("quiet.bin", size=300_000)

    proc = home.run("fetch", "--wait", "--id", "quiet", "--dest", str(dest), url)

    assert proc.returncode == 0, describe(proc)
    assert proc.stdout == "" and proc.stderr == "", describe(proc)


def test_ctrl_c_on_a_wait_for_a_paused_fetch_says_it_stays_paused(
    home: Home, fault_server: FaultServer, terminals: list[Terminal]
) -> None:
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    home.ok("fetch", "--id", "held", "--dest", str(dest),
            fault_server.url("held.bin", size=1 << 20, hold="held", hold_after=1 << 18))
    fault_server.wait_held("held")
    home.ok("pause", "held")

    term = Terminal(home, "wait", "held")
    terminals.append(term)
    term.expect(r"held is paused; waiting until it is resumed \(bgfetch resume held\)")
    term.ctrl_c()

    assert term.wait() == 130, term.output
    assert "held paused; `bgfetch resume held` continues" in term.output
    assert home.show("held")["state"] == "paused"
    fault_server.release("held")


def test_the_bar_fits_the_terminal_when_stdout_is_captured(
    home: Home, fault_server: FaultServer, terminals: list[Terminal]
) -> None:
    """`ID=$(bgfetch fetch --wait URL)`: the id goes to the pipe, the bar to the terminal,
    sized by the terminal (not by the 80 columns a pipe would suggest)."""
    dest = home.path.parent / "out"
    home.write_settings(**HOLD_SETTINGS)
    url = fault_server.url("cap.bin", size=1 << 20, hold="cap", hold_after=1 << 19)

    term = Terminal(home, "fetch", "--wait", "--dest", str(dest), url, columns=60,
                    capture_stdout=True)
    terminals.append(term)
    fault_server.wait_held("cap")
    term.expect(r"50% \[")
    fault_server.release("cap")

    assert term.wait() == 0, term.output
    assert term.proc.stdout is not None
    fetch_id = term.proc.stdout.read().decode().strip()
    assert home.show(fetch_id)["result"] == "success"
    bars = _bar_lines(term.output)
    assert bars and all(len(bar.replace("\x1b[K", "")) < 60 for bar in bars), bars
    assert fetch_id not in screen_lines(term.output), "the id belongs to stdout only"
