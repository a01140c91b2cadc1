"""The "Show files" dialog: one fetch's files — name, progress, size, state, where, from where.

It follows the fetch live (a refresh a second while open) from the registration's
rows in memory: no file is looked at on the GUI thread. A context menu opens a
file or its folder and copies its URL or path; a failed fetch can be retried from
here (its finished files are kept, so only the failed ones download again), and one
file can be given a new URL, retried or skipped (docs/contracts.md §13). "Copy SHA-256"
hashes a finished file on a thread, through the engine's cache (docs/contracts.md §12).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.file_actions import (
    Check,
    check_replace,
    check_retry,
    check_skip,
    refusal,
    replace_url,
    retry_file,
    skip,
)
from bgfetch_gui.engine.file_hashes import record_hashes
from bgfetch_gui.engine.model import State
from bgfetch_gui.engine.problems import ProblemCode
from bgfetch_gui.engine.registration import Registration, request_name
from bgfetch_gui.engine.store import RequestRow
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.engine.validation import normalize_url
from bgfetch_gui.i18n import translate
from bgfetch_gui.presentation.fetch_words import problem_words, skipped_text, snapshot_problem
from bgfetch_gui.qt import (
    QAbstractItemView,
    QDesktopServices,
    QDialog,
    QDialogButtonBox,
    QGuiApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
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

if TYPE_CHECKING:
    from bgfetch_gui.engine.manager import FetchManager

REFRESH_MS = 1000
Spawn = Callable[[Coroutine[Any, Any, Any], str], object]  # runs an engine coroutine


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
    if row.skipped:
        return translate("FilesDialog", "Skipped")
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


class ReplaceUrlDialog(QDialog):
    """Asks for a file's new URL; says next to the line what is wrong with a bad one."""

    def __init__(self, current: str, accept_url: Callable[[str], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._accept_url = accept_url
        self.setWindowTitle(self.tr("Replace URL"))
        self.line = QLineEdit(current)
        self.line.setAccessibleName(self.tr("New URL"))
        self.line.selectAll()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.hide()
        note = QLabel(self.tr("The file continues where it stopped if the new URL serves "
                              "the same version of it; otherwise it starts again."))
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("New URL:")))
        layout.addWidget(self.line)
        layout.addWidget(self.error)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def accept(self) -> None:
        try:
            url = normalize_url(self.line.text())
        except InvalidFetch as exc:
            self.error.setText(str(exc))
            self.error.show()
            return
        self._accept_url(url)
        super().accept()


