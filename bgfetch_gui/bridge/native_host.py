"""``bgfetch-native-host``: the process a browser starts for bgfetch's extension.

It turns each message from the extension into one ``web`` command on the
engine's user-only socket, and the engine's ``web-events`` stream into
unsolicited messages (docs/browser-bridge.md). It never forwards a message as
any other command, and judges only the envelope: the engine enforces the rules.

Calls run on threads of their own, so a consent prompt that waits for the user
holds up neither other calls nor progress events. Qt-free, so the browser gets
its first answer fast. stdout is the protocol channel: nothing else writes to it.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import threading
from pathlib import Path
from typing import Any, BinaryIO

from ..engine.datadir import data_dir
from ..platform.engine_launch import (
    DAEMON_LOG,
    GUI_OUTPUT_LOG,
    display_available,
    start_engine,
)
from ..platform.ipc_client import EngineUnavailable, IpcClient
from . import nativemsg
from .envelope import PROTOCOL_VERSION, Call, EnvelopeError, parse_call, usable_seq
from .identity import caller_allowed

log = logging.getLogger("bgfetch.native_host")

LOG_NAME = "native-host.log"
START_TIMEOUT = 20.0
MAX_CALLS_IN_FLIGHT = 64
EVENT_RETRY_MIN, EVENT_RETRY_MAX = 0.2, 2.0
SUBSCRIBE_WAIT = 2.0
EXIT_OK, EXIT_ERROR, EXIT_REFUSED = 0, 1, 2

# What a page's promise may reject with; anything else from the engine is a NetworkError.
ERROR_NAMES = frozenset({
    "TypeError", "QuotaExceededError", "NotAllowedError", "InvalidStateError",
    "NotFoundError", "NetworkError", "NotSupportedError",
})
EVENT_FIELDS = ("event", "origin", "registration")


class EngineUnreachable(Exception):
    """No engine answers and none could be started."""


class Engine:
    """The engine of one data folder, started on first need (once, whatever the callers)."""

    def __init__(self, folder: Path, gui: bool) -> None:
        self.folder = folder
        self.gui = gui
        self.reachable = threading.Event()  # set whenever a call found the engine
        self._start_lock = threading.Lock()

    def client(self) -> tuple[IpcClient, bool]:
        """A client of the running engine, and whether we had to start it."""
        started = False
        client = IpcClient(self.folder)
        if client.ping() is None:
            with self._start_lock:  # concurrent calls start one engine, not several
                if client.ping() is None:
                    self._start()
                    started = True
        self.reachable.set()
        return client, started

    def _start(self) -> None:
        what, log_name = ("bgfetch-gui", GUI_OUTPUT_LOG) if self.gui else ("bgfetch daemon",
                                                                             DAEMON_LOG)
        log.info("no engine answers; starting %s", what)
        try:
            client = start_engine(self.folder, gui=self.gui, wait=START_TIMEOUT)
        except OSError as exc:
            log.error("could not start %s: %s", what, exc)
            raise EngineUnreachable(f"bgfetch could not be started: {exc}") from None
        if client is None:
            log.error("%s did not answer within %.0f s", what, START_TIMEOUT)
            raise EngineUnreachable(
                f"bgfetch did not start in {START_TIMEOUT:.0f} s; see {self.folder / log_name}"
            )


class NativeHost:
    """One browser connection: framed messages in on ``incoming``, out on ``outgoing``."""

    def __init__(self, engine: Engine, outgoing: BinaryIO) -> None:
        self.engine = engine
        self._out = outgoing
        self._out_lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(MAX_CALLS_IN_FLIGHT)
        self._closed = threading.Event()
        self._subscribed = threading.Event()  # our web-events request is with the engine

    def serve(self, incoming: BinaryIO) -> int:
        """Answer messages until the browser closes the pipe (or cuts a frame short)."""
        threading.Thread(target=self._pump_events, name="web-events", daemon=True).start()
        while True:
            try:
                message = nativemsg.read_message(incoming)
            except nativemsg.NativeMessageError as exc:
                log.warning("dropped a message: %s", exc)  # no seq can be trusted: no reply
                continue
            if message is None:
                break
            self._dispatch(message)
        self._closed.set()
        log.info("the browser closed the connection")
        return EXIT_OK

    def _dispatch(self, message: dict[str, Any]) -> None:
        seq = usable_seq(message)
        if seq is None:
            log.warning("dropped a message without a usable seq")
            return
        try:
            call = parse_call(message)
        except EnvelopeError as exc:
            log.warning("refused message %d: %s", seq, exc)
            self._reply_error(seq, exc.name, str(exc))
            return
        self._slots.acquire()  # back-pressure on the browser once many calls wait
        threading.Thread(target=self._run, args=(call,), name=f"call-{seq}", daemon=True).start()

    def _run(self, call: Call) -> None:
        try:
            self._answer(call)
        except Exception:  # never let one call take the host down
            log.exception("call %d (%s) failed", call.seq, call.type)
            self._reply_error(call.seq, "NetworkError", "bgfetch failed to answer")
        finally:
            self._slots.release()

    def _answer(self, call: Call) -> None:
        log.info("call %d: %s %s", call.seq, call.type, call.origin or "")
        try:
            client, started = self.engine.client()
            # Subscribed before the call, so a fetch that settles at once still
            # reaches the page as a success event.
            self._subscribed.wait(SUBSCRIBE_WAIT)
            reply = client.call({"cmd": "web", "call": call.body})
        except EngineUnreachable as exc:
            self._reply_error(call.seq, "NetworkError", str(exc))
            return
        except (EngineUnavailable, OSError, ValueError) as exc:
            log.warning("call %d: lost the engine: %s", call.seq, exc)
            self._reply_error(call.seq, "NetworkError", "lost the connection to bgfetch")
            return
        if not reply.get("ok"):
            name = reply.get("name")
            self._reply_error(call.seq, name if name in ERROR_NAMES else "NetworkError",
                              str(reply.get("error", "bgfetch refused the call")))
            return
        result = reply.get("result")
        if call.type == "hello" and isinstance(result, dict):
            result = {**result, "started": started}
        self._send({"v": PROTOCOL_VERSION, "re": call.seq, "ok": True, "result": result},
                   call.seq)

    def _reply_error(self, seq: int, name: str, message: str) -> None:
        self._send({"v": PROTOCOL_VERSION, "re": seq, "ok": False,
                    "error": {"name": name, "message": message}}, seq)

    def _send(self, message: dict[str, Any], seq: int | None = None) -> None:
        try:
            frame = nativemsg.encode(message)
        except nativemsg.OutgoingTooLarge as exc:
            log.error("a message to the browser was too large: %s", exc)
            if seq is None:
                return
            frame = nativemsg.encode({"v": PROTOCOL_VERSION, "re": seq, "ok": False, "error": {
                "name": "NetworkError", "message": "the answer is too large for the browser"}})
        with self._out_lock:
            try:
                self._out.write(frame)
                self._out.flush()
            except (BrokenPipeError, ValueError, OSError):
                self._closed.set()  # the browser is gone; reading stdin ends the host

    # -- events -------------------------------------------------------------------------

    def _pump_events(self) -> None:
        """Forward the engine's web events for as long as we live, across engine restarts."""
        delay = EVENT_RETRY_MIN
        while not self._closed.is_set():
            try:
                lines = IpcClient(self.engine.folder).send({"cmd": "web-events"})
                self._subscribed.set()
                for line in lines:
                    delay = EVENT_RETRY_MIN
                    if "event" in line:
                        self._send({"v": PROTOCOL_VERSION,
                                    **{key: line.get(key) for key in EVENT_FIELDS}})
                    elif line.get("done"):
                        log.warning("the engine ended web-events: %s", line.get("error"))
            except (EngineUnavailable, OSError, ValueError):
                pass
            finally:
                self._subscribed.clear()
            # A call that finds (or starts) the engine wakes us at once.
            self.engine.reachable.wait(delay)
            self.engine.reachable.clear()
            delay = min(delay * 2, EVENT_RETRY_MAX)


