"""The window's wording of fetches: list cells, spoken rows, kinds, totals, About.

The list model, the tray tooltip and the files dialog all describe fetches
the same way, so the wording lives here once; what the notifications and the
command line say too (states, problems, progress) is in
bgfetch_gui/presentation/fetch_words.py. No Qt, easy to test.
"""

from __future__ import annotations

import enum
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from bgfetch_gui import __version__
from bgfetch_gui.engine.model import FailureReason, Snapshot, State
from bgfetch_gui.engine.units import human_duration, human_size
from bgfetch_gui.i18n import translate
from bgfetch_gui.presentation.fetch_words import (
    failure_reason_words,
    failure_text,
    fraction,
    retry_text,
    skipped_text,
    snapshot_problem,
    state_word,
    total_bytes,
)


class Category(enum.StrEnum):
    """The filter buckets of the main window."""

    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"


def category(snap: Snapshot) -> Category:
    if snap.result == "success":
        return Category.DONE
    if snap.result:
        return Category.FAILED
    return Category.ACTIVE


def state_words(snap: Snapshot, now: float | None = None) -> str:
    """``Retrying in 12 s (…)``, ``ep-5.jpg: the server answered 404 Not Found``."""
    if snap.result == "failure":
        if snap.failure_reason == FailureReason.ABORTED:
            return failure_reason_words(snap.failure_reason)
        return failure_text(snap)
    if snap.state == State.RETRYING:
        return retry_text(snap, now)
    if snap.state == State.QUEUED and snap.problem:  # its schedule (docs/contracts.md §10)
        return translate("present", "Queued: {why}").format(why=snapshot_problem(snap, now))
    if snap.state == State.SUCCESS and snap.files_skipped:
        return translate("present", "Done: {files}").format(files=skipped_text(snap))
    return state_word(snap.state)


def display_title(snap: Snapshot) -> str:
    return snap.title or snap.id


def size_text(snap: Snapshot) -> str:
    """``12.3 MB of 60.0 MB`` while running; the final size once done."""
    total = total_bytes(snap)
    if snap.result == "success" or total is None:
        return human_size(snap.downloaded) if snap.downloaded or snap.result else "—"
    return translate("present", "{done} of {total}").format(
        done=human_size(snap.downloaded), total=human_size(total))


def speed_text(snap: Snapshot) -> str:
    """``2.1 MiB/s``, and ``· 8 connections`` while a segmented file uses several."""
    if snap.state != State.DOWNLOADING or snap.speed <= 0:
        return ""
    text = f"{human_size(snap.speed)}/s"
    if snap.connections > 1:
        text += translate("present", " · {count} connections").format(count=snap.connections)
    return text


def eta_seconds(snap: Snapshot) -> float | None:
    total = total_bytes(snap)
    if snap.state != State.DOWNLOADING or snap.speed <= 0 or total is None:
        return None
    return max(0.0, (total - snap.downloaded) / snap.speed)


def eta_text(snap: Snapshot) -> str:
    seconds = eta_seconds(snap)
    return "" if seconds is None else human_duration(seconds)


_SPOKEN_UNITS = {"B": "bytes", "KiB": "kibibytes", "MiB": "mebibytes", "GiB": "gibibytes",
                 "TiB": "tebibytes"}


def spoken_size(n: float) -> str:
    """``2.1 mebibytes``: a size as a screen reader should say it."""
    number, unit = human_size(n).split(" ")
    return f"{number} {_SPOKEN_UNITS[unit]}"


def spoken(snap: Snapshot) -> str:
    """``Episode 5, 45 percent, 2.1 mebibytes per second, downloading``: one row, read aloud."""
    parts = [display_title(snap)]
    value = fraction(snap)
    if value is not None:
        parts.append(translate("present", "{percent} percent").format(
            percent=f"{value * 100:.0f}"))
    if snap.state == State.DOWNLOADING and snap.speed > 0:
        parts.append(translate("present", "{size} per second").format(
            size=spoken_size(snap.speed)))
    parts.append(state_words(snap).lower() if snap.result != "failure" else state_words(snap))
    return ", ".join(parts)


def percent_text(snap: Snapshot) -> str:
    value = fraction(snap)
    return "" if value is None else f"{value * 100:.0f}%"


# -- the kind of a fetch, for its type icon --------------------------------------

_KIND_BY_MAJOR = {"video": "video", "audio": "audio", "image": "image", "text": "document"}
_ARCHIVES = {".zip", ".tar", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".rar", ".zst", ".iso"}
_DOCUMENTS = {".pdf", ".epub", ".doc", ".docx", ".odt", ".txt", ".md", ".html"}


