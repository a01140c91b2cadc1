"""The real ``bgfetch-native-host`` process, spoken to as a browser would: framed JSON.

A reader thread collects every frame the host writes: replies by their ``re``,
events in arrival order. Tests wait on those with deadlines, never on sleeps.
"""

from __future__ import annotations

import contextlib
import json
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.bridge.identity import CHROMIUM_ORIGIN

HOST = Path(sys.executable).parent / "bgfetch-native-host"
_HEADER = struct.Struct("=I")


def frame(body: bytes) -> bytes:
    return _HEADER.pack(len(body)) + body


class NativeHost:
    """One host process; ``env`` is the test data folder's (see cli_helpers.Home.env)."""

    def __init__(
        self, env: dict[str, str], argv: list[str] | None = None, program: str = str(HOST)
    ) -> None:
        self.proc = subprocess.Popen(
            [program, *([CHROMIUM_ORIGIN] if argv is None else argv)],
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            start_new_session=True,  # a process group of its own, as browsers give it
        )
        self._replies: dict[int, dict[str, Any]] = {}
        self.events: list[dict[str, Any]] = []
        self.unexpected: list[dict[str, Any]] = []
        self._changed = threading.Condition()
        self._seq = 1000
        self._ended = threading.Event()
        self.stderr = ""
        threading.Thread(target=self._read, daemon=True).start()

    # -- writing ------------------------------------------------------------------------

    def send_raw(self, data: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def send(self, message: dict[str, Any]) -> None:
        self.send_raw(frame(json.dumps(message).encode()))

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def call(self, kind: str, timeout: float = 30.0, **fields: Any) -> dict[str, Any]:
        """Send a v1 message of ``kind`` and wait for its reply."""
        seq = self.next_seq()
        self.send({"v": 1, "seq": seq, "type": kind, **fields})
        return self.reply(seq, timeout)

    def ok(self, kind: str, timeout: float = 30.0, **fields: Any) -> Any:
        """A call that must succeed; its result."""
        answer = self.call(kind, timeout, **fields)
        assert answer["ok"], answer
        return answer["result"]

    # -- reading ------------------------------------------------------------------------

    def reply(self, seq: int, timeout: float = 30.0) -> dict[str, Any]:
        return self._wait(lambda: self._replies.pop(seq, None), timeout, f"a reply to {seq}")

    def has_reply(self, seq: int) -> bool:
        with self._changed:
            return seq in self._replies

    def wait_event(
        self, predicate: Callable[[dict[str, Any]], bool], timeout: float = 30.0, what: str = "",
        after: int = 0,
    ) -> dict[str, Any]:
        """The first event from index ``after`` on that ``predicate`` accepts."""
        def find() -> dict[str, Any] | None:
            return next((e for e in self.events[after:] if predicate(e)), None)

        return self._wait(find, timeout, what or "an event")

    def _wait(self, find: Callable[[], Any], timeout: float, what: str) -> Any:
        deadline = time.monotonic() + timeout
        with self._changed:
            while (found := find()) is None:
                left = deadline - time.monotonic()
                if left <= 0 or (self._ended.is_set() and find() is None):
                    pytest.fail(f"no {what} from the native host within {timeout}s; "
                                f"alive={self.alive}, events={self.events[-3:]}")
                self._changed.wait(min(left, 0.5))
            return found

    def _read(self) -> None:
        out = self.proc.stdout
        assert out is not None
        try:
            while (header := out.read(4)) and len(header) == 4:
                (length,) = _HEADER.unpack(header)
                assert length < 1 << 20, f"the host sent {length} bytes in one message"
                message = json.loads(out.read(length))
                with self._changed:
                    if "re" in message:
                        assert message["re"] not in self._replies, "two replies to one seq"
                        self._replies[message["re"]] = message
                    elif "event" in message:
                        self.events.append(message)
                    else:
                        self.unexpected.append(message)
                    self._changed.notify_all()
        finally:
            self._ended.set()
            with self._changed:
                self._changed.notify_all()

    # -- the process --------------------------------------------------------------------

    @property
    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self, timeout: float = 10.0) -> int:
        """Close stdin as a browser does, and wait for the host to leave."""
        with contextlib.suppress(OSError):
            assert self.proc.stdin is not None
            self.proc.stdin.close()
        try:
            code = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            pytest.fail("the native host did not exit when its stdin closed")
        assert self.proc.stderr is not None
        self.stderr = self.proc.stderr.read().decode(errors="replace")
        return code
