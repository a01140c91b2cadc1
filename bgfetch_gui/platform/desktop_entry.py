"""The freedesktop entry that starts bgfetch: for the menu, and for start at login.

Both come from ``resources/bgfetch.desktop`` with ``Exec`` and ``TryExec`` pointing
at the program that is running now (a venv's ``bgfetch-gui``, a frozen bundle's
binary, or ``python -m bgfetch_gui``), so a pip user's menu entry starts the same
bgfetch that installed it, whether or not its folder is on ``PATH``.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Sequence
from pathlib import Path

from bgfetch_gui.resource_files import resources_dir

DESKTOP_FILE = "bgfetch.desktop"
GUI_SCRIPT = "bgfetch-gui"
# Characters the Desktop Entry spec reserves in Exec: an argument holding one is quoted.
_RESERVED = set(" \t\n\"'\\><~|&;$*?#()`=%")


def xdg_config_home() -> Path:
    return _xdg_home("XDG_CONFIG_HOME", ".config")


def xdg_data_home() -> Path:
    return _xdg_home("XDG_DATA_HOME", ".local/share")


def _xdg_home(variable: str, default: str) -> Path:
    """The XDG Base Directory rule: an absolute ``$VARIABLE``, else ``~/default``."""
    value = os.environ.get(variable, "")
    return Path(value) if value and Path(value).is_absolute() else Path.home() / default


def launch_argv() -> list[str]:
    """The command that starts this bgfetch's GUI."""
    if getattr(sys, "frozen", False):
        return [sys.executable]
    beside = Path(sys.executable).with_name(GUI_SCRIPT)  # a venv's bin/, even if not on PATH
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    found = shutil.which(GUI_SCRIPT)
    if found:
        return [found]
    return [sys.executable, "-m", "bgfetch_gui"]


def exec_quote(argument: str) -> str:
    """One argument as the Desktop Entry spec's Exec key wants it."""
    if argument and not _RESERVED.intersection(argument):
        return argument
    escaped = "".join("\\" + c if c in '"`$\\' else c for c in argument)
    # In a desktop file the whole value is unescaped once more, and % starts a field code.
    return '"' + escaped.replace("\\", "\\\\").replace("%", "%%") + '"'


def entry_text(
    argv: Sequence[str],
    *,
    extra_args: Sequence[str] = ("%U",),
    drop_keys: Sequence[str] = (),
    add_lines: Sequence[str] = (),
) -> str:
    """``resources/bgfetch.desktop`` with Exec/TryExec for ``argv`` (plus ``extra_args``)."""
    template = (resources_dir() / DESKTOP_FILE).read_text(encoding="utf-8")
    lines: list[str] = []
    for line in template.splitlines():
        key = line.partition("=")[0].strip()
        if key in drop_keys:
            continue
        if key == "Exec":
            line = "Exec=" + " ".join([*(exec_quote(a) for a in argv), *extra_args])
        elif key == "TryExec":
            line = "TryExec=" + argv[0]
        lines.append(line)
    return "\n".join([*lines, *add_lines]) + "\n"


def write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
