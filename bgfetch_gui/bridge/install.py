"""``bgfetch-gui --install-browser-integration`` (and ``--uninstall-…``).

Install writes, for the user only (no administrator rights):

- a launcher in the data folder (``bgfetch-native-host``, mode 0700; a ``.bat``
  on Windows) that runs this interpreter with ``-m bgfetch_gui.bridge.native_host``
  (in a frozen bundle: the ``bgfetch-native-host`` executable beside it) for this
  data folder. A launcher rather than the ``bgfetch-native-host``
  console script: it also works from a source checkout, where no script is
  installed, and it pins the interpreter and the data folder the user chose,
  which a browser's environment would not carry;
- the host manifest ``org.bgfetch.native_host.json`` where each browser looks
  (Chromium, Google Chrome, Brave, Edge, Vivaldi: ``allowed_origins``; Firefox:
  ``allowed_extensions``), plus the HKCU registry keys pointing at them on
  Windows (that path is not exercised by the test suite);
- the unpacked extension for both browser families, in the data folder.

Everything written is listed in ``browser-integration.json`` in the data
folder; uninstall removes exactly that (and the folders install had to
create, when they are empty again).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from .identity import CHROMIUM_ORIGIN, FIREFOX_ADDON_ID, HOST_NAME

RECORD_NAME = "browser-integration.json"
MANIFEST_NAME = f"{HOST_NAME}.json"
HOST_PROGRAM = "bgfetch-native-host.exe" if sys.platform == "win32" else "bgfetch-native-host"
LAUNCHER_NAME = "bgfetch-native-host.bat" if sys.platform == "win32" else "bgfetch-native-host"
EXTENSIONS_DIR = "browser-extension"
WINDOWS_MANIFESTS_DIR = "native-messaging-hosts"
DESCRIPTION = "bgfetch: Background Fetch for the desktop"
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding bgfetch_gui/


@dataclass(frozen=True)
class Browser:
    name: str
    family: str  # "chromium" or "firefox": which manifest and which extension build
    linux: str  # under $XDG_CONFIG_HOME (Chromium family) or $HOME (Firefox)
    macos: str  # under ~/Library/Application Support
    windows_key: str  # under HKEY_CURRENT_USER


BROWSERS = (
    Browser("Chromium", "chromium", "chromium/NativeMessagingHosts",
            "Chromium/NativeMessagingHosts", r"Software\Chromium"),
    Browser("Google Chrome", "chromium", "google-chrome/NativeMessagingHosts",
            "Google/Chrome/NativeMessagingHosts", r"Software\Google\Chrome"),
    Browser("Brave", "chromium", "BraveSoftware/Brave-Browser/NativeMessagingHosts",
            "BraveSoftware/Brave-Browser/NativeMessagingHosts",
            r"Software\BraveSoftware\Brave-Browser"),
    Browser("Microsoft Edge", "chromium", "microsoft-edge/NativeMessagingHosts",
            "Microsoft Edge/NativeMessagingHosts", r"Software\Microsoft\Edge"),
    Browser("Vivaldi", "chromium", "vivaldi/NativeMessagingHosts",
            "Vivaldi/NativeMessagingHosts", r"Software\Vivaldi"),
    Browser("Firefox", "firefox", ".mozilla/native-messaging-hosts",
            "Mozilla/NativeMessagingHosts", r"Software\Mozilla"),
)


@dataclass
class Record:
    """What install wrote, so uninstall removes exactly that."""

    files: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # created by install, removed when empty
    trees: list[str] = field(default_factory=list)  # ours entirely (the extension builds)
    registry: list[str] = field(default_factory=list)  # HKCU key paths (Windows)

    @classmethod
    def load(cls, folder: Path) -> Record:
        try:
            data = json.loads((folder / RECORD_NAME).read_text("utf-8"))
        except (OSError, ValueError):
            return cls()
        return cls(**{key: [str(item) for item in data.get(key, [])]
                      for key in ("files", "folders", "trees", "registry")})

    def save(self, folder: Path) -> None:
        (folder / RECORD_NAME).write_text(json.dumps(asdict(self), indent=2) + "\n", "utf-8")

    def add(self, kind: list[str], item: str) -> None:
        if item not in kind:
            kind.append(item)


@dataclass
class Installed:
    launcher: Path
    manifests: dict[str, Path]  # browser name -> host manifest
    extensions: dict[str, Path]  # "chromium" / "firefox" -> unpacked extension


def manifest_folders(home: Path, profiles: Sequence[Path] = ()) -> dict[str, tuple[str, Path]]:
    """Where each browser reads host manifests for this user: name -> (family, folder).

    ``profiles`` are extra Chromium user-data folders (``--user-data-dir``),
    which read host manifests from their own ``NativeMessagingHosts``.
    """
    folders: dict[str, tuple[str, Path]] = {}
    if sys.platform == "win32":
        return folders  # the registry says where; the files live in the data folder
    config = os.environ.get("XDG_CONFIG_HOME", "")
    config_home = Path(config) if os.path.isabs(config) else home / ".config"
    for browser in BROWSERS:
        if sys.platform == "darwin":
            where = home / "Library" / "Application Support" / browser.macos
        else:
            where = (home if browser.family == "firefox" else config_home) / browser.linux
        folders[browser.name] = (browser.family, where)
    for profile in profiles:
        folders[f"Chromium profile {profile}"] = ("chromium", profile / "NativeMessagingHosts")
    return folders


def host_manifest(family: str, launcher: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = {
        "name": HOST_NAME, "description": DESCRIPTION, "path": str(launcher), "type": "stdio",
    }
    if family == "chromium":
        manifest["allowed_origins"] = [CHROMIUM_ORIGIN]
    else:
        manifest["allowed_extensions"] = [FIREFOX_ADDON_ID]
    return manifest


def host_command() -> list[str]:
    """How to start the host: the executable beside this one in a frozen bundle, else the module."""
    if getattr(sys, "frozen", False):  # a bundle has no ``python -m``
        return [str(Path(sys.executable).with_name(HOST_PROGRAM))]
    return [sys.executable, "-m", "bgfetch_gui.bridge.native_host"]


def launcher_text(folder: Path) -> str:
    """The launcher script: the host program, run for this data folder."""
    command = host_command()
    frozen = getattr(sys, "frozen", False)
    search_path = "" if frozen or _installed_package(folder) else str(PACKAGE_ROOT)
    if sys.platform == "win32":
        lines = ["@echo off", f'set "BGFETCH_HOME={folder}"']
        if search_path:
            lines.append(f'set "PYTHONPATH={search_path}"')
        lines.append(f"{subprocess.list2cmdline(command)} %*")
        return "\r\n".join(lines) + "\r\n"
    lines = [
        "#!/bin/sh",
        "# Written by bgfetch-gui --install-browser-integration; browsers start it.",
        f"BGFETCH_HOME={shlex.quote(str(folder))}",
        "export BGFETCH_HOME",
    ]
    if search_path:
        lines += [f"PYTHONPATH={shlex.quote(search_path)}", "export PYTHONPATH"]
    lines.append(f'exec {shlex.join(command)} "$@"')
    return "\n".join(lines) + "\n"


def _installed_package(folder: Path) -> bool:
    """Whether this interpreter imports bgfetch_gui without help (pip install, editable or not)."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    try:
        probe = subprocess.run(
            [sys.executable, "-c", "import bgfetch_gui"], env=env, cwd=folder,
            stdin=subprocess.DEVNULL, capture_output=True, timeout=30,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return probe.returncode == 0


def install(folder: Path, home: Path | None = None, profiles: Sequence[Path] = ()) -> Installed:
    """Write launcher, host manifests and extensions; OSError if something cannot be written."""
    from ..webext.build import build_extension

    home = Path.home() if home is None else home
    record = Record.load(folder)
    try:
        launcher = folder / LAUNCHER_NAME
        _write(launcher, launcher_text(folder), 0o700, record)
        manifests: dict[str, Path] = {}
        if sys.platform == "win32":
            manifests = _install_windows(folder, launcher, record)
        else:
            for name, (family, where) in manifest_folders(home, profiles).items():
                _make_folders(where, record)
                path = where / MANIFEST_NAME
                _write(path, json.dumps(host_manifest(family, launcher), indent=2) + "\n",
                       0o644, record)
                manifests[name] = path
        extensions: dict[str, Path] = {}
        _make_folders(folder / EXTENSIONS_DIR, record)
        for family in ("chromium", "firefox"):
            out = folder / EXTENSIONS_DIR / family
            record.add(record.trees, str(out))
            if out.exists():
                shutil.rmtree(out)  # ours, and a build over it would keep stale files
            extensions[family] = build_extension(out, family)
    finally:
        record.save(folder)  # even half an install can be uninstalled
    return Installed(launcher, manifests, extensions)


def uninstall(folder: Path) -> list[str]:
    """Remove what install recorded; what was removed, for the user to see."""
    record = Record.load(folder)
    removed: list[str] = []
    for key in record.registry:
        if _delete_registry_key(key):
            removed.append(rf"HKEY_CURRENT_USER\{key}")
    for tree in record.trees:
        path = Path(tree)
        if path.is_relative_to(folder) and path.is_dir():
            shutil.rmtree(path)
            removed.append(tree)
    for name in record.files:
        path = Path(name)
        if path.name in (MANIFEST_NAME, LAUNCHER_NAME) and path.is_file():
            path.unlink()
            removed.append(name)
    for name in sorted(record.folders, key=len, reverse=True):  # deepest first
        try:
            Path(name).rmdir()
        except OSError:
            continue  # not empty any more (the user or a browser put something there)
        removed.append(name)
    (folder / RECORD_NAME).unlink(missing_ok=True)
    return removed


def _write(path: Path, text: str, mode: int, record: Record) -> None:
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.chmod(tmp, mode)  # whatever the umask says: the launcher must be executable
    os.replace(tmp, path)
    record.add(record.files, str(path))


def _make_folders(where: Path, record: Record) -> None:
    missing = [parent for parent in (where, *where.parents) if not parent.exists()]
    where.mkdir(parents=True, exist_ok=True)
    for created in missing:
        record.add(record.folders, str(created))


def _install_windows(folder: Path, launcher: Path, record: Record) -> dict[str, Path]:
    """Manifests in the data folder, and HKCU keys (one per browser) naming them."""
    manifests: dict[str, Path] = {}
    for browser in BROWSERS:
        where = folder / WINDOWS_MANIFESTS_DIR / browser.family
        _make_folders(where, record)
        path = where / MANIFEST_NAME
        _write(path, json.dumps(host_manifest(browser.family, launcher), indent=2) + "\n",
               0o644, record)
        key = rf"{browser.windows_key}\NativeMessagingHosts\{HOST_NAME}"
        _set_registry_key(key, str(path))
        record.add(record.registry, key)
        manifests[browser.name] = path
    return manifests


if sys.platform == "win32":
    import winreg

    def _set_registry_key(key: str, value: str) -> None:
        with winreg.CreateKey(winreg.HKEY_CURRENT_USER, key) as handle:
            winreg.SetValueEx(handle, "", 0, winreg.REG_SZ, value)

    def _delete_registry_key(key: str) -> bool:
        try:
            winreg.DeleteKey(winreg.HKEY_CURRENT_USER, key)
        except OSError:
            return False
        return True

else:

    def _set_registry_key(key: str, value: str) -> None:
        raise OSError("only Windows has a registry")

    def _delete_registry_key(key: str) -> bool:
        return False


# -- the command-line face -------------------------------------------------------------------


def run_install(folder: Path, profiles: Sequence[Path] = ()) -> int:
    try:
        installed = install(folder, profiles=profiles)
    except OSError as exc:
        print(f"bgfetch-gui: could not install the browser integration: {exc}", file=sys.stderr)
        return 1
    print(f"Native-messaging host: {installed.launcher}")
    for name, path in installed.manifests.items():
        print(f"  {name}: {path}")
    chromium, firefox = installed.extensions["chromium"], installed.extensions["firefox"]
    print(
        f"\nExtension for Chromium, Chrome, Brave, Edge and Vivaldi: {chromium}\n"
        "  Open chrome://extensions (edge://extensions in Edge), turn on Developer mode,\n"
        "  click \"Load unpacked\" and choose that folder.\n"
        f"Extension for Firefox: {firefox}\n"
        "  Open about:debugging#/runtime/this-firefox, click \"Load Temporary Add-on…\" and\n"
        "  choose manifest.json in that folder (Firefox forgets it when it restarts).\n"
        "\nRestart the browser if it was running, so it sees the host."
    )
    return 0


def run_uninstall(folder: Path) -> int:
    try:
        removed = uninstall(folder)
    except OSError as exc:
        print(f"bgfetch-gui: could not remove the browser integration: {exc}", file=sys.stderr)
        return 1
    if not removed:
        print("Nothing to remove: the browser integration is not installed for this data folder.")
    for item in removed:
        print(f"removed {item}")
    return 0
