"""Offers of copied links (issue 12, item 6): opt-in, once per new http(s) link, only of
the chosen file types, and a download only after a click. The real clipboard of the
offscreen Qt platform is set as a user's copy would."""

from __future__ import annotations

from PySide6.QtCore import SignalInstance

from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.qt import QGuiApplication
from bgfetch_gui.ui.clipboard_offers import ClipboardOffers, extensions, links_in
from bgfetch_gui.ui.settings_dialog import SettingsDialog


def copying(qtbot, text: str) -> None:
    """Put ``text`` on the clipboard and let its dataChanged arrive."""
    clipboard = QGuiApplication.clipboard()
    with qtbot.waitSignal(clipboard.dataChanged, timeout=5000):
        clipboard.setText(text)


def recorder(signal: SignalInstance) -> list[str]:
    seen: list[str] = []
    signal.connect(seen.append)
    return seen


def test_each_new_link_is_offered_once_and_downloaded_only_on_a_click(qtbot) -> None:
    copying(qtbot, "https://example.org/already-there.zip")
    offers = ClipboardOffers(QGuiApplication.clipboard(), Settings(watch_clipboard=True))
    offered, downloads = recorder(offers.offered), recorder(offers.download_requested)

    copying(qtbot, "https://example.org/already-there.zip")  # copied before watching
    copying(qtbot, "  https://example.org/ep-5.mp3\n")
    copying(qtbot, "https://example.org/ep-5.mp3")  # the same link again
    copying(qtbot, "just words, ftp://example.org/x.zip and file:///etc/passwd")
    copying(qtbot, "two: http://example.org/a.iso https://example.org/b.iso")
    assert offered == ["https://example.org/ep-5.mp3", "http://example.org/a.iso",
                       "https://example.org/b.iso"]
    assert downloads == []  # offers download nothing by themselves

    offers.clicked()
    offers.clicked()  # a second click on the same, gone offer does nothing
    assert downloads == ["https://example.org/b.iso"]


def test_the_type_filter_and_the_switch(qtbot) -> None:
    offers = ClipboardOffers(QGuiApplication.clipboard(),
                             Settings(watch_clipboard=True, clipboard_types="zip, .ISO"))
    offered = recorder(offers.offered)
    copying(qtbot, "https://example.org/page.html")
    copying(qtbot, "https://example.org/dist/tool-1.2.ZIP?mirror=3")
    copying(qtbot, "https://example.org/")
    assert offered == ["https://example.org/dist/tool-1.2.ZIP?mirror=3"]

    offers.apply(Settings(watch_clipboard=False))
    copying(qtbot, "https://example.org/off.zip")
    offers.apply(Settings(watch_clipboard=True))
    copying(qtbot, "https://example.org/on.zip")
    assert offered[1:] == ["https://example.org/on.zip"]

    never = ClipboardOffers(QGuiApplication.clipboard(), Settings())  # off by default
    never_offered = recorder(never.offered)
    copying(qtbot, "https://example.org/default.zip")
    assert never_offered == [] and offered[-1] == "https://example.org/default.zip"
    assert extensions(" zip,.tar.gz  MP4") == {"zip", "tar.gz", "mp4"}
    assert links_in("x https://a.example/b.pdf y", frozenset({"pdf"})) == [
        "https://a.example/b.pdf"]


def test_the_settings_dialog_edits_the_clipboard_settings(qtbot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    section = dialog.clipboard_section
    assert not section.watch_check.isChecked() and not section.types_edit.isEnabled()
    section.watch_check.setChecked(True)
    assert section.types_edit.isEnabled()
    section.types_edit.setText(" zip iso ")
    chosen = dialog.settings()
    assert chosen.watch_clipboard and chosen.clipboard_types == "zip iso"
