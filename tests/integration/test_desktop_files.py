"""The desktop files as freedesktop tools judge them, and installing them for a pip user.

``bgfetch-gui --install-desktop-integration`` runs for real (a subprocess) with
``XDG_DATA_HOME`` and ``XDG_CONFIG_HOME`` in ``tmp_path``; the real
``update-mime-database``, ``update-desktop-database``, ``gtk-update-icon-cache``
and ``xdg-mime`` then answer what a desktop would ask.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from bgfetch_gui.platform import autostart
from tests.integration.cli_helpers import ROOT, describe

RESOURCES = ROOT / "resources"
GUI = [sys.executable, "-m", "bgfetch_gui"]
PACKAGES = {
    "desktop-file-validate": "desktop-file-utils",
    "update-desktop-database": "desktop-file-utils",
    "appstreamcli": "appstream",
    "update-mime-database": "shared-mime-info",
    "gtk-update-icon-cache": "gtk-update-icon-cache",
    "xdg-mime": "xdg-utils",
}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is missing; apt-get install -y {PACKAGES[name]}", pytrace=False)
    return path


def run(argv: list[str], env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, env=env,
                          check=False, cwd=ROOT)


def test_the_desktop_file_validates() -> None:
    result = run([tool("desktop-file-validate"), str(RESOURCES / "bgfetch.desktop")])
    assert result.returncode == 0 and not result.stdout.strip(), describe(result)


def test_the_autostart_entry_validates(tmp_path: Path) -> None:
    entry = tmp_path / "bgfetch.desktop"
    entry.write_text(autostart.autostart_entry(["/opt/my apps/bgfetch-gui"]), encoding="utf-8")
    result = run([tool("desktop-file-validate"), str(entry)])
    assert result.returncode == 0 and not result.stdout.strip(), describe(result)
    assert 'Exec="/opt/my apps/bgfetch-gui" --minimized' in entry.read_text()


def test_the_metainfo_validates_and_names_this_release() -> None:
    metainfo = RESOURCES / "org.bgfetch.Bgfetch.metainfo.xml"
    result = run([tool("appstreamcli"), "validate", "--no-net", str(metainfo)])
    assert result.returncode == 0, describe(result)
    root = ET.parse(metainfo).getroot()
    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    assert root.find("releases/release").get("version") == version  # newest first
    assert root.find("launchable").text == "bgfetch.desktop"
    assert root.find("content_rating") is not None
    images = [i.text or "" for i in root.iter("image")]
    assert images, "no screenshots"
    for url in images:  # each screenshot is a picture this repository holds
        assert (ROOT / "docs" / url.rpartition("/")[2]).is_file(), url


def xdg_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("XDG_CURRENT_DESKTOP", "DISPLAY")}
    env.update(XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_DATA_DIRS="/usr/share", XDG_CONFIG_DIRS="/etc/xdg",
               BGFETCH_HOME=str(tmp_path / "home"))
    return env


def query_default(mime_type: str, env: dict[str, str]) -> str:
    result = run([tool("xdg-mime"), "query", "default", mime_type], env)
    return result.stdout.strip()


def glob_owner(pattern: str, data: Path) -> str:
    """The MIME type update-mime-database gave ``pattern`` in the user's database."""
    try:
        lines = (data / "mime" / "globs2").read_text().splitlines()
    except FileNotFoundError:
        return ""
    owners = [line.split(":")[1] for line in lines
              if not line.startswith("#") and line.split(":")[2] == pattern]
    return owners[0] if owners else ""


def test_install_and_uninstall_for_a_pip_user(tmp_path: Path) -> None:
    for name in ("update-mime-database", "update-desktop-database", "gtk-update-icon-cache"):
        tool(name)
    env = xdg_env(tmp_path)
    data = tmp_path / "data"
    assert query_default("application/x-bgfetch", env) == ""

    result = run([*GUI, "--install-desktop-integration"], env)
    assert result.returncode == 0 and not result.stderr, describe(result)

    entry = data / "applications" / "bgfetch.desktop"
    validated = run([tool("desktop-file-validate"), str(entry)])
    assert validated.returncode == 0 and not validated.stdout.strip(), describe(validated)
    # The menu's cache lists bgfetch for its file type and its link scheme.
    cache = (data / "applications" / "mimeinfo.cache").read_text()
    assert "application/x-bgfetch=bgfetch.desktop;" in cache
    assert "x-scheme-handler/bgfetch=bgfetch.desktop;" in cache
    assert query_default("application/x-bgfetch", env) == "bgfetch.desktop"
    assert query_default("x-scheme-handler/bgfetch", env) == "bgfetch.desktop"
    assert glob_owner("*.bgfetch", data) == "application/x-bgfetch"
    for size in (16, 32, 48, 64, 128, 256):
        assert (data / f"icons/hicolor/{size}x{size}/apps/bgfetch.png").is_file()
    assert (data / "icons/hicolor/scalable/apps/bgfetch.svg").is_file()
    assert (data / "icons/hicolor/icon-theme.cache").is_file()
    # The entry's command starts this very bgfetch: run it as the menu would, plus --version.
    exec_line = next(line for line in entry.read_text().splitlines()
                     if line.startswith("Exec="))
    argv = [a for a in shlex.split(exec_line.removeprefix("Exec=")) if a != "%U"]
    started = run([*argv, "--version"], env)
    assert started.returncode == 0 and started.stdout.startswith("bgfetch "), describe(started)

    result = run([*GUI, "--uninstall-desktop-integration"], env)
    assert result.returncode == 0 and not result.stderr, describe(result)
    assert not entry.exists()
    assert not list((data / "icons").rglob("bgfetch.*"))
    assert query_default("application/x-bgfetch", env) == ""
    assert query_default("x-scheme-handler/bgfetch", env) == ""
    assert glob_owner("*.bgfetch", data) == ""
