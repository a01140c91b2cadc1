"""Start bgfetch at login: an XDG autostart entry on Linux and other freedesktop systems.

The entry is written to ``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart``)
and removed when the user turns the setting off; desktops that follow the
XDG Autostart spec (GNOME, KDE, Xfce, …) start it at the next login.
Windows (Run key) and macOS (LaunchAgent) are not done yet: there
``supported()`` is False and the setting is stored but has no effect.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .desktop_entry import (
    DESKTOP_FILE,
    entry_text,
    launch_argv,
    write_atomically,
    xdg_config_home,
)

log = logging.getLogger("bgfetch.autostart")

ENTRY_NAME = DESKTOP_FILE


def supported() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def autostart_dir(config_home: Path | None = None) -> Path:
    return (config_home or xdg_config_home()) / "autostart"


def entry_path(config_home: Path | None = None) -> Path:
    return autostart_dir(config_home) / ENTRY_NAME


def autostart_entry(argv: Sequence[str]) -> str:
    """The menu entry with ``--minimized``: at login bgfetch resumes its work in the tray."""
    return entry_text(
        argv, extra_args=("--minimized",), drop_keys=("MimeType", "TryExec"),
        add_lines=("X-GNOME-Autostart-enabled=true",),
    )


def is_enabled(config_home: Path | None = None) -> bool:
    return entry_path(config_home).is_file()


def set_enabled(
    enabled: bool,
    *,
    config_home: Path | None = None,
    argv: Sequence[str] | None = None,
) -> Path | None:
    """Write or remove the autostart entry; returns its path when written."""
    if not supported():
        log.info("start at login is not implemented on %s", sys.platform)
        return None
    path = entry_path(config_home)
    if not enabled:
        try:
            path.unlink()
            log.info("removed %s", path)
        except FileNotFoundError:
            pass
        return None
    write_atomically(path, autostart_entry(argv or launch_argv()))
    log.info("wrote %s", path)
    return path
