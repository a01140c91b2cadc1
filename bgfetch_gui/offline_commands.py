"""Answering ``list``, ``show``, ``pause``, ``resume`` and ``abort`` when no engine runs.

The same CommandHandler as the engine's socket, over a manager that loads the
database but starts nothing. Reads need no lock (SQLite's WAL lets them run
beside anything); changes take the engine lock, waiting a little for another
command that holds it, so no engine starts in the middle of one.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path
from typing import Any

from .engine.api import CommandHandler
from .engine.datadir import EngineLock, downloads_dir
from .engine.errors import EngineBusy
from .engine.manager import FetchManager
from .engine.settings import Settings
from .engine.store import DB_NAME, Store
from .i18n import translate
from .platform.secrets import KeyringSecrets

READ_ONLY = frozenset({"list", "show"})
LOCK_WAIT = 5.0


def answer_offline(home: Path, message: dict[str, Any]) -> dict[str, Any]:
    if message.get("cmd") in READ_ONLY or message == {"cmd": "sites", "action": "list"}:
        return _answer(home, message)
    lock = EngineLock(home)
    deadline = time.monotonic() + LOCK_WAIT
    while True:
        try:
            lock.acquire()
            break
        except EngineBusy:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    try:
        return _answer(home, message)
    finally:
        lock.release()


def _answer(home: Path, message: dict[str, Any]) -> dict[str, Any]:
    store = Store(home / DB_NAME)
    if store.moved_aside is not None:
        text = translate("cli", "the database was unreadable and was moved to {path}; "
                                "starting a new one with every fetch that could be read")
        print("bgfetch: " + text.format(path=store.moved_aside), file=sys.stderr)
    try:
        settings = Settings.load(home)
        # The keyring too: an abort or removal here deletes a fetch's cookies.
        manager = FetchManager(store, settings, downloads_dir(settings.download_dir),
                               secrets=KeyringSecrets(home))
        manager.load()  # damaged rows are logged (on stderr too) as it finds them
        return asyncio.run(_last_reply(CommandHandler(manager, "offline", _no_quit), message))
    finally:
        store.close()


async def _last_reply(handler: CommandHandler, message: dict[str, Any]) -> dict[str, Any]:
    replies = [reply async for reply in handler.handle(message)]
    return replies[-1]


def _no_quit() -> None:
    """Nothing runs, so nothing has to quit."""