class FilesDialog(QDialog):
    """One fetch's files, live. ``retry`` is how the window retries the fetch; with
    ``manager`` and ``spawn`` one file can be given a new URL, retried or skipped."""

    def __init__(
        self,
        reg: Registration,
        parent: QWidget | None = None,
        *,
        retry: Callable[[Registration], None] | None = None,
        manager: FetchManager | None = None,
        spawn: Spawn | None = None,
    ) -> None:
        super().__init__(parent)
        self.reg = reg
        self._retry = retry
        self._manager = manager
        self._spawn = spawn
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
        self.hash_note = QLabel()  # the last SHA-256 copied, selectable to read it out
        self.hash_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash_note.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree)
        layout.addWidget(self.summary)
        layout.addWidget(self.hash_note)
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
                FileColumn.URL: row.url,
            }
            for column, text in texts.items():
                if item.text(column) != text:
                    item.setText(column, text)
            item.setToolTip(FileColumn.PATH, str(path) if path else self.tr("not started"))
            item.setToolTip(FileColumn.URL, row.final_url or row.url)
            item.setToolTip(FileColumn.STATE, state)
            item.setTextAlignment(FileColumn.PROGRESS, Qt.AlignmentFlag.AlignRight)
            item.setTextAlignment(FileColumn.SIZE, Qt.AlignmentFlag.AlignRight)
        complete = sum(1 for r in rows if r.complete)
        snap = self.reg.snapshot()
        if snap.files_skipped and snap.result == "success":
            self.summary.setText(skipped_text(snap))
            return
        self.summary.setText(self.tr("{done} of {total} files complete · {state}").format(
            done=complete, total=len(rows), state=present.state_words(snap)))

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
        if self._manager is not None and self._spawn is not None:
            number = self.tree.indexOfTopLevelItem(item) + 1
            copy_hash = menu.addAction(self.tr("Copy SHA-&256"))
            copy_hash.setEnabled(row.complete)
            copy_hash.triggered.connect(lambda: self.copy_sha256(number))
        retry_fetch = self._retry
        if retry_fetch is not None:
            menu.addSeparator()
            retry = menu.addAction(self.tr("&Retry the failed files"))
            retry.setEnabled(self.reg.result == "failure" and not row.complete)
            retry.triggered.connect(lambda: retry_fetch(self.reg))
        if self._manager is not None and self._spawn is not None:
            self._add_file_actions(menu, self.tree.indexOfTopLevelItem(item) + 1)
        return menu

    def copy_sha256(self, number: int) -> None:
        """Copy file ``number``'s SHA-256 once the engine has it: from its cache, else
        hashed on a thread (never here, on the GUI thread)."""
        assert self._manager is not None and self._spawn is not None
        self.hash_note.setText(self.tr("Computing the SHA-256 of {name}…").format(
            name=request_name(self.reg.row.requests[number - 1])))
        self.hash_note.show()
        self._spawn(self._copy_sha256(self._manager, number),
                    f"{self.reg.id}: SHA-256 of file {number}")

    async def _copy_sha256(self, manager: FetchManager, number: int) -> None:
        sha256 = (await record_hashes(manager.store, self.reg))[number - 1]
        name = request_name(self.reg.row.requests[number - 1])
        if sha256 is None:  # moved or deleted since it finished
            self.hash_note.setText(self.tr("{name} is not there any more").format(name=name))
            return
        QGuiApplication.clipboard().setText(sha256)
        self.hash_note.setText(self.tr("SHA-256 of {name} copied: {sha256}").format(
            name=name, sha256=sha256))

    def _add_file_actions(self, menu: QMenu, number: int) -> None:
        """Replace URL…, Retry this file, Skip this file: each disabled, saying why in its
        tooltip, when the engine would refuse it now."""
        menu.addSeparator()
        for text, check, act in (
            (self.tr("Replace &URL…"), check_replace, lambda: self.ask_new_url(number)),
            (self.tr("Retry this &file"), check_retry, lambda: self.retry_file(number)),
            (self.tr("&Skip this file"), check_skip, lambda: self.skip_file(number)),
        ):
            action = menu.addAction(text)
            why = self._refusal(check, number)
            action.setEnabled(not why)
            if why:
                action.setToolTip(why)
            action.triggered.connect(act)
        menu.setToolTipsVisible(True)

    def _refusal(self, check: Check, number: int) -> str:
        assert self._manager is not None
        return refusal(check, self._manager, self.reg, number)

    def ask_new_url(self, number: int) -> ReplaceUrlDialog:
        """The small dialog for file ``number``'s new URL (window-modal, never blocking)."""
        row = self.reg.row.requests[number - 1]
        dialog = ReplaceUrlDialog(row.url, lambda url: self.replace_url(number, url), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def replace_url(self, number: int, url: str) -> None:
        self._run(replace_url, number, url, what=f"replace URL of file {number}")

    def retry_file(self, number: int) -> None:
        self._run(retry_file, number, what=f"retry file {number}")

    def skip_file(self, number: int) -> None:
        self._run(skip, number, what=f"skip file {number}")

    def _run(self, action: Callable[..., Coroutine[Any, Any, None]], *args: object,
             what: str) -> None:
        assert self._manager is not None and self._spawn is not None
        self._spawn(action(self._manager, self.reg, *args), f"{self.reg.id}: {what}")

    def _context_menu(self, pos: QPoint) -> None:
        item = self.tree.itemAt(pos)
        if item is not None:
            self.context_menu_for(item).popup(self.tree.viewport().mapToGlobal(pos))
