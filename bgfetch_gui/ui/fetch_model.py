"""The list of fetches as one Qt item model (never a widget per row).

The engine speaks in plain-Python events; this model is the thin adapter that
turns them into Qt's model signals. Two things keep it smooth with 10,000
rows:

* a key → row dictionary, so an engine event finds its row in O(1);
* batching: events only mark rows dirty, and a single-shot timer flushes at
  most every ``batch_ms`` (100 ms) — one ``dataChanged`` per contiguous run
  of dirty rows, one insert for every fetch registered meanwhile, one removal
  per contiguous run of removed rows. A fetch reporting progress 10 times a
  second therefore costs the view one repaint per flush, not ten.

Rows are newest first: the fetch the user just added is the one they look for.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.model import Snapshot, State
from bgfetch_gui.i18n import translate
from bgfetch_gui.presentation.fetch_words import fraction, total_bytes
from bgfetch_gui.qt import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from bgfetch_gui.ui import present, queue_drag
from bgfetch_gui.ui.present import Summary

if TYPE_CHECKING:
    from bgfetch_gui.engine.manager import FetchManager
    from bgfetch_gui.engine.registration import Registration
    from bgfetch_gui.ui.icons import IconProvider

BATCH_MS = 100

AnyIndex = QModelIndex | QPersistentModelIndex


class Column(enum.IntEnum):
    TITLE = 0
    PROGRESS = 1
    SIZE = 2
    SPEED = 3
    ETA = 4
    STATE = 5
    QUEUE = 6  # the place in the queue of an active fetch (docs/contracts.md §10)


def header(column: Column) -> str:
    """The column's title in the user's language."""
    titles = {
        Column.TITLE: translate("FetchListModel", "Name"),
        Column.PROGRESS: translate("FetchListModel", "Progress"),
        Column.SIZE: translate("FetchListModel", "Size"),
        Column.SPEED: translate("FetchListModel", "Speed"),
        Column.ETA: translate("FetchListModel", "Time left"),
        Column.STATE: translate("FetchListModel", "Status"),
        Column.QUEUE: translate("FetchListModel", "Queue"),
    }
    return titles[column]


class Role(enum.IntEnum):
    """Model roles beyond Qt's own; each returns the same value in every column."""

    KEY = Qt.ItemDataRole.UserRole + 1
    ID = enum.auto()
    TITLE = enum.auto()
    FRACTION = enum.auto()  # float 0..1, or None when the size is unknown
    SIZE_TEXT = enum.auto()
    SPEED_TEXT = enum.auto()
    ETA_TEXT = enum.auto()
    STATE_TEXT = enum.auto()
    STATE = enum.auto()  # engine State
    CATEGORY = enum.auto()  # present.Category
    SNAPSHOT = enum.auto()
    SORT = enum.auto()  # a comparable value for the column's sort


_STATE_ORDER = {
    State.DOWNLOADING: 0,
    State.RETRYING: 1,
    State.QUEUED: 2,
    State.WAITING_FOR_NETWORK: 3,
    State.PAUSED: 4,
    State.FAILURE: 5,
    State.SUCCESS: 6,
}

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
_RIGHT_COLUMNS = (Column.SIZE, Column.SPEED, Column.ETA, Column.QUEUE)
_QUEUE_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole)


@dataclass(slots=True)
class Entry:
    """What the model keeps per row: the latest snapshot and the fetch's kind."""

    snap: Snapshot
    kind: str = "file"


def runs(rows: Iterable[int]) -> list[tuple[int, int]]:
    """Sorted rows as inclusive ``(first, last)`` runs: ``[1, 2, 3, 7]`` → ``[(1, 3), (7, 7)]``."""
    out: list[tuple[int, int]] = []
    for row in sorted(rows):
        if out and row == out[-1][1] + 1:
            out[-1] = (out[-1][0], row)
        else:
            out.append((row, row))
    return out


