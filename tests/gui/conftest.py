"""Shared set-up of the GUI tests: offscreen Qt, asyncio on Qt's loop, D-Bus fixtures.

GUI code runs engine coroutines on a qasync loop (the Qt event loop), so
async tests here run on that loop too: the same loop drives Qt signals,
D-Bus traffic and downloads, as in the app (PLATFORM-NOTES "asyncio on Qt").
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from pathlib import Path

import pytest

# ``tests.support`` must import however pytest was started (``pytest`` does not put
# the project root on sys.path; ``python -m pytest`` does).
_ROOT = str(Path(__file__).resolve().parents[2])
if _ROOT not in sys.path:
    sys.path.insert(0, _ROOT)

# Before any QApplication exists: no display is needed, or wanted, in CI.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import qasync  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from tests.support.notification_fixtures import (  # noqa: E402
    notification_server,
    session_bus,
)

__all__ = ["notification_server", "session_bus"]


def _qasync_loop() -> qasync.QEventLoop:
    app = QApplication.instance() or QApplication([])
    return qasync.QEventLoop(app)


def pytest_asyncio_loop_factories(
    config: pytest.Config, item: pytest.Item
) -> Mapping[str, Callable[[], object]]:
    """Run every async test and fixture under tests/gui on a qasync loop."""
    return {"qasync": _qasync_loop}
