"""Answering ``list``, ``show``, ``pause``, ``resume`` and ``abort`` when no engine runs.

The same CommandHandler as the engine's socket, over a manager that loads the
database but starts nothing; the engine lock keeps an engine from starting
meanwhile.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from .engine.api import CommandHandler
from .engine.datadir import EngineLock, downloads_dir
from .engine.manager import FetchManager
from .engine.settings import Settings
from .engine.store import DB_NAME, Store


def answer_offline(home: Path, message: dict[str, Any]) -> dict[str, Any]:
    lock = EngineLock(home)
    lock.acquire()
    try:
        store = Store(home / DB_NAME)
        try:
            settings = Settings.load(home)
            manager = FetchManager(store, settings, downloads_dir(settings.download_dir))
            manager.load()
            return asyncio.run(_last_reply(CommandHandler(manager, "offline", _no_quit), message))
        finally:
            store.close()
    finally:
        lock.release()


async def _last_reply(handler: CommandHandler, message: dict[str, Any]) -> dict[str, Any]:
    replies = [reply async for reply in handler.handle(message)]
    return replies[-1]


def _no_quit() -> None:
    """Nothing runs, so nothing has to quit."""
