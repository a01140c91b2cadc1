"""The "New fetch" dialog: URLs, title, icon, destination, download total, start time,
integrity.

Everything is checked as it is typed with the engine's own rules
(``check_url``, ``parse_size``, ``check_metadata``), so the reason a line is refused shows next
to its field and OK stays disabled until the fetch would be accepted. A line
typed without a scheme (``example.org/a.mp3``) gets ``https://``, and a note
under the URLs says so. The checks are plain functions, testable without a
window.
"""

from __future__ import annotations

import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.icons import is_remote
from bgfetch_gui.engine.integrity import BadIntegrity, check_metadata
from bgfetch_gui.engine.manifest import FetchSpec, new_id
from bgfetch_gui.engine.model import FetchOptions, FetchRequest, Icon
from bgfetch_gui.engine.naming import bundle_folder_name
from bgfetch_gui.engine.schedule import parse_start_at
from bgfetch_gui.engine.type_folders import type_root
from bgfetch_gui.engine.units import parse_size
from bgfetch_gui.engine.validation import check_url
from bgfetch_gui.qt import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGuiApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    Qt,
    QVBoxLayout,
    QWidget,
)
from bgfetch_gui.ui.icons import app_icon
from bgfetch_gui.ui.intake import guess_title

MAX_SHOWN_ERRORS = 4
ERROR_STYLE = "color: #b3261e;"  # an error is red in any theme
# A host name first (with a dot, or localhost) and no scheme: what people paste from a page.
_SCHEMELESS = re.compile(r"^(?:(?:[\w-]+\.)+[\w-]+|localhost)(?::\d+)?(?:[/?#]\S*)?$")


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based, as the user counts
    reason: str


def with_scheme(line: str) -> str:
    """``https://`` + ``line`` when it is a bare ``host/path``; else ``line`` as it is."""
    return f"https://{line}" if "://" not in line and _SCHEMELESS.match(line) else line


def schemeless_lines(text: str) -> list[int]:
    """The (1-based) lines that :func:`check_urls` gives ``https://``."""
    return [number for number, line in enumerate(text.splitlines(), start=1)
            if line.strip() and with_scheme(line.strip()) != line.strip()]


def check_urls(text: str, *, add_scheme: bool = True) -> tuple[list[str], list[LineError]]:
    """The URLs of ``text`` (one per line, blank lines ignored) and the bad lines.

    With ``add_scheme``, a bare ``host/path`` line becomes ``https://host/path``.
    """
    urls: list[str] = []
    errors: list[LineError] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if add_scheme:
            line = with_scheme(line)
        try:
            check_url(line)
        except InvalidFetch as exc:
            errors.append(LineError(number, str(exc)))
        else:
            urls.append(line)
    return urls, errors


def check_total(text: str) -> tuple[int, str]:
    """``(bytes, "")`` for ``60M`` / ``1.5G`` / empty (0: no limit), else ``(0, reason)``."""
    if not text.strip():
        return 0, ""
    try:
        return parse_size(text), ""
    except ValueError as exc:
        return 0, str(exc)


def check_start_at(text: str) -> tuple[float, str]:
    """``(when, "")`` for ``01:30`` / ``2026-12-24T01:30`` / empty (0: at once), else
    ``(0, reason)`` (docs/contracts.md §10)."""
    if not text.strip():
        return 0.0, ""
    try:
        return parse_start_at(text, time.time()), ""
    except ValueError as exc:
        return 0.0, str(exc)


def check_integrity(text: str) -> tuple[list[str], list[LineError]]:
    """The integrity metadata of each line ("" for an empty one) and the bad lines
    (docs/contracts.md §12). Line n is for the n-th URL, as ``--integrity`` pairs with
    the URLs on the command line: an empty line skips a URL, and URLs after the last
    line have none."""
    lines = [line.strip() for line in text.rstrip().splitlines()]
    errors: list[LineError] = []
    for number, line in enumerate(lines, start=1):
        try:
            if line:
                check_metadata(line)
        except BadIntegrity as exc:
            errors.append(LineError(number, str(exc)))
    return lines, errors


def check_icon(text: str) -> str:
    """Empty if ``text`` is usable as an icon (an http(s) URL or an existing file)."""
    text = text.strip()
    if not text:
        return ""
    if "://" in text:
        try:
            check_url(text)
        except InvalidFetch as exc:
            return f"icon: {exc}"
        return ""
    if not Path(text).expanduser().is_file():
        return f"icon: no such file {text!r}"
    return ""


def clipboard_urls() -> list[str]:
    """The clipboard's text if it is nothing but http(s) URLs, else nothing."""
    clipboard = QGuiApplication.clipboard()
    text = clipboard.text() if clipboard is not None else ""
    if not text or len(text) > 100_000:
        return []
    urls, errors = check_urls(text, add_scheme=False)  # any text is not a URL
    return [] if errors else urls


