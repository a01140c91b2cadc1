"""The "Show files" dialog: one fetch's files — name, progress, size, state, where, from where.

It follows the fetch live (a refresh a second while open) from the registration's
rows in memory: no file is looked at on the GUI thread. A context menu opens a
file or its folder and copies its URL or path; a failed fetch can be retried from
here (its finished files are kept, so only the failed ones download again).
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path

from bgfetch_gui.engine.model import State
from bgfetch_gui.engine.problems import ProblemCode
from bgfetch_gui.engine.registration import Registration, request_name
from bgfetch_gui.engine.store import RequestRow
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.i18n import translate
from bgfetch_gui.presentation.fetch_words import problem_words, snapshot_problem
from bgfetch_gui.qt import (
    QAbstractItemView,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QHeaderView,
    QLabel,
    QMenu,
    QPoint,
    Qt,
    QTimer,
    QTreeWidget,
    QTreeWidgetItem,
    QUrl,
    QVBoxLayout,
    QWidget,
)
from bgfetch_gui.ui import present
from bgfetch_gui.ui.icons import app_icon

REFRESH_MS = 1000


class FileColumn(enum.IntEnum):
    NAME = 0
    PROGRESS = 1
    SIZE = 2
    STATE = 3
    PATH = 4
    URL = 5




def column_titles() -> list[str]:
    return [translate("FilesDialog", "Name"), translate("FilesDialog", "Progress"),
            translate("FilesDialog", "Size"), translate("FilesDialog", "State"),
            translate("FilesDialog", "Path"), translate("FilesDialog", "URL")]


def file_state(reg: Registration, row: RequestRow) -> str:
    """``Done``, ``Downloading``, ``the server answered 404 Not Found``, ``Not started``…"""
    if row.complete:
        return translate("FilesDialog", "Done")
    if row.status is not None and row.status >= 400:
        return problem_words(ProblemCode.HTTP_STATUS, "", row.status)
    if reg.result == "failure":
        if reg.failure_file is not None and reg.failure_file.idx == row.idx:
            return snapshot_problem(reg.snapshot())  # ``connection refused``: why it failed
        return translate("FilesDialog", "Stopped")  # the fetch ended before this file did
    if reg.state == State.DOWNLOADING and (row.bytes_done or row.status is not None):
        return translate("FilesDialog", "Downloading")
    if reg.state in (State.PAUSED, State.RETRYING, State.WAITING_FOR_NETWORK):
        return present.state_words(reg.snapshot())
    return translate("FilesDialog", "Not started")


def file_size(row: RequestRow) -> str:
    """``1.2 MiB of 4.0 MiB``, or what has arrived when the size is not known."""
    if row.complete or row.size_total is None:
        return human_size(row.bytes_done) if row.bytes_done or row.complete else "—"
    return translate("present", "{done} of {total}").format(
        done=human_size(row.bytes_done), total=human_size(row.size_total))


def file_progress(row: RequestRow) -> str:
    if row.complete:
        return "100%"
    if not row.size_total:
        return ""
    return f"{min(100, 100 * row.bytes_done // row.size_total)}%"


class FilesDialog(QDialog):
    """One fetch's files, live. ``retry`` is how the window retries the fetch."""

    def __init__(
        self,
        reg: Registration,
        parent: QWidget | None = None,
        *,
        retry: Callable[[Registration], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.reg = reg
        self._retry = retry
        title = reg.title or reg.id
        self.setWindowTitle(self.tr("Files of {title}").format(title=title))
        self.setWindowIcon(app_icon())
        self.resize(980, 340)
        self.tree = QTreeWidget()
        self.tree.setAccessibleName(self.tr("Files of {title}").format(title=title))
        self.tree.setRootIsDecorated(False)
        self.tree.setAlternatingRowColors(True)
        self.tree.setHeaderLabels(column_titles())
        self.tree.setUniformRowHeights(True)
        # Paths and URLs keep both ends: the folder and the file name both matter.
        self.tree.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.tree.customContextMenuRequested.connect(self._context_menu)
        self.tree.itemActivated.connect(lambda item, _column: self.open_file(item))
        for _row in reg.row.requests:
            self.tree.addTopLevelItem(QTreeWidgetItem())
        header = self.tree.header()
        header.setAccessibleName(self.tr("Columns"))
        header.setStretchLastSection(False)
        for column in (FileColumn.NAME, FileColumn.PROGRESS, FileColumn.SIZE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(FileColumn.STATE, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(FileColumn.STATE, 220)
        for column in (FileColumn.PATH, FileColumn.URL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)

        self.summary = QLabel()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.refresh()
        self._timer = QTimer(self)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        self._timer.start()
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self.tree.setFocus()

    # -- reading -----------------------------------------------------------------

    def path_of(self, row: RequestRow) -> Path | None:
        return self.reg.dest / row.filename if row.filename else None

    def _row(self, item: QTreeWidgetItem) -> RequestRow:
        return self.reg.row.requests[self.tree.indexOfTopLevelItem(item)]

    def refresh(self) -> None:
        """Every row's words from the registration's rows in memory."""
        rows = self.reg.row.requests
        for index, row in enumerate(rows):
            item = self.tree.topLevelItem(index)
            if item is None:
                continue
            path = self.path_of(row)
            state = file_state(self.reg, row)
            texts = {
                FileColumn.NAME: request_name(row),
                FileColumn.PROGRESS: file_progress(row),
                FileColumn.SIZE: file_size(row),
                FileColumn.STATE: state,
                FileColumn.PATH: str(path) if path else "",
                FileColumn.URL: row.request.url,
            }
            for column, text in texts.items():
                if item.text(column) != text:
                    item.setText(column, text)
            item.setToolTip(FileColumn.PATH, str(path) if path else self.tr("not started"))
            item.setToolTip(FileColumn.URL, row.final_url or row.request.url)
            item.setToolTip(FileColumn.STATE, state)
            item.setTextAlignment(FileColumn.PROGRESS, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(FileColumn.SIZE, Qt.AlignmentFlag.AlignRight)
        complete = sum(1 for r in rows if r.complete)
        self.summary.setText(self.tr("{done} of {total} files complete · {state}").format(
            done=complete, total=len(rows), state=present.state_words(self.reg.snapshot())))

    # -- acting ------------------------------------------------------------------

    def open_file(self, item: QTreeWidgetItem) -> None:
        row = self._row(item)
        path = self.path_of(row)
        if path is not None and row.complete:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.reg.dest)))

    def copy(self, item: QTreeWidgetItem, column: FileColumn) -> None:
        QGuiApplication.clipboard().setText(item.text(column))

    def context_menu_for(self, item: QTreeWidgetItem) -> QMenu:
        row = self._row(item)
        menu = QMenu(self)
        opened = menu.addAction(self.tr("&Open"))
        opened.setEnabled(row.complete)
        opened.triggered.connect(lambda: self.open_file(item))
        menu.addAction(self.tr("Open &folder")).triggered.connect(self.open_folder)
        menu.addSeparator()
        copy_url = menu.addAction(self.tr("Copy &URL"))
        copy_url.triggered.connect(lambda: self.copy(item, FileColumn.URL))
        copy_path = menu.addAction(self.tr("Copy &path"))
        copy_path.setEnabled(bool(row.filename))
        copy_path.triggered.connect(lambda: self.copy(item, FileColumn.PATH))
        retry_fetch = self._retry
        if retry_fetch is not None:
            menu.addSeparator()
            retry = menu.addAction(self.tr("&Retry the failed files"))
            retry.setEnabled(self.reg.result == "failure" and not row.complete)
            retry.triggered.connect(lambda: retry_fetch(self.reg))
        return menu

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is not None:
            self.context_menu_for(item).popup(self.tree.viewport().mapToGlobal(pos))
