"""WARC and WARC.gz archives (the CC-NEWS format): HTML responses, streamed, bounded."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsprism.errors import InputError, LimitError, NewsprismError
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.items import ReadFailure, ReadItem, failure
from newsprism.ingest.limits import MAX_DOCUMENT_BYTES, LineBoundedReader, excerpt, size_name
from newsprism.model import RawArticle


def read_warc(path: Path) -> Iterator[ReadItem]:
    """Read HTML responses from a WARC or WARC.gz archive, streaming.

    The archive is decompressed here, not by warcio, so no line and no record body can grow
    past :data:`MAX_DOCUMENT_BYTES` (a gzip of zeros would otherwise be one gigabyte "line").
    """
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    where = str(path)
    count = 0
    try:
        with path.open("rb") as raw, LineBoundedReader(raw, where=where) as stream:
            for record in ArchiveIterator(stream):
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
        yield ReadFailure(
            where=where, message=f"{where}: not a readable WARC archive ({excerpt(err)})"
        )
    except NewsprismError as err:
        yield failure(err)
    except Exception as err:  # warcio raises many kinds of errors on damaged archives
        yield ReadFailure(
            where=where,
            message=f"{where}: WARC archive is truncated or damaged after {count} HTML records "
            f"({type(err).__name__}: {excerpt(err)})",
        )


def _warc_item(record: Any, where: str, number: int) -> ReadItem | None:
    """The HTML response in one WARC record, a failure, or None for records we don't read."""
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type") or ""
    if "html" not in content_type.lower():
        return None
    uri = record.rec_headers.get_header("WARC-Target-URI")
    record_where = f"{where}#record{number} ({excerpt(uri, 300)})"
    try:
        status = record.http_headers.get_statuscode()
        if status and not status.startswith("2"):
            return None
        body = record.content_stream().read(MAX_DOCUMENT_BYTES + 1)
        if len(body) > MAX_DOCUMENT_BYTES:
            raise LimitError(
                f"HTML response larger than {size_name(MAX_DOCUMENT_BYTES)}",
                where=record_where,
                hint="not read: no news page is that long",
            )
        _check_payload_digest(record, body, where=record_where)
        text, _ = decode_bytes(body, where=record_where)
        date = record.rec_headers.get_header("WARC-Date")
        return RawArticle(source=record_where, kind="warc", html=text, url=uri, date=date)
    except NewsprismError as err:
        return failure(err)
    except Exception as err:  # a damaged record must not stop the archive
        return ReadFailure(
            where=record_where,
            message=f"{record_where}: damaged WARC record ({type(err).__name__}: {excerpt(err)})",
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
    if record.http_headers.get_header("Content-Encoding") or record.http_headers.get_header(
        "Transfer-Encoding"
    ):
        return  # the digest covers the encoded bytes; the body here is decoded
    actual = base64.b32encode(hashlib.sha1(body).digest()).decode("ascii")
    if actual != value.strip():
        raise InputError(
            "WARC record is truncated or damaged (payload digest does not match)", where=where
        )
