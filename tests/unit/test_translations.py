"""Translations through Qt (resources/i18n): complete, compiled, and loaded by locale.

The completeness check extracts the strings again with ``pyside6-lupdate``
(through scripts/update_translations.py, into a temporary folder): a string
added to the command line or the app without its Brazilian Portuguese (or Spanish)
translation shows up there as unfinished, and the test names it.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
I18N = ROOT / "resources" / "i18n"
LANGUAGES = ["pt_BR", "es"]
PLACEHOLDER = re.compile(r"\{\w*\}")
# The window, its menus, the tray and the notifications (docs/contracts.md §4 "Language").
GUI_CONTEXTS = {"MainWindow", "FetchListModel", "FetchFilterProxy", "Tray", "present",
                "notifications"}


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("i18n")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "update_translations.py"),
                    "--out", str(out)], check=True, timeout=120)
    return out


def _messages(ts: Path) -> list[tuple[str, str, ET.Element]]:
    root = ET.parse(ts).getroot()
    return [(context.findtext("name") or "", message.findtext("source") or "",
             message.find("translation"))  # type: ignore[misc]
            for context in root.iter("context") for message in context.iter("message")]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_string_is_translated(extracted: Path, language: str) -> None:
    messages = _messages(extracted / f"bgfetch_{language}.ts")
    assert len([m for m in messages if m[0] == "cli"]) > 50, "the CLI's strings were not found"
    contexts = {context for context, _, _ in messages}
    assert contexts >= GUI_CONTEXTS, f"the app's strings were not found: {GUI_CONTEXTS - contexts}"
    untranslated = [source for _, source, translation in messages
                    if translation.get("type") is not None or not (translation.text or "").strip()]
    assert untranslated == [], f"untranslated in {language}: {untranslated}"
    for _, source, translation in messages:
        assert sorted(PLACEHOLDER.findall(source)) == sorted(
            PLACEHOLDER.findall(translation.text or "")), f"placeholders differ: {source!r}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_files_are_up_to_date(extracted: Path, language: str) -> None:
    for suffix in (".ts", ".qm"):
        name = f"bgfetch_{language}{suffix}"
        assert (extracted / name).read_bytes() == (I18N / name).read_bytes(), (
            f"{name} is stale: run scripts/update_translations.py")


def _run(code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG")}
    result = subprocess.run([sys.executable, "-c", code], env={**clean, **env}, cwd=ROOT,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout.strip()


@pytest.mark.parametrize(("env", "expected"), [
    ({"LANG": "pt_BR.UTF-8"}, "pausado"),
    ({"LC_ALL": "pt_BR.UTF-8", "LANG": "C.UTF-8"}, "pausado"),
    ({"LANG": "es_ES.UTF-8"}, "en pausa"),
    ({"LANG": "es_MX.UTF-8"}, "en pausa"),  # the language's file serves its regions
    ({"LANG": "C.UTF-8"}, "paused"),
    ({"LANG": "fr_FR.UTF-8"}, "paused"),  # no French yet: as written
])
def test_the_command_line_follows_the_locale(env: dict[str, str], expected: str) -> None:
    code = "from bgfetch_gui.i18n import translate; print(translate('cli', 'paused'))"
    assert _run(code, **env) == expected


def test_an_english_terminal_does_not_load_qt() -> None:
    code = ("import sys; from bgfetch_gui.i18n import translate; translate('cli', 'paused'); "
            "print('PySide6.QtCore' in sys.modules)")
    assert _run(code, LANG="C.UTF-8") == "False"


def test_the_app_installs_the_desktop_language() -> None:
    """What ``bgfetch-gui`` does at start: a QTranslator for QLocale.system()."""
    code = ("from PySide6.QtCore import QCoreApplication; "
            "from bgfetch_gui.i18n import install_translator; "
            "app = QCoreApplication([]); assert install_translator(app) is not None; "
            "print(QCoreApplication.translate('cli', 'paused'))")
    assert _run(code, LANG="pt_BR.UTF-8", QT_QPA_PLATFORM="offscreen") == "pausado"


def test_a_qt_loop_without_the_apps_translator_still_follows_the_locale() -> None:
    """The CLI's engine on a Qt event loop (Windows) has a QCoreApplication but no
    installed translator: its words still come from the locale's file."""
    code = ("from PySide6.QtCore import QCoreApplication; "
            "from bgfetch_gui.i18n import translate; "
            "app = QCoreApplication([]); print(translate('cli', 'paused'))")
    assert _run(code, LANG="pt_BR.UTF-8", QT_QPA_PLATFORM="offscreen") == "pausado"
