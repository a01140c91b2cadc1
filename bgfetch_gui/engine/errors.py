"""Typed exceptions of the engine."""

from __future__ import annotations


class BgfetchError(Exception):
    """Base of every error the engine raises on purpose."""


class InvalidFetch(BgfetchError, ValueError):
    """A fetch was refused before anything was stored; the message names the problem."""


class QuotaExceeded(InvalidFetch):
    """The spec's ``QuotaExceededError``: the fetch cannot fit where its files go."""

    def __init__(self, message: str, needed: int, free: int) -> None:
        super().__init__(message)
        self.needed = needed
        self.free = free


class UnknownFetch(BgfetchError, KeyError):
    """No registration has this id."""

    def __str__(self) -> str:
        return f"no fetch with id {self.args[0]!r}"


class StoreError(BgfetchError):
    """The database could not be opened or written."""


class EngineBusy(BgfetchError):
    """Another engine already owns this data folder."""
