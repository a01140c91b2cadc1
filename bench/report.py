"""One result table per scenario, printed and written to ``bench/RESULTS.md`` with the machine."""

from __future__ import annotations

import os
import platform
import re
import shlex
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bench.goals import Goal

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "RESULTS.md"


@dataclass
class Table:
    """A scenario's result: a markdown table, its goals and what a reader must know."""

    title: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    goals: list[Goal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def markdown(self) -> str:
        lines = [f"### {self.title}", "",
                 "| " + " | ".join(self.header) + " |",
                 "|" + "|".join(" --- " for _ in self.header) + "|"]
        lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |"
                  for row in self.rows]
        if self.goals:
            lines.append("")
            lines += [f"- goal, {goal.line()}" for goal in self.goals]
        if self.notes:
            lines.append("")
            lines += [f"- {note}" for note in self.notes]
        return "\n".join(lines) + "\n"


def machine() -> list[str]:
    """Lines that say where and with what the numbers were taken."""
    with open("/proc/meminfo") as meminfo:
        total_kib = int(meminfo.readline().split()[1])
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    changed = _git("status", "--porcelain", "--", "bgfetch_gui")
    dirty = " with uncommitted changes" if changed else ""
    return [
        f"- date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}",
        f"- machine: `nproc` {len(os.sched_getaffinity(0))}, memory {total_kib / 2**20:.1f} GiB, "
        f"kernel {platform.release()}, load average at the end {load}",
        f"- bgfetch: commit {_git('rev-parse', '--short', 'HEAD')}{dirty}, "
        f"Python {platform.python_version()}",
        f"- peers: {_version('curl', '--version')}, {_version('wget', '--version')}, "
        f"{_version('aria2c', '--version')}; server {_version('nginx', '-v')}",
    ]


def markdown(tables: Sequence[Table], argv: Sequence[str], note: str) -> str:
    """The whole report: the command, the machine, the note and every table."""
    python = Path(sys.executable)
    if python.is_relative_to(ROOT):
        python = python.relative_to(ROOT)
    command = " ".join(shlex.quote(str(a)) for a in [python, "bench/run.py", *argv])
    parts = ["# bgfetch against curl, wget and aria2c", "",
             f"Command: `{command}`", "", *machine(), ""]
    if note:
        parts += [note, ""]
    parts += [table.markdown() for table in tables]
    return "\n".join(parts)


def _git(*args: str) -> str:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True).stdout.strip()


def _version(*cmd: str) -> str:
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True)
    except OSError:
        return f"{cmd[0]} (missing)"
    found = re.search(r"\d+\.\d+[.\d]*", proc.stdout + proc.stderr)
    return f"{cmd[0]} {found.group() if found else '?'}"
