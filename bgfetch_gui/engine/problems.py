"""What went wrong, or why a fetch waits, as a code with its parameters.

The engine keeps its own English detail in ``problem`` (for logs and scripts,
docs/contracts.md §4); ``problem_code``, ``problem_status`` and ``problem_at``
carry the same facts as data, so that the window and the command line can say
them in the user's language (bgfetch_gui/presentation) without reading English.
"""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass


class ProblemCode(enum.StrEnum):
    NONE = ""  # nothing, or a detail no code fits (the engine's words are all there is)
    HTTP_STATUS = "http-status"  # problem_status says which
    CONNECTION_REFUSED = "connection-refused"
    HOST_NOT_FOUND = "host-not-found"
    STALLED = "stalled"
    CONNECTION_DROPPED = "connection-dropped"
    TIMED_OUT = "timed-out"
    SECURE_CONNECTION = "secure-connection"
    DISK_FULL = "disk-full"
    INTEGRITY = "integrity"  # the body does not match its integrity metadata (§12)
    STARTS_AT = "starts-at"  # queued until problem_at, the fetch's own start time
    OUTSIDE_SCHEDULE = "outside-schedule"  # queued until problem_at, when the window opens


# The details of transient and final errors (ours, aiohttp's, the OS's), by what they say.
_DETAILS: tuple[tuple[re.Pattern[str], ProblemCode], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), code) for pattern, code in (
        (r"connect call failed|connection refused", ProblemCode.CONNECTION_REFUSED),
        (r"name or service not known|name resolution|getaddrinfo|nodename",
         ProblemCode.HOST_NOT_FOUND),
        (r"^stalled$", ProblemCode.STALLED),
        (r"body ended|disconnected|connection reset|broken pipe",
         ProblemCode.CONNECTION_DROPPED),
        (r"timed? ?out", ProblemCode.TIMED_OUT),
        (r"ssl|certificate", ProblemCode.SECURE_CONNECTION),
        (r"disk full|no space", ProblemCode.DISK_FULL),
        (r"^integrity check failed", ProblemCode.INTEGRITY),
    )
)
_HTTP = re.compile(r"HTTP (\d{3})")


def classify(detail: str) -> tuple[ProblemCode, int | None]:
    """The code of an error's detail, and the HTTP status it names (``HTTP 503 for …``)."""
    status = _HTTP.search(detail)
    if status:
        return ProblemCode.HTTP_STATUS, int(status.group(1))
    for pattern, code in _DETAILS:
        if pattern.search(detail):
            return code, None
    return ProblemCode.NONE, None


@dataclass(frozen=True)
class Waiting:
    """Why a queued fetch may not start yet, and until when (docs/contracts.md §10)."""

    code: ProblemCode
    until: float  # seconds since the epoch
    detail: str  # the engine's words: ``starts at 01:30``
