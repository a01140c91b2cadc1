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
from bgfetch_gui.i18n import translate
from bgfetch_gui.qt import QMessageBox, QWidget

log = logging.getLogger("bgfetch.ui.links")

def question_text(linked: LinkedFetch) -> str:
    """What the user decides on, as rich text: every part comes from a stranger, escaped."""
    spec = linked.spec
    count = len(spec.requests)
    size = spec.options.download_total
    rows = [
        f"<b>{html.escape(spec.options.title or spec.id)}</b>",
        (translate("LinkPrompt", "1 file") if count == 1
         else translate("LinkPrompt", "{count} files").format(count=count)) + ", "
        + (translate("LinkPrompt", "{size} at most").format(size=human_size(size)) if size
           else translate("LinkPrompt", "size not given")),
        translate("LinkPrompt", "Files from: {hosts}").format(
            hosts=html.escape(", ".join(linked.hosts))),
        translate("LinkPrompt", "Manifest from: {source}").format(
            source=html.escape(linked.source)),
    ]
    return "<br>".join(rows)


class LinkPrompt(QMessageBox):
    """A non-modal question for one link's fetch; ``register`` runs only on Download."""

    def __init__(self, linked: LinkedFetch, register: Callable[[FetchSpec], None],
                 parent: QWidget | None = None) -> None:
        super().__init__(QMessageBox.Icon.Question, self.tr("Download with bgfetch?"),
                         question_text(linked),
                         QMessageBox.StandardButton.NoButton, parent)
        self.setObjectName("link-prompt")
        self.linked = linked
        self.download_button = self.addButton(self.tr("&Download"),
                                              QMessageBox.ButtonRole.AcceptRole)
        self.cancel_button = self.addButton(QMessageBox.StandardButton.Cancel)
        self.setDefaultButton(self.download_button)
        self.setEscapeButton(self.cancel_button)
        # buttonClicked, not accepted: a custom button's result code is not QDialog.Accepted.
        self.buttonClicked.connect(
            lambda button: register(linked.spec) if button is self.download_button
            else log.info("the fetch %s of a link was declined", linked.spec.id))

