"""Choosing among a fetch's icons, and where a remote icon is cached: no Qt here.

The window, the tray and the notifications all ask the same question ("which
icon fits N pixels, and which file holds it?"), so they share one answer.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .model import Icon

ICON_CACHE = "icon-cache"  # a folder in the data folder
_SIZE = re.compile(r"^(\d+)[xX](\d+)$")


def icon_sizes(icon: Icon) -> list[int]:
    """The square-ish sizes an icon declares; ``any`` (an SVG) counts as huge."""
    sizes = []
    for token in icon.sizes.split():
        if token.lower() == "any":
            sizes.append(10_000)
        elif match := _SIZE.match(token):
            sizes.append(min(int(match.group(1)), int(match.group(2))))
    return sizes


def best_icon(icons: Sequence[Icon], size: int) -> Icon | None:
    """The icon that fits ``size`` pixels best.

    The smallest one at least that big (scaling down stays sharp), else the
    biggest smaller one; icons without declared sizes come after both, and
    among equals the first wins, as in the web app manifest.
    """
    best: Icon | None = None
    best_rank: tuple[int, int] | None = None
    for icon in icons:
        for declared in icon_sizes(icon) or [0]:
            if declared == 0:
                rank = (2, 0)
            elif declared >= size:
                rank = (0, declared)
            else:
                rank = (1, -declared)
            if best_rank is None or rank < best_rank:
                best, best_rank = icon, rank
    return best


def is_remote(src: str) -> bool:
    return urlsplit(src).scheme.lower() in ("http", "https")


def cache_path(cache_dir: Path, src: str) -> Path:
    """Where the download of the remote icon ``src`` is kept."""
    suffix = Path(urlsplit(src).path).suffix.lower()
    if not re.fullmatch(r"\.[a-z0-9]{1,5}", suffix):
        suffix = ""
    return cache_dir / (hashlib.sha256(src.encode()).hexdigest()[:32] + suffix)


def icon_file(icon: Icon, cache_dir: Path | None) -> Path | None:
    """The file holding ``icon`` now: its own path, or a remote icon's cached copy."""
    src = icon.src
    if is_remote(src):
        path = cache_path(cache_dir, src) if cache_dir is not None else None
    elif src.startswith("file:"):
        path = Path(unquote(urlsplit(src).path))
    else:
        path = Path(src).expanduser()
    return path.absolute() if path is not None and path.is_file() else None


def best_icon_file(icons: Sequence[Icon], size: int, cache_dir: Path | None) -> Path | None:
    """The best-fitting icon among those with a file on disk right now."""
    on_disk = {icon: icon_file(icon, cache_dir) for icon in icons}
    chosen = best_icon([icon for icon, path in on_disk.items() if path is not None], size)
    return on_disk[chosen] if chosen is not None else None
