"""One fetch's state, progress and trouble in the user's language.

The engine gives the facts as data (docs/contracts.md §4: ``problem_code``,
``problem_status``, ``problem_file``, ``problem_at``); the words are chosen here,
once, for the window, the notifications and the command line. The translation
context stays ``present``, where these strings were first translated.
"""

from __future__ import annotations

import http
import time
from collections.abc import Mapping
from typing import Any

from bgfetch_gui.engine.model import FailureReason, Snapshot, State
from bgfetch_gui.engine.problems import ProblemCode
from bgfetch_gui.engine.schedule import when_text
from bgfetch_gui.i18n import translate

MAX_DETAIL = 60  # an engine detail no code fits is cut to this many characters


def state_word(state: State) -> str:
    """The state as people read it (built per call: the translator is installed after
    import)."""
    words = {
        State.QUEUED: translate("present", "Queued"),
        State.WAITING_FOR_NETWORK: translate("present", "Waiting for network"),
        State.DOWNLOADING: translate("present", "Downloading"),
        State.PAUSED: translate("present", "Paused"),
        State.RETRYING: translate("present", "Retrying…"),
        State.SUCCESS: translate("present", "Done"),
    }
    return words.get(state, str(state).capitalize())


def failure_reason_words(reason: str) -> str:
    """A failure reason of docs/contracts.md §1 as a sentence (``--json`` keeps the word)."""
    words = {
        FailureReason.ABORTED: translate("present", "Cancelled"),
        FailureReason.BAD_STATUS: translate("present", "The server refused a file"),
        FailureReason.FETCH_ERROR: translate("present", "Network error"),
        FailureReason.QUOTA_EXCEEDED: translate("present", "Disk full"),
        FailureReason.DOWNLOAD_TOTAL_EXCEEDED: translate("present", "Larger than announced"),
    }
    try:
        return words[FailureReason(reason)]
    except (ValueError, KeyError):  # none, or a reason newer than these words
        return reason


def status_words(status: int) -> str:
    """``404 Not Found``: the code with its standard phrase, if it has one."""
    try:
        return f"{status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _day_names() -> tuple[str, ...]:
    return (translate("present", "Mon"), translate("present", "Tue"),
            translate("present", "Wed"), translate("present", "Thu"),
            translate("present", "Fri"), translate("present", "Sat"),
            translate("present", "Sun"))


def problem_words(code: str, detail: str, status: int | None = None,
                  at: float | None = None, now: float | None = None,
                  limit: int | None = MAX_DETAIL) -> str:
    """Why, in a few words: ``connection refused``, ``the server answered 503 Service
    Unavailable``, ``starts at Thu 01:30``; the engine's own detail when no code fits
    it, cut to ``limit`` characters (None: whole, for a terminal's full line)."""
    if status is not None:
        return translate("present", "the server answered {status}").format(
            status=status_words(status))
    if at is not None and code in (ProblemCode.STARTS_AT, ProblemCode.OUTSIDE_SCHEDULE):
        when = when_text(at, time.time() if now is None else now, _day_names())
        if code == ProblemCode.STARTS_AT:
            return translate("present", "starts at {when}").format(when=when)
        return translate("present", "outside the download hours; next at {when}").format(
            when=when)
    words = {
        ProblemCode.CONNECTION_REFUSED: translate("present", "connection refused"),
        ProblemCode.HOST_NOT_FOUND: translate("present", "host not found"),
        ProblemCode.STALLED: translate("present", "the server stopped sending"),
        ProblemCode.CONNECTION_DROPPED: translate("present", "the connection dropped"),
        ProblemCode.TIMED_OUT: translate("present", "timed out"),
        ProblemCode.SECURE_CONNECTION: translate("present", "secure connection failed"),
        ProblemCode.DISK_FULL: translate("present", "disk full"),
        ProblemCode.INTEGRITY: translate(
            "present", "the file does not match its integrity digest"),
    }
    if code in words:
        return words[ProblemCode(code)]
    detail = detail.removeprefix("cannot connect: ").strip()
    return detail if limit is None or len(detail) <= limit else detail[: limit - 1] + "…"


def failure_line(reason: str, problem: str, file: str = "", files_done: int = 0,
                 files_total: int = 0) -> str:
    """``ep-5.jpg: the server answered 404 Not Found`` (``problem`` from
    :func:`problem_words`), or ``Failed: …`` when no file is known; led by ``2 of 3
    files;`` when the other files of a bundle completed (issue 9, rule 6)."""
    if not problem:
        return translate("present", "Failed: {what}").format(what=failure_reason_words(reason))
    if not file:
        return translate("present", "Failed: {what}").format(what=problem)
    if files_total > 1 and files_done:
        return translate("present", "{done} of {total} files; {file}: {what}").format(
            done=files_done, total=files_total, file=file, what=problem)
    return f"{file}: {problem}"


def snapshot_problem(snap: Snapshot, now: float | None = None) -> str:
    """:func:`problem_words` of a snapshot's problem fields ("" when it has none)."""
    if not snap.problem and snap.problem_status is None:
        return ""
    return problem_words(snap.problem_code, snap.problem, snap.problem_status,
                         snap.problem_at, now)


def json_problem(registration: Mapping[str, Any]) -> str:
    """:func:`problem_words` of a ``show --json`` object, whole ("" when it has no
    problem): the command line's line has room for the engine's full detail."""
    status = registration.get("problem_status")
    detail = registration.get("problem") or ""
    if not detail and status is None:
        return ""
    return problem_words(registration.get("problem_code") or "", detail, status,
                         registration.get("problem_at"), limit=None)


def failure_text(snap: Snapshot) -> str:
    """The words of a failed fetch: :func:`failure_line` of its snapshot."""
    return failure_line(snap.failure_reason, snapshot_problem(snap), snap.problem_file,
                        snap.files_done, snap.files_total)


def skipped_text(snap: Snapshot) -> str:
    """``2 of 3 files; 1 skipped``: a fetch the user left files out of (contracts §13)."""
    return translate("present", "{done} of {total} files; {skipped} skipped").format(
        done=snap.files_done, total=snap.files_total, skipped=snap.files_skipped)


def retry_text(snap: Snapshot, now: float | None = None) -> str:
    """``Retrying in 12 s (connection refused, try 3 of 8)``."""
    if snap.retry_at is None:
        return state_word(State.RETRYING)
    left = max(0, round(snap.retry_at - (time.time() if now is None else now)))
    head = (translate("present", "Retrying in {seconds} s").format(seconds=left) if left
            else translate("present", "Retrying now"))
    notes = [snapshot_problem(snap, now)] if snap.problem else []
    if snap.attempt:
        notes.append(translate("present", "try {attempt} of {attempts}").format(
            attempt=snap.attempt, attempts=snap.max_attempts))
    return f"{head} ({', '.join(notes)})" if notes else head


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
