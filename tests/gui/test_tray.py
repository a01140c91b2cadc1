"""Tray: the progress ring, the tooltip words, the menu and clicks."""

from __future__ import annotations

from bgfetch_gui.engine.icons import best_icon
from bgfetch_gui.qt import QColor, QSystemTrayIcon
from bgfetch_gui.ui.icons import app_icon
from bgfetch_gui.ui.present import Summary, summary_text
from bgfetch_gui.ui.tray import RING_COLOR, Tray, progress_pixmap

MB = 1024 * 1024


def _is_ring(color: QColor) -> bool:
    return (abs(color.red() - RING_COLOR.red()) < 40 and abs(color.green() - RING_COLOR.green())
            < 40 and abs(color.blue() - RING_COLOR.blue()) < 40 and color.alpha() > 150)


def test_ring_is_painted_clockwise_from_twelve(qapp) -> None:
    size = 64
    quarter = progress_pixmap(app_icon(), size, 0.25).toImage()
    edge = 3  # on the ring's stroke
    top = quarter.pixelColor(size // 2 + 4, edge)  # just right of 12 o'clock
    right = quarter.pixelColor(size - edge - 1, size // 2 - 4)  # just above 3 o'clock
    left = quarter.pixelColor(edge, size // 2)  # 9 o'clock: not reached at 25%
    assert _is_ring(top), top.name()
    assert _is_ring(right), right.name()
    assert not _is_ring(left), left.name()

    nothing = progress_pixmap(app_icon(), size, None).toImage()
    assert not _is_ring(nothing.pixelColor(size // 2 + 4, edge))
    # The app icon itself is in the middle.
    assert nothing.pixelColor(size // 2, size // 2).alpha() == 255


def test_summary_words() -> None:
    assert summary_text(Summary()) == "No active fetches"
    busy = Summary(active=3, running=2, queued=1, downloaded=45 * MB, total=100 * MB,
                   speed=2.1 * MB)
    assert summary_text(busy) == "2 downloading · 1 queued · 45% of 100 MiB · 2.1 MiB/s"
    assert summary_text(Summary(active=2, waiting_for_network=2, unknown_size=2)) == \
        "2 waiting for network · size unknown"
    assert summary_text(Summary(active=2, paused=1, queued=1, downloaded=1024, total=4096,
                                unknown_size=1)) == \
        "1 queued · 1 paused · 25% of 4.0 KiB (1 of unknown size)"


def test_tooltip_icon_and_menu(qtbot) -> None:
    tray = Tray(app_icon())
    assert [a.text() for a in tray.menu.actions() if not a.isSeparator()] == [
        "&Show bgfetch", "&New fetch…", "&Pause all", "&Resume all", "&Quit"]
    busy = Summary(active=3, running=3, downloaded=45 * MB, total=100 * MB, speed=2.1 * MB)
    tray.update_summary(busy)
    assert tray.icon.toolTip() == "bgfetch\n3 downloading · 45% of 100 MiB · 2.1 MiB/s"
    assert tray.actions_by_name["pause_all"].isEnabled()
    assert not tray.actions_by_name["resume_all"].isEnabled()
    ringed = tray.icon.icon().pixmap(32).toImage()
    plain = app_icon().pixmap(32).toImage()
    assert ringed != plain

    tray.update_summary(Summary())
    assert tray.icon.toolTip() == "bgfetch"
    assert tray.icon.icon().pixmap(32).toImage() == plain

    fired: list[str] = []
    for name in ("show", "new", "pause_all", "resume_all", "quit"):
        getattr(tray, f"{'new_fetch' if name == 'new' else name}_requested").connect(
            lambda name=name: fired.append(name))
    assert not tray.actions_by_name["pause_all"].isEnabled()  # nothing to pause
    for action in tray.actions_by_name.values():
        action.setEnabled(True)
        action.trigger()
    assert fired == ["show", "new", "pause_all", "resume_all", "quit"]


def test_click_toggles_the_window(qtbot) -> None:
    tray = Tray(app_icon())
    toggles: list[bool] = []
    tray.toggle_requested.connect(lambda: toggles.append(True))
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Context)
    assert toggles == [True]


def test_best_icon_size() -> None:
    from bgfetch_gui.engine.model import Icon

    icons = [Icon("a", "16x16"), Icon("b", "48x48 96x96"), Icon("c", "300x300"), Icon("d")]
    assert best_icon(icons, 32).src == "b"  # smallest at least as big
    assert best_icon(icons, 200).src == "c"
    assert best_icon(icons, 512).src == "c"  # else the biggest
    assert best_icon([Icon("x"), Icon("y", "any")], 64).src == "y"
    assert best_icon([], 32) is None

