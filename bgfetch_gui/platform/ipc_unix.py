"""The engine's local socket without Qt: an asyncio Unix server for the CLI's own engine.

Speaks exactly what :class:`~bgfetch_gui.platform.ipc.IpcServer` speaks (one
JSON line in, JSON lines out until one says ``done``, the token of
``ipc.token`` checked on every request), so ``bgfetch`` and a second GUI reach
an engine in a ``fetch --wait`` process as they reach the GUI or the daemon.
Owner-only like that one: the socket file is created with mode 0600 and the
token is readable by its user only. POSIX only; Windows keeps QLocalServer.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import os
from pathlib import Path
from typing import Any

from ..engine.api import CommandHandler
from ..engine.datadir import TOKEN_NAME, ipc_name
from .ipc_wire import BAD_REQUEST, LISTEN_BACKLOG, MAX_LINE, BadRequest, decode_request, write_token

log = logging.getLogger("bgfetch.ipc")


class UnixIpcServer:
    def __init__(self, folder: Path, handler: CommandHandler) -> None:
        self.folder = folder
        self.handler = handler
        self.name = ipc_name(folder)
        self._token = ""
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    async def listen(self) -> None:
        # We hold the engine lock, so a socket file left here is a dead engine's.
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.name)
        # The umask makes bind() create the socket owner-only: no window in which
        # another user could connect before a chmod.
        old_umask = os.umask(0o177)
        try:
            # One byte over the limit, so a line of exactly MAX_LINE still fits.
            self._server = await asyncio.start_unix_server(
                self._serve, self.name, limit=MAX_LINE + 1, backlog=LISTEN_BACKLOG
            )
        finally:
            os.umask(old_umask)
        self._token = write_token(self.folder)
        log.info("listening on %s", self.name)

    def close(self) -> None:
        if self._server is not None:
            self._server.close()
            with contextlib.suppress(OSError):
                os.unlink(self.name)
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(OSError):
            (self.folder / TOKEN_NAME).unlink()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            message = await self._read_request(reader)
            if message is None:
                _send(writer, BAD_REQUEST)
            elif not self._authorized(message):
                log.warning("refused a local request with a wrong token")
                _send(writer, {"done": True, "ok": False, "code": 2, "error": "not authorized"})
            else:
                await self._answer(reader, writer, message)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass  # the client went away; nothing to tell it
        finally:
            self._tasks.discard(task)
            writer.close()

    @staticmethod
    async def _read_request(reader: asyncio.StreamReader) -> dict[str, Any] | None:
        try:
            line = await reader.readuntil(b"\n")
            return decode_request(line.rstrip(b"\n"))
        except (asyncio.LimitOverrunError, BadRequest) as exc:
            log.warning("refused a local request: %s", exc)
            return None

    def _authorized(self, message: dict[str, Any]) -> bool:
        token = message.get("token")
        return isinstance(token, str) and hmac.compare_digest(token, self._token)

    async def _answer(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, message: dict[str, Any]
    ) -> None:
        """Send each reply; a client that hangs up cancels its command (as Qt's does)."""
        answering = asyncio.ensure_future(self._replies(writer, message))
        hangup = asyncio.ensure_future(reader.read())
        try:
            await asyncio.wait({answering, hangup}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            hangup.cancel()
            if not answering.done():
                answering.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await answering

    async def _replies(self, writer: asyncio.StreamWriter, message: dict[str, Any]) -> None:
        try:
            async for reply in self.handler.handle(message):
                if writer.is_closing():
                    return
                _send(writer, reply)
                await writer.drain()
        except (ConnectionError, asyncio.CancelledError):
            raise
        except Exception as exc:  # never let one bad request take the engine down
            log.exception("local request %s failed", message.get("cmd"))
            _send(writer, {"done": True, "ok": False, "code": 1, "error": str(exc)})


def _send(writer: asyncio.StreamWriter, reply: dict[str, Any]) -> None:
    writer.write(json.dumps(reply).encode() + b"\n")
