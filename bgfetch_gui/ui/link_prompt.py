"""The question a ``bgfetch:`` link asks before anything is registered.

It names what will be downloaded, how much if the manifest says, and from where;
only "Download" registers the fetch.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable

from bgfetch_gui.engine.links import LinkedFetch
from bgfetch_gui.engine.manifest import FetchSpec
from bgfetch_gui.engine.units import human_size
from bgfetch_gui.qt import QMessageBox, QWidget

log = logging.getLogger("bgfetch.ui.links")

PROMPT_TITLE = "Download with bgfetch?"


def question_text(linked: LinkedFetch) -> str:
    """What the user decides on, as rich text: every part comes from a stranger, escaped."""
    spec = linked.spec
    count = len(spec.requests)
    size = spec.options.download_total
    rows = [
        f"<b>{html.escape(spec.options.title or spec.id)}</b>",
        f"{count} file{'s' if count != 1 else ''}, "
        + (f"{human_size(size)} at most" if size else "size not given"),
        "Files from: " + html.escape(", ".join(linked.hosts)),
        "Manifest from: " + html.escape(linked.source),
    ]
    return "<br>".join(rows)


class LinkPrompt(QMessageBox):
    """A non-modal question for one link's fetch; ``register`` runs only on Download."""

    def __init__(self, linked: LinkedFetch, register: Callable[[FetchSpec], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Question, PROMPT_TITLE, question_text(linked),
                         QMessageBox.StandardButton.NoButton, parent)
        self.setObjectName("link-prompt")
        self.linked = linked
        self.download_button = self.addButton("&Download", QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.download_button)
        self.setEscapeButton(self.cancel_button)
        # buttonClicked, not accepted: a custom button's result code is not QDialog.Accepted.
        self.buttonClicked.connect(
            lambda button: register(linked.spec) if button is self.download_button
            else log.info("the fetch %s of a link was declined", linked.spec.id))

