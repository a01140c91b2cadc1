"""The engine's local API: JSON commands from the CLI and from second instances.

Transport-free on purpose: ``platform.ipc`` carries the messages over a
user-only local socket; this module only turns one request into replies.
Every reply is a JSON object; the last one of a command has ``"done": true``.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import sqlite3
from collections.abc import AsyncIterator, Callable
from typing import Any

from .errors import BgfetchError, InvalidFetch, UnknownFetch
from .events import FetchEvent
from .fetch_ref import older_with_same_id, ref_of, resolve
from .file_actions import replace_url, retry_file, skip
from .file_hashes import record_hashes
from .manager import FetchManager
from .manifest import parse_spec
from .model import FailureReason, Snapshot
from .registration import Registration
from .web.sites import Sites, normalize_origin, site_json
from .web.webapi import ConsentPrompt, NoConsentUi, WebApi, WebError, event_json

log = logging.getLogger("bgfetch.api")

Reply = dict[str, Any]


def registration_json(reg: Registration, *, records: bool) -> dict[str, Any]:
    """``show --json`` (with records) and ``list --json`` (without) of docs/contracts.md §4."""
    data = reg.snapshot().to_json()
    if records:
        data["records"] = [
            {
                "url": r.request.url,
                "status": r.status,
                "path": str(r.path.absolute()) if r.path else None,
                "size": r.size,
                "replaced_url": r.replaced_url,
                "skipped": r.skipped,
            }
            for r in reg.records()
        ]
    return data


def progress_json(snapshot: Snapshot) -> dict[str, Any]:
    data = snapshot.to_json()
    data["speed"] = snapshot.speed
    data["expected_size"] = snapshot.expected_size
    return data


def wait_progress_json(reg: Registration, snapshot: Snapshot) -> dict[str, Any]:
    """What ``bgfetch wait`` draws its progress bar from: the progress and the files done."""
    data = progress_json(snapshot)
    data["files_done"] = sum(1 for r in reg.row.requests if r.complete)
    data["files_total"] = len(reg.row.requests)
    return data


class CommandHandler:
    """Runs one command against the manager; ``kind`` says what hosts the engine."""

    def __init__(
        self,
        manager: FetchManager,
        kind: str,
        on_quit: Callable[[], None],
        on_show: Callable[[str | None], None] | None = None,
        on_link: Callable[[str], None] | None = None,
        *,
        sites: Sites | None = None,
        consent: ConsentPrompt | None = None,
    ) -> None:
        self.manager = manager
        self.kind = kind
        self.on_quit = on_quit
        self.on_show = on_show
        self.on_link = on_link  # the GUI asks the user about a bgfetch: link
        self.sites = sites or Sites(manager.store)
        self.web = WebApi(manager, self.sites, consent or NoConsentUi(), kind)

    async def handle(self, message: dict[str, Any]) -> AsyncIterator[Reply]:
        command = message.get("cmd")
        # A reply tells only what is stored: `show` never reports a file complete that a
        # kill could take back (engine/record_writes.py).
        with contextlib.suppress(sqlite3.OperationalError):  # kept in records.failure
            self.manager.records.commit()
        try:
            if command == "wait":
                async for reply in self._wait(self._find(message)):
                    yield reply
                return
            if command == "web":
                yield await self._web(message.get("call"))
                return
            if command == "web-events":
                async for reply in self._web_events():
                    yield reply
                return
            yield await self._simple(str(command), message)
        except UnknownFetch as exc:
            yield {"done": True, "ok": False, "code": 2, "error": str(exc)}
        except InvalidFetch as exc:
            yield {"done": True, "ok": False, "code": 2, "error": str(exc)}
        except BgfetchError as exc:
            yield {"done": True, "ok": False, "code": 1, "error": str(exc)}

    async def _simple(self, command: str, message: dict[str, Any]) -> Reply:
        manager = self.manager
        if command == "ping":
            return {"done": True, "ok": True, "kind": self.kind, "pid": os.getpid()}
        if command == "fetch":
            spec = parse_spec(message.get("spec"))
            reg = await manager.fetch(spec.id, spec.requests, spec.options, dest=spec.dest)
            return {"done": True, "ok": True, "id": reg.id,
                    "older": older_with_same_id(manager.registrations(), reg)}
        if command == "list":
            everything = manager.registrations()
            regs = [registration_json(r, records=False) for r in everything]
            if message.get("table"):  # `bgfetch list` without --json: names and dates too
                for data, reg in zip(regs, everything, strict=True):
                    data["ref"] = ref_of(everything, reg)
                    data["created_at"] = reg.row.created_at
                    data["expected_size"] = reg.expected_size
            return {"done": True, "ok": True, "registrations": regs}
        if command == "show":
            reg = self._find(message)
            data = registration_json(reg, records=True)
            if message.get("sha256"):  # `show --json` (docs/contracts.md §12)
                hashes = await record_hashes(manager.store, reg)
                for record, sha256 in zip(data["records"], hashes, strict=True):
                    record["sha256"] = sha256
            return {"done": True, "ok": True, "ref": ref_of(manager.registrations(), reg),
                    "registration": data}
        if command in ("pause", "resume", "abort"):
            reg = self._find(message)
            if command == "resume" and reg.result == "failure" and (
                reg.failure_reason != FailureReason.ABORTED
            ):
                # A failed fetch (a full disk, say) resumes from its checkpoint.
                await manager.retry(reg)
                return {"done": True, "ok": True, "changed": True, "state": str(reg.state)}
            action = {"pause": manager.pause, "resume": manager.resume, "abort": manager.abort}
            changed = await action[command](reg)
            return {"done": True, "ok": True, "changed": changed, "state": str(reg.state)}
        if command == "limit":
            reg, rate = self._find(message), message.get("rate")
            if not isinstance(rate, int) or isinstance(rate, bool) or rate < 0:
                raise InvalidFetch("rate: expected bytes per second, 0 or more")
            manager.set_speed_limit(reg, rate)
            return {"done": True, "ok": True}
        if command in ("replace-url", "retry", "skip"):
            return await self._file_action(command, self._find(message), message)
        if command == "move":
            reg, where = self._find(message), message.get("to")
            return {"done": True, "ok": True, "position": manager.move(reg, str(where))}
        if command == "start-at":  # docs/contracts.md §10
            reg, when = self._find(message), message.get("at")
            if not isinstance(when, int | float) or isinstance(when, bool) or when < 0:
                raise InvalidFetch("at: expected seconds since the epoch, or 0 for now")
            manager.set_start_at(reg, float(when))
            return {"done": True, "ok": True, "state": str(reg.state)}
        if command == "alt-speed":  # docs/contracts.md §9: kept in settings.json
            on = message.get("on")
            if not isinstance(on, bool):
                raise InvalidFetch("on: expected true or false")
            manager.set_alt_speed(on)
            await asyncio.to_thread(manager.settings.save, manager.store.path.parent)
            return {"done": True, "ok": True, "limit": manager.settings.alt_speed_limit}
        if command == "sites":
            return self._sites(message)
        if command == "quit":
            asyncio.get_running_loop().call_soon(self.on_quit)
            return {"done": True, "ok": True}
        if command == "show-window":
            if self.on_show is None:
                raise InvalidFetch("this engine has no window")
            self.on_show(message.get("id"))
            return {"done": True, "ok": True}
        if command == "open-link":
            link = message.get("link")
            if self.on_link is None or not isinstance(link, str):
                raise InvalidFetch("this engine cannot open bgfetch: links")
            self.on_link(link)
            return {"done": True, "ok": True}
        raise InvalidFetch(f"unknown command {command!r}")

    async def _file_action(self, command: str, reg: Registration,
                           message: dict[str, Any]) -> Reply:
        """``replace-url``, ``retry`` (of one file, or of the whole fetch without
        ``file``) and ``skip`` (docs/contracts.md §13); ``file`` counts from 1."""
        if command == "retry" and message.get("file") is None:
            await self.manager.retry(reg)
            return {"done": True, "ok": True, "state": str(reg.state), "result": reg.result}
        number = message.get("file")
        if not isinstance(number, int) or isinstance(number, bool):
            raise InvalidFetch("file: expected a file's number, from 1")
        if command == "replace-url":
            url = message.get("url")
            if not isinstance(url, str):
                raise InvalidFetch("missing url")
            await replace_url(self.manager, reg, number, url)
        elif command == "skip":
            await skip(self.manager, reg, number)
        else:
            await retry_file(self.manager, reg, number)
        return {"done": True, "ok": True, "state": str(reg.state), "result": reg.result}

    def _find(self, message: dict[str, Any]) -> Registration:
        fetch_id = message.get("id")
        if not isinstance(fetch_id, str):
            raise InvalidFetch("missing id")
        return resolve(self.manager.registrations(), fetch_id)

    def _sites(self, message: dict[str, Any]) -> Reply:
        """``bgfetch sites list|allow|deny|forget``."""
        action = message.get("action")
        if action == "list":
            return {"done": True, "ok": True, "sites": [site_json(s) for s in self.sites.list()]}
        origin = normalize_origin(message.get("origin"))
        if action == "forget":
            return {"done": True, "ok": True, "forgotten": self.sites.forget(origin)}
        if action == "allow":
            site = self.sites.allow(origin, message.get("quota"))
        elif action == "deny":
            site = self.sites.deny(origin)
        else:
            raise InvalidFetch(f"unknown sites action {action!r}")
        return {"done": True, "ok": True, "site": site_json(site)}

    async def _web(self, call: Any) -> Reply:
        """One untrusted call from a web page; never answered like a local command."""
        try:
            result = await self.web.call(call)
        except WebError as exc:
            return {"done": True, "ok": False, "code": 2, "error": str(exc), "name": exc.name}
        except Exception:
            log.exception("a web call failed")
            return {"done": True, "ok": False, "code": 1, "name": "NetworkError",
                    "error": "bgfetch failed to handle the call; see its log"}
        return {"done": True, "ok": True, "result": result}

    async def _web_events(self) -> AsyncIterator[Reply]:
        """Events of every web fetch, for the native host; the client ends the stream."""
        queue: asyncio.Queue[Reply] = asyncio.Queue()

        def listen(event: FetchEvent) -> None:
            reply = event_json(event)
            if reply is not None:
                queue.put_nowait(reply)

        unsubscribe = self.manager.events.subscribe(listen)
        try:
            while True:
                yield await queue.get()
        finally:
            unsubscribe()

    async def _wait(self, reg: Registration) -> AsyncIterator[Reply]:
        """Progress replies until ``reg`` settles (at most 10 a second), then the result."""
        queue: asyncio.Queue[FetchEvent] = asyncio.Queue()

        def listen(event: FetchEvent) -> None:
            if event.snapshot.key == reg.key:
                queue.put_nowait(event)

        unsubscribe = self.manager.events.subscribe(listen)
        try:
            yield {"progress": wait_progress_json(reg, reg.snapshot())}
            while reg.active:
                event = await queue.get()
                if not event.settled:
                    yield {"progress": wait_progress_json(reg, event.snapshot)}
        finally:
            unsubscribe()
        yield {"done": True, "ok": True, "registration": registration_json(reg, records=True)}
