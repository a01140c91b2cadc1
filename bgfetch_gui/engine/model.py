"""Plain data of the Background Fetch model: requests, options, records, states."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class State(enum.StrEnum):
    """Live state of a registration (docs/contracts.md §2); settled ones read as their result."""

    QUEUED = "queued"
    WAITING_FOR_NETWORK = "waiting-for-network"
    DOWNLOADING = "downloading"
    PAUSED = "paused"
    RETRYING = "retrying"
    SUCCESS = "success"
    FAILURE = "failure"

    @property
    def active(self) -> bool:
        return self not in (State.SUCCESS, State.FAILURE)


class FailureReason(enum.StrEnum):
    NONE = ""
    ABORTED = "aborted"
    BAD_STATUS = "bad-status"
    FETCH_ERROR = "fetch-error"
    QUOTA_EXCEEDED = "quota-exceeded"
    DOWNLOAD_TOTAL_EXCEEDED = "download-total-exceeded"


@dataclass(frozen=True)
class Icon:
    src: str
    sizes: str = ""
    type: str = ""

    def to_json(self) -> dict[str, str]:
        return {"src": self.src, "sizes": self.sizes, "type": self.type}


@dataclass(frozen=True)
class FetchRequest:
    """One request of a bundle. ``body`` is a local file uploaded as the request body;
    ``integrity`` the Fetch standard's metadata its body must match (docs/contracts.md §12)."""

    url: str
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: Path | None = None
    integrity: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "method": self.method,
            "headers": [list(h) for h in self.headers],
            "body": str(self.body) if self.body else None,
            **({"integrity": self.integrity} if self.integrity else {}),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> FetchRequest:
        body = data.get("body")
        return cls(
            url=data["url"],
            method=data.get("method", "GET"),
            headers=tuple((str(k), str(v)) for k, v in data.get("headers", [])),
            body=Path(body) if body else None,
            integrity=str(data.get("integrity", "")),
        )


@dataclass(frozen=True)
class FetchOptions:
    title: str = ""
    icons: tuple[Icon, ...] = ()
    download_total: int = 0
    proxy: str = ""  # this fetch's proxy setting; "" follows the app's (docs/contracts.md §8)
    max_speed: int = 0  # bytes/s for this fetch, under the global limit; 0: none (§9)
    start_at: float = 0.0  # seconds since the epoch it may start at; 0: at once (§10)


@dataclass(frozen=True)
class Record:
    """A request and what became of it: response status, headers, and the stored body."""

    request: FetchRequest
    status: int | None
    headers: tuple[tuple[str, str], ...]
    path: Path | None
    size: int
    complete: bool
    index: int = 0  # the request's place in its fetch
    final_url: str | None = None  # the response's URL after redirects
    replaced_url: str | None = None  # the URL the user gave in its place (contracts §13)
    skipped: bool = False  # left out by the user (contracts §13)

    @property
    def response_url(self) -> str:
        return self.final_url or self.request.url

    @property
    def response_ready(self) -> bool:
        return self.complete and self.status is not None


@dataclass(frozen=True)
class Snapshot:
    """A registration's fields at one instant: what events and listings carry."""

    id: str
    key: int
    title: str
    icons: tuple[Icon, ...]
    state: State
    result: str
    failure_reason: FailureReason
    downloaded: int
    download_total: int
    uploaded: int
    upload_total: int
    dest: Path
    records_available: bool
    created_at: float
    settled_at: float | None = None
    speed: float = 0.0
    expected_size: int | None = field(default=None)
    origin: str = ""  # the web origin of a fetch from the browser bridge; "" for the user's own
    connections: int = 0  # open connections, several per file when segmented
    files_done: int = 0  # requests complete
    files_total: int = 0  # requests in the fetch
    files_skipped: int = 0  # requests the user left out (docs/contracts.md §13)
    # What went wrong, for the words of docs/contracts.md §4: while retrying, the
    # last transient error; once failed, the error that ended the fetch.
    problem: str = ""  # the engine's detail ("HTTP 404 for …", "cannot connect: …")
    problem_file: str = ""  # the name of the file it is about, when one is known
    problem_status: int | None = None  # the HTTP status behind it, if any
    problem_code: str = ""  # a ProblemCode (engine/problems.py): the problem as data
    problem_at: float | None = None  # queued: when it may start (its start time, the schedule)
    retry_at: float | None = None  # while retrying: wall-clock time of the next try
    attempt: int = 0  # while retrying: the number of the next try (2 is the first retry)
    max_attempts: int = 0  # while retrying: the last try allowed
    pausable: bool = True  # False with a request that is not GET or HEAD (sent only once)

    @property
    def active(self) -> bool:
        return self.result == ""

    def to_json(self) -> dict[str, Any]:
        """The ``list --json`` / ``show --json`` shape of docs/contracts.md §4 (without records)."""
        return {
            "id": self.id,
            "title": self.title,
            "result": self.result,
            "failure_reason": str(self.failure_reason),
            "state": str(self.state),
            "downloaded": self.downloaded,
            "download_total": self.download_total,
            "uploaded": self.uploaded,
            "upload_total": self.upload_total,
            "dest": str(self.dest),
            "origin": self.origin,
            "connections": self.connections,
            "problem": self.problem,
            "problem_file": self.problem_file,
            "problem_status": self.problem_status,
            "problem_code": self.problem_code,
            "problem_at": self.problem_at,
        }
