"""Property-based: no input crashes a reader; every failure is a typed, located message."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.clean import clean_text
from newsprism.errors import NewsprismError
from newsprism.ingest import IngestReport, clean_sources
from newsprism.ingest.decode import decode_bytes
from newsprism.ingest.readers import ReadFailure, raw_from_record, read_jsonl_bytes
from newsprism.model import RawArticle

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

PREFIXES = [
    b"",
    b"<html><body><p>",
    b"<?xml version='1.0'?><rss><channel><item>",
    b'{"text": "',
    b"WARC/1.0\r\n",
    b"\x1f\x8b",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
]


@SETTINGS
@given(
    prefix=st.sampled_from(PREFIXES),
    body=st.binary(max_size=2000),
    suffix=st.sampled_from([".txt", ".html", ".jsonl", ".xml", ".warc", ".gz", ""]),
)
def test_any_file_gives_articles_or_located_failures(
    prefix: bytes, body: bytes, suffix: str
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(prefix + body)
        report = IngestReport()
        articles = list(clean_sources([path], report, fetch_links=False))
        for failure in report.failures:
            assert isinstance(failure, ReadFailure)
            assert str(path) in failure.message
        for article in articles:
            assert article.text.strip() and article.title is not None


@SETTINGS
@given(st.binary(max_size=3000))
def test_decode_returns_text_or_raises_a_typed_error(data: bytes) -> None:
    try:
        text, encoding = decode_bytes(data, where="x.txt")
    except NewsprismError as err:
        assert err.where == "x.txt"
    else:
        assert isinstance(text, str) and encoding


@SETTINGS
@given(st.text(max_size=3000))
def test_cleaning_never_invents_or_loses_text(text: str) -> None:
    result = clean_text(text)
    kept_words = result.text.split()
    removed_words = " ".join(r.text for r in result.removed).split()
    source_words = set(text.split())
    for word in kept_words + removed_words:
        # Bullet markers are stripped from kept lines; everything else comes from the source.
        assert any(word in w for w in source_words) or word in source_words


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=40),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)


@SETTINGS
@given(
    st.dictionaries(
        st.sampled_from(["id", "url", "text", "html", "date", "title", "outlet", "x"]), json_values
    )
)
def test_jsonl_records_are_articles_or_input_errors(record: dict[str, object]) -> None:
    try:
        raw = raw_from_record(record, where="f.jsonl:1")
    except NewsprismError as err:
        assert err.where == "f.jsonl:1"
    else:
        assert isinstance(raw, RawArticle) and (raw.text or raw.html)


@SETTINGS
@given(
    st.lists(st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=200), max_size=6)
)
def test_jsonl_lines_each_become_one_item(lines: list[str]) -> None:
    data = "\n".join(line.replace("\n", " ") for line in lines).encode("utf-8", "surrogatepass")
    if not data.strip() or "\ufeff" in data.decode():
        return
    items = list(read_jsonl_bytes(data, where="f.jsonl"))
    non_blank = [line for line in data.decode().split("\n") if line.strip()]
    assert len(items) == len(non_blank)
