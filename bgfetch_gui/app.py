"""The GUI application: engine, window, tray and notifications on one qasync loop.

``main()`` runs it once ``bgfetch_gui.launcher`` (the ``bgfetch-gui`` script and
``python -m bgfetch_gui``) has checked the system. Arguments are URLs (one new
fetch), ``.bgfetch`` manifests or ``bgfetch:`` links (docs/contracts.md §5). If a
bgfetch window already runs for this data folder, they are handed to it over the
engine's local socket and this process exits: one instance per folder.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import logging.handlers
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

import qasync

from bgfetch_gui import __version__
from bgfetch_gui.engine.datadir import data_dir
from bgfetch_gui.engine.errors import BgfetchError, EngineBusy
from bgfetch_gui.engine.icons import ICON_CACHE
from bgfetch_gui.engine.manifest import FetchSpec
from bgfetch_gui.host import EngineHost
from bgfetch_gui.i18n import install_translator, translate
from bgfetch_gui.platform import desktop_integration
from bgfetch_gui.platform.file_open import FileOpenForwarder
from bgfetch_gui.platform.ipc_client import EngineUnavailable, IpcClient
from bgfetch_gui.platform.notifications import (
    FetchNotifications,
    default_notifiers,
    notifier_chain,
)
from bgfetch_gui.platform.signals import SignalWatcher
from bgfetch_gui.qt import QApplication, QGuiApplication, QSettings, QSystemTrayIcon, QTimer
from bgfetch_gui.resource_files import resources_dir
from bgfetch_gui.ui.clipboard_offers import ClipboardOffers
from bgfetch_gui.ui.consent_dialog import DialogConsentPrompt
from bgfetch_gui.ui.fetch_model import FetchListModel
from bgfetch_gui.ui.icons import IconProvider, app_icon
from bgfetch_gui.ui.intake import sort_arguments, specs_for
from bgfetch_gui.ui.main_window import MainWindow
from bgfetch_gui.ui.tray import Tray

log = logging.getLogger("bgfetch.app")

LOG_NAME = "bgfetch-gui.log"
UI_STATE_NAME = "ui-state.ini"
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_AFTER_SHOW_ENV = "BGFETCH_GUI_EXIT_AFTER_SHOW"
NOTIFICATION_GRACE_S = 0.3


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bgfetch-gui", description="bgfetch: background downloads for the desktop"
    )
    parser.add_argument("items", nargs="*", metavar="URL|FILE.bgfetch|bgfetch:LINK",
                        help="URLs to download as one fetch, .bgfetch manifests, or bgfetch: "
                             "links (asked about before they download)")
    parser.add_argument("--minimized", action="store_true",
                        help="start in the tray without opening the window (used at login)")
    parser.add_argument("--version", action="version", version=f"bgfetch {__version__}")
    desktop = parser.add_mutually_exclusive_group()
    desktop.add_argument("--install-desktop-integration", action="store_true",
                         help="add bgfetch to your application menu and make it open "
                              ".bgfetch files and bgfetch: links, then exit")
    desktop.add_argument("--uninstall-desktop-integration", action="store_true",
                         help="remove what --install-desktop-integration added, then exit")
    browsers = parser.add_argument_group("web browsers")
    once = browsers.add_mutually_exclusive_group()
    once.add_argument("--install-browser-integration", action="store_true",
                      help="register bgfetch's native-messaging host with the browsers and "
                           "build the browser extension, then exit")
    once.add_argument("--uninstall-browser-integration", action="store_true",
                      help="remove what --install-browser-integration wrote, then exit")
    browsers.add_argument("--browser-profile", action="append", default=[], type=Path,
                          metavar="DIR", help="with --install-browser-integration: also "
                          "register the host in this Chromium user-data folder")
    args = parser.parse_args(argv)
    if args.browser_profile and not args.install_browser_integration:
        parser.error("--browser-profile needs --install-browser-integration")
    return args


def setup_logging(folder: Path) -> None:
    """Everything to a rotating file in the data folder; warnings to stderr as well."""
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            folder / LOG_NAME, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    console = logging.StreamHandler()
    console.setLevel(logging.WARNING)
    console.setFormatter(logging.Formatter("bgfetch-gui: %(message)s"))
    root.addHandler(console)


class GuiApp:
    """One run of the GUI: start everything, wait for Quit, stop everything."""

    def __init__(self, folder: Path, args: argparse.Namespace) -> None:
        self.folder = folder
        self.args = args
        self.window: MainWindow | None = None
        self.consent = DialogConsentPrompt(lambda: self.window)
        self.host = EngineHost(folder, "gui", on_show=self._on_show, on_link=self._on_link,
                               consent=self.consent)
        self.tray: Tray | None = None
        self.clipboard: ClipboardOffers | None = None
        self.icons: IconProvider | None = None
        self.model: FetchListModel | None = None
        self.notifications: FetchNotifications | None = None
        self.file_opener: FileOpenForwarder | None = None
        self.shown_at: float | None = None  # wall-clock time the window was first shown
        self._background: set[asyncio.Future[None]] = set()

    async def run(self) -> int:
        intake = sort_arguments(self.args.items)
        specs, errors = specs_for(intake)
        try:
            await self.host.start(take_over=True)
        except EngineBusy as exc:
            return hand_over(self.folder, specs, intake.links, errors, str(exc))
        watcher = SignalWatcher(lambda _signum: self.host.quit_requested.set())
        try:
            self._build()
            assert self.window is not None
            for spec in specs:
                self.window.register(spec)
            for link in intake.links:
                self.window.open_link(link)
            for error in errors:
                self.window.show_error(error, dialog=True)
            self._background.add(asyncio.ensure_future(self._start_notifications()))
            await self.host.quit_requested.wait()
        finally:
            watcher.close()
            await self._shutdown()
        return EXIT_OK

    def _build(self) -> None:
        manager = self.host.manager
        self.icons = IconProvider(self.folder / ICON_CACHE, sessions=manager.sessions)
        self.model = FetchListModel(self.icons)
        self.model.attach(manager)
        state = QSettings(str(self.folder / UI_STATE_NAME), QSettings.Format.IniFormat)
        window = MainWindow(manager, self.model, state, data_dir=self.folder,
                            sites=self.host.sites)
        window.quit_requested.connect(self.host.quit_requested.set)
        self.window = window
        model = self.model
        self.file_opener = FileOpenForwarder(window.accept_items)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.file_opener)
        if Tray.available():
            tray = Tray(app_icon(), fetches=model.snapshots,
                        window_visible=lambda: window.isVisible() and not window.isMinimized())
            tray.show_requested.connect(window.show_and_raise)
            tray.toggle_requested.connect(window.toggle_visible)
            tray.new_fetch_requested.connect(self._new_fetch_from_tray)
            tray.pause_all_requested.connect(window.pause_all)
            tray.resume_all_requested.connect(window.resume_all)
            tray.pause_requested.connect(window.pause_key)
            tray.resume_requested.connect(window.resume_key)
            tray.show_fetch_requested.connect(window.show_fetch)
            tray.settings_requested.connect(self._settings_from_tray)
            tray.open_downloads_requested.connect(window.open_downloads)
            tray.speed_limit_toggled.connect(window.set_speed_limit_active)
            tray.quit_requested.connect(window.request_quit)
            tray.set_speed_limit(manager.settings.speed_limit, active=window.speed_limit_active())
            window.settings_applied.connect(lambda settings: tray.set_speed_limit(
                settings.speed_limit, active=window.speed_limit_active()))
            # The alternative limit (§9): toggled here, or switched by its schedule.
            tray.alt_speed_toggled.connect(window.set_alt_speed)
            tray.set_alt_speed(manager.settings.alt_speed_limit,
                               active=manager.settings.alt_speed_on)
            window.settings_applied.connect(lambda settings: tray.set_alt_speed(
                settings.alt_speed_limit, active=settings.alt_speed_on))
            manager.alt_speed_listeners.append(lambda on: tray.set_alt_speed(
                manager.settings.alt_speed_limit, active=on))
            window.closed_to_tray.connect(lambda: tray.icon.showMessage(
                translate("app", "bgfetch keeps running"),
                translate("app", "Downloads go on in the tray. Use Quit in its menu to leave."),
                QSystemTrayIcon.MessageIcon.Information, 8000))
            model.summary_changed.connect(tray.update_summary)
            tray.update_summary(model.summary)
            tray.show()
            self.tray = tray
            # Offers of copied links are tray messages: a click on one is the user's yes.
            offers = ClipboardOffers(QGuiApplication.clipboard(), manager.settings, window)
            window.settings_applied.connect(offers.apply)
            offers.offered.connect(lambda url: tray.icon.showMessage(
                translate("app", "Download with bgfetch?"),
                translate("app", "{url}\nClick here to download it.").format(url=url),
                QSystemTrayIcon.MessageIcon.Information, 10_000))
            tray.icon.messageClicked.connect(offers.clicked)
            offers.download_requested.connect(self._download_offered)
            self.clipboard = offers
        else:
            # Without a tray a hidden window could never come back: closing it quits.
            window.hide_on_close = False
            log.warning("No system tray here: closing this window quits bgfetch.")
            window.statusBar().showMessage(translate(
                "app", "No system tray here: closing this window quits bgfetch."), 15_000)
        if not self.args.minimized or self.tray is None:
            window.show()
        QTimer.singleShot(0, self._shown)

    def _settings_from_tray(self) -> None:
        if self.window is not None:
            self.window.show_and_raise()
            self.window.open_settings()

    def _download_offered(self, url: str) -> None:
        if self.window is not None:
            self.window.show_and_raise()
            self.window.new_fetch([url])

    def _new_fetch_from_tray(self) -> None:
        if self.window is not None:
            self.window.show_and_raise()
            self.window.new_fetch()

    def _shown(self) -> None:
        """The first turn of the event loop after show(): the window is on screen."""
        self.shown_at = time.time()
        log.info("window shown")
        if os.environ.get(EXIT_AFTER_SHOW_ENV):
            # For bench/startup.py: report when the window was up, then quit cleanly.
            print(f"shown-at {self.shown_at:.6f}", flush=True)
            self.host.quit_requested.set()

    async def _start_notifications(self) -> None:
        """Start after the window shows: finding a notification server may take seconds."""
        window = self.window
        if window is None:
            return
        try:
            icon = resources_dir() / "icons" / "bgfetch-128.png"
            notifier = await notifier_chain(default_notifiers(
                tray=self.tray.icon if self.tray is not None else None,
                sink=window.notification_sink,
                app_icon=str(icon) if icon.exists() else "",
            ))
            self.notifications = FetchNotifications(
                self.host.manager, notifier, show_window=window.show_fetch,
                icon_cache=self.folder / ICON_CACHE,
            )
        except Exception:
            log.exception("notifications could not start; the window still shows everything")

    def _on_show(self, fetch_id: str | None) -> None:
        """A second instance (or ``bgfetch``) asked for the window."""
        if self.window is not None:
            self.window.show_fetch(fetch_id)

    def _on_link(self, link: str) -> None:
        """A second instance was started with a ``bgfetch:`` link."""
        if self.window is not None:
            self.window.open_link(link)

    async def _shutdown(self) -> None:
        """Checkpoint and stop cleanly: actions in flight finish, then the engine closes."""
        if self.window is not None:
            self.window.save_state()
            self.window.hide()
            await self.window.tasks.wait()
        if self.tray is not None:
            self.tray.hide()
        for pending in self._background:
            pending.cancel()  # e.g. notifications still looking for a server
        await asyncio.gather(*self._background, return_exceptions=True)
        if self.notifications is not None:
            try:
                await self.notifications.close()
                # Closing progress notifications is a D-Bus round trip each; give
                # them a moment before the connection goes, then let the
                # cancelled senders finish before the loop closes.
                await asyncio.sleep(NOTIFICATION_GRACE_S)
                await self.notifications.notifier.stop()
                await asyncio.sleep(0)
            except Exception:
                log.exception("closing notifications failed")
        if self.model is not None:
            self.model.detach()
        if self.icons is not None:
            await self.icons.close()
        await self.host.stop()
        log.info("bgfetch-gui stopped")


def hand_over(
    folder: Path, specs: Sequence[FetchSpec], links: Sequence[str], errors: Sequence[str],
    why: str,
) -> int:
    """Give our arguments to the bgfetch that runs, ask it to show itself, and leave."""
    client = IpcClient(folder)
    try:
        for spec in specs:
            reply = client.call({"cmd": "fetch", "spec": spec.to_json()})
            if not reply.get("ok"):
                errors = [*errors, str(reply.get("error", "the fetch was refused"))]
        for link in links:  # the running app fetches the manifest and asks the user
            reply = client.call({"cmd": "open-link", "link": link})
            if not reply.get("ok"):
                errors = [*errors, str(reply.get("error", "the link was refused"))]
        client.call({"cmd": "show-window"})
    except (EngineUnavailable, OSError, ValueError) as exc:
        print(f"bgfetch-gui: {why}, and it does not answer: {exc}", file=sys.stderr)
        return EXIT_ERROR
    for error in errors:
        print(f"bgfetch-gui: {error}", file=sys.stderr)
    return EXIT_USAGE if errors else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    if args.install_desktop_integration or args.uninstall_desktop_integration:
        return desktop_integration.main(remove=args.uninstall_desktop_integration)
    try:
        folder = data_dir()
    except OSError as exc:
        print(f"bgfetch-gui: cannot use the data folder: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.install_browser_integration or args.uninstall_browser_integration:
        from bgfetch_gui.bridge import install

        if args.uninstall_browser_integration:
            return install.run_uninstall(folder)
        profiles = [path.expanduser().absolute() for path in args.browser_profile]
        return install.run_install(folder, profiles)
    setup_logging(folder)
    log.info("bgfetch-gui %s starting (data folder %s)", __version__, folder)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    app.setApplicationName("bgfetch")
    app.setApplicationDisplayName("bgfetch")
    app.setApplicationVersion(__version__)
    app.setDesktopFileName("bgfetch")  # matches resources/bgfetch.desktop (Wayland app id)
    app.setWindowIcon(app_icon())
    app.setQuitOnLastWindowClosed(False)  # the tray keeps bgfetch running
    install_translator(app)  # the desktop's language, when bgfetch has it
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    try:
        code: int = loop.run_until_complete(GuiApp(folder, args).run())
        return code
    except BgfetchError as exc:
        log.error("%s", exc)
        print(f"bgfetch-gui: {exc}", file=sys.stderr)
        return EXIT_ERROR
    finally:
        loop.close()
        asyncio.set_event_loop(None)


if __name__ == "__main__":
    sys.exit(main())
