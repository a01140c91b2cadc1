"""Shared set-up of the GUI tests: offscreen Qt, asyncio on Qt's loop, D-Bus fixtures.

GUI code runs engine coroutines on a qasync loop (the Qt event loop), so
async tests here run on that loop too: the same loop drives Qt signals,
D-Bus traffic and downloads, as in the app (PLATFORM-NOTES "asyncio on Qt").
"""

from __future__ import annotations

import asyncio
import gc
import os
from collections.abc import Callable, Iterator, Mapping

import pytest

# Before any QApplication exists: no display is needed, or wanted, in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # type: ignore[import-untyped]
from PySide6.QtWidgets import QApplication

from tests.support.notification_fixtures import (
    notification_server,
    session_bus,
)

__all__ = ["notification_server", "session_bus"]


def _qasync_loop() -> asyncio.AbstractEventLoop:
    app = QApplication.instance() or QApplication([])
    loop: asyncio.AbstractEventLoop = qasync.QEventLoop(app)
    return loop


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], object]]:
    """Run every async test and fixture under tests/gui on a qasync loop."""
    return {"qasync": _qasync_loop}


@pytest.fixture(autouse=True)
def _collect_qt_garbage_on_the_main_thread() -> Iterator[None]:
    """Collect each test's garbage here, on the GUI thread, once its loop is closed.

    A closed qasync loop owns QObjects (its timer, socket notifiers). Left to
    the cyclic collector, they may be freed during a later test in whatever
    thread happens to allocate (a fault-server or pipe-reader thread), and Qt
    objects destroyed off their thread leave dangling timers: a segfault in
    ``QTimerInfoList::activateTimers`` a few tests later.
    """
    yield
    gc.collect()
