"""When fetches may run: the global schedule window and "start at" of one fetch.

Times are wall-clock (the user's local time), read through a Clock so tests can move
time on without waiting; docs/contracts.md §10.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DAY_NAMES = tuple(day.capitalize() for day in DAYS)
_WINDOW = re.compile(r"^(\d\d):(\d\d)-(\d\d):(\d\d)(?:\s+(\S+))?$")
_TIME = re.compile(r"^(\d\d?):(\d\d)$")
LONGEST_NAP = 60.0  # the wall clock is read again at least this often (suspend, clock changes)


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the epoch."""

    async def sleep_until(self, when: float) -> None:
        """Return once ``now() >= when``."""


class WallClock:
    def now(self) -> float:
        return time.time()

    async def sleep_until(self, when: float) -> None:
        while (left := when - time.time()) > 0:
            await asyncio.sleep(min(left, LONGEST_NAP))


@dataclass(frozen=True)
class ScheduleWindow:
    """Fetches run only from ``start`` to ``end`` (minutes after midnight) on ``days``
    (0 Monday); a window past midnight belongs to the day it opens on."""

    start: int
    end: int
    days: frozenset[int]
    text: str

    def _spans(self, now: float) -> list[tuple[float, float]]:
        """The windows that touch the week around ``now``, as (open, close) times."""
        today = datetime.fromtimestamp(now).replace(hour=0, minute=0, second=0, microsecond=0)
        length = (self.end - self.start) % 1440 or 1440
        spans = []
        for offset in range(-1, 9):
            day = today + timedelta(days=offset)
            if day.weekday() in self.days:
                opens = day + timedelta(minutes=self.start)
                spans.append((opens.timestamp(), (opens + timedelta(minutes=length)).timestamp()))
        return spans

    def is_open(self, now: float) -> bool:
        return any(opens <= now < closes for opens, closes in self._spans(now))

    def next_change(self, now: float) -> float:
        """The next time the window opens or closes."""
        return min(t for span in self._spans(now) for t in span if t > now)

    def next_open(self, now: float) -> float:
        return min(opens for opens, _ in self._spans(now) if opens > now)


def parse_window(text: str) -> ScheduleWindow | None:
    """``"01:00-07:00"`` or ``"01:00-07:00 mon-fri"`` (also ``sat,sun``, ``mon,wed-fri``);
    ``""``: no window. ValueError says what is wrong."""
    if not text.strip():
        return None
    match = _WINDOW.match(text.strip())
    if match is None:
        raise ValueError(f"expected HH:MM-HH:MM and optional days such as mon-fri, not {text!r}")
    h1, m1, h2, m2, days = match.groups()
    minutes = []
    for hour, minute in ((h1, m1), (h2, m2)):
        if int(hour) > 23 or int(minute) > 59:
            raise ValueError(f"{hour}:{minute} is not a time of day")
        minutes.append(int(hour) * 60 + int(minute))
    if minutes[0] == minutes[1]:
        raise ValueError("the window opens and closes at the same time")
    return ScheduleWindow(minutes[0], minutes[1], _days(days) if days else frozenset(range(7)),
                          text.strip())


def _days(text: str) -> frozenset[int]:
    chosen: set[int] = set()
    for part in text.lower().split(","):
        first, _, last = part.partition("-")
        if first not in DAYS or (last and last not in DAYS):
            raise ValueError(f"days: expected names such as mon-fri or sat,sun, not {text!r}")
        a, b = DAYS.index(first), DAYS.index(last or first)
        chosen.update(range(a, b + 1) if a <= b else [*range(a, 7), *range(b + 1)])
    return frozenset(chosen)


def window_problem(value: object) -> str | None:
    """Why ``value`` is not a valid ``schedule`` setting, or None."""
    try:
        parse_window(str(value))
    except ValueError as exc:
        return str(exc)
    return None


def parse_start_at(text: str, now: float) -> float:
    """``HH:MM`` (its next occurrence) or an ISO 8601 date and time (local time unless it
    names a zone) as seconds since the epoch; ValueError says what is wrong."""
    match = _TIME.match(text.strip())
    if match is not None:
        hour, minute = int(match[1]), int(match[2])
        if hour > 23 or minute > 59:
            raise ValueError(f"{text!r} is not a time of day")
        at = datetime.fromtimestamp(now).replace(hour=hour, minute=minute, second=0,
                                                 microsecond=0)
        if at.timestamp() <= now:
            at += timedelta(days=1)
        return at.timestamp()
    try:
        return datetime.fromisoformat(text.strip()).timestamp()
    except ValueError:
        raise ValueError(f"expected HH:MM or a date and time such as 2026-12-24T01:30, "
                         f"not {text!r}") from None


def start_at_text(when: float, now: float) -> str:
    """``when`` as ``parse_start_at`` takes it back: ``HH:MM`` within the next day, else
    the ISO date and time."""
    at = datetime.fromtimestamp(when)
    return at.strftime("%H:%M" if now < when <= now + 86400 else "%Y-%m-%dT%H:%M")


def when_text(when: float, now: float, day_names: Sequence[str] = DAY_NAMES) -> str:
    """``03:00`` today, else ``Wed 03:00`` within a week (``day_names`` from Monday),
    else ``2026-12-24 03:00``."""
    at, today = datetime.fromtimestamp(when), datetime.fromtimestamp(now)
    if at.date() == today.date():
        return at.strftime("%H:%M")
    if at.date() < (today + timedelta(days=7)).date():
        return f"{day_names[at.weekday()]} {at.strftime('%H:%M')}"
    return at.strftime("%Y-%m-%d %H:%M")
