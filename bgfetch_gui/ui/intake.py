"""What bgfetch accepts from outside: URLs, ``.bgfetch`` manifests and ``bgfetch:`` links.

Command-line arguments, files dropped on the window and a second instance's
arguments all pass through here, so they are judged the same way. URLs given
together become one fetch (one bundle), as with ``bgfetch fetch URL...``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.links import is_link, parse_link
from bgfetch_gui.engine.manifest import FetchSpec, load_manifest, new_id
from bgfetch_gui.engine.model import FetchOptions, FetchRequest
from bgfetch_gui.engine.validation import check_url

MANIFEST_SUFFIX = ".bgfetch"


@dataclass
class Intake:
    """Arguments sorted: manifests to register, URLs for one new fetch, and what was refused."""

    manifests: list[Path] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # bgfetch: links, asked about one by one
    errors: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.manifests or self.urls or self.links or self.errors)


def is_manifest(path: str | Path) -> bool:
    return str(path).lower().endswith(MANIFEST_SUFFIX)


def sort_arguments(args: Iterable[str]) -> Intake:
    """Split command-line words (or dropped items) into manifests and URLs."""
    intake = Intake()
    for arg in args:
        arg = arg.strip()
        if not arg:
            continue
        if arg.lower().startswith("file://"):
            arg = unquote(urlsplit(arg).path)
        if is_link(arg):
            try:
                parse_link(arg)
            except InvalidFetch as exc:
                intake.errors.append(str(exc))
                continue
            intake.links.append(arg)
            continue
        if is_manifest(arg) and "://" not in arg:
            intake.manifests.append(Path(arg).expanduser().absolute())
            continue
        try:
            check_url(arg)
        except InvalidFetch as exc:
            intake.errors.append(str(exc))
            continue
        intake.urls.append(arg)
    return intake


def guess_title(urls: Sequence[str]) -> str:
    """A title for URLs nobody named: the first file name, else the host."""
    for url in urls:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            continue
        name = unquote(PurePosixPath(parts.path).name)
        if name:
            more = len([u for u in urls if u.strip()]) - 1
            return f"{name} (+{more})" if more > 0 else name
        if parts.hostname:
            return parts.hostname
    return ""


def spec_for_urls(urls: Sequence[str], title: str = "") -> FetchSpec:
    """One fetch of these URLs with a fresh id (the engine checks it again)."""
    return FetchSpec(
        id=new_id(),
        requests=tuple(FetchRequest(u) for u in urls),
        options=FetchOptions(title=title or guess_title(urls)),
    )


def specs_for(intake: Intake) -> tuple[list[FetchSpec], list[str]]:
    """Every fetch an intake asks for, and the messages for what cannot be read."""
    specs: list[FetchSpec] = []
    errors = list(intake.errors)
    for path in intake.manifests:
        try:
            specs.append(load_manifest(path))
        except InvalidFetch as exc:
            errors.append(str(exc))
    if intake.urls:
        specs.append(spec_for_urls(intake.urls))
    return specs, errors
