"""Settings → the clipboard: offer copied links for download (off by default)."""

from __future__ import annotations

from typing import Any

from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.qt import QCheckBox, QLineEdit, QVBoxLayout, QWidget


class ClipboardSection(QWidget):
    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.watch_check = QCheckBox(self.tr("Offer to download links I &copy"))
        self.watch_check.setChecked(settings.watch_clipboard)
        self.watch_check.setToolTip(self.tr(
            "A notification offers each new http(s) link copied to the clipboard; nothing is "
            "downloaded without a click"))
        self.types_edit = QLineEdit(settings.clipboard_types)
        self.types_edit.setPlaceholderText(
            self.tr("Links to any file (or e.g.: zip iso mp4 pdf)"))
        self.types_edit.setToolTip(
            self.tr("Only links to files of these types are offered"))
        # No form label of its own: without this a screen reader would say nothing.
        self.types_edit.setAccessibleName(self.tr("File types of copied links to offer"))
        self.types_edit.setEnabled(settings.watch_clipboard)
        self.watch_check.toggled.connect(self.types_edit.setEnabled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.watch_check)
        layout.addWidget(self.types_edit)

    def values(self) -> dict[str, Any]:
        """The section's settings, for ``dataclasses.replace``."""
        return {"watch_clipboard": self.watch_check.isChecked(),
                "clipboard_types": self.types_edit.text().strip()}
