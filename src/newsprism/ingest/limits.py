"""Bounds on what one input may cost: sizes before parsing, decompression, and message length.

Every reader checks these before handing bytes to a parser, so a small hostile file (a gzip
bomb, a JSON line nested a hundred thousand levels deep, a page of 200,000 paragraphs) fails
alone with a message saying which limit it passed, in bounded memory and time.
"""

from __future__ import annotations

import io
import zlib
from typing import BinaryIO

from newsprism.errors import InputError, LimitError

MB = 1024 * 1024
# One file read whole (JSONL, a feed); archives are streamed instead.
MAX_FILE_BYTES = 200 * MB
# One article: a page, a text, a JSONL record, a WARC response body; also a decompressed file
# holding one article.
MAX_DOCUMENT_BYTES = 16 * MB
# JSON nesting of one JSONL record; the input contract is a flat object of strings.
MAX_JSON_DEPTH = 100
# Paragraph-like elements read from one HTML page; the rest is dropped, and the drop noted.
# (The 181 pages of the extraction benchmark have at most 801.)
MAX_PARAGRAPHS = 10_000
# How much of an input's own content an error message may quote.
EXCERPT_CHARS = 200


def excerpt(text: object, limit: int = EXCERPT_CHARS) -> str:
    """``text`` as a string of at most ``limit`` characters, marked when cut."""
    value = str(text)
    if len(value) <= limit:
        return value
    return f"{value[:limit]}… [{len(value) - limit:,} more characters]"


def size_name(n: int) -> str:
    return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def gunzip(data: bytes, *, where: str, limit: int) -> bytes:
    """Decompress gzip data (several members too) to at most ``limit`` bytes.

    A file that would decompress to more is a LimitError, found after ``limit`` bytes; a file
    cut short is an InputError saying so.
    """
    out = bytearray()
    rest = data
    while rest:
        unpacker = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            while rest and not unpacker.eof:
                out += unpacker.decompress(rest, limit + 1 - len(out))
                rest = unpacker.unconsumed_tail
                if len(out) > limit:
                    raise LimitError(
                        f"decompresses to more than {size_name(limit)}",
                        where=where,
                        hint="a gzip file here holds one article or one JSONL file; "
                        "split it, or check that it is not damaged",
                    )
        except zlib.error as err:
            raise InputError(f"gzip file is damaged ({excerpt(err)})", where=where) from err
        if not unpacker.eof:
            raise InputError(
                "gzip file is truncated (it ends before its end-of-stream mark)",
                where=where,
                hint="download or copy it again",
            )
        rest = unpacker.unused_data.lstrip(b"\x00")  # padding after the last member
    return bytes(out)


def gunzip_head(data: bytes, size: int = 8192) -> bytes:
    """The first ``size`` decompressed bytes of gzip data (tolerates a truncated file)."""
    try:
        return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data, size)
    except zlib.error:
        return b""


class LineBoundedReader(io.RawIOBase):
    """A file read through gunzip (when it is gzip), failing once a line passes ``max_line``.

    Archive parsers read header lines whole; over a gzip of zeros such a "line" is the whole
    decompressed file. This keeps any line, and so any read, bounded.
    """

    def __init__(self, raw: BinaryIO, *, where: str, max_line: int = MAX_DOCUMENT_BYTES):
        self._raw = raw
        self._where = where
        self._max_line = max_line
        self._since_newline = 0
        head = raw.read(2)
        self._gzip = head == b"\x1f\x8b"
        self._pending = b"" if self._gzip else head
        self._unpacker = zlib.decompressobj(zlib.MAX_WBITS | 16) if self._gzip else None
        self._input = head if self._gzip else b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._next(len(buffer))
        self._count(chunk)
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def _next(self, size: int) -> bytes:
        if self._pending:
            chunk, self._pending = self._pending[:size], self._pending[size:]
            return chunk
        if self._unpacker is None:
            return self._raw.read(size)
        while True:
            if self._unpacker.eof:  # the next gzip member, past any zero padding
                self._input = (self._unpacker.unused_data + self._input).lstrip(b"\x00")
                self._unpacker = zlib.decompressobj(zlib.MAX_WBITS | 16)
            if not self._input:
                self._input = self._raw.read(65536)
                if not self._input:
                    return b""  # a member cut short ends here; the archive reader says so
            try:
                out = self._unpacker.decompress(self._input, size)
            except zlib.error as err:
                raise InputError(
                    f"gzip data is damaged ({excerpt(err)})", where=self._where
                ) from err
            self._input = self._unpacker.unconsumed_tail
            if out:
                return out

    def _count(self, chunk: bytes) -> None:
        newline = chunk.rfind(b"\n")
        self._since_newline = (
            len(chunk) - newline - 1 if newline >= 0 else self._since_newline + len(chunk)
        )
        if self._since_newline > self._max_line:
            raise LimitError(
                f"more than {size_name(self._max_line)} without a line break",
                where=self._where,
                hint="not an archive this reader can stream; is it damaged?",
            )
