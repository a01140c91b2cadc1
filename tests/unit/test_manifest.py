import json
from pathlib import Path

import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.manifest import load_manifest, parse_spec

DESIGN_EXAMPLE = {
    "id": "ep-5",
    "requests": [
        "https://example.org/ep-5.mp3",
        {"url": "https://example.org/ep-5-artwork.jpg", "method": "GET",
         "headers": {"Accept": "image/*"}},
    ],
    "options": {
        "title": "Episode 5",
        "icons": [{"src": "https://example.org/ep-5-icon.png", "sizes": "300x300",
                   "type": "image/png"}],
        "downloadTotal": 62914560,
    },
}


def test_design_example(tmp_path: Path):
    path = tmp_path / "ep5.bgfetch"
    path.write_text(json.dumps(DESIGN_EXAMPLE))
    spec = load_manifest(path)
    assert spec.id == "ep-5" and len(spec.requests) == 2
    assert spec.requests[1].headers == (("Accept", "image/*"),)
    assert spec.options.title == "Episode 5" and spec.options.download_total == 62914560
    assert spec.options.icons[0].sizes == "300x300"


@pytest.mark.parametrize(("change", "field"), [
    ({"requests": []}, "requests"),
    ({"requests": 42}, "requests"),
    ({"requests": "ftp://a/"}, "requests[0].url"),
    ({"requests": {"url": "https://a/", "method": "TRACE"}}, "requests[0].method"),
    ({"requests": [42]}, "requests[0]"),
    ({"requests": ["https://a/", "ftp://b/"]}, "requests[1].url"),
    ({"requests": [{"url": "https://a/", "headers": {"A": 1}}]}, "requests[0].headers"),
    ({"requests": [{"url": "https://a/", "headers": {"Authorization": "x"}}]}, "keyring"),
    ({"id": 5}, "'id'"),
    ({"options": {"title": 5}}, "options.title"),
    ({"options": {"downloadTotal": "60M"}}, "options.downloadTotal"),
    ({"options": {"downloadTotal": True}}, "options.downloadTotal"),
    ({"options": {"icons": [{"sizes": "1x1"}]}}, "options.icons[0]"),
])
def test_invalid_manifests_name_the_field(change: dict, field: str):
    with pytest.raises(InvalidFetch, match=field.replace("[", r"\[").replace("]", r"\]")):
        parse_spec({**DESIGN_EXAMPLE, **change})


def test_bad_json_and_missing_file(tmp_path: Path):
    bad = tmp_path / "bad.bgfetch"
    bad.write_text("{not json")
    with pytest.raises(InvalidFetch, match="not valid JSON"):
        load_manifest(bad)
    with pytest.raises(InvalidFetch, match="cannot read"):
        load_manifest(tmp_path / "missing.bgfetch")


def test_relative_icon_paths_resolve_next_to_the_manifest(tmp_path: Path):
    path = tmp_path / "m.bgfetch"
    manifest = {"requests": ["https://a/"], "options": {"icons": [{"src": "i.png"}]}}
    path.write_text(json.dumps(manifest))
    spec = load_manifest(path)
    assert spec.options.icons[0].src == str(tmp_path / "i.png")
    assert spec.id  # generated


def test_a_manifest_file_cannot_choose_the_folder_or_upload_files(tmp_path: Path):
    """A .bgfetch may come from any web page: no `dest`, no request `body`."""
    for manifest, field in (
        ({"requests": ["https://a/"], "dest": str(tmp_path / ".config/autostart")}, "'dest'"),
        ({"requests": [{"url": "https://a/", "method": "POST", "body": "/home/u/.ssh/id_rsa"}]},
         r"'requests\[0\]\.body'"),
        # A single request (fetch() step 4) is checked like a list of one.
        ({"requests": {"url": "https://a/", "method": "POST", "body": "/home/u/.ssh/id_rsa"}},
         r"'requests\[0\]\.body'"),
    ):
        path = tmp_path / "m.bgfetch"
        path.write_text(json.dumps(manifest))
        with pytest.raises(InvalidFetch, match=field):
            load_manifest(path)


def test_the_local_api_resolves_relative_paths_against_its_base(tmp_path: Path):
    spec = parse_spec({"requests": [{"url": "https://a/", "method": "POST", "body": "b.bin"}],
                       "dest": "out"}, base=tmp_path)
    assert spec.requests[0].body == tmp_path / "b.bin"
    assert spec.dest == tmp_path / "out"


@pytest.mark.parametrize("headers", [
    {"X-A": "a\r\nInjected: 1"}, {"Bad Name": "x"}, {"X-B": "nul\u0000"},
])
def test_header_injection_is_refused(headers: dict):
    with pytest.raises(InvalidFetch, match="not a valid HTTP header"):
        parse_spec({"requests": [{"url": "https://a/", "headers": headers}]})
