"""Settings → folders by type (docs/contracts.md §14): off by default, rows edit the rules,
and a bad rule keeps OK disabled with a message that names the key."""

from __future__ import annotations

from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.type_folders import DEFAULT_TYPE_FOLDERS
from bgfetch_gui.qt import QDialogButtonBox, Qt
from bgfetch_gui.ui.settings_dialog import SettingsDialog


def test_folders_by_type_are_off_and_the_defaults_are_shown(qtbot) -> None:
    dialog = SettingsDialog(Settings())
    qtbot.addWidget(dialog)
    section = dialog.type_folders_section
    assert dialog.tabs.tabText(dialog.tabs.count() - 1) == "Folders by type"
    assert not section.enable_check.isChecked() and not section.table.isEnabled()
    assert dialog.settings().type_folders == DEFAULT_TYPE_FOLDERS
    assert dialog.settings().folders_by_type is False


def test_rows_edit_the_rules_and_a_bad_one_is_refused(qtbot) -> None:
    dialog = SettingsDialog(Settings(folders_by_type=True, type_folders={"Music": "mp3"}))
    qtbot.addWidget(dialog)
    section = dialog.type_folders_section
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert section.table.isEnabled() and ok.isEnabled()

    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    assert section.table.rowCount() == 2
    section.table.item(1, 0).setText("Podcasts")
    section.table.item(1, 1).setText("mp3 opus")
    assert not ok.isEnabled()
    assert "type_folders: mp3 is in both Music and Podcasts" in dialog.speed_error.text()
    # Said on the section's own page too, where the table is.
    assert section.error_label.text() == "type_folders: mp3 is in both Music and Podcasts"
    assert not section.error_label.isHidden()

    section.table.item(1, 1).setText("opus")
    assert ok.isEnabled() and section.error_label.isHidden()
    assert dialog.settings().type_folders == {"Music": "mp3", "Podcasts": "opus"}

    section.table.selectRow(0)
    qtbot.mouseClick(section.remove_button, Qt.MouseButton.LeftButton)
    assert dialog.settings().type_folders == {"Podcasts": "opus"}
    qtbot.mouseClick(section.defaults_button, Qt.MouseButton.LeftButton)
    assert dialog.settings().type_folders == DEFAULT_TYPE_FOLDERS

    section.enable_check.setChecked(False)
    assert not section.table.isEnabled() and dialog.settings().folders_by_type is False


def test_the_new_fetch_dialog_shows_the_folder_by_type(qtbot, tmp_path) -> None:
    from bgfetch_gui.ui.new_fetch_dialog import NewFetchDialog

    downloads = tmp_path / "Downloads"
    dialog = NewFetchDialog(urls=["https://example.org/song.mp3"], use_clipboard=False,
                            default_folder=downloads, type_rules=DEFAULT_TYPE_FOLDERS)
    qtbot.addWidget(dialog)
    assert dialog.dest_edit.placeholderText() == str(downloads / "Music")
    dialog.urls_edit.setPlainText("https://example.org/a.mkv\nhttps://example.org/b.mp4")
    dialog.title_edit.setText("Films")
    assert dialog.dest_edit.placeholderText() == str(downloads / "Video" / "Films")
    dialog.urls_edit.setPlainText("https://example.org/a.mkv\nhttps://example.org/b.pdf")
    assert dialog.dest_edit.placeholderText() == str(downloads / "Films")
    off = NewFetchDialog(urls=["https://example.org/song.mp3"], use_clipboard=False,
                         default_folder=downloads)
    qtbot.addWidget(off)
    assert off.dest_edit.placeholderText() == str(downloads)
