"""The live registration: a fetch's fields, state and records, as the spec's object."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from .errors import InvalidFetch
from .model import FailureReason, FetchRequest, Icon, Record, Snapshot, State
from .naming import PART_SUFFIX, filename_from_url, name_key
from .problems import ProblemCode, Waiting, classify
from .store import RegistrationRow, RequestRow
from .validation import REPEATABLE_METHODS, normalize_url

if TYPE_CHECKING:
    from .manager import FetchManager


class SpeedMeter:
    """Bytes per second, smoothed so a progress line does not jitter."""

    def __init__(self) -> None:
        self.speed = 0.0
        self._bytes = 0
        self._stamp = time.monotonic()

    def sample(self, total_bytes: int) -> float:
        now = time.monotonic()
        elapsed = now - self._stamp
        if elapsed >= 0.25:
            current = max(0, total_bytes - self._bytes) / elapsed
            self.speed = current if self.speed == 0 else 0.7 * self.speed + 0.3 * current
            self._bytes, self._stamp = total_bytes, now
        return self.speed

    def reset(self, total_bytes: int) -> None:
        self.speed = 0.0
        self._bytes = total_bytes
        self._stamp = time.monotonic()


class Registration:
    """One fetch: what ``BackgroundFetchRegistration`` is in the browser.

    Reads are live; the mutating calls go through the manager, which owns
    scheduling, the store and the events.
    """

    def __init__(self, manager: FetchManager, row: RegistrationRow) -> None:
        self._manager = manager
        self.row = row
        self.state = State(row.result) if row.result else State.QUEUED
        self.speed = SpeedMeter()
        self.taken_names = {name_key(r.filename) for r in row.requests if r.filename}
        self.ui_updates_left = 1
        self.last_progress = 0.0
        self.retry_detail = ""
        self.wait_reason: Waiting | None = None  # why a queued fetch may not start yet (§10)
        self.retry_at: float | None = None  # wall-clock time of the next try
        self.retry_attempt = 0  # the number of the next try
        # Why the fetch failed, and the request that failed for good first, when one
        # did (kept in the store's fetch_problem once it settles: remember_failure).
        self.failure_detail = ""
        self.failure_file: RequestRow | None = None
        self.aborting = False
        self.connections: dict[int, int] = {}  # request index -> connections open now
        # Why this fetch cannot be paused ("" if it can); its requests never change.
        self.pause_refusal = _pause_refusal(row)

    def remember_failure(self, detail: str, request_idx: int | None) -> None:
        """Why it failed, as the store kept it from the run that failed."""
        self.failure_detail = detail
        self.failure_file = next((r for r in self.row.requests if r.idx == request_idx), None)

    # -- the spec's fields --------------------------------------------------

    @property
    def key(self) -> int:
        return self.row.key

    @property
    def id(self) -> str:
        return self.row.id

    @property
    def origin(self) -> str:
        """The web origin this fetch belongs to; ``""`` for the user's own."""
        return self.row.origin

    @property
    def title(self) -> str:
        return self.row.title

    @property
    def icons(self) -> tuple[Icon, ...]:
        return self.row.icons

    @property
    def dest(self) -> Path:
        return self.row.dest

    @property
    def download_total(self) -> int:
        return self.row.download_total

    @property
    def downloaded(self) -> int:
        # A file the user skipped counts no more (docs/contracts.md §13).
        return sum(r.bytes_done for r in self.row.requests if not r.skipped)

    @property
    def upload_total(self) -> int:
        return sum(r.upload_total for r in self.row.requests)

    @property
    def uploaded(self) -> int:
        return sum(r.uploaded for r in self.row.requests)

    @property
    def result(self) -> str:
        return self.row.result

    @property
    def failure_reason(self) -> FailureReason:
        return FailureReason(self.row.failure_reason)

    @property
    def records_available(self) -> bool:
        return True

    @property
    def active(self) -> bool:
        return self.row.result == ""

    @property
    def expected_size(self) -> int | None:
        """Sum of the sizes the servers announced, if every one did."""
        sizes = [r.size_total for r in self.row.requests if not r.skipped]
        if any(s is None for s in sizes):
            return None
        return sum(s for s in sizes if s is not None)

    def snapshot(self) -> Snapshot:
        return Snapshot(
            id=self.id,
            key=self.key,
            title=self.title,
            icons=self.icons,
            state=self.state,
            result=self.result,
            failure_reason=self.failure_reason,
            downloaded=self.downloaded,
            download_total=self.download_total,
            uploaded=self.uploaded,
            upload_total=self.upload_total,
            dest=self.dest,
            records_available=self.records_available,
            created_at=self.row.created_at,
            settled_at=self.row.settled_at,
            speed=self.speed.speed if self.state == State.DOWNLOADING else 0.0,
            expected_size=self.expected_size,
            origin=self.origin,
            connections=sum(self.connections.values()),
            files_done=sum(1 for r in self.row.requests if r.complete),
            files_total=len(self.row.requests),
            files_skipped=sum(1 for r in self.row.requests if r.skipped),
            **self._problem(),
            pausable=not self.pause_refusal,
        )

    def _problem(self) -> dict[str, Any]:
        """The Snapshot's problem fields: why it retries, waits or failed."""
        if self.state == State.RETRYING:
            return {**_detail(self.retry_detail), "retry_at": self.retry_at,
                    "attempt": self.retry_attempt,
                    "max_attempts": self._manager.settings.max_retries + 1}
        if self.state == State.QUEUED and self.wait_reason is not None:
            return {"problem": self.wait_reason.detail, "problem_code": self.wait_reason.code,
                    "problem_at": self.wait_reason.until}
        if self.row.result != "failure" or self.failure_reason == FailureReason.ABORTED:
            return {}
        if self.failure_file is not None:  # the request that failed first, this run
            return {**_detail(self.failure_detail, _bad_status(self.failure_file)),
                    "problem_file": request_name(self.failure_file)}
        # A fetch that failed before the store kept problems: its statuses tell.
        refused = next((r for r in self.row.requests
                        if not r.complete and not r.skipped and _bad_status(r) is not None),
                       None)
        if refused is None:
            return _detail(self.failure_detail)
        return {**_detail(self.failure_detail or f"HTTP {refused.status}", refused.status),
                "problem_file": request_name(refused)}

    # -- the spec's methods -------------------------------------------------

    async def abort(self) -> bool:
        """Stop the fetch; True only if it was still active."""
        return await self._manager.abort(self)

    async def match(
        self,
        request: str | FetchRequest,
        *,
        ignore_search: bool = False,
        ignore_method: bool = False,
        ignore_vary: bool = False,
    ) -> Record | None:
        found = await self.match_all(request, ignore_search=ignore_search,
                                     ignore_method=ignore_method, ignore_vary=ignore_vary)
        return found[0] if found else None

    async def match_all(
        self,
        request: str | FetchRequest | None = None,
        *,
        ignore_search: bool = False,
        ignore_method: bool = False,
        ignore_vary: bool = False,
    ) -> list[Record]:
        """Records of the requests that match (all of them without ``request``), by the
        Cache API's "request matches cached item": GET only unless ``ignore_method``,
        fragments ignored, the stored response's ``Vary`` honoured unless ``ignore_vary``."""
        records = self.records()
        if request is None:
            return records
        wanted = FetchRequest(request) if isinstance(request, str) else request
        if not ignore_method and wanted.method.upper() != "GET":
            return []
        key = _match_key(wanted.url, ignore_search)
        return [
            r for r in records
            if _match_key(r.request.url, ignore_search) == key
            and (ignore_method or r.request.method.upper() == "GET")
            and (ignore_vary or _vary_matches(wanted, r))
        ]

    def records(self) -> list[Record]:
        return [self._record(r) for r in self.row.requests]

    def _record(self, r: RequestRow) -> Record:
        if not r.complete and (r.skipped or self.failure_reason == FailureReason.ABORTED):
            # An aborted request has no response (the spec rejects its responseReady), nor
            # has a file the user skipped (docs/contracts.md §13).
            return Record(request=r.request, status=None, headers=(), path=None, size=0,
                          complete=False, index=r.idx, replaced_url=r.replaced_url,
                          skipped=r.skipped)
        return Record(
            request=r.request,
            status=r.status,
            headers=r.response_headers,
            path=(self.dest / r.filename) if r.filename else None,
            size=_size_on_disk(self.dest, r.filename, r.complete),
            complete=r.complete,
            index=r.idx,
            final_url=r.final_url,
            replaced_url=r.replaced_url,
        )

    async def update_ui(
        self, title: str | None = None, icons: Sequence[Icon] | None = None
    ) -> None:
        """Change title or icons once a fetch settles (the spec allows one call)."""
        if self.active or self.failure_reason == FailureReason.ABORTED:
            raise InvalidFetch("update_ui is for a settled fetch's success or fail handler")
        if self.ui_updates_left <= 0:
            raise InvalidFetch("update_ui may be called only once")
        self.ui_updates_left -= 1
        self._manager.update_ui(self, title, icons)


