"""``bgfetch-gui --install-desktop-integration``: bgfetch in a pip user's desktop.

Writes, under ``$XDG_DATA_HOME`` (``~/.local/share``): the menu entry
(``applications/bgfetch.desktop``, which also claims ``.bgfetch`` files and
``bgfetch:`` links), the MIME type (``mime/packages/bgfetch.xml``) and the
hicolor icons; then refreshes the caches whose tools exist and makes bgfetch the
default for its MIME type and link scheme (``xdg-mime default``, which writes
``$XDG_CONFIG_HOME/mimeapps.list``). Uninstalling removes exactly those files and
defaults. System packages (Flatpak, .deb) install the same files their own way.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from bgfetch_gui.resource_files import resources_dir

from .desktop_entry import (
    DESKTOP_FILE,
    entry_text,
    launch_argv,
    write_atomically,
    xdg_config_home,
    xdg_data_home,
)

log = logging.getLogger("bgfetch.desktop")

MIME_TYPE = "application/x-bgfetch"
HANDLED_TYPES = (MIME_TYPE, "x-scheme-handler/bgfetch")
MIME_PACKAGE = "bgfetch.xml"
ICON_NAME = "bgfetch"
MIMEAPPS = "mimeapps.list"
TOOL_TIMEOUT = 60.0


@dataclass
class Outcome:
    """What an install or uninstall did, for the one report the command prints."""

    written: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Layout:
    """Where each file goes for one user."""

    data_home: Path
    config_home: Path

    @classmethod
    def current(cls) -> Layout:
        return cls(xdg_data_home(), xdg_config_home())

    @property
    def applications(self) -> Path:
        return self.data_home / "applications"

    @property
    def desktop_file(self) -> Path:
        return self.applications / DESKTOP_FILE

    @property
    def mime(self) -> Path:
        return self.data_home / "mime"

    @property
    def mime_package(self) -> Path:
        return self.mime / "packages" / MIME_PACKAGE

    @property
    def hicolor(self) -> Path:
        return self.data_home / "icons" / "hicolor"

    @property
    def mimeapps(self) -> Path:
        return self.config_home / MIMEAPPS

    def icons(self) -> dict[Path, Path]:
        """Installed icon path -> source, for every size bgfetch ships."""
        source = resources_dir()
        icons = {self.hicolor / "scalable" / "apps" / f"{ICON_NAME}.svg": source / "bgfetch.svg"}
        for png in sorted((source / "icons").glob("bgfetch-*.png")):
            size = png.stem.rpartition("-")[2]
            icons[self.hicolor / f"{size}x{size}" / "apps" / f"{ICON_NAME}.png"] = png
        return icons


def install(layout: Layout | None = None) -> Outcome:
    layout = layout or Layout.current()
    outcome = Outcome()
    write_atomically(layout.desktop_file, entry_text(launch_argv()))
    outcome.written.append(layout.desktop_file)
    mime_xml = (resources_dir() / "bgfetch-mime.xml").read_text(encoding="utf-8")
    write_atomically(layout.mime_package, mime_xml)
    outcome.written.append(layout.mime_package)
    for target, source in layout.icons().items():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        outcome.written.append(target)
    _refresh_caches(layout, outcome)
    _set_defaults(layout, outcome)
    return outcome


def uninstall(layout: Layout | None = None) -> Outcome:
    layout = layout or Layout.current()
    outcome = Outcome()
    for path in [layout.desktop_file, layout.mime_package, *layout.icons()]:
        try:
            path.unlink()
            outcome.removed.append(path)
        except FileNotFoundError:
            pass
    _forget_defaults(layout)
    _refresh_caches(layout, outcome)
    return outcome


def _refresh_caches(layout: Layout, outcome: Outcome) -> None:
    """Each cache is optional: desktops without the tool rescan the folders themselves."""
    if layout.mime.is_dir():
        _run(["update-mime-database", str(layout.mime)], outcome)
    if layout.applications.is_dir():
        _run(["update-desktop-database", str(layout.applications)], outcome)
    if layout.hicolor.is_dir():
        # --ignore-theme-index: the user's hicolor folder has no index.theme of its own.
        _run(["gtk-update-icon-cache", "--force", "--ignore-theme-index", "--quiet",
              str(layout.hicolor)], outcome)


def _set_defaults(layout: Layout, outcome: Outcome) -> None:
    if shutil.which("xdg-mime") is None:
        outcome.warnings.append(
            "xdg-mime is missing (Debian: apt install xdg-utils), so bgfetch is not yet "
            "the default for .bgfetch files and bgfetch: links")
        return
    layout.config_home.mkdir(parents=True, exist_ok=True)
    for mime_type in HANDLED_TYPES:
        _run(["xdg-mime", "default", DESKTOP_FILE, mime_type], outcome,
             env_update={"XDG_CONFIG_HOME": str(layout.config_home),
                         "XDG_DATA_HOME": str(layout.data_home)})


def _forget_defaults(layout: Layout) -> None:
    """Drop ``type=bgfetch.desktop`` lines from mimeapps.list (xdg-mime cannot unset)."""
    try:
        lines = layout.mimeapps.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return
    keep = [line for line in lines if not _is_our_default(line)]
    if keep != lines:
        write_atomically(layout.mimeapps, "\n".join(keep) + "\n")


def _is_our_default(line: str) -> bool:
    key, _, value = line.partition("=")
    return key.strip() in HANDLED_TYPES and value.strip().rstrip(";") == DESKTOP_FILE


def _run(command: list[str], outcome: Outcome, env_update: dict[str, str] | None = None) -> None:
    if shutil.which(command[0]) is None:
        log.info("%s is not installed; skipped", command[0])
        return
    env = {**os.environ, **(env_update or {})}
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TOOL_TIMEOUT,
                        env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        outcome.warnings.append(f"{command[0]} failed: {exc}")
        return
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip().splitlines()
        outcome.warnings.append(
            f"{command[0]} exited {result.returncode}" + (f": {detail[-1]}" if detail else ""))


def main(remove: bool) -> int:
    """The command-line entry: one line per outcome, exit 0 (1 if a file could not be written)."""
    try:
        outcome = uninstall() if remove else install()
    except OSError as exc:
        print(f"bgfetch-gui: desktop integration failed: {exc}", file=sys.stderr)
        return 1
    if remove:
        print(f"Removed bgfetch's menu entry, file type and icons ({len(outcome.removed)} files).")
    else:
        print(f"Installed bgfetch's menu entry, file type, bgfetch: link handler and icons "
              f"({len(outcome.written)} files under {Layout.current().data_home}).")
    for warning in outcome.warnings:
        print(f"bgfetch-gui: warning: {warning}", file=sys.stderr)
    return 0
