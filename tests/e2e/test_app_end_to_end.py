"""Acceptance test of the desktop app: the real ``python -m bgfetch_gui`` on Xvfb.

A user (or a script) registers a fetch from a terminal while the app runs; the app
shows it as a freedesktop notification with the fetch's title, icon and progress,
updated in place; success says what was downloaded and a click opens the bundle
folder; "Cancel" on a running fetch's notification aborts it. A second launch hands
its URL to the running app and leaves; `bgfetch quit` stops the app cleanly and the
downloads it had not finished resume in a later `bgfetch wait`.

The desktop is private to each test: an Xvfb display with a tray (trayer), a session
bus whose only notification server is the test server (it records every ``Notify`` and
clicks on command), a ``PATH`` whose ``xdg-open`` records what it was asked to open,
and a data folder with fast settings and downloads in ``tmp_path`` (see conftest.py).
"""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.e2e.conftest import (
    ICON_SOURCE,
    Desktop,
    DesktopHome,
    RunningApp,
    embedded_icon,
    poll,
)
from tests.integration.cli_helpers import HOLD_SETTINGS, describe, sha256_file
from tests.integration.cli_helpers import _pid_alive as pid_alive
from tests.support.faultserver import FaultServer, content_sha256
from tests.support.notification_server import Notification, NotificationServer

pytestmark = pytest.mark.slow

KB = 1000


def notifications_of(server: NotificationServer, title: str) -> list[Notification]:
    """Every Notify about the fetch ``title``: progress, then "… downloaded" or "… failed"."""
    return [n for n in server.notifications
            if n.summary == title or n.summary.startswith(f"{title} ")]


def seen(server: NotificationServer) -> str:
    return "notifications so far: " + repr(
        [(n.id, n.replaces_id, n.summary, n.body, n.action_keys) for n in server.notifications])


def icon_of(notification: Notification) -> str:
    """The icon a notification names: the image-path hint (spec 1.2) or app_icon."""
    return str(notification.hints.get("image-path") or notification.app_icon)


