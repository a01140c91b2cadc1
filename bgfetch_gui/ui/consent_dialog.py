"""Asking the user whether a web site may download with bgfetch (the engine's ConsentPrompt).

The question never blocks the event loop: the dialog is shown without a
modal loop and the answer arrives through a Future, so downloads, the socket
and other windows keep running while the user thinks. Everything shown comes
from a web page and is drawn as plain text (a title cannot smuggle markup).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from bgfetch_gui.engine.units import human_size
from bgfetch_gui.engine.web.webapi import ConsentAnswer
from bgfetch_gui.qt import (
    QCloseEvent,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
    Signal,
)
from bgfetch_gui.ui.icons import app_icon

MAX_SHOWN = 120  # characters of a page-given text shown in the dialog


def _shown(text: str, *, keep_end: bool = False) -> str:
    """Long page-given text, shortened; an origin keeps its end, where its domain is."""
    if len(text) <= MAX_SHOWN:
        return text
    return "…" + text[-MAX_SHOWN:] if keep_end else text[:MAX_SHOWN] + "…"


class ConsentDialog(QDialog):
    """Allow once / Always allow / Deny; closing it answers ``dismissed``."""

    answered = Signal(str)

    def __init__(
        self,
        origin: str,
        title: str,
        download_total: int,
        n_requests: int,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Allow downloads from a web site?"))
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._answer: ConsentAnswer = "dismissed"

        intro = QLabel(self.tr("A web page wants bgfetch to download files for it. They will "
                               "go to your Downloads folder."))
        intro.setWordWrap(True)
        self.origin_label = _plain(_shown(origin, keep_end=True))
        self.origin_label.setStyleSheet("font-weight: bold;")
        self.title_label = _plain(_shown(title) if title else self.tr("(no title)"))
        self.size_label = _plain(human_size(download_total) if download_total
                                 else self.tr("unknown size"))
        self.files_label = _plain(str(n_requests))
        form = QFormLayout()
        form.addRow(self.tr("Site:"), self.origin_label)
        form.addRow(self.tr("Title:"), self.title_label)
        form.addRow(self.tr("Size:"), self.size_label)
        form.addRow(self.tr("Files:"), self.files_label)

        self.buttons = QDialogButtonBox()
        self.once_button = self._button(self.tr("Allow &once"), "once")
        self.always_button = self._button(self.tr("&Always allow"), "always")
        self.deny_button = self._button(self.tr("&Deny"), "deny")
        self.deny_button.setDefault(True)  # Enter never allows by accident

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.deny_button.setFocus()  # the default: neither Space nor Enter allows by accident

    def _button(self, text: str, answer: ConsentAnswer) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)
        self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        button.clicked.connect(lambda: self._choose(answer))
        return button

    def _choose(self, answer: ConsentAnswer) -> None:
        self._answer = answer
        self.close()

    def reject(self) -> None:  # Esc
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Every way out (a button, Esc, the window's close button) ends here, once.
        answer, self._answer = self._answer, "dismissed"
        event.accept()
        self.answered.emit(answer)


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class DialogConsentPrompt:
    """The GUI's ConsentPrompt; ``parent()`` gives the window to centre the question on."""

    def __init__(self, parent: Callable[[], QWidget | None]) -> None:
        self._parent = parent
        self.open_dialogs: list[ConsentDialog] = []

    async def ask(
        self, origin: str, title: str, download_total: int, n_requests: int
    ) -> ConsentAnswer:
        answer: asyncio.Future[ConsentAnswer] = asyncio.get_running_loop().create_future()
        dialog = ConsentDialog(origin, title, download_total, n_requests, self._parent())

        def answered(text: str) -> None:
            if dialog in self.open_dialogs:
                self.open_dialogs.remove(dialog)
            if not answer.done():
                answer.set_result(_as_answer(text))

        dialog.answered.connect(answered)
        self.open_dialogs.append(dialog)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        try:
            return await answer
        finally:
            if dialog in self.open_dialogs:  # cancelled (no answer in time): take it away
                dialog.close()


def _as_answer(text: str) -> ConsentAnswer:
    if text == "once":
        return "once"
    if text == "always":
        return "always"
    if text == "deny":
        return "deny"
    return "dismissed"
