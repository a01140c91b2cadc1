"""Hostile folder (issue 10, chaos 3): links, folders, FIFOs, read-only and hard-linked
files planted at every name bgfetch may use (the part file, the final name, the bundle
folder itself), before the fetch and between a stop and the resume. Nothing outside the
bundle folder is written, nothing planted is touched, and every fetch settles."""

from __future__ import annotations

import asyncio
import hashlib
import os
import stat
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bgfetch_gui.engine.errors import InvalidFetch
from bgfetch_gui.engine.model import FetchOptions
from tests.integration.engine_fixtures import start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256

SIZE = 400_000
KINDS = ("link to a file outside", "dangling link", "link to a folder outside", "folder",
         "read-only file", "fifo", "hard link to a file outside")
NAMES = ("part file", "final name", "bundle folder")
CASES = [(name, kind, when) for when in ("before", "between") for name in NAMES
         for kind in KINDS]


def plant(kind: str, path: Path, outside: Path) -> None:
    if kind == "link to a file outside":
        path.symlink_to(outside / "victim.txt")
    elif kind == "dangling link":
        path.symlink_to(outside / "nothing")
    elif kind == "link to a folder outside":
        path.symlink_to(outside / "dir")
    elif kind == "folder":
        path.mkdir()
    elif kind == "read-only file":
        path.write_bytes(b"the user's own file")
        path.chmod(0o444)
    elif kind == "fifo":
        os.mkfifo(path)
    else:
        os.link(outside / "victim.txt", path)


def snapshot(root: Path) -> dict[str, tuple[int, str]]:
    """Every entry under ``root``: its type bits and (for files) its content digest."""
    found = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            info = os.lstat(path)
            data = path.read_bytes() if stat.S_ISREG(info.st_mode) else b""
            found[str(path.relative_to(root))] = (stat.S_IFMT(info.st_mode),
                                                  hashlib.sha256(data).hexdigest())
    return found


@pytest.mark.parametrize(("name", "kind", "when"), CASES)
async def test_hostile_folder(fault_server: FaultServer, tmp_path: Path, name: str, kind: str,
                              when: str, figures: Callable[[str], None]) -> None:
    outside = tmp_path / "outside"
    (outside / "dir").mkdir(parents=True)
    (outside / "victim.txt").write_bytes(b"precious" * 1000)
    before = snapshot(outside)
    root = tmp_path / "home" / "Downloads"  # the engine's download folder
    root.mkdir(parents=True)
    bundle = root / "bundle"
    target = {"part file": bundle / "f.bin.part", "final name": bundle / "f.bin",
              "bundle folder": bundle}[name]
    if name != "bundle folder":
        bundle.mkdir()
    if when == "before":
        plant(kind, target, outside)
    planted = os.lstat(target) if when == "before" else None
    url = fault_server.url("f.bin", size=SIZE, hold="h", hold_after=150_000)
    engine = await start_engine(tmp_path / "home")
    started = time.monotonic()
    try:
        try:
            # The bundle folder bgfetch names itself (a --dest is the user's own choice,
            # links included); the other names in a folder made beforehand.
            if name == "bundle folder":
                # Two files: a fetch of one lands in Downloads itself (docs/contracts.md §3).
                reg = await engine.manager.fetch(
                    "hostile", [url, fault_server.url("g.bin", size=1000)],
                    FetchOptions(title="bundle"))
            else:
                reg = await engine.manager.fetch("hostile", [url], dest=bundle)
        except InvalidFetch:
            pytest.fail("a planted name made the fetch be refused, not renamed")
        if when == "between":
            async with asyncio.timeout(20):
                while reg.downloaded < 150_000:
                    await asyncio.sleep(0.01)
            await stop_engine(engine)
            if name == "bundle folder":
                bundle.rename(root / "moved-away")
            elif target.exists():
                target.unlink()
            plant(kind, target, outside)
            planted = os.lstat(target)
            engine = await start_engine(tmp_path / "home")
            reg = engine.manager.get("hostile")  # type: ignore[assignment]
            assert reg is not None
        fault_server.release("h")
        await engine.settled(reg, timeout=30)
        figures(f"{name} / {kind} / {when}: {reg.result} {reg.failure_reason or ''} "
              f"in {time.monotonic() - started:.1f} s")
        if reg.result == "success":
            [record] = [r for r in await reg.match_all() if r.request.url == url]
            assert record.path is not None and not record.path.is_symlink()
            folder = record.path.parent
            assert folder.parent == root and folder.is_dir() and not folder.is_symlink()
            assert hashlib.sha256(record.path.read_bytes()).hexdigest() == content_sha256(SIZE)
        else:
            # Only a bundle folder swapped for something else may stop the fetch.
            assert name == "bundle folder", (reg.failure_reason, kind)
    finally:
        await stop_engine(engine)
    assert snapshot(outside) == before
    assert planted is not None
    now = os.lstat(target)
    assert (stat.S_IFMT(now.st_mode), now.st_ino) == (stat.S_IFMT(planted.st_mode),
                                                       planted.st_ino)
