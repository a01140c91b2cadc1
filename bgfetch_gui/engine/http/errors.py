"""How a transfer (or one of its connections) ends when it does not succeed."""

from __future__ import annotations

import errno

from ..model import FailureReason


class TransferFailed(Exception):
    """This request failed for good; the fetch fails with ``reason``."""

    def __init__(self, reason: FailureReason, detail: str) -> None:
        super().__init__(detail)
        self.reason = reason


class Transient(Exception):
    """Worth another try after a backoff (or the server's ``Retry-After``)."""

    def __init__(self, reason: FailureReason, detail: str, retry_after: float | None = None):
        super().__init__(detail)
        self.reason = reason
        self.retry_after = retry_after


class Restart(Exception):
    """The partial bytes cannot be continued; start the file again from zero."""


class ForeignFile(Restart):
    """A name bgfetch would write to holds something it did not create (a link, a
    folder, a shared file): that thing is left alone and the body gets a new name."""


class Authenticate(Exception):
    """The server asked for credentials and we have some for it: ask again at once."""


class disk_errors:
    """Turns a full disk into quota-exceeded and other file errors into fetch-error."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: object) -> None:
        if isinstance(exc, OSError):
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
                raise TransferFailed(FailureReason.QUOTA_EXCEEDED, f"disk full: {exc}") from exc
            raise TransferFailed(FailureReason.FETCH_ERROR, f"cannot write: {exc}") from exc
