"""``bgfetch-gui`` where Qt's X11 plugin cannot load: one line naming the Debian packages.

The machine loses ``libxcb-cursor.so.0`` for real, as a fresh Debian 12 lacks it: in a
private mount namespace an overlay hides the library from the system's library folder
(whiteouts), and the real ``bgfetch-gui`` runs in there. Needs root (CI runs as root),
like the network-namespace tests; nothing here skips.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bgfetch_gui.platform import qt_libs
from tests.integration.cli_helpers import ROOT

HIDDEN = "libxcb-cursor.so.0"


def library_folder(soname: str) -> Path:
    """The folder the loader finds ``soname`` in (``/usr/lib/<triplet>`` on Debian)."""
    output = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True,
                            timeout=30).stdout
    for line in output.splitlines():
        if line.strip().startswith(soname + " "):
            return Path(line.rpartition("=> ")[2]).resolve().parent
    pytest.fail(f"{soname} is not installed; apt-get install -y libxcb-cursor0", pytrace=False)


def run_without_library(tmp_path: Path, command: list[str]) -> subprocess.CompletedProcess[str]:
    """``command`` in a mount namespace whose library folder lacks :data:`HIDDEN`."""
    if os.geteuid() != 0:
        pytest.fail("needs root for a mount namespace (run the suite as root, as CI does)",
                    pytrace=False)
    folder = library_folder(HIDDEN)
    upper, work = tmp_path / "upper", tmp_path / "work"
    upper.mkdir(parents=True)
    work.mkdir(parents=True)
    for entry in folder.glob(HIDDEN + "*"):
        os.mknod(upper / entry.name, 0o600 | 0o020000, os.makedev(0, 0))  # an overlay whiteout
    script = (f"mount -t overlay overlay -o lowerdir={folder},upperdir={upper},workdir={work} "
              f"{folder} && exec {shlex.join(command)}")
    env = {k: v for k, v in os.environ.items() if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    env.update(DISPLAY=":99", BGFETCH_HOME=str(tmp_path / "home"))
    return subprocess.run(["unshare", "--mount", "sh", "-c", script], env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60, check=False)


def test_the_real_plugin_has_every_library_here() -> None:
    plugin = qt_libs.xcb_plugin()
    assert plugin is not None and plugin.name == "libqxcb.so"
    assert qt_libs.missing_libraries(plugin) == [], (
        "this machine lacks Qt's X11 libraries: apt-get install -y "
        "$(grep -v '^#' packaging/debian-test-packages.txt)")


def test_a_missing_library_is_one_line_with_the_apt_command(tmp_path: Path) -> None:
    result = run_without_library(tmp_path, [sys.executable, "-m", "bgfetch_gui"])
    said = f"rc={result.returncode}\nstdout={result.stdout!r}\nstderr={result.stderr!r}"
    assert result.returncode == 1, said
    assert result.stdout == "" and result.stderr.count("\n") == 1, said
    assert HIDDEN in result.stderr and "Traceback" not in result.stderr, said
    assert result.stderr.strip().endswith("sudo apt install libxcb-cursor0"), said
    assert not (tmp_path / "home").exists(), "it started before saying what is missing"

    # What needs no window still answers on such a machine.
    version = run_without_library(tmp_path / "v", [sys.executable, "-m", "bgfetch_gui",
                                                   "--version"])
    assert version.returncode == 0 and version.stdout.startswith("bgfetch "), version
