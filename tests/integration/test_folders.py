"""Where a fetch's files land (docs/contracts.md §3): one file straight into Downloads,
several in a folder named after the title, cut at a word; nothing is ever overwritten."""

from __future__ import annotations

from bgfetch_gui.engine.model import FetchOptions
from tests.integration.engine_fixtures import Engine
from tests.support.faultserver import FaultServer, content


async def test_one_file_lands_in_downloads_and_a_bundle_in_its_folder(
    engine: Engine, fault_server: FaultServer
) -> None:
    manager = engine.manager
    downloads = manager.downloads_dir
    one = await manager.fetch("clip", [fault_server.url("clip.bin", size=500, seed=1)])
    again = await manager.fetch("clip-2", [fault_server.url("clip.bin", size=700, seed=2)])
    title = "The Complete Lectures on Distributed Systems, Autumn Term 2026, with Slides"
    bundle = await manager.fetch(
        "lectures", [fault_server.url("l1.mp4", size=300, seed=3),
                     fault_server.url("l2.mp4", size=400, seed=4)],
        FetchOptions(title=title))
    for reg in (one, again, bundle):
        await engine.settled(reg)
        assert reg.result == "success"

    assert one.dest == downloads and (downloads / "clip.bin").read_bytes() == content(500, 1)
    # The same name again: a second file beside it, the first untouched.
    assert again.records()[0].path == downloads / "clip (1).bin"
    assert (downloads / "clip (1).bin").read_bytes() == content(700, 2)
    assert (downloads / "clip.bin").read_bytes() == content(500, 1)
    folder = downloads / "The Complete Lectures on Distributed Systems, Autumn Term 2026"
    assert bundle.dest == folder
    assert sorted(p.name for p in folder.iterdir()) == ["l1.mp4", "l2.mp4"]
    assert not (downloads / "clip.bin").is_dir()


async def test_removing_a_one_file_fetch_leaves_downloads_alone(
    engine: Engine, fault_server: FaultServer
) -> None:
    manager = engine.manager
    reg = await engine.settled(await manager.fetch("x", [fault_server.url("x.bin", size=100)]))
    (manager.downloads_dir / "someone-elses.txt").write_text("keep me")
    await manager.remove(reg, delete_files=True)
    assert not (manager.downloads_dir / "x.bin").exists()
    assert (manager.downloads_dir / "someone-elses.txt").read_text() == "keep me"
