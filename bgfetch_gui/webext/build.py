"""Build the unpacked extension for one browser from the shared source.

``python -m bgfetch_gui.webext.build OUTDIR --browser chromium|firefox``

The two browsers differ only in the manifest, so the differences are generated
here rather than kept as two copies that drift apart: Chromium runs the
background as a service worker and pins its extension id with the public
``key``; Firefox runs background scripts and is identified by its gecko id.
"""

from __future__ import annotations

import argparse
import importlib.resources
import json
import shutil
import sys
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

BROWSERS = ("chromium", "firefox")

# The public half of the key that fixes the Chromium extension id
# ebekpjkhjjelnomnenjckffmhcmjelgf, which the native host manifests allow.
CHROMIUM_KEY = (
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAsf9XFfoVgFCYJq4hCc9LvASae04spBM6FpuUWpdBHn7s"
    "NssPqc+JD1TRmyTcNIWfDXzjU+GjnMwEVyciOidU/PbGNmJKd4bLTI2iL7g0Rh0xN3nhlU82fk2gTM3BJ9cowno2"
    "+aw1uopd8g2QqRYzpl1RA+1GciyXyQYAGUtlmPa8DiYAvku32wbPy+ahz4rIQZR5dGrgTgpA50+Csqjjx5h40xTO"
    "4uyMn2uU8SesO7Da1FMXDpm+cgNrKQsrRfjkCca3aX1MQlCJpZ3UsbOsLPAfysUK8f5Ou3Y4pBMaCSlN5UpKSdPf"
    "Ak83krlYA0zHXQM35i3IjMfeDTH5SIfFTQIDAQAB"
)
GECKO_ID = "bgfetch@bgfetch.org"
# Firefox runs content scripts in the page's MAIN world from 128 on; page.js needs it.
GECKO_MIN_VERSION = "128.0"
# Chromium has MAIN-world content scripts declared in the manifest from 111 on.
CHROMIUM_MIN_VERSION = "111"

BACKGROUND = "background.js"
SOURCE_SUFFIXES = (".js", ".html", ".css")


def _source() -> Traversable:
    return importlib.resources.files(__package__ or "bgfetch_gui.webext")


def _icons() -> Traversable:
    """The app's rendered PNG icons: package data when installed, ``resources/`` in a checkout."""
    try:
        return importlib.resources.files("bgfetch_gui.resources") / "icons"
    except ModuleNotFoundError:
        # A source checkout maps resources/ to bgfetch_gui.resources only when installed.
        return Path(__file__).resolve().parents[2] / "resources" / "icons"


def manifest_for(browser: str) -> dict[str, Any]:
    """The manifest.json of ``browser``: the shared fields plus what only that browser needs."""
    if browser not in BROWSERS:
        raise ValueError(f"unknown browser {browser!r} (expected one of {', '.join(BROWSERS)})")
    manifest: dict[str, Any] = json.loads((_source() / "manifest.base.json").read_text("utf-8"))
    if browser == "chromium":
        manifest["background"] = {"service_worker": BACKGROUND, "type": "module"}
        manifest["key"] = CHROMIUM_KEY
        manifest["minimum_chrome_version"] = CHROMIUM_MIN_VERSION
    else:
        manifest["background"] = {"scripts": [BACKGROUND], "type": "module"}
        manifest["browser_specific_settings"] = {
            "gecko": {"id": GECKO_ID, "strict_min_version": GECKO_MIN_VERSION},
        }
    return manifest


def build_extension(out: Path, browser: str) -> Path:
    """Write the unpacked extension for ``browser`` into ``out`` and return ``out``.

    Files of an earlier build are overwritten; other files in ``out`` are left alone.
    """
    manifest = manifest_for(browser)
    out.mkdir(parents=True, exist_ok=True)
    for item in _source().iterdir():
        if item.is_file() and item.name.endswith(SOURCE_SUFFIXES):
            (out / item.name).write_bytes(item.read_bytes())
    icons = out / "icons"
    icons.mkdir(exist_ok=True)
    for path in manifest["icons"].values():
        name = Path(path).name
        with importlib.resources.as_file(_icons() / name) as png:
            shutil.copyfile(png, icons / name)
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bgfetch_gui.webext.build",
        description="Write bgfetch's unpacked browser extension into OUTDIR.",
    )
    parser.add_argument("outdir", type=Path, metavar="OUTDIR")
    parser.add_argument("--browser", choices=BROWSERS, required=True)
    args = parser.parse_args(argv)
    try:
        out = build_extension(args.outdir, args.browser)
    except OSError as exc:
        print(f"bgfetch: cannot write the extension to {args.outdir}: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
