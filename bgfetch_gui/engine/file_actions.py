"""What the user may do to one file of a fetch: give it a new URL, retry it, skip it.

docs/contracts.md §13. A file here is one request of a fetch, numbered from 1 as
``bgfetch show`` lists them. Each action changes the file's marks (kept in the
store's ``request_marks``), then lets the manager run the fetch again with its
files as they are now; the manager's runner leaves alone the files that are
complete, skipped or failed (see :func:`runs`).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from collections.abc import Callable
from typing import TYPE_CHECKING

from multidict import CIMultiDict

from .credentials import origin_of
from .errors import InvalidFetch
from .http.errors import TransferFailed
from .http.exchange import hop_headers
from .model import FailureReason, FetchRequest
from .naming import PART_SUFFIX
from .store import RequestRow
from .validation import REPEATABLE_METHODS, check_url, normalize_url

if TYPE_CHECKING:
    from .manager import FetchManager
    from .registration import Registration


def runs(row: RequestRow) -> bool:
    """Whether the fetch's runner downloads this file: not complete, skipped or failed."""
    return not (row.complete or row.skipped or row.failed)


def sent_request(row: RequestRow) -> FetchRequest:
    """The request as it goes out now. A URL the user replaced is a hop they made, like a
    redirect: what belonged to the old URL's origin (credentials, a browser's cookies)
    stays there, and the ``Referer`` is worked out again for the new target."""
    request = row.request
    if row.replaced_url is None:
        return request
    headers = CIMultiDict(request.headers)
    if origin_of(row.replaced_url) != origin_of(request.url):
        headers = hop_headers(headers, request.url, row.replaced_url)
    return dataclasses.replace(request, url=row.replaced_url, headers=tuple(headers.items()))


def failed_for_good(row: RequestRow, failure: TransferFailed) -> None:
    """Mark a file that failed for good: the fetch's later runs leave it alone."""
    row.failed = str(failure.reason)


def earlier_failure(reg: Registration) -> tuple[RequestRow, TransferFailed] | None:
    """The first file of ``reg`` still failed from an earlier run, and its failure."""
    for row in reg.row.requests:
        if row.failed and not row.skipped and not row.complete:
            # A refused file names its status; otherwise the words come from the reason
            # (bgfetch_gui/presentation), in the user's language.
            detail = f"HTTP {row.status}" if row.status is not None and row.status >= 400 \
                else ""
            return row, TransferFailed(FailureReason(row.failed), detail)
    return None


def clear_failures(manager: FetchManager, reg: Registration) -> None:
    """Every failed file runs again (a retry of the whole fetch)."""
    for row in reg.row.requests:
        if row.failed:
            row.failed = ""
            manager.store.save_marks(reg.key, row)


def file_row(reg: Registration, number: int) -> RequestRow:
    """File ``number`` (from 1, as ``bgfetch show`` lists them) of ``reg``."""
    count = len(reg.row.requests)
    if not 1 <= number <= count:
        raise InvalidFetch(f"file {number}: fetch {reg.id!r} has files 1 to {count}")
    return reg.row.requests[number - 1]


def _check_changeable(reg: Registration, row: RequestRow, number: int) -> None:
    """What every action refuses: a cancelled fetch, a finished or skipped file."""
    if reg.failure_reason == FailureReason.ABORTED:
        raise InvalidFetch(f"fetch {reg.id!r} was cancelled")
    if row.complete:
        raise InvalidFetch(f"file {number} of fetch {reg.id!r} is complete")
    if row.skipped:
        raise InvalidFetch(f"file {number} of fetch {reg.id!r} was skipped")


def _check_repeatable(reg: Registration, row: RequestRow, number: int) -> None:
    method = row.request.method.upper()
    if method not in REPEATABLE_METHODS:
        raise InvalidFetch(f"file {number} of fetch {reg.id!r} is a {method} request; "
                           "bgfetch does not send it twice")


def _is_stopped(manager: FetchManager, reg: Registration, row: RequestRow) -> bool:
    """Whether nothing is downloading this file now: it failed, or its fetch does not run."""
    return bool(row.failed) or reg.result == "failure" or not manager.is_running(reg)


Check = Callable[["FetchManager", "Registration", int], RequestRow]


def refusal(check: Check, manager: FetchManager, reg: Registration, number: int) -> str:
    """Why ``check`` refuses its action on file ``number`` now; "" when it allows it."""
    try:
        check(manager, reg, number)
    except InvalidFetch as exc:
        return str(exc)
    return ""


def check_replace(manager: FetchManager, reg: Registration, number: int) -> RequestRow:
    """File ``number``, if it may get a new URL: it failed, or its fetch does not run."""
    row = file_row(reg, number)
    _check_changeable(reg, row, number)
    _check_repeatable(reg, row, number)
    if not _is_stopped(manager, reg, row):
        raise InvalidFetch(f"file {number} of fetch {reg.id!r} is downloading; "
                           "pause the fetch first")
    return row


def check_retry(manager: FetchManager, reg: Registration, number: int) -> RequestRow:
    """File ``number``, if it may be retried alone: it failed, or its fetch's failure
    stopped it."""
    row = file_row(reg, number)
    _check_changeable(reg, row, number)
    _check_repeatable(reg, row, number)
    if not row.failed and reg.result != "failure":
        raise InvalidFetch(f"file {number} of fetch {reg.id!r} has not failed")
    return row


def check_skip(manager: FetchManager, reg: Registration, number: int) -> RequestRow:
    """File ``number``, if it may be left out: not once the fetch succeeded, nor the last
    file left."""
    row = file_row(reg, number)
    if reg.result == "success":
        raise InvalidFetch(f"fetch {reg.id!r} has already succeeded")
    _check_changeable(reg, row, number)
    if all(other.skipped for other in reg.row.requests if other is not row):
        raise InvalidFetch(f"file {number} is the last file of fetch {reg.id!r} left; "
                           "cancel the fetch instead")
    return row


async def replace_url(manager: FetchManager, reg: Registration, number: int, url: str) -> None:
    """Fetch file ``number`` from ``url`` from now on. It continues from its checkpoint if
    the new URL serves the same version (its strong validator, sent as ``If-Range``), else
    starts again from zero."""
    file_row(reg, number)
    check_url(url)
    url = normalize_url(url)
    row = check_replace(manager, reg, number)
    row.replaced_url = None if url == row.request.url else url
    row.failed = ""
    manager.store.save_marks(reg.key, row)
    # The old URL's answer (a 403, say) no longer tells this file's story.
    row.status = None
    manager.update_record(reg.key, row.idx, status=None)
    await manager.restart(reg)


async def retry_file(manager: FetchManager, reg: Registration, number: int) -> None:
    """Download file ``number`` again, from its checkpoint; the other files are left as
    they are."""
    row = check_retry(manager, reg, number)
    row.failed = ""
    manager.store.save_marks(reg.key, row)
    await manager.restart(reg)


async def skip(manager: FetchManager, reg: Registration, number: int) -> None:
    """Leave file ``number`` out: its part file goes, its record has no response, and the
    fetch settles without it (a success once every other file is complete)."""
    row = check_skip(manager, reg, number)
    row.skipped = True
    manager.store.save_marks(reg.key, row)
    await manager.restart(reg)  # a transfer of this file stops, checkpointed
    row.bytes_done, row.segments = 0, ()
    manager.update_record(reg.key, row.idx, bytes_done=0, segments=[])
    if row.filename is not None:
        part = reg.dest / (row.filename + PART_SUFFIX)
        with contextlib.suppress(OSError):
            await asyncio.to_thread(part.unlink)
