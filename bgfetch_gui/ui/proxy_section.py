"""Settings → Proxy: the app's proxy setting, and its credentials for the keyring.

The setting (``system``, ``none`` or a URL; docs/contracts.md §8) applies on OK
with the other settings. Credentials never become a setting: "Save in keyring"
stores them at once, off the GUI thread (a keyring may block on D-Bus).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from PySide6.QtWidgets import QGroupBox

from bgfetch_gui.engine.credentials import Credential
from bgfetch_gui.engine.proxy import DIRECT, SYSTEM, BadProxy, check_setting, parse_proxy
from bgfetch_gui.platform.credentials import KeyringCredentials, KeyringUnavailable
from bgfetch_gui.qt import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
    Signal,
)

log = logging.getLogger("bgfetch.ui")

MANUAL = "manual"

SaveCredential = Callable[[str, Credential], None]


class ProxySection(QGroupBox):
    """``changed`` fires whenever :meth:`problem` may have changed."""

    changed = Signal()

    def __init__(self, setting: str, parent: QWidget | None = None, *,
                 save_credential: SaveCredential | None = None) -> None:
        super().__init__(self.tr("Proxy"), parent)
        self._save_credential = save_credential or KeyringCredentials().save
        self.saving: asyncio.Future[None] | None = None
        self.mode_combo = QComboBox()
        modes = ((self.tr("Use the system's proxy settings"), SYSTEM),
                 (self.tr("No proxy"), DIRECT),
                 (self.tr("Manual (HTTP, HTTPS or SOCKS5)"), MANUAL))
        for text, mode in modes:
            self.mode_combo.addItem(text, mode)
        manual = setting not in (SYSTEM, DIRECT)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(MANUAL if manual else setting))
        self.url_edit = QLineEdit(setting if manual else "")
        self.url_edit.setPlaceholderText("socks5://127.0.0.1:1080 or http://proxy.lan:3128")
        self.error_label = QLabel()
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        self.username_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.save_button = QPushButton(self.tr("Save in keyring"))
        self.save_button.setToolTip(
            self.tr("Only if the proxy asks for a user name and password"))
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        login_row = QHBoxLayout()
        login_row.addWidget(self.username_edit, 1)
        login_row.addWidget(self.password_edit, 1)
        login_row.addWidget(self.save_button)

        form = QFormLayout(self)
        form.addRow(self.tr("&Proxy:"), self.mode_combo)
        form.addRow(self.tr("Proxy &URL:"), self.url_edit)
        form.addRow("", self.error_label)
        form.addRow(self.tr("User name, password:"), login_row)
        form.addRow("", self.status_label)

        self.mode_combo.currentIndexChanged.connect(self._update)
        self.url_edit.textChanged.connect(self._update)
        self.save_button.clicked.connect(self.save_credential)
        self._update()

    def setting(self) -> str:
        """The proxy setting the section shows (valid only when :meth:`problem` is empty)."""
        mode = str(self.mode_combo.currentData())
        if mode != MANUAL:
            return mode
        try:
            return check_setting(self.url_edit.text())
        except BadProxy:
            return self.url_edit.text().strip()

    def problem(self) -> str:
        if self.mode_combo.currentData() != MANUAL:
            return ""
        if not self.url_edit.text().strip():
            return self.tr("Enter the proxy's URL")
        try:
            parse_proxy(self.url_edit.text())
        except BadProxy as exc:
            return str(exc)
        return ""

    def save_credential(self) -> None:
        """Store the user name and password for the manual proxy, in a worker thread."""
        key = parse_proxy(self.url_edit.text()).keyring_key
        credential = Credential(self.username_edit.text(), self.password_edit.text())
        self.save_button.setEnabled(False)
        self.status_label.setText(self.tr("Saving…"))
        self.saving = asyncio.ensure_future(
            asyncio.to_thread(self._save_credential, key, credential))
        self.saving.add_done_callback(lambda done: self._saved(done, key))

    def _saved(self, done: asyncio.Future[None], key: str) -> None:
        self._update()
        exc = None if done.cancelled() else done.exception()
        if exc is None:
            self.password_edit.clear()
            self.status_label.setText(self.tr("Saved in the keyring for {proxy}").format(
                proxy=key.removeprefix("proxy ")))
        elif isinstance(exc, KeyringUnavailable):
            self.status_label.setText(str(exc))
        else:
            log.warning("cannot save the proxy's credentials: %s", exc)
            self.status_label.setText(self.tr("Not saved: {error}").format(error=exc))

    def _update(self) -> None:
        manual = self.mode_combo.currentData() == MANUAL
        problem = self.problem() if self.url_edit.text().strip() else ""
        self.url_edit.setEnabled(manual)
        self.error_label.setText(problem)
        self.error_label.setVisible(bool(problem))
        for widget in (self.username_edit, self.password_edit):
            widget.setEnabled(manual)
        idle = self.saving is None or self.saving.done()
        self.save_button.setEnabled(manual and not self.problem() and idle)
        self.changed.emit()
