"""The presenter: calm notifications, kept in step with the engine.

Exists so the engine knows nothing of notifications: :class:`FetchNotifications`
subscribes to the engine's events, turns each fetch's :class:`Snapshot` into
plain :class:`NotificationContent` (:func:`notification_for`, pure, so the
texts are testable without a desktop), asks a :class:`Notifier` to show or
close it, and runs the actions the user picks (pause, cancel, retry, open the
folder, show the window).

Calm with fifty fetches (docs/contracts.md §6):

* a fetch gets a live progress notification only once it has been
  downloading for :data:`PROGRESS_AFTER_S`; a queued, waiting or paused fetch
  that never ran gets none, so the user's own "Pause all" / "Resume all"
  raises nothing new (a live notification is updated in place);
* outcomes that come within :data:`GROUP_WINDOW_S` of each other share one
  notification ("12 fetches finished", clicked: the window);
* :class:`NotifyEvents` says which kinds of event notify at all.
"""

from __future__ import annotations

import asyncio
import logging
import math
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.icons import best_icon_file
from bgfetch_gui.engine.model import Icon, Record, Snapshot, State
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.i18n import translate
from bgfetch_gui.platform.notifications.notifier import (
    DEFAULT_ACTION,
    Category,
    CloseReason,
    NotificationAction,
    NotificationContent,
    Notifier,
)
from bgfetch_gui.presentation.fetch_words import (
    failure_text,
    fraction,
    retry_text,
    skipped_text,
)

if TYPE_CHECKING:
    from bgfetch_gui.engine.manager import FetchManager

log = logging.getLogger("bgfetch.notifications")


# -- opening the bundle folder -------------------------------------------------------


def open_folder_default(path: Path) -> None:
    """Open ``path`` in the file manager.

    ``QDesktopServices`` asks the platform plugin: on ``xcb`` Qt runs
    ``xdg-open`` itself (or the desktop portal in a sandbox), but plugins
    without desktop services, such as ``offscreen``, refuse (openUrl returns
    False and nothing runs). On Linux and the BSDs we then start ``xdg-open``
    ourselves, detached, so the click is never lost.
    """
    url = QUrl.fromLocalFile(str(path))
    if QDesktopServices.openUrl(url):
        return
    if sys.platform in ("win32", "darwin"):
        log.warning("could not open %s", path)
        return
    started, _pid = QProcess.startDetached("xdg-open", [str(path)])
    if not started:
        log.warning("could not open %s: xdg-open did not start", path)


# -- the presenter ---------------------------------------------------------------------

ICON_SIZE = 64  # what notification servers draw an image at, give or take


ACTION_CLOSE_WINDOW = 2.0
PROGRESS_AFTER_S = 2.0  # a fetch that ends sooner never gets a progress notification
OUTCOME_DELAY_S = 1.0  # outcomes are gathered this long before the first is shown
GROUP_WINDOW_S = 4.0  # an outcome this soon after the last one joins its notification
GROUP_TITLES = 3  # titles named in a group's body before "and N more"
NEARLY_DONE = 0.9  # a fetch this far gets no new progress notification
# A shown progress notification is rebuilt at most this often: servers draw it no
# faster (dbus_notifier.UpdateThrottle), and its texts cost more than the event itself.
PROGRESS_UPDATE_S = 1.0


def local_icon(
    icons: Sequence[Icon], size: int = ICON_SIZE, cache_dir: Path | None = None
) -> Path | None:
    """The icon file that best fits ``size``: a local icon, or a remote one the
    window has already downloaded into ``cache_dir`` (none is fetched here)."""
    return best_icon_file(icons, size, cache_dir)


def _state_word(state: State) -> str | None:
    """What a fetch that moves no bytes is doing, in the user's language."""
    words = {
        State.QUEUED: translate("notifications", "Queued"),
        State.WAITING_FOR_NETWORK: translate("notifications", "Waiting for network"),
        State.PAUSED: translate("notifications", "Paused"),
        State.RETRYING: translate("notifications", "Retrying"),
    }
    return words.get(state)


