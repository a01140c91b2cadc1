"""The engine's user-only local socket: QLocalServer carrying the JSON API.

Owner-only twice over: the socket itself is created with user access only,
and every request must carry the token from ``ipc.token`` (mode 0600 in the
data folder), which only the same user can read.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from ..engine.api import CommandHandler
from ..engine.datadir import TOKEN_NAME, ipc_name
from .ipc_wire import BAD_REQUEST, LISTEN_BACKLOG, MAX_LINE, BadRequest, decode_request, write_token

log = logging.getLogger("bgfetch.ipc")


class IpcServer(QObject):
    def __init__(self, folder: Path, handler: CommandHandler) -> None:
        super().__init__()
        self.folder = folder
        self.handler = handler
        self.name = ipc_name(folder)
        self._token = ""
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        self._server.setListenBacklogSize(LISTEN_BACKLOG)
        self._server.setMaxPendingConnections(LISTEN_BACKLOG)
        self._server.newConnection.connect(self._on_connection)
        self._tasks: set[asyncio.Task[None]] = set()

    def listen(self) -> None:
        # We hold the engine lock, so a socket file left here is a dead engine's.
        QLocalServer.removeServer(self.name)
        if not self._server.listen(self.name):
            raise OSError(f"cannot listen on {self.name}: {self._server.errorString()}")
        self._token = write_token(self.folder)
        log.info("listening on %s", self.name)

    def close(self) -> None:
        self._server.close()
        for task in self._tasks:
            task.cancel()
        with contextlib.suppress(OSError):
            (self.folder / TOKEN_NAME).unlink()

    def _on_connection(self) -> None:
        while (socket := self._server.nextPendingConnection()) is not None:
            _Connection(socket, self)

    def serve(self, socket: QLocalSocket, message: dict[str, Any]) -> None:
        token = message.get("token")
        if not isinstance(token, str) or not hmac.compare_digest(token, self._token):
            log.warning("refused a local request with a wrong token")
            _send(socket, {"done": True, "ok": False, "code": 2, "error": "not authorized"})
            socket.disconnectFromServer()
            return
        task = asyncio.get_running_loop().create_task(self._answer(socket, message))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        socket.disconnected.connect(task.cancel)

    async def _answer(self, socket: QLocalSocket, message: dict[str, Any]) -> None:
        try:
            async for reply in self.handler.handle(message):
                if socket.state() != QLocalSocket.LocalSocketState.ConnectedState:
                    return
                _send(socket, reply)
        except Exception as exc:  # never let one bad request take the engine down
            log.exception("local request %s failed", message.get("cmd"))
            _send(socket, {"done": True, "ok": False, "code": 1, "error": str(exc)})
        socket.flush()
        socket.disconnectFromServer()


class _Connection(QObject):
    """Reads one JSON line from a client, then hands it to the server."""

    def __init__(self, socket: QLocalSocket, server: IpcServer) -> None:
        super().__init__(socket)
        self.socket = socket
        self.server = server
        self.buffer = b""
        socket.readyRead.connect(self._read)
        socket.disconnected.connect(socket.deleteLater)

    def _read(self) -> None:
        self.buffer += bytes(self.socket.readAll().data())
        if b"\n" not in self.buffer and len(self.buffer) <= MAX_LINE:
            return
        self.socket.readyRead.disconnect(self._read)
        line, _, _ = self.buffer.partition(b"\n")
        try:
            message = decode_request(line)
        except BadRequest as exc:
            self._refuse(str(exc))
            return
        self.server.serve(self.socket, message)

    def _refuse(self, why: str) -> None:
        """Answer "bad request", then close: the client never hangs on a bad request."""
        log.warning("refused a local request: %s", why)
        _send(self.socket, BAD_REQUEST)
        self.socket.flush()
        self.socket.disconnectFromServer()


def _send(socket: QLocalSocket, reply: dict[str, Any]) -> None:
    socket.write(json.dumps(reply).encode() + b"\n")