class NewFetchDialog(QDialog):
    """Asks for a fetch; ``spec()`` gives it once accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        urls: list[str] | None = None,
        default_folder: Path | None = None,
        use_clipboard: bool = True,
        type_rules: Mapping[str, str] | None = None,
    ) -> None:
        """``type_rules``: the folders by type the engine will use (None: off), so the
        folder shown is where the files will go (docs/contracts.md §14)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("New fetch"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(560)
        self._default_folder = default_folder
        self._type_rules = type_rules

        self.urls_edit = QPlainTextEdit()
        self.urls_edit.setPlaceholderText("https://example.org/episode-5.mp3\n"
                                          "https://example.org/episode-5.jpg")
        self.urls_edit.setTabChangesFocus(True)
        self.urls_edit.setMinimumHeight(110)
        self.errors_label = _error_label()
        self.scheme_note = QLabel()
        self.scheme_note.setWordWrap(True)
        self.scheme_note.setEnabled(False)
        self.scheme_note.hide()
        self.icon_error = _error_label()
        self.total_error = _error_label()

        self.title_edit = QLineEdit()
        self.icon_edit = QLineEdit()
        self.icon_edit.setPlaceholderText(self.tr("Optional: an image file or an http(s) URL"))
        icon_browse = QPushButton(self.tr("Browse…"))
        icon_browse.clicked.connect(self._browse_icon)
        self.dest_edit = QLineEdit()
        dest_browse = QPushButton(self.tr("Browse…"))
        dest_browse.clicked.connect(self._browse_dest)
        self.total_edit = QLineEdit()
        self.total_edit.setPlaceholderText(self.tr("No limit (e.g. 60M or 1.5G)"))
        self.total_edit.setToolTip(
            self.tr("The fetch fails at once if it receives more than this, as on the web.")
        )
        self.start_edit = QLineEdit()
        self.start_edit.setPlaceholderText(self.tr("Now (or e.g. 01:30 or 2026-12-24T01:30)"))
        self.start_edit.setToolTip(self.tr("The fetch waits in the queue until then"))
        self.start_error = _error_label()
        self.integrity_edit = QPlainTextEdit()
        self.integrity_edit.setPlaceholderText(self.tr("Optional: e.g. sha256-BASE64"))
        self.integrity_edit.setTabChangesFocus(True)
        self.integrity_edit.setMaximumHeight(70)
        self.integrity_error = _error_label()

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        urls_box = QVBoxLayout()
        urls_box.setSpacing(4)
        urls_box.addWidget(self.urls_edit)
        urls_box.addWidget(self.errors_label)
        urls_box.addWidget(self.scheme_note)
        hint = QLabel(
            self.tr("One URL per line; they are downloaded together as one bundle."))
        hint.setEnabled(False)
        urls_box.addWidget(hint)
        # Rows holding a layout need their label's buddy set by hand for the &-shortcut.
        form.addRow(_label(self.tr("&URLs:"), self.urls_edit), urls_box)
        form.addRow(self.tr("&Title:"), self.title_edit)
        form.addRow(_label(self.tr("&Icon:"), self.icon_edit),
                    _with_error(_with_button(self.icon_edit, icon_browse), self.icon_error))
        form.addRow(_label(self.tr("&Save to:"), self.dest_edit),
                    _with_button(self.dest_edit, dest_browse))
        total_row = QHBoxLayout()
        total_row.addWidget(self.total_edit)
        form.addRow(_label(self.tr("Download t&otal:"), self.total_edit),
                    _with_error(total_row, self.total_error))
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_edit)
        form.addRow(_label(self.tr("Start &at:"), self.start_edit),
                    _with_error(start_row, self.start_error))
        integrity_box = QVBoxLayout()
        integrity_box.setSpacing(2)
        integrity_box.addWidget(self.integrity_edit)
        integrity_box.addWidget(self.integrity_error)
        integrity_hint = QLabel(self.tr(
            "The digest each file must match: line 1 for the first URL, line 2 for the "
            "second; an empty line for a URL without one."))
        integrity_hint.setWordWrap(True)
        integrity_hint.setEnabled(False)
        integrity_box.addWidget(integrity_hint)
        form.addRow(_label(self.tr("Inte&grity:"), self.integrity_edit), integrity_box)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("&Download"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        for edit in (self.title_edit, self.icon_edit, self.dest_edit, self.total_edit,
                     self.start_edit):
            edit.textChanged.connect(self.validate)
        self.urls_edit.textChanged.connect(self.validate)
        self.integrity_edit.textChanged.connect(self.validate)

        initial = urls if urls else (clipboard_urls() if use_clipboard else [])
        if initial:
            self.urls_edit.setPlainText("\n".join(initial))
        self.validate()

    # -- validation -------------------------------------------------------------

    def problems(self) -> list[str]:
        """Every reason the fetch would be refused, in the order of the form."""
        urls, errors = check_urls(self.urls_edit.toPlainText())
        found = [self._line_error(e.line, e.reason) for e in errors]
        if not urls and not errors:
            found.append(self.tr("Enter at least one URL."))
        icon_problem = check_icon(self.icon_edit.text())
        if icon_problem:
            found.append(icon_problem)
        _, total_problem = check_total(self.total_edit.text())
        if total_problem:
            found.append(self.tr("download total: {problem}").format(problem=total_problem))
        _, start_problem = check_start_at(self.start_edit.text())
        if start_problem:
            found.append(self.tr("start at: {problem}").format(problem=start_problem))
        found += [self._integrity_error(e) for e in self._integrity()[1]]
        return found

    def validate(self) -> bool:
        text = self.urls_edit.toPlainText()
        urls, errors = check_urls(text)
        problems = self.problems()
        shown = [self._line_error(e.line, e.reason) for e in errors]
        if len(shown) > MAX_SHOWN_ERRORS:
            more = self.tr("… and {count} more").format(count=len(shown) - MAX_SHOWN_ERRORS)
            shown = [*shown[:MAX_SHOWN_ERRORS], more]
        _show(self.errors_label, "\n".join(shown))
        added = schemeless_lines(text)
        _show(self.scheme_note, "" if not added else (
            self.tr("https:// was added to line {line}.").format(line=added[0])
            if len(added) == 1
            else self.tr("https:// was added to {count} lines.").format(count=len(added))))
        _show(self.icon_error, check_icon(self.icon_edit.text()))
        _show(self.total_error, check_total(self.total_edit.text())[1])
        _show(self.start_error, check_start_at(self.start_edit.text())[1])
        _show(self.integrity_error,
              "\n".join(self._integrity_error(e) for e in self._integrity()[1]))
        guessed = guess_title(urls)
        self.title_edit.setPlaceholderText(guessed or self.tr("A name for this bundle"))
        if self._default_folder is not None:
            # Where the engine will put them (docs/contracts.md §3, §14): one file
            # straight into Downloads (or its type's folder), a bundle in a folder
            # named after its title.
            name = self.title_edit.text().strip() or guessed or "…"
            root = type_root(self._default_folder, urls, self._type_rules)
            folder = root if len(urls) == 1 else root / bundle_folder_name(name, "…")
            self.dest_edit.setPlaceholderText(str(folder))
        self.ok_button.setEnabled(not problems)
        return not problems

    def _line_error(self, line: int, reason: str) -> str:
        return self.tr("Line {line}: {reason}").format(line=line, reason=reason)

    def _integrity(self) -> tuple[list[str], list[LineError]]:
        """The metadata of each URL (blank URL lines do not count) and the bad lines."""
        url_count = sum(1 for line in self.urls_edit.toPlainText().splitlines() if line.strip())
        metadata, errors = check_integrity(self.integrity_edit.toPlainText())
        if len(metadata) > url_count:
            errors.append(LineError(url_count + 1, self.tr("there is no URL {number}").format(
                number=url_count + 1)))
        return metadata + [""] * (url_count - len(metadata)), errors

    def _integrity_error(self, error: LineError) -> str:
        return self.tr("Integrity line {line}: {reason}").format(line=error.line,
                                                                 reason=error.reason)

    # -- the answer ----------------------------------------------------------------

    def spec(self) -> FetchSpec:
        """The fetch as entered; call only when ``validate()`` is True."""
        urls, _ = check_urls(self.urls_edit.toPlainText())
        total, _ = check_total(self.total_edit.text())
        start_at, _ = check_start_at(self.start_edit.text())
        metadata, _ = self._integrity()
        icon = self.icon_edit.text().strip()
        icons: tuple[Icon, ...] = ()
        if icon:
            src = icon if is_remote(icon) else str(Path(icon).expanduser().absolute())
            icons = (Icon(src),)
        dest = self.dest_edit.text().strip()
        return FetchSpec(
            id=new_id(),
            requests=tuple(FetchRequest(url, integrity=integrity)
                           for url, integrity in zip(urls, metadata, strict=True)),
            options=FetchOptions(
                title=self.title_edit.text().strip() or guess_title(urls),
                icons=icons,
                download_total=total,
                start_at=start_at,
            ),
            dest=Path(dest).expanduser() if dest else None,
        )

    def accept(self) -> None:
        if self.validate():
            super().accept()

    # -- pickers -----------------------------------------------------------------

    def _browse_icon(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose an icon"), "",
            self.tr("Images (*.png *.svg *.jpg *.jpeg *.ico *.webp)")
        )
        if path:
            self.icon_edit.setText(path)

    def _browse_dest(self) -> None:
        start = self.dest_edit.text() or str(self._default_folder or Path.home())
        path = QFileDialog.getExistingDirectory(self, self.tr("Save the files in"), start)
        if path:
            self.dest_edit.setText(path)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setStyleSheet(ERROR_STYLE)
    label.hide()
    return label


def _show(label: QLabel, text: str) -> None:
    label.setText(text)
    label.setVisible(bool(text))
    label.setAccessibleName(text)


def _with_error(row: QHBoxLayout, error: QLabel) -> QVBoxLayout:
    """A field's row with its error right under it."""
    box = QVBoxLayout()
    box.setSpacing(2)
    box.addLayout(row)
    box.addWidget(error)
    return box


def _label(text: str, buddy: QWidget) -> QLabel:
    label = QLabel(text)
    label.setBuddy(buddy)
    return label


def _with_button(edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    row.addWidget(edit, 1)
    row.addWidget(button)
    return row
