"""Where a body lives on disk: its claimed name, its part file, its final place."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from ..naming import PART_SUFFIX, choose_filename, name_key, unique_name
from ..store import RequestRow
from .errors import Restart, disk_errors


def part_path(folder: Path, row: RequestRow) -> Path:
    assert row.filename is not None
    return folder / (row.filename + PART_SUFFIX)


def claim_name(
    folder: Path, row: RequestRow, url: str, content_disposition: str | None, taken: set[str]
) -> None:
    """Give the body its file name, claimed on disk so no other fetch can take it.

    Creating ``<name>.part`` exclusively is the claim: another fetch (in
    this process or another) that picks a name in the same folder sees it.
    """
    if row.filename is not None:
        return
    name = choose_filename(url, content_disposition, f"download-{row.idx + 1}")
    with disk_errors():
        folder.mkdir(parents=True, exist_ok=True)
        while True:
            candidate = unique_name(folder, name, taken)
            try:
                fd = os.open(folder / (candidate + PART_SUFFIX),
                             os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue  # taken between the look and the claim: look again
            os.close(fd)
            break
    row.filename = candidate
    taken.add(name_key(candidate))


def write_at(path: Path, offset: int, body: bytes) -> None:
    """Write a whole (small) body at ``offset``, dropping anything after it; no fsync."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
    try:
        os.ftruncate(fd, offset)
        os.lseek(fd, offset, os.SEEK_SET)
        view = memoryview(body)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def part_size(folder: Path, row: RequestRow) -> int | None:
    """The part file's size, None if it is gone."""
    try:
        return part_path(folder, row).stat().st_size
    except FileNotFoundError:
        return None


def move_into_place(folder: Path, row: RequestRow, taken: set[str]) -> None:
    """Rename the (already synced) part file to its final name, after a last size check."""
    assert row.filename is not None
    part = part_path(folder, row)
    if row.size_total is not None:
        size = part_size(folder, row)
        if size != row.size_total:
            raise Restart(f"the part file has {size} bytes, not {row.size_total}")
    if (folder / row.filename).exists():  # someone put a file there while we downloaded
        row.filename = unique_name(folder, row.filename, taken)
        taken.add(name_key(row.filename))
    with disk_errors():
        os.replace(part, folder / row.filename)
    row.complete = True


def empty_part(folder: Path, row: RequestRow) -> None:
    """Throw the partial bytes away; emptied, not deleted, the file keeps its claim."""
    if row.filename is None:
        return
    with contextlib.suppress(FileNotFoundError), open(part_path(folder, row), "r+b") as part:
        part.truncate()
