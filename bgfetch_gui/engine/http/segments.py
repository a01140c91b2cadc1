"""Which bytes of a file each connection fetches: plain data, no I/O.

A file is cut into segments ``[start, end)``. ``pos`` is where the next
received byte goes, ``saved`` how far the bytes are known to be in the part
file (what a checkpoint stores). A connection owns at most one segment at a
time; when it runs out of work it takes a segment nobody owns, else half of
the largest remaining one (work stealing), so a slow connection never holds
up the end of a file.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass

SavedSegment = tuple[int, int, int]  # (start, saved, end), as stored


@dataclass(eq=False)
class Segment:
    start: int
    end: int
    pos: int
    saved: int
    owned: bool = False

    @property
    def remaining(self) -> int:
        return self.end - self.pos

    @property
    def done(self) -> bool:
        return self.pos >= self.end


class SegmentMap:
    def __init__(self, segments: Iterable[Segment]) -> None:
        self.segments = sorted(segments, key=lambda s: s.start)

    @classmethod
    def plan(cls, size: int, connections: int, min_split: int) -> SegmentMap:
        """Equal segments, as many as ``connections`` allows, none under ``min_split``."""
        count = max(1, min(connections, size // max(1, min_split)))
        bounds = [size * i // count for i in range(count + 1)]
        return cls(Segment(a, b, a, a) for a, b in itertools.pairwise(bounds))

    @classmethod
    def restore(cls, saved: Iterable[SavedSegment], on_disk: int) -> SegmentMap:
        """The map of a checkpoint; bytes beyond the part file's end were never written."""
        segments = []
        for start, done, end in saved:
            kept = max(start, min(done, on_disk))
            segments.append(Segment(start, end, kept, kept))
        return cls(segments)

    def checkpoint(self) -> tuple[SavedSegment, ...]:
        return tuple((s.start, s.saved, s.end) for s in self.segments)

    @property
    def received(self) -> int:
        return sum(s.pos - s.start for s in self.segments)

    @property
    def complete(self) -> bool:
        return all(s.done for s in self.segments)

    def unowned_at(self, pos: int) -> Segment | None:
        """The unfinished, unowned segment that starts where a stream stands, if any."""
        for segment in self.segments:
            if segment.start == pos and not segment.owned and not segment.done:
                return segment
        return None

    def take_work(self, min_split: int) -> Segment | None:
        """A segment for a connection with nothing to do, now owned by it; None if no work.

        An unowned segment first; else the largest owned one, if at least twice
        ``min_split`` remains, is cut in half and its second half is taken.
        """
        free = [s for s in self.segments if not s.owned and not s.done]
        if free:
            chosen = max(free, key=lambda s: s.remaining)
            chosen.owned = True
            return chosen
        busy = [s for s in self.segments if s.owned and not s.done]
        if not busy:
            return None
        victim = max(busy, key=lambda s: s.remaining)
        if victim.remaining < 2 * max(1, min_split):
            return None
        middle = victim.pos + victim.remaining // 2
        stolen = Segment(middle, victim.end, middle, middle, owned=True)
        victim.end = middle
        self.segments.insert(self.segments.index(victim) + 1, stolen)
        return stolen
