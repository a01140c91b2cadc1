"""Fetch notifications end to end: real engine, real HTTP, real D-Bus, real Qt.

A FetchManager on a temporary SQLite file downloads from the fault server on
127.0.0.1; the presenter sends notifications through :class:`DBusNotifier`
over a private session bus to the test notification server, which records
every ``Notify`` and clicks actions on command. Only the folder opener and
the window are replaced, by recorders (and one test keeps the real opener,
with a recording ``xdg-open`` first on PATH).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import stat
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QSystemTrayIcon

from bgfetch_gui.engine.events import EventKind, FetchEvent
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import FailureReason, FetchOptions, Icon, State
from bgfetch_gui.engine.network import NetworkMonitor
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import Store
from bgfetch_gui.platform.notifications import (
    Category,
    DBusNotifier,
    FetchNotifications,
    InAppNotifier,
    NotificationContent,
    TrayNotifier,
    UpdateThrottle,
    local_icon,
    notification_for,
    notifier_chain,
    progress_text,
)
from bgfetch_gui.platform.notifications import presenter as presenter_module
from bgfetch_gui.platform.notifications.presenter import OUTCOME_DELAY_S
from tests.gui.ui_fixtures import make_snapshot
from tests.support.faultserver import FaultServer
from tests.support.notification_fixtures import PrivateSessionBus
from tests.support.notification_server import Notification, NotificationServer

# A 1x1 PNG, for a fetch's icon.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cf00000301010018dd8db40000000049454e44ae426082"
)


@dataclass
class Engine:
    manager: FetchManager
    events: list[tuple[float, FetchEvent]] = field(default_factory=list)

    def first(self, kind: EventKind) -> float:
        return next(t for t, e in self.events if e.kind == kind)

    def first_state(self, state: State) -> float:
        return next(t for t, e in self.events if e.snapshot.state == state)


@pytest.fixture
async def engine(tmp_path: Path) -> AsyncIterator[Engine]:
    store = Store(tmp_path / "data" / "bgfetch.sqlite3")
    manager = FetchManager(store, Settings(), tmp_path / "Downloads", NetworkMonitor())
    await manager.start()
    recorded = Engine(manager)
    manager.events.subscribe(lambda e: recorded.events.append((time.monotonic(), e)))
    try:
        yield recorded
    finally:
        await manager.close()
        store.close()


@dataclass
class Recorders:
    opened: list[Path] = field(default_factory=list)
    shown: list[str] = field(default_factory=list)


async def presenter(
    engine: Engine, recorders: Recorders | None = None
) -> tuple[FetchNotifications, DBusNotifier]:
    notifier = await notifier_chain([DBusNotifier(), InAppNotifier()])
    assert isinstance(notifier, DBusNotifier), "the D-Bus adapter did not start"
    if recorders is None:
        return FetchNotifications(engine.manager, notifier), notifier
    return (
        FetchNotifications(
            engine.manager,
            notifier,
            open_folder=recorders.opened.append,
            show_window=recorders.shown.append,
        ),
        notifier,
    )


async def until(predicate: object, timeout: float = 5.0, what: str = "") -> None:
    """Poll a zero-argument callable on the running (qasync) loop."""
    assert callable(predicate)
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out waiting for {what or predicate}")
        await asyncio.sleep(0.02)


def ongoing(n: Notification) -> bool:
    return n.hints.get("category") == "transfer"


# -- end to end ---------------------------------------------------------------------


async def test_progress_replaced_in_place_then_success_opens_folder(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    recorders = Recorders()
    notifications, notifier = await presenter(engine, recorders)
    assert notifier.server.name == "bgfetch-test-server"
    reg = await engine.manager.fetch(
        "ep-5",
        [
            fault_server.url("ep-5.mp3", size=320_000, rate=100_000),
            fault_server.url("ep-5.jpg", size=320_000, rate=100_000),
        ],
        FetchOptions(title="Episode 5"),
    )
    done = await notification_server.wait_notification(
        lambda n: n.hints.get("category") == "transfer.complete", timeout=15, what="success"
    )
    notes = notification_server.notifications
    first = notes[0]

    # One notification for the fetch, replaced in place from the first to the last.
    assert first.replaces_id == 0
    assert {n.id for n in notes} == {first.id}
    assert all(n.replaces_id == first.id for n in notes[1:])
    assert all(n.app_name == "bgfetch" for n in notes)

    # Progress: title, percentage text, value hint, Pause and Cancel.
    running = [n for n in notes if ongoing(n)]
    assert all(n.summary == "Episode 5" for n in running)
    with_value = [n for n in running if "value" in n.hints]
    assert len(with_value) >= 2, [n.body for n in running]
    values = [n.hints["value"] for n in with_value]
    assert values == sorted(values) and all(0 <= v <= 100 for v in values)
    assert any(re.fullmatch(r"\d+% · [\d.]+ KiB of 625 KiB · [\d.]+ KiB/s", n.body)
               for n in running), [n.body for n in running]
    assert {"pause", "cancel"} <= set(running[-1].action_keys)
    assert running[-1].action_labels["cancel"] == "Cancel"

    # Throttled: at most one progress update per second while downloading (the
    # change from "Queued" to downloading went out at once).
    downloading = [n for n in running if "%" in n.body]
    gaps = [b.time - a.time for a, b in itertools.pairwise(downloading)]
    assert len(gaps) >= 1 and all(gap >= 0.9 for gap in gaps), gaps

    # The outcome waits only for its neighbours in time, not for the throttle.
    assert done.time - engine.first(EventKind.SUCCESS) < OUTCOME_DELAY_S + 0.5
    assert done.summary == "Episode 5 downloaded"
    assert done.body == "2 files, 625 KiB"
    assert "value" not in done.hints
    assert done.action_keys == ["default", "show"]

    # Clicking it opens the bundle folder; "Show" shows the fetch in the window.
    notification_server.invoke_action(done.id, "default")
    await until(lambda: recorders.opened, what="open_folder")
    assert recorders.opened == [reg.dest]
    notification_server.invoke_action(done.id, "show")
    await until(lambda: recorders.shown, what="show_window")
    assert recorders.shown == ["ep-5"]
    await notifications.close()
    await notifier.stop()


async def test_clicking_a_web_fetchs_notification_tells_its_page(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorders = Recorders()
    notifications, notifier = await presenter(engine, recorders)
    origin = "https://podcast.example"
    monkeypatch.setattr(presenter_module, "GROUP_WINDOW_S", 0.0)  # one notification each
    done = {}
    for fetch_id in ("web", "mine"):
        await engine.manager.fetch(fetch_id, [fault_server.url(f"{fetch_id}.bin")],
                                   origin=origin if fetch_id == "web" else "")
        done[fetch_id] = await notification_server.wait_notification(
            lambda n, f=fetch_id: n.hints.get("category") == "transfer.complete"
            and n.summary == f"{f} downloaded", timeout=15, what=f"{fetch_id} done")
    shown_before = len(notification_server.notifications)
    for fetch_id in ("mine", "web"):
        notification_server.invoke_action(done[fetch_id].id, "default")
    await until(lambda: len(recorders.opened) == 2, what="both folders opened")
    clicks = [e.snapshot for _, e in engine.events if e.kind == EventKind.CLICK]
    assert [(s.origin, s.id) for s in clicks] == [(origin, "web")]
    assert len(notification_server.notifications) == shown_before  # nothing shown again
    await notifications.close()
    await notifier.stop()


async def test_default_opener_runs_xdg_open(
    notification_server: NotificationServer,
    fault_server: FaultServer,
    engine: Engine,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Qt's offscreen platform refuses to open URLs (openUrl returns False and
    # never runs xdg-open); the default opener then starts xdg-open itself.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "xdg-open.log"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> "{log}"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PATH", f"{bin_dir}:{os.environ['PATH']}")
    icon = tmp_path / "icon.png"
    icon.write_bytes(PNG)

    notifications, notifier = await presenter(engine)  # the real open_folder
    reg = await engine.manager.fetch(
        "small",
        [fault_server.url("a.bin", size=1000), fault_server.url("b.bin", size=2000)],
        FetchOptions(title="Small", icons=(Icon(str(icon), "64x64", "image/png"),)),
    )
    done = await notification_server.wait_notification(
        lambda n: n.summary == "Small downloaded", timeout=10
    )
    assert done.body == "2 files, 2.9 KiB"
    assert done.hints["image-path"] == str(icon)  # spec 1.2 server: the hint, not app_icon
    notification_server.invoke_action(done.id, "default")
    await until(lambda: log.exists() and log.read_text().strip(), what="xdg-open")
    arg = log.read_text().split("\n")[0]
    opened = Path(QUrl(arg).toLocalFile()) if arg.startswith("file:") else Path(arg)
    assert opened == reg.dest
    await notifications.close()
    await notifier.stop()


async def test_pause_then_cancel_from_the_notification(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    notifications, notifier = await presenter(engine, Recorders())
    reg = await engine.manager.fetch(
        "big",
        [
            fault_server.url("big1.bin", size=4_000_000, rate=200_000),
            fault_server.url("big2.bin", size=4_000_000, rate=200_000),
        ],
        FetchOptions(title="Big"),
    )
    running = await notification_server.wait_notification(
        lambda n: "%" in n.body and "pause" in n.action_keys, what="progress"
    )
    notification_server.invoke_action(running.id, "pause")
    await until(lambda: reg.state == State.PAUSED, what="paused")
    paused = await notification_server.wait_notification(
        lambda n: n.body.startswith("Paused"), what="paused notification"
    )
    assert paused.id == running.id
    # A new state is not held back by the progress throttle.
    assert paused.time - engine.first_state(State.PAUSED) < 0.5
    assert paused.action_keys == ["default", "resume", "cancel"]

    notification_server.invoke_action(paused.id, "cancel")
    await until(lambda: not reg.active, what="aborted")
    assert reg.result == "failure"
    assert reg.failure_reason == FailureReason.ABORTED
    await notification_server.wait_for(
        lambda s: any(c.id == running.id and c.reason == 3 for c in s.closed),
        what="CloseNotification",
    )
    await notifications.close()
    await notifier.stop()


async def test_failure_offers_retry(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    notifications, notifier = await presenter(engine, Recorders())
    reg = await engine.manager.fetch(
        "gone", [fault_server.url("gone.bin", status=404)], FetchOptions(title="Gone")
    )
    failed = await notification_server.wait_notification(
        lambda n: n.summary == "Gone failed", what="failure"
    )
    assert failed.body == "gone.bin: the server answered 404 Not Found"
    assert failed.hints["category"] == "transfer.error"
    assert failed.action_labels["retry"] == "Retry"

    notification_server.invoke_action(failed.id, "retry")
    await notification_server.wait_for(
        lambda s: len([n for n in s.notifications if n.summary == "Gone failed"]) == 2,
        what="second failure",
    )
    assert len(fault_server.requests_for("gone.bin")) == 2
    assert {n.id for n in notification_server.notifications} == {failed.id}
    assert reg.result == "failure"
    await notifications.close()
    await notifier.stop()


async def test_dismissed_progress_stays_away_until_the_outcome(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    notifications, notifier = await presenter(engine, Recorders())
    await engine.manager.fetch(
        "quiet", [fault_server.url("q.bin", size=450_000, rate=100_000)], FetchOptions(title="Q")
    )
    progress = await notification_server.wait_notification(
        lambda n: "%" in n.body, what="progress"
    )
    notification_server.dismiss(progress.id)
    dismissed_at = notification_server.closed[-1].time
    done = await notification_server.wait_notification(
        lambda n: n.summary == "Q downloaded", timeout=10
    )
    later = [n for n in notification_server.notifications if n.time > dismissed_at]
    assert later[-1] == done
    assert done.replaces_id == 0  # the old one is gone: a new notification
    # An update already on its way when the user dismissed it may pop up, but is
    # closed again at once; no further progress is shown.
    assert len(later) <= 2
    for stray in later[:-1]:
        assert any(c.id == stray.id and c.reason == 3 for c in notification_server.closed)
    await notifications.close()
    await notifier.stop()


async def test_server_without_actions_gets_none(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    notification_server.set_capabilities(["body"])
    notifications, notifier = await presenter(engine, Recorders())
    assert not notifier.supports_actions
    await engine.manager.fetch(
        "plain", [fault_server.url("p.bin", size=300_000, rate=100_000)], FetchOptions(title="P")
    )
    await notification_server.wait_notification(lambda n: n.summary == "P downloaded")
    notes = notification_server.notifications
    assert any(ongoing(n) for n in notes)
    assert all(n.actions == [] for n in notes)
    await notifications.close()
    await notifier.stop()


async def test_disabled_sends_nothing(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    engine.manager.settings.notifications = False
    notifications, notifier = await presenter(engine, Recorders())
    reg = await engine.manager.fetch("off", [fault_server.url("o.bin", size=1000)])
    await until(lambda: not reg.active, what="settled")
    await asyncio.sleep(0.2)
    assert notification_server.notifications == []
    await notifications.close()
    await notifier.stop()


# -- the adapter on its own ------------------------------------------------------------


async def test_markup_and_body_follow_capabilities(
    notification_server: NotificationServer,
) -> None:
    content = NotificationContent(title="Tom & Jerry", body="1 < 2 & 3", category=Category.COMPLETE)

    async def send(caps: list[str]) -> Notification:
        notification_server.set_capabilities(caps)
        notifier = await notifier_chain([DBusNotifier()])
        assert isinstance(notifier, DBusNotifier)
        count = len(notification_server.notifications)
        notifier.show("k", content)
        note = await notification_server.wait_for(
            lambda s: s.notifications[count] if len(s.notifications) > count else None
        )
        await notifier.stop()
        return note

    markup = await send(["body", "body-markup"])
    assert (markup.summary, markup.body) == ("Tom & Jerry", "1 &lt; 2 &amp; 3")
    plain = await send(["body"])
    assert (plain.summary, plain.body) == ("Tom & Jerry", "1 < 2 & 3")
    bodiless = await send([])
    assert (bodiless.summary, bodiless.body) == ("Tom & Jerry — 1 < 2 & 3", "")


async def test_chain_skips_dbus_without_a_server(
    session_bus: PrivateSessionBus, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = time.monotonic()
    notifier = await notifier_chain([DBusNotifier(), InAppNotifier()])
    assert isinstance(notifier, InAppNotifier)
    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
    notifier = await notifier_chain([DBusNotifier(), InAppNotifier()])
    assert isinstance(notifier, InAppNotifier)
    # offscreen Qt has no system tray: the tray adapter is skipped too.
    notifier = await notifier_chain([TrayNotifier(QSystemTrayIcon()), InAppNotifier()])
    assert isinstance(notifier, InAppNotifier)
    assert time.monotonic() - started < 1.0


class RecordingTray(QSystemTrayIcon):
    """A tray icon whose balloons are recorded instead of drawn."""

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title: str, body: str, *args: object) -> None:
        self.messages.append((title, body))


async def test_tray_shows_outcomes_and_clicks_are_default_actions(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # No tray offscreen: pretend there is one, to test the adapter's own logic.
    monkeypatch.setattr(QSystemTrayIcon, "isSystemTrayAvailable", staticmethod(lambda: True))
    monkeypatch.setattr(QSystemTrayIcon, "supportsMessages", staticmethod(lambda: True))
    tray = RecordingTray()
    notifier = await notifier_chain([TrayNotifier(tray), InAppNotifier()])
    assert isinstance(notifier, TrayNotifier)
    actions: list[tuple[str, str]] = []
    notifier.set_handlers(lambda key, action: actions.append((key, action)))
    notifier.show("fetch-1", NotificationContent("Ep", "45%", ongoing=True))
    notifier.show("fetch-1", NotificationContent("Ep downloaded", "2 files, 60.0 MB"))
    assert tray.messages == [("Ep downloaded", "2 files, 60.0 MB")]
    tray.messageClicked.emit()
    assert actions == [("fetch-1", "default")]
    notifier.close("fetch-1")
    tray.messageClicked.emit()  # a late click on a withdrawn balloon does nothing
    assert actions == [("fetch-1", "default")]
    await notifier.stop()


# -- pure logic --------------------------------------------------------------------------


def test_throttle_lets_outcomes_through_and_spaces_progress() -> None:
    now = [100.0]
    throttle = UpdateThrottle(1.0, clock=lambda: now[0])
    assert throttle.delay("a", ongoing=True) == 0
    throttle.sent("a")
    now[0] += 0.3
    assert throttle.delay("a", ongoing=True) == pytest.approx(0.7)
    assert throttle.delay("a", ongoing=False) == 0
    assert throttle.delay("b", ongoing=True) == 0
    assert throttle.delay("a", ongoing=True, phase="paused") == 0  # a new state
    throttle.forget("a")
    assert throttle.delay("a", ongoing=True) == 0


def test_progress_text() -> None:
    from bgfetch_gui.engine.model import Snapshot

    mb = 1024 * 1024
    snap = Snapshot(
        id="x", key=1, title="", icons=(), state=State.DOWNLOADING, result="",
        failure_reason=FailureReason.NONE, downloaded=27 * mb, download_total=0,
        uploaded=0, upload_total=0, dest=Path("/tmp"), records_available=True,
        created_at=0.0, speed=2.1 * mb, expected_size=60 * mb,
    )
    assert progress_text(snap) == ("45% · 27.0 MiB of 60.0 MiB · 2.1 MiB/s", 45)
    paused = Snapshot(**{**snap.__dict__, "state": State.PAUSED})
    assert progress_text(paused) == ("Paused · 27.0 MiB of 60.0 MiB", 45)
    unknown = Snapshot(**{**snap.__dict__, "expected_size": None, "speed": 0.0})
    assert progress_text(unknown) == ("27.0 MiB", None)


def test_local_icon_prefers_the_nearest_size_and_skips_remote(tmp_path: Path) -> None:
    small, big = tmp_path / "16.png", tmp_path / "128.png"
    small.write_bytes(PNG)
    big.write_bytes(PNG)
    icons = (
        Icon("https://example.org/icon.png", "64x64"),
        Icon(str(small), "16x16"),
        Icon(big.as_uri(), "128x128"),
        Icon(str(tmp_path / "missing.png"), "64x64"),
    )
    assert local_icon(icons) == big
    assert local_icon(icons[:2]) == small
    assert local_icon(icons[:1]) is None


def test_a_remote_icon_the_window_cached_is_used(tmp_path: Path) -> None:
    from bgfetch_gui.engine.icons import cache_path

    remote = Icon("https://example.org/icon.png", "64x64")
    small = tmp_path / "16.png"
    small.write_bytes(PNG)
    cache = tmp_path / "icon-cache"
    assert local_icon((remote, Icon(str(small), "16x16")), cache_dir=cache) == small
    cache.mkdir()
    cache_path(cache, remote.src).write_bytes(PNG)  # what IconProvider stores
    assert local_icon((remote, Icon(str(small), "16x16")), cache_dir=cache) == \
        cache_path(cache, remote.src)


# -- calm with many fetches (issue 11, point 2) -------------------------------------------


def new_ones(server: NotificationServer) -> list[Notification]:
    """Notifications that popped up, as opposed to updates of one already there."""
    return [n for n in server.notifications if n.replaces_id == 0]


async def test_bulk_pause_and_resume_raise_no_new_popups(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    engine.manager.settings.max_active_fetches = 3
    notifications, notifier = await presenter(engine, Recorders())
    regs = [await engine.manager.fetch(
        f"f{n}", [fault_server.url(f"f{n}.bin", size=4_000_000, rate=150_000)])
        for n in range(10)]
    # The three that run get one live notification each, once they have run a while;
    # the seven queued ones get none.
    await notification_server.wait_for(
        lambda s: len({n.summary for n in s.notifications if "%" in n.body}) == 3,
        timeout=10, what="three progress notifications")
    running = {r.id for r in regs if r.state == State.DOWNLOADING}
    assert {n.summary for n in new_ones(notification_server)} == running

    before = len(new_ones(notification_server))
    for reg in regs:  # what "Pause all" does
        await engine.manager.pause(reg)
    await notification_server.wait_for(
        lambda s: sum(n.body.startswith("Paused") for n in s.notifications) >= 3,
        what="the live ones say Paused")
    assert len(new_ones(notification_server)) == before
    for reg in regs:  # what "Resume all" does
        await engine.manager.resume(reg)
    await until(lambda: sum(r.state == State.DOWNLOADING for r in regs) == 3, what="3 run")
    assert len(new_ones(notification_server)) == before
    assert not any(n.body.startswith("Queued") and n.replaces_id == 0
                   for n in notification_server.notifications)
    # Never two notifications for one fetch.
    ids_by_fetch: dict[str, set[int]] = {}
    for n in notification_server.notifications:
        ids_by_fetch.setdefault(n.summary, set()).add(n.id)
    assert all(len(ids) == 1 for ids in ids_by_fetch.values()), ids_by_fetch
    await notifications.close()
    await notifier.stop()


async def test_many_completions_share_one_notification(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    engine.manager.settings.max_active_fetches = 12
    recorders = Recorders()
    notifications, notifier = await presenter(engine, recorders)
    regs = [await engine.manager.fetch(f"c{n}", [fault_server.url(f"c{n}.bin", size=2000)],
                                       FetchOptions(title=f"Clip {n}")) for n in range(12)]
    group = await notification_server.wait_notification(
        lambda n: n.summary == "12 fetches finished", timeout=15, what="the group")
    assert all(not r.active for r in regs)
    # One popup for twelve outcomes (a fetch slowed past 2 s by a busy machine may have had
    # a live progress notification of its own: that is not an outcome).
    outcomes = [n for n in new_ones(notification_server) if not ongoing(n)]
    assert outcomes == [group], [
        (n.summary, n.replaces_id) for n in notification_server.notifications]
    assert group.body.startswith("Clip ") and group.body.endswith("and 9 more")
    assert group.action_keys == ["default"]
    notification_server.invoke_action(group.id, "default")
    await until(lambda: recorders.shown, what="the window")
    assert recorders.shown == [""]
    await notifications.close()
    await notifier.stop()


async def test_the_settings_choose_which_events_notify(
    notification_server: NotificationServer, fault_server: FaultServer, engine: Engine
) -> None:
    engine.manager.settings.notify_done = False
    notifications, notifier = await presenter(engine, Recorders())
    await engine.manager.fetch("ok", [fault_server.url("ok.bin", size=1000)])
    await engine.manager.fetch("bad", [fault_server.url("bad.bin", status=404)],
                               FetchOptions(title="Bad"))
    failed = await notification_server.wait_notification(
        lambda n: n.summary == "Bad failed", what="the failure")
    assert failed.body == "bad.bin: the server answered 404 Not Found"
    assert [n.summary for n in notification_server.notifications] == ["Bad failed"]
    await notifications.close()
    await notifier.stop()


def test_a_fetch_that_cannot_be_paused_offers_no_pause_button() -> None:
    """Background Fetch display rule (issue 9, rule 1): a fetch holding a POST is not
    paused, so its notification has no Pause that would fail."""
    keys = {pausable: [a.key for a in content.actions]
            for pausable in (True, False)
            if (content := notification_for(make_snapshot(1, pausable=pausable)))}
    assert keys == {True: ["default", "pause", "cancel"], False: ["default", "cancel"]}
