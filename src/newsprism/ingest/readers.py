"""One reader per source kind. Each yields RawArticle items or ReadFailure items, never raises
for a single bad record, so one broken article never stops a batch."""

from __future__ import annotations

import json
import os
import re
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsprism.errors import EmptyInputError, FetchError, InputError, LimitError, NewsprismError
from newsprism.ingest.decode import decode_bytes, decode_unsplittable
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.items import (
    AlreadyStored,
    KnownUrl,
    ReadFailure,
    ReadItem,
    Skipped,
    failure,
    isolated,
    unexpected,
)
from newsprism.ingest.limits import (
    MAX_DOCUMENT_BYTES,
    MAX_FILE_BYTES,
    MAX_JSON_DEPTH,
    excerpt,
    gunzip,
    size_name,
)
from newsprism.ingest.sniff import sniff_kind
from newsprism.ingest.walk import walk_folder
from newsprism.ingest.warc import read_warc
from newsprism.model import RawArticle

JSONL_FIELDS = {"id", "url", "outlet", "date", "title", "text", "html", "lang", "author"}

__all__ = [
    "AlreadyStored",
    "KnownUrl",
    "ReadFailure",
    "ReadItem",
    "Skipped",
    "parse_json_line",
    "raw_from_record",
    "read_feed_bytes",
    "read_jsonl_bytes",
    "read_path",
    "read_url",
    "read_warc",
]


def read_path(
    path: Path,
    *,
    fetcher: Fetcher | None = None,
    fetch_links: bool = True,
    title_in_text: bool = True,
    known_url: KnownUrl | None = None,
    exclude: frozenset[Path] = frozenset(),
    follow_links: bool = False,
) -> Iterator[ReadItem]:
    """Read a file or a directory (recursively, by detected type).

    ``exclude`` holds resolved paths to skip in directory walks (the database being written).
    In a directory, symbolic links out of it are skipped unless ``follow_links``. Each file is
    read on its own: an unexpected error in one is that file's failure, and the walk goes on.
    """
    options: dict[str, Any] = {
        "fetcher": fetcher,
        "fetch_links": fetch_links,
        "title_in_text": title_in_text,
        "known_url": known_url,
    }
    if not path.is_dir():
        yield from isolated(_read_file(path, **options), str(path))
        return
    for child in walk_folder(path, follow_links=follow_links):
        if not isinstance(child, Path):
            yield child
        elif Path(os.path.realpath(child)) not in exclude:
            yield from isolated(_read_file(child, **options), str(child))


_FILE_TYPES = {
    stat.S_IFIFO: "a named pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a character device",
    stat.S_IFBLK: "a block device",
}


def _read_file(
    path: Path,
    *,
    fetcher: Fetcher | None,
    fetch_links: bool,
    title_in_text: bool,
    known_url: KnownUrl | None,
) -> Iterator[ReadItem]:
    where = str(path)
    try:
        try:
            info = path.stat()
        except FileNotFoundError:
            raise InputError("no such file or directory", where=where) from None
        if not stat.S_ISREG(info.st_mode):
            kind_name = _FILE_TYPES.get(stat.S_IFMT(info.st_mode), "not a file")
            raise InputError(
                f"not a regular file but {kind_name}",
                where=where,
                hint="give files, folders or URLs; copy the stream into a file first",
            )
        if info.st_size == 0:
            raise EmptyInputError("the file is empty", where=where, hint="nothing to ingest")
        with path.open("rb") as fh:
            head = fh.read(8192)
        kind = sniff_kind(path, head)
        if kind == "warc":
            yield from read_warc(path)
            return
        # A file of many records may be large; a file holding one article may not.
        limit = MAX_FILE_BYTES if kind in {"jsonl", "feed"} else MAX_DOCUMENT_BYTES
        if info.st_size > limit:
            raise LimitError(
                f"file larger than {size_name(limit)}, the limit for "
                + ("one file of records" if limit == MAX_FILE_BYTES else "one article"),
                where=where,
                hint="split it, or give it as JSONL or WARC which are streamed",
            )
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = gunzip(data, where=where, limit=limit)
        if kind == "jsonl":
            yield from read_jsonl_bytes(data, where=where)
        elif kind == "feed":
            yield from read_feed_bytes(
                data, where=where, fetcher=fetcher, fetch_links=fetch_links, known_url=known_url
            )
        else:
            text, _ = decode_bytes(data, where=where)
            if kind == "html":
                yield RawArticle(source=where, kind="html", html=text)
            else:
                yield RawArticle(source=where, kind="text", text=text, title_in_text=title_in_text)
    except NewsprismError as err:
        yield failure(err)
    except OSError as err:
        yield ReadFailure(where=where, message=f"{where}: cannot read file: {err.strerror or err}")


