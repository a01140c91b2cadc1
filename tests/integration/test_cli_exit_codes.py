"""Exit codes and ``--help`` (docs/contracts.md §4): 2 is bad input only; bgfetch's
own trouble (an engine that cannot start, a busy or unusable data folder, an
internal error) is 3, with one line on stderr and never a traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from bgfetch_gui import cli
from bgfetch_gui.engine.datadir import EngineLock
from tests.integration.cli_helpers import Home, describe, stderr_lines

SUBCOMMANDS = ["fetch", "list", "show", "wait", "pause", "resume", "abort", "login", "logout",
               "sites", "daemon", "quit"]


def _one_line(proc_stderr: str) -> str:
    lines = [line for line in proc_stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in proc_stderr, proc_stderr
    return lines[0]


def test_an_engine_that_cannot_start_is_not_bad_input(home: Home) -> None:
    """Another process holds the data folder: `bgfetch daemon` cannot run its engine."""
    lock = EngineLock(home.path)
    lock.acquire()
    try:
        proc = home.run("daemon")
    finally:
        lock.release()
    assert proc.returncode == 3, describe(proc)
    assert "Traceback" not in proc.stderr, describe(proc)


def test_an_unusable_data_folder_is_not_bad_input(home: Home, tmp_path: Path) -> None:
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    proc = home.run("list", extra_env={"BGFETCH_HOME": str(not_a_folder)})
    assert proc.returncode == 3, describe(proc)
    assert "data folder" in _one_line(proc.stderr)


def test_an_unknown_id_is_bad_input(home: Home) -> None:
    proc = home.run("wait", "nope")
    assert proc.returncode == 2, describe(proc)
    assert "nope" in stderr_lines(proc)[0]


def test_an_internal_error_is_one_line_and_exit_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A bug in a command: not "bad input", no traceback on the terminal; it is in a log."""
    monkeypatch.setenv("BGFETCH_HOME", str(tmp_path))

    def broken(_args: argparse.Namespace, _home: Path) -> int:
        raise RuntimeError("a bug")

    monkeypatch.setitem(cli.COMMANDS, "list", broken)
    assert cli.main(["list"]) == 3
    line = _one_line(capsys.readouterr().err)
    assert "internal error" in line and str(tmp_path / cli.CRASH_LOG) in line
    assert "RuntimeError: a bug" in (tmp_path / cli.CRASH_LOG).read_text()


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    found: dict[str, argparse.ArgumentParser] = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found[name] = sub
                found.update({f"{name} {k}": v for k, v in _subparsers(sub).items()})
    return found


def test_help_describes_every_option_and_argument() -> None:
    parsers = {"bgfetch": cli.build_parser(), **_subparsers(cli.build_parser())}
    assert set(SUBCOMMANDS) <= set(parsers)
    missing = [
        f"{name}: {action.option_strings or action.dest}"
        for name, parser in parsers.items()
        for action in parser._actions
        if not isinstance(action, argparse._SubParsersAction) and not action.help
    ]
    assert missing == []


@pytest.mark.parametrize("command", SUBCOMMANDS)
def test_help_of_each_command(home: Home, command: str) -> None:
    proc = home.run(command, "--help")
    assert proc.returncode == 0, describe(proc)
    assert f"usage: bgfetch {command}" in proc.stdout


def test_main_help_names_the_exit_codes(home: Home) -> None:
    proc = home.run("--help")
    assert proc.returncode == 0, describe(proc)
    text = " ".join(proc.stdout.split())
    for code in ("0 success", "1 the fetch failed", "2 bad input", "3 bgfetch could not",
                 "130 interrupted"):
        assert code in text, proc.stdout
