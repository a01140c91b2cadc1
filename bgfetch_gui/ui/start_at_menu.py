"""The fetch list's "Start at" submenu: when a fetch may start (docs/contracts.md §10).

"Now" clears the time; "Later…" asks for one (``01:30`` or ``2026-12-24T01:30``). The
time is kept with the fetch (FetchManager.set_start_at) and holds after a restart.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QInputDialog

from bgfetch_gui.engine.errors import BgfetchError
from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.registration import Registration
from bgfetch_gui.engine.schedule import parse_start_at, start_at_text, when_text
from bgfetch_gui.i18n import translate
from bgfetch_gui.qt import QMenu, QWidget


def start_at_menu(parent: QWidget, manager: FetchManager,
                  regs: Sequence[Registration]) -> QMenu:
    """A submenu that sets or clears the start time of the active fetches ``regs``."""
    menu = QMenu(translate("start_at_menu", "Wh&en to start"), parent)
    now = manager.clock.now()
    times = {manager.start_at(reg) if manager.start_at(reg) > now else 0.0 for reg in regs}
    at_once = menu.addAction(translate("start_at_menu", "&Now"))
    at_once.setCheckable(True)
    at_once.setChecked(times == {0.0})
    at_once.triggered.connect(lambda _checked=False: _set(manager, regs, 0.0))
    if len(times) == 1 and (when := next(iter(times))):
        shown = menu.addAction(translate("start_at_menu", "At {time}").format(
            time=when_text(when, now)))
        shown.setCheckable(True)
        shown.setChecked(True)
        shown.setEnabled(False)
    later = menu.addAction(translate("start_at_menu", "&Later…"))
    later.triggered.connect(lambda _checked=False: ask_start_at(parent, manager, regs))
    return menu


def _set(manager: FetchManager, regs: Sequence[Registration], when: float) -> str:
    """Set the time of each of ``regs``; the first refusal, or ""."""
    refusals = []
    for reg in regs:
        try:
            manager.set_start_at(reg, when)
        except BgfetchError as exc:
            refusals.append(str(exc))
    return refusals[0] if refusals else ""


def ask_start_at(parent: QWidget, manager: FetchManager,
                 regs: Sequence[Registration]) -> QInputDialog:
    """A non-modal prompt for the time; a bad one (or a refusal) is asked again."""
    dialog = QInputDialog(parent)
    dialog.setWindowTitle(translate("start_at_menu", "Start at"))
    prompt = translate("start_at_menu",
                       "Start at (e.g. 01:30 or 2026-12-24T01:30; empty: now):")
    dialog.setLabelText(prompt)
    now = manager.clock.now()
    times = {manager.start_at(reg) for reg in regs}
    (only,) = times if len(times) == 1 else (0.0,)
    dialog.setTextValue(start_at_text(only, now) if only > now else "")

    def accepted(text: str) -> None:
        try:
            when = parse_start_at(text, manager.clock.now()) if text.strip() else 0.0
        except ValueError as exc:
            refusal = str(exc)
        else:
            refusal = _set(manager, regs, when)
        if refusal:
            dialog.setLabelText(translate("start_at_menu", "{error}. {prompt}").format(
                error=refusal, prompt=prompt))
            dialog.open()

    dialog.textValueSelected.connect(accepted)
    dialog.open()
    return dialog
