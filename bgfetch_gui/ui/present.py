"""A fetch's snapshot in words and numbers for people: no Qt, easy to test.

The list model, the tray tooltip and the files dialog all describe fetches
the same way, so the wording lives here once.
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


class Category(enum.StrEnum):
    """The filter buckets of the main window."""

    ACTIVE = "active"
    DONE = "done"
    FAILED = "failed"


_STATE_WORDS = {
    State.QUEUED: "Queued",
    State.WAITING_FOR_NETWORK: "Waiting for network",
    State.DOWNLOADING: "Downloading",
    State.PAUSED: "Paused",
    State.RETRYING: "Retrying…",
    State.SUCCESS: "Done",
}


def category(snap: Snapshot) -> Category:
    if snap.result == "success":
        return Category.DONE
    if snap.result:
        return Category.FAILED
    return Category.ACTIVE


def state_words(snap: Snapshot) -> str:
    """``Downloading``, ``Waiting for network``, ``Failed: Network error``, …"""
    if snap.result == "failure":
        if snap.failure_reason == FailureReason.ABORTED:
            return "Cancelled"
        if snap.failure_detail:
            # "Failed: 2 of 3 files; ep-5.jpg: HTTP 404" (the other files completed).
            return (f"Failed: {snap.files_done} of {snap.files_total} files; "
                    f"{snap.failure_detail}")
        return f"Failed: {snap.failure_reason.describe()}"
    return _STATE_WORDS.get(snap.state, str(snap.state).capitalize())


def display_title(snap: Snapshot) -> str:
    return snap.title or snap.id


def total_bytes(snap: Snapshot) -> int | None:
    """The size the fetch is heading for, if anyone announced it."""
    if snap.expected_size:
        return snap.expected_size
    if snap.download_total:
        return snap.download_total
    return None


def fraction(snap: Snapshot) -> float | None:
    """Progress in 0..1, or None when the size is not known (an indeterminate bar)."""
    if snap.result == "success":
        return 1.0
    total = total_bytes(snap)
    if not total:
        return None
    return min(1.0, snap.downloaded / total)


def size_text(snap: Snapshot) -> str:
    """``12.3 MB of 60.0 MB`` while running; the final size once done."""
    total = total_bytes(snap)
    if snap.result == "success" or total is None:
        return human_size(snap.downloaded) if snap.downloaded or snap.result else "—"
    return f"{human_size(snap.downloaded)} of {human_size(total)}"


def speed_text(snap: Snapshot) -> str:
    """``2.1 MB/s``, and ``· 8 connections`` while a segmented file uses several."""
    if snap.state != State.DOWNLOADING or snap.speed <= 0:
        return ""
    text = f"{human_size(snap.speed)}/s"
    if snap.connections > 1:
        text += f" · {snap.connections} connections"
    return text


def eta_seconds(snap: Snapshot) -> float | None:
    total = total_bytes(snap)
    if snap.state != State.DOWNLOADING or snap.speed <= 0 or total is None:
        return None
    return max(0.0, (total - snap.downloaded) / snap.speed)


def eta_text(snap: Snapshot) -> str:
    seconds = eta_seconds(snap)
    return "" if seconds is None else human_duration(seconds)


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
    """What the tray shows: how many run, how far they are, how fast.

    ``downloaded`` and ``total`` count only the active fetches whose size is
    known, so the percentage means something while one of them has not
    answered yet.
    """

    active: int = 0
    running: int = 0  # downloading or retrying: bytes may move
    waiting_for_network: int = 0
    paused: int = 0
    downloaded: int = 0
    total: int = 0
    speed: float = 0.0

    @property
    def fraction(self) -> float | None:
        if not self.active or not self.total:
            return None
        return min(1.0, self.downloaded / self.total)


def summarize(snaps: Iterable[Snapshot]) -> Summary:
    active = running = waiting = paused = downloaded = total = 0
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
        size = total_bytes(snap)
        if size:
            downloaded += min(snap.downloaded, size)
            total += size
        speed += snap.speed
    return Summary(active, running, waiting, paused, downloaded, total, speed)


def summary_text(summary: Summary) -> str:
    """``3 fetches · 45% · 2.1 MB/s``, ``Waiting for network`` or ``No active fetches``."""
    if not summary.active:
        return "No active fetches"
    if summary.waiting_for_network == summary.active:
        return "Waiting for network"
    parts = [f"{summary.active} fetch" if summary.active == 1 else f"{summary.active} fetches"]
    if summary.fraction is not None:
        parts.append(f"{summary.fraction * 100:.0f}%")
    if summary.speed > 0:
        parts.append(f"{human_size(summary.speed)}/s")
    elif summary.paused == summary.active:
        parts.append("paused")
    return " · ".join(parts)


def status_line(summary: Summary, shown: int, total: int) -> str:
    """The main window's status bar: ``2 active · 45% · 2.1 MB/s  —  9 in the list``."""
    listed = f"{total} in the list" if shown == total else f"{shown} of {total} shown"
    if not summary.active:
        return listed
    active = summary_text(summary).replace(
        f"{summary.active} fetches", f"{summary.active} active"
    ).replace(f"{summary.active} fetch", f"{summary.active} active")
    return f"{active}   —   {listed}"


def about_text() -> str:
    """The About box: the version (from pyproject.toml) and what bgfetch is."""
    return (f"<h3>bgfetch {__version__}</h3>"
            "<p>The web's Background Fetch on the desktop: named bundles of downloads that "
            "survive crashes, reboots and lost networks.</p>"
            "<p>MIT licence.</p>")
