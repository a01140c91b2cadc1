"""User settings of the engine, stored as JSON in the data folder."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .schedule import window_problem
from .type_folders import DEFAULT_TYPE_FOLDERS, rules_problem

log = logging.getLogger("bgfetch.settings")

SETTINGS_NAME = "settings.json"


@dataclass
class Settings:
    download_dir: str = ""  # empty: the platform's Downloads folder
    max_active_fetches: int = 3
    max_transfers_per_fetch: int = 4
    max_transfers: int = 8
    connections_per_file: int = 8  # a big file from a server that answers ranges; at most 16
    connections_per_host: int = 16
    min_split_size: int = 1024 * 1024  # no segment smaller than this
    # False: files up to 256 KiB are synced together when their fetch ends (one
    # syncfs), not one fsync each; bigger files are always synced before rename.
    sync_each_file: bool = False
    speed_limit: int = 0  # bytes/s over all transfers; 0 is unlimited
    # The alternative ("turtle") limit replaces speed_limit while on; its schedule turns
    # it on and off at the window's edges (docs/contracts.md §9).
    alt_speed_limit: int = 0
    alt_speed_on: bool = False
    alt_speed_schedule: str = ""
    schedule: str = ""  # "01:00-07:00 mon-fri": fetches run only then; "" always (§10)
    proxy: str = "system"  # "system", "none" or a proxy URL (docs/contracts.md §8)
    connect_timeout: float = 15.0
    stall_timeout: float = 30.0
    max_retries: int = 6
    # A file restarted from zero more often than this fails: the server will not
    # give the same bytes twice (docs/contracts.md §3).
    max_restarts: int = 3
    # A reply slower than this (bytes/s) over a whole window is cut and retried
    # from the checkpoint, like a stall; 0 turns the rule off.
    lowest_speed: int = 512
    lowest_speed_window: float = 60.0
    retry_base_delay: float = 1.0
    retry_max_delay: float = 120.0
    checkpoint_bytes: int = 2 * 1024 * 1024  # a kill refetches at most this much (or 1 s)
    checkpoint_seconds: float = 1.0
    hold_on_metered: bool = False
    notifications: bool = True
    notify_progress: bool = True  # a live notification for a fetch that runs a while
    notify_done: bool = True
    notify_failed: bool = True
    start_at_login: bool = False
    quit_when_done: bool = False  # the app and the daemon quit once the queue empties (§10)
    # Offer to download http(s) links copied to the clipboard; never without a click.
    watch_clipboard: bool = False
    clipboard_types: str = ""  # "zip iso mp4": only links to such files; "": any link
    # Downloads/Music, Downloads/Video…: folder name -> extensions and MIME types (§14).
    folders_by_type: bool = False
    type_folders: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_TYPE_FOLDERS))

    @classmethod
    def load(cls, folder: Path) -> Settings:
        """Settings from ``folder``; unknown, ill-typed or out-of-range keys are ignored
        with a warning that names the key (their default is used)."""
        path = folder / SETTINGS_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            log.warning("ignoring unreadable settings %s: %s", path, exc)
            return cls()
        return cls.from_dict(data if isinstance(data, dict) else {})

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        settings = cls()
        types = {f.name: type(getattr(settings, f.name)) for f in dataclasses.fields(cls)}
        for name, value in data.items():
            wanted = types.get(name)
            if wanted is None:
                log.warning("ignoring unknown setting %r", name)
            elif wanted is float and isinstance(value, int | float) and not isinstance(value, bool):
                settings._set_checked(name, float(value))
            elif isinstance(value, wanted) and (wanted is bool or not isinstance(value, bool)):
                settings._set_checked(name, value)
            else:
                log.warning("ignoring setting %r: expected %s", name, wanted.__name__)
        return settings

    def _set_checked(self, name: str, value: object) -> None:
        problem = setting_problem(name, value)
        if problem is None:
            setattr(self, name, value)
        else:
            log.warning("ignoring setting %r: %s; using %r", name, problem, getattr(self, name))

    def problems(self) -> list[str]:
        """What is wrong with these values, one line per key (empty when all make sense)."""
        found = []
        for f in dataclasses.fields(self):
            problem = setting_problem(f.name, getattr(self, f.name))
            if problem is not None:
                found.append(f"{f.name}: {problem}")
        return found

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (SETTINGS_NAME + ".tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, folder / SETTINGS_NAME)


# The values each number may take, inclusive (None: no upper bound). A value
# outside would make fetches wait for ever (0 parallel fetches), spin (a zero
# timeout) or make no sense (negative sizes).
_RANGES: dict[str, tuple[float, float | None]] = {
    "max_active_fetches": (1, None),
    "max_transfers_per_fetch": (1, None),
    "max_transfers": (1, None),
    "connections_per_file": (1, 16),
    "connections_per_host": (1, None),
    "min_split_size": (1, None),
    "speed_limit": (0, None),
    "alt_speed_limit": (0, None),
    "connect_timeout": (0.01, None),
    "stall_timeout": (0.01, None),
    "max_retries": (0, None),
    "max_restarts": (0, None),
    "retry_base_delay": (0, None),
    "retry_max_delay": (0, None),
    "lowest_speed": (0, None),
    "lowest_speed_window": (0.01, None),
    "checkpoint_bytes": (1, None),
    "checkpoint_seconds": (0.001, None),
}


def setting_problem(name: str, value: object) -> str | None:
    """Why ``value`` is not a valid value of setting ``name``, or None if it is."""
    if name in ("schedule", "alt_speed_schedule"):
        return window_problem(value)
    if name == "type_folders":
        return rules_problem(value)
    limits = _RANGES.get(name)
    if limits is None or isinstance(value, bool) or not isinstance(value, int | float):
        return None
    low, high = limits
    if not math.isfinite(value):
        return f"must be a finite number, not {value!r}"
    if value < low:
        return f"must be at least {low:g}, not {value!r}"
    if high is not None and value > high:
        return f"must be at most {high:g}, not {value!r}"
    return None
