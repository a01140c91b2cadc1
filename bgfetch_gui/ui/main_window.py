"""The main window: the fetch list with its actions, filter and search.

Widgets only: every action turns into one engine call run as a task
(:class:`TaskRunner`), and the list is the :class:`FetchListModel` behind a
filter proxy. Closing the window hides it (bgfetch keeps working in the
tray); only Quit ends the application.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Sequence
from pathlib import Path

from bgfetch_gui.engine import links
from bgfetch_gui.engine.alt_speed import global_rate
from bgfetch_gui.engine.datadir import downloads_dir
from bgfetch_gui.engine.errors import BgfetchError
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.manifest import FetchSpec, load_manifest
from bgfetch_gui.engine.model import Snapshot, State
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.web.sites import Sites
from bgfetch_gui.platform import autostart
from bgfetch_gui.qt import (
    QAbstractItemView,
    QAction,
    QByteArray,
    QCheckBox,
    QCloseEvent,
    QComboBox,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QEvent,
    QFile,
    QHeaderView,
    QKeySequence,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMenu,
    QMessageBox,
    QMimeData,
    QModelIndex,
    QObject,
    QPoint,
    QSettings,
    QSize,
    QSizePolicy,
    QStyle,
    Qt,
    QTableView,
    QToolBar,
    QUrl,
    QWidget,
    Signal,
)
from bgfetch_gui.ui import present
from bgfetch_gui.ui.fetch_filter import FILTERS, FetchFilterProxy
from bgfetch_gui.ui.fetch_model import Column, FetchListModel, Role
from bgfetch_gui.ui.files_dialog import FilesDialog
from bgfetch_gui.ui.icons import app_icon
from bgfetch_gui.ui.intake import is_manifest, sort_arguments
from bgfetch_gui.ui.link_prompt import LinkPrompt
from bgfetch_gui.ui.new_fetch_dialog import NewFetchDialog
from bgfetch_gui.ui.present import Summary
from bgfetch_gui.ui.progress_delegate import ProgressDelegate
from bgfetch_gui.ui.queue_menu import queue_menu
from bgfetch_gui.ui.settings_dialog import SettingsDialog
from bgfetch_gui.ui.speed_limit_menu import speed_limit_menu
from bgfetch_gui.ui.start_at_menu import start_at_menu
from bgfetch_gui.ui.tasks import TaskRunner

log = logging.getLogger("bgfetch.ui")

# Column widths for a first start; after that the user's own are restored.
DEFAULT_WIDTHS = {
    Column.PROGRESS: 150,
    Column.SIZE: 150,
    Column.SPEED: 90,
    Column.ETA: 80,
    Column.STATE: 210,
    Column.QUEUE: 70,
}

Confirm = Callable[[str, str], bool]
MAX_LIVE_SELECTION = 500


README_URL = "https://github.com/bgfetch/bgfetch#readme"
TOLD_TRAY_KEY = "tray/told-keeps-running"
QUIT_UNASKED_KEY = "quit/dont-ask"
SPEED_LIMIT_OFF_KEY = "tray/speed-limit-off"  # the tray's toggle, kept across restarts

AskQuit = Callable[[str], tuple[bool, bool]]  # text -> (quit, don't ask again)


class MainWindow(QMainWindow):
    quit_requested = Signal()
    fetch_registered = Signal(str)  # id, after the engine accepted a fetch from this window
    closed_to_tray = Signal()  # the first time only: say that bgfetch keeps running there
    settings_applied = Signal(object)  # Settings, after the dialog's OK

    def __init__(
        self,
        manager: FetchManager,
        model: FetchListModel,
        state: QSettings,
        *,
        data_dir: Path | None = None,
        sites: Sites | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.manager = manager
        self.model = model
        self.state = state
        self.data_dir = data_dir
        self.sites = sites
        self.hide_on_close = True
        self.tasks = TaskRunner(on_error=self.show_error)
        # Replaceable so tests need no modal dialogs or file managers.
        self.confirm: Confirm = self._ask
        self.ask_quit: AskQuit = self._ask_quit
        self.open_url: Callable[[QUrl], object] = QDesktopServices.openUrl
        self._dialogs: list[QWidget] = []

        self.setWindowTitle("bgfetch")
        self.setWindowIcon(app_icon())
        self.setAcceptDrops(True)

        self.proxy = FetchFilterProxy(model, self)
        self.view = self._make_view()
        self.setCentralWidget(self.view)
        self.actions_by_name: dict[str, QAction] = {}
        self._make_actions()
        self._make_toolbar()
        self._summary_label = QLabel()
        self._summary_label.setAccessibleName(self.tr("Totals"))
        self.statusBar().addPermanentWidget(self._summary_label)
        model.summary_changed.connect(self._show_summary)
        model.flushed.connect(self._refresh_actions)
        # The proxy's signals tell filter changes; the model's come after both have
        # counted (a sorted proxy removes its rows before the model does).
        for source in (self.proxy, model):
            source.rowsInserted.connect(self._update_count)
            source.rowsRemoved.connect(self._update_count)
            source.modelReset.connect(self._update_count)
        self._show_summary(model.summary)
        self.restore_state()
        self._selection_changed()
        self.set_speed_limit_active(self.speed_limit_active())

    # -- construction --------------------------------------------------------------

    def _make_view(self) -> QTableView:
        view = QTableView()
        view.setModel(self.proxy)
        view.setItemDelegate(ProgressDelegate(view))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        view.setShowGrid(False)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setIconSize(QSize(24, 24))
        view.setTextElideMode(Qt.TextElideMode.ElideRight)
        view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        view.customContextMenuRequested.connect(self._context_menu)
        # Enter on the keyboard, or a double click: open the fetch's folder.
        view.activated.connect(self._activated)
        view.setAccessibleName(self.tr("Fetches"))
        view.setAccessibleDescription(self.tr(
            "Every fetch with its progress, size, speed, time left and status. Enter opens "
            "its folder; the context menu key shows what can be done with it."))
        view.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = view.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 10,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(34)
        header = view.horizontalHeader()
        header.setAccessibleName(self.tr("Columns (click to sort)"))
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        for column, width in DEFAULT_WIDTHS.items():
            header.resizeSection(column, width)
        # No sort until the user clicks a header: the model's own order is newest first.
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        view.setSortingEnabled(True)
        # Rows dragged onto others move in the queue (docs/contracts.md §10); files and
        # URLs dropped from outside still reach the window (dropEvent below).
        view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        view.setDefaultDropAction(Qt.DropAction.MoveAction)
        view.setDragDropOverwriteMode(False)
        view.setDropIndicatorShown(True)
        self.model.queue_drop.connect(self._drop_in_queue)
        self.model.queue_reordered.connect(self._queue_reordered)
        view.selectionModel().selectionChanged.connect(self._selection_changed)
        # Rows must not jump under the pointer while a changing column is sorted:
        # re-sorting waits until the pointer leaves the list.
        view.viewport().installEventFilter(self)
        view.installEventFilter(self)
        return view

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view.viewport():
            if event.type() == QEvent.Type.Enter:
                self.hold_sorting(True)
            elif event.type() == QEvent.Type.Leave:
                self.hold_sorting(False)
        elif (watched is self.view and event.type() == QEvent.Type.FocusIn
              and not self.view.currentIndex().isValid() and self.proxy.rowCount()):
            # Tabbing into the list lands on a row the keyboard can act on, shown focused.
            self.view.selectRow(0)
        return super().eventFilter(watched, event)

    def hold_sorting(self, hold: bool) -> None:
        """Keep rows where they are (True), or sort and filter them again (False)."""
        if hold == (not self.proxy.dynamicSortFilter()):
            return
        self.proxy.setDynamicSortFilter(not hold)
        if not hold:
            self.proxy.invalidate()  # what changed meanwhile, sorted and filtered at once

    def _action(
        self,
        name: str,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
        icon: QStyle.StandardPixmap | None = None,
        tip: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if icon is not None:
            action.setIcon(self.style().standardIcon(icon))
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        # Shortcuts work while the list has focus, and in the search box for Ctrl+ ones.
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        self.actions_by_name[name] = action
        return action

    def _make_actions(self) -> None:
        sp = QStyle.StandardPixmap
        a = self._action
        new = a("new", self.tr("&New fetch…"), self.new_fetch, "Ctrl+N", None,
                self.tr("Download a bundle of URLs"))
        new.setIcon(app_icon())
        a("pause", self.tr("&Pause"), self.pause_selected, "Ctrl+P", sp.SP_MediaPause)
        a("resume", self.tr("&Resume"), self.resume_selected, "Ctrl+R", sp.SP_MediaPlay)
        a("abort", self.tr("&Abort…"), self.abort_selected, "Ctrl+.", sp.SP_BrowserStop,
          self.tr("Stop the fetch for good; files already complete are kept"))
        a("retry", self.tr("Re&try"), self.retry_selected, "Ctrl+Shift+R", sp.SP_BrowserReload,
          self.tr("Register a failed fetch again, keeping what was downloaded"))
        a("open_folder", self.tr("&Open folder"), self.open_folder_selected, "Ctrl+Shift+O",
          sp.SP_DirOpenIcon)
        a("show_files", self.tr("Show &files…"), self.show_files_selected, "Ctrl+I",
          sp.SP_FileDialogDetailedView)
        a("remove", self.tr("Re&move from list"), self.remove_selected,
          QKeySequence.StandardKey.Delete, sp.SP_DialogDiscardButton,
          self.tr("Forget the fetch; its files stay on disk"))
        a("remove_delete", self.tr("Remove and &delete files…"), self.remove_delete_selected,
          "Shift+Del", sp.SP_TrashIcon)
        a("settings", self.tr("&Settings…"), self.open_settings, "Ctrl+,", sp.SP_FileDialogInfoView)
        a("find", self.tr("&Find"), self.focus_search, QKeySequence.StandardKey.Find)
        a("pause_all", self.tr("Pause &all"), self.pause_all)
        a("resume_all", self.tr("Resume a&ll"), self.resume_all)
        a("about", self.tr("&About bgfetch"), self.show_about)
        a("readme", self.tr("Read the &manual (README)"), self.open_readme,
          QKeySequence.StandardKey.HelpContents)
        quit_action = a("quit", self.tr("&Quit"), self.request_quit, "Ctrl+Q",
                        sp.SP_DialogCloseButton)
        quit_action.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)

    def _make_toolbar(self) -> None:
        bar = QToolBar(self.tr("Main"))
        bar.setObjectName("main-toolbar")
        bar.setMovable(False)
        bar.setIconSize(QSize(18, 18))
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        names = self.actions_by_name
        bar.addAction(names["new"])
        bar.addSeparator()
        for name in ("pause", "resume", "abort", "retry"):
            bar.addAction(names[name])
        bar.addSeparator()
        bar.addAction(names["open_folder"])
        bar.addAction(names["remove"])
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.filter_combo = QComboBox()
        for label, category in FILTERS:
            self.filter_combo.addItem(label(), category)
        self.filter_combo.setToolTip(self.tr("Show"))
        self.filter_combo.setAccessibleName(self.tr("Show fetches"))
        self.filter_combo.setAccessibleDescription(self.tr("All, active, done or failed fetches"))
        self.filter_combo.currentIndexChanged.connect(self._filter_changed)
        bar.addWidget(self.filter_combo)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText(self.tr("Search titles"))
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setFixedWidth(220)
        self.search_edit.setAccessibleName(self.tr("Search titles"))
        self.search_edit.textChanged.connect(self.proxy.set_search)
        bar.addWidget(self.search_edit)
        self.addToolBar(bar)
        self.toolbar = bar
        bar.setAccessibleName(self.tr("Actions"))
        for action in bar.actions():
            button = bar.widgetForAction(action)
            if button is not None and action.text():
                # A screen reader says the action, not the mnemonic's ampersand.
                button.setAccessibleName(action.text().replace("&", ""))
                button.setAccessibleDescription(action.toolTip().replace("&", ""))
        # Tab goes from the search to the filter to the list, the way they read.
        QWidget.setTabOrder(self.search_edit, self.filter_combo)
        QWidget.setTabOrder(self.filter_combo, self.view)

        menu = self.menuBar().addMenu(self.tr("&File"))
        _fill_menu(menu, names, ("new", "settings", None, "quit"))
        menu = self.menuBar().addMenu(self.tr("&Fetch"))
        _fill_menu(menu, names, ("pause", "resume", "abort", "retry", None, "open_folder",
                                 "show_files", None, "remove", "remove_delete", None,
                                 "pause_all", "resume_all"))
        menu = self.menuBar().addMenu(self.tr("&Help"))
        _fill_menu(menu, names, ("readme", None, "about"))

    # -- selection -------------------------------------------------------------------

    def selected_snapshots(self) -> list[Snapshot]:
        rows = self.view.selectionModel().selectedRows()
        return [self.proxy.mapToSource(index).data(Role.SNAPSHOT) for index in rows]

    def selected_registrations(self) -> list[Registration]:
        keys = [snap.key for snap in self.selected_snapshots()]
        return self._registrations(keys)

    def _registrations(self, keys: Sequence[int]) -> list[Registration]:
        wanted = set(keys)
        return [reg for reg in self.manager.registrations() if reg.key in wanted]

    def _refresh_actions(self) -> None:
        """After a model flush: states of selected fetches may have changed."""
        selection = self.view.selectionModel()
        # A select-all of 10,000 rows is re-judged on selection changes only,
        # not ten times a second.
        if selection.hasSelection() and len(selection.selectedRows()) <= MAX_LIVE_SELECTION:
            self._selection_changed()

    def _selection_changed(self, *_args: object) -> None:
        snaps = self.selected_snapshots()
        enable = {
            "pause": any(s.active and s.state != State.PAUSED for s in snaps),
            "resume": any(s.state == State.PAUSED for s in snaps),
            "abort": any(s.active for s in snaps),
            "retry": any(s.result == "failure" for s in snaps),
            "open_folder": bool(snaps),
            "show_files": len(snaps) == 1,
            "remove": bool(snaps),
            "remove_delete": bool(snaps),
        }
        for name, enabled in enable.items():
            self.actions_by_name[name].setEnabled(enabled)

    def select_key(self, key: int) -> bool:
        """Select and show the row of registration ``key`` (False if it is filtered out)."""
        row = self.model.row_of(key)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.selectRow(index.row())
        self.view.scrollTo(index)
        return True

    # -- actions -----------------------------------------------------------------------

    def pause_selected(self) -> None:
        for reg in self.selected_registrations():
            self.tasks.spawn(self.manager.pause(reg), f"pause {reg.id}")

    def resume_selected(self) -> None:
        for reg in self.selected_registrations():
            self.tasks.spawn(self.manager.resume(reg), f"resume {reg.id}")

    def abort_selected(self) -> None:
        regs = [r for r in self.selected_registrations() if r.active]
        if not regs:
            return
        if not self.confirm(
            self.tr("Abort"),
            self.tr("Abort {what}?\n\nFiles that are already complete are kept; "
                    "partial files are deleted.").format(what=self._which(regs)),
        ):
            return
        for reg in regs:
            self.tasks.spawn(self.manager.abort(reg), f"abort {reg.id}")

    def retry_selected(self) -> None:
        for reg in self.selected_registrations():
            if reg.result == "failure":
                self.tasks.spawn(self.manager.retry(reg), f"retry {reg.id}")

    def open_folder_selected(self) -> None:
        folders = {snap.dest for snap in self.selected_snapshots()}
        for folder in sorted(folders)[:5]:  # selecting 1,000 rows must not open 1,000 windows
            self.open_url(QUrl.fromLocalFile(str(folder)))

    def show_files_selected(self) -> None:
        regs = self.selected_registrations()
        if len(regs) != 1:
            return
        dialog = FilesDialog(regs[0], self, retry=self._retry_one, manager=self.manager,
                             spawn=self.tasks.spawn)
        self._keep(dialog)
        dialog.show()

    def _retry_one(self, reg: Registration) -> None:
        if reg.result == "failure":
            self.tasks.spawn(self.manager.retry(reg), f"retry {reg.id}")

    def remove_selected(self) -> None:
        for reg in self.selected_registrations():
            self.tasks.spawn(self.manager.remove(reg, delete_files=False), f"remove {reg.id}")

    def remove_delete_selected(self) -> None:
        regs = self.selected_registrations()
        if not regs:
            return
        if not self.confirm(
            self.tr("Move files to the Trash"),
            self.tr("Remove {what} from the list and move its downloaded files to the "
                    "Trash?\n\nPartial files of unfinished downloads are deleted.").format(
                what=self._which(regs)),
        ):
            return
        for reg in regs:
            self.tasks.spawn(self._remove_to_trash(reg), f"remove {reg.id}")

    def _which(self, regs: Sequence[Registration]) -> str:
        """``“Episode 5”`` for one fetch, ``3 fetches`` for several."""
        if len(regs) == 1:
            return f"“{_name(regs[0])}”"
        return self.tr("{count} fetches").format(count=len(regs))

    async def _remove_to_trash(self, reg: Registration) -> None:
        """Forget the fetch, then move its finished files to the desktop's Trash.

        The engine deletes partial files when it aborts; finished ones are the
        user's and go where the desktop can bring them back.
        """
        finished = [reg.dest / row.filename for row in reg.row.requests
                    if row.complete and row.filename]
        own_folder = reg.dest.parent == self.manager.downloads_dir
        await self.manager.remove(reg, delete_files=False)
        kept = await asyncio.to_thread(move_to_trash, finished, reg.dest if own_folder else None)
        if kept:
            self.show_error(self.tr("Could not move {count} file(s) to the Trash; they are "
                                    "still in {folder}").format(count=len(kept),
                                                                folder=reg.dest), dialog=True)

    def pause_all(self) -> None:
        for reg in self.manager.registrations():
            # A fetch that cannot be paused (a POST in it) says why when paused alone.
            if reg.active and reg.state != State.PAUSED and not reg.pause_refusal:
                self.tasks.spawn(self.manager.pause(reg), f"pause {reg.id}")

    def resume_all(self) -> None:
        for reg in self.manager.registrations():
            if reg.active and reg.state == State.PAUSED:
                self.tasks.spawn(self.manager.resume(reg), f"resume {reg.id}")

    def pause_key(self, key: int) -> None:
        for reg in self._registrations([key]):
            self.tasks.spawn(self.manager.pause(reg), f"pause {reg.id}")

    def resume_key(self, key: int) -> None:
        for reg in self._registrations([key]):
            self.tasks.spawn(self.manager.resume(reg), f"resume {reg.id}")

    def speed_limit_active(self) -> bool:
        """Whether the configured limit applies (the tray's toggle, as the user left it)."""
        return not _flag(self.state.value(SPEED_LIMIT_OFF_KEY, False))

    def set_speed_limit_active(self, active: bool) -> None:
        """The tray's toggle: the configured limit, or none; kept for the next start."""
        self.state.setValue(SPEED_LIMIT_OFF_KEY, not active)
        self.manager.limiter.rate = global_rate(self.manager.settings) if active else 0

    def set_alt_speed(self, on: bool) -> None:
        """The tray's alternative-limit toggle (docs/contracts.md §9), kept for the next
        start."""
        self.manager.set_alt_speed(on)
        try:
            if self.data_dir is not None:
                self.manager.settings.save(self.data_dir)
        except OSError as exc:
            self.show_error(self.tr("Could not save the settings: {error}").format(error=exc))

    def open_downloads(self) -> None:
        self.open_url(QUrl.fromLocalFile(str(self.manager.downloads_dir)))

    def open_readme(self) -> None:
        self.open_url(QUrl(README_URL))

    def request_quit(self) -> None:
        """Quit; with unfinished fetches, ask once (they resume at the next start)."""
        unfinished = sum(1 for reg in self.manager.registrations() if reg.active)
        if unfinished and not _flag(self.state.value(QUIT_UNASKED_KEY, False)):
            text = (self.tr("1 fetch is not finished. It continues where it stopped the next "
                            "time bgfetch starts.\n\nQuit now?") if unfinished == 1 else
                    self.tr("{count} fetches are not finished. They continue where they "
                            "stopped the next time bgfetch starts.\n\nQuit now?").format(
                        count=unfinished))
            leave, dont_ask = self.ask_quit(text)
            if dont_ask:
                self.state.setValue(QUIT_UNASKED_KEY, True)
            if not leave:
                return
        self.quit_requested.emit()

    def focus_search(self) -> None:
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def _activated(self, index: QModelIndex) -> None:
        snap = self.proxy.mapToSource(index).data(Role.SNAPSHOT)
        if snap is not None:
            self.open_url(QUrl.fromLocalFile(str(snap.dest)))

    def _context_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        _fill_menu(menu, self.actions_by_name, ("pause", "resume", "abort", "retry", None,
                                                "open_folder", "show_files", None, "remove",
                                                "remove_delete"))
        running = [reg for reg in self.selected_registrations() if reg.active]
        if running:
            menu.addMenu(speed_limit_menu(menu, self.manager, running))
            menu.addMenu(queue_menu(menu, self.manager, running))
            menu.addMenu(start_at_menu(menu, self.manager, running))
        menu.popup(self.view.viewport().mapToGlobal(pos))

    def _queue_reordered(self) -> None:
        """Sorted by queue order, a moved fetch moves at once, even while the pointer
        holds the other sorts (hold_sorting): the user moved it (docs/contracts.md §10)."""
        if self.proxy.sortColumn() == Column.QUEUE:
            self.proxy.invalidate()

    def _drop_in_queue(self, keys: list[int], before: int | None) -> None:
        regs = self._registrations(keys)
        target = self.manager.registration(before) if before is not None else None
        self.manager.move_before(regs, target)
        places = [place for place, reg in enumerate(self.manager.queue(), 1) if reg in regs]
        if places:
            self.statusBar().showMessage(self.tr("Moved to place {place} in the queue").format(
                place=places[0]), 5000)

    # -- new fetches ----------------------------------------------------------------------

    def new_fetch(self, urls: list[str] | None = None) -> NewFetchDialog:
        """Open the New fetch dialog (non-modal); registering happens when it is accepted."""
        dialog = NewFetchDialog(
            self, urls=urls, default_folder=self.manager.downloads_dir, use_clipboard=not urls,
            type_rules=self.manager.type_rules(),
        )
        dialog.accepted.connect(lambda: self.register(dialog.spec()))
        self._keep(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        return dialog

    def register(self, spec: FetchSpec) -> None:
        self.tasks.spawn(self._register(spec), "new fetch")

    async def _register(self, spec: FetchSpec) -> None:
        try:
            reg = await self.manager.fetch(spec.id, spec.requests, spec.options, dest=spec.dest)
        except BgfetchError as exc:
            self.show_error(self.tr("Could not add the fetch: {error}").format(error=exc),
                            dialog=True)
            return
        self.statusBar().showMessage(self.tr("Added “{name}”").format(name=_name(reg)), 5000)
        self.fetch_registered.emit(reg.id)

    def open_link(self, text: str) -> None:
        """A ``bgfetch:`` link: fetch its manifest, then ask before registering it."""
        self.tasks.spawn(self._open_link(text), "bgfetch: link")

    async def _open_link(self, text: str) -> None:
        # The manifest is read on the loop (aiohttp, DNS in its resolver thread): the
        # window keeps painting while a slow server answers.
        try:
            linked = await links.resolve(text, self.manager.sessions)
        except BgfetchError as exc:
            self.show_and_raise()
            self.show_error(self.tr("Could not open the link: {error}").format(error=exc),
                            dialog=True)
            return
        self.show_and_raise()
        prompt = LinkPrompt(linked, self.register, self)
        self._keep(prompt)
        prompt.open()

    def register_manifest(self, path: Path) -> None:
        try:
            spec = load_manifest(path)
        except BgfetchError as exc:
            self.show_error(str(exc), dialog=True)
            return
        self.register(spec)

    # -- drag and drop ---------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if _dropped_items(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        items = _dropped_items(event.mimeData())
        if not items:
            event.ignore()
            return
        event.acceptProposedAction()
        self.accept_items(items)

    def accept_items(self, items: Sequence[str]) -> None:
        """Dropped or handed-over things: manifests register at once, URLs open the dialog."""
        intake = sort_arguments(items)
        for path in intake.manifests:
            self.register_manifest(path)
        for link in intake.links:
            self.open_link(link)
        if intake.urls:
            self.new_fetch(intake.urls)
        for error in intake.errors:
            self.show_error(error)

    # -- settings ------------------------------------------------------------------------

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(
            self.manager.settings, self, default_download_dir=downloads_dir(""), sites=self.sites
        )
        dialog.accepted.connect(lambda: self.apply_settings(dialog.settings()))
        self._keep(dialog)
        dialog.show()
        return dialog

    def apply_settings(self, settings: Settings) -> None:
        """Take new settings into use now, and keep them for the next start."""
        self.manager.downloads_dir = downloads_dir(settings.download_dir)
        self.manager.apply_settings(settings)
        self.set_speed_limit_active(self.speed_limit_active())  # new numbers, same toggle
        try:
            if self.data_dir is not None:
                settings.save(self.data_dir)
            autostart.set_enabled(settings.start_at_login)
        except OSError as exc:
            self.show_error(self.tr("Could not save the settings: {error}").format(error=exc),
                            dialog=True)
        self.settings_applied.emit(settings)

    # -- messages ------------------------------------------------------------------------

    def show_error(self, message: str, *, dialog: bool = False) -> None:
        log.warning("%s", message)
        self.statusBar().showMessage(message, 10_000)
        if dialog and self.isVisible():
            box = QMessageBox(QMessageBox.Icon.Warning, "bgfetch", message,
                              QMessageBox.StandardButton.Ok, self)
            self._keep(box)
            box.open()

    def show_about(self) -> QMessageBox:
        box = QMessageBox(QMessageBox.Icon.NoIcon, self.tr("About bgfetch"), present.about_text(),
                          QMessageBox.StandardButton.Ok, self)
        box.setObjectName("about")
        box.setIconPixmap(app_icon().pixmap(64, 64))
        self._keep(box)
        box.open()
        return box

    def quit_box(self, text: str) -> QMessageBox:
        """Quit now? (with unfinished fetches), and Do not ask again."""
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Quit bgfetch"), text,
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel, self)
        box.setDefaultButton(QMessageBox.StandardButton.Yes)
        box.setCheckBox(QCheckBox(self.tr("Do not ask again")))
        return box

    def _ask_quit(self, text: str) -> tuple[bool, bool]:
        box = self.quit_box(text)
        answer = box.exec()
        return answer == QMessageBox.StandardButton.Yes, box.checkBox().isChecked()

    def _ask(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(
            self, title, text,
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Yes

    def _show_summary(self, _summary: Summary) -> None:
        self._update_count()

    def _update_count(self, *_args: object) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self._summary_label.setText(present.status_line(self.model.summary, shown, total))

    def _filter_changed(self, _index: int) -> None:
        self.proxy.set_category(self.filter_combo.currentData())

    def _keep(self, widget: QWidget) -> None:
        """Keep a non-modal dialog alive until it closes."""
        self._dialogs.append(widget)
        widget.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        widget.destroyed.connect(lambda *_: self._dialogs.remove(widget)
                                 if widget in self._dialogs else None)

    # -- window state -------------------------------------------------------------------

    def restore_state(self) -> None:
        geometry = self.state.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1000, 560)
        header = self.state.value("main/header")
        if isinstance(header, QByteArray) and not header.isEmpty():
            self.view.horizontalHeader().restoreState(header)
        filter_index = self.state.value("main/filter", 0)
        with contextlib.suppress(TypeError, ValueError):
            self.filter_combo.setCurrentIndex(int(filter_index))  # type: ignore[call-overload]

    def save_state(self) -> None:
        self.state.setValue("main/geometry", self.saveGeometry())
        self.state.setValue("main/header", self.view.horizontalHeader().saveState())
        self.state.setValue("main/filter", self.filter_combo.currentIndex())
        self.state.sync()

    def show_fetch(self, fetch_id: str | None = None) -> None:
        """Raise the window, on fetch ``fetch_id`` if given (a notification was clicked)."""
        self.show_and_raise()
        if not fetch_id:
            return
        try:
            key = self.manager.find(fetch_id).key
        except BgfetchError:
            return
        self.model.flush()  # a fetch registered a moment ago may still be batched
        if not self.select_key(key):
            self.filter_combo.setCurrentIndex(0)
            self.search_edit.clear()
            self.select_key(key)

    def notification_sink(self, _key: str, content: object | None) -> None:
        """Where notifications go when the desktop has no notification service."""
        title = getattr(content, "title", "")
        body = getattr(content, "body", "")
        if content is not None and not getattr(content, "ongoing", False):
            self.statusBar().showMessage(f"{title} — {body}" if body else title, 10_000)

    def show_and_raise(self) -> None:
        self.show()
        if self.isMinimized():
            self.showNormal()
        self.raise_()
        self.activateWindow()

    def toggle_visible(self) -> None:
        if self.isVisible() and not self.isMinimized():
            self.save_state()
            self.hide()
        else:
            self.show_and_raise()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.hide_on_close:
            # bgfetch keeps downloading in the tray; Quit is the way out.
            event.ignore()
            self.hide()
            if not _flag(self.state.value(TOLD_TRAY_KEY, False)):
                self.state.setValue(TOLD_TRAY_KEY, True)
                self.closed_to_tray.emit()
        else:
            event.accept()
            self.quit_requested.emit()


def _fill_menu(menu: QMenu, actions: dict[str, QAction], names: Sequence[str | None]) -> None:
    """Add ``actions`` by name; None is a separator."""
    for name in names:
        if name is None:
            menu.addSeparator()
        else:
            menu.addAction(actions[name])


def move_to_trash(paths: Sequence[Path], folder: Path | None) -> list[Path]:
    """Move ``paths`` to the Trash, then ``folder`` too if that left it empty (our own
    bundle folder); the paths that could not be moved. Runs off the GUI thread."""
    kept = [path for path in paths if path.exists() and not QFile.moveToTrash(str(path))]
    if folder is not None and not kept:
        with contextlib.suppress(OSError):
            folder.rmdir()  # only if empty
    return kept


def _flag(value: object) -> bool:
    """A boolean from QSettings, which gives INI values back as strings."""
    return value is True or str(value).lower() == "true"


def _name(reg: Registration) -> str:
    return reg.title or reg.id


def _dropped_items(mime: QMimeData) -> list[str]:
    """URLs and manifest paths in a drag: links from a browser, files from a file manager."""
    items: list[str] = []
    for url in mime.urls():
        if url.isLocalFile():
            path = url.toLocalFile()
            if is_manifest(path):
                items.append(path)
        elif url.scheme() in ("http", "https"):
            items.append(url.toString())
    if not items and mime.hasText():
        items = [line.strip() for line in mime.text().splitlines()
                 if line.strip().lower().startswith(("http://", "https://"))]
    return items