def read_jsonl_bytes(data: bytes, *, where: str) -> Iterator[ReadItem]:
    """Read JSONL in the input contract: one article object per line, each line on its own.

    A line's bytes are decoded on their own (as ``newsprism batch`` does), so a NUL byte or
    bytes that are not UTF-8 on one line are that line's failure, and the other lines are read.
    """
    try:
        lines = _jsonl_lines(data, where=where)
    except NewsprismError as err:
        yield failure(err)
        return
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        line_where = f"{where}:{number}"
        try:
            if isinstance(line, bytes):
                line, _ = decode_bytes(line, where=line_where)
            line = line.rstrip("\r")
            if not line.strip():
                continue
            yield raw_from_record(parse_json_line(line, line_where), where=line_where)
        except NewsprismError as err:
            yield failure(err)
        except Exception as err:  # one record's surprise must not end the file
            yield unexpected(line_where, err)


def _jsonl_lines(data: bytes, *, where: str) -> list[str] | list[str | bytes]:
    """The lines of a JSONL file: as text when the whole file decodes as one (UTF-8 without a
    NUL byte, or text whose lines cannot be cut as bytes: a byte-order mark, UTF-16), else
    each line's bytes, decoded already when they are UTF-8 without a NUL byte."""
    # JSON Lines are separated by "\n" only; str.splitlines() would also split on U+0085 etc.
    whole = decode_unsplittable(data, where=where)
    if whole is not None:
        return whole.split("\n")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    else:
        if "\0" not in text:
            return text.split("\n")
    lines: list[str | bytes] = []
    for raw in data.split(b"\n"):
        if b"\0" not in raw:
            try:
                lines.append(raw.decode("utf-8"))
                continue
            except UnicodeDecodeError:
                pass
        lines.append(raw.rstrip(b"\r"))
    return lines


_JSON_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
_JSON_BRACKET = re.compile(r"[\[\]{}]")


def json_too_deep(line: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """True when the JSON text nests arrays/objects more than ``limit`` deep (checked without
    parsing it, so a hundred thousand levels cost a scan, not a recursion)."""
    if line.count("[") + line.count("{") <= limit:
        return False
    depth = 0
    for bracket in _JSON_BRACKET.findall(_JSON_STRING.sub("", line)):
        depth += 1 if bracket in "[{" else -1
        if depth > limit:
            return True
    return False


def parse_json_line(line: str, where: str) -> dict[str, Any]:
    """One JSONL line as a JSON object, or an InputError naming ``where``.

    Size and nesting are checked before parsing (see :mod:`newsprism.ingest.limits`).
    """
    if len(line) > MAX_DOCUMENT_BYTES:
        raise LimitError(
            f"line of {len(line):,} characters, more than the {size_name(MAX_DOCUMENT_BYTES)} "
            "limit for one record",
            where=where,
            hint="is a line break missing between records?",
        )
    if json_too_deep(line):
        raise LimitError(
            f"JSON nested more than {MAX_JSON_DEPTH} levels deep",
            where=where,
            hint="each line must be one flat JSON object of string fields",
        )
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            f"not valid JSON ({err.msg} at column {err.colno})",
            where=where,
            hint="each line must be one JSON object",
        ) from err
    except RecursionError as err:  # a nesting the pre-check's string handling missed
        raise LimitError("JSON nested too deeply", where=where) from err
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", where=where)
    return record


_SURROGATE = re.compile("[\ud800-\udfff]")


def raw_from_record(record: dict[str, Any], *, where: str) -> RawArticle:
    """Check one JSONL record against the input contract and make a RawArticle of it."""
    for name, value in record.items():
        if name in JSONL_FIELDS and value is not None and not isinstance(value, str):
            raise InputError(
                f"field {name!r} must be a string, got {type(value).__name__}", where=where
            )
        if name in JSONL_FIELDS and value and (bad := _SURROGATE.search(value)):
            raise InputError(
                f"field {name!r} holds a lone surrogate escape (\\u{ord(bad.group()):04x} at "
                f"character {bad.start() + 1}), half of a character that is not text",
                where=where,
                hint="the exporter cut a character in two; re-export the record as UTF-8",
            )
    text = record.get("text")
    html = record.get("html")
    if not (text and text.strip()) and not (html and html.strip()):
        raise InputError(
            "field 'text' or 'html' is required and must not be empty",
            where=where,
            hint="add the article body as 'text' (plain) or 'html' (the page)",
        )
    return RawArticle(
        source=where,
        kind="jsonl",
        text=text if text and text.strip() else None,
        html=html if not (text and text.strip()) else None,
        id=record.get("id"),
        url=record.get("url"),
        outlet=record.get("outlet"),
        date=record.get("date"),
        title=record.get("title"),
        author=record.get("author"),
        lang=record.get("lang"),
        title_in_text=False,  # JSONL 'text' is the body; a missing title is made from it
    )


