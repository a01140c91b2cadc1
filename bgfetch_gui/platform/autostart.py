"""Start bgfetch at login: an XDG autostart entry on Linux and other freedesktop systems.

The entry is written to ``$XDG_CONFIG_HOME/autostart`` (``~/.config/autostart``)
and removed when the user turns the setting off; desktops that follow the
XDG Autostart spec (GNOME, KDE, Xfce, …) start it at the next login.
Windows (Run key) and macOS (LaunchAgent) are not done yet: there
``supported()`` is False and the setting is stored but has no effect.
"""

from __future__ import annotations

import logging
import os
import shlex
import shutil
import sys
from pathlib import Path

log = logging.getLogger("bgfetch.autostart")

ENTRY_NAME = "bgfetch.desktop"


def supported() -> bool:
    return sys.platform.startswith(("linux", "freebsd", "openbsd", "netbsd"))


def autostart_dir(config_home: Path | None = None) -> Path:
    if config_home is None:
        env = os.environ.get("XDG_CONFIG_HOME")
        config_home = Path(env) if env and Path(env).is_absolute() else Path.home() / ".config"
    return config_home / "autostart"


def entry_path(config_home: Path | None = None) -> Path:
    return autostart_dir(config_home) / ENTRY_NAME


def launch_command() -> str:
    """How to start the GUI: the installed script if on PATH, else this Python."""
    script = shutil.which("bgfetch-gui")
    if script:
        return shlex.quote(script)
    return f"{shlex.quote(sys.executable)} -m bgfetch_gui"


def entry_text(command: str) -> str:
    # --minimized: at login bgfetch resumes its work in the tray, it does not open a window.
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=bgfetch\n"
        "Comment=Resume background downloads\n"
        f"Exec={command} --minimized\n"
        "Icon=bgfetch\n"
        "Terminal=false\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def is_enabled(config_home: Path | None = None) -> bool:
    return entry_path(config_home).is_file()


def set_enabled(
    enabled: bool,
    *,
    config_home: Path | None = None,
    command: str | None = None,
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
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(entry_text(command or launch_command()), encoding="utf-8")
    os.replace(tmp, path)
    log.info("wrote %s", path)
    return path
