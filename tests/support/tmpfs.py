"""A small tmpfs mounted for one test, to fill a disk for real (needs root).

CI runs the suite as root (`.ci/run`); elsewhere, run these tests as root or leave them
out with ``-m "not needs_root"``: without root they fail and say so, they never pass
quietly.
"""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

NEEDS_ROOT = ("needs root to mount a tmpfs (CI runs as root); run as root or "
              "deselect with -m 'not needs_root'")


class Tmpfs:
    def __init__(self, path: Path) -> None:
        self.path = path

    def resize(self, size: str) -> None:
        subprocess.run(["mount", "-o", f"remount,size={size}", str(self.path)], check=True)

    def fill(self) -> Path:
        """Take every free byte with a filler file; returns it (delete it to free them)."""
        filler = self.path / "filler"
        block = b"\0" * 65536
        with open(filler, "wb", buffering=0) as handle:
            while True:
                try:
                    handle.write(block)
                except OSError as exc:
                    if exc.errno != errno.ENOSPC:
                        raise
                    if len(block) == 1:
                        break
                    block = block[: len(block) // 2]
        return filler


@contextlib.contextmanager
def mounted_tmpfs(path: Path, size: str) -> Iterator[Tmpfs]:
    if os.geteuid() != 0:
        pytest.fail(NEEDS_ROOT)
    path.mkdir(parents=True, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(path)],
                   check=True)
    try:
        yield Tmpfs(path)
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
