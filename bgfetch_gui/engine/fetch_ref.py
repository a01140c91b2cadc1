"""Naming a fetch on the command line: ``ID``, ``ID~N``, or a unique prefix of either
(docs/contracts.md §4, "Ids").

An id is free again once its fetch settles, so several registrations may share
one; without a way to name the older ones, re-using an id would hide them.
``ID`` is the newest with that id, ``ID~1`` the one before, and so on, counted
among the fetches of one origin (the user's own first, as ``FetchManager.find``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .errors import InvalidFetch, UnknownFetch
from .registration import Registration

_GENERATION = re.compile(r"^(?P<base>.+)~(?P<n>\d+)$")
MAX_CANDIDATES = 10


class AmbiguousId(InvalidFetch):
    """A prefix names more than one id; the message lists them."""


def resolve(regs: Sequence[Registration], ref: str) -> Registration:
    """The registration ``ref`` names in ``regs`` (oldest first, as the manager lists them).

    An exact id wins over a prefix, and an id that contains ``~N`` itself wins
    over reading ``~N`` as a generation.
    """
    if not ref:
        raise InvalidFetch("empty id")
    base, generation = ref, 0
    if not _has_id(regs, ref) and (match := _GENERATION.match(ref)):
        base, generation = match["base"], int(match["n"])
    fetch_id = base if _has_id(regs, base) else _unique_prefix(regs, base, ref)
    lineage = _lineage(regs, fetch_id)
    if generation >= len(lineage):
        raise UnknownFetch(ref)
    return lineage[-1 - generation]


def ref_of(regs: Sequence[Registration], reg: Registration) -> str:
    """How ``reg`` is named: its id for the newest with that id, else ``ID~N``."""
    same = [r for r in regs if r.id == reg.id and r.origin == reg.origin]
    generation = len(same) - 1 - next(i for i, r in enumerate(same) if r is reg)
    return reg.id if generation == 0 else f"{reg.id}~{generation}"


def older_with_same_id(regs: Sequence[Registration], reg: Registration) -> int:
    """How many settled fetches of the same origin had ``reg``'s id before it."""
    return sum(1 for r in regs if r.id == reg.id and r.origin == reg.origin and r.key < reg.key)


def _has_id(regs: Sequence[Registration], fetch_id: str) -> bool:
    return any(r.id == fetch_id for r in regs)


def _unique_prefix(regs: Sequence[Registration], prefix: str, ref: str) -> str:
    ids = sorted({r.id for r in regs if r.id.startswith(prefix)})
    if not ids:
        raise UnknownFetch(ref)
    if len(ids) > 1:
        shown = ", ".join(ids[:MAX_CANDIDATES]) + (", …" if len(ids) > MAX_CANDIDATES else "")
        raise AmbiguousId(f"{prefix!r} is the start of several ids: {shown}")
    return ids[0]


def _lineage(regs: Sequence[Registration], fetch_id: str) -> list[Registration]:
    """The registrations with this id, oldest first: the user's own, else a web origin's."""
    same = [r for r in regs if r.id == fetch_id]
    own = [r for r in same if r.origin == ""]
    if own:
        return own
    newest_origin = same[-1].origin
    return [r for r in same if r.origin == newest_origin]
