"""Write the hostile inputs of issue 16 into a folder: each made here, never downloaded.

    .venv/bin/python benchmarks/hostile_inputs.py OUT_DIR      # writes the files, lists them

Used by ``benchmarks/bench_hostile.py`` and by the fuzz tests (``tests/ingest/test_hostile.py``).
Every case is small on disk; some expand to a gigabyte when decompressed or parsed naively.
"""

from __future__ import annotations

import gzip
import json
import os
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

GOOD_BODY = (
    "The regional water board said on Monday that repairs to the eastern canal would take "
    "three weeks. Boats will be diverted through the old lock while engineers work on the "
    "damaged gates, a spokeswoman said, adding that the cost was not yet known."
)


def good_article(n: int) -> str:
    """A short, valid plain-text article, distinct for each ``n``."""
    return f"Canal repairs story number {n}\n\n{GOOD_BODY} Report {n} of the series.\n"


def _record(**fields: str) -> str:
    return json.dumps({"title": "Canal repairs", "text": GOOD_BODY, **fields})


def deep_jsonl(path: Path) -> None:
    """A JSONL line nested 100,000 levels deep between two good records."""
    deep = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    path.write_text(
        _record(id="ok-1") + "\n" + deep + "\n" + _record(id="ok-2", title="Two") + "\n"
    )


def tz99_jsonl(path: Path) -> None:
    """A date whose time-zone offset is 99 hours (ISO form)."""
    path.write_text(_record(id="tz99", date="2024-01-01T00:00:00+99:00") + "\n")


def gmt99_jsonl(path: Path) -> None:
    """A date whose time-zone offset is 99 hours (GMT+99 form)."""
    path.write_text(_record(id="gmt99", date="Mon, 01 Jan 2024 00:00:00 GMT+99") + "\n")


def surrogate_jsonl(path: Path) -> None:
    """A lone \\ud800 escape in a JSON string (valid JSON, not encodable text)."""
    line = '{"id": "sur", "title": "Broken \\ud800 title", "text": "' + GOOD_BODY + '"}'
    path.write_text(line + "\n")


def _gzip_stream(path: Path, chunk: bytes, compressed_size: int, head: bytes = b"") -> None:
    """A gzip file of about ``compressed_size`` bytes: ``head`` then ``chunk`` repeated."""
    with path.open("wb") as out:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: a gzip header and trailer
        out.write(packer.compress(head))
        while out.tell() < compressed_size:
            out.write(packer.compress(chunk * 16))
        out.write(packer.flush())


def zeros_64k_gz(path: Path) -> None:
    """64 KB of gzip that decompresses to ~66 MB of zero bytes."""
    _gzip_stream(path, bytes(1 << 16), 64 * 1024)


def zeros_1m_gz(path: Path) -> None:
    """1 MB of gzip that decompresses to ~1 GB of zero bytes."""
    _gzip_stream(path, bytes(1 << 16), 1024 * 1024)


def html_1m_gz(path: Path) -> None:
    """A 1 MB .html.gz page that decompresses to ~1 GB of paragraphs."""
    _gzip_stream(path, b"<p>word</p>" * 64, 1024 * 1024, head=b"<html><body><article>")


def many_paragraphs_html(path: Path) -> None:
    """A 7.3 MB page of 200,000 short paragraphs (the issue's was 4.4 MB)."""
    paragraphs = "".join(f"<p>Paragraph {i} of the report.</p>\n" for i in range(200_000))
    path.write_text(f"<html><body><article>{paragraphs}</article></body></html>")


def utf16_no_bom_txt(path: Path) -> None:
    """An article in UTF-16-LE without a byte-order mark."""
    path.write_bytes(good_article(16).encode("utf-16-le"))


def nul_byte_txt(path: Path) -> None:
    """A text article with one NUL byte in it."""
    text = good_article(17)
    path.write_bytes(text[:60].encode() + b"\x00" + text[60:].encode())


def truncated_txt_gz(path: Path) -> None:
    """A gzipped text article cut off half way."""
    data = gzip.compress((good_article(18) * 20).encode())
    path.write_bytes(data[: len(data) // 2])


def escape_title_txt(path: Path) -> None:
    """An article whose title holds terminal escape sequences (colour, clear screen, OSC)."""
    title = "Canal \x1b[31mRED\x1b[0m repairs \x1b[2J\x1b]0;pwned\x07 story"
    path.write_text(f"{title}\n\n{GOOD_BODY}\n")


def symlink_loop_dir(path: Path) -> None:
    """A folder with a symbolic link loop and a good article."""
    path.mkdir()
    (path / "good.txt").write_text(good_article(20))
    os.symlink(path / "loop_b", path / "loop_a")
    os.symlink(path / "loop_a", path / "loop_b")


def passwd_link_dir(path: Path) -> None:
    """A folder holding a symbolic link to /etc/passwd and a good article."""
    path.mkdir()
    (path / "good.txt").write_text(good_article(21))
    os.symlink("/etc/passwd", path / "passwd.txt")


def fifo(path: Path) -> None:
    """A named pipe (FIFO) given as an input file."""
    os.mkfifo(path)


def mixed_dir(path: Path) -> None:
    """A folder of the hostile files above plus three good articles."""
    path.mkdir()
    for n in range(3):
        (path / f"good{n}.txt").write_text(good_article(100 + n))
    for name, make in FILE_CASES.items():
        if name not in {"zeros_1m.gz", "page_1m.html.gz", "paragraphs_200k.html"}:
            make(path / name)
    symlink_loop_dir(path / "loops")


FILE_CASES: dict[str, Callable[[Path], None]] = {
    "deep.jsonl": deep_jsonl,
    "tz99.jsonl": tz99_jsonl,
    "gmt99.jsonl": gmt99_jsonl,
    "surrogate.jsonl": surrogate_jsonl,
    "zeros_64k.gz": zeros_64k_gz,
    "zeros_1m.gz": zeros_1m_gz,
    "page_1m.html.gz": html_1m_gz,
    "paragraphs_200k.html": many_paragraphs_html,
    "utf16_no_bom.txt": utf16_no_bom_txt,
    "nul_byte.txt": nul_byte_txt,
    "truncated.txt.gz": truncated_txt_gz,
    "escape_title.txt": escape_title_txt,
}

CASES: dict[str, Callable[[Path], None]] = {
    **FILE_CASES,
    "symlink_loop": symlink_loop_dir,
    "passwd_link": passwd_link_dir,
    "fifo": fifo,
    "mixed": mixed_dir,
}


def write_all(out: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write the named cases (all by default) into ``out``; returns name -> path."""
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for name in names or list(CASES):
        target = out / name
        CASES[name](target)
        written[name] = target
    return written


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    for name, target in write_all(Path(sys.argv[1])).items():
        print(f"{name}\t{target}")