def progress_text(snapshot: Snapshot) -> tuple[str, int | None]:
    """``45% · 27.0 MiB of 60.0 MiB · 2.1 MiB/s`` and the percentage, for a running fetch."""
    total = snapshot.expected_size
    if not total and snapshot.download_total:
        total = snapshot.download_total
    parts: list[str] = []
    percent: int | None = None
    if snapshot.state == State.RETRYING:
        parts.append(retry_text(snapshot))
    elif (word := _state_word(snapshot.state)) is not None:
        parts.append(word)
    if total:
        percent = max(0, min(100, math.floor(100 * snapshot.downloaded / total)))
        if snapshot.state == State.DOWNLOADING:
            parts.append(f"{percent}%")
        parts.append(translate("notifications", "{done} of {total}").format(
            done=human_size(snapshot.downloaded), total=human_size(total)))
    elif snapshot.downloaded or snapshot.state == State.DOWNLOADING:
        parts.append(human_size(snapshot.downloaded))
    if snapshot.state == State.DOWNLOADING and snapshot.speed > 0:
        parts.append(f"{human_size(snapshot.speed)}/s")
    return " · ".join(parts), percent


def notification_for(
    snapshot: Snapshot, records: Sequence[Record] = (), icon_cache: Path | None = None
) -> NotificationContent | None:
    """What to show for a fetch in this state; None means "no notification"."""
    name = snapshot.title or snapshot.id
    icon = local_icon(snapshot.icons, cache_dir=icon_cache)
    if snapshot.active:
        body, percent = progress_text(snapshot)
        control = (
            (NotificationAction("resume", translate("notifications", "Resume")),)
            if snapshot.state == State.PAUSED
            else (NotificationAction("pause", translate("notifications", "Pause")),)
            if snapshot.pausable
            else ()  # a POST in it: pausing would send it twice
        )
        return NotificationContent(
            title=name,
            body=body,
            actions=(
                NotificationAction(DEFAULT_ACTION, translate("notifications", "Show")),
                *control,
                NotificationAction("cancel", translate("notifications", "Cancel")),
            ),
            progress=percent,
            category=Category.TRANSFER,
            icon=icon,
            ongoing=True,
            phase=str(snapshot.state),
        )
    if snapshot.result == "success":
        files = [r for r in records if r.complete]
        size = sum(r.size for r in files)
        count = (translate("notifications", "1 file, {size}") if len(files) == 1
                 else translate("notifications", "{count} files, {size}"))
        body = count.format(count=len(files), size=human_size(size))
        if snapshot.files_skipped:  # docs/contracts.md §13
            body = f"{skipped_text(snapshot)}, {human_size(size)}"
        return NotificationContent(
            title=translate("notifications", "{name} downloaded").format(name=name),
            body=body,
            actions=(
                NotificationAction(DEFAULT_ACTION, translate("notifications", "Open folder")),
                NotificationAction("show", translate("notifications", "Show")),
            ),
            category=Category.COMPLETE,
            icon=icon,
        )
    if snapshot.failure_reason == "aborted":
        return None
    return NotificationContent(
        title=translate("notifications", "{name} failed").format(name=name),
        body=failure_text(snapshot),
        actions=(
            NotificationAction(DEFAULT_ACTION, translate("notifications", "Show")),
            NotificationAction("retry", translate("notifications", "Retry")),
        ),
        category=Category.ERROR,
        icon=icon,
    )


def group_notification(snapshots: Sequence[Snapshot], *, success: bool) -> NotificationContent:
    """One notification for several outcomes: ``12 fetches finished``, clicked: the window."""
    names = [s.title or s.id for s in snapshots[:GROUP_TITLES]]
    more = len(snapshots) - len(names)
    body = ", ".join(names)
    if more:
        body = translate("notifications", "{names} and {count} more").format(
            names=body, count=more)
    title = (translate("notifications", "{count} fetches finished") if success
             else translate("notifications", "{count} fetches failed")).format(
                 count=len(snapshots))
    return NotificationContent(
        title=title,
        body=body,
        actions=(NotificationAction(DEFAULT_ACTION, translate("notifications", "Show")),),
        category=Category.COMPLETE if success else Category.ERROR,
    )