def setup_logging(folder: Path) -> None:
    """A small rotating file in the data folder: stdout is the protocol, stderr the browser's."""
    handler = logging.handlers.RotatingFileHandler(
        folder / LOG_NAME, maxBytes=500_000, backupCount=1, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)


def claim_stdout() -> BinaryIO:
    """The protocol channel, taken out of everyone else's reach: a stray print() from
    any library goes to stderr instead of corrupting a frame."""
    channel = os.fdopen(os.dup(sys.stdout.fileno()), "wb")
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdout = sys.stderr
    if sys.platform == "win32":  # no CRLF translation inside frames
        import msvcrt

        msvcrt.setmode(sys.stdin.fileno(), os.O_BINARY)
        msvcrt.setmode(channel.fileno(), os.O_BINARY)
    return channel


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    try:
        folder = data_dir()
        setup_logging(folder)
    except OSError as exc:
        print(f"bgfetch-native-host: cannot use the data folder: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if not caller_allowed(args):
        log.warning("refused a caller that is not bgfetch's extension: %r", args[:2])
        print("bgfetch-native-host: only bgfetch's browser extension may start this host",
              file=sys.stderr)
        return EXIT_REFUSED
    log.info("started for %s (pid %d)", args[0] if args else "?", os.getpid())
    host = NativeHost(Engine(folder, gui=display_available()), claim_stdout())
    return host.serve(sys.stdin.buffer)


if __name__ == "__main__":
    sys.exit(main())
