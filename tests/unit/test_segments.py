"""Segment planning and work stealing (plain data, no I/O)."""

from __future__ import annotations

import itertools

from bgfetch_gui.engine.http.segments import SegmentMap

MiB = 1 << 20


def covers(segments: SegmentMap, size: int) -> bool:
    """The segments tile [0, size) exactly, in order, without gaps or overlaps."""
    edges = [(s.start, s.end) for s in segments.segments]
    return edges[0][0] == 0 and edges[-1][1] == size and all(
        a[1] == b[0] for a, b in itertools.pairwise(edges)
    )


def test_plan_cuts_equal_segments_up_to_the_connection_count() -> None:
    plan = SegmentMap.plan(64 * MiB, 8, MiB)
    assert len(plan.segments) == 8
    assert {s.end - s.start for s in plan.segments} == {8 * MiB}
    assert covers(plan, 64 * MiB)


def test_plan_never_cuts_below_the_minimum_split_size() -> None:
    plan = SegmentMap.plan(3 * MiB + 5, 16, MiB)
    assert len(plan.segments) == 3
    assert min(s.end - s.start for s in plan.segments) >= MiB
    assert covers(plan, 3 * MiB + 5)
    assert len(SegmentMap.plan(MiB, 8, MiB).segments) == 1


def test_a_finished_connection_takes_an_unowned_segment_first() -> None:
    plan = SegmentMap.plan(4 * MiB, 4, MiB)
    first = plan.take_work(MiB)
    assert first is not None and first.owned
    second = plan.take_work(MiB)
    assert second is not None and second is not first and second.owned


def test_work_stealing_takes_half_of_the_largest_remaining_segment() -> None:
    plan = SegmentMap.plan(16 * MiB, 2, MiB)
    slow, fast = plan.take_work(MiB), plan.take_work(MiB)
    assert slow is not None and fast is not None
    slow.pos = slow.start + MiB  # 7 MiB left
    fast.pos = fast.end - 3 * MiB  # 3 MiB left
    stolen = plan.take_work(MiB)
    assert stolen is not None
    assert stolen.start == slow.start + MiB + (7 * MiB) // 2
    assert slow.end == stolen.start and stolen.end == 8 * MiB
    assert stolen.pos == stolen.start and stolen.owned
    assert covers(plan, 16 * MiB)
    assert plan.received == MiB + 5 * MiB


def test_no_stealing_below_twice_the_minimum_split() -> None:
    plan = SegmentMap.plan(4 * MiB, 2, MiB)
    a, b = plan.take_work(MiB), plan.take_work(MiB)
    assert a is not None and b is not None
    a.pos = a.end - MiB - 1
    b.pos = b.end
    assert plan.take_work(MiB) is None


def test_a_stream_reads_on_into_the_next_unowned_segment_only() -> None:
    plan = SegmentMap.plan(4 * MiB, 4, MiB)
    first = plan.take_work(MiB)
    assert first is not None
    assert plan.unowned_at(first.end) is not None
    assert plan.unowned_at(first.end + 1) is None
    nxt = plan.unowned_at(first.end)
    assert nxt is not None
    nxt.owned = True
    assert plan.unowned_at(first.end) is None


def test_restore_keeps_saved_positions_but_never_beyond_the_part_file() -> None:
    saved = ((0, 3 * MiB, 4 * MiB), (4 * MiB, 6 * MiB, 8 * MiB))
    restored = SegmentMap.restore(saved, on_disk=5 * MiB)
    assert [(s.start, s.pos, s.end) for s in restored.segments] == [
        (0, 3 * MiB, 4 * MiB), (4 * MiB, 5 * MiB, 8 * MiB)
    ]
    assert restored.checkpoint() == ((0, 3 * MiB, 4 * MiB), (4 * MiB, 5 * MiB, 8 * MiB))
    assert not restored.complete
