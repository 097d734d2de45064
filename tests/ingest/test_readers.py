"""Readers over real files: every kind, and bad input that must fail clearly, alone."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest

from newsprism.errors import EncodingError
from newsprism.ingest import IngestReport, clean_sources
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.readers import ReadFailure, read_path

BODY = (
    "The regional water board said on Monday that repairs to the eastern canal would take "
    "three weeks. Boats will be diverted through the old lock while engineers work."
)


def _articles(*paths: Path, **options: object):  # type: ignore[no-untyped-def]
    report = IngestReport()
    return list(clean_sources(list(paths), report, **options)), report


def test_txt_first_line_is_title(tmp_path: Path) -> None:
    path = tmp_path / "canal.txt"
    path.write_text(f"Canal repairs to take three weeks\n\n{BODY}\n", encoding="utf-8")
    [article], report = _articles(path)
    assert report.ok
    assert article.title == "Canal repairs to take three weeks"
    assert article.text.startswith("The regional water board")
    assert article.lang == "en" and article.kind == "text"


def test_txt_without_title_line(tmp_path: Path) -> None:
    path = tmp_path / "canal.txt"
    path.write_text(f"{BODY}\n", encoding="utf-8")
    [article], _ = _articles(path, title_in_text=False)
    assert article.text.startswith("The regional water board")
    assert article.title.startswith("The regional water board")


@pytest.mark.parametrize(
    ("encoding", "prefix"),
    [("cp1252", b""), ("latin-1", b""), ("utf-16", b""), ("utf-8-sig", b"")],
)
def test_legacy_and_bom_encodings(tmp_path: Path, encoding: str, prefix: bytes) -> None:
    text = f"Café owners protest rent rises\n\nThe café owners’ association said rents rose. {BODY}"
    if encoding == "latin-1":
        text = text.replace("’", "'")
    path = tmp_path / "cafe.txt"
    path.write_bytes(prefix + text.encode(encoding))
    [article], report = _articles(path)
    assert report.ok
    assert article.title == "Café owners protest rent rises"


def test_mixed_utf8_and_cp1252_bytes_are_repaired() -> None:
    data = "Zürich café reopens — at last.\n".encode() + "Prices in € rose.".encode("cp1252")
    text, encoding = decode_bytes(data, where="mixed.txt")
    assert text == "Zürich café reopens — at last.\nPrices in € rose."
    assert encoding == "utf-8+cp1252"


def test_binary_and_empty_files_fail_clearly(tmp_path: Path) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 4)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_text("   \n\n  ")
    good = tmp_path / "good.txt"
    good.write_text(f"Good article\n\n{BODY}")
    articles, report = _articles(tmp_path)
    assert [a.title for a in articles] == ["Good article"]
    messages = {f.where: f.message for f in report.failures}
    assert "binary" in messages[str(binary)]
    assert "empty" in messages[str(empty)]
    assert "empty" in messages[str(blank)]
    with pytest.raises(EncodingError):
        decode_bytes(binary.read_bytes(), where=str(binary))


def test_jsonl_contract_and_bad_lines(tmp_path: Path) -> None:
    lines = [
        json.dumps(
            {
                "id": "x1",
                "url": "https://news.example/a",
                "outlet": "Example News",
                "date": "2024-03-03T09:30:00+01:00",
                "title": "Canal",
                "text": BODY,
            }
        ),
        "{not json",
        json.dumps({"id": "x2", "title": "No body"}),
        "",
        json.dumps(["a", "list"]),
        json.dumps(
            {"id": "x3", "title": "Bad date", "date": "next tuesday-ish", "text": BODY + " More."}
        ),
        json.dumps({"id": 7, "text": BODY}),
    ]
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    articles, report = _articles(path)
    assert [a.id for a in articles] == ["x1", "x3"]
    first = articles[0]
    assert first.outlet == "Example News" and first.date is not None
    assert first.date.utcoffset() is not None and first.date.hour == 9
    assert articles[1].date is None
    assert any("field 'date'" in w and ":6" in w for w in report.warnings)
    failures = sorted(f.message for f in report.failures)
    assert len(failures) == 4
    assert any(":2: not valid JSON" in m for m in failures)
    assert any(":3: field 'text' or 'html' is required" in m for m in failures)
    assert any(":5: expected a JSON object" in m for m in failures)
    assert any(":7: field 'id' must be a string" in m for m in failures)


def test_directory_is_read_by_content_not_extension(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "page.dat").write_text(
        f"<!doctype html><html><head><title>Canal works</title></head><body><article>"
        f"<h1>Canal works</h1><p>{BODY}</p><p>{BODY.replace('three', 'four')}</p>"
        f"</article></body></html>"
    )
    (tmp_path / "notes").write_text(json.dumps({"title": "From JSONL", "text": BODY}) + "\n")
    (tmp_path / ".hidden.txt").write_text("Hidden\n\nshould be ignored entirely here ok")
    articles, report = _articles(tmp_path)
    assert report.ok, report.failures
    kinds = sorted(a.kind for a in articles)
    assert kinds == ["html", "jsonl"]


def test_truncated_html_still_yields_text_or_a_clear_failure(tmp_path: Path) -> None:
    good = tmp_path / "cut.html"
    good.write_text(
        f"<html><head><title>Cut page</title></head><body><article><p>{BODY}</p><p>{BODY}"
    )
    hollow = tmp_path / "hollow.html"
    hollow.write_text("<html><head><title>Nothing</title></head><body><div>")
    articles, report = _articles(good, hollow)
    assert len(articles) == 1 and "water board" in articles[0].text
    [failure] = report.failures
    assert failure.where == str(hollow)


RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Example Wire</title>
<item><title>Canal repairs</title><link>https://news.example/canal</link>
<pubDate>Mon, 04 Mar 2024 09:00:00 +0100</pubDate>
<description>{body}</description></item>
<item><title>Short item</title><link>https://news.example/short</link>
<description>Just a teaser.</description></item>
</channel></rss>"""


