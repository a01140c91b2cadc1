"""Settings → the alternative speed limit and when it applies (docs/contracts.md §9).

The limit replaces the usual one while on: by hand (here, or the tray's toggle) or on
its schedule, which turns it on when its window opens and off when it closes.
"""

from __future__ import annotations

from typing import Any

from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.units import parse_size
from bgfetch_gui.qt import QCheckBox, QFormLayout, QLineEdit, QWidget, Signal
from bgfetch_gui.ui.speed_limit_menu import speed_limit_text


class AltSpeedSection(QWidget):
    changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.limit_edit = QLineEdit(speed_limit_text(settings.alt_speed_limit))
        self.limit_edit.setPlaceholderText(self.tr("None (e.g. 200K per second)"))
        self.limit_edit.setToolTip(self.tr(
            "Replaces the speed limit while it is on: by hand, from the tray, or on its "
            "schedule"))
        self.schedule_edit = QLineEdit(settings.alt_speed_schedule)
        self.schedule_edit.setPlaceholderText(
            self.tr("Only by hand (e.g. 08:00-18:00 mon-fri)"))
        self.schedule_edit.setToolTip(self.tr(
            "Turns on when this window opens and off when it closes; a change by hand "
            "holds until then"))
        self.on_check = QCheckBox(self.tr("Use the alternative limit no&w"))
        self.on_check.setChecked(settings.alt_speed_on)
        layout = QFormLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addRow(self.tr("Alternative l&imit:"), self.limit_edit)
        layout.addRow(self.tr("Alternative limit sc&hedule:"), self.schedule_edit)
        layout.addRow("", self.on_check)
        for edit in (self.limit_edit, self.schedule_edit):
            edit.textChanged.connect(lambda _text: self.changed.emit())

    def _limit(self) -> tuple[int, str]:
        text = self.limit_edit.text().strip()
        if not text:
            return 0, ""
        try:
            return parse_size(text.removesuffix("/s")), ""
        except ValueError as exc:
            return 0, f"alt_speed_limit: {exc}"

    def problem(self) -> str:
        """Why the limit field does not parse ("" when it does)."""
        return self._limit()[1]

    def values(self) -> dict[str, Any]:
        """The section's settings, for ``dataclasses.replace``."""
        return {"alt_speed_limit": self._limit()[0],
                "alt_speed_schedule": self.schedule_edit.text().strip(),
                "alt_speed_on": self.on_check.isChecked()}
