"""A freedesktop notification server for tests, run as a child process.

Tests of notifications need to see exactly what an application sent
(``Notify`` arguments, hints, ``replaces_id``) and to click on its actions —
things a real server (dunst, GNOME Shell) neither reports nor lets a test do.
So this module implements ``org.freedesktop.Notifications`` on a D-Bus bus,
records every call, and emits ``ActionInvoked`` / ``NotificationClosed`` on
command, in the spirit of qutebrowser's ``tests/end2end/fixtures/notificationserver.py``.

It runs in a child process (``python notification_server.py``), so the test
process, which holds the Qt application and its event loop, only talks to it
over pipes:

* stdout: one JSON object per line — ``{"event": "ready"}``, then
  ``{"event": "notify", ...}`` for each ``Notify`` (the id it returned and every
  argument), ``{"event": "closed", "id", "reason"}`` whenever it emits
  ``NotificationClosed``, and ``{"event": "ack", "seq"}`` per command;
* stdin: one JSON command per line — ``{"cmd": "action", "id", "key"}``,
  ``{"cmd": "close", "id", "reason"}``, ``{"cmd": "caps", "caps": [...]}``,
  ``{"cmd": "quit"}`` (each may carry a ``seq`` to be acknowledged).

Like GDBus-based servers, it rejects a ``Notify`` whose signature is not
``susssasa{sv}i`` (``InvalidArgs``), so a client that sends ``replaces_id``
as ``int32`` fails here as it would on a desktop.

:class:`NotificationServer` is the test side: it starts the child, collects
what it reports, and sends commands. The pytest fixtures are in
``notification_fixtures.py``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

BUS_NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
IFACE = "org.freedesktop.Notifications"
NOTIFY_SIGNATURE = "susssasa{sv}i"

DEFAULT_CAPABILITIES = (
    "actions",
    "body",
    "body-markup",
    "icon-static",
    "persistence",
)
SERVER_INFORMATION = ("bgfetch-test-server", "bgfetch", "1.0", "1.2")

T = TypeVar("T")


# ------------------------------------------------------------------------------------
# The server (child process)
# ------------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """dbus-fast values (Variants, bytes, tuples) as JSON-friendly Python."""
    from dbus_fast import Variant

    if isinstance(value, Variant):
        return _plain(value.value)
    if isinstance(value, bytes | bytearray):
        return list(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


class _Server:
    """The bus side: answers the four methods and emits the two signals."""

    def __init__(self, capabilities: list[str], out: IO[str]) -> None:
        self.capabilities = capabilities
        self._out = out
        self._out_lock = threading.Lock()
        self._next_id = 1
        self._open: set[int] = set()
        self.bus: Any = None

    def report(self, **event: Any) -> None:
        with self._out_lock:
            self._out.write(json.dumps(event) + "\n")
            self._out.flush()

    async def run(self, address: str | None) -> None:
        from dbus_fast.aio import MessageBus

        self.bus = await MessageBus(bus_address=address).connect()
        self.bus.add_message_handler(self._handle)
        await self.bus.request_name(BUS_NAME)
        self.report(event="ready", unique_name=self.bus.unique_name)
        await self.bus.wait_for_disconnect()

    def _handle(self, msg: Any) -> Any:
        from dbus_fast import Message, MessageType

        if msg.message_type != MessageType.METHOD_CALL or msg.interface != IFACE:
            return None
        if msg.member == "GetCapabilities":
            return Message.new_method_return(msg, "as", [self.capabilities])
        if msg.member == "GetServerInformation":
            return Message.new_method_return(msg, "ssss", list(SERVER_INFORMATION))
        if msg.member == "Notify":
            if msg.signature != NOTIFY_SIGNATURE:
                return Message.new_error(
                    msg,
                    "org.freedesktop.DBus.Error.InvalidArgs",
                    f"Type of message, '({msg.signature})', does not match "
                    f"expected type '({NOTIFY_SIGNATURE})'",
                )
            app_name, replaces_id, app_icon, summary, body, actions, hints, timeout = msg.body
            if replaces_id and replaces_id in self._open:
                notification_id = replaces_id
            else:
                notification_id = self._next_id
                self._next_id += 1
            self._open.add(notification_id)
            self.report(
                event="notify",
                id=notification_id,
                sender=msg.sender,
                app_name=app_name,
                replaces_id=replaces_id,
                app_icon=app_icon,
                summary=summary,
                body=body,
                actions=list(actions),
                hints=_plain(hints),
                timeout=timeout,
                time=time.monotonic(),
            )
            return Message.new_method_return(msg, "u", [notification_id])
        if msg.member == "CloseNotification":
            if msg.signature != "u":
                return Message.new_error(
                    msg, "org.freedesktop.DBus.Error.InvalidArgs", "expected (u)"
                )
            self.emit_closed(msg.body[0], 3)
            return Message.new_method_return(msg)
        return Message.new_error(
            msg, "org.freedesktop.DBus.Error.UnknownMethod", f"no method {msg.member}"
        )

    def emit_action(self, notification_id: int, key: str) -> None:
        from dbus_fast import Message

        self.bus.send(
            Message.new_signal(PATH, IFACE, "ActionInvoked", "us", [notification_id, key])
        )

    def emit_closed(self, notification_id: int, reason: int) -> None:
        from dbus_fast import Message

        self._open.discard(notification_id)
        self.bus.send(
            Message.new_signal(PATH, IFACE, "NotificationClosed", "uu", [notification_id, reason])
        )
        self.report(event="closed", id=notification_id, reason=reason, time=time.monotonic())

    def command(self, cmd: dict[str, Any]) -> bool:
        """Run one command from the test; False means quit."""
        kind = cmd.get("cmd")
        if kind == "action":
            self.emit_action(int(cmd["id"]), str(cmd.get("key", "default")))
        elif kind == "close":
            self.emit_closed(int(cmd["id"]), int(cmd.get("reason", 2)))
        elif kind == "caps":
            self.capabilities = [str(c) for c in cmd["caps"]]
        elif kind == "quit":
            return False
        if "seq" in cmd:
            self.report(event="ack", seq=cmd["seq"])
        return True


def _serve(address: str | None, capabilities: list[str]) -> None:
    """Serve until stdin closes or a ``quit`` command arrives."""
    server = _Server(capabilities, sys.stdout)
    loop = asyncio.new_event_loop()
    done = loop.create_future()

    def read_commands() -> None:
        for line in sys.stdin:
            if not line.strip():
                continue
            try:
                cmd = json.loads(line)
            except ValueError:
                continue
            keep_going = asyncio.run_coroutine_threadsafe(_run_command(server, cmd), loop).result()
            if not keep_going:
                break
        loop.call_soon_threadsafe(finish)

    def finish() -> None:
        if not done.done():
            done.set_result(None)

    threading.Thread(target=read_commands, daemon=True).start()
    main = loop.create_task(server.run(address))
    loop.run_until_complete(asyncio.wait([main, done], return_when=asyncio.FIRST_COMPLETED))
    failure = main.exception() if main.done() else None
    if failure is not None:
        raise failure
    if server.bus is not None:
        server.bus.disconnect()


async def _run_command(server: _Server, cmd: dict[str, Any]) -> bool:
    return server.command(cmd)


def main(argv: list[str] | None = None) -> int:
    """Entry point of the child process."""
    parser = argparse.ArgumentParser(description="freedesktop notification server for tests")
    parser.add_argument("--address", default=None, help="bus address (default: session bus)")
    parser.add_argument(
        "--caps", default=",".join(DEFAULT_CAPABILITIES), help="comma-separated capabilities"
    )
    args = parser.parse_args(argv)
    _serve(args.address, [c for c in args.caps.split(",") if c])
    return 0


# ------------------------------------------------------------------------------------
# The test side
# ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Notification:
    """One ``Notify`` call as the server received it, with the id it answered."""

    id: int
    app_name: str
    replaces_id: int
    app_icon: str
    summary: str
    body: str
    actions: list[str]
    hints: dict[str, Any]
    timeout: int
    time: float  # time.monotonic() in the server when it arrived (same clock here)
    sender: str = ""

    @property
    def action_keys(self) -> list[str]:
        """The keys of the actions, without their labels."""
        return self.actions[0::2]

    @property
    def action_labels(self) -> dict[str, str]:
        """Action key → label."""
        return dict(zip(self.actions[0::2], self.actions[1::2], strict=False))


@dataclass(frozen=True)
class Closed:
    """A ``NotificationClosed`` the server emitted (reason 3: a CloseNotification call)."""

    id: int
    reason: int
    time: float


class NotificationServer:
    """Runs the server in a child process on ``bus_address`` and exposes what it saw.

    Everything is thread-safe; the ``wait_*`` coroutines poll, so they work on
    any asyncio loop (qasync included) without blocking it.
    """

    def __init__(
        self,
        bus_address: str,
        capabilities: Sequence[str] = DEFAULT_CAPABILITIES,
    ) -> None:
        self.bus_address = bus_address
        self._capabilities = list(capabilities)
        self._proc: subprocess.Popen[str] | None = None
        self._cond = threading.Condition()
        self._notifications: list[Notification] = []
        self._closed: list[Closed] = []
        self._acks: set[int] = set()
        self._ready = False
        self._seq = 0
        self._stderr: list[str] = []

    # -- life cycle --------------------------------------------------------------

    def start(self, timeout: float = 10.0) -> NotificationServer:
        """Start the child and wait until it owns the bus name."""
        env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": self.bus_address}
        self._proc = subprocess.Popen(
            [
                sys.executable,
                str(Path(__file__).resolve()),
                "--address",
                self.bus_address,
                "--caps",
                ",".join(self._capabilities),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        threading.Thread(target=self._read_stdout, daemon=True).start()
        threading.Thread(target=self._read_stderr, daemon=True).start()
        with self._cond:
            if not self._cond.wait_for(lambda: self._ready or self._exited(), timeout):
                self.stop()
                raise TimeoutError("the notification server did not start")
            if not self._ready:
                raise RuntimeError(
                    "the notification server exited: " + "".join(self._stderr[-20:])
                )
        return self

    def stop(self) -> None:
        """Ask the child to quit; kill it if it does not."""
        proc, self._proc = self._proc, None
        if proc is None:
            return
        with contextlib.suppress(OSError, ValueError):
            assert proc.stdin is not None
            proc.stdin.write(json.dumps({"cmd": "quit"}) + "\n")
            proc.stdin.flush()
            proc.stdin.close()
        try:
            proc.wait(timeout=3)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> NotificationServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _exited(self) -> bool:
        return self._proc is None or self._proc.poll() is not None

    def _read_stdout(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                kind = event.pop("event", None)
                if kind == "ready":
                    self._ready = True
                elif kind == "notify":
                    self._notifications.append(Notification(**event))
                elif kind == "closed":
                    self._closed.append(Closed(**event))
                elif kind == "ack":
                    self._acks.add(int(event["seq"]))
                self._cond.notify_all()
        with self._cond:
            self._cond.notify_all()

    def _read_stderr(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stderr is not None
        for line in proc.stderr:
            self._stderr.append(line)

    # -- what the server saw -----------------------------------------------------

    @property
    def notifications(self) -> list[Notification]:
        """Every ``Notify`` so far, oldest first."""
        with self._cond:
            return list(self._notifications)

    @property
    def closed(self) -> list[Closed]:
        """Every ``NotificationClosed`` emitted so far, oldest first."""
        with self._cond:
            return list(self._closed)

    def history(self, notification_id: int) -> list[Notification]:
        """The ``Notify`` calls that created or replaced ``notification_id``."""
        return [n for n in self.notifications if n.id == notification_id]

    async def wait_for(
        self,
        check: Callable[[NotificationServer], T | None],
        timeout: float = 5.0,
        what: str = "",
    ) -> T:
        """Poll ``check(self)`` until it returns something truthy (returned)."""
        deadline = time.monotonic() + timeout
        while True:
            result = check(self)
            if result:
                return result
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"timed out waiting for {what or check}; notifications: "
                    f"{[(n.id, n.summary, n.body) for n in self.notifications]}"
                )
            await asyncio.sleep(0.02)

    async def wait_notification(
        self, match: Callable[[Notification], bool], timeout: float = 5.0, what: str = ""
    ) -> Notification:
        """The first (oldest) notification that ``match`` accepts, once it arrives."""

        def check(server: NotificationServer) -> Notification | None:
            return next((n for n in server.notifications if match(n)), None)

        return await self.wait_for(check, timeout, what)

    # -- commands ----------------------------------------------------------------

    def invoke_action(self, notification_id: int, key: str = "default") -> None:
        """Emit ``ActionInvoked(id, key)``, as if the user clicked that action."""
        self._command({"cmd": "action", "id": notification_id, "key": key})

    def dismiss(self, notification_id: int, reason: int = 2) -> None:
        """Emit ``NotificationClosed(id, reason)`` (2: the user dismissed it)."""
        self._command({"cmd": "close", "id": notification_id, "reason": reason})

    def set_capabilities(self, capabilities: Sequence[str]) -> None:
        """What ``GetCapabilities`` answers from now on."""
        self._capabilities = list(capabilities)
        if self._proc is not None:
            self._command({"cmd": "caps", "caps": self._capabilities})

    def _command(self, cmd: dict[str, Any], timeout: float = 5.0) -> None:
        """Send a command and wait for its acknowledgement (a few ms)."""
        proc = self._proc
        if proc is None or proc.stdin is None:
            raise RuntimeError("the notification server is not running")
        with self._cond:
            self._seq += 1
            seq = self._seq
        proc.stdin.write(json.dumps({**cmd, "seq": seq}) + "\n")
        proc.stdin.flush()
        with self._cond:
            if not self._cond.wait_for(lambda: seq in self._acks or self._exited(), timeout):
                raise TimeoutError(f"the notification server did not acknowledge {cmd}")
            if seq not in self._acks:
                raise RuntimeError("the notification server exited: " + "".join(self._stderr))


if __name__ == "__main__":
    sys.exit(main())
