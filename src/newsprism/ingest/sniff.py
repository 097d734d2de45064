"""Tell what kind of source a file is from its content, not only its name."""

from __future__ import annotations

import json
import re
from pathlib import Path

from newsprism.ingest.limits import gunzip_head

KINDS = ("text", "html", "jsonl", "feed", "warc")

_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF)[\s>]", re.IGNORECASE)
_HTML_MARK = re.compile(
    rb"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<article[\s>]|<(p|div)[\s>]", re.IGNORECASE
)


def sniff_kind(path: Path, head: bytes) -> str:
    """Guess the source kind of a file from its first bytes (and its suffix as a tie-breaker)."""
    if head.startswith(b"\x1f\x8b"):
        # Judge a gzip file by its first decompressed bytes (a truncated file has them too),
        # and its name without ".gz": a gzipped text is not an archive.
        inner = gunzip_head(head)
        name = path.name.lower()
        if inner.startswith(b"WARC/") or name.endswith((".warc.gz", ".arc.gz")):
            return "warc"
        return sniff_kind(path.with_suffix("") if name.endswith(".gz") else path, inner)
    stripped = _strip_bom(head).lstrip()
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith(b"{") and _first_line_is_json(stripped):
        return "jsonl"
    if stripped.startswith(b"<"):
        if _FEED_ROOT.search(stripped[:4096]):
            return "feed"
        if _HTML_MARK.search(stripped[:8192]):
            return "html"
        if stripped.startswith(b"<?xml"):
            return "feed"
    suffix = path.suffix.lower()
    if suffix in {".html", ".htm", ".xhtml"}:
        return "html"
    if suffix in {".rss", ".atom"}:
        return "feed"
    if suffix == ".jsonl":
        return "jsonl"
    return "text"


def _strip_bom(data: bytes) -> bytes:
    for bom in (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff"):
        if data.startswith(bom):
            data = data[len(bom) :]
            # UTF-16 heads sniff poorly as bytes; drop the NULs for the checks above.
            return data.replace(b"\x00", b"") if bom != b"\xef\xbb\xbf" else data
    return data


def _first_line_is_json(data: bytes) -> bool:
    line = data.split(b"\n", 1)[0].strip()
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        # A first line cut short by the head buffer still looks like a JSON object.
        return len(line) >= 4000 and line.startswith(b'{"')
