from pathlib import Path

import pytest

from bgfetch_gui.engine.naming import (
    MAX_FOLDER_CHARS,
    bundle_folder_name,
    choose_filename,
    filename_from_content_disposition,
    name_key,
    sanitize_filename,
    unique_name,
)


@pytest.mark.parametrize(("raw", "safe"), [
    ("../../etc/passwd", "passwd"),
    ("/absolute/name.txt", "name.txt"),
    ("C:\\Windows\\system32\\evil.dll", "evil.dll"),
    ("..", "download"),
    ("", "download"),
    ("CON", "_CON"),
    ("nul.txt", "_nul.txt"),
    ("com1.tar.gz", "_com1.tar.gz"),
    ('a<b>c:d"e|f?g*h', "a_b_c_d_e_f_g_h"),
    ("tab\there", "tab_here"),
    ("movie.mkv.part", "movie.mkv.part_"),
    ("  .hidden  ", "hidden"),
])
def test_sanitize_filename(raw: str, safe: str):
    assert sanitize_filename(raw) == safe


def test_sanitize_caps_length_and_keeps_extension():
    name = sanitize_filename("x" * 500 + ".mp3")
    assert len(name.encode()) <= 200 and name.endswith(".mp3")


@pytest.mark.parametrize(("header", "name"), [
    ('attachment; filename="ep 5.mp3"', "ep 5.mp3"),
    ("attachment; filename*=UTF-8''%C3%A9pisode.mp3", "épisode.mp3"),
    ("attachment; filename=\"fallback.mp3\"; filename*=UTF-8''%E2%82%AC.mp3", "€.mp3"),
    ("inline", None),
    ("", None),
])
def test_content_disposition(header: str, name: str | None):
    assert filename_from_content_disposition(header) == name


def test_choose_filename_prefers_disposition_then_url_then_fallback():
    assert choose_filename("http://h/a/b%20c.mp3?x=1", None, "f") == "b c.mp3"
    assert choose_filename("http://h/a/b.mp3", 'attachment; filename="z.mp3"', "f") == "z.mp3"
    assert choose_filename("http://h/", None, "download-1") == "download-1"


def test_unique_name_never_overwrites(tmp_path: Path):
    (tmp_path / "a.txt").write_text("x")
    (tmp_path / "a (1).txt.part").write_text("x")
    assert unique_name(tmp_path, "a.txt", set()) == "a (2).txt"
    assert unique_name(tmp_path, "b.txt", {name_key("B.TXT")}) == "b (1).txt"
    assert unique_name(tmp_path, "c.txt", set()) == "c.txt"


@pytest.mark.parametrize(("raw", "safe"), [
    # issue 10: bidi controls kept made "invoice<RLO>fdp.exe" display as "invoiceexe.pdf".
    ("invoice\u202efdp.exe", "invoicefdp.exe"),
    ("\u2067report\u2069.pdf", "report.pdf"),
    ("a\u200fb\u200e\u061cc\ufeff.txt", "abc.txt"),
    ("zero\u200bwidth.txt", "zerowidth.txt"),
    # Joiners shape scripts and emoji: kept.
    ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.txt",
     "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645.txt"),
    # Trailing dots and spaces, in any mix, go (Windows drops them on open).
    ("setup.exe. .", "setup.exe"),
    ("name . . ", "name"),
    ("report.pdf\u3000.", "report.pdf"),
    ("\u202e", "download"),
])
def test_sanitize_filename_drops_invisible_and_trailing_characters(raw: str, safe: str):
    assert sanitize_filename(raw) == safe


def test_a_long_title_is_cut_at_a_word_for_its_bundle_folder():
    title = "The Complete Lectures on Distributed Systems, Autumn Term 2026, with Slides and Notes"
    name = bundle_folder_name(title, "x")
    assert name == "The Complete Lectures on Distributed Systems, Autumn Term 2026"
    assert len(name) <= MAX_FOLDER_CHARS and title.startswith(name)
    assert bundle_folder_name("x" * 100, "id") == "x" * MAX_FOLDER_CHARS  # no word to cut at
    assert bundle_folder_name("  Two   spaces  ", "id") == "Two spaces"
    assert bundle_folder_name("", "ep-5") == "ep-5"
