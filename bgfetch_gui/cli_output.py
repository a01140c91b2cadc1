"""What the CLI prints while it waits and when a fetch settles."""

from __future__ import annotations

import json
import sys
from typing import Any

from .engine.units import human_duration, human_size

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130


class ProgressLine:
    """A live one-line status on a terminal: bytes, percent, speed, ETA."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.width = 0
        self.first = True

    def update(self, p: dict[str, Any]) -> None:
        self.first = False
        if not self.enabled:
            return
        done = p["downloaded"]
        total = p.get("download_total") or p.get("expected_size") or 0
        speed = p.get("speed") or 0.0
        parts = [p["state"], human_size(done) + (f" / {human_size(total)}" if total else "")]
        if total:
            parts.append(f"{min(100.0, 100 * done / total):.0f}%")
        if p["state"] == "downloading" and speed:
            parts.append(f"{human_size(speed)}/s")
            if total > done:
                parts.append(f"ETA {human_duration((total - done) / speed)}")
        text = f"{p['title'] or p['id']}: " + "  ".join(parts)
        sys.stderr.write("\r" + text.ljust(self.width))
        sys.stderr.flush()
        self.width = len(text)

    def finish(self) -> None:
        if self.enabled and self.width:
            sys.stderr.write("\n")
            sys.stderr.flush()
            self.width = 0


def paused_note(p: dict[str, Any]) -> None:
    """Waiting on a paused fetch would look like a hang: say why and what to do."""
    if p["state"] == "paused":
        print(f"bgfetch: {p['id']} is paused; waiting until it is resumed "
              f"(bgfetch resume {p['id']})", file=sys.stderr, flush=True)


def settled_exit(registration: dict[str, Any], as_json: bool) -> int:
    """Print what a settled fetch calls for and give its exit code."""
    if as_json:
        print(json.dumps(registration), flush=True)
    if registration["result"] == "success":
        return EXIT_OK
    print(f"failure: {registration['failure_reason']}", file=sys.stderr)
    return EXIT_FAILED
