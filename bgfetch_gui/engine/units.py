"""Byte counts for people: parsing ``60M`` and printing ``60.0 MiB`` (powers of 1024 both ways)."""

from __future__ import annotations

import re
from fractions import Fraction

_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$", re.IGNORECASE)
_POWERS = {"": 0, "K": 1, "M": 2, "G": 3, "T": 4}


def parse_size(text: str) -> int:
    """``123``, ``60M``, ``1.5G`` (powers of 1024) to bytes; ValueError otherwise."""
    match = _SIZE.match(text)
    if not match:
        raise ValueError(f"not a size: {text!r} (use e.g. 123, 60M, 1.5G)")
    number, unit = match.groups()
    if not unit and "." in number:
        raise ValueError(f"not a whole number of bytes: {text!r}")
    # Exact arithmetic: floats turn a long number into infinity or round it.
    value = int(Fraction(number) * 1024 ** _POWERS[unit.upper()])
    if value > 2**63 - 1:
        raise ValueError(f"too large: {text[:40]!r}")
    return value


def human_size(n: float) -> str:
    """``512 B``, ``2.1 MiB``, ``27.0 MiB``, ``625 KiB``: binary units with binary names,
    three significant digits, everywhere (window, tray, notifications and CLI say the
    same number the same way; input sizes such as ``60M`` are binary too)."""
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(n) < 1024 or unit == "TiB":
            if unit == "B":
                return f"{n:.0f} B"
            return f"{n:.1f} {unit}" if abs(n) < 100 else f"{n:.0f} {unit}"
        n /= 1024
    raise AssertionError("unreachable")


def human_duration(seconds: float) -> str:
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds}s"
    if seconds < 3600:
        return f"{seconds // 60}m{seconds % 60:02d}s"
    return f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
