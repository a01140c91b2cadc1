"""Credentials for an origin, as the engine sees them: looked up, never stored by it.

The engine asks only after a server answers 401, sends them only to the
origin they were saved for, and aiohttp drops them on a cross-origin
redirect. Where they live (the OS keyring) is the platform's business.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Protocol

from yarl import URL


@dataclass(frozen=True)
class Credential:
    username: str
    password: str

    def __repr__(self) -> str:  # never in a log or a traceback
        return f"Credential(username={self.username!r}, password=***)"

    def basic_authorization(self) -> str:
        """The ``Authorization`` header value of HTTP Basic (RFC 7617, UTF-8)."""
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return f"Basic {token}"


class CredentialProvider(Protocol):
    def lookup(self, origin: str) -> Credential | None:
        """The credential saved for ``origin`` (``scheme://host:port``); may block."""


class NoCredentials:
    def lookup(self, origin: str) -> Credential | None:
        return None


def origin_of(url: str) -> str:
    parsed = URL(url)
    return f"{parsed.scheme}://{parsed.host}:{parsed.port}"
