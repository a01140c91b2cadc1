"""The "Show files" dialog: one fetch's records — URL, status, size, where it is."""

from __future__ import annotations

from collections.abc import Sequence

from bgfetch_gui.engine.model import Record
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.qt import (
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from bgfetch_gui.ui.icons import app_icon

COLUMNS = ("URL", "Status", "Size", "Path")


def status_text(record: Record) -> str:
    if record.status is None:
        return "—"
    return f"{record.status}" + (" ✓" if record.complete else "")


class FilesDialog(QDialog):
    def __init__(
        self, title: str, records: Sequence[Record], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Files of {title}")
        self.setWindowIcon(app_icon())
        self.resize(820, 320)
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setUniformRowHeights(True)
        for record in records:
            item = QTreeWidgetItem([
                record.request.url,
                status_text(record),
                human_size(record.size),
                str(record.path) if record.path else "",
            ])
            item.setToolTip(0, record.request.url)
            item.setToolTip(3, str(record.path) if record.path else "not started")
            self.tree.addTopLevelItem(item)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(self._open)

        complete = sum(1 for r in records if r.complete)
        summary = QLabel(f"{complete} of {len(records)} files complete")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(summary)
        layout.addWidget(buttons)
        self._records = list(records)

    def _open(self, item: QTreeWidgetItem, _column: int) -> None:
        record = self._records[self.tree.indexOfTopLevelItem(item)]
        if record.path is not None and record.complete:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(record.path)))
