"""Walking an input folder: sorted, hidden files skipped, symbolic links kept inside it."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterator
from pathlib import Path

from newsprism.ingest.items import ReadFailure, Skipped


def walk_folder(
    root: Path, *, follow_links: bool = False
) -> Iterator[Path | ReadFailure | Skipped]:
    """Every file under ``root``: each folder's files (sorted), then its subfolders.

    A symbolic link is read when it points inside ``root``; one pointing outside is skipped
    (reported) unless ``follow_links``. Links to folders are followed only with
    ``follow_links``, and never into a folder already walked, so a loop ends. A link that
    loops or points nowhere is a failure of that link alone.
    """
    top = os.path.realpath(root)
    seen: set[tuple[int, int]] = set()
    try:
        info = os.stat(root)
        seen.add((info.st_dev, info.st_ino))
    except OSError as err:
        yield _link_failure(root, err)
        return
    yield from _visit(root, top, seen, follow_links)


def _visit(
    folder: Path, top: str, seen: set[tuple[int, int]], follow_links: bool
) -> Iterator[Path | ReadFailure | Skipped]:
    try:
        with os.scandir(folder) as it:
            entries = sorted((e for e in it if not e.name.startswith(".")), key=lambda e: e.name)
    except OSError as err:
        yield ReadFailure(
            where=str(folder), message=f"{folder}: cannot list the folder: {err.strerror or err}"
        )
        return
    folders: list[Path] = []
    for entry in entries:
        path = Path(entry.path)
        try:
            is_link = entry.is_symlink()
            info = os.stat(path)  # follows the link; ELOOP / ENOENT for bad ones
        except OSError as err:
            yield _link_failure(path, err)
            continue
        if is_link:
            target = os.path.realpath(path)
            inside = target == top or target.startswith(top.rstrip(os.sep) + os.sep)
            if not inside and not follow_links:
                yield Skipped(
                    where=str(path),
                    message=f"{path}: skipped: a symbolic link to {target}, outside the folder "
                    "(give --follow-links to read it)",
                )
                continue
            if stat.S_ISDIR(info.st_mode) and not follow_links:
                continue  # a link to a folder inside the folder: walked there already
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key not in seen:
                seen.add(key)
                folders.append(path)
            continue
        yield path
    for sub in folders:
        yield from _visit(sub, top, seen, follow_links)


def _link_failure(path: Path, err: OSError) -> ReadFailure:
    if err.errno == errno.ELOOP:
        reason = "a symbolic link loop (the link leads back to itself)"
    elif err.errno == errno.ENOENT and os.path.islink(path):
        reason = f"a broken symbolic link (to {os.readlink(path)}, which does not exist)"
    else:
        reason = f"cannot read it: {err.strerror or err}"
    return ReadFailure(where=str(path), message=f"{path}: {reason}")
