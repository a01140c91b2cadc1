"""The goals of issue 8, each a median in one run, and how far a result is from its goal."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Goal:
    """``what`` must come out at most ``limit`` (in ``unit``); ``value`` is what was measured."""

    what: str
    value: float
    limit: float
    unit: str

    @property
    def met(self) -> bool:
        return self.value <= self.limit

    def verdict(self) -> str:
        measured = f"{self.value:.3g}{self.unit} (goal ≤ {self.limit:g}{self.unit})"
        if self.met:
            under = (1 - self.value / self.limit) * 100 if self.limit else 0.0
            return f"met: {measured}, {under:.0f} % to spare"
        return f"MISSED: {measured}, {(self.value / self.limit - 1) * 100:.0f} % over"

    def line(self) -> str:
        return f"{self.what}: {self.verdict()}"
