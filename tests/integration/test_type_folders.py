"""Folders by type (docs/contracts.md §14): with the setting on, a one-file fetch lands in
Downloads/<Type>/, a bundle of one type in Downloads/<Type>/<title>/, a mixed bundle and a
--dest where they always did; off (the default), nothing changes. Real loopback server."""

from __future__ import annotations

from pathlib import Path

from bgfetch_gui.engine.model import FetchOptions
from tests.integration.engine_fixtures import fast_settings, start_engine, stop_engine
from tests.support.faultserver import FaultServer, content


async def test_files_go_to_the_folder_of_their_type(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    engine = await start_engine(tmp_path, fast_settings(folders_by_type=True))
    manager = engine.manager
    downloads = manager.downloads_dir
    try:
        song = await manager.fetch("song", fault_server.url("Song.MP3", size=300, seed=1))
        shows = await manager.fetch(
            "shows", [fault_server.url("ep1.mkv", size=200, seed=2),
                      fault_server.url("ep2.webm", size=200, seed=3)],
            FetchOptions(title="Two episodes"))
        mixed = await manager.fetch(
            "mixed", [fault_server.url("notes.pdf", size=100, seed=4),
                      fault_server.url("talk.mp4", size=100, seed=5)],
            FetchOptions(title="Talk and notes"))
        unknown = await manager.fetch("blob", fault_server.url("blob.bin", size=100, seed=6))
        chosen = await manager.fetch("chosen", fault_server.url("a.zip", size=100, seed=7),
                                     dest=tmp_path / "mine")
        for reg in (song, shows, mixed, unknown, chosen):
            await engine.settled(reg)
            assert reg.result == "success", reg.snapshot()

        assert song.dest == downloads / "Music"
        assert (downloads / "Music" / "Song.MP3").read_bytes() == content(300, 1)
        assert shows.dest == downloads / "Video" / "Two episodes"
        assert sorted(p.name for p in shows.dest.iterdir()) == ["ep1.mkv", "ep2.webm"]
        assert mixed.dest == downloads / "Talk and notes"
        assert unknown.dest == downloads and (downloads / "blob.bin").exists()
        assert chosen.dest == tmp_path / "mine"

        # Removing the bundle takes its folder, never the folder by type itself.
        await manager.remove(shows, delete_files=True)
        await manager.remove(song, delete_files=True)
        assert not (downloads / "Video" / "Two episodes").exists()
        assert (downloads / "Video").is_dir() and (downloads / "Music").is_dir()
    finally:
        await stop_engine(engine)


async def test_a_rule_by_mime_type_and_an_edited_rule(
    tmp_path: Path, fault_server: FaultServer
) -> None:
    rules = {"Pictures": "image/*", "Books": "epub mobi"}
    engine = await start_engine(tmp_path, fast_settings(folders_by_type=True,
                                                        type_folders=rules))
    manager = engine.manager
    try:
        photo = await manager.fetch("photo", fault_server.url("cat.jpeg", size=100))
        book = await manager.fetch("book", fault_server.url("novel.epub", size=100))
        song = await manager.fetch("song", fault_server.url("song.mp3", size=100))
        for reg in (photo, book, song):
            await engine.settled(reg)
        assert photo.dest == manager.downloads_dir / "Pictures"
        assert book.dest == manager.downloads_dir / "Books"
        assert song.dest == manager.downloads_dir  # Music is no longer a rule
    finally:
        await stop_engine(engine)


async def test_off_by_default(tmp_path: Path, fault_server: FaultServer) -> None:
    engine = await start_engine(tmp_path)
    try:
        song = await engine.settled(
            await engine.manager.fetch("song", fault_server.url("song.mp3", size=100)))
        assert song.dest == engine.manager.downloads_dir
        assert not (engine.manager.downloads_dir / "Music").exists()
    finally:
        await stop_engine(engine)
