"""A small WebDriver BiDi client over aiohttp's websocket, for driving Firefox directly.

No geckodriver exists here (see PLATFORM-NOTES): Firefox started with
``--remote-debugging-port`` speaks BiDi itself on ``ws://127.0.0.1:PORT/session``.
Commands are ``{"id", "method", "params"}``; the answer with the same ``id`` is either
``{"type": "success", "result"}`` or ``{"type": "error", "error", "message"}``; events are
``{"type": "event", "method", "params"}``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from typing import Any

import aiohttp

JSON = dict[str, Any]


class BiDiError(Exception):
    """The browser answered a command with an error."""

    def __init__(self, method: str, error: str, message: str) -> None:
        super().__init__(f"{method}: {error}: {message}")
        self.error = error


class ScriptError(Exception):
    """A script threw, or its promise rejected (the exception's text)."""


class BiDiClient:
    """One BiDi session: commands, events, and the few script helpers tests need."""

    def __init__(self, session: aiohttp.ClientSession, ws: aiohttp.ClientWebSocketResponse,
                 command_timeout: float) -> None:
        self._http = session
        self._ws = ws
        self._timeout = command_timeout
        self._next_id = 0
        self._pending: dict[int, asyncio.Future[JSON]] = {}
        self._listeners: list[Callable[[str, JSON], None]] = []
        self._reader = asyncio.get_running_loop().create_task(self._read())

    @classmethod
    async def connect(cls, url: str, command_timeout: float = 60.0) -> BiDiClient:
        """Open the websocket at ``url`` (``ws://host:port/session``)."""
        session = aiohttp.ClientSession()
        try:
            ws = await session.ws_connect(url, max_msg_size=0, heartbeat=None)
        except BaseException:
            await session.close()
            raise
        return cls(session, ws, command_timeout)

    async def close(self) -> None:
        self._reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._reader
        await self._ws.close()
        await self._http.close()

    # -- the wire ----------------------------------------------------------------------

    async def command(self, method: str, params: JSON | None = None,
                      timeout: float | None = None) -> JSON:
        """Send ``method`` and return its ``result``; raise :class:`BiDiError` on an error."""
        self._next_id += 1
        command_id = self._next_id
        answer: asyncio.Future[JSON] = asyncio.get_running_loop().create_future()
        self._pending[command_id] = answer
        try:
            await self._ws.send_str(json.dumps(
                {"id": command_id, "method": method, "params": params or {}}))
            async with asyncio.timeout(timeout or self._timeout):
                message = await answer
        finally:
            self._pending.pop(command_id, None)
        if message.get("type") == "error":
            raise BiDiError(method, str(message.get("error")), str(message.get("message")))
        result: JSON = message.get("result", {})
        return result

    def on_event(self, listener: Callable[[str, JSON], None]) -> None:
        """Call ``listener(method, params)`` for every event from now on."""
        self._listeners.append(listener)

    async def _read(self) -> None:
        try:
            async for frame in self._ws:
                if frame.type != aiohttp.WSMsgType.TEXT:
                    continue
                message: JSON = json.loads(frame.data)
                if message.get("type") == "event":
                    for listener in list(self._listeners):
                        listener(str(message.get("method")), message.get("params", {}))
                    continue
                answer = self._pending.get(message.get("id", -1))
                if answer is not None and not answer.done():
                    answer.set_result(message)
        finally:
            closed = ConnectionError("the BiDi websocket closed")
            for answer in self._pending.values():
                if not answer.done():
                    answer.set_exception(closed)

    # -- commands tests use -------------------------------------------------------------

    async def new_session(self, capabilities: JSON | None = None) -> JSON:
        return await self.command("session.new",
                                  {"capabilities": {"alwaysMatch": capabilities or {}}})

    async def install_extension(self, path: str) -> str:
        """Install the unpacked extension at ``path`` (temporarily); its add-on id."""
        result = await self.command("webExtension.install",
                                    {"extensionData": {"type": "path", "path": path}})
        return str(result["extension"])

    async def top_context(self) -> str:
        """The first top-level browsing context (tab)."""
        return str((await self.contexts())[0]["context"])

    async def chrome_context(self) -> str:
        """Firefox's browser window itself (needs ``--remote-allow-system-access``)."""
        tree = await self.command("browsingContext.getTree", {"maxDepth": 0, "moz:scope": "chrome"})
        return str(tree["contexts"][0]["context"])

    async def contexts(self) -> list[JSON]:
        """The top-level browsing contexts (tabs) with their URLs."""
        tree = await self.command("browsingContext.getTree", {"maxDepth": 0})
        contexts: list[JSON] = tree["contexts"]
        return contexts

    async def navigate(self, context: str, url: str) -> None:
        await self.command("browsingContext.navigate",
                           {"context": context, "url": url, "wait": "complete"})

    async def reload(self, context: str) -> None:
        await self.command("browsingContext.reload", {"context": context, "wait": "complete"})

    async def call_json(self, context: str, function: str, *args: Any) -> Any:
        """Run the (async) JavaScript ``function`` with JSON ``args`` in ``context``; its
        result, through ``JSON.stringify``, so no BiDi remote values need decoding."""
        declaration = (f"async (...args) => JSON.stringify("
                       f"await ({function})(...args.map((a) => JSON.parse(a))))")
        result = await self.command("script.callFunction", {
            "functionDeclaration": declaration,
            "arguments": [{"type": "string", "value": json.dumps(a)} for a in args],
            "target": {"context": context},
            "awaitPromise": True,
            "resultOwnership": "none",
        })
        return _json_result(result)

    async def evaluate_json(self, context: str, expression: str) -> Any:
        """``expression`` (awaited) through ``JSON.stringify``, in ``context``."""
        result = await self.command("script.evaluate", {
            "expression": f"(async () => JSON.stringify(await ({expression})))()",
            "target": {"context": context},
            "awaitPromise": True,
            "resultOwnership": "none",
        })
        return _json_result(result)


def _json_result(result: JSON) -> Any:
    if result.get("type") == "exception":
        details = result.get("exceptionDetails", {})
        raise ScriptError(str(details.get("text") or details))
    value = result.get("result", {})
    if value.get("type") != "string":
        return None  # JSON.stringify(undefined)
    return json.loads(value["value"])
