"""Tray: the progress ring, the tooltip words, the menu and clicks."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from bgfetch_gui.engine.icons import best_icon  # noqa: E402
from bgfetch_gui.engine.model import State  # noqa: E402
from bgfetch_gui.qt import QColor, QSettings, QSystemTrayIcon  # noqa: E402
from bgfetch_gui.ui.fetch_model import FetchListModel  # noqa: E402
from bgfetch_gui.ui.icons import app_icon  # noqa: E402
from bgfetch_gui.ui.main_window import MainWindow  # noqa: E402
from bgfetch_gui.ui.present import Summary, summary_text  # noqa: E402
from bgfetch_gui.ui.tray import RING_COLOR, Tray, progress_pixmap  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, make_snapshot  # noqa: E402

MB = 1024 * 1024

pytest_plugins = ["tests.gui.ui_fixtures"]


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


def menu_texts(tray: Tray) -> list[str]:
    tray.menu.aboutToShow.emit()
    return [a.text() for a in tray.menu.actions() if not a.isSeparator() and a.isVisible()]


def test_tooltip_icon_and_menu(qtbot) -> None:
    tray = Tray(app_icon())
    assert menu_texts(tray) == [
        "&Show bgfetch", "&New fetch…", "&Pause all", "&Resume all", "&Limit speed…",
        "Open &Downloads folder", "S&ettings…", "&Quit"]
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
    for name, signal in (("show", tray.toggle_requested), ("new", tray.new_fetch_requested),
                         ("pause_all", tray.pause_all_requested),
                         ("resume_all", tray.resume_all_requested),
                         ("speed_limit", tray.settings_requested),
                         ("open_downloads", tray.open_downloads_requested),
                         ("settings", tray.settings_requested), ("quit", tray.quit_requested)):
        signal.connect(lambda name=name: fired.append(name))
    assert not tray.actions_by_name["pause_all"].isEnabled()  # nothing to pause
    for action in tray.actions_by_name.values():
        action.setEnabled(True)
        action.trigger()
    # Without a configured limit, "Limit speed…" opens the settings (both fire "settings").
    assert fired == ["show", "new", "pause_all", "resume_all", "speed_limit", "settings",
                     "open_downloads", "speed_limit", "settings", "quit"]


def test_the_menu_lists_running_fetches_and_follows_the_window(qtbot) -> None:
    snaps = [make_snapshot(1, title="Episode 5", downloaded=45, expected_size=100),
             make_snapshot(2, title="Photos", state=State.PAUSED, downloaded=1,
                           expected_size=4),
             make_snapshot(3, title="Done", result="success", state=State.SUCCESS)]
    visible = [False]
    tray = Tray(app_icon(), fetches=lambda: snaps, window_visible=lambda: visible[0])
    texts = menu_texts(tray)
    assert texts[:3] == ["&Show bgfetch", "Episode 5 — 45% · downloading",
                         "Photos — 25% · paused"]
    visible[0] = True
    assert menu_texts(tray)[0] == "&Hide bgfetch"
    asked: list[tuple[str, object]] = []
    tray.pause_requested.connect(lambda key: asked.append(("pause", key)))
    tray.resume_requested.connect(lambda key: asked.append(("resume", key)))
    tray.show_fetch_requested.connect(lambda fetch_id: asked.append(("show", fetch_id)))
    episode, photos = tray.fetch_menu_actions[:2]
    assert [a.text() for a in episode.menu().actions()] == ["&Pause", "&Show in window"]
    assert [a.text() for a in photos.menu().actions()] == ["&Resume", "&Show in window"]
    episode.menu().actions()[0].trigger()
    photos.menu().actions()[0].trigger()
    photos.menu().actions()[1].trigger()
    assert asked == [("pause", 1), ("resume", 2), ("show", "fetch-2")]
    # Opened again, the list is rebuilt, not doubled.
    assert len(menu_texts(tray)) == len(texts)


def test_speed_limit_toggle(qtbot) -> None:
    tray = Tray(app_icon())
    tray.set_speed_limit(2 * MB, active=True)
    action = tray.actions_by_name["speed_limit"]
    assert action.text() == "&Limit speed to 2.0 MiB/s" and action.isChecked()
    toggles: list[bool] = []
    tray.speed_limit_toggled.connect(toggles.append)
    action.trigger()
    action.trigger()
    assert toggles == [False, True]


async def test_speed_limit_toggle_is_kept_across_restarts(
    qtbot, engines: EngineFactory, tmp_path: Path
) -> None:
    def start(state_file: Path) -> MainWindow:
        """The app's start: a new engine, window and tray, wired as app.py wires them."""
        window = MainWindow(manager, FetchListModel(), QSettings(
            str(state_file), QSettings.Format.IniFormat), data_dir=tmp_path)
        qtbot.addWidget(window)
        tray = Tray(app_icon())
        tray.speed_limit_toggled.connect(window.set_speed_limit_active)
        tray.set_speed_limit(manager.settings.speed_limit, active=window.speed_limit_active())
        window.tray = tray  # type: ignore[attr-defined]
        return window

    state_file = tmp_path / "ui-state.ini"
    manager = await engines(speed_limit=2 * MB)
    first = start(state_file)
    assert manager.limiter.rate == 2 * MB
    first.tray.actions_by_name["speed_limit"].trigger()  # type: ignore[attr-defined]
    assert manager.limiter.rate == 0
    first.state.sync()

    manager = await engines(speed_limit=2 * MB)  # the next start
    second = start(state_file)
    toggle = second.tray.actions_by_name["speed_limit"]  # type: ignore[attr-defined]
    assert manager.limiter.rate == 0 and not toggle.isChecked()
    # New settings change the limit, not the user's choice to lift it.
    second.apply_settings(dataclasses.replace(manager.settings, speed_limit=3 * MB))
    assert manager.limiter.rate == 0
    toggle.trigger()
    assert manager.limiter.rate == 3 * MB and second.speed_limit_active()


def test_a_badge_shows_paused_and_waiting(qtbot) -> None:
    tray = Tray(app_icon())
    plain = app_icon().pixmap(32).toImage()
    tray.update_summary(Summary(active=2, paused=2))
    paused = tray.icon.icon().pixmap(32).toImage()
    tray.update_summary(Summary(active=1, waiting_for_network=1))
    waiting = tray.icon.icon().pixmap(32).toImage()
    assert plain != paused and plain != waiting and paused != waiting
    corner = paused.pixelColor(28, 28)
    assert corner.red() > 200 and corner.blue() < 100  # the amber badge
    assert paused.pixelColor(8, 8) == plain.pixelColor(8, 8)  # the icon itself is untouched


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

