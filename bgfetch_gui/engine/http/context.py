"""What every transfer of the engine shares: the session, settings and limits."""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import aiohttp

from ..credentials import CredentialProvider
from ..network import NetworkMonitor
from ..ratelimit import RateLimiter
from ..settings import Settings


class HostConnections:
    """Open connections per host, so extra segment connections respect a per-host cap.

    A transfer's first connection is always allowed (the transfer limits
    already bound those); only the extra ones of a segmented file ask.
    """

    def __init__(self) -> None:
        self._open: Counter[str] = Counter()

    def take(self, host: str) -> None:
        self._open[host] += 1

    def try_take(self, host: str, limit: int) -> bool:
        if self._open[host] >= limit:
            return False
        self._open[host] += 1
        return True

    def give_back(self, host: str) -> None:
        self._open[host] -= 1
        if self._open[host] <= 0:
            del self._open[host]

    def count(self, host: str) -> int:
        return self._open[host]


@dataclass
class TransferContext:
    session: aiohttp.ClientSession
    settings: Settings
    monitor: NetworkMonitor
    limiter: RateLimiter
    credentials: CredentialProvider
    # Every file operation runs here, off the event loop: a few threads shared by
    # all transfers, so a bundle of small files pays no thread start per file.
    disk: ThreadPoolExecutor
    hosts: HostConnections = field(default_factory=HostConnections)
