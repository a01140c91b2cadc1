"""bgfetch's version: ``pyproject.toml`` is the one place it is written.

A source checkout reads it there (an editable install's metadata may be older
than the file); an installed wheel or a frozen bundle (PyInstaller copies the
metadata) reads the package metadata.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

DISTRIBUTION = "bgfetch"
UNKNOWN = "0+unknown"


def read_version() -> str:
    pyproject = Path(__file__).resolve().parent.parent / "pyproject.toml"
    try:
        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        project = {}
    if project.get("name") == DISTRIBUTION and isinstance(project.get("version"), str):
        return str(project["version"])
    # Imported only here: importlib.metadata costs every command ~50 ms of start-up.
    import importlib.metadata

    try:
        return importlib.metadata.version(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        return UNKNOWN
