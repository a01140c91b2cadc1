"""What the CLI prints while it waits and when a fetch settles or is interrupted.

On a terminal, a live progress bar on stderr redrawn in place (as wget and
aria2c draw theirs) and, at the end, where the files are. Without a terminal,
no bar: stdout keeps only what scripts read (the id, ``--json``), stderr only
one-line notes and, last, ``failure: <reason>`` after the line that says what failed.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path
from typing import Any, TextIO

from .engine.units import human_duration, human_size
from .i18n import translate
from .presentation.fetch_words import failure_line, json_problem

# docs/contracts.md §4: 2 is bad input only; 3 is bgfetch's own trouble (an engine
# that cannot start, a busy or unreadable data folder, an internal error).
EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_ENGINE, EXIT_INTERRUPTED = 0, 1, 2, 3, 130

TITLE_WIDTH = 24
MIN_TITLE = 8
MIN_BAR = 10
CLEAR_TO_END = "\x1b[K"


class ProgressBar:
    """One fetch's live line: title, percent, bar, size, speed, ETA, files done of total."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.first = True
        self.drawn = False
        self._tick = 0

    def update(self, p: dict[str, Any]) -> None:
        self.first = False
        if not self.enabled:
            return
        self._tick += 1
        width = _columns(self.stream) - 1  # the last column would wrap
        self.stream.write("\r" + render_bar(p, width, self._tick) + CLEAR_TO_END)
        self.stream.flush()
        self.drawn = True

    def finish(self) -> None:
        """End the live line so that what follows starts on a line of its own."""
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()
            self.drawn = False


def _columns(stream: TextIO) -> int:
    """The width of the terminal ``stream`` writes to: stderr's own, since stdout may be
    captured (``ID=$(bgfetch fetch --wait URL)``) while the bar still shows."""
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (OSError, ValueError):
        return shutil.get_terminal_size().columns


def render_bar(p: dict[str, Any], width: int, tick: int = 0) -> str:
    """``Episode 5  45% [=====>      ] 27.0 MiB / 60.0 MiB  2.1 MiB/s  ETA 16s  1/2 files``."""
    done = p["downloaded"]
    total = p.get("download_total") or p.get("expected_size") or 0
    speed = p.get("speed") or 0.0
    percent = f"{min(100, int(100 * done / total)):3d}%" if total else " ??%"
    size = human_size(done) + (f" / {human_size(total)}" if total else "")
    tail = [size]
    if p["state"] == "downloading":
        tail.append(f"{human_size(speed)}/s" if speed else "--/s")
        if total > done and speed:
            eta = human_duration((total - done) / speed)
            tail.append(translate("cli", "ETA {duration}").format(duration=eta))
    else:
        tail.append(state_name(p["state"]))
    if p.get("files_total", 0) > 1:
        tail.append(translate("cli", "{done}/{total} files").format(
            done=p["files_done"], total=p["files_total"]))
    right = "  ".join(tail)
    numbers = len(percent) + len(right) + 5  # the spaces and the bar's brackets
    title_width = max(MIN_TITLE, min(TITLE_WIDTH, width - numbers - MIN_BAR))
    title = elide(p["title"] or p["id"], title_width)
    bar_width = width - len(title) - numbers
    if bar_width < MIN_BAR:  # a narrow terminal: the numbers matter more than the bar
        return elide(f"{title} {percent} {right}", width)
    return f"{title} {percent} [{_bar(done, total, bar_width, tick)}] {right}"


