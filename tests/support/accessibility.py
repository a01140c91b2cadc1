"""What a window shows, read the way a screen reader reads it: over AT-SPI.

A test of a real app in another process cannot ask its widgets what they display, but the
desktop's accessibility bus can: ``at-spi-bus-launcher`` on the session bus starts a private
accessibility bus (and the registry on it), Qt apps started with
``QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1`` publish their widget tree there, and every node has a
role and a name (a list row's name is its text).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dbus_fast import Message, MessageType
from dbus_fast.aio import MessageBus

LAUNCHER = Path("/usr/libexec/at-spi-bus-launcher")
REGISTRY = "org.a11y.atspi.Registry"
ROOT = "/org/a11y/atspi/accessible/root"
ACCESSIBLE = "org.a11y.atspi.Accessible"
# Apps publish their tree only if asked to; Qt reads this.
APP_ENV = {"QT_LINUX_ACCESSIBILITY_ALWAYS_ON": "1"}


@dataclass(frozen=True)
class Node:
    """One accessible object: its role ("cell", "push button"...), name, and address."""

    role: str
    name: str
    depth: int
    bus_name: str
    path: str


class AccessibilityBus:
    """``at-spi-bus-launcher`` on a session bus; stopped by its pid."""

    def __init__(self, env: dict[str, str], log: Path) -> None:
        if not LAUNCHER.exists():
            raise RuntimeError("at-spi-bus-launcher is missing (Debian package at-spi2-core)")
        self.session_address = env["DBUS_SESSION_BUS_ADDRESS"]
        with log.open("wb") as sink:
            self.proc = subprocess.Popen([str(LAUNCHER)], env=env, stdin=subprocess.DEVNULL,
                                         stdout=sink, stderr=subprocess.STDOUT,
                                         start_new_session=True)

    def stop(self) -> None:
        """End the launcher's process group: it, the accessibility bus and the registry."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, 15)
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 9)
            self.proc.wait()

    def nodes(self, limit: int = 5000) -> list[Node]:
        """Every accessible object of every app on the bus (at most ``limit``)."""
        return asyncio.run(_nodes(self.session_address, limit))

    def press(self, node: Node) -> None:
        """Do the object's first action: what a click does to a button."""
        asyncio.run(_do_action(self.session_address, node))


async def _call(bus: MessageBus, dest: str, path: str, interface: str, member: str,
                signature: str = "", body: list[Any] | None = None) -> list[Any]:
    reply = await bus.call(Message(destination=dest, path=path, interface=interface,
                                   member=member, signature=signature, body=body or []))
    assert reply is not None
    if reply.message_type == MessageType.ERROR:
        raise LookupError(f"{member} on {dest}{path}: {reply.error_name} {reply.body}")
    return list(reply.body)


async def _accessibility_bus(session_address: str) -> MessageBus:
    """A connection to the accessibility bus the session bus names."""
    session = await MessageBus(bus_address=session_address).connect()
    try:
        (address,) = await _call(session, "org.a11y.Bus", "/org/a11y/bus", "org.a11y.Bus",
                                 "GetAddress")
    finally:
        session.disconnect()
    return await MessageBus(bus_address=address).connect()


async def _do_action(session_address: str, node: Node) -> None:
    bus = await _accessibility_bus(session_address)
    try:
        await _call(bus, node.bus_name, node.path, "org.a11y.atspi.Action", "DoAction", "i", [0])
    finally:
        bus.disconnect()


async def _nodes(session_address: str, limit: int) -> list[Node]:
    bus = await _accessibility_bus(session_address)
    found: list[Node] = []

    async def walk(dest: str, path: str, depth: int) -> None:
        if len(found) >= limit:
            return
        (name,) = await _call(bus, dest, path, "org.freedesktop.DBus.Properties", "Get", "ss",
                             [ACCESSIBLE, "Name"])
        (role,) = await _call(bus, dest, path, ACCESSIBLE, "GetRoleName")
        found.append(Node(str(role), str(name.value), depth, dest, path))
        (children,) = await _call(bus, dest, path, ACCESSIBLE, "GetChildren")
        for child_dest, child_path in children:
            # A widget may go away while we read: its subtree is simply not there.
            with contextlib.suppress(LookupError):
                await walk(child_dest, child_path, depth + 1)

    try:
        # The registry's root is the desktop; its children are the apps.
        await walk(REGISTRY, ROOT, 0)
    finally:
        bus.disconnect()
    return found
