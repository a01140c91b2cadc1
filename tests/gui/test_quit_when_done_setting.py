"""Settings → "Quit bgfetch when all downloads are done" (docs/contracts.md §10): off by
default, and kept in settings.json by the window for the engine host to follow."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.settings import Settings  # noqa: E402
from tests.gui.test_main_window import make_window  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


async def test_the_setting_is_off_and_ok_keeps_it(
    qtbot, engines: EngineFactory, ui_state, tmp_path: Path
) -> None:
    manager = await engines()
    window = make_window(qtbot, manager, ui_state, tmp_path)
    dialog = window.open_settings()
    check = dialog.quit_when_done_check
    assert not check.isChecked() and "paused downloads wait" in check.toolTip()
    check.setChecked(True)
    dialog.accept()
    assert manager.settings.quit_when_done
    assert Settings.load(tmp_path).quit_when_done
