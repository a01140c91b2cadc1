"""Translations through Qt: ``resources/i18n/bgfetch_<locale>.qm``, compiled with
``pyside6-lrelease`` from the ``.ts`` sources that ``pyside6-lupdate`` extracts
(see ``scripts/update_translations.py``).

The app installs a QTranslator for the desktop's locale (:func:`install_translator`);
its QObjects translate with ``self.tr`` (the context is the class's name) and plain
functions with :func:`translate` and a context of their own (``"present"``,
``"notifications"``...). The command line translates with :func:`translate` too,
which loads Qt only when a translation for the locale exists: an English terminal
never pays for Qt.
"""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from .resource_files import resources_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

BASENAME = "bgfetch"
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")  # the order POSIX gives them


def i18n_dir() -> Path:
    return resources_dir() / "i18n"


def locale_name() -> str:
    """``pt_BR`` from ``LC_ALL=pt_BR.UTF-8`` (or ``LC_MESSAGES``, ``LANG``); ``C`` if unset."""
    for variable in LOCALE_VARIABLES:
        value = os.environ.get(variable)
        if value:
            return value.split(".", 1)[0].split("@", 1)[0]
    return "C"


def translation_file(locale: str) -> Path | None:
    """The ``.qm`` for ``pt_BR``, else for ``pt``; None for English or a missing one."""
    candidates = [locale, locale.split("_", 1)[0]]
    for name in candidates:
        path = i18n_dir() / f"{BASENAME}_{name}.qm"
        if path.is_file():
            return path
    return None


def translate(context: str, text: str) -> str:
    """``text`` in the user's language if a translation has it, else as written.

    Call it with literal strings, ``translate("cli", "...")``: that is what
    ``pyside6-lupdate`` finds. Any context works (``"present"`` for the window's
    wording, ``"notifications"``...). Placeholders are ``str.format`` names (``{id}``).
    """
    core = sys.modules.get("PySide6.QtCore")
    if core is not None and core.QCoreApplication.instance() is not None:
        # In the app: its installed translator (install_translator) decides. A Qt
        # event loop without one (the CLI's engine on Windows) falls through.
        translated = str(core.QCoreApplication.translate(context, text))
        if translated != text:
            return translated
    translator = _terminal_translator()
    if translator is None:
        return text
    return translator.translate(context, text) or text


@functools.cache
def _terminal_translator() -> QTranslator | None:
    path = translation_file(locale_name())
    if path is None:
        return None
    from PySide6.QtCore import QTranslator

    translator = QTranslator()
    return translator if translator.load(str(path)) else None


def install_translator(
    app: QCoreApplication, locale: QLocale | None = None
) -> QTranslator | None:
    """At the app's start: its strings in the desktop's language (or ``locale``'s),
    when bgfetch has it, with Qt's own for the standard buttons."""
    from PySide6.QtCore import QLocale

    from .platform.app_translator import AppTranslator

    translator = AppTranslator(app)
    chosen = QLocale.system() if locale is None else locale
    if not translator.load_for(chosen, BASENAME, str(i18n_dir())):
        return None
    app.installTranslator(translator)
    return translator
