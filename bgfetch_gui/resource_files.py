"""Where ``resources/`` (icons, the desktop file, the MIME type) is, without importing Qt.

``bgfetch-gui --install-desktop-integration`` and the missing-library check run
before Qt may load, so this lives apart from the Qt icon code.
"""

from __future__ import annotations

import importlib.resources
import os
import sys
from pathlib import Path

RESOURCES_ENV = "BGFETCH_RESOURCES"


def resources_dir() -> Path:
    """Beside the package in a checkout, inside a frozen bundle, or in the installed wheel."""
    override = os.environ.get(RESOURCES_ENV)
    if override:
        return Path(override)
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    checkout = Path(__file__).resolve().parent.parent / "resources"
    if checkout.is_dir():
        return checkout
    return Path(str(importlib.resources.files("bgfetch_gui.resources")))
