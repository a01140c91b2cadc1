"""User settings of the engine, stored as JSON in the data folder."""

from __future__ import annotations

import dataclasses
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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
    connect_timeout: float = 15.0
    stall_timeout: float = 30.0
    max_retries: int = 6
    retry_base_delay: float = 1.0
    retry_max_delay: float = 120.0
    checkpoint_bytes: int = 8 * 1024 * 1024
    checkpoint_seconds: float = 1.0
    hold_on_metered: bool = False
    notifications: bool = True
    notify_progress: bool = True  # a live notification for a fetch that runs a while
    notify_done: bool = True
    notify_failed: bool = True
    start_at_login: bool = False

    @classmethod
    def load(cls, folder: Path) -> Settings:
        """Settings from ``folder``; unknown or ill-typed keys are ignored with a warning."""
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
                setattr(settings, name, float(value))
            elif isinstance(value, wanted) and (wanted is bool or not isinstance(value, bool)):
                setattr(settings, name, value)
            else:
                log.warning("ignoring setting %r: expected %s", name, wanted.__name__)
        return settings

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = folder / (SETTINGS_NAME + ".tmp")
        tmp.write_text(json.dumps(dataclasses.asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, folder / SETTINGS_NAME)
