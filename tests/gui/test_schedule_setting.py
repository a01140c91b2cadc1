"""Settings → "Download only": the schedule window (docs/contracts.md §10), checked by
the engine's own rule before OK is possible."""

from __future__ import annotations

from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.qt import QDialogButtonBox
from bgfetch_gui.ui.settings_dialog import SettingsDialog


def test_the_schedule_field_edits_the_window_and_refuses_a_bad_one(qtbot) -> None:
    dialog = SettingsDialog(Settings(schedule="01:00-07:00"))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.schedule_edit.text() == "01:00-07:00"
    dialog.schedule_edit.setText("nightly")
    assert not ok.isEnabled() and "schedule: expected HH:MM-HH:MM" in dialog.speed_error.text()
    dialog.schedule_edit.setText(" 22:00-06:00 sat,sun ")
    assert ok.isEnabled() and dialog.settings().schedule == "22:00-06:00 sat,sun"
    dialog.schedule_edit.setText("")
    assert ok.isEnabled() and dialog.settings().schedule == ""
