"""The rules of folders by type (docs/contracts.md §14): which folder a name goes to, and
which settings are refused, with a message that names the key."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from bgfetch_gui.engine.settings import SETTINGS_NAME, Settings
from bgfetch_gui.engine.type_folders import (
    DEFAULT_TYPE_FOLDERS,
    rules_problem,
    type_folder,
    type_of,
)


@pytest.mark.parametrize(("name", "folder"), [
    ("song.mp3", "Music"), ("SONG.FLAC", "Music"), ("clip.mp4", "Video"),
    ("report.pdf", "Documents"), ("src.tar.gz", "Archives"), ("setup.exe", "Programs"),
    ("debian.iso", "Archives"), ("track.mid", "Music"),  # audio/midi, by audio/*
    ("no-extension", None), ("data.bin", None), ("", None),
])
def test_the_default_rules(name: str, folder: str | None) -> None:
    assert type_of(name, DEFAULT_TYPE_FOLDERS) == folder


def test_a_fetch_has_a_type_only_when_all_its_files_share_it() -> None:
    base = "https://example.com/"
    assert type_folder([base + "a.mp3", base + "b.ogg?x=1"], DEFAULT_TYPE_FOLDERS) == "Music"
    assert type_folder([base + "a.mp3", base + "b.pdf"], DEFAULT_TYPE_FOLDERS) is None
    assert type_folder([base + "a.mp3", base + "b"], DEFAULT_TYPE_FOLDERS) is None
    assert type_folder([base + "%C3%A1.MKV"], DEFAULT_TYPE_FOLDERS) == "Video"


def test_an_extension_wins_over_a_mime_type_rule() -> None:
    rules = {"Audio": "audio/*", "Podcasts": "mp3"}
    assert type_of("show.mp3", rules) == "Podcasts"
    assert type_of("song.ogg", rules) == "Audio"


@pytest.mark.parametrize(("rules", "problem"), [
    ("mp3", "expected folder names"),
    ({"": "mp3"}, "'' is not a folder name"),
    ({"a/b": "mp3"}, "'a/b' is not a folder name"),
    ({"..": "mp3"}, "'..' is not a folder name"),
    ({"Music": "  "}, "Music has no types"),
    ({"Music": "mp3 *.ogg"}, "'*.ogg' in Music is neither an extension"),
    ({"Music": "audio/"}, "'audio/' in Music is neither"),
    ({"Music": "mp3", "Podcasts": "MP3"}, "mp3 is in both Music and Podcasts"),
    ({"Music": 3}, "expected text"),
])
def test_bad_rules_are_refused(rules: object, problem: str) -> None:
    found = rules_problem(rules)
    assert found is not None and problem in found, found


def test_good_rules_pass() -> None:
    assert rules_problem(DEFAULT_TYPE_FOLDERS) is None
    assert rules_problem({"Música": ".MP3, flac audio/x-flac"}) is None
    assert rules_problem({}) is None


def test_bad_rules_in_the_settings_file_keep_the_defaults_and_name_the_key(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    (tmp_path / SETTINGS_NAME).write_text(json.dumps(
        {"folders_by_type": True, "type_folders": {"Music": "mp3", "Video": "mp3"}}))
    with caplog.at_level(logging.WARNING, logger="bgfetch.settings"):
        loaded = Settings.load(tmp_path)
    assert loaded.folders_by_type is True
    assert loaded.type_folders == DEFAULT_TYPE_FOLDERS
    assert "'type_folders'" in caplog.text and "mp3 is in both Music and Video" in caplog.text
    assert Settings(type_folders={"x/y": "mp3"}).problems() == [
        "type_folders: 'x/y' is not a folder name (one name, no / or \\)"]


def test_rules_survive_a_save_and_load(tmp_path: Path) -> None:
    Settings(folders_by_type=True, type_folders={"Books": "epub"}).save(tmp_path)
    loaded = Settings.load(tmp_path)
    assert loaded.folders_by_type and loaded.type_folders == {"Books": "epub"}
    assert Settings().folders_by_type is False
