"""An engine inside a CLI process: ``fetch --wait`` / ``wait`` with no engine running, and
``bgfetch daemon``. Both run the same EngineHost as the GUI.

The daemon runs on a qasync loop, for Qt's network information. The CLI's own
engine runs on plain asyncio (POSIX): loading Qt cost a command more start-up
time and memory than a whole bundle of small files takes (issue 8). Windows
keeps the Qt loop, whose local socket is the named pipe the clients expect.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import threading
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn, TypeVar

from .cli_output import (
    EXIT_INTERRUPTED,
    EXIT_OK,
    ProgressBar,
    interrupted_note,
    older_id_note,
    paused_note,
    settled_exit,
)
from .engine.api import progress_json, registration_json, wait_progress_json
from .engine.events import FetchEvent
from .engine.fetch_ref import older_with_same_id, resolve
from .engine.manifest import FetchSpec
from .host import EngineHost

log = logging.getLogger("bgfetch.local")
T = TypeVar("T")
CLI_ENGINE_LOG = "bgfetch.log"


class HandedOver(Exception):
    """Another engine (a GUI) asked this one to leave while we waited."""


QT_FREE = sys.platform != "win32"


def _run_on_qt(coro: Coroutine[Any, Any, T]) -> T:
    import qasync
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([sys.argv[0]])
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        result: T = loop.run_until_complete(coro)
        return result
    finally:
        loop.close()
        asyncio.set_event_loop(None)


def run_local_engine(
    home: Path,
    spec: FetchSpec | None,
    fetch_id: str,
    as_json: bool,
    announce: bool,
    signals_seen: list[int],
) -> int:
    """``signals_seen`` collects SIGINT and SIGTERM as they come, from before the engine
    could watch them (the caller's handler) to the end."""
    # stderr is the user's: progress and `failure: <reason>` only. The engine's
    # own story goes to the data folder.
    _log_to(logging.FileHandler(home / CLI_ENGINE_LOG, encoding="utf-8"))
    work = _fetch_and_wait(home, spec, fetch_id, as_json, announce, signals_seen)
    return asyncio.run(work) if QT_FREE else _run_on_qt(work)


async def _fetch_and_wait(
    home: Path,
    spec: FetchSpec | None,
    fetch_id: str,
    as_json: bool,
    announce: bool,
    signals_seen: list[int],
) -> int:
    host = EngineHost(home, "cli", qt=not QT_FREE)
    await host.start()
    signals = asyncio.Event()

    def on_signal(signum: int) -> None:
        signals_seen.append(signum)
        signals.set()

    bar = ProgressBar()
    try:
        with _signals_watched(on_signal):
            if signals_seen:
                return EXIT_INTERRUPTED  # before anything was registered
            manager = host.manager
            if spec is not None:
                reg = await manager.fetch(spec.id, spec.requests, spec.options, dest=spec.dest)
                if announce:
                    print(reg.id, flush=True)
                older_id_note(reg.id, older_with_same_id(manager.registrations(), reg))
            else:
                reg = resolve(manager.registrations(), fetch_id)
            settled = asyncio.Event()

            def on_event(event: FetchEvent) -> None:
                if event.snapshot.key != reg.key:
                    return
                if event.settled:
                    settled.set()
                else:
                    bar.update(wait_progress_json(reg, event.snapshot))

            manager.events.subscribe(on_event)
            if reg.active:
                paused_note(progress_json(reg.snapshot()))
                bar.update(wait_progress_json(reg, reg.snapshot()))
                await _first(settled.wait(), signals.wait(), host.quit_requested.wait())
            if signals.is_set() and reg.active:
                bar.finish()
                # Ctrl+C is the user's "stop this": pause, so no later engine goes on with
                # it unasked. SIGTERM (a logout, a service manager) only stops this engine.
                if signal.SIGINT in signals_seen:
                    await manager.pause(reg)
                interrupted_note(reg.id, reg.row.paused, engine_stays=False)
                return EXIT_INTERRUPTED
            if host.quit_requested.is_set() and reg.active:
                bar.finish()
                raise HandedOver
            return settled_exit(registration_json(reg, records=True), as_json, bar)
    finally:
        await host.stop()


def end_process(code: int) -> NoReturn:
    """Exit with ``code`` once the engine has stopped, without the interpreter's teardown.

    Freeing every module and object of aiohttp, asyncio and the engine took a
    tenth to a quarter of a second of a command whose work was done. What must
    not be lost is waited for: the disk threads' last jobs, logs, stdout.
    """
    for thread in threading.enumerate():
        if thread is not threading.current_thread() and not thread.daemon:
            thread.join()
    logging.shutdown()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a closed pipe (`| head`) is not our failure
            stream.flush()
    os._exit(code)


def run_daemon(home: Path) -> int:
    _log_to(logging.StreamHandler())  # a detached daemon's stderr is daemon.log
    return _run_on_qt(_daemon(home))


async def _daemon(home: Path) -> int:
    from .platform.signals import SignalWatcher

    host = EngineHost(home, "daemon")
    await host.start()
    log.info("daemon started for %s", home)
    watcher = SignalWatcher(lambda _signum: host.quit_requested.set())
    try:
        await host.quit_requested.wait()
    finally:
        watcher.close()
        await host.stop()
        log.info("daemon stopped")
    return EXIT_OK


@contextmanager
def _signals_watched(on_signal: Callable[[int], None]) -> Iterator[None]:
    """SIGINT and SIGTERM call ``on_signal`` on the running loop, until the block ends."""
    if not QT_FREE:
        from .platform.signals import SignalWatcher

        watcher = SignalWatcher(on_signal)
        try:
            yield
        finally:
            watcher.close()
        return
    loop = asyncio.get_running_loop()
    previous = {signum: signal.getsignal(signum) for signum in (signal.SIGINT, signal.SIGTERM)}
    for signum in previous:
        loop.add_signal_handler(signum, on_signal, signum)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            loop.remove_signal_handler(signum)
            signal.signal(signum, handler)  # the CLI's own, which only takes note


def _log_to(handler: logging.Handler) -> None:
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # aiohttp's access log is the test server's, when one runs in-process.
    logging.getLogger("aiohttp.access").setLevel(logging.WARNING)


async def _first(*aws: Coroutine[Any, Any, Any]) -> None:
    tasks = [asyncio.ensure_future(a) for a in aws]
    try:
        await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
