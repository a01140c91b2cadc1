"""The fetch list's "Limit speed" submenu: a fetch's own limit, under the global one (§9).

The change applies at once to running transfers (FetchManager.set_speed_limit),
and stays with the fetch across restarts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QInputDialog

from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.units import human_size, parse_size
from bgfetch_gui.i18n import translate
from bgfetch_gui.qt import QMenu, QWidget

PRESETS = (256 * 1024, 512 * 1024, 1 << 20, 2 << 20, 5 << 20, 10 << 20)


def speed_limit_text(limit: int) -> str:
    """A limit as a field shows it and parse_size reads back exactly: ``2M``, ``500K``,
    ``1500``; ``""`` for none. (``human_size`` would give ``2.0 MiB``, which parse_size
    refuses, or round.)"""
    if limit <= 0:
        return ""
    for shift, unit in ((30, "G"), (20, "M"), (10, "K")):
        if limit % (1 << shift) == 0:
            return f"{limit >> shift}{unit}"
    return str(limit)


def rate_text(rate: int) -> str:
    return f"{human_size(rate)}/s"


def speed_limit_menu(parent: QWidget, manager: FetchManager,
                     regs: Sequence[Registration]) -> QMenu:
    """A submenu that sets the own limit of ``regs``; the current one is checked."""
    menu = QMenu(translate("speed_limit_menu", "Limit &speed"), parent)
    current = {manager.speed_limit(reg) for reg in regs}

    def choose(rate: int) -> None:
        for reg in regs:
            manager.set_speed_limit(reg, rate)

    for rate in (0, *PRESETS):
        action = menu.addAction(translate("speed_limit_menu", "No limit of its own") if rate == 0
                                else rate_text(rate))
        action.setCheckable(True)
        action.setChecked(current == {rate})
        action.triggered.connect(lambda _checked=False, rate=rate: choose(rate))
    menu.addSeparator()
    other = menu.addAction(translate("speed_limit_menu", "Other…"))
    other.triggered.connect(lambda _checked=False: _ask_rate(parent, choose, current))
    return menu


def _ask_rate(parent: QWidget, choose: Callable[[int], None], current: set[int]) -> QInputDialog:
    """A non-modal prompt for any rate such as 750K or 3M; a bad one is asked again."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(translate("speed_limit_menu", "Limit speed"))
    dialog.setLabelText(translate(
        "speed_limit_menu", "Speed limit per second (e.g. 750K or 3M; 0 for none):"))
    (only,) = current if len(current) == 1 else (0,)
    dialog.setTextValue(speed_limit_text(only))

    def accepted(text: str) -> None:
        try:
            choose(parse_size(text.strip().removesuffix("/s") or "0"))
        except ValueError as exc:
            dialog.setLabelText(translate(
                "speed_limit_menu", "{error}. Speed limit per second:").format(error=exc))
            dialog.open()

    dialog.textValueSelected.connect(accepted)
    dialog.open()
    return dialog
