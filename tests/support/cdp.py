"""Run JavaScript in a Chromium extension's service worker over the DevTools protocol.

Selenium's ``execute_cdp_cmd`` reaches only the page; the extension's service worker is
a target of its own, listed at ``http://DEBUGGER_ADDRESS/json/list`` (chromedriver starts
Chromium with a DevTools port and reports it as ``goog:chromeOptions.debuggerAddress``).
This lets a test do what a user's click would make the browser do, e.g. dispatch
``chrome.contextMenus.onClicked`` to the extension's own listener.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import aiohttp


class WorkerScriptError(Exception):
    """The script threw or its promise rejected."""


def evaluate_in_worker(debugger_address: str, url_prefix: str, expression: str,
                       timeout: float = 60.0) -> Any:
    """The value (by JSON) of ``expression``, awaited, in the service worker whose script URL
    starts with ``url_prefix``; waits up to ``timeout`` s for that worker to be running."""
    return asyncio.run(_evaluate(debugger_address, url_prefix, expression, timeout))


async def _evaluate(address: str, url_prefix: str, expression: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    async with asyncio.timeout(timeout), aiohttp.ClientSession() as http:
        while True:
            async with http.get(f"http://{address}/json/list") as answer:
                targets: list[dict[str, Any]] = await answer.json()
            worker = next((t for t in targets if t.get("type") == "service_worker"
                           and str(t.get("url", "")).startswith(url_prefix)), None)
            if worker is not None:
                break
            if time.monotonic() > deadline:
                raise TimeoutError(f"no service worker at {url_prefix}: {targets}")
            await asyncio.sleep(0.1)
        async with http.ws_connect(worker["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            # A worker that has just started may not have its extension bindings yet.
            while not (await _call(ws, 1, "typeof chrome === 'object' && !!chrome.runtime"))[
                    "result"].get("result", {}).get("value"):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"the worker at {url_prefix} has no extension APIs")
                await asyncio.sleep(0.1)
            message = await _call(ws, 2, expression)
    if "error" in message:
        raise WorkerScriptError(str(message["error"]))
    result = message["result"]
    if "exceptionDetails" in result:
        details = result["exceptionDetails"]
        raise WorkerScriptError(str(details.get("exception", {}).get("description")
                                    or details.get("text")))
    return result["result"].get("value")


async def _call(ws: aiohttp.ClientWebSocketResponse, command_id: int,
                expression: str) -> dict[str, Any]:
    """``Runtime.evaluate`` of ``expression`` (awaited, by value): the protocol's answer."""
    await ws.send_json({"id": command_id, "method": "Runtime.evaluate", "params": {
        "expression": expression, "awaitPromise": True, "returnByValue": True}})
    while True:
        message: dict[str, Any] = await ws.receive_json()
        if message.get("id") == command_id:
            return message
