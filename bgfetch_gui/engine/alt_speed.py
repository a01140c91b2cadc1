"""The alternative speed limit ("turtle mode" in Transmission), docs/contracts.md §9.

``alt_speed_limit`` replaces the global ``speed_limit`` while ``alt_speed_on``. The
tray's toggle (or Settings) turns it on and off; with ``alt_speed_schedule`` (the
schedule window's syntax, §10) it also turns on when the window opens and off when it
closes, and a toggle in between holds until the next opening or closing.
"""

from __future__ import annotations

from .schedule import parse_window
from .settings import Settings


def global_rate(settings: Settings) -> int:
    """The rate of the global bucket: the alternative limit while it is on, else the usual."""
    if settings.alt_speed_on and settings.alt_speed_limit > 0:
        return settings.alt_speed_limit
    return settings.speed_limit


class AltSpeedSchedule:
    """Notices when the window of ``alt_speed_schedule`` opens or closes."""

    def __init__(self) -> None:
        self._open: bool | None = None  # what the window was at the last look

    def turn(self, schedule: str, now: float) -> bool | None:
        """True when the window opened since the last look, False when it closed (the
        first look counts as a change), None otherwise or without a schedule."""
        window = parse_window(schedule)  # checked when the settings loaded
        is_open = None if window is None else window.is_open(now)
        if is_open == self._open:
            return None
        self._open = is_open
        return is_open

    @staticmethod
    def next_change(schedule: str, now: float) -> float | None:
        window = parse_window(schedule)
        return None if window is None else window.next_change(now)
