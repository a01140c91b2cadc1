"""The native-messaging host as a browser under test starts it.

A browser starts the program a host manifest names, with the browser's environment, which
is not the test's. So the manifest's ``path`` is a launcher written per test: it sets the
test's environment exactly (``env -i``: the data folder, HOME, display, session bus, keyring)
and runs the worktree's ``bgfetch-native-host`` entry point (read from pyproject.toml, so
what runs is what an installed copy would run).
"""

from __future__ import annotations

import json
import shlex
import sys
import tomllib
from pathlib import Path

from bgfetch_gui.bridge.identity import HOST_NAME
from bgfetch_gui.bridge.install import host_manifest
from tests.integration.cli_helpers import ROOT

HOST_SCRIPT = "bgfetch-native-host"


def host_entry_point() -> tuple[str, str]:
    """``(module, function)`` of the ``bgfetch-native-host`` console script."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    scripts: dict[str, str] = project["project"].get("scripts", {})
    if HOST_SCRIPT not in scripts:
        raise AssertionError(f"pyproject.toml declares no {HOST_SCRIPT} console script")
    module, _, function = scripts[HOST_SCRIPT].partition(":")
    return module, function


def write_launcher(path: Path, env: dict[str, str]) -> Path:
    """An executable that runs the host with exactly ``env`` and the browser's arguments."""
    module, function = host_entry_point()
    code = f"import sys; from {module} import {function}; sys.exit({function}())"
    assignments = " ".join(shlex.quote(f"{k}={v}") for k, v in sorted(env.items()))
    path.write_text(
        "#!/bin/sh\n"
        f"exec env -i {assignments} {shlex.quote(sys.executable)} -c {shlex.quote(code)} \"$@\"\n",
        encoding="utf-8")
    path.chmod(0o755)
    return path


def exiting_launcher(path: Path, calls: Path) -> Path:
    """A host that exits at once (bgfetch installed but unreachable), noting each start
    (its arguments, one line) in ``calls``."""
    path.write_text(f'#!/bin/sh\necho "$@" >> {shlex.quote(str(calls))}\nexit 1\n',
                    encoding="utf-8")
    path.chmod(0o755)
    return path


def install_manifest(folder: Path, browser: str, launcher: Path) -> Path:
    """Write the installer's host manifest for ``browser`` ("chromium" or "firefox") into
    ``folder`` (where that browser reads them)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{HOST_NAME}.json"
    path.write_text(json.dumps(host_manifest(browser, launcher), indent=2), encoding="utf-8")
    return path
