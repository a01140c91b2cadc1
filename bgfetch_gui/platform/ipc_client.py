"""Talking to a running engine from a plain process (the CLI): no Qt needed.

QLocalServer listens on a Unix socket on POSIX and a named pipe on Windows,
so the standard library reaches both.
"""

from __future__ import annotations

import json
import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ..engine.datadir import TOKEN_NAME, ipc_name


class EngineUnavailable(Exception):
    """No engine answers for this data folder."""


class IpcClient:
    def __init__(self, folder: Path, timeout: float | None = 10.0) -> None:
        self.folder = folder
        self.timeout = timeout

    def request(self, message: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Send one command; yield each reply until the one marked done."""
        yield from self.send(message)

    def send(self, message: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Send one command now (not on first iteration, unlike :meth:`request`); the
        iterator yields its replies until the one marked done."""
        try:
            token = (self.folder / TOKEN_NAME).read_text().strip()
        except OSError:
            raise EngineUnavailable("no engine token") from None
        stream = self._open()
        try:
            stream.write(json.dumps({**message, "token": token}).encode() + b"\n")
            stream.flush()
        except OSError:
            stream.close()
            raise
        return self._replies(stream)

    @staticmethod
    def _replies(stream: BinaryIO) -> Iterator[dict[str, Any]]:
        try:
            for line in stream:
                reply: dict[str, Any] = json.loads(line)
                yield reply
                if reply.get("done"):
                    return
            raise EngineUnavailable("the engine closed the connection")
        finally:
            stream.close()

    def call(self, message: dict[str, Any]) -> dict[str, Any]:
        replies = list(self.request(message))
        return replies[-1]

    def ping(self) -> dict[str, Any] | None:
        try:
            return self.call({"cmd": "ping"})
        except (EngineUnavailable, OSError, ValueError):
            return None

    def _open(self) -> BinaryIO:
        name = ipc_name(self.folder)
        if sys.platform == "win32":
            try:
                return open(rf"\\.\pipe\{name}", "r+b", buffering=0)
            except OSError as exc:
                raise EngineUnavailable(str(exc)) from None
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(name)
        except OSError as exc:
            sock.close()
            raise EngineUnavailable(str(exc)) from None
        sock.settimeout(None)
        stream: BinaryIO = sock.makefile("rwb")  # type: ignore[assignment]
        return stream