def read_feed_bytes(
    data: bytes,
    *,
    where: str,
    fetcher: Fetcher | None,
    fetch_links: bool = True,
    known_url: KnownUrl | None = None,
) -> Iterator[ReadItem]:
    """Read an RSS/Atom feed: each entry's link is fetched and extracted.

    When fetching is off (or fails) and the entry itself carries the article (content:encoded
    or a long description), that content is used instead, and the failure is not lost: it
    is reported when nothing usable remains.
    """
    import feedparser

    try:
        parsed = feedparser.parse(_valid_character_references(data))
    except Exception as err:  # feedparser's own failure on one feed must not end the run
        yield ReadFailure(
            where=where,
            message=f"{where}: not a readable RSS/Atom feed (the feed parser failed: "
            f"{type(err).__name__}: {excerpt(err)})",
        )
        return
    problem = parsed.get("bozo_exception")
    if parsed.entries and problem is not None and "SAX" in type(problem).__name__:
        # A damaged feed may still hold readable entries: report the damage, read the rest.
        yield ReadFailure(
            where=where,
            message=f"{where}: not a valid RSS/Atom feed (not well-formed XML: "
            f"{problem}); reading the entries that could be parsed",
        )
    if not parsed.entries:
        reason = parsed.get("bozo_exception")
        detail = f": {reason}" if reason else ""
        yield ReadFailure(
            where=where,
            message=f"{where}: not a valid RSS/Atom feed, or a feed with no entries{detail}",
        )
        return
    feed_title = parsed.feed.get("title")
    for index, entry in enumerate(parsed.entries, start=1):
        link = entry.get("link")
        entry_where = f"{where}#entry{index}" + (f" ({link})" if link else "")
        embedded = _entry_content(entry)
        meta = {
            "url": link,
            "title": entry.get("title"),
            "date": entry.get("published") or entry.get("updated"),
            "author": entry.get("author"),
            "outlet": feed_title,
        }
        fetch_error: FetchError | None = None
        stored_id = known_url(link) if link and known_url else None
        if link and stored_id:
            yield AlreadyStored(where=entry_where, url=link, article_id=stored_id)
            continue
        if link and fetch_links and fetcher is not None:
            try:
                fetched = fetcher.fetch(link)
                page, _ = decode_bytes(fetched.content, where=link)
                yield RawArticle(
                    source=entry_where, kind="feed", html=page, **{**meta, "url": fetched.url}
                )
                continue
            except FetchError as err:
                fetch_error = err
            except NewsprismError as err:
                yield failure(err)
                continue
        if embedded:
            kind_field = "html" if "<" in embedded else "text"
            yield RawArticle(
                source=entry_where,
                kind="feed",
                title_in_text=False,
                **{kind_field: embedded},
                **meta,
            )
        elif fetch_error is not None:
            yield failure(fetch_error)
        else:
            yield ReadFailure(
                where=entry_where,
                message=f"{entry_where}: entry has no link to fetch and no article text",
            )


# A numeric character reference: decimal or hexadecimal, with or without its ";".
_CHARACTER_REFERENCE = re.compile(rb"&#(?:([0-9]+)|[xX]([0-9a-fA-F]+));?")


def _valid_character_references(data: bytes) -> bytes:
    """``data`` with each character reference that names no character (past U+10FFFF, or a
    surrogate half) replaced by one to U+FFFD, the replacement character: feedparser fails on
    them. (A feed in UTF-16 or UTF-32 is left as it is; its failure is reported as the feed's.)"""
    if b"&#" not in data:
        return data

    def check(match: re.Match[bytes]) -> bytes:
        decimal, hexadecimal = match.groups()
        digits = (decimal or hexadecimal).lstrip(b"0")
        if len(digits) > (7 if decimal else 6):
            return b"&#xfffd;"
        code = int(digits or b"0", 10 if decimal else 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return b"&#xfffd;"
        return match.group()

    return _CHARACTER_REFERENCE.sub(check, data)


def _entry_content(entry: Any) -> str | None:
    for content in entry.get("content", []) or []:
        value = content.get("value")
        if value and value.strip():
            return str(value)
    summary = entry.get("summary")
    if summary and len(summary.split()) >= 80:
        return str(summary)
    return None


def read_url(
    url: str, *, fetcher: Fetcher, fetch_links: bool = True, known_url: KnownUrl | None = None
) -> Iterator[ReadItem]:
    """Fetch a URL: a page becomes one article, a feed becomes its entries."""
    try:
        fetched = fetcher.fetch(url)
        head = fetched.content[:8192]
        kind = sniff_kind(Path(urlpath(fetched.url)), head)
        if kind == "feed" or "rss" in fetched.content_type or "atom" in fetched.content_type:
            yield from read_feed_bytes(
                fetched.content,
                where=url,
                fetcher=fetcher,
                fetch_links=fetch_links,
                known_url=known_url,
            )
            return
        text, _ = decode_bytes(fetched.content, where=url)
        if kind == "html" or "html" in fetched.content_type:
            yield RawArticle(source=url, kind="url", html=text, url=fetched.url)
        else:
            yield RawArticle(source=url, kind="url", text=text, url=fetched.url)
    except NewsprismError as err:
        yield failure(err)


def urlpath(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"
