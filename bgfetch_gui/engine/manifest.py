"""The ``.bgfetch`` manifest (docs/contracts.md §5): JSON that mirrors ``backgroundFetch.fetch``.

The same shape travels over the local socket from the CLI to the engine, so
one parser judges a manifest file, a command line and a second instance alike.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from .errors import InvalidFetch
from .integrity import BadIntegrity, check_metadata
from .model import FetchOptions, FetchRequest, Icon
from .proxy import BadProxy, check_setting
from .units import parse_size
from .validation import check_headers, check_method, check_url, normalize_url

MAX_MANIFEST_BYTES = 1 << 20


@dataclass(frozen=True)
class FetchSpec:
    """A fetch as asked for, checked field by field, not yet registered."""

    id: str
    requests: tuple[FetchRequest, ...]
    options: FetchOptions
    dest: Path | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "requests": [r.to_json() for r in self.requests],
            "options": {
                "title": self.options.title,
                "icons": [i.to_json() for i in self.options.icons],
                "downloadTotal": self.options.download_total,
                **({"proxy": self.options.proxy} if self.options.proxy else {}),
                **({"maxSpeed": self.options.max_speed} if self.options.max_speed else {}),
                **({"startAt": self.options.start_at} if self.options.start_at else {}),
            },
            "dest": str(self.dest) if self.dest else None,
        }


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def load_manifest(path: Path) -> FetchSpec:
    """Read and check a ``.bgfetch`` file; InvalidFetch names what is wrong."""
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_MANIFEST_BYTES + 1)
    except OSError as exc:
        raise InvalidFetch(f"cannot read manifest {str(path)!r}: {exc.strerror}") from None
    return parse_spec(manifest_json(raw, f"manifest {str(path)!r}"), base=path.parent,
                      trusted=False)


def manifest_json(raw: bytes, source: str) -> Any:
    """A manifest's JSON, at most 1 MiB; ``source`` names it in the error."""
    if len(raw) > MAX_MANIFEST_BYTES:
        raise InvalidFetch(f"{source} is larger than 1 MiB")
    try:
        return json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidFetch(f"{source} is not valid JSON: {exc}") from None


# A manifest file may come from any web page: it must not choose where files
# go (``dest``) nor send local files (a request ``body``). Those fields are
# only for the user's own command line, through the local API.
LOCAL_ONLY_FIELDS = ("dest", "body")


def parse_spec(data: Any, base: Path | None = None, *, trusted: bool = True) -> FetchSpec:
    """Check a manifest-shaped object as a whole; nothing partial gets through."""
    if not isinstance(data, dict):
        raise InvalidFetch("manifest: expected a JSON object")
    raw_requests = data.get("requests")
    if isinstance(raw_requests, (str, dict)):
        raw_requests = [raw_requests]  # fetch() step 4: one request is a list of one
    if not isinstance(raw_requests, list) or not raw_requests:
        raise InvalidFetch("manifest field 'requests': expected a request or a non-empty list")
    if not trusted:
        _refuse_local_fields(data, raw_requests)
    fetch_id = data.get("id")
    if fetch_id is None:
        fetch_id = new_id()
    if not isinstance(fetch_id, str) or not fetch_id:
        raise InvalidFetch("manifest field 'id': expected a non-empty string")
    requests = tuple(_request(r, i, base) for i, r in enumerate(raw_requests))
    options = _options(data.get("options", {}), base)
    dest = data.get("dest")
    if dest is not None and not isinstance(dest, str):
        raise InvalidFetch("manifest field 'dest': expected a string")
    return FetchSpec(fetch_id, requests, options, _local_path(dest, base) if dest else None)


def _refuse_local_fields(data: dict[str, Any], raw_requests: list[Any]) -> None:
    if "dest" in data:
        raise InvalidFetch("manifest field 'dest': a manifest cannot choose the folder; "
                           "use bgfetch fetch --dest")
    options = data.get("options")
    if isinstance(options, dict) and "proxy" in options:
        # Another route could bypass the user's proxy or carry their saved
        # credentials through a stranger's: only the user chooses it (§8).
        raise InvalidFetch("manifest field 'options.proxy': a manifest cannot choose the "
                           "proxy; use bgfetch fetch --proxy")
    for index, raw in enumerate(raw_requests):
        if isinstance(raw, dict) and "body" in raw:
            raise InvalidFetch(f"manifest field 'requests[{index}].body': a manifest cannot "
                               "upload local files")


