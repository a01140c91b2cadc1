"""The Settings dialog: the engine settings a user should see, and which events notify.

Everything ``settings.json`` holds that a user may want to change is here: on
General, folder, limits, timeouts and retries, holding downloads on metered
networks, notifications (and which events raise one), start at login, copied
links, the proxy; then the web sites' decisions, speed and schedule (the speed
limit, the alternative one, the schedule window, quitting when done) and folders
by type, each on a page of its own.

It edits a copy of :class:`Settings`; applying it (engine, settings file,
autostart entry) is the caller's business, so the dialog stays testable.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bgfetch_gui.engine.http.segmented import MAX_CONNECTIONS
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.units import parse_size
from bgfetch_gui.engine.web.sites import Sites
from bgfetch_gui.platform import autostart
from bgfetch_gui.qt import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from bgfetch_gui.ui.alt_speed_section import AltSpeedSection
from bgfetch_gui.ui.clipboard_section import ClipboardSection
from bgfetch_gui.ui.icons import app_icon
from bgfetch_gui.ui.proxy_section import ProxySection
from bgfetch_gui.ui.speed_limit_menu import speed_limit_text
from bgfetch_gui.ui.type_folders_section import TypeFoldersSection
from bgfetch_gui.ui.web_sites_page import WebSitesPage


class SettingsDialog(QDialog):
    def __init__(
        self,
        settings: Settings,
        parent: QWidget | None = None,
        *,
        default_download_dir: Path | None = None,
        sites: Sites | None = None,
    ) -> None:
        """``sites``: the engine's web-site decisions, for the Web sites page."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("bgfetch settings"))
        self.setWindowIcon(app_icon())
        self.setMinimumWidth(480)
        self._settings = settings

        self.folder_edit = QLineEdit(settings.download_dir)
        if default_download_dir is not None:
            self.folder_edit.setPlaceholderText(str(default_download_dir))
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)

        self.fetches_spin = _spin(1, 50, settings.max_active_fetches)
        self.transfers_spin = _spin(1, 32, settings.max_transfers_per_fetch)
        self.connections_spin = _spin(1, MAX_CONNECTIONS, settings.connections_per_file)
        self.connections_spin.setToolTip(self.tr(
            "A big file from a server that answers ranges comes over this many connections"
        ))
        # In KiB, exactly: a dialog closed with OK must not round the setting.
        self.split_spin = _spin(16, 1 << 20, settings.min_split_size // 1024)
        self.split_spin.setSuffix(" KiB")
        self.split_spin.setToolTip(self.tr("No file is cut into pieces smaller than this"))
        self.speed_edit = QLineEdit(speed_limit_text(settings.speed_limit))
        self.speed_edit.setPlaceholderText(self.tr("Unlimited (e.g. 500K or 2M per second)"))
        self.speed_error = QLabel()
        self.speed_error.setStyleSheet("color: #b3261e;")
        self.speed_error.hide()
        self.schedule_edit = QLineEdit(settings.schedule)
        self.schedule_edit.setPlaceholderText(
            self.tr("Any time (e.g. 01:00-07:00 or 01:00-07:00 mon-fri)"))
        self.schedule_edit.setToolTip(
            self.tr("Downloads run only then, and wait in the queue otherwise"))
        self.connect_spin = _seconds(1, 600, settings.connect_timeout)
        self.connect_spin.setToolTip(
            self.tr("How long to wait for a server to answer a connection"))
        self.stall_spin = _seconds(5, 3600, settings.stall_timeout)
        self.stall_spin.setToolTip(
            self.tr("A download that receives nothing this long is tried again"))
        self.retries_spin = _spin(0, 100, settings.max_retries)
        self.retries_spin.setToolTip(self.tr(
            "Tries again after a network error or a busy server, waiting longer each time, "
            "before the fetch fails"))
        self.metered_check = QCheckBox(self.tr("Hold downloads while on a &metered network"))
        self.metered_check.setChecked(settings.hold_on_metered)
        self.metered_check.setToolTip(
            self.tr("A phone's hotspot, say: downloads wait for another network"))
        self.notify_check = QCheckBox(self.tr("Show &notifications"))
        self.notify_check.setChecked(settings.notifications)
        self.notify_progress_check = QCheckBox(self.tr("Progress of a download that takes a while"))
        self.notify_progress_check.setChecked(settings.notify_progress)
        self.notify_done_check = QCheckBox(self.tr("Downloads that finish"))
        self.notify_done_check.setChecked(settings.notify_done)
        self.notify_failed_check = QCheckBox(self.tr("Downloads that fail"))
        self.notify_failed_check.setChecked(settings.notify_failed)
        self._notify_events = QWidget()
        events = QVBoxLayout(self._notify_events)
        events.setContentsMargins(24, 0, 0, 0)
        for check in (self.notify_progress_check, self.notify_done_check,
                      self.notify_failed_check):
            events.addWidget(check)
        self._notify_events.setEnabled(settings.notifications)
        self.notify_check.toggled.connect(self._notify_events.setEnabled)
        self.login_check = QCheckBox(self.tr("Start bgfetch when I log in"))
        self.login_check.setChecked(settings.start_at_login)
        if not autostart.supported():
            self.login_check.setEnabled(False)
            self.login_check.setToolTip(self.tr("Not available on this system yet"))

        form = QFormLayout()
        folder_label = QLabel(self.tr("Download &folder:"))
        folder_label.setBuddy(self.folder_edit)
        form.addRow(folder_label, folder_row)
        form.addRow(self.tr("&Parallel fetches:"), self.fetches_spin)
        form.addRow(self.tr("&Transfers per fetch:"), self.transfers_spin)
        form.addRow(self.tr("&Connections per file:"), self.connections_spin)
        form.addRow(self.tr("&Minimum split size:"), self.split_spin)
        form.addRow(self.tr("Connection &timeout:"), self.connect_spin)
        form.addRow(self.tr("Sta&ll timeout:"), self.stall_spin)
        form.addRow(self.tr("&Retries:"), self.retries_spin)
        form.addRow("", self.metered_check)
        form.addRow("", self.notify_check)
        form.addRow("", self._notify_events)
        form.addRow("", self.login_check)
        self.quit_when_done_check = QCheckBox(
            self.tr("Quit bgfetch when all downloads are done"))
        self.quit_when_done_check.setChecked(settings.quit_when_done)
        self.quit_when_done_check.setToolTip(self.tr(
            "Once nothing is queued, downloading or waiting, bgfetch quits a few seconds "
            "later; paused downloads wait for the next start"))
        # Speed and schedule, a page of their own: on General they made the dialog
        # taller than a laptop's screen.
        timing = QFormLayout()
        timing.addRow(self.tr("Speed &limit:"), self.speed_edit)
        timing.addRow("", self.speed_error)
        self.alt_speed_section = AltSpeedSection(settings)
        timing.addRow(self.alt_speed_section)
        timing.addRow(self.tr("Download &only:"), self.schedule_edit)
        timing.addRow("", self.quit_when_done_check)
        self.clipboard_section = ClipboardSection(settings)
        form.addRow("", self.clipboard_section)
        self.type_folders_section = TypeFoldersSection(settings)
        self.proxy_section = ProxySection(settings.proxy)
        form.addRow(self.proxy_section)

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        general = QWidget()
        general.setLayout(form)
        self.tabs = QTabWidget()
        self.tabs.addTab(general, self.tr("General"))
        self.web_sites_page: WebSitesPage | None = None
        if sites is not None:
            self.web_sites_page = WebSitesPage(sites)
            self.tabs.addTab(self.web_sites_page, self.tr("Web sites"))
        timing_page = QWidget()
        timing_page.setLayout(timing)
        self.tabs.addTab(timing_page, self.tr("Speed and schedule"))
        folders_page = QWidget()
        folders = QVBoxLayout(folders_page)
        folders.addWidget(self.type_folders_section)
        folders.addStretch(1)
        self.tabs.addTab(folders_page, self.tr("Folders by type"))
        layout.addWidget(self.tabs)
        layout.addWidget(self.buttons)
        self.speed_edit.textChanged.connect(self._validate)
        self.schedule_edit.textChanged.connect(self._validate)
        self.proxy_section.changed.connect(self._validate)
        self.type_folders_section.changed.connect(self._validate)
        self.alt_speed_section.changed.connect(self._validate)
        self.folder_edit.setFocus()  # the first field, not the tab bar before it

    def _speed_limit(self) -> tuple[int, str]:
        text = self.speed_edit.text().strip()
        if not text:
            return 0, ""
        try:
            return parse_size(text.removesuffix("/s")), ""
        except ValueError as exc:
            return 0, str(exc)

    def _validate(self) -> bool:
        _, problem = self._speed_limit()
        problem = problem or self.alt_speed_section.problem()
        if not problem:
            # The engine's own rules, the last word on what OK may give back.
            problem = "; ".join(self.settings().problems())
        self.speed_error.setText(problem)
        self.speed_error.setVisible(bool(problem))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(not problem and not self.proxy_section.problem())
        return ok.isEnabled()

    def settings(self) -> Settings:
        """A copy of the settings with the dialog's values."""
        limit, _ = self._speed_limit()
        return dataclasses.replace(
            self._settings,
            download_dir=self.folder_edit.text().strip(),
            max_active_fetches=self.fetches_spin.value(),
            max_transfers_per_fetch=self.transfers_spin.value(),
            connections_per_file=self.connections_spin.value(),
            min_split_size=self._min_split_bytes(),
            speed_limit=limit,
            connect_timeout=self.connect_spin.value(),
            stall_timeout=self.stall_spin.value(),
            max_retries=self.retries_spin.value(),
            hold_on_metered=self.metered_check.isChecked(),
            notifications=self.notify_check.isChecked(),
            notify_progress=self.notify_progress_check.isChecked(),
            notify_done=self.notify_done_check.isChecked(),
            notify_failed=self.notify_failed_check.isChecked(),
            start_at_login=self.login_check.isChecked(),
            quit_when_done=self.quit_when_done_check.isChecked(),
            proxy=self.proxy_section.setting(),
            schedule=self.schedule_edit.text().strip(),
            **self.clipboard_section.values(),
            **self.type_folders_section.values(),
            **self.alt_speed_section.values(),
        )

    def _min_split_bytes(self) -> int:
        kib = self.split_spin.value()
        unchanged = kib == self._settings.min_split_size // 1024
        return self._settings.min_split_size if unchanged else kib * 1024

    def accept(self) -> None:
        if self._validate():
            super().accept()

    def _browse(self) -> None:
        start = self.folder_edit.text() or self.folder_edit.placeholderText()
        path = QFileDialog.getExistingDirectory(self, self.tr("Download folder"), start)
        if path:
            self.folder_edit.setText(path)


def _seconds(low: float, high: float, value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(low, high)
    spin.setDecimals(0 if float(value).is_integer() else 1)
    spin.setSuffix(" s")
    spin.setValue(max(low, min(high, value)))
    return spin


def _spin(low: int, high: int, value: int) -> QSpinBox:
    spin = QSpinBox()
    spin.setRange(low, high)
    spin.setValue(max(low, min(high, value)))
    return spin