class FetchListModel(QAbstractTableModel):
    """Every registration, active and settled, as rows of a table."""

    summary_changed = Signal(object)  # Summary, after a flush that touched an active fetch
    queue_drop = Signal(list, object)  # dragged keys, the key they go before (None: bottom)
    flushed = Signal()
    queue_reordered = Signal()  # after a flush that changed a place in the queue

    def __init__(
        self,
        icons: IconProvider | None = None,
        parent: QObject | None = None,
        *,
        batch_ms: int = BATCH_MS,
    ) -> None:
        super().__init__(parent)
        self._icons = icons
        self._keys: list[int] = []  # row → key
        self._rows: dict[int, int] = {}  # key → row
        self._entries: dict[int, Entry] = {}
        self._active: set[int] = set()  # keys of active fetches, for the summary
        self._dirty: set[int] = set()
        self._inserted: dict[int, Snapshot] = {}
        self._removed: set[int] = set()
        self._summary_dirty = False
        self._summary = Summary()
        self._kind_lookup: Callable[[Sequence[int]], dict[int, str]] | None = None
        self._queue_lookup: Callable[[], dict[int, int]] | None = None
        self._queue_places: dict[int, int] = {}  # key → place of each active fetch, from 1
        self._unsubscribe: Callable[[], None] | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(batch_ms)
        self._timer.timeout.connect(self.flush)
        # "Retrying in 12 s" counts down although no event arrives meanwhile.
        self._retrying: set[int] = set()
        self._countdown = QTimer(self)
        self._countdown.setInterval(1000)
        self._countdown.timeout.connect(self._tick)
        if icons is not None:
            icons.icon_loaded.connect(self._on_icon_loaded)

    # -- feeding the model ------------------------------------------------------

    def attach(self, manager: FetchManager) -> None:
        """Show ``manager``'s registrations and follow its events."""
        self.detach()

        def kinds(keys: Sequence[int]) -> dict[int, str]:
            found = (manager.registration(key) for key in keys)
            return {reg.key: _kind_of(reg) for reg in found if reg is not None}

        self._kind_lookup = kinds
        self._queue_lookup = lambda: {reg.key: place
                                      for place, reg in enumerate(manager.queue(), start=1)}
        self.load(manager.registrations())
        self._unsubscribe = manager.events.subscribe(self.on_event)

    def detach(self) -> None:
        if self._unsubscribe is not None:
            self._unsubscribe()
            self._unsubscribe = None

    def load(self, registrations: Iterable[Registration]) -> None:
        """Replace every row (oldest-first input, shown newest first)."""
        self.beginResetModel()
        self._entries = {reg.key: Entry(reg.snapshot(), _kind_of(reg)) for reg in registrations}
        self._keys = list(reversed(self._entries))
        self._rows = {key: row for row, key in enumerate(self._keys)}
        self._active = {key for key, e in self._entries.items() if e.snap.active}
        self._dirty.clear()
        self._inserted.clear()
        self._removed.clear()
        self._queue_places = self._queue_lookup() if self._queue_lookup else {}
        self.endResetModel()
        self._summary_dirty = True
        self._update_summary()

    def on_event(self, event: FetchEvent) -> None:
        """Engine subscriber: remember what changed; the timer shows it."""
        snap = event.snapshot
        key = snap.key
        if event.kind == EventKind.REMOVED:
            if self._inserted.pop(key, None) is None and key in self._entries:
                self._removed.add(key)
            self._dirty.discard(key)
            if key in self._active:
                self._active.discard(key)
                self._summary_dirty = True
        elif key in self._inserted or (key not in self._entries and key not in self._removed):
            self._inserted[key] = snap
        elif key in self._entries and key not in self._removed:
            self._entries[key].snap = snap
            self._dirty.add(key)
        else:
            return
        if event.kind != EventKind.REMOVED and snap.state == State.RETRYING:
            self._retrying.add(key)
            if not self._countdown.isActive():
                self._countdown.start()
        else:
            self._retrying.discard(key)
        if event.kind != EventKind.REMOVED:
            was_active = key in self._active
            if snap.active:
                self._active.add(key)
            else:
                self._active.discard(key)
            self._summary_dirty = self._summary_dirty or was_active or snap.active
        if not self._timer.isActive():
            self._timer.start()

    def flush(self) -> None:
        """Apply everything batched since the last flush, with as few signals as possible."""
        self._timer.stop()
        structure_changed = bool(self._removed or self._inserted)
        queue_may_change = structure_changed or bool(self._dirty)
        if self._removed:
            for first, last in reversed(runs(self._rows[k] for k in self._removed)):
                self.beginRemoveRows(QModelIndex(), first, last)
                for key in self._keys[first : last + 1]:
                    del self._entries[key]
                del self._keys[first : last + 1]
                self.endRemoveRows()
            self._removed.clear()
        if self._inserted:
            new_keys = list(reversed(self._inserted))  # newest first
            kinds = self._kind_lookup(new_keys) if self._kind_lookup else {}
            self.beginInsertRows(QModelIndex(), 0, len(new_keys) - 1)
            for key, snap in self._inserted.items():
                self._entries[key] = Entry(snap, kinds.get(key, "file"))
            self._keys[0:0] = new_keys
            self._inserted.clear()
            self._rows = {key: row for row, key in enumerate(self._keys)}
            self.endInsertRows()
        elif structure_changed:
            self._rows = {key: row for row, key in enumerate(self._keys)}
        if self._dirty:
            last_column = len(Column) - 1
            for first, last in runs(self._rows[k] for k in self._dirty if k in self._rows):
                self.dataChanged.emit(self.index(first, 0), self.index(last, last_column))
            self._dirty.clear()
        if queue_may_change:
            self._update_queue_places()
        self._update_summary()
        self.flushed.emit()

    def _update_queue_places(self) -> None:
        """A move, a new or a settled fetch shifts the places of others, which send no
        event of their own: compare every place once per flush."""
        if self._queue_lookup is None:
            return
        places = self._queue_lookup()
        if places == self._queue_places:
            return
        changed = {key for key in places.keys() | self._queue_places.keys()
                   if places.get(key) != self._queue_places.get(key)}
        self._queue_places = places
        for first, last in runs(self._rows[k] for k in changed if k in self._rows):
            self.dataChanged.emit(self.index(first, Column.QUEUE), self.index(last, Column.QUEUE))
        self.queue_reordered.emit()

    def _update_summary(self) -> None:
        if not self._summary_dirty:
            return
        self._summary_dirty = False
        entries = self._entries
        self._summary = present.summarize(entries[k].snap for k in self._active if k in entries)
        self.summary_changed.emit(self._summary)

    def _tick(self) -> None:
        if not self._retrying:
            self._countdown.stop()
            return
        self._dirty.update(self._retrying)
        if not self._timer.isActive():
            self._timer.start()

    def _on_icon_loaded(self, src: str) -> None:
        for key, entry in self._entries.items():
            if any(icon.src == src for icon in entry.snap.icons):
                self._dirty.add(key)
        if self._dirty and not self._timer.isActive():
            self._timer.start()

    # -- reading ------------------------------------------------------------------

    @property
    def summary(self) -> Summary:
        return self._summary

    def snapshot_at(self, row: int) -> Snapshot:
        return self._entries[self._keys[row]].snap

    def entry_at(self, row: int) -> Entry:
        return self._entries[self._keys[row]]

    def row_of(self, key: int) -> int | None:
        """The row showing registration ``key`` (None if not shown yet or removed)."""
        return self._rows.get(key)

    def key_at(self, row: int) -> int:
        return self._keys[row]

    def sort_key(self, row: int, column: int) -> Any:
        """What row ``row`` sorts by in ``column``: active fetches by their place in
        the queue, settled ones after them."""
        return self._sort_value(self.snapshot_at(row), column)

    def _sort_value(self, snap: Snapshot, column: int) -> Any:
        if column == Column.QUEUE:
            return self._queue_places.get(snap.key, math.inf)
        return sort_value(snap, column)

    def snapshots(self) -> list[Snapshot]:
        return [self._entries[k].snap for k in self._keys]

    # -- QAbstractTableModel ------------------------------------------------------

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._keys)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return header(Column(section))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return _RIGHT if section in _RIGHT_COLUMNS else _LEFT
        return None

    def flags(self, index: AnyIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.ItemIsDropEnabled  # between rows: a move in the queue
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if index.row() < len(self._keys) and self._keys[index.row()] in self._active:
            flags |= Qt.ItemFlag.ItemIsDragEnabled
        return flags

    # -- dragging rows: queue order (ui/queue_drag.py) ----------------------------------

    def mimeTypes(self) -> list[str]:
        return [queue_drag.MIME_TYPE]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        keys = (self._keys[index.row()] for index in sorted(indexes, key=lambda i: i.row()))
        return queue_drag.keys_mime(key for key in keys if key in self._active)

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def dropMimeData(self, data: QMimeData, action: Qt.DropAction, row: int, column: int,
                     parent: AnyIndex) -> bool:
        """A drop above ``row`` (-1 or past the end: the bottom) asks for a queue move;
        no row moves here, the engine's events show the outcome."""
        return self.drop_above(data, action, self._keys[row:] if row >= 0 else [])

    def drop_above(self, data: QMimeData, action: Qt.DropAction, below: Sequence[int]) -> bool:
        """A drop above the rows of ``below``, keys in the order shown (docs/contracts.md
        §10): a sorted list (by queue, say) shows them in another order than the model."""
        keys = queue_drag.dropped_keys(data)
        if action != Qt.DropAction.MoveAction or not keys:
            return False
        self.queue_drop.emit(keys, queue_drag.drop_before(below, keys, self._active))
        return False  # True would have the view remove the dragged rows

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = index.row()
        if row >= len(self._keys):
            return None
        entry = self._entries[self._keys[row]]
        snap = entry.snap
        column = index.column()
        if column == Column.QUEUE and role in _QUEUE_TEXT_ROLES:
            place = self._queue_places.get(snap.key)
            return "" if place is None else str(place)
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(snap, column)
        if role == Qt.ItemDataRole.DecorationRole:
            if column == Column.TITLE and self._icons is not None:
                return self._icons.fetch_icon(snap.icons, entry.kind)
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(snap, column)
        if role == Qt.ItemDataRole.AccessibleTextRole:
            # The progress cell is painted, not written: it says the whole row aloud.
            return present.spoken(snap) if column == Column.PROGRESS else _display(snap, column)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole:
            return translate("FetchListModel", "{column} of {title}").format(
                column=header(Column(column)), title=present.display_title(snap))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in _RIGHT_COLUMNS:
                return _RIGHT
            return _CENTER if column == Column.PROGRESS else _LEFT
        if role >= Role.KEY:
            return self._role_data(entry, Role(role), column)
        return None

    def _role_data(self, entry: Entry, role: Role, column: int) -> Any:
        snap = entry.snap
        if role == Role.KEY:
            return snap.key
        if role == Role.ID:
            return snap.id
        if role == Role.TITLE:
            return present.display_title(snap)
        if role == Role.FRACTION:
            return fraction(snap)
        if role == Role.SIZE_TEXT:
            return present.size_text(snap)
        if role == Role.SPEED_TEXT:
            return present.speed_text(snap)
        if role == Role.ETA_TEXT:
            return present.eta_text(snap)
        if role == Role.STATE_TEXT:
            return present.state_words(snap)
        if role == Role.STATE:
            return snap.state
        if role == Role.CATEGORY:
            return present.category(snap)
        if role == Role.SNAPSHOT:
            return snap
        return self._sort_value(snap, column)  # Role.SORT


def sort_value(snap: Snapshot, column: int) -> Any:
    """What the column sorts by: numbers, not the words shown."""
    if column == Column.TITLE:
        return present.display_title(snap).casefold()
    if column == Column.PROGRESS:
        value = fraction(snap)
        return -1.0 if value is None else value
    if column == Column.SIZE:
        return total_bytes(snap) or snap.downloaded
    if column == Column.SPEED:
        return snap.speed
    if column == Column.ETA:
        eta = present.eta_seconds(snap)
        return math.inf if eta is None else eta
    return _STATE_ORDER.get(snap.state, 99)


def _display(snap: Snapshot, column: int) -> str:
    if column == Column.TITLE:
        return present.display_title(snap)
    if column == Column.PROGRESS:
        return present.percent_text(snap)
    if column == Column.SIZE:
        return present.size_text(snap)
    if column == Column.SPEED:
        return present.speed_text(snap)
    if column == Column.ETA:
        return present.eta_text(snap)
    return present.state_words(snap)


def _tooltip(snap: Snapshot, column: int) -> str:
    state = present.state_words(snap)
    if column == Column.STATE:
        return state
    return translate("FetchListModel", "{title}\n{state}\nid: {id}\nfolder: {folder}").format(
        title=present.display_title(snap), state=state, id=snap.id, folder=snap.dest)


def _kind_of(reg: Registration) -> str:
    return present.kind_of(r.request.url for r in reg.row.requests)