def _bar(done: int, total: int, width: int, tick: int) -> str:
    if not total:  # unknown size: a marker that moves, so the user sees it is alive
        at = tick % (width - 2)
        return " " * at + "<=>" + " " * (width - 3 - at)
    filled = min(width, width * done // total)
    head = ">" if 0 < filled < width else ""
    return ("=" * (filled - len(head)) + head).ljust(width)


def state_name(state: str) -> str:
    """A state of docs/contracts.md §2 in the user's language (``--json`` keeps the word)."""
    names = {
        "queued": translate("cli", "queued"),
        "waiting-for-network": translate("cli", "waiting for network"),
        "downloading": translate("cli", "downloading"),
        "paused": translate("cli", "paused"),
        "retrying": translate("cli", "retrying"),
        "success": translate("cli", "success"),
        "failure": translate("cli", "failure"),
    }
    return names.get(state, state)


def elide(text: str, width: int) -> str:
    """``text`` cut to ``width`` characters, with ``…`` where it was cut."""
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"


def home_relative(path: str | Path) -> str:
    """``~/Downloads/Episode 5`` rather than the full path of the user's home."""
    text, home = str(path), str(Path.home())
    if text == home or text.startswith(home + os.sep):
        return "~" + text[len(home):]
    return text


def saved_note(registration: dict[str, Any]) -> str:
    """``saved 2 files to ~/Downloads/Episode 5`` (or the one file's full path)."""
    paths = [r["path"] for r in registration["records"] if r["path"]]
    if len(paths) == 1:
        return translate("cli", "saved {path}").format(path=home_relative(paths[0]))
    folder = os.path.commonpath([os.path.dirname(p) for p in paths]) if paths else ""
    return translate("cli", "saved {count} files to {folder}").format(
        count=len(paths), folder=home_relative(folder or registration["dest"]))


def problem_line(registration: dict[str, Any]) -> str:
    """What went wrong, in the user's language: ``q.bin: the server answered 404 Not
    Found`` for a failed fetch, ``connection refused`` for one that retries, ``starts at
    01:30`` for one that waits; "" when nothing did (or the user cancelled it)."""
    problem = json_problem(registration)
    if not problem or registration["failure_reason"] == "aborted":
        return ""
    if registration["result"] == "failure":
        return failure_line(registration["failure_reason"], problem,
                            registration.get("problem_file") or "")
    return problem


def paused_note(p: dict[str, Any]) -> None:
    """Waiting on a paused fetch would look like a hang: say why and what to do."""
    if p["state"] == "paused":
        text = translate("cli", "{id} is paused; waiting until it is resumed "
                                "(bgfetch resume {id})").format(id=p["id"])
        print(f"bgfetch: {text}", file=sys.stderr, flush=True)


def older_id_note(fetch_id: str, older: int) -> None:
    """Re-using the id of a settled fetch is allowed; say how the older ones stay reachable."""
    if older == 1:
        text = translate("cli", "an older settled fetch had the id {id}; "
                                "`bgfetch show {id}~1` shows it")
    elif older > 1:
        text = translate("cli", "{count} older settled fetches had the id {id}; "
                                "`bgfetch show {id}~1` … `{id}~{count}` show them")
    else:
        return
    print("bgfetch: " + text.format(id=fetch_id, count=older), file=sys.stderr, flush=True)


def interrupted_note(fetch_id: str, paused: bool, engine_stays: bool) -> None:
    """What Ctrl+C did to the fetch, and how to go on."""
    if paused:
        text = translate("cli", "{id} paused; `bgfetch resume {id}` continues")
    elif engine_stays:
        text = translate("cli", "stopped waiting; {id} goes on in the background "
                                "(`bgfetch wait {id}`)")
    else:
        text = translate("cli", "stopped; {id} resumes the next time bgfetch runs "
                                "(`bgfetch wait {id}`)")
    print("bgfetch: " + text.format(id=fetch_id), file=sys.stderr, flush=True)


def settled_exit(registration: dict[str, Any], as_json: bool, bar: ProgressBar) -> int:
    """Print what a settled fetch calls for and give its exit code."""
    if bar.drawn:  # the last frame shows the outcome, not the last progress event
        files = len(registration["records"])
        bar.update({**registration, "speed": 0.0, "expected_size": registration["downloaded"],
                    "files_done": files if registration["result"] == "success" else 0,
                    "files_total": files})
    bar.finish()
    if as_json:
        print(json.dumps(registration), flush=True)
    if registration["result"] == "success":
        if bar.enabled:
            print(saved_note(registration), file=sys.stderr, flush=True)
        return EXIT_OK
    problem = problem_line(registration)
    if problem:  # for people, before the last line that scripts read
        print(f"bgfetch: {problem}", file=sys.stderr)
    # `failure: <reason>` is for scripts too (docs/contracts.md §4): never translated
    print(f"failure: {registration['failure_reason']}", file=sys.stderr)
    return EXIT_FAILED
