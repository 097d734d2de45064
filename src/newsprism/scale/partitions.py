"""Cutting large inputs into partitions, and reading one partition anywhere (driver or worker).

A partition is a plain, picklable description of where its records are, so a Dask worker that
sees the same file system reads it without the driver shipping any article text:

* ``jsonl``: a byte range of an uncompressed JSONL file, cut at line starts every ``chunk``
  lines; records keep the ``path:line`` source names a plain ingest gives them.
* ``files``: up to ``chunk`` single-article files (text, HTML), or one compressed JSONL file.
* ``warc``: one WARC archive, streamed (CC-NEWS files hold a few ten thousand records each, so
  one archive is a natural unit of work).

The plan is a pure function of the inputs' paths, sizes and modification times, so a resumed
batch plans the same partitions and can skip the ones already stored.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from newsprism.errors import InputError, NewsprismError
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.items import Skipped
from newsprism.ingest.readers import (
    ReadFailure,
    ReadItem,
    parse_json_line,
    raw_from_record,
    read_path,
)
from newsprism.ingest.sniff import sniff_kind
from newsprism.ingest.walk import walk_folder

_SCAN_BLOCK = 1 << 20


@dataclass(frozen=True)
class Partition:
    """One unit of per-article work: records from one file range, or a group of small files."""

    index: int
    kind: str  # "jsonl" | "files" | "warc"
    paths: tuple[str, ...]
    start: int = 0  # jsonl: byte offset of the first line
    end: int = 0  # jsonl: byte offset just past the last line
    first_line: int = 1  # jsonl: 1-based number of the first line

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class InputFiles:
    """The files a batch reads, and what walking its folders left out: links out of a folder
    (skipped, a warning) and links that loop or point nowhere (failures)."""

    files: list[Path] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    failures: list[ReadFailure] = field(default_factory=list)


def input_files(inputs: Iterable[str | Path], *, follow_links: bool = False) -> InputFiles:
    """Every file named by the inputs, in a stable order. Folders are walked as ``ingest``
    walks them (:func:`newsprism.ingest.walk.walk_folder`): sorted, hidden files skipped, and a
    symbolic link out of the folder skipped unless ``follow_links``."""
    found = InputFiles()
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for child in walk_folder(path, follow_links=follow_links):
                if isinstance(child, Skipped):
                    found.skipped.append(child)
                elif isinstance(child, ReadFailure):
                    found.failures.append(child)
                else:
                    found.files.append(child)
        elif path.exists():
            found.files.append(path)
        else:
            raise InputError("no such file or directory", where=str(path))
    return found


def fingerprint(files: list[Path], chunk: int) -> str:
    """What a batch's plan depends on: paths, sizes, mtimes and the chunk size."""
    digest = hashlib.sha256(str(chunk).encode())
    for path in files:
        stat = path.stat()
        digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def plan_partitions(files: list[Path], chunk: int = 2000) -> list[Partition]:
    """Cut the files into partitions of about ``chunk`` articles, in input order."""
    plan: list[Partition] = []
    pending: list[str] = []  # small single-article files, grouped ``chunk`` at a time

    def flush() -> None:
        if pending:
            plan.append(Partition(len(plan), "files", tuple(pending)))
            pending.clear()

    for path in files:
        head = _head(path)
        kind = sniff_kind(path, head) if head else "text"
        gzipped = head[:2] == b"\x1f\x8b"
        if kind == "warc":
            flush()
            plan.append(Partition(len(plan), "warc", (str(path),)))
        elif kind == "jsonl" and not gzipped:
            flush()
            for start, end, first_line in _line_ranges(path, chunk):
                plan.append(Partition(len(plan), "jsonl", (str(path),), start, end, first_line))
        elif kind == "jsonl":
            flush()
            plan.append(Partition(len(plan), "files", (str(path),)))
        else:
            pending.append(str(path))
            if len(pending) >= chunk:
                flush()
    flush()
    return plan


def _head(path: Path) -> bytes:
    """The first 8 KB of a regular file. Nothing for a FIFO, a device or an unreadable file
    (never opened, so a FIFO cannot block the plan): it goes with the single-article files,
    whose reader names the problem as that file's failure."""
    if not path.is_file():
        return b""
    try:
        with path.open("rb") as fh:
            return fh.read(8192)
    except OSError:
        return b""


def _line_ranges(path: Path, chunk: int) -> Iterator[tuple[int, int, int]]:
    """(start, end, first line number) of each run of ``chunk`` lines; one pass, no parsing."""
    start, offset, lines = 0, 0, 0
    with path.open("rb") as fh:
        while block := fh.read(_SCAN_BLOCK):
            pos = 0
            while (nl := block.find(b"\n", pos)) != -1:
                lines += 1
                pos = nl + 1
                if lines % chunk == 0:
                    yield start, offset + pos, lines - chunk + 1
                    start = offset + pos
            offset += len(block)
    if offset > start:
        yield start, offset, (lines // chunk) * chunk + 1


def read_partition(partition: Partition) -> Iterator[ReadItem]:
    """The raw articles (and failures) of one partition; never fetches from the network."""
    if partition.kind == "jsonl":
        yield from _read_jsonl_range(partition)
        return
    for path in partition.paths:
        yield from read_path(Path(path), fetch_links=False)


def _read_jsonl_range(partition: Partition) -> Iterator[ReadItem]:
    path = partition.paths[0]
    try:
        with open(path, "rb") as fh:
            fh.seek(partition.start)
            data = fh.read(partition.end - partition.start)
    except OSError as err:
        yield ReadFailure(where=path, message=f"{path}: cannot read file: {err.strerror or err}")
        return
    # Decode line by line: one bad line must not change how its neighbours are decoded.
    for number, raw_line in enumerate(data.split(b"\n"), start=partition.first_line):
        if not raw_line.strip():
            continue
        where = f"{path}:{number}"
        try:
            line, _ = decode_bytes(raw_line.rstrip(b"\r"), where=where)
            yield raw_from_record(parse_json_line(line, where), where=where)
        except NewsprismError as err:
            yield ReadFailure(where=err.where or where, message=str(err))
