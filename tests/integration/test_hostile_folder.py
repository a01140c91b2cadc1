"""Hostile bundle folders (issue 10, docs/contracts.md §4): bgfetch writes only to regular
files it created, never through a link; whatever else holds a name is left alone and
the body takes another name. Every case must also settle: none may hang."""

from __future__ import annotations

import asyncio
import hashlib
import os
from pathlib import Path

import pytest

from bgfetch_gui.engine.registration import Registration
from tests.integration.engine_fixtures import Engine, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content_sha256

SIZE = 600_000


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def only_path(reg: Registration) -> Path:
    records = await reg.match_all()
    assert len(records) == 1 and records[0].path is not None
    return records[0].path


async def wait_for(condition: object, timeout: float = 20.0) -> None:
    assert callable(condition)
    async with asyncio.timeout(timeout):
        while not condition():
            await asyncio.sleep(0.01)


async def test_a_dangling_link_at_the_part_name_is_left_alone(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
) -> None:
    # Before: name reservation looped for ever at 100 % CPU (exists() is False
    # for a dangling link, O_EXCL says it exists).
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "f.bin.part").symlink_to(tmp_path / "nowhere")
    reg = await engine.manager.fetch("dangling", [fault_server.url("f.bin", size=SIZE)],
                                     dest=folder)
    await engine.settled(reg, timeout=20)
    assert reg.result == "success"
    path = await only_path(reg)
    assert path.name == "f (1).bin" and digest(path) == content_sha256(SIZE)
    assert (folder / "f.bin.part").is_symlink() and not (tmp_path / "nowhere").exists()


async def test_a_dangling_link_at_the_final_name_is_not_replaced(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
) -> None:
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "f.bin").symlink_to(tmp_path / "elsewhere")
    reg = await engine.settled(await engine.manager.fetch(
        "final-link", [fault_server.url("f.bin", size=SIZE)], dest=folder))
    assert reg.result == "success"
    assert (folder / "f.bin").is_symlink() and not (tmp_path / "elsewhere").exists()
    path = await only_path(reg)
    assert not path.is_symlink() and digest(path) == content_sha256(SIZE)


async def test_a_link_planted_at_the_final_name_during_the_download_is_kept(
    engine: Engine, fault_server: FaultServer, tmp_path: Path
) -> None:
    folder = tmp_path / "bundle"
    url = fault_server.url("f.bin", size=SIZE, hold="late", hold_after=100_000)
    reg = await engine.manager.fetch("late-link", [url], dest=folder)
    await wait_for(lambda: (folder / "f.bin.part").exists())
    (folder / "f.bin").symlink_to(tmp_path / "target")
    fault_server.release("late")
    await engine.settled(reg)
    assert reg.result == "success"
    assert (folder / "f.bin").is_symlink() and not (tmp_path / "target").exists()
    assert digest(await only_path(reg)) == content_sha256(SIZE)


async def _interrupted(tmp_path: Path, fault_server: FaultServer, name: str) -> Path:
    """A fetch stopped (as by a kill) with part of ``name`` on disk; returns its folder."""
    folder = tmp_path / "bundle"
    engine = await start_engine(tmp_path)
    url = fault_server.url(name, size=SIZE, hold="stop", hold_after=300_000)
    reg = await engine.manager.fetch("resumed", [url], dest=folder)
    await wait_for(lambda: reg.downloaded >= 300_000)
    await stop_engine(engine)
    fault_server.release("stop")
    return folder


async def test_a_part_file_swapped_for_a_link_is_not_followed_on_resume(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    # Before: the resume appended to the link's target, outside the bundle folder,
    # and left the final name as a link to it.
    folder = await _interrupted(tmp_path, fault_server, "f.bin")
    outside = tmp_path / "outside.dat"
    outside.write_bytes(b"x" * 300_000)
    part = folder / "f.bin.part"
    part.unlink()
    part.symlink_to(outside)
    engine = await start_engine(tmp_path)
    try:
        reg = await engine.settled(engine.manager.get("resumed"))  # type: ignore[arg-type]
        assert reg.result == "success"
        assert outside.read_bytes() == b"x" * 300_000
        assert part.is_symlink()
        path = await only_path(reg)
        assert not path.is_symlink() and path.name == "f (1).bin"
        assert digest(path) == content_sha256(SIZE)
        assert not (folder / "f.bin").exists()
    finally:
        await stop_engine(engine)


async def test_a_part_file_swapped_for_a_hard_link_is_not_written(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    folder = await _interrupted(tmp_path, fault_server, "f.bin")
    outside = tmp_path / "outside.dat"
    outside.write_bytes(b"y" * 300_000)
    part = folder / "f.bin.part"
    part.unlink()
    os.link(outside, part)
    engine = await start_engine(tmp_path)
    try:
        reg = await engine.settled(engine.manager.get("resumed"))  # type: ignore[arg-type]
        assert reg.result == "success"
        assert outside.read_bytes() == b"y" * 300_000
        assert digest(await only_path(reg)) == content_sha256(SIZE)
    finally:
        await stop_engine(engine)


async def test_a_fifo_or_folder_at_the_part_name_does_not_hang_the_resume(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    folder = await _interrupted(tmp_path, fault_server, "f.bin")
    part = folder / "f.bin.part"
    part.unlink()
    os.mkfifo(part)
    engine = await start_engine(tmp_path)
    try:
        reg = await engine.settled(engine.manager.get("resumed"))  # type: ignore[arg-type]
        assert reg.result == "success"
        assert digest(await only_path(reg)) == content_sha256(SIZE)
        assert part.exists() and not part.is_file()
    finally:
        await stop_engine(engine)


@pytest.mark.needs_root
async def test_another_users_part_file_is_left_alone(
    fault_server: FaultServer, tmp_path: Path
) -> None:
    """A part file swapped while the engine was down for one another user owns (a
    folder others may write to) is theirs: the resume neither appends to it nor
    renames it into place."""
    if os.geteuid() != 0:
        pytest.fail("needs root to give a file to another user (CI runs as root); "
                    "deselect with -m 'not needs_root'")
    folder = tmp_path / "bundle"
    folder.mkdir()
    url = fault_server.url("f.bin", size=SIZE, hold="theirs", hold_after=SIZE // 2)
    engine = await start_engine(tmp_path / "home")
    try:
        reg = await engine.manager.fetch("theirs", [url], dest=folder)
        await wait_for(lambda: reg.downloaded >= SIZE // 2)
    finally:
        await stop_engine(engine)
    planted = folder / "f.bin.part"
    planted.unlink()
    planted.write_bytes(b"x" * (SIZE // 2))
    os.chown(planted, 65534, 65534)  # nobody
    engine = await start_engine(tmp_path / "home")
    try:
        fault_server.release("theirs")
        resumed = engine.manager.get("theirs")
        assert resumed is not None
        await engine.settled(resumed, timeout=20)
        assert resumed.result == "success"
        path = await only_path(resumed)
        assert path != folder / "f.bin" and digest(path) == content_sha256(SIZE)
    finally:
        await stop_engine(engine)
    assert planted.read_bytes() == b"x" * (SIZE // 2) and os.stat(planted).st_uid == 65534
