"""The unpacked extensions build_extension writes for each browser."""

import base64
import hashlib
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bgfetch_gui.webext.build import BROWSERS, build_extension

CHROMIUM_ID = "ebekpjkhjjelnomnenjckffmhcmjelgf"
ROOT = Path(__file__).resolve().parents[2]


def chromium_id(key: str) -> str:
    """Chromium's id for a public key: sha256 of the DER key, first 32 hex digits as a-p."""
    digest = hashlib.sha256(base64.b64decode(key)).hexdigest()[:32]
    return "".join(chr(ord("a") + int(digit, 16)) for digit in digest)


def named_files(manifest: dict[str, Any]) -> list[str]:
    background = manifest["background"]
    names = [*background.get("scripts", []), background.get("service_worker")]
    names += list(manifest["icons"].values())
    names.append(manifest["options_ui"]["page"])
    for script in manifest["content_scripts"]:
        names += script["js"]
    return [name for name in names if name]


@pytest.fixture(params=BROWSERS)
def built(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, Path, dict[str, Any]]:
    out = build_extension(tmp_path / request.param, request.param)
    return request.param, out, json.loads((out / "manifest.json").read_text("utf-8"))


def test_every_named_file_exists(built: tuple[str, Path, dict[str, Any]]) -> None:
    _, out, manifest = built
    for name in named_files(manifest):
        assert (out / name).is_file(), name
    # options.html loads its script and style from the extension too.
    html = (out / "options.html").read_text("utf-8")
    assert 'src="options.js"' in html and (out / "options.js").is_file()
    assert 'href="options.css"' in html and (out / "options.css").is_file()


def test_module_imports_resolve(built: tuple[str, Path, dict[str, Any]]) -> None:
    _, out, _ = built
    for script in out.glob("*.js"):
        for line in script.read_text("utf-8").splitlines():
            if line.startswith("import ") and " from " in line:
                target = line.rsplit(" from ", 1)[1].strip(' ";\'')
                assert (out / target).is_file(), f"{script.name} imports {target}"


def test_chromium_manifest(tmp_path: Path) -> None:
    out = build_extension(tmp_path, "chromium")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["manifest_version"] == 3
    assert chromium_id(manifest["key"]) == CHROMIUM_ID
    assert manifest["background"] == {"service_worker": "background.js", "type": "module"}
    assert "browser_specific_settings" not in manifest
    page, relay = manifest["content_scripts"]
    assert page["js"] == ["page.js"] and page["world"] == "MAIN"
    assert page["run_at"] == relay["run_at"] == "document_start"
    assert relay["js"] == ["relay.js"] and "world" not in relay
    assert "nativeMessaging" in manifest["permissions"]


def test_firefox_manifest(tmp_path: Path) -> None:
    out = build_extension(tmp_path, "firefox")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    gecko = manifest["browser_specific_settings"]["gecko"]
    assert gecko["id"] == "bgfetch@bgfetch.org"
    # MAIN-world content scripts (page.js) need Firefox 128.
    assert int(gecko["strict_min_version"].split(".")[0]) >= 128
    assert manifest["background"]["scripts"] == ["background.js"]
    assert "service_worker" not in manifest["background"]
    assert "key" not in manifest


def test_icons_come_from_the_app_resources(tmp_path: Path) -> None:
    out = build_extension(tmp_path, "chromium")
    resources = ROOT / "resources" / "icons"
    for name in json.loads((out / "manifest.json").read_text("utf-8"))["icons"].values():
        assert (out / name).read_bytes() == (resources / Path(name).name).read_bytes()
    source = ROOT / "bgfetch_gui" / "webext"
    assert not list(source.rglob("*.png")), "icons are taken from resources/, not copied"


def test_rebuild_overwrites_in_place(tmp_path: Path) -> None:
    build_extension(tmp_path, "firefox")
    build_extension(tmp_path, "chromium")
    manifest = json.loads((tmp_path / "manifest.json").read_text("utf-8"))
    assert "service_worker" in manifest["background"]


def test_command_line(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bgfetch_gui.webext.build", str(tmp_path / "ext"),
         "--browser", "firefox"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "ext" / "manifest.json").is_file()
    bad = subprocess.run(
        [sys.executable, "-m", "bgfetch_gui.webext.build", str(tmp_path / "x"),
         "--browser", "safari"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert bad.returncode == 2 and "invalid choice" in bad.stderr
    assert not (tmp_path / "x").exists()
