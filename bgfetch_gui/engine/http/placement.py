"""Where a body lives on disk: its claimed name, its part file, its final place."""

from __future__ import annotations

import os
from pathlib import Path

from ..model import FailureReason
from ..naming import PART_SUFFIX, choose_filename, name_key, unique_name
from ..store import RequestRow
from .errors import ForeignFile, Restart, TransferFailed, disk_errors
from .partfile import is_ours, open_part

# Each try either claims a name or finds one more taken; this many in a row
# means the folder changes under us faster than we can look.
MAX_CLAIM_TRIES = 1000


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
    base = os.fspath(folder)
    with disk_errors():
        for _ in range(MAX_CLAIM_TRIES):
            # The part file is not looked for first: the exclusive create finds it.
            candidate = unique_name(folder, name, taken, parts=False)
            try:
                fd = os.open(os.path.join(base, candidate + PART_SUFFIX),
                             os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                # A part file, or taken between the look and the claim: not this body's.
                taken.add(name_key(candidate))
                continue
            except FileNotFoundError:
                # The first body of a bundle (or its folder was removed): one mkdir,
                # not one per file.
                folder.mkdir(parents=True, exist_ok=True)
                continue
            os.close(fd)
            break
        else:
            raise TransferFailed(FailureReason.FETCH_ERROR, f"no free name for {name} in {folder}")
    row.filename = candidate
    taken.add(name_key(candidate))


def write_at(path: Path, offset: int, body: bytes) -> None:
    """Write a whole (small) body at ``offset``, dropping anything after it; no fsync."""
    fd = open_part(path, offset)
    try:
        os.lseek(fd, offset, os.SEEK_SET)
        view = memoryview(body)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def part_size(folder: Path, row: RequestRow) -> int | None:
    """The part file's size, None if it is gone (or is not a file of ours)."""
    return _size_if_ours(part_path(folder, row))


def _size_if_ours(path: Path) -> int | None:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    return info.st_size if is_ours(info) else None


def part_is_foreign(folder: Path, row: RequestRow) -> bool:
    """Whether something other than our part file sits at its name (docs/contracts.md §3)."""
    if row.filename is None or row.complete:
        return False
    try:
        return not is_ours(os.lstat(part_path(folder, row)))
    except FileNotFoundError:
        return False


def placed_before_a_kill(folder: Path, row: RequestRow) -> bool:
    """Whether the body was renamed to its final name but the engine was killed before
    the store said it was complete: the part file of the name it claimed (stored before
    the part file filled) is gone, and a file of ours (one link, a regular file, owned
    by the user) of exactly the announced size holds the name."""
    if row.complete or row.filename is None or row.size_total is None:
        return False
    if os.path.lexists(part_path(folder, row)):
        return False
    try:
        info = os.lstat(folder / row.filename)
    except FileNotFoundError:
        return False
    return is_ours(info) and info.st_size == row.size_total


def move_into_place(folder: Path, row: RequestRow, taken: set[str]) -> None:
    """Rename the (already synced) part file to its final name, after a last size check."""
    assert row.filename is not None
    part = checked_part(folder, row.filename, row.size_total)
    with disk_errors():
        # Anything at the final name (a file, a folder, even a dangling link) is
        # the user's: the body takes another name. os.replace never follows a link.
        if os.path.lexists(folder / row.filename):
            row.filename = unique_name(folder, row.filename, taken)
            taken.add(name_key(row.filename))
        os.replace(part, folder / row.filename)
    row.complete = True


def write_and_place(folder: Path, filename: str, size: int, offset: int, body: bytes) -> bool:
    """A small body's last steps in one trip to a disk thread: ``write_at`` into its part
    file, then the checks and rename of ``move_into_place`` if nothing holds the final
    name (False if something does: the loop then picks another name). Touches no shared
    state, so it is safe off the loop; the caller marks the row complete."""
    write_at(folder / (filename + PART_SUFFIX), offset, body)
    part = checked_part(folder, filename, size)
    with disk_errors():
        if os.path.lexists(folder / filename):
            return False
        os.replace(part, folder / filename)
    return True


def checked_part(folder: Path, filename: str, size_total: int | None) -> Path:
    """The part file of ``filename``, once its size is the announced one and it is
    still ours."""
    part = folder / (filename + PART_SUFFIX)
    if size_total is not None:
        size = _size_if_ours(part)
        if size != size_total:
            raise Restart(f"the part file has {size} bytes, not {size_total}")
    with disk_errors():
        if not is_ours(os.lstat(part)):
            raise ForeignFile(f"{part.name} was replaced by something bgfetch did not make")
    return part


def empty_part(folder: Path, row: RequestRow) -> None:
    """Throw the partial bytes away; emptied, not deleted, the file keeps its claim."""
    if row.filename is None or part_size(folder, row) is None:
        return
    os.close(open_part(part_path(folder, row), 0))
