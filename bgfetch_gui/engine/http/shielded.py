"""Clean-up that a second cancel cannot cut short."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


async def through_cancels(work: Coroutine[Any, Any, None]) -> bool:
    """Run ``work`` to its end even if cancelled meanwhile (a network flicker).

    Returning early would leave a checkpoint behind the part file, or an old
    writer still writing while the next try opens the same file. A cancel
    that arrived meanwhile is re-raised once ``work`` is done. True if
    ``work`` ended without an error (the transfer's own exception says what
    failed otherwise).
    """
    running = asyncio.ensure_future(work)
    cancelled = False
    while not running.done():
        try:
            await asyncio.shield(running)
        except asyncio.CancelledError:
            cancelled = True
        except Exception:
            break
    ok = not running.cancelled() and running.exception() is None
    if cancelled:
        raise asyncio.CancelledError
    return ok
