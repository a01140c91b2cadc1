"""Dragging rows of the fetch list to reorder the queue (docs/contracts.md §10).

A drag carries the registration keys of the rows; a drop above a row puts the dragged
fetches, in their own queue order, just before the first active fetch from that row
down (the same engine path as ``bgfetch move``: FetchManager.move_before). Settled
fetches have no place in the queue, so they neither move nor take a drop.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bgfetch_gui.qt import QByteArray, QMimeData

MIME_TYPE = "application/x-bgfetch-queue-keys"


def keys_mime(keys: Iterable[int]) -> QMimeData:
    data = QMimeData()
    data.setData(MIME_TYPE, QByteArray(" ".join(map(str, dict.fromkeys(keys))).encode()))
    return data


def dropped_keys(data: QMimeData) -> list[int]:
    """The keys a drag of ours carries; none for anything else (a file, a URL)."""
    if not data.hasFormat(MIME_TYPE):
        return []
    try:
        return [int(word) for word in bytes(data.data(MIME_TYPE).data()).decode().split()]
    except ValueError:
        return []


def drop_before(rows_below: Sequence[int], dragged: Sequence[int],
                active: set[int]) -> int | None:
    """The fetch the dragged ones go before: the first active, undragged key of the rows
    from the drop point down (None: the bottom of the queue)."""
    chosen = set(dragged)
    return next((key for key in rows_below if key in active and key not in chosen), None)
