"""Files and links the OS opens with bgfetch while it runs (macOS's Apple Events).

On macOS a double-clicked ``.bgfetch`` file or a clicked ``bgfetch:`` link does not
arrive as a command-line argument: Qt turns it into a ``QFileOpenEvent`` on the
application, for the first launch too. Elsewhere this filter simply never fires.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bgfetch_gui.qt import QEvent, QFileOpenEvent, QObject


class FileOpenForwarder(QObject):
    """Hands each opened file or URL to ``accept`` (the window's intake)."""

    def __init__(self, accept: Callable[[Sequence[str]], None]) -> None:
        super().__init__()
        self._accept = accept

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.FileOpen or not isinstance(event, QFileOpenEvent):
            return False
        url = event.url()
        self._accept([event.file() if url.isLocalFile() or not url.scheme() else url.toString()])
        return True