def _pause_refusal(row: RegistrationRow) -> str:
    """A pause would mean sending a request that may change something on the server
    a second time (the spec's display rule): a fetch holding one cannot be paused."""
    for request_row in row.requests:
        method = request_row.request.method.upper()
        if method not in REPEATABLE_METHODS:
            return f"fetch {row.id!r} cannot be paused: its {method} request would have " \
                "to be sent again"
    return ""


def _match_key(url: str, ignore_search: bool) -> str:
    # As the stored requests' URLs were; a URL no fetch could hold is compared as given.
    with contextlib.suppress(InvalidFetch):
        url = normalize_url(url)
    parts = urlsplit(url)
    if ignore_search:
        parts = parts._replace(query="")
    return urlunsplit(parts._replace(fragment=""))


def _vary_matches(wanted: FetchRequest, record: Record) -> bool:
    """Every header the stored response ``Vary``s on has the same value in both requests."""
    names = [n.strip().lower() for k, v in record.headers if k.lower() == "vary"
             for n in v.split(",") if n.strip()]
    if "*" in names:
        return False
    return all(_header(wanted, name) == _header(record.request, name) for name in names)


def _header(request: FetchRequest, name: str) -> str | None:
    values = [v for k, v in request.headers if k.lower() == name]
    return ", ".join(values) if values else None


def _size_on_disk(folder: Path, filename: str | None, complete: bool) -> int:
    if not filename:
        return 0
    path = folder / (filename if complete else filename + PART_SUFFIX)
    try:
        return path.stat().st_size
    except OSError:
        return 0


def request_name(row: RequestRow) -> str:
    """The name a request's file has, or will have: what people call it."""
    return row.filename or filename_from_url(row.request.url) or row.request.url


def _detail(detail: str, status: int | None = None) -> dict[str, Any]:
    """The problem fields of an error's detail: the words, their code and HTTP status."""
    code, named = classify(detail)
    status = status if status is not None else named
    return {"problem": detail, "problem_code": ProblemCode.HTTP_STATUS if status else code,
            "problem_status": status}


def _bad_status(row: RequestRow) -> int | None:
    """The HTTP status that refused ``row``, if one did."""
    return row.status if row.status is not None and row.status >= 400 else None
