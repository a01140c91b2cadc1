"""Settings → folders by type: Downloads/Music, Downloads/Video… (docs/contracts.md §14).

Off by default. Each row is a folder and the extensions and MIME types that go there;
the dialog checks the rows with the engine's own rule, so OK never saves a bad one.
"""

from __future__ import annotations

from typing import Any

from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.type_folders import DEFAULT_TYPE_FOLDERS, rules_problem
from bgfetch_gui.qt import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    Signal,
)


class TypeFoldersSection(QWidget):
    changed = Signal()

    def __init__(self, settings: Settings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.enable_check = QCheckBox(self.tr("Put files in folders by t&ype"))
        self.enable_check.setChecked(settings.folders_by_type)
        self.enable_check.setToolTip(self.tr(
            "A file goes to a folder such as Music or Video in the download folder; "
            "a bundle of one type goes there whole, a mixed one stays in its own folder"))
        self.table = QTableWidget(0, 2)
        self.table.setHorizontalHeaderLabels([self.tr("Folder"), self.tr("Types")])
        self.table.setAccessibleName(self.tr("Folders by type"))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setAccessibleName(self.tr("Columns"))
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setToolTip(self.tr(
            "Extensions (mp3 flac) and MIME types (audio/*), separated by spaces"))
        self.set_rules(settings.type_folders)
        self.table.itemChanged.connect(lambda _item: self.changed.emit())
        self.add_button = QPushButton(self.tr("&Add folder"))
        self.add_button.clicked.connect(self._add)
        self.remove_button = QPushButton(self.tr("Remo&ve folder"))
        self.remove_button.clicked.connect(self._remove)
        self.defaults_button = QPushButton(self.tr("D&efaults"))
        self.defaults_button.clicked.connect(lambda: self.set_rules(DEFAULT_TYPE_FOLDERS))
        buttons = QHBoxLayout()
        for button in (self.add_button, self.remove_button, self.defaults_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        # On a page of its own, so the dialog's message on General may be out of sight.
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.changed.connect(self._show_problem)
        self._rules = QWidget()
        rules = QVBoxLayout(self._rules)
        rules.setContentsMargins(24, 0, 0, 0)
        rules.addWidget(self.table)
        rules.addWidget(self.error_label)
        rules.addLayout(buttons)
        self._rules.setEnabled(settings.folders_by_type)
        self.enable_check.toggled.connect(self._rules.setEnabled)
        self.enable_check.toggled.connect(lambda _on: self.changed.emit())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enable_check)
        layout.addWidget(self._rules)

    def set_rules(self, rules: dict[str, str]) -> None:
        self.table.blockSignals(True)  # one ``changed`` for the lot, not one per cell
        self.table.setRowCount(0)
        for folder, types in rules.items():
            self._append(folder, types)
        self.table.blockSignals(False)
        self.changed.emit()

    def _append(self, folder: str, types: str) -> QTableWidgetItem:
        """A new last row; its types cell."""
        row = self.table.rowCount()
        self.table.insertRow(row)
        self.table.setItem(row, 0, QTableWidgetItem(folder))
        types_item = QTableWidgetItem(types)
        self.table.setItem(row, 1, types_item)
        return types_item

    def _add(self) -> None:
        self.table.blockSignals(True)
        types_item = self._append(self.tr("New folder"), "")
        self.table.blockSignals(False)
        self.table.setCurrentItem(types_item)
        self.table.editItem(types_item)
        self.changed.emit()

    def _remove(self) -> None:
        for row in sorted({index.row() for index in self.table.selectedIndexes()}, reverse=True):
            self.table.removeRow(row)
        self.changed.emit()

    def _show_problem(self) -> None:
        problem = rules_problem(self.values()["type_folders"])
        self.error_label.setText(f"type_folders: {problem}" if problem else "")
        self.error_label.setVisible(bool(problem))

    def values(self) -> dict[str, Any]:
        """The section's settings, for ``dataclasses.replace``. Two rows of one folder
        join, so the engine's check sees (and names) every type."""
        rules: dict[str, str] = {}
        for row in range(self.table.rowCount()):
            folder, types = (self.table.item(row, column) for column in (0, 1))
            name = folder.text().strip() if folder is not None else ""
            text = types.text().strip() if types is not None else ""
            rules[name] = f"{rules[name]} {text}".strip() if name in rules else text
        return {"folders_by_type": self.enable_check.isChecked(), "type_folders": rules}

