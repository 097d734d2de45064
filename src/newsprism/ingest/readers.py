"""One reader per source kind. Each yields RawArticle items or ReadFailure items, never raises
for a single bad record, so one broken article never stops a batch."""

from __future__ import annotations

import gzip
import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsprism.errors import EmptyInputError, FetchError, InputError, NewsprismError
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.fetch import Fetcher
from newsprism.ingest.sniff import sniff_kind
from newsprism.model import RawArticle

JSONL_FIELDS = {"id", "url", "outlet", "date", "title", "text", "html", "lang", "author"}
MAX_FILE_BYTES = 200 * 1024 * 1024  # one article file; archives are streamed instead


@dataclass(frozen=True)
class ReadFailure:
    """A source or record that could not be read, with a message naming where and why."""

    where: str
    message: str


@dataclass(frozen=True)
class AlreadyStored:
    """A feed entry whose link is already in the store: not fetched again."""

    where: str
    url: str
    article_id: str


ReadItem = RawArticle | ReadFailure | AlreadyStored
KnownUrl = Callable[[str], str | None]  # url -> id of the stored article, or None


def _failure(err: NewsprismError) -> ReadFailure:
    return ReadFailure(where=err.where or "?", message=str(err))


def read_path(
    path: Path,
    *,
    fetcher: Fetcher | None = None,
    fetch_links: bool = True,
    title_in_text: bool = True,
    known_url: KnownUrl | None = None,
    exclude: frozenset[Path] = frozenset(),
) -> Iterator[ReadItem]:
    """Read a file or a directory (recursively, by detected type).

    ``exclude`` holds resolved paths to skip in directory walks (the database being written).
    """
    if path.is_dir():
        for child in _walk(path):
            if child.resolve() in exclude:
                continue
            yield from read_path(
                child,
                fetcher=fetcher,
                fetch_links=fetch_links,
                title_in_text=title_in_text,
                known_url=known_url,
            )
        return
    where = str(path)
    try:
        if not path.exists():
            raise InputError("no such file or directory", where=where)
        if path.stat().st_size == 0:
            raise EmptyInputError("the file is empty", where=where, hint="nothing to ingest")
        with path.open("rb") as fh:
            head = fh.read(8192)
        kind = sniff_kind(path, head)
        if kind == "warc":
            yield from read_warc(path)
            return
        if path.stat().st_size > MAX_FILE_BYTES:
            raise InputError(
                f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MB",
                where=where,
                hint="split it, or give it as JSONL or WARC which are streamed",
            )
        data = path.read_bytes()
        if data[:2] == b"\x1f\x8b":
            data = _gunzip(data, where)
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
        yield _failure(err)
    except OSError as err:
        yield ReadFailure(where=where, message=f"{where}: cannot read file: {err.strerror or err}")


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if not name.startswith("."):
                yield Path(dirpath) / name


def _gunzip(data: bytes, where: str) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError) as err:
        raise InputError(f"gzip file is damaged: {err}", where=where) from err


def read_jsonl_bytes(data: bytes, *, where: str) -> Iterator[ReadItem]:
    """Read JSONL in the input contract: one article object per line."""
    try:
        text, _ = decode_bytes(data, where=where)
    except NewsprismError as err:
        yield _failure(err)
        return
    # JSON Lines are separated by "\n" only; str.splitlines() would also split on U+0085 etc.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        line_where = f"{where}:{number}"
        try:
            yield raw_from_record(parse_json_line(line, line_where), where=line_where)
        except NewsprismError as err:
            yield _failure(err)


def parse_json_line(line: str, where: str) -> dict[str, Any]:
    """One JSONL line as a JSON object, or an InputError naming ``where``."""
    try:
        record = json.loads(line)
    except json.JSONDecodeError as err:
        raise InputError(
            f"not valid JSON ({err.msg} at column {err.colno})",
            where=where,
            hint="each line must be one JSON object",
        ) from err
    if not isinstance(record, dict):
        raise InputError(f"expected a JSON object, got {type(record).__name__}", where=where)
    return record


def raw_from_record(record: dict[str, Any], *, where: str) -> RawArticle:
    """Check one JSONL record against the input contract and make a RawArticle of it."""
    for name, value in record.items():
        if name in JSONL_FIELDS and value is not None and not isinstance(value, str):
            raise InputError(
                f"field {name!r} must be a string, got {type(value).__name__}", where=where
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

    parsed = feedparser.parse(data)
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
                yield _failure(err)
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
            yield _failure(fetch_error)
        else:
            yield ReadFailure(
                where=entry_where,
                message=f"{entry_where}: entry has no link to fetch and no article text",
            )


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
        yield _failure(err)


def urlpath(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path or "/"


def read_warc(path: Path) -> Iterator[ReadItem]:
    """Read HTML responses from a WARC or WARC.gz archive (the CC-NEWS format), streaming."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    where = str(path)
    count = 0
    try:
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream)
            for record in iterator:
                item = _warc_item(record, where, count + 1)
                if _cut_short(record):
                    item = ReadFailure(
                        where=f"{where}#record{count + 1}",
                        message=f"{where}#record{count + 1}: WARC record is truncated "
                        "(fewer bytes than its Content-Length)",
                    )
                if item is not None:
                    count += 1
                    yield item
    except ArchiveLoadFailed as err:
        yield ReadFailure(where=where, message=f"{where}: not a readable WARC archive ({err})")
    except Exception as err:  # warcio raises many kinds of errors on damaged archives
        yield ReadFailure(
            where=where,
            message=f"{where}: WARC archive is truncated or damaged after {count} HTML records "
            f"({type(err).__name__}: {err})",
        )


def _warc_item(record: Any, where: str, number: int) -> ReadItem | None:
    """The HTML response in one WARC record, a failure, or None for records we don't read."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    record_where = f"{where}#record{number} ({uri})"
    try:
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None
        body = record.content_stream().read()
        _check_payload_digest(record, body, where=record_where)
        text, _ = decode_bytes(body, where=record_where)
        date = record.rec_headers.get_header("WARC-Date")
        return RawArticle(source=record_where, kind="warc", html=text, url=uri, date=date)
    except NewsprismError as err:
        return _failure(err)
    except Exception as err:  # a damaged record must not stop the archive
        return ReadFailure(
            where=record_where,
            message=f"{record_where}: damaged WARC record ({type(err).__name__}: {err})",
        )


def _cut_short(record: Any) -> bool:
    """True when the archive ended before the record's declared length."""
    stream = record.raw_stream
    while stream.read(65536):
        pass
    return bool(getattr(stream, "limit", 0))


def _check_payload_digest(record: Any, body: bytes, *, where: str) -> None:
    """A record cut short still parses; its payload digest, when present, tells."""
    declared = record.rec_headers.get_header("WARC-Payload-Digest") or ""
    algorithm, _, value = declared.partition(":")
    if algorithm.lower() != "sha1" or not value:
        return
    import base64
    import hashlib

    if record.http_headers.get_header("Content-Encoding") or record.http_headers.get_header(
        "Transfer-Encoding"
    ):
        return  # the digest covers the encoded bytes; the body here is decoded
    actual = base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
    if actual != value.strip():
        raise InputError(
            "WARC record is truncated or damaged (payload digest does not match)", where=where
        )
