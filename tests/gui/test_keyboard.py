"""Every dialog from the keyboard alone (issue 11, point 17), in English and in the
translations: focus starts in the first field, Tab reaches every control in reading
order and comes back round, no two controls of one page share an access key (and
every access key has somewhere to go), Enter presses the default button, Escape
closes.

The checks walk each dialog's widgets rather than naming them, so a control added
to a dialog later is held to the same rules without a new test.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

pytest.register_assert_rewrite("tests.gui.ui_fixtures")

from PySide6.QtCore import QLocale, QRect  # noqa: E402
from PySide6.QtWidgets import QAbstractButton, QAbstractSpinBox, QTabBar  # noqa: E402

from bgfetch_gui.engine.links import LinkedFetch  # noqa: E402
from bgfetch_gui.engine.manifest import FetchSpec  # noqa: E402
from bgfetch_gui.engine.model import FetchOptions, FetchRequest  # noqa: E402
from bgfetch_gui.engine.web.sites import Sites  # noqa: E402
from bgfetch_gui.i18n import install_translator  # noqa: E402
from bgfetch_gui.qt import (  # noqa: E402
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QSettings,
    Qt,
    QTabWidget,
    QWidget,
)
from bgfetch_gui.ui.consent_dialog import ConsentDialog  # noqa: E402
from bgfetch_gui.ui.fetch_model import FetchListModel  # noqa: E402
from bgfetch_gui.ui.files_dialog import FilesDialog  # noqa: E402
from bgfetch_gui.ui.link_prompt import LinkPrompt  # noqa: E402
from bgfetch_gui.ui.main_window import MainWindow  # noqa: E402
from bgfetch_gui.ui.speed_limit_menu import speed_limit_menu  # noqa: E402
from tests.gui.ui_fixtures import EngineFactory, wait_until  # noqa: E402

pytest_plugins = ["tests.gui.ui_fixtures"]

LANGUAGES = ["en", "pt_BR", "es"]
MNEMONIC = re.compile(r"&([^&\s])")
URL = "http://127.0.0.1:9999/clip.bin"


def _linked() -> LinkedFetch:
    spec = FetchSpec("ep-5", (FetchRequest("https://cdn.example.org/ep-5.mp3"),),
                     FetchOptions(title="Episode 5", download_total=60_000_000))
    return LinkedFetch(spec, "https://example.org")


def _speed_limit_prompt(window: MainWindow) -> QDialog:
    regs = [reg for reg in window.manager.registrations() if reg.active]
    menu = speed_limit_menu(window, window.manager, regs)
    menu.actions()[-1].trigger()  # Other…
    (dialog,) = [d for d in window.findChildren(QDialog) if d.isVisible()]
    return dialog


def _files(window: MainWindow) -> QDialog:
    reg = window.manager.registrations()[0]
    dialog = FilesDialog(reg, window)
    dialog.show()
    return dialog


# name -> how the app opens it (each shown, non-modal, on top of the window)
DIALOGS: dict[str, Callable[[MainWindow], QDialog]] = {
    "new fetch": lambda window: window.new_fetch(),
    "settings": lambda window: window.open_settings(),
    "files": _files,
    "about": lambda window: window.show_about(),
    "quit": lambda window: _opened(window.quit_box("1 fetch is not finished.")),
    "consent": lambda window: _opened(ConsentDialog("https://example.org", "Episode 5",
                                                    60_000_000, 2, window)),
    "link prompt": lambda window: _opened(LinkPrompt(_linked(), lambda spec: None, window)),
    "speed limit": _speed_limit_prompt,
}


def _opened(dialog: QDialog) -> QDialog:
    dialog.open()
    return dialog


@pytest.fixture
async def window(qtbot, engines: EngineFactory, tmp_path: Path) -> MainWindow:
    manager = await engines(seeded=True)
    state = QSettings(str(tmp_path / "ui-state.ini"), QSettings.Format.IniFormat)
    model = FetchListModel(batch_ms=20)
    model.attach(manager)
    made = MainWindow(manager, model, state, data_dir=tmp_path, sites=Sites(manager.store))
    qtbot.addWidget(made)
    with qtbot.waitExposed(made):
        made.show()
    return made


@pytest.fixture(params=LANGUAGES)
def language(request: pytest.FixtureRequest, qapp: QApplication) -> Iterator[str]:
    translator = None if request.param == "en" else install_translator(
        qapp, QLocale(request.param))
    assert request.param == "en" or translator is not None
    yield request.param
    if translator is not None:
        qapp.removeTranslator(translator)


# -- what the checks walk -------------------------------------------------------------


def _shown(widget: QWidget, dialog: QWidget) -> bool:
    return widget.isVisibleTo(dialog) and widget.isEnabled()


def _tab_stops(dialog: QWidget) -> list[QWidget]:
    """Every control Tab should reach: shown, enabled, taking focus by Tab (a spin box's
    or combo box's own line edit is the box's)."""
    stops = []
    for widget in dialog.findChildren(QWidget):
        if widget.focusProxy() is not None or isinstance(
                widget.parentWidget(), QAbstractSpinBox | QComboBox):
            continue
        if isinstance(widget.parentWidget(), QAbstractItemView):
            continue  # a view's viewport and scroll bars
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus and _shown(widget, dialog):
            stops.append(widget)
    return stops


def _page_of(widget: QWidget) -> QWidget | None:
    """The tab page ``widget`` is on (its access keys work only there), or None."""
    while widget.parentWidget() is not None:
        parent = widget.parentWidget()
        stack = parent.parentWidget()
        if stack is not None and isinstance(stack.parentWidget(), QTabWidget):
            return widget
        widget = parent
    return None


def _access_keys(dialog: QWidget) -> list[tuple[QWidget | None, str, str]]:
    """(page, key, text) of every access key shown in ``dialog``."""
    found = []
    for widget in dialog.findChildren(QWidget):
        if not widget.isVisibleTo(dialog):
            continue
        texts = []
        if isinstance(widget, QAbstractButton) or (
                isinstance(widget, QLabel) and widget.buddy() is not None):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append(widget.title())
        elif isinstance(widget, QTabBar):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
        for text in texts:
            for key in MNEMONIC.findall(text):
                found.append((_page_of(widget), key.casefold(), text))
    return found


def _clashes(dialog: QWidget) -> list[str]:
    keys = _access_keys(dialog)
    pages = {page for page, _, _ in keys}
    clashes = []
    for page in pages:
        seen: dict[str, str] = {}
        for where, key, text in keys:
            if where is not None and where is not page:
                continue  # another tab page: shown only when that page is
            if key in seen and seen[key] != text:
                clashes.append(f"{seen[key]!r} and {text!r} share &{key}")
            seen.setdefault(key, text)
    return sorted(set(clashes))


def _dead_keys(dialog: QWidget) -> list[str]:
    """Labels that show an access key with nowhere to take the focus."""
    return [label.text() for label in dialog.findChildren(QLabel)
            if label.isVisibleTo(dialog) and label.buddy() is None
            and label.textFormat() != Qt.TextFormat.RichText
            and "<" not in label.text() and MNEMONIC.search(label.text())]


def _default_button(dialog: QWidget) -> QPushButton | None:
    defaults = [b for b in dialog.findChildren(QPushButton) if b.isDefault() and b.isVisible()]
    return defaults[0] if defaults else None


def _first_field(stops: list[QWidget]) -> QWidget | None:
    inputs = (QLineEdit, QAbstractSpinBox, QComboBox, QAbstractItemView)
    fields = [w for w in stops if isinstance(w, inputs) or w.inherits("QPlainTextEdit")]
    return fields[0] if fields else None


async def _focus_settles(dialog: QWidget) -> QWidget:
    await wait_until(lambda: QApplication.focusWidget() is not None
                     and dialog.isAncestorOf(QApplication.focusWidget()), 5,
                     what="the focus in the dialog")
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def _place(widget: QWidget, dialog: QWidget) -> QRect:
    return QRect(widget.mapTo(dialog, widget.rect().topLeft()), widget.size())


# -- the test -------------------------------------------------------------------------


def _walk(qtbot, dialog: QWidget, name: str) -> list[QWidget]:
    """Tab from the focus round every control of what is shown, in reading order,
    back to where it started; the controls in the order Tab reached them."""
    stops = _tab_stops(dialog)
    start = QApplication.focusWidget()
    assert start is not None
    order = [start]
    for _ in range(len(stops) + 1):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        if QApplication.focusWidget() is start:
            break
        order.append(QApplication.focusWidget())
    else:
        pytest.fail(f"{name}: Tab does not come back to the start: {order}")
    missed = [f"{type(w).__name__} {w.objectName() or w.accessibleName()!r}"
              for w in stops if w not in order]
    assert missed == [], f"{name}: Tab never reaches these"
    # Reading order: down the dialog (or along a row), except once where the chain
    # wraps from the last control to the first.
    places = [_place(w, dialog) for w in order]
    upward = [f"{type(a).__name__} -> {type(b).__name__}"
              for (a, here), (b, there) in itertools.pairwise(zip(order + order[:1],
                                                                    places + places[:1],
                                                                    strict=True))
              if there.center().y() < here.top()]
    assert len(upward) <= 1, f"{name}: Tab goes up the dialog: {upward}"
    return order


# What a dialog needs typed into its first field before its default button works.
FIRST_INPUT = {"new fetch": URL}


@pytest.mark.parametrize("name", sorted(DIALOGS))
async def test_a_dialog_works_from_the_keyboard(
    qtbot, window: MainWindow, language: str, name: str
) -> None:
    dialog = DIALOGS[name](window)
    dialog.activateWindow()
    await wait_until(dialog.isActiveWindow, 5, what=f"{name} active")
    start = await _focus_settles(dialog)
    first = _first_field(_tab_stops(dialog))
    expected_start = first if first is not None else _default_button(dialog)
    assert start is expected_start, f"{name}: the focus starts on {start!r}"

    for tabs in [None, *dialog.findChildren(QTabWidget)]:
        for _ in range(1 if tabs is None else tabs.count() - 1):
            if tabs is not None:  # the next page, from the keyboard
                shown = tabs.currentIndex()
                qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab,
                               Qt.KeyboardModifier.ControlModifier)
                assert tabs.currentIndex() == shown + 1, f"{name}: Ctrl+Tab"
            assert _clashes(dialog) == [], f"{name} ({language})"
            assert _dead_keys(dialog) == [], f"{name} ({language})"
            _walk(qtbot, dialog, name)

    if language == "en" and _default_button(dialog) is not None:
        _enter_presses_the_default_button(qtbot, dialog, name)
        dialog = DIALOGS[name](window)  # again, for Escape
        await _focus_settles(dialog)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    await wait_until(lambda: not dialog.isVisible(), 5, what=f"Escape to close {name}")


def _enter_presses_the_default_button(qtbot, dialog: QWidget, name: str) -> None:
    """Enter in the first one-line field (or, with none, on the focused default button)."""
    default = _default_button(dialog)
    assert default is not None
    pressed: list[bool] = []
    default.clicked.connect(lambda: pressed.append(True))
    stops = _tab_stops(dialog)
    first = _first_field(stops)
    if name in FIRST_INPUT:  # typed, then on to the next field (Enter would be a new line)
        assert first is not None
        first.setFocus()
        qtbot.keyClicks(first, FIRST_INPUT[name])
        qtbot.keyClick(first, Qt.Key.Key_Tab)
    else:
        one_line = [w for w in stops if isinstance(w, QLineEdit | QAbstractSpinBox)]
        (one_line[0] if one_line else default).setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert pressed == [True], f"{name}: Enter did not press {default.text()!r}"
