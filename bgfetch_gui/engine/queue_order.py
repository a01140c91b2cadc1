"""The queue order of active fetches: where ``bgfetch move`` and the window put them.

A fetch's place is its stored position, else its key (the order it was registered
in). A move hands the same set of places out again in the new order, so a fetch
registered later, whose key is larger than every place, still joins at the bottom
(docs/contracts.md §10).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from .errors import InvalidFetch

MOVES = ("top", "up", "down", "bottom")


def place(key: int, positions: Mapping[int, int]) -> int:
    return positions.get(key, key)


def moved(queue: Sequence[int], key: int, where: str) -> list[int]:
    """``queue`` (keys, first to start first) with ``key`` moved ``where``."""
    if where not in MOVES:
        raise InvalidFetch(f"move: expected one of {', '.join(MOVES)}, not {where!r}")
    order = list(queue)
    at = order.index(key)
    order.pop(at)
    target = {"top": 0, "up": max(0, at - 1), "down": min(len(order), at + 1),
              "bottom": len(order)}[where]
    order.insert(target, key)
    return order


def placed(queue: Sequence[int], keys: Sequence[int], before: int | None) -> list[int]:
    """``queue`` with ``keys`` (kept in their queue order) just before ``before``, or at
    the bottom for None: what a drag in the window does."""
    chosen = set(keys)
    if before in chosen:  # dropped onto themselves: before whatever follows them
        after = queue[queue.index(before):]
        before = next((key for key in after if key not in chosen), None)
    rest = [key for key in queue if key not in chosen]
    at = rest.index(before) if before is not None and before in rest else len(rest)
    return [*rest[:at], *(key for key in queue if key in chosen), *rest[at:]]


def reassigned(queue: Sequence[int], order: Sequence[int],
               positions: Mapping[int, int]) -> dict[int, int]:
    """The places of ``queue`` (in queue order) given out again along ``order``."""
    places = [place(key, positions) for key in queue]
    return dict(zip(order, places, strict=True))
