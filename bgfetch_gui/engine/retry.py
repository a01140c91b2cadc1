"""When to try again: exponential backoff with jitter, and ``Retry-After``."""

from __future__ import annotations

import random
import time
from email.utils import parsedate_to_datetime

# Statuses that say "not now" rather than "never" (RFC 9110 §15.5.9, §15.6).
TRANSIENT_STATUSES = frozenset({408, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 524})
MAX_RETRY_AFTER = 600.0


def is_transient_status(status: int) -> bool:
    return status in TRANSIENT_STATUSES or status >= 500


def backoff_delay(failures: int, base: float, cap: float) -> float:
    """Delay before retry number ``failures`` (1-based): "equal jitter" backoff.

    Half the exponential delay is kept, half is random, so many clients that
    failed together do not come back together.
    """
    delay: float = min(cap, base * 2.0 ** max(0, failures - 1))
    return delay / 2 + random.uniform(0, delay / 2)


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta-seconds or HTTP-date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return min(float(value), MAX_RETRY_AFTER)
    try:
        when = parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None
    return min(max(0.0, when - (time.time() if now is None else now)), MAX_RETRY_AFTER)