def test_notifications_follow_a_fetch_open_its_folder_and_cancel_another(
    app: RunningApp, desktop: Desktop, home: DesktopHome, fault_server: FaultServer,
    tmp_path: Path,
) -> None:
    server = desktop.notifications
    # The desktop has a tray: the app's icon is embedded in it (no window-only fallback).
    poll(lambda: embedded_icon(desktop.display), 20,
         lambda: f"the app's icon in the tray\n{desktop.trayer.describe()}\n{app.describe()}")
    assert "No system tray" not in home.gui_log_text()
    icon = tmp_path / "episode-5.png"
    shutil.copyfile(ICON_SOURCE, icon)
    # Two files throttled so the fetch lasts about 5 s: a progress notification shows once
    # the fetch has run a while and is then updated about once a second, so several times.
    sizes = {"ep-5.mp3": 800 * KB, "ep-5-artwork.jpg": 250 * KB}
    urls = [fault_server.url("ep-5.mp3", size=sizes["ep-5.mp3"], rate=160 * KB),
            fault_server.url("ep-5-artwork.jpg", size=sizes["ep-5-artwork.jpg"], rate=50 * KB)]

    registered = home.ok("fetch", "--title", "Episode 5", "--icon", str(icon), *urls)
    fetch_id = registered.stdout.split()[0]

    done = poll(
        lambda: next((n for n in notifications_of(server, "Episode 5")
                      if n.summary == "Episode 5 downloaded"), None),
        30, lambda: f"the success notification; {seen(server)}\n{app.describe()}",
    )
    reg = home.show(fetch_id)
    assert (reg["result"], reg["state"]) == ("success", "success"), reg
    bundle = home.downloads / "Episode 5"
    assert Path(reg["dest"]) == bundle
    assert sorted(Path(r["path"]).name for r in reg["records"]) == sorted(sizes)
    for record in reg["records"]:
        name = Path(record["path"]).name
        assert record["size"] == sizes[name]
        assert sha256_file(record["path"]) == content_sha256(sizes[name])

    # -- what the notification server saw -------------------------------------------------
    history = notifications_of(server, "Episode 5")
    progress = [n for n in history if n.summary == "Episode 5"]
    assert progress, seen(server)
    first = history[0]
    assert first.replaces_id == 0, "the first notification of a fetch is a new one"
    assert first.app_name == "bgfetch"
    # One notification for the whole fetch: every update and the outcome replace it.
    assert {n.id for n in history} == {first.id}, seen(server)
    assert all(n.replaces_id == first.id for n in history[1:]), seen(server)
    assert len(history) >= 3, f"expected progress updates in place; {seen(server)}"
    assert done.id == first.id and done.replaces_id == first.id
    # The fetch's own icon, on progress and outcome alike.
    for n in history:
        assert icon_of(n) == str(icon), (n.hints, n.app_icon)
    # Progress as a percentage hint, going up; a category for transfers.
    values = [n.hints["value"] for n in progress if "value" in n.hints]
    assert values, f"no progress 'value' hint; {seen(server)}"
    assert all(isinstance(v, int) and 0 <= v <= 100 for v in values), values
    assert values == sorted(values), values
    assert all(n.hints.get("category") == "transfer" for n in progress)
    assert any("%" in n.body for n in progress), seen(server)
    running_actions = progress[-1].action_labels
    assert {"default", "pause", "cancel"} <= set(running_actions), running_actions
    # The outcome: how many files, a category, a way to open the folder.
    assert "2 files" in done.body, done.body
    assert done.hints.get("category") == "transfer.complete"
    assert "default" in done.action_keys, done.actions
    assert "transient" not in done.hints  # an outcome belongs in the history

    # -- clicking the success notification opens the bundle folder -------------------------
    assert desktop.xdg_open.calls() == []
    server.invoke_action(done.id, "default")
    calls = poll(desktop.xdg_open.calls, 20,
                 lambda: f"xdg-open to be run\n{app.describe()}")
    assert len(calls) == 1 and len(calls[0]) == 1, calls
    assert desktop.xdg_open.as_path(calls[0][0]) == bundle, calls

    # -- "Cancel" on a running fetch's notification aborts it -----------------------------
    slow = fault_server.url("ep-6.mp3", size=4000 * KB, rate=100 * KB)  # ~40 s: never ends
    home.ok("fetch", "--id", "ep-6", "--title", "Episode 6", slow)
    running = poll(
        lambda: next((n for n in notifications_of(server, "Episode 6")
                      if "cancel" in n.action_keys), None),
        20, lambda: f"a progress notification for Episode 6; {seen(server)}",
    )
    assert running.id != first.id
    assert running.action_labels["cancel"] == "Cancel"
    # The server reports a Notify before the app has read the reply with the id; a
    # click that early is dropped (no person clicks that fast). An update that
    # replaces this id proves the app knows it.
    poll(lambda: any(n.replaces_id == running.id for n in server.notifications), 20,
         lambda: f"an update of notification {running.id}; {seen(server)}")
    server.invoke_action(running.id, "cancel")
    cancelled = home.wait_state("ep-6", "failure", timeout=20)
    assert cancelled["result"] == "failure"
    assert cancelled["failure_reason"] == "aborted"
    # An aborted fetch needs no notification: the progress one is taken down.
    poll(lambda: any(c.id == running.id for c in server.closed), 10,
         lambda: f"the Episode 6 notification to close; closed: {server.closed}")
    assert not any(n.summary.startswith("Episode 6 ") for n in server.notifications), \
        seen(server)
    assert app.proc.poll() is None, app.describe()


def test_a_second_launch_hands_its_url_to_the_running_app(
    app: RunningApp, home: DesktopHome, fault_server: FaultServer,
) -> None:
    before = set(home.ids())
    url = fault_server.url("handed-over.bin", size=50 * KB)
    started = time.monotonic()
    second = app.launch(url)
    took = time.monotonic() - started
    assert second.returncode == 0, describe(second)
    assert "Traceback" not in second.stderr, describe(second)
    # Python and Qt start-up alone can take 20 s on a loaded machine, so this only
    # bounds the hand-over; the checks below prove it went to the running app.
    assert took < 60, f"the second launch took {took:.1f}s to hand over"
    # It handed over and left: the first app still runs and still holds the folder.
    assert app.proc.poll() is None, app.describe()
    ping = home.ping()
    assert ping is not None and ping["kind"] == "gui" and ping["pid"] == app.pid, ping

    new = set(home.ids()) - before
    assert len(new) == 1, (before, home.list_json())
    fetch_id = new.pop()
    reg = home.wait_state(fetch_id, {"success", "failure"}, timeout=30)
    assert reg["result"] == "success", reg
    assert [r["url"] for r in reg["records"]] == [url]
    assert reg["records"][0]["size"] == 50 * KB
    assert fault_server.requests_for("handed-over.bin"), "the running app did not download it"


