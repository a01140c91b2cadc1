"""Filter (All / Active / Done / Failed), title search and sorting over the fetch list.

``filterAcceptsRow`` and ``lessThan`` read the source model's entries
directly instead of going through ``data()``: with 10,000 rows that is the
difference between a filter change the user feels and one they do not.
"""

from __future__ import annotations

from collections.abc import Callable

from bgfetch_gui.i18n import translate
from bgfetch_gui.qt import (
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from bgfetch_gui.ui import present
from bgfetch_gui.ui.fetch_model import FetchListModel
from bgfetch_gui.ui.present import Category

AnyIndex = QModelIndex | QPersistentModelIndex

# Labels are called when the combo is filled: the translator is installed by then.
FILTERS: list[tuple[Callable[[], str], Category | None]] = [
    (lambda: translate("FetchFilterProxy", "All"), None),
    (lambda: translate("FetchFilterProxy", "Active"), Category.ACTIVE),
    (lambda: translate("FetchFilterProxy", "Done"), Category.DONE),
    (lambda: translate("FetchFilterProxy", "Failed"), Category.FAILED),
]


class FetchFilterProxy(QSortFilterProxyModel):
    def __init__(self, source: FetchListModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._source = source
        self._category: Category | None = None
        self._search = ""
        self.setSourceModel(source)
        # Re-filter rows whose state changes (an active fetch that finishes
        # leaves the "Active" view by itself).
        self.setDynamicSortFilter(True)

    @property
    def category(self) -> Category | None:
        return self._category

    def set_category(self, category: Category | None) -> None:
        if category != self._category:
            self._change_filter(lambda: setattr(self, "_category", category))

    def set_search(self, text: str) -> None:
        text = text.strip().casefold()
        if text != self._search:
            self._change_filter(lambda: setattr(self, "_search", text))

    def _change_filter(self, change: Callable[[], None]) -> None:
        # Qt 6.9 added begin/endFilterChange and deprecated invalidateRowsFilter;
        # the project supports Qt 6.8 as well.
        if hasattr(self, "beginFilterChange"):
            self.beginFilterChange()
            change()
            self.endFilterChange()
        else:
            change()
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: AnyIndex) -> bool:
        if self._category is None and not self._search:
            return True
        snap = self._source.snapshot_at(source_row)
        if self._category is not None and present.category(snap) != self._category:
            return False
        if self._search:
            haystack = f"{snap.title}\n{snap.id}".casefold()
            return self._search in haystack
        return True

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """The rows below the drop as they are shown, sorted and filtered."""
        count = self.rowCount()
        below = [self._source.key_at(self.mapToSource(self.index(r, 0)).row())
                 for r in range(row, count)] if 0 <= row < count else []
        return self._source.drop_above(data, action, below)

    def lessThan(self, left: AnyIndex, right: AnyIndex) -> bool:
        column = left.column()
        a = self._source.sort_key(left.row(), column)
        b = self._source.sort_key(right.row(), column)
        if a == b:
            # Stable and predictable: newer fetches first among equals.
            return left.row() < right.row()
        return bool(a < b)