def _looks_alike(shown: Snapshot, snapshot: Snapshot) -> bool:
    """Whether ``snapshot`` differs from the progress ``shown`` only in its numbers."""
    return (shown.state == snapshot.state and shown.pausable == snapshot.pausable
            and shown.title == snapshot.title and shown.icons == snapshot.icons)


@dataclass(frozen=True)
class NotifyEvents:
    """Which events notify: the settings dialog's choices (``Settings.notify_*``)."""

    progress: bool = True
    done: bool = True
    failed: bool = True


@dataclass
class _Outcomes:
    """Outcomes of one kind (done or failed) that share, or will share, a notification."""

    success: bool
    pending: list[Snapshot] = field(default_factory=list)
    shown: list[Snapshot] = field(default_factory=list)
    nkey: str = ""  # the notification showing ``shown``
    last: float = 0.0  # monotonic time it was last shown


class FetchNotifications:
    """Keeps one notification per fetch in step with the engine, and runs its actions.

    Wire it once in ``app.py``::

        notifier = await notifier_chain(default_notifiers(tray=tray))
        notifications = FetchNotifications(manager, notifier, show_window=window.show_fetch)

    ``open_folder(path)`` opens a bundle folder (default:
    :func:`open_folder_default`); ``show_window(fetch_id)`` raises the main
    window on that fetch; ``enabled()`` is asked on every event (default:
    ``manager.settings.notifications``, so the settings dialog takes effect
    at once), and ``events()`` which kinds notify (default: the
    ``notify_*`` settings). A progress notification the user dismissed, or
    the server let expire, stays away until the fetch settles.
    """

    def __init__(
        self,
        manager: FetchManager,
        notifier: Notifier,
        *,
        open_folder: Callable[[Path], None] | None = None,
        show_window: Callable[[str], None] | None = None,
        enabled: Callable[[], bool] | None = None,
        events: Callable[[], NotifyEvents] | None = None,
        icon_cache: Path | None = None,
    ) -> None:
        self._manager = manager
        self.notifier = notifier
        self._icon_cache = icon_cache  # remote icons the window downloaded
        self._open_folder = open_folder or open_folder_default
        self._show_window = show_window
        self._enabled = enabled or (lambda: bool(manager.settings.notifications))
        self._events = events or (lambda: NotifyEvents(
            manager.settings.notify_progress, manager.settings.notify_done,
            manager.settings.notify_failed))
        self._shown: dict[int, Snapshot] = {}  # key -> last snapshot shown
        self._dismissed: set[int] = set()
        self._running_since: dict[int, float] = {}  # key -> when it began downloading
        self._built: dict[int, tuple[float, Snapshot]] = {}  # key -> last progress shown, when
        self._refresh: dict[int, asyncio.TimerHandle] = {}  # key -> its delayed update
        self._outcomes = {True: _Outcomes(True), False: _Outcomes(False)}
        self._flush: asyncio.TimerHandle | None = None
        # When the user last clicked an action of each fetch's notification: a
        # close right after it is the server's doing, not a dismissal.
        self._acted: dict[int, float] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        notifier.set_handlers(self._on_action, self._on_closed)
        self._unsubscribe = manager.events.subscribe(self._on_event)

    async def close(self) -> None:
        """Stop following the engine; take progress notifications off the screen."""
        self._unsubscribe()
        for key, snapshot in list(self._shown.items()):
            if snapshot.active:
                self.notifier.close(self._nkey(key))
        self._shown.clear()
        if self._flush is not None:
            self._flush.cancel()
        for key in list(self._refresh):
            self._stop_refresh(key)
        for task in list(self._tasks):
            task.cancel()
        self.notifier.set_handlers(None, None)

    @staticmethod
    def _nkey(key: int) -> str:
        return f"fetch-{key}"

    @staticmethod
    def _group_key(success: bool) -> str:
        return "group-done" if success else "group-failed"

    @staticmethod
    def _fetch_key(nkey: str) -> int | None:
        prefix, _, number = nkey.partition("-")
        return int(number) if prefix == "fetch" and number.isdigit() else None

    # -- engine → notifications ----------------------------------------------------

    def _on_event(self, event: FetchEvent) -> None:
        snapshot = event.snapshot
        key = snapshot.key
        if event.kind == EventKind.CLICK:
            return  # our own click, told to the page that registered the fetch
        if event.kind in (EventKind.ABORT, EventKind.REMOVED) or not self._enabled():
            # Cancelling and removing are the user's own doing: nothing to announce.
            self._withdraw(key)
            return
        if event.kind == EventKind.UPDATED and key not in self._shown:
            return
        if snapshot.active:
            self._on_active(snapshot)
        else:
            self._on_settled(snapshot)

    def _on_active(self, snapshot: Snapshot) -> None:
        key = snapshot.key
        if snapshot.state != State.DOWNLOADING:
            self._running_since.pop(key, None)
        if key in self._dismissed:
            return
        now = time.monotonic()
        if key not in self._shown:
            # Only a fetch that has been running a while earns a live notification:
            # queued, waiting and paused ones (a bulk pause or resume) raise nothing.
            if snapshot.state != State.DOWNLOADING:
                return
            if now - self._running_since.setdefault(key, now) < PROGRESS_AFTER_S:
                return
            if not self._events().progress:
                return
            if (fraction(snapshot) or 0.0) >= NEARLY_DONE:
                return  # its outcome comes in a moment: a progress popup would only flash
        built = self._built.get(key)
        if built is not None and _looks_alike(built[1], snapshot):
            due = built[0] + PROGRESS_UPDATE_S
            if now < due:
                # Only the numbers moved: the newest goes out when the interval is over.
                self._shown[key] = snapshot
                if key not in self._refresh:
                    loop = asyncio.get_event_loop()
                    self._refresh[key] = loop.call_later(due - now, self._refresh_now, key)
                return
        self._show_progress(snapshot, now)

    def _show_progress(self, snapshot: Snapshot, now: float) -> None:
        key = snapshot.key
        self._stop_refresh(key)
        content = notification_for(snapshot, (), self._icon_cache)
        if content is not None:
            self._shown[key] = snapshot
            self._built[key] = (now, snapshot)
            self.notifier.show(self._nkey(key), content)

    def _refresh_now(self, key: int) -> None:
        """The delayed update of a progress notification: its newest snapshot."""
        del self._refresh[key]
        snapshot = self._shown.get(key)
        if snapshot is not None and snapshot.active and key not in self._dismissed:
            self._show_progress(snapshot, time.monotonic())

    def _stop_refresh(self, key: int) -> None:
        self._built.pop(key, None)
        handle = self._refresh.pop(key, None)
        if handle is not None:
            handle.cancel()

    def _on_settled(self, snapshot: Snapshot) -> None:
        key = snapshot.key
        self._stop_refresh(key)
        self._dismissed.discard(key)
        self._running_since.pop(key, None)
        success = snapshot.result == "success"
        events = self._events()
        if not (events.done if success else events.failed):
            self._withdraw(key)
            return
        outcomes = self._outcomes[success]
        outcomes.pending = [s for s in outcomes.pending if s.key != key] + [snapshot]
        if self._flush is None:
            loop = asyncio.get_event_loop()
            self._flush = loop.call_later(OUTCOME_DELAY_S, self._show_outcomes)

    def _show_outcomes(self) -> None:
        """Show what settled since the last call: alone, or with its neighbours in time."""
        self._flush = None
        now = time.monotonic()
        for success, outcomes in self._outcomes.items():
            if not outcomes.pending:
                continue
            if outcomes.nkey and now - outcomes.last > GROUP_WINDOW_S:
                outcomes.shown, outcomes.nkey = [], ""  # the last group is closed
            keys = {s.key for s in outcomes.pending}
            together = [s for s in outcomes.shown if s.key not in keys] + outcomes.pending
            outcomes.pending = []
            if len(together) == 1:
                snapshot = together[0]
                records = self._records(snapshot.key) if success else []
                content = notification_for(snapshot, records, self._icon_cache)
                nkey = self._nkey(snapshot.key)
                self._shown[snapshot.key] = snapshot
            else:
                content = group_notification(together, success=success)
                nkey = self._group_key(success)
                for snapshot in together:  # their own notifications merge into the group
                    if self._shown.pop(snapshot.key, None) is not None:
                        self.notifier.close(self._nkey(snapshot.key))
            if content is None:
                continue
            outcomes.shown, outcomes.nkey, outcomes.last = together, nkey, now
            self.notifier.show(nkey, content)

    def _withdraw(self, key: int) -> None:
        self._stop_refresh(key)
        self._dismissed.discard(key)
        self._running_since.pop(key, None)
        for outcomes in self._outcomes.values():
            outcomes.pending = [s for s in outcomes.pending if s.key != key]
        self._acted.pop(key, None)
        if self._shown.pop(key, None) is not None:
            self.notifier.close(self._nkey(key))

    def _records(self, key: int) -> list[Record]:
        reg = self._manager.registration(key)
        return reg.records() if reg is not None else []

    # -- notifications → engine ----------------------------------------------------

    def _on_closed(self, nkey: str, reason: CloseReason) -> None:
        for outcomes in self._outcomes.values():
            if outcomes.nkey == nkey:
                outcomes.shown, outcomes.nkey = [], ""
        key = self._fetch_key(nkey)
        if key is None:
            return
        snapshot = self._shown.get(key)
        acted_at = self._acted.pop(key, None)
        if acted_at is not None and time.monotonic() - acted_at < ACTION_CLOSE_WINDOW:
            pass  # servers close a notification after its action
        elif snapshot is not None and snapshot.active and reason != CloseReason.CLOSED:
            # Dismissed, or expired: a new popup for the same fetch would be a second one.
            self._dismissed.add(key)
            self.notifier.close(nkey)  # drops an update already queued for it
        if snapshot is not None and not snapshot.active:
            del self._shown[key]

    def _on_action(self, nkey: str, action: str) -> None:
        if nkey in (self._group_key(True), self._group_key(False)):
            if self._show_window is not None:
                self._show_window("")
            return
        key = self._fetch_key(nkey)
        snapshot = self._shown.get(key) if key is not None else None
        if key is None or snapshot is None:
            return
        self._acted[key] = time.monotonic()
        if action == DEFAULT_ACTION and snapshot.origin:
            # The page that registered it hears of the click (backgroundfetchclick).
            reg = self._manager.registration(key)
            if reg is not None:
                self._manager.click(reg)
        if action == DEFAULT_ACTION and snapshot.result == "success":
            self._open_folder(snapshot.dest)
        elif action in (DEFAULT_ACTION, "show"):
            if self._show_window is not None:
                self._show_window(snapshot.id)
        elif action in ("pause", "resume", "cancel", "retry"):
            self._spawn(self._run(key, action))
        else:
            log.warning("unknown notification action %r", action)

    def _spawn(self, coro: Coroutine[Any, Any, None]) -> None:
        task: asyncio.Task[Any] = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _run(self, key: int, action: str) -> None:
        reg = self._manager.registration(key)
        if reg is None:
            return
        try:
            if action == "pause":
                await self._manager.pause(reg)
            elif action == "resume":
                await self._manager.resume(reg)
            elif action == "cancel":
                await self._manager.abort(reg)
            elif action == "retry":
                await self._manager.retry(reg)
        except Exception:
            log.exception("notification action %s on %s failed", action, reg.id)
