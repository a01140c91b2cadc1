"""File names for stored bodies: from Content-Disposition or the URL, made safe."""

from __future__ import annotations

import os
import re
import unicodedata
from email.message import Message
from email.utils import collapse_rfc2231_value
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

# Windows refuses these as base names whatever the extension; a bundle copied
# there must still open.
_DEVICE_NAMES = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"COM{i}" for i in range(10)}
    | {f"LPT{i}" for i in range(10)}
)
_FORBIDDEN = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')
# Windows drops trailing dots and spaces (so "a.exe." opens as "a.exe"); a
# leading dot hides a file on POSIX.
_EDGE_DOTS_AND_SPACES = re.compile(r"^[\s.]+|[\s.]+$")
# Zero-width joiners shape Arabic, Indic and emoji text: they stay.
_JOINERS = frozenset({"\u200c", "\u200d"})
MAX_NAME_BYTES = 200
PART_SUFFIX = ".part"


def sanitize_filename(name: str, fallback: str = "download") -> str:
    """A single safe path component: no separators, no `..`, no device names."""
    name = unicodedata.normalize("NFC", name)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    # Invisible format characters go, bidi overrides (U+202E) first among them:
    # "invoice\u202efdp.exe" must not display as "invoiceexe.pdf".
    name = "".join(c for c in name if c in _JOINERS or unicodedata.category(c) != "Cf")
    name = _EDGE_DOTS_AND_SPACES.sub("", _FORBIDDEN.sub("_", name))
    if not name:
        return fallback
    stem, _dot, _ext = name.partition(".")
    if stem.upper().rstrip() in _DEVICE_NAMES:
        name = f"_{name}"
    if name.endswith(PART_SUFFIX):
        name = name + "_"
    encoded = name.encode()
    if len(encoded) > MAX_NAME_BYTES:
        suffix = Path(name).suffix.encode()[:20]
        keep = encoded[: MAX_NAME_BYTES - len(suffix)].decode(errors="ignore")
        name = _EDGE_DOTS_AND_SPACES.sub("", keep + suffix.decode(errors="ignore")) or fallback
    return name


def filename_from_content_disposition(value: str | None) -> str | None:
    """The file name RFC 6266 gives, preferring ``filename*`` (RFC 8187) when both are there."""
    if not value:
        return None
    msg = Message()
    msg["content-disposition"] = value
    plain: str | None = None
    try:
        # typeshed says str, but RFC 2231 parameters come as (charset, language, text).
        params: list[tuple[str, Any]] = msg.get_params(header="content-disposition", failobj=[])
        for name, param in params:
            if name.lower() != "filename":
                continue
            if isinstance(param, tuple):  # the extended form, filename*=charset''text
                return collapse_rfc2231_value(param)
            plain = param
    except (ValueError, LookupError):
        return None
    return plain


def filename_from_url(url: str) -> str | None:
    path = urlsplit(url).path
    last = PurePosixPath(unquote(path)).name
    return last or None


def choose_filename(url: str, content_disposition: str | None, fallback: str) -> str:
    raw = filename_from_content_disposition(content_disposition) or filename_from_url(url)
    return sanitize_filename(raw or fallback, fallback=sanitize_filename(fallback))


def name_key(name: str) -> str:
    """How a name is kept in a set of taken names."""
    return name.lower()


def unique_name(folder: Path, name: str, taken: set[str], *, parts: bool = True) -> str:
    """``name``, or ``name (1).ext``… so that nothing on disk or in ``taken`` is overwritten.

    ``taken`` holds names in lower case (see :func:`name_key`): file systems that
    ignore case must not see two names that differ only in case. ``parts=False``
    leaves part files unlooked-at, for a caller that creates the part file
    exclusively and so learns of one anyway.
    """
    path = Path(name)
    stem, suffix = path.stem, path.suffix
    base = os.fspath(folder)
    candidate = name
    n = 0
    # lexists: a dangling link holds its name too (and must never be written through).
    while (
        name_key(candidate) in taken
        or os.path.lexists(os.path.join(base, candidate))
        or (parts and os.path.lexists(os.path.join(base, candidate + PART_SUFFIX)))
    ):
        n += 1
        candidate = f"{stem} ({n}){suffix}"
    return candidate


MAX_FOLDER_CHARS = 64  # a bundle folder's name; a longer title is cut at a word


def bundle_folder_name(title: str, fetch_id: str) -> str:
    """A title is a name, not a path: "AC/DC Live" keeps all its words; one longer
    than MAX_FOLDER_CHARS is cut at the last word boundary before it
    (docs/contracts.md §3)."""
    name = " ".join((title or fetch_id).replace("/", "_").replace("\\", "_").split())
    if len(name) > MAX_FOLDER_CHARS:
        head = name[: MAX_FOLDER_CHARS + 1]  # a space just after the limit ends a word too
        cut = head.rsplit(" ", 1)[0] if " " in head else ""
        if len(cut) < MAX_FOLDER_CHARS // 2:  # one very long word: cut inside it
            cut = name[:MAX_FOLDER_CHARS]
        name = cut.rstrip(" -_,;:.")
    return sanitize_filename(name, fallback="bundle")