def test_feed_without_fetching_uses_entry_text(tmp_path: Path) -> None:
    path = tmp_path / "feed.xml"
    long_body = " ".join([BODY] * 4)
    path.write_text(RSS.format(body=long_body), encoding="utf-8")
    articles, report = _articles(path, fetch_links=False)
    assert [a.title for a in articles] == ["Canal repairs"]
    assert articles[0].outlet == "Example Wire"
    assert articles[0].url == "https://news.example/canal"
    assert articles[0].date is not None and articles[0].date.utcoffset() is not None
    [failure] = report.failures
    assert "entry2" in failure.where and "no article text" in failure.message


def test_feed_that_is_not_xml(tmp_path: Path) -> None:
    path = tmp_path / "broken.rss"
    path.write_text("<rss><channel><item><title>oops</ti", encoding="utf-8")
    items = list(read_path(path))
    assert all(isinstance(item, ReadFailure) for item in items)
    assert "not a valid RSS/Atom feed" in items[0].message


def _warc(path: Path, records: list[tuple[str, str, bytes]]) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as fh:
        writer = WARCWriter(fh, gzip=path.suffix == ".gz")
        for uri, content_type, body in records:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
            writer.write_record(record)


@pytest.mark.parametrize("name", ["crawl.warc.gz", "crawl.warc"])
def test_warc_reads_html_responses_only(tmp_path: Path, name: str) -> None:
    page = (
        f"<html><head><title>Canal works</title></head><body><article><h1>Canal works</h1>"
        f"<p>{BODY}</p><p>{BODY}</p></article></body></html>"
    ).encode()
    path = tmp_path / name
    _warc(
        path,
        [
            ("https://news.example/canal", "text/html; charset=utf-8", page),
            ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n"),
        ],
    )
    articles, report = _articles(path)
    assert report.ok, report.failures
    assert len(articles) == 1
    assert articles[0].url == "https://news.example/canal"
    assert articles[0].outlet == "news.example"


def test_truncated_warc_reports_and_keeps_earlier_records(tmp_path: Path) -> None:
    page = f"<html><body><article><p>{BODY}</p><p>{BODY}</p></article></body></html>".encode()
    path = tmp_path / "cut.warc"
    _warc(path, [("https://news.example/a", "text/html", page)] * 1)
    whole = path.read_bytes()
    path.write_bytes(whole + whole[: len(whole) // 2])
    articles, report = _articles(path)
    assert len(articles) == 1
    assert len(report.failures) == 1 and str(path) in report.failures[0].message


def test_gzipped_damaged_file(tmp_path: Path) -> None:
    path = tmp_path / "page.html.gz"
    path.write_bytes(gzip.compress(b"<html><body><p>" + BODY.encode() * 3)[:40])
    items = list(read_path(path))
    assert all(isinstance(i, ReadFailure) for i in items)
