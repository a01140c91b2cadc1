"""The read size a speed limit asks for (docs/contracts.md §9)."""

from __future__ import annotations

from bgfetch_gui.engine.ratelimit import MIN_PIECE, RateLimiter

KIB = 1024


def test_no_limit_reads_whatever_is_there() -> None:
    assert RateLimiter().piece == 0
    assert RateLimiter(0, parent=RateLimiter(0)).piece == 0


def test_a_limit_reads_an_eighth_of_a_second_at_least_4_kib() -> None:
    assert RateLimiter(1024 * KIB).piece == 128 * KIB
    assert RateLimiter(256 * KIB).piece == 32 * KIB
    assert RateLimiter(10 * KIB).piece == MIN_PIECE == 4 * KIB


def test_the_tighter_of_own_and_global_limit_sets_it_and_follows_changes() -> None:
    global_limit = RateLimiter(512 * KIB)
    own = RateLimiter(0, parent=global_limit)
    assert own.piece == 64 * KIB
    own.rate = 128 * KIB
    assert own.piece == 16 * KIB
    global_limit.rate = 64 * KIB
    assert own.piece == 8 * KIB
    own.rate = global_limit.rate = 0
    assert own.piece == 0
