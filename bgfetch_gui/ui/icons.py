"""Icons: the app's own, a type icon per kind of fetch, and the fetches' icons.

A fetch names its icons like the web does (``src``, ``sizes``, ``type``).
Local paths are loaded directly; http(s) icons are fetched once with aiohttp
on the running loop and cached in the data folder, so a list of 10,000
fetches never waits on the network to paint. Until an icon arrives, or if it
never does, the fetch shows the type icon of its files.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import aiohttp

from bgfetch_gui.engine.http.sessions import PROXY_ERRORS, PooledSessions, Sessions
from bgfetch_gui.engine.icons import best_icon, cache_path, is_remote
from bgfetch_gui.engine.model import Icon
from bgfetch_gui.engine.proxy import SYSTEM
from bgfetch_gui.qt import QIcon, QObject, QPixmap, QSize, Signal
from bgfetch_gui.resource_files import resources_dir

log = logging.getLogger("bgfetch.ui.icons")

KINDS = ("file", "video", "audio", "image", "archive", "document")
MAX_ICON_BYTES = 2 * 1024 * 1024
FETCH_TIMEOUT = 15.0


_app_icon: QIcon | None = None
_type_icons: dict[str, QIcon] = {}


def app_icon() -> QIcon:
    """bgfetch's icon with every rendered PNG size, so each place gets a crisp one."""
    global _app_icon
    if _app_icon is None:
        root = resources_dir()
        icon = QIcon()
        for png in sorted((root / "icons").glob("bgfetch-*.png")):
            icon.addFile(str(png))
        if icon.isNull():
            icon = QIcon(str(root / "bgfetch.svg"))
        if icon.isNull():
            # Installed without resources: the theme's icon is better than none.
            icon = QIcon.fromTheme("bgfetch", QIcon.fromTheme("folder-download"))
        _app_icon = icon
    return _app_icon


def type_icon(kind: str) -> QIcon:
    """The generic icon of a kind of file (see ``present.kind_of``)."""
    if kind not in KINDS:
        kind = "file"
    icon = _type_icons.get(kind)
    if icon is None:
        icon = QIcon(str(resources_dir() / "types" / f"{kind}.svg"))
        _type_icons[kind] = icon
    return icon


class IconProvider(QObject):
    """Gives each fetch a QIcon at once, fetching remote icons in the background."""

    icon_loaded = Signal(str)  # the src of an icon that just arrived

    def __init__(
        self,
        cache_dir: Path | None,
        parent: QObject | None = None,
        *,
        size: int = 32,
        sessions: Sessions | None = None,
    ) -> None:
        """``sessions``: the engine's, so icons take the downloads' proxy route (§8)."""
        super().__init__(parent)
        self._cache_dir = cache_dir
        self._size = size
        self._icons: dict[str, QIcon] = {}
        self._failed: set[str] = set()
        self._tasks: dict[str, asyncio.Task[None]] = {}
        self._sessions = PooledSessions(
            sessions or Sessions(lambda: SYSTEM),
            timeout=aiohttp.ClientTimeout(total=FETCH_TIMEOUT),
        )

    def fetch_icon(self, icons: Sequence[Icon], kind: str) -> QIcon:
        """The icon to show now: the fetch's own if we have it, else its type icon."""
        chosen = best_icon(icons, self._size)
        if chosen is None:
            return type_icon(kind)
        src = chosen.src
        cached = self._icons.get(src)
        if cached is not None:
            return cached
        if src in self._failed:
            return type_icon(kind)
        if not is_remote(src):
            return self._remember(src, _load(Path(src).expanduser())) or type_icon(kind)
        from_disk = self._cache_path(src)
        if from_disk is not None and from_disk.exists():
            icon = self._remember(src, _load(from_disk))
            if icon is not None:
                return icon
        self._start_download(src)
        return type_icon(kind)

    def _remember(self, src: str, icon: QIcon | None) -> QIcon | None:
        if icon is None:
            self._failed.add(src)
            return None
        self._icons[src] = icon
        return icon

    def _cache_path(self, src: str) -> Path | None:
        return cache_path(self._cache_dir, src) if self._cache_dir is not None else None

    def _start_download(self, src: str) -> None:
        if src in self._tasks:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # no loop (a test painting offscreen): the type icon will do
        self._tasks[src] = loop.create_task(self._download(src), name=f"icon {src}")

    async def _download(self, src: str) -> None:
        try:
            data = await self._get(src)
            target = self._cache_path(src)
            if target is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                tmp = target.with_name(target.name + ".tmp")
                tmp.write_bytes(data)
                os.replace(tmp, target)
            pixmap = QPixmap()
            if not pixmap.loadFromData(data):
                raise ValueError("not an image Qt can read")
            self._icons[src] = QIcon(pixmap)
            self.icon_loaded.emit(src)
        except (*PROXY_ERRORS, aiohttp.ClientError, TimeoutError, OSError, ValueError) as exc:
            log.info("icon %s not loaded: %s", src, exc)
            self._failed.add(src)
        finally:
            self._tasks.pop(src, None)

    async def _get(self, src: str) -> bytes:
        session = await self._sessions.get()
        async with session.get(src) as response:
            response.raise_for_status()
            data = await response.content.read(MAX_ICON_BYTES + 1)
        if len(data) > MAX_ICON_BYTES:
            raise ValueError(f"larger than {MAX_ICON_BYTES} bytes")
        return data

    async def close(self) -> None:
        for task in list(self._tasks.values()):
            task.cancel()
        with contextlib.suppress(Exception):
            await asyncio.gather(*self._tasks.values(), return_exceptions=True)
        await self._sessions.close()


def _load(path: Path) -> QIcon | None:
    if not path.is_file():
        return None
    pixmap = QPixmap(str(path))
    if pixmap.isNull():
        return None
    return QIcon(pixmap)


def scaled_pixmap(icon: QIcon, size: int) -> QPixmap:
    """A pixmap of ``icon`` at ``size`` pixels (for painting over it)."""
    return icon.pixmap(QSize(size, size))
