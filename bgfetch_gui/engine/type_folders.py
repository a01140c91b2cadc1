"""Folders by type: Music, Video, Documents… subfolders of Downloads (docs/contracts.md §14).

A rule is a folder name and the types that go there: extensions (``mp3``) and MIME
types (``audio/flac``, ``audio/*``). The folder is chosen when a fetch is registered,
before any server answers, so a file's type is what its name in the URL says: its
extension, or the MIME type that extension stands for.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath

from .naming import filename_from_url

# As the peers' users know them (IDM, XDM, Motrix); "tar.gz" is a "gz".
DEFAULT_TYPE_FOLDERS: dict[str, str] = {
    "Music": "mp3 flac ogg oga opus m4a aac wav wma aiff ape mka audio/*",
    "Video": "mp4 mkv webm avi mov wmv flv m4v mpg mpeg 3gp video/*",
    "Documents": "pdf doc docx odt rtf txt md epub djvu xls xlsx ods csv ppt pptx odp",
    "Archives": "zip rar 7z tar gz tgz bz2 tbz2 xz txz zst lz iso",
    "Programs": "exe msi deb rpm apk appimage dmg pkg flatpakref snap run",
}
_EXTENSION = re.compile(r"^[a-z0-9][a-z0-9_+-]*$")
_MIME = re.compile(r"^[a-z]+/(\*|[a-z0-9][a-z0-9.+_-]*)$")


def type_tokens(types: str) -> list[str]:
    """``"MP3 .flac audio/*"`` as ``["mp3", "flac", "audio/*"]``."""
    return [token.lower().removeprefix(".") for token in types.replace(",", " ").split()]


def rules_problem(value: object) -> str | None:
    """Why ``value`` is not a valid ``type_folders`` setting (folder name → types), or None."""
    if not isinstance(value, Mapping):
        return "expected folder names with their types, such as {\"Music\": \"mp3 flac\"}"
    owner: dict[str, str] = {}
    for folder, types in value.items():
        if not isinstance(folder, str) or not isinstance(types, str):
            return f"expected text for the folder and its types, not {folder!r}: {types!r}"
        name = folder.strip()
        if not name or name in (".", "..") or any(c in name for c in "/\\\0"):
            return f"{folder!r} is not a folder name (one name, no / or \\)"
        tokens = type_tokens(types)
        if not tokens:
            return f"{name} has no types"
        for token in tokens:
            if not (_EXTENSION.match(token) or _MIME.match(token)):
                return f"{token!r} in {name} is neither an extension (mp3) nor a MIME type " \
                       "(audio/*)"
            if token in owner and owner[token] != name:
                return f"{token} is in both {owner[token]} and {name}"
            owner[token] = name
    return None


def type_of(filename: str, rules: Mapping[str, str]) -> str | None:
    """The folder of the first rule that takes ``filename``, or None."""
    extension = PurePosixPath(filename.lower()).suffix.removeprefix(".")
    if not extension:
        return None
    mime = mimetypes.guess_type(f"x.{extension}", strict=False)[0] or ""
    wildcard = mime.partition("/")[0] + "/*" if mime else ""
    for wanted in (extension, mime, wildcard):
        for folder, types in rules.items():
            if wanted and wanted in type_tokens(types):
                return folder.strip()
    return None


def type_folder(urls: Iterable[str], rules: Mapping[str, str]) -> str | None:
    """The folder for a fetch of ``urls``: the one type all its files share, else None."""
    kinds = {type_of(filename_from_url(url) or "", rules) for url in urls}
    return kinds.pop() if len(kinds) == 1 else None


def type_root(downloads: Path, urls: Iterable[str], rules: Mapping[str, str] | None) -> Path:
    """Where a fetch of ``urls`` goes (its bundle folder inside, for several): Downloads,
    or Downloads/<Type> when every file has that type; ``rules`` None: the setting is off."""
    kind = type_folder(urls, rules) if rules is not None else None
    return downloads / kind if kind else downloads
