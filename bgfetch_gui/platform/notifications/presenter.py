"""The presenter: one notification per fetch, kept in step with the engine.

Exists so the engine knows nothing of notifications: :class:`FetchNotifications`
subscribes to the engine's events, turns each fetch's :class:`Snapshot` into
plain :class:`NotificationContent` (:func:`notification_for`, pure, so the
texts are testable without a desktop), asks a :class:`Notifier` to show or
close it, and runs the actions the user picks (pause, cancel, retry, open the
folder, show the window).
"""

from __future__ import annotations

import asyncio
import logging
import math
import sys
import time
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QProcess, QUrl
from PySide6.QtGui import QDesktopServices

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.icons import best_icon_file
from bgfetch_gui.engine.model import Icon, Record, Snapshot, State
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.platform.notifications.notifier import (
    DEFAULT_ACTION,
    Category,
    CloseReason,
    NotificationAction,
    NotificationContent,
    Notifier,
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


def local_icon(
    icons: Sequence[Icon], size: int = ICON_SIZE, cache_dir: Path | None = None
) -> Path | None:
    """The icon file that best fits ``size``: a local icon, or a remote one the
    window has already downloaded into ``cache_dir`` (none is fetched here)."""
    return best_icon_file(icons, size, cache_dir)


_STATE_WORDS = {
    State.QUEUED: "Queued",
    State.WAITING_FOR_NETWORK: "Waiting for network",
    State.PAUSED: "Paused",
    State.RETRYING: "Retrying",
}


def progress_text(snapshot: Snapshot) -> tuple[str, int | None]:
    """``45% · 27 MB of 60 MB · 2.1 MB/s`` and the percentage, for a running fetch."""
    total = snapshot.expected_size
    if not total and snapshot.download_total:
        total = snapshot.download_total
    parts: list[str] = []
    percent: int | None = None
    if snapshot.state in _STATE_WORDS:
        parts.append(_STATE_WORDS[snapshot.state])
    if total:
        percent = max(0, min(100, math.floor(100 * snapshot.downloaded / total)))
        if snapshot.state == State.DOWNLOADING:
            parts.append(f"{percent}%")
        parts.append(f"{human_size(snapshot.downloaded)} of {human_size(total)}")
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
            (NotificationAction("resume", "Resume"),) if snapshot.state == State.PAUSED
            else (NotificationAction("pause", "Pause"),) if snapshot.pausable
            else ()  # a POST in it: pausing would send it twice
        )
        return NotificationContent(
            title=name,
            body=body,
            actions=(
                NotificationAction(DEFAULT_ACTION, "Show"),
                *control,
                NotificationAction("cancel", "Cancel"),
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
        count = f"{len(files)} file" + ("" if len(files) == 1 else "s")
        return NotificationContent(
            title=f"{name} downloaded",
            body=f"{count}, {human_size(size)}",
            actions=(
                NotificationAction(DEFAULT_ACTION, "Open folder"),
                NotificationAction("show", "Show"),
            ),
            category=Category.COMPLETE,
            icon=icon,
        )
    if snapshot.failure_reason == "aborted":
        return None
    return NotificationContent(
        title=f"{name} failed",
        body=snapshot.failure_reason.describe(),
        actions=(
            NotificationAction(DEFAULT_ACTION, "Show"),
            NotificationAction("retry", "Retry"),
        ),
        category=Category.ERROR,
        icon=icon,
    )


class FetchNotifications:
    """Keeps one notification per fetch in step with the engine, and runs its actions.

    Wire it once in ``app.py``::

        notifier = await notifier_chain(default_notifiers(tray=tray))
        notifications = FetchNotifications(manager, notifier, show_window=window.show_fetch)

    ``open_folder(path)`` opens a bundle folder (default:
    :func:`open_folder_default`); ``show_window(fetch_id)`` raises the main
    window on that fetch; ``enabled()`` is asked on every event (default:
    ``manager.settings.notifications``, so the settings dialog takes effect
    at once). A progress notification the user dismissed stays away until the
    fetch settles; the outcome is always shown.
    """

    def __init__(
        self,
        manager: FetchManager,
        notifier: Notifier,
        *,
        open_folder: Callable[[Path], None] | None = None,
        show_window: Callable[[str], None] | None = None,
        enabled: Callable[[], bool] | None = None,
        icon_cache: Path | None = None,
    ) -> None:
        self._manager = manager
        self.notifier = notifier
        self._icon_cache = icon_cache  # remote icons the window downloaded
        self._open_folder = open_folder or open_folder_default
        self._show_window = show_window
        self._enabled = enabled or (lambda: bool(manager.settings.notifications))
        self._shown: dict[int, Snapshot] = {}  # key -> last snapshot shown
        self._dismissed: set[int] = set()
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
        for task in list(self._tasks):
            task.cancel()
        self.notifier.set_handlers(None, None)

    @staticmethod
    def _nkey(key: int) -> str:
        return f"fetch-{key}"

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
            self._withdraw(key)
            return
        if event.kind == EventKind.UPDATED and key not in self._shown:
            return
        if snapshot.active and key in self._dismissed:
            return
        if not snapshot.active:
            self._dismissed.discard(key)
        # Records stat every file: only the "downloaded" notification needs them.
        records = self._records(key) if snapshot.result == "success" else []
        content = notification_for(snapshot, records, self._icon_cache)
        if content is None:
            self._withdraw(key)
            return
        self._shown[key] = snapshot
        self.notifier.show(self._nkey(key), content)

    def _withdraw(self, key: int) -> None:
        self._dismissed.discard(key)
        self._acted.pop(key, None)
        if self._shown.pop(key, None) is not None:
            self.notifier.close(self._nkey(key))

    def _records(self, key: int) -> list[Record]:
        reg = self._manager.registration(key)
        return reg.records() if reg is not None else []

    # -- notifications → engine ----------------------------------------------------

    def _on_closed(self, nkey: str, reason: CloseReason) -> None:
        key = self._fetch_key(nkey)
        if key is None:
            return
        snapshot = self._shown.get(key)
        acted_at = self._acted.pop(key, None)
        if acted_at is not None and time.monotonic() - acted_at < ACTION_CLOSE_WINDOW:
            pass  # servers close a notification after its action
        elif snapshot is not None and snapshot.active and reason == CloseReason.DISMISSED:
            self._dismissed.add(key)
            self.notifier.close(nkey)  # drops an update already queued for it
        if snapshot is not None and not snapshot.active:
            del self._shown[key]

    def _on_action(self, nkey: str, action: str) -> None:
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