def kind_of(urls: Iterable[str]) -> str:
    """``video``, ``audio``, ``image``, ``archive``, ``document`` or ``file``.

    A bundle of mixed files is named after what most of its files are, so a
    podcast episode with its artwork still reads as audio.
    """
    counts: dict[str, int] = {}
    for url in urls:
        suffix = PurePosixPath(urlsplit(url).path).suffix.lower()
        kind = "file"
        if suffix in _ARCHIVES:
            kind = "archive"
        elif suffix in _DOCUMENTS:
            kind = "document"
        else:
            mime, _ = mimetypes.guess_type(f"x{suffix}")
            if mime:
                kind = _KIND_BY_MAJOR.get(mime.split("/")[0], "file")
        counts[kind] = counts.get(kind, 0) + 1
    if not counts:
        return "file"
    return max(counts.items(), key=lambda item: (item[1], item[0] != "file"))[0]


# -- all fetches at once: the tray's summary -------------------------------------


@dataclass(frozen=True)
class Summary:
    """What the tray and the status bar show: how many are in each state, how far, how fast.

    ``downloaded`` and ``total`` count only the active fetches whose size is
    known; ``unknown_size`` says how many are left out of the percentage, so
    the words can say so (docs/contracts.md §4 has no such field: this is the
    window's own arithmetic).
    """

    active: int = 0
    running: int = 0  # downloading or retrying: bytes may move
    waiting_for_network: int = 0
    paused: int = 0
    queued: int = 0
    downloaded: int = 0
    total: int = 0
    speed: float = 0.0
    unknown_size: int = 0

    @property
    def fraction(self) -> float | None:
        if not self.active or not self.total:
            return None
        return min(1.0, self.downloaded / self.total)


def summarize(snaps: Iterable[Snapshot]) -> Summary:
    active = running = waiting = paused = queued = downloaded = total = unknown = 0
    speed = 0.0
    for snap in snaps:
        if not snap.active:
            continue
        active += 1
        if snap.state in (State.DOWNLOADING, State.RETRYING):
            running += 1
        elif snap.state == State.WAITING_FOR_NETWORK:
            waiting += 1
        elif snap.state == State.PAUSED:
            paused += 1
        else:
            queued += 1
        size = total_bytes(snap)
        if size:
            downloaded += min(snap.downloaded, size)
            total += size
        else:
            unknown += 1
        speed += snap.speed
    return Summary(active, running, waiting, paused, queued, downloaded, total, speed, unknown)


def _counts(summary: Summary) -> list[str]:
    """``2 downloading``, ``26 queued``, ``1 paused``, ``1 waiting for network``: non-zero ones."""
    return [words.format(count=count) for count, words in (
        (summary.running, translate("present", "{count} downloading")),
        (summary.queued, translate("present", "{count} queued")),
        (summary.paused, translate("present", "{count} paused")),
        (summary.waiting_for_network, translate("present", "{count} waiting for network")),
    ) if count]


def progress_words(summary: Summary) -> str:
    """``45% of 1.2 GiB``, ``45% of 1.2 GiB (3 of unknown size)``, ``size unknown``."""
    if summary.fraction is None:
        return translate("present", "size unknown") if summary.unknown_size else ""
    text = translate("present", "{percent}% of {total}").format(
        percent=f"{summary.fraction * 100:.0f}", total=human_size(summary.total))
    if summary.unknown_size:
        text += translate("present", " ({count} of unknown size)").format(
            count=summary.unknown_size)
    return text


def summary_text(summary: Summary) -> str:
    """``2 downloading · 26 queued · 45% of 1.2 GiB · 2.1 MiB/s``, or ``No active fetches``."""
    if not summary.active:
        return translate("present", "No active fetches")
    parts = _counts(summary)
    progress = progress_words(summary)
    if progress:
        parts.append(progress)
    if summary.speed > 0:
        parts.append(f"{human_size(summary.speed)}/s")
    return " · ".join(parts)


def status_line(summary: Summary, shown: int, total: int) -> str:
    """The status bar: ``2 downloading · 26 queued · 45% of 1.2 GiB  —  59 in the list``."""
    if shown == total:
        listed = translate("present", "{total} in the list").format(total=total)
    else:
        listed = translate("present", "{shown} of {total} shown").format(shown=shown, total=total)
    if not summary.active:
        return listed
    return f"{summary_text(summary)}   —   {listed}"


BUNDLED_LICENCES = (
    ("Python", "PSF License"),
    ("Qt 6 and PySide6", "LGPL v3"),
    ("aiohttp", "Apache 2.0"),
    ("qasync", "BSD 2-Clause"),
    ("keyring", "MIT"),
    ("dbus-fast", "MIT"),
)


def about_text() -> str:
    """The About box: the version (from pyproject.toml), what bgfetch is, and the
    licences of the parts a bundle carries."""
    parts = "".join(f"<li>{name}: {licence}</li>" for name, licence in BUNDLED_LICENCES)
    what = translate("present", "The web's Background Fetch on the desktop: named bundles "
                     "of downloads that survive crashes, reboots and lost networks.")
    licence = translate("present", "MIT licence. Bundled parts and their licences:")
    return f"<h3>bgfetch {__version__}</h3><p>{what}</p><p>{licence}</p><ul>{parts}</ul>"
