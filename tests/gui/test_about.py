"""One version everywhere: pyproject.toml, both programs' --version, and the About box."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.manager import FetchManager  # noqa: E402
from bgfetch_gui.qt import QMessageBox, QSettings  # noqa: E402
from tests.gui.test_main_window import make_window  # noqa: E402
from tests.integration.cli_helpers import ROOT, describe  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

VERSION = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


@pytest.mark.parametrize("module", ["bgfetch_gui.cli", "bgfetch_gui"])
def test_both_programs_print_the_pyproject_version(module: str) -> None:
    result = subprocess.run([sys.executable, "-m", module, "--version"], capture_output=True,
                            text=True, timeout=60, cwd=ROOT, check=False)
    assert result.returncode == 0, describe(result)
    assert result.stdout.strip() == f"bgfetch {VERSION}"


async def test_the_about_box_shows_the_version(
    qtbot, manager: FetchManager, ui_state: QSettings, tmp_path: Path
) -> None:
    window = make_window(qtbot, manager, ui_state, tmp_path)
    window.actions_by_name["about"].trigger()
    box = window.findChild(QMessageBox, "about")
    assert box is not None and f"bgfetch {VERSION}" in box.text()
    box.close()