def _request(raw: Any, index: int, base: Path | None) -> FetchRequest:
    where = f"requests[{index}]"
    if isinstance(raw, str):
        raw = {"url": raw}
    if not isinstance(raw, dict):
        raise InvalidFetch(f"manifest field '{where}': expected a URL string or an object")
    url = raw.get("url")
    if not isinstance(url, str):
        raise InvalidFetch(f"manifest field '{where}.url': expected a string")
    try:
        url = normalize_url(url)
    except InvalidFetch as exc:
        raise InvalidFetch(f"manifest field '{where}.url': {exc}") from None
    method = raw.get("method", "GET")
    if not isinstance(method, str):
        raise InvalidFetch(f"manifest field '{where}.method': expected a string")
    try:
        check_method(method)
    except InvalidFetch as exc:
        raise InvalidFetch(f"manifest field '{where}.method': {exc}") from None
    headers = raw.get("headers", {})
    if isinstance(headers, dict):
        pairs = list(headers.items())
    elif isinstance(headers, list) and all(isinstance(h, list) and len(h) == 2 for h in headers):
        pairs = [(h[0], h[1]) for h in headers]
    else:
        raise InvalidFetch(f"manifest field '{where}.headers': expected an object of strings")
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in pairs):
        raise InvalidFetch(f"manifest field '{where}.headers': expected an object of strings")
    try:
        check_headers(pairs)
    except InvalidFetch as exc:
        raise InvalidFetch(f"manifest field '{where}.headers': {exc}") from None
    if any(k.lower() in ("authorization", "cookie", "proxy-authorization") for k, _ in pairs):
        raise InvalidFetch(
            f"manifest field '{where}.headers': credentials belong in the keyring, not a manifest"
        )
    body = raw.get("body")
    if body is not None and not isinstance(body, str):
        raise InvalidFetch(f"manifest field '{where}.body': expected a file path")
    if body is not None and method.upper() in ("GET", "HEAD"):
        raise InvalidFetch(f"manifest field '{where}.body': a {method.upper()} request "
                           "cannot have a body")
    return FetchRequest(
        url=url,
        method=method.upper(),
        headers=tuple(pairs),
        body=_local_path(body, base) if body else None,
        integrity=_integrity(raw.get("integrity", ""), where),
    )


def _integrity(raw: Any, where: str) -> str:
    """``requests[n].integrity`` (docs/contracts.md §12): a person wrote it, so metadata
    a browser would ignore or could never match is refused here, not after the download."""
    if not isinstance(raw, str):
        raise InvalidFetch(f"manifest field '{where}.integrity': expected a string")
    if not raw.strip():
        return ""
    try:
        check_metadata(raw)
    except BadIntegrity as exc:
        raise InvalidFetch(f"manifest field '{where}.integrity': {exc}") from None
    return raw.strip()


def _options(raw: Any, base: Path | None) -> FetchOptions:
    if not isinstance(raw, dict):
        raise InvalidFetch("manifest field 'options': expected an object")
    title = raw.get("title", "")
    if not isinstance(title, str):
        raise InvalidFetch("manifest field 'options.title': expected a string")
    total = raw.get("downloadTotal", 0)
    if not isinstance(total, int) or isinstance(total, bool) or total < 0:
        raise InvalidFetch("manifest field 'options.downloadTotal': expected a whole number ≥ 0")
    icons_raw = raw.get("icons", [])
    if not isinstance(icons_raw, list):
        raise InvalidFetch("manifest field 'options.icons': expected a list")
    icons = []
    for i, icon in enumerate(icons_raw):
        where = f"options.icons[{i}]"
        if not isinstance(icon, dict) or not isinstance(icon.get("src"), str):
            raise InvalidFetch(f"manifest field '{where}': expected an object with a 'src' string")
        if not all(isinstance(icon.get(k, ""), str) for k in ("sizes", "type")):
            raise InvalidFetch(f"manifest field '{where}': 'sizes' and 'type' must be strings")
        icons.append(Icon(_icon_src(icon["src"], base, where), icon.get("sizes", ""),
                          icon.get("type", "")))
    proxy = raw.get("proxy", "")
    if not isinstance(proxy, str):
        raise InvalidFetch("manifest field 'options.proxy': expected a string")
    try:
        proxy = check_setting(proxy) if proxy else ""
    except BadProxy as exc:
        raise InvalidFetch(f"manifest field 'options.proxy': {exc}") from None
    return FetchOptions(title=title, icons=tuple(icons), download_total=total, proxy=proxy,
                        max_speed=_max_speed(raw.get("maxSpeed", 0)),
                        start_at=_start_at(raw.get("startAt", 0)))


def _start_at(raw: Any) -> float:
    """``options.startAt``: seconds since the epoch, or an ISO 8601 date and time (§10)."""
    if isinstance(raw, str):
        try:
            return datetime.fromisoformat(raw).timestamp()
        except ValueError:
            raise InvalidFetch("manifest field 'options.startAt': expected an ISO 8601 date "
                               f"and time, not {raw!r}") from None
    if not isinstance(raw, int | float) or isinstance(raw, bool) or not 0 <= raw < 1e11:
        raise InvalidFetch("manifest field 'options.startAt': expected seconds since the "
                           "epoch or an ISO 8601 date and time")
    return float(raw)


def _max_speed(raw: Any) -> int:
    """``options.maxSpeed``: bytes per second, a number or a size such as ``"2M"`` (§9)."""
    if isinstance(raw, str):
        try:
            return parse_size(raw.removesuffix("/s"))
        except ValueError as exc:
            raise InvalidFetch(f"manifest field 'options.maxSpeed': {exc}") from None
    if not isinstance(raw, int) or isinstance(raw, bool) or raw < 0:
        raise InvalidFetch("manifest field 'options.maxSpeed': expected bytes per second "
                           "(a whole number ≥ 0, or a size such as \"2M\")")
    return raw


def _icon_src(src: str, base: Path | None, where: str) -> str:
    if "://" in src:
        try:
            check_url(src)
        except InvalidFetch as exc:
            raise InvalidFetch(f"manifest field '{where}.src': {exc}") from None
        return src
    return str(_local_path(src, base))


def _local_path(text: str, base: Path | None) -> Path:
    """A path in a manifest is relative to the manifest's folder, like a link in a page."""
    path = Path(text).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path.absolute()
