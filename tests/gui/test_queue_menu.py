"""The fetch list's "Move in queue" submenu (docs/contracts.md §10): moving the
selected fetches changes which queued one the next free slot goes to."""

from __future__ import annotations

from datetime import datetime

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.model import State  # noqa: E402
from bgfetch_gui.engine.registration import Registration  # noqa: E402
from bgfetch_gui.qt import QAction, QWidget  # noqa: E402
from bgfetch_gui.ui import present  # noqa: E402
from bgfetch_gui.ui.queue_menu import queue_menu  # noqa: E402
from tests.gui.queue_fixtures import four_in_one_slot, start_order  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, make_snapshot, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]


async def test_the_queue_submenu_moves_fetches_and_the_next_slot_follows(
    qtbot, engines: EngineFactory, fault_server: FaultServer
) -> None:
    manager = await engines(max_active_fetches=1, stall_timeout=60.0)
    parent = QWidget()
    qtbot.addWidget(parent)
    started = start_order(manager)
    async with four_in_one_slot(manager, fault_server, "gui-a") as (a, b, c, d):

        def entries(*regs: Registration) -> dict[str, QAction]:
            menu = queue_menu(parent, manager, regs)
            assert menu.title() == "Move in &queue"
            return {action.text(): action for action in menu.actions()}

        menu = entries(c, d)
        assert list(menu) == ["Move to &top", "Move &up", "Move &down", "Move to &bottom"]
        menu["Move to &top"].trigger()
        assert [r.id for r in manager.queue()] == ["c", "d", "a", "b"]
        entries(c)["Move &down"].trigger()
        entries(b)["Move &up"].trigger()
        assert [r.id for r in manager.queue()] == ["d", "c", "b", "a"]
        assert a.state == State.DOWNLOADING and b.state == State.QUEUED  # nothing preempted
        assert present.state_words(b.snapshot()) == "Queued"
    await wait_until(lambda: all(r.result == "success" for r in (a, b, c, d)), 20,
                     what="every fetch to finish")
    assert started == ["a", "d", "c", "b"]



def test_the_window_says_why_a_queued_fetch_waits() -> None:
    at = datetime(2026, 12, 3, 1, 30).timestamp()  # a Thursday
    scheduled = make_snapshot(1, state=State.QUEUED, problem="starts at 01:30",
                              problem_code="starts-at", problem_at=at)
    assert present.state_words(scheduled, now=at - 60) == "Queued: starts at 01:30"
    closed = make_snapshot(3, state=State.QUEUED, problem="runs 01:00-07:00; next at Thu 01:30",
                           problem_code="outside-schedule", problem_at=at)
    assert present.state_words(closed, now=at - 86_400) == \
        "Queued: outside the download hours; next at Thu 01:30"
    assert present.state_words(make_snapshot(2, state=State.QUEUED)) == "Queued"
