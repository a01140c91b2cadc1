"""Settings → Web sites: the user's decision about each web origin, and a way to change it.

Changes apply at once (like ``bgfetch sites allow|deny|forget``), not on OK:
a decision is not a setting to try out, and the engine must see it now.
"""

from __future__ import annotations

from collections.abc import Callable

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.engine.web.sites import Sites
from bgfetch_gui.qt import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)


class WebSitesPage(QWidget):
    def __init__(self, sites: Sites, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sites = sites
        intro = QLabel(self.tr("Web pages use bgfetch through the browser extension. A site "
                               "you have not decided about is asked for the first time it "
                               "downloads."))
        intro.setWordWrap(True)

        self.table = QTableWidget(0, 3)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Site"), self.tr("Decision"), self.tr("Quota")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.origin_edit = QLineEdit()
        self.origin_edit.setPlaceholderText("https://example.org")
        self.allow_button = QPushButton(self.tr("&Allow"))
        self.deny_button = QPushButton(self.tr("&Deny"))
        self.forget_button = QPushButton(self.tr("&Forget"))
        self.allow_button.clicked.connect(lambda: self._apply(self._sites.allow))
        self.deny_button.clicked.connect(lambda: self._apply(self._sites.deny))
        self.forget_button.clicked.connect(lambda: self._apply(self._sites.forget))
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()

        row = QHBoxLayout()
        row.addWidget(self.origin_edit, 1)
        row.addWidget(self.allow_button)
        row.addWidget(self.deny_button)
        row.addWidget(self.forget_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.refresh()

    def refresh(self) -> None:
        decisions = {"allow": self.tr("Allowed"), "deny": self.tr("Denied")}
        sites = self._sites.list()
        self.table.setRowCount(len(sites))
        for row, site in enumerate(sites):
            for column, text in enumerate(
                (site.origin, decisions.get(site.decision, site.decision),
                 human_size(site.quota))
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if rows:
            item = self.table.item(rows[0].row(), 0)
            if item is not None:
                self.origin_edit.setText(item.text())

    def _apply(self, action: Callable[[str], object]) -> None:
        try:
            action(self.origin_edit.text().strip())
        except InvalidFetch as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        self.error_label.hide()
        self.refresh()