def test_quit_stops_the_app_and_wait_resumes_what_it_left(
    app: RunningApp, desktop: Desktop, home: DesktopHome, fault_server: FaultServer,
) -> None:
    server = desktop.notifications
    size = 750 * KB
    url = fault_server.url("long.bin", size=size, rate=150 * KB)  # 5 s if never stopped
    home.ok("fetch", "--id", "long", "--title", "Long one", url)
    # Some bytes are on disk and checkpointed before the window goes.
    poll(lambda: sum(home.bytes_done("long")) >= 50 * KB, 20,
         lambda: f"a checkpoint of 'long' (bytes_done {home.bytes_done('long')})")

    progress = poll(lambda: notifications_of(server, "Long one"), 20,
                    lambda: f"a progress notification for 'Long one'; {seen(server)}")

    quit_started = time.monotonic()
    code = app.quit()
    assert code == 0, app.describe()
    assert time.monotonic() - quit_started < 10
    assert home.ping() is None, "something still answers for the data folder"
    # No progress notification outlives the app that would update it.
    poll(lambda: progress[0].id in {c.id for c in server.closed}, 5,
         lambda: f"the app to close its notification on quit; closed: {server.closed}, "
         f"{seen(server)}")

    left = home.show("long")  # read from the database: no engine runs
    assert left["result"] == "", left
    assert 0 < left["downloaded"] < size, left

    waited = home.run("wait", "long", timeout=60)
    assert waited.returncode == 0, describe(waited)
    reg = home.show("long")
    assert (reg["result"], reg["state"]) == ("success", "success"), reg
    path = Path(reg["records"][0]["path"])
    assert path.parent == home.downloads  # one file: no folder of its own
    assert reg["records"][0]["size"] == size
    assert sha256_file(path) == content_sha256(size)
    # Resumed from the checkpoint, not downloaded again from zero.
    ranges = [r.headers.get("Range") for r in fault_server.requests_for("long.bin")
              if r.method == "GET"]
    assert ranges[0] is None and any(r and not r.startswith("bytes=0-") for r in ranges[1:]), \
        ranges


def test_the_app_takes_over_from_a_running_daemon(
    start_app: Callable[..., RunningApp], desktop: Desktop, home: DesktopHome,
    fault_server: FaultServer,
) -> None:
    """`bgfetch fetch` without a window starts a daemon; the app, opened later, takes
    the download over (docs/contracts.md §4) and notifies about it like about its own."""
    server = desktop.notifications
    home.write_settings(notifications=True, **HOLD_SETTINGS)
    size = 450 * KB
    # Held half-way until the app has taken over: the daemon cannot finish first.
    url = fault_server.url("overnight.bin", size=size, rate=150 * KB,
                           hold="overnight", hold_after=size // 2)
    home.ok("fetch", "--id", "overnight", "--title", "Overnight", url)
    daemon = home.ping()
    assert daemon is not None and daemon["kind"] == "daemon", daemon
    poll(lambda: sum(home.bytes_done("overnight")) > 0, 60, "the daemon to download")

    app = start_app()
    # The daemon checkpointed and left; the app holds the folder now.
    poll(lambda: not pid_alive(daemon["pid"]), 60, f"daemon {daemon['pid']} to exit")
    ping = home.ping()
    assert ping is not None and (ping["kind"], ping["pid"]) == ("gui", app.pid), ping
    fault_server.release("overnight")

    done = poll(lambda: next((n for n in server.notifications
                              if n.summary == "Overnight downloaded"), None),
                60, lambda: f"the success notification; {seen(server)}\n{app.describe()}")
    assert "1 file" in done.body, done.body
    reg = home.show("overnight")
    assert reg["result"] == "success", reg
    assert sha256_file(reg["records"][0]["path"]) == content_sha256(size)
    ranges = [r.headers.get("Range") for r in fault_server.requests_for("overnight.bin")
              if r.method == "GET"]
    assert ranges[0] is None and any(r and not r.startswith("bytes=0-") for r in ranges[1:]), \
        f"the app did not resume the daemon's download: {ranges}"
