"""Screenshots of the GUI for docs/: main window, New fetch dialog, tray menu.

Runs the real engine on a temporary data folder: a few fetches are stored in
finished, failed, cancelled and paused states, and three live ones download
from a throttled server on 127.0.0.1 (two run, one waits for a slot), so the
window shows every kind of row. Offscreen by default; under Xvfb set
QT_QPA_PLATFORM=xcb to render with a real window system.

    python scripts/screenshots.py [--out docs]
    python scripts/screenshots.py --dark --only main-window --suffix=-dark
    QT_SCALE_FACTOR=2 python scripts/screenshots.py --only main-window --suffix=-200
    LANG=pt_BR.UTF-8 python scripts/screenshots.py --only main-window --suffix=-pt_BR
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import qasync
from aiohttp import web

from bgfetch_gui.engine.manager import FetchManager
from bgfetch_gui.engine.model import FetchOptions, FetchRequest, Icon
from bgfetch_gui.engine.settings import Settings
from bgfetch_gui.engine.store import DB_NAME, Store
from bgfetch_gui.i18n import install_translator
from bgfetch_gui.qt import (
    QApplication,
    QColor,
    QGuiApplication,
    QPainter,
    QPalette,
    QPixmap,
    QPoint,
    QSettings,
    Qt,
    QWidget,
)
from bgfetch_gui.ui.fetch_model import FetchListModel
from bgfetch_gui.ui.icons import IconProvider, app_icon
from bgfetch_gui.ui.main_window import MainWindow
from bgfetch_gui.ui.new_fetch_dialog import NewFetchDialog
from bgfetch_gui.ui.present import Summary
from bgfetch_gui.ui.tray import Tray, progress_pixmap

MB = 1024 * 1024

# (title, urls, sizes, state): stored fetches, as an earlier session left them.
STORED = [
    ("Ubuntu 24.04 desktop ISO", ["https://releases.example.org/ubuntu-24.04-desktop.iso"],
     [5_900 * MB], "success"),
    ("Podcast · Episode 41: Offline first", ["https://cdn.example.org/ep-41.mp3",
                                             "https://cdn.example.org/ep-41.jpg"],
     [61 * MB, 300_000], "success"),
    ("Conference talk (1080p)", ["https://video.example.org/talk-1080p.mp4"],
     [812 * MB], "failure:fetch-error"),
    ("Holiday photos", ["https://photos.example.org/album.zip"], [2_300 * MB], "paused"),
    ("Old nightly build", ["https://builds.example.org/nightly.tar.xz"], [120 * MB],
     "failure:aborted"),
    ("Research papers", ["https://papers.example.org/a.pdf", "https://papers.example.org/b.pdf"],
     [2 * MB, 3 * MB], "failure:bad-status"),
]
REFUSED = {"b.pdf": 404}  # what the server answered for a file that failed


async def throttled(request: web.Request) -> web.StreamResponse:
    """A big file sent slowly, so a fetch stays in "downloading" with a real speed."""
    size = int(request.query.get("size", str(400 * MB)))
    rate = int(request.query.get("rate", str(2 * MB)))
    response = web.StreamResponse(headers={"Content-Length": str(size), "ETag": '"v1"'})
    await response.prepare(request)
    chunk = b"\0" * (rate // 10)
    sent = 0
    try:
        while sent < size:
            await response.write(chunk)
            sent += len(chunk)
            await asyncio.sleep(0.1)
    except (ConnectionError, asyncio.CancelledError):
        pass
    return response


def seed(store: Store, downloads: Path) -> None:
    now = time.time()
    for n, (title, urls, sizes, state) in enumerate(STORED):
        dest = downloads / title.split(" ")[0]
        key = store.insert_registration(
            f"stored-{n}", title, (), 0, dest, [FetchRequest(u) for u in urls], [0] * len(urls)
        )
        result, _, reason = state.partition(":")
        for idx, size in enumerate(sizes):
            done = size if result == "success" else size * (3 + n) // 10
            name = Path(urls[idx]).name
            refused = REFUSED.get(name) if reason == "bad-status" else None
            store.update_request(key, idx, bytes_done=0 if refused else done, size_total=size,
                                 complete=int(result == "success"), status=refused or 200,
                                 filename=name)
        if result == "paused":
            store.update_registration(key, paused=1)
        elif result in ("success", "failure"):
            store.update_registration(key, result=result, failure_reason=reason,
                                      settled_at=now - 3600 * (n + 1))


async def shoot(out: Path, only: set[str], suffix: str) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    server = web.Application()
    server.router.add_get("/file/{name}", throttled)
    runner = web.AppRunner(server, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    base = f"http://127.0.0.1:{port}/file"

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        store = Store(home / DB_NAME)
        seed(store, home / "Downloads")
        settings = Settings(max_active_fetches=2)
        manager = FetchManager(store, settings, home / "Downloads")
        await manager.start()
        icon_file = home / "cover.png"
        progress_pixmap(app_icon(), 64, None).save(str(icon_file))
        await manager.fetch("debian", [f"{base}/debian-12.iso?size={3_900 * MB}&rate={3 * MB}"],
                            FetchOptions("Debian 12 netinst + firmware"))
        await manager.fetch("ep42", [FetchRequest(f"{base}/ep-42.mp3?size={58 * MB}&rate={MB}")],
                            FetchOptions("Podcast · Episode 42: Background Fetch",
                                         (Icon(str(icon_file), "64x64"),), 70 * MB))
        await manager.fetch("dataset", [f"{base}/weather-2025.csv.gz?size={900 * MB}"],
                            FetchOptions("Weather dataset 2025"))

        icons = IconProvider(home / "icon-cache")
        model = FetchListModel(icons)
        model.attach(manager)
        state = QSettings(str(home / "ui.ini"), QSettings.Format.IniFormat)
        window = MainWindow(manager, model, state, data_dir=home)
        window.resize(1120, 470)
        window.show()
        await asyncio.sleep(2.5)  # let speeds settle and the batched model flush
        model.flush()
        window.view.selectRow(1)
        await asyncio.sleep(0.2)
        out.mkdir(parents=True, exist_ok=True)

        def save(widget: QWidget | QPixmap, name: str) -> None:
            if not only or name in only:
                pixmap = widget if isinstance(widget, QPixmap) else widget.grab()
                pixmap.save(str(out / f"{name}{suffix}.png"))
                print(out / f"{name}{suffix}.png")

        save(window, "main-window")

        QGuiApplication.clipboard().setText("https://cdn.example.org/ep-43.mp3\n"
                                            "https://cdn.example.org/ep-43.jpg")
        dialog = NewFetchDialog(window, default_folder=home / "Downloads")
        dialog.title_edit.setText("Podcast · Episode 43")
        dialog.total_edit.setText("75M")
        dialog.show()
        await asyncio.sleep(0.2)
        save(dialog, "new-fetch-dialog")
        dialog.urls_edit.setPlainText("cdn.example.org/ep-43.mp3\n"
                                      "ftp://old.example.org/ep-43.jpg\n"
                                      "https://user:secret@cdn.example.org/private.mp3")
        dialog.total_edit.setText("75 apples")
        await asyncio.sleep(0.1)
        save(dialog, "new-fetch-dialog-invalid")
        dialog.close()

        tray = Tray(app_icon(), fetches=model.snapshots, window_visible=window.isVisible)
        tray.set_speed_limit(2 * MB, active=False)
        tray.update_summary(model.summary)
        tray.refresh_menu()
        save(tray_picture(tray, model.summary), "tray-menu")

        window.hide()
        await manager.close()
        await icons.close()
        store.close()
    await runner.cleanup()


def tray_picture(tray: Tray, summary: Summary) -> QPixmap:
    """The tray icon with its ring and tooltip beside the open menu, as a desktop shows them."""
    from bgfetch_gui.ui import present

    menu = tray.menu
    menu.adjustSize()
    menu_pixmap = menu.grab()
    icon = progress_pixmap(app_icon(), 48, summary.fraction if summary.fraction else 0.45)
    text = present.summary_text(summary)
    width = max(menu_pixmap.width() + 24, 300, tray.menu.fontMetrics().horizontalAdvance(text) + 90)
    canvas = QPixmap(width + 24, menu_pixmap.height() + 110)
    canvas.fill(QColor("#eef0f3"))
    painter = QPainter(canvas)
    painter.fillRect(0, 0, canvas.width(), 64, QColor("#2b2f36"))  # a panel
    painter.drawPixmap(12, 8, icon)
    painter.setPen(QColor("#ffffff"))
    painter.drawText(72, 38, text)
    painter.drawPixmap(QPoint(12, 76), menu_pixmap)
    painter.end()
    return canvas


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent.parent / "docs")
    parser.add_argument("--dark", action="store_true", help="a dark desktop theme")
    parser.add_argument("--only", action="append", default=[],
                        help="main-window, new-fetch-dialog, new-fetch-dialog-invalid, tray-menu")
    parser.add_argument("--suffix", default="", help="added to each file name, e.g. -dark")
    args = parser.parse_args()
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")  # the same look on every machine
    app.setWindowIcon(app_icon())
    install_translator(app)  # as bgfetch-gui does: LANG=pt_BR.UTF-8 gives a pt_BR window
    if args.dark:
        app.styleHints().setColorScheme(Qt.ColorScheme.Dark)
        app.setPalette(dark_palette())  # what a dark desktop theme hands Qt
    else:
        app.styleHints().setColorScheme(Qt.ColorScheme.Light)
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    with loop:
        loop.run_until_complete(shoot(args.out, set(args.only), args.suffix))
    return 0


def dark_palette() -> QPalette:
    """A dark desktop's palette (Breeze Dark's colours): the app picks no colour of its own."""
    palette = QPalette()
    role = QPalette.ColorRole
    for name, color in ((role.Window, "#202326"), (role.WindowText, "#fcfcfc"),
                        (role.Base, "#141618"), (role.AlternateBase, "#1d1f22"),
                        (role.Text, "#fcfcfc"), (role.Button, "#292c30"),
                        (role.ButtonText, "#fcfcfc"), (role.Highlight, "#3daee9"),
                        (role.HighlightedText, "#fcfcfc"), (role.ToolTipBase, "#292c30"),
                        (role.ToolTipText, "#fcfcfc"), (role.PlaceholderText, "#a1a9b1"),
                        (role.Link, "#1d99f3"), (role.Mid, "#3a3e43"), (role.Dark, "#0f1012"),
                        (role.Light, "#3b4045")):
        palette.setColor(name, QColor(color))
    disabled = QPalette.ColorGroup.Disabled
    for name in (role.WindowText, role.Text, role.ButtonText):
        palette.setColor(disabled, name, QColor("#6e7175"))
    palette.setColor(disabled, role.Highlight, QColor("#4d5257"))  # an idle fetch's bar
    return palette


if __name__ == "__main__":
    sys.exit(main())
