"""The app's one QTranslator: bgfetch's own strings, then Qt's for the same locale.

Qt's standard buttons and dialogs (OK, Cancel, Yes in a QMessageBox or a
QDialogButtonBox, QInputDialog's) are translated by Qt's own ``qtbase_<locale>.qm``,
which PySide6 ships; without it a Portuguese dialog would say "Cancel". One
object for both, so that whoever installs it (the app, a test) removes both with it.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator


class AppTranslator(QTranslator):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.qt_own = QTranslator(self)

    def load_for(self, locale: QLocale, basename: str, folder: str) -> bool:
        """bgfetch's ``<basename>_<locale>.qm`` from ``folder`` (False if it has none),
        and Qt's own translation for the locale where Qt has one."""
        if not self.load(locale, basename, "_", folder):
            return False
        self.qt_own.load(locale, "qtbase", "_",
                         QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
        return True

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str | None:
        return (super().translate(context, source, disambiguation, n)
                or self.qt_own.translate(context, source, disambiguation, n))

    def isEmpty(self) -> bool:
        return super().isEmpty() and self.qt_own.isEmpty()
