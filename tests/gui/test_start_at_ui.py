""""Start at" in the window (docs/contracts.md §10): the New fetch dialog's field and the
fetch list's submenu set, change and clear when a fetch may start, on a real engine."""

from __future__ import annotations

import time
from datetime import datetime

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.model import FetchOptions, State  # noqa: E402
from bgfetch_gui.engine.schedule import parse_start_at  # noqa: E402
from bgfetch_gui.qt import QAction, QDialogButtonBox, QWidget  # noqa: E402
from bgfetch_gui.ui.new_fetch_dialog import NewFetchDialog  # noqa: E402
from bgfetch_gui.ui.start_at_menu import ask_start_at, start_at_menu  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, wait_until  # noqa: E402
from tests.support.faultserver import FaultServer  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

CHRISTMAS = datetime(2099, 12, 24, 1, 30).timestamp()


def test_the_new_fetch_dialog_takes_a_start_time(qtbot) -> None:
    dialog = NewFetchDialog(urls=["https://example.org/a.iso"], use_clipboard=False)
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert dialog.spec().options.start_at == 0  # empty: at once
    dialog.start_edit.setText("25:00")
    assert not ok.isEnabled() and dialog.start_error.isVisible()
    assert "not a time of day" in dialog.start_error.text()
    dialog.start_edit.setText("01:30")
    assert ok.isEnabled() and not dialog.start_error.isVisible()
    assert dialog.spec().options.start_at == parse_start_at("01:30", time.time())
    dialog.start_edit.setText("2099-12-24T01:30")
    assert dialog.spec().options.start_at == CHRISTMAS


async def test_the_submenu_sets_and_clears_a_start_time(
    qtbot, engines: EngineFactory, fault_server: FaultServer
) -> None:
    manager = await engines()
    parent = QWidget()
    qtbot.addWidget(parent)
    reg = await manager.fetch("later", fault_server.url("later.bin", size=1000),
                              FetchOptions(start_at=CHRISTMAS))
    await wait_until(lambda: reg.snapshot().problem == "starts at 2099-12-24 01:30", 20,
                     what="the fetch to wait for its time")

    def entries() -> dict[str, QAction]:
        menu = start_at_menu(parent, manager, [reg])
        assert menu.title() == "Wh&en to start"
        return {action.text(): action for action in menu.actions()}

    menu = entries()
    assert list(menu) == ["&Now", "At 2099-12-24 01:30", "&Later…"]
    assert menu["At 2099-12-24 01:30"].isChecked() and not menu["&Now"].isChecked()

    prompt = ask_start_at(parent, manager, [reg])
    assert prompt.textValue() == "2099-12-24T01:30"
    prompt.setTextValue("someday")
    prompt.accept()
    assert prompt.isVisible() and "expected HH:MM" in prompt.labelText()  # asked again
    prompt.setTextValue("2099-12-25T08:00")
    prompt.accept()
    assert manager.start_at(reg) == datetime(2099, 12, 25, 8, 0).timestamp()
    assert manager.store.start_times() == {reg.key: manager.start_at(reg)}

    entries()["&Now"].trigger()
    await wait_until(lambda: reg.result == "success", 20, what="the fetch to run at once")
    assert manager.start_at(reg) == 0 and reg.state == State.SUCCESS
