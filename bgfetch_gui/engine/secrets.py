"""Secret headers of one request (the browser's cookies), kept only while its fetch lives.

The engine stores a mark in SQLite that a request has secret headers, never
the headers themselves: those live behind :class:`RequestSecrets` (the OS
keyring in the app, see ``platform.secrets``) and in memory while the fetch
runs. They go only to the origin of the request's URL (``Transfer``) and are
deleted when the fetch settles or is removed.
"""

from __future__ import annotations

from typing import Protocol

Headers = tuple[tuple[str, str], ...]


class SecretsUnavailable(Exception):
    """The secret store cannot be used; the message never contains a secret."""


class RequestSecrets(Protocol):
    """Where secret headers wait between the bridge handing them over and the fetch
    settling. Every method may block (a keyring is a D-Bus call away)."""

    def save(self, reg_key: int, idx: int, headers: Headers) -> None:
        """Keep ``headers`` of request ``idx`` of registration ``reg_key``;
        raises SecretsUnavailable."""

    def load(self, reg_key: int, idx: int) -> Headers:
        """The headers saved for that request, or ``()``."""

    def delete(self, reg_key: int, idx: int) -> None:
        """Forget them (nothing happens if there are none)."""


class MemorySecrets:
    """Secrets for the life of this process only: the engine's default where no
    keyring was given (tests, the offline CLI, which never runs a transfer)."""

    def __init__(self) -> None:
        self._kept: dict[tuple[int, int], Headers] = {}

    def save(self, reg_key: int, idx: int, headers: Headers) -> None:
        self._kept[(reg_key, idx)] = headers

    def load(self, reg_key: int, idx: int) -> Headers:
        return self._kept.get((reg_key, idx), ())

    def delete(self, reg_key: int, idx: int) -> None:
        self._kept.pop((reg_key, idx), None)
