"""The alternative speed limit in the window (docs/contracts.md §9): the tray's toggle,
the Settings rows (checked by the engine's rules), and the window keeping the toggle in
settings.json on a real engine."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.settings import SETTINGS_NAME, Settings  # noqa: E402
from bgfetch_gui.qt import QDialogButtonBox  # noqa: E402
from bgfetch_gui.ui.icons import app_icon  # noqa: E402
from bgfetch_gui.ui.settings_dialog import SettingsDialog  # noqa: E402
from bgfetch_gui.ui.tray import Tray  # noqa: E402
from tests.gui.test_main_window import make_window  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

KIB = 1024


def test_the_tray_toggle_shows_only_with_a_limit_and_follows_the_state(qtbot) -> None:
    tray = Tray(app_icon())
    action = tray.actions_by_name["alt_speed"]
    assert not action.isVisible()
    tray.set_alt_speed(200 * KIB, active=False)
    assert action.isVisible() and action.isCheckable() and not action.isChecked()
    assert action.text() == "&Alternative limit: 200 KiB/s"
    toggles: list[bool] = []
    tray.alt_speed_toggled.connect(toggles.append)
    action.trigger()
    assert toggles == [True]
    tray.set_alt_speed(200 * KIB, active=False)  # the schedule turned it off
    assert not action.isChecked()


def test_the_settings_rows_edit_the_limit_and_refuse_bad_values(qtbot) -> None:
    dialog = SettingsDialog(Settings(alt_speed_limit=200 * KIB,
                                     alt_speed_schedule="08:00-18:00 mon-fri"))
    qtbot.addWidget(dialog)
    section = dialog.alt_speed_section
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert section.limit_edit.text() == "200K" and not section.on_check.isChecked()
    assert dialog.settings().alt_speed_limit == 200 * KIB  # read back as it was
    section.limit_edit.setText("fast")
    assert not ok.isEnabled() and dialog.speed_error.text().startswith("alt_speed_limit: ")
    section.limit_edit.setText("1.5M")
    section.schedule_edit.setText("office hours")
    assert not ok.isEnabled()
    assert "alt_speed_schedule: expected HH:MM-HH:MM" in dialog.speed_error.text()
    section.schedule_edit.setText("")
    section.on_check.setChecked(True)
    assert ok.isEnabled()
    chosen = dialog.settings()
    assert (chosen.alt_speed_limit, chosen.alt_speed_schedule, chosen.alt_speed_on) == (
        int(1.5 * 1024 * KIB), "", True)


async def test_the_window_applies_and_keeps_the_toggle(
    qtbot, engines: EngineFactory, ui_state, tmp_path: Path
) -> None:
    manager = await engines(speed_limit=1024 * KIB, alt_speed_limit=100 * KIB)
    window = make_window(qtbot, manager, ui_state, tmp_path)
    assert manager.limiter.rate == 1024 * KIB
    window.set_alt_speed(True)
    assert manager.limiter.rate == 100 * KIB
    saved = json.loads((tmp_path / SETTINGS_NAME).read_text())
    assert saved["alt_speed_on"] is True and saved["alt_speed_limit"] == 100 * KIB
    window.set_alt_speed(False)
    assert manager.limiter.rate == 1024 * KIB
    assert Settings.load(tmp_path).alt_speed_on is False


def test_every_page_of_settings_names_its_controls(qtbot) -> None:
    from tests.gui.test_accessibility import unnamed

    dialog = SettingsDialog(Settings(folders_by_type=True))
    qtbot.addWidget(dialog)
    dialog.show()
    titles = []
    for page in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(page)
        titles.append(dialog.tabs.tabText(page))
        assert unnamed(dialog) == [], titles[-1]
    assert titles == ["General", "Speed and schedule", "Folders by type"]
