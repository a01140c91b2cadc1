"""The fetch list's "Move in queue" submenu: which waiting fetch starts first (§10).

A move never stops a running fetch; it changes which queued one takes the next free
slot (FetchManager.move), and the order stays with the fetches across restarts.
"""

from __future__ import annotations

from collections.abc import Sequence

from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.i18n import translate
from bgfetch_gui.qt import QMenu, QWidget


def queue_menu(parent: QWidget, manager: FetchManager, regs: Sequence[Registration]) -> QMenu:
    """A submenu that moves the active fetches ``regs`` together, keeping their own order."""
    menu = QMenu(translate("queue_menu", "Move in &queue"), parent)

    def move(where: str) -> None:
        chosen = {reg.key for reg in regs}
        in_order = [reg for reg in manager.queue() if reg.key in chosen]
        # The last of them goes to the top first, so they end up in their own order.
        for reg in reversed(in_order) if where in ("top", "down") else in_order:
            manager.move(reg, where)

    entries = (("top", translate("queue_menu", "Move to &top")),
               ("up", translate("queue_menu", "Move &up")),
               ("down", translate("queue_menu", "Move &down")),
               ("bottom", translate("queue_menu", "Move to &bottom")))
    for where, text in entries:
        action = menu.addAction(text)
        action.triggered.connect(lambda _checked=False, where=where: move(where))
    return menu
