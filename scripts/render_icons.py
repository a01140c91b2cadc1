"""Render resources/bgfetch.svg to the PNG sizes desktops and installers ask for.

Run after changing the SVG:  python scripts/render_icons.py
QtSvg ships with PySide6-Essentials, so no Inkscape or rsvg is needed.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
SIZES = (16, 32, 48, 64, 128, 256)


def render(svg: Path, size: int, target: Path) -> None:
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"cannot read {svg}")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise SystemExit(f"cannot write {target}")


def main() -> int:
    _app = QGuiApplication(sys.argv[:1])
    svg = RESOURCES / "bgfetch.svg"
    for size in SIZES:
        target = RESOURCES / "icons" / f"bgfetch-{size}.png"
        target.parent.mkdir(exist_ok=True)
        render(svg, size, target)
        print(target.relative_to(RESOURCES.parent))
    return 0


if __name__ == "__main__":
    sys.exit(main())
