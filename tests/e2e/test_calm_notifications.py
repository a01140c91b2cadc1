"""Calm notifications in the real app (issue 11, point 2): twelve fetches that finish
together raise one notification, "12 fetches finished", whose click shows the window.

The real ``python -m bgfetch_gui`` runs on Xvfb with the test notification server as the
session's only one (see conftest.py); fetches come from ``bgfetch fetch`` in a terminal,
the fault server holds each body just before its end until the test lets them all go.
"""

from __future__ import annotations

import pytest

from tests.e2e.conftest import DesktopHome, RunningApp, poll
from tests.support.faultserver import FaultServer
from tests.support.notification_server import NotificationServer

pytestmark = pytest.mark.slow

COUNT = 12
SIZE = 20_000


def seen(server: NotificationServer) -> str:
    return "notifications so far: " + repr(
        [(n.id, n.replaces_id, n.summary, n.body) for n in server.notifications])


@pytest.fixture
def calm_home(home: DesktopHome) -> DesktopHome:
    # All twelve run at once, and a body held for the test is not a stall.
    home.write_settings(notifications=True, max_active_fetches=COUNT, max_transfers=COUNT,
                        stall_timeout=60.0)
    return home


def test_many_completions_raise_one_notification(
    calm_home: DesktopHome, start_app, fault_server: FaultServer,
) -> None:
    app: RunningApp = start_app()
    server = app.desktop.notifications
    home = calm_home
    for n in range(COUNT):
        home.ok("fetch", "--id", f"clip-{n}", "--title", f"Clip {n}",
                fault_server.url(f"clip-{n}.bin", size=SIZE, hold="batch",
                                 hold_after=SIZE - 100))
    fault_server.wait_held("batch", COUNT, timeout=30)
    fault_server.release("batch")
    group = poll(lambda: next((n for n in server.notifications
                               if n.summary == f"{COUNT} fetches finished"), None), 30,
                 lambda: f"the grouped notification; {seen(server)}")
    assert all(home.show(f"clip-{n}")["result"] == "success" for n in range(COUNT))
    # Twelve outcomes, one popup. (A fetch held for seconds has run "a while": it may
    # have had its live progress notification, one at most, closed into the group.)
    outcomes = [n for n in server.notifications
                if n.replaces_id == 0 and n.hints.get("category") != "transfer"]
    assert outcomes == [group], seen(server)
    ids_by_title: dict[str, set[int]] = {}
    for n in server.notifications:
        ids_by_title.setdefault(n.summary, set()).add(n.id)
    assert all(len(ids) == 1 for ids in ids_by_title.values()), seen(server)
    progress = {n.id for n in server.notifications if n.hints.get("category") == "transfer"}
    poll(lambda: progress <= {c.id for c in server.closed}, 10,
         lambda: f"the progress notifications closed; closed {server.closed}; {seen(server)}")
    assert group.body.startswith("Clip ") and group.body.endswith("and 9 more"), group.body
    assert group.action_keys == ["default"]
