"""Unix signals inside a Qt event loop.

Python runs a signal handler only when the interpreter gets control, which a
Qt loop blocked in C never gives it; a wake-up fd watched by a
QSocketNotifier does.
"""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Callable

from PySide6.QtCore import QObject, QSocketNotifier


class SignalWatcher(QObject):
    def __init__(self, on_signal: Callable[[int], None],
                 signals: tuple[int, ...] = (signal.SIGINT, signal.SIGTERM)) -> None:
        super().__init__()
        self._on_signal = on_signal
        self._previous = {sig: signal.signal(sig, self._handle) for sig in signals}
        self._reader: socket.socket | None = None
        self._writer: socket.socket | None = None
        if sys.platform != "win32":
            self._reader, self._writer = socket.socketpair()
            self._reader.setblocking(False)
            self._writer.setblocking(False)
            self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
            self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
            self._notifier.activated.connect(self._drain)

    def _handle(self, signum: int, _frame: object) -> None:
        self._on_signal(signum)

    def _drain(self) -> None:
        assert self._reader is not None
        try:
            while self._reader.recv(64):
                pass
        except BlockingIOError:
            pass

    def close(self) -> None:
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        if self._reader is not None and self._writer is not None:
            signal.set_wakeup_fd(self._previous_fd)
            self._notifier.setEnabled(False)
            self._reader.close()
            self._writer.close()
