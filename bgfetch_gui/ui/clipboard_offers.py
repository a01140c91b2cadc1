"""Offers to download http(s) links copied to the clipboard (opt-in: ``watch_clipboard``).

Each new link is offered once (``offered``); nothing is downloaded unless the user
clicks the offer (``clicked``), and even then the New fetch dialog asks first. The
per-type filter (``clipboard_types``: extensions) keeps page links and the like away.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.validation import check_url
from bgfetch_gui.qt import QClipboard, QObject, Signal

log = logging.getLogger("bgfetch.clipboard")

MAX_TEXT = 64 * 1024  # a bigger copy is a document, not links
MAX_OFFERS = 10  # per copy: a page of links must not flood the desktop


def extensions(types: str) -> frozenset[str]:
    """``"zip, .ISO mp4"`` as ``{"zip", "iso", "mp4"}``."""
    return frozenset(t.strip().lstrip(".").lower() for t in types.replace(",", " ").split()
                     if t.strip().lstrip("."))


def links_in(text: str, types: frozenset[str]) -> list[str]:
    """The http(s) links of ``text`` (one per word) whose file type is in ``types``
    (any when empty)."""
    found = []
    for word in text[:MAX_TEXT].split():
        if not word.lower().startswith(("http://", "https://")):
            continue
        try:
            check_url(word)
        except InvalidFetch:
            continue
        name = urlsplit(word).path.rsplit("/", 1)[-1]
        if not types or ("." in name and name.rsplit(".", 1)[1].lower() in types):
            found.append(word)
    return found


class ClipboardOffers(QObject):
    offered = Signal(str)  # a new link to offer ("Download with bgfetch")
    download_requested = Signal(str)  # the user clicked the offer of this link

    def __init__(self, clipboard: QClipboard, settings: Settings,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._clipboard = clipboard
        self._seen: set[str] = set()
        self._last = ""
        self._watching = False
        self._types: frozenset[str] = frozenset()
        self.apply(settings)

    def apply(self, settings: Settings) -> None:
        """Start or stop watching, and take the file types in use."""
        self._types = extensions(settings.clipboard_types)
        if settings.watch_clipboard and not self._watching:
            # What is on the clipboard already was copied before the user asked.
            self._seen.update(links_in(self._clipboard.text(), frozenset()))
            self._clipboard.dataChanged.connect(self._changed)
        elif not settings.watch_clipboard and self._watching:
            self._clipboard.dataChanged.disconnect(self._changed)
        self._watching = settings.watch_clipboard

    def clicked(self) -> None:
        """The user clicked the last offer (once: the next click needs a new offer)."""
        if self._last:
            link, self._last = self._last, ""
            self.download_requested.emit(link)

    def _changed(self) -> None:
        new = [link for link in links_in(self._clipboard.text(), self._types)
               if link not in self._seen]
        for link in new[:MAX_OFFERS]:
            self._seen.add(link)
            self._last = link
            log.info("offering a copied link: %s", link)
            self.offered.emit(link)
