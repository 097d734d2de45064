"""Fuzz (issue 16): random and hostile JSONL records, text files and HTML pages through the real
`ingest` (library and CLI): 0 internal errors, 0 tracebacks, every failure names its input (the
file, and for a JSONL record its line), and the good inputs beside them are stored.

The hand-made hostile files are in ``test_hostile.py`` (made by ``benchmarks/hostile_inputs.py``).
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.cli import main
from newsprism.ingest import IngestReport, ingest
from newsprism.ingest.readers import ReadFailure, read_feed_bytes
from newsprism.model import Article
from newsprism.store import Store

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
BODY = (
    "The regional water board said on Monday that repairs to the eastern canal would take "
    "three weeks. Boats will be diverted through the old lock while engineers work on the "
    "damaged gates, a spokeswoman said, adding that the cost was not yet known."
)
BUG = ("bug in newsprism", "Internal error", "Traceback")

# -- JSONL records ------------------------------------------------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**30), max_value=10**30)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6), inner),
    max_leaves=15,
)
_hostile_strings = st.sampled_from(
    [
        "\\ud800",
        "\\udfff x",
        "\\u0000",
        "\\u001b[2J\\u001b]0;pwned\\u0007",
        "\\u202e\\u2028\\u0085",
        "<script>alert(1)</script>",
        "x" * 5000,
    ]
)
_dates = st.one_of(
    st.text(max_size=40),
    st.from_regex(
        r"\A[0-9]{1,6}-[0-9]{1,2}-[0-9]{1,2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?"
        r"([+-][0-9]{1,3}:[0-9]{2}|Z)?\Z"
    ),
    st.from_regex(
        r"\A(Mon, )?[0-9]{1,2} Jan [0-9]{1,5} [0-9]{2}:[0-9]{2}:[0-9]{2} "
        r"(GMT|UTC)?[+-][0-9]{1,4}\Z"
    ),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
)
_FIELDS = ["id", "url", "outlet", "lang", "author", "tags", "x"]


@st.composite
def jsonl_line(draw: st.DrawFn, n: int) -> tuple[bytes, bool]:
    """One JSONL line (bytes, no line break) and whether it is a good record that must be
    stored. ``n`` makes each good record's text distinct."""
    kind = draw(st.sampled_from(["good", "fields", "escape", "deep", "value", "text", "bytes"]))
    record: dict[str, object] = {"title": f"Canal story {n}", "text": f"{BODY} Line {n}."}
    if kind == "good":
        return json.dumps(record).encode(), True
    if kind == "fields":
        extra = draw(st.dictionaries(st.sampled_from(_FIELDS), _json_values, max_size=3))
        record |= {**extra, "date": draw(_dates)}
        return json.dumps(record).encode(), False
    if kind == "escape":
        line = json.dumps(record).replace("Canal story", "Canal " + draw(_hostile_strings))
        return line.encode(), False
    if kind == "deep":
        depth = draw(st.integers(min_value=50, max_value=20_000))
        bracket = draw(st.sampled_from(["[]", "{}"]))
        inner = "[1]" if bracket == "[]" else "1"
        nest = (
            "[" * depth + inner + "]" * depth
            if bracket == "[]"
            else '{"a":' * depth + inner + "}" * depth
        )
        return ('{"text": "x", "n": ' + nest + "}").encode(), False
    if kind == "value":
        return json.dumps(draw(_json_values)).encode(), False
    if kind == "bytes":  # NUL bytes, bytes that are not UTF-8: that line's failure only
        data = draw(st.binary(max_size=200) | st.sampled_from([b"\x00", b"\x1b\x80", b"\xff\xfe"]))
        return data.replace(b"\n", b" "), False
    text = draw(st.text(max_size=200).map(lambda t: re.sub("[\n\r]", " ", t)))
    return text.encode(), False


@st.composite
def jsonl_file(draw: st.DrawFn) -> tuple[bytes, list[int]]:
    """A JSONL file whose first line is a good record (so it is read as JSONL) and the line
    numbers of the good records in it."""
    count = draw(st.integers(min_value=1, max_value=12))
    lines = [(json.dumps({"title": "Canal story 0", "text": f"{BODY} Line 0."}).encode(), True)]
    lines += [draw(jsonl_line(n)) for n in range(1, count)]
    crlf = draw(st.booleans())
    data = (b"\r\n" if crlf else b"\n").join(line for line, _ in lines)
    return data, [i for i, (_, good) in enumerate(lines, start=1) if good]


# -- HTML pages and text files ------------------------------------------------------------------

_TAGS = ["p", "div", "article", "h1", "span", "script", "style", "table", "td", "li", "a", "b"]


@st.composite
def html_page(draw: st.DrawFn) -> bytes:
    parts: list[str] = [draw(st.sampled_from(["", "<!doctype html>", "<?xml version='1.0'?>"]))]
    for _ in range(draw(st.integers(min_value=0, max_value=40))):
        tag = draw(st.sampled_from(_TAGS))
        piece = draw(
            st.sampled_from(
                [
                    f"<{tag}>",
                    f"</{tag}>",
                    f"<{tag} class='x' onclick='alert(1)'>",
                    "<!-- comment",
                    "<![CDATA[ x ]]>",
                    "&amp;&#0;&#x10ffff;&bogus;",
                    "&#x110000;&#xd800;&#1114112;&#55296;&#x0000041;&#99999999999999999999",
                    "<meta charset='utf-16'>",
                    "<meta property='article:published_time' content='2024-01-01T00:00:00+09'>",
                    "<meta property='article:published_time' content='2024-01-01T00:00:00+99:00'>",
                    "<time datetime='2024-01-01T00:00:00-24:00'>",
                    "<title>\x1b[31mred</title>",
                    "<" * 10,
                ]
            )
        )
        parts.append(piece + draw(st.text(max_size=40)))
    if draw(st.booleans()):
        depth = draw(st.integers(min_value=100, max_value=5000))
        parts.append("<div>" * depth + BODY + "</div>" * depth)
    encoding = draw(st.sampled_from(["utf-8", "utf-16-le", "latin-1"]))
    return "".join(parts).encode(encoding, "replace")


_texts = st.one_of(
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-16-le", "surrogatepass")),
    st.builds(
        lambda head, tail: head + BODY.encode() + tail,
        st.sampled_from([b"", b"\xff\xfe", b"\xef\xbb\xbf", b"\x00", b"\x1f\x8b", b"WARC/1.0\r\n"]),
        st.binary(max_size=200),
    ),
)

# -- checks -------------------------------------------------------------------------------------


def _write_folder(folder: Path, jsonl: bytes, page: bytes, text: bytes) -> dict[str, Path]:
    files = {
        "jsonl": folder / "records.jsonl",
        "html": folder / "page.html",
        "text": folder / "note.txt",
        "good": folder / "zz-good.txt",
    }
    files["jsonl"].write_bytes(jsonl)
    files["html"].write_bytes(page)
    files["text"].write_bytes(text)
    files["good"].write_text(f"Canal repairs, the good one\n\n{BODY}\n")
    return files


def _check_failures(messages: list[tuple[str, str]], files: dict[str, Path]) -> None:
    """Every failure (where, message) names one of the inputs, a record of the JSONL file by
    its line; none is a bug report; each is short."""
    jsonl = str(files["jsonl"])
    line = re.compile(re.escape(jsonl) + r":(\d+)")
    for where, message in messages:
        assert not any(bug in message for bug in BUG), message
        assert len(message) <= 1000, message[:200]
        named = [p for p in map(str, files.values()) if p in message]
        assert named, f"the failure names no input: {message[:300]}"
        if named == [jsonl]:
            assert where.startswith(jsonl), where
            match = line.match(message)
            assert match and where == match.group(0), f"no line named: {message[:300]}"


@SETTINGS
@given(jsonl=jsonl_file(), page=html_page(), text=_texts)
def test_fuzzed_inputs_through_the_library_ingest(
    jsonl: tuple[bytes, list[int]], page: bytes, text: bytes
) -> None:
    data, good_lines = jsonl
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        files = _write_folder(folder, data, page, text)
        with Store(Path(tmp) / "n.db") as store:
            report = ingest([folder], store)
            sources = {a.source for a in store.articles(limit=None)}
        _check_failures([(f.where, f.message) for f in report.failures], files)
        for warning in report.warnings:
            assert not any(bug in warning for bug in BUG), warning
        assert str(files["good"]) in sources, "the good file after the fuzzed ones was lost"
        kept = sources | {where for where, _ in report.duplicates}
        for number in good_lines:
            assert f"{files['jsonl']}:{number}" in kept, f"good record on line {number} lost"


@settings(SETTINGS, max_examples=15)
@given(jsonl=jsonl_file(), page=html_page(), text=_texts)
def test_fuzzed_inputs_through_the_cli(jsonl: tuple[bytes, list[int]], page: bytes,
                                       text: bytes) -> None:  # fmt: skip
    # The real entry point (`newsprism.cli.main`, the one the console script calls) in process.
    data, _ = jsonl
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        files = _write_folder(folder, data, page, text)
        out, err = io.StringIO(), io.StringIO()
        argv = ["ingest", str(folder), "--db", str(Path(tmp) / "n.db"), "--no-stories", "-q"]
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                main(argv)
                code = 0
            except SystemExit as exit_:
                code = int(exit_.code or 0)
    output = out.getvalue() + err.getvalue()
    assert code in (0, 1), output
    assert not any(bug in output for bug in BUG), output
    failed = [line.removeprefix("failed: ") for line in err.getvalue().splitlines()
              if line.startswith("failed: ")]  # fmt: skip
    assert (code == 1) == bool(failed), output
    _check_failures([(m.split(": ", 1)[0], m) for m in failed], files)
    assert "ingested " in out.getvalue()


def test_hostile_records_through_the_cli_process(tmp_path: Path) -> None:
    # One real `newsprism ingest` process over a JSONL file of every hostile kind of line.
    lines = [
        json.dumps({"title": "Canal story 0", "text": f"{BODY} Line 0."}),
        '{"text": "x", "n": ' + "[" * 50_000 + "]" * 50_000 + "}",
        json.dumps({"title": "Dated", "text": f"{BODY} Line 3.", "date": "2024-01-01T00:00+99:00"}),
        '{"title": "Broken \\ud800", "text": "' + BODY + '"}',
        "not json at all \x1b[2J",
        json.dumps([1, 2, 3]),
        json.dumps({"title": "Canal story 7", "text": f"{BODY} Line 7."}),
    ]
    path = tmp_path / "hostile.jsonl"
    path.write_bytes("\n".join(lines).encode("utf-8", "surrogatepass") + b"\n\xff\xfe\x00\n")
    db = tmp_path / "n.db"
    done = subprocess.run(
        [sys.executable, "-m", "newsprism", "ingest", str(path), "--db", str(db), "--no-stories"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert not any(bug in output for bug in BUG), output
    named = re.compile(rf"failed: {re.escape(str(path))}:(\d+): ")
    failed = [line for line in done.stderr.splitlines() if line.startswith("failed: ")]
    lines_named = [named.match(line) for line in failed]
    assert all(lines_named), failed  # each failure names the file and its line
    assert {int(m.group(1)) for m in lines_named if m} == {2, 4, 5, 6, 8}, failed
    with Store(db) as store:
        sources = {a.source for a in store.articles(limit=None)}
    assert {f"{path}:1", f"{path}:3", f"{path}:7"} <= sources


# -- found by this fuzz (each is in the random inputs above too) ---------------------------------


def _ingest_one(path: Path, data: bytes, **options: bool) -> tuple[IngestReport, list[Article]]:
    path.write_bytes(data)
    with Store(path.parent / "n.db") as store:
        report = ingest([path], store, **options)
        return report, store.articles(limit=None)


@pytest.mark.parametrize(
    "date_meta",
    [
        "<meta property='article:published_time' content='2024-01-01T00:00:00+99:00'>",
        "<meta name='date' content='2024-01-01T00:00:00-24:00'>",
    ],
)
def test_an_html_date_with_a_99_hour_offset_is_a_warning(tmp_path: Path, date_meta: str) -> None:
    # htmldate (in trafilatura's metadata step) fails on the date: the page is read without it.
    path = tmp_path / "page.html"
    report, [article] = _ingest_one(
        path,
        f"<html><head><title>Canal repairs | The Wire</title>{date_meta}"
        "<meta name='author' content='Ann Smith'></head>"
        f"<body><article><h1>Canal repairs</h1><p>{BODY}</p></article></body></html>".encode(),
    )
    assert not report.failures, report.failures
    [warning] = report.warnings
    assert warning.startswith(f"{path}: ") and "24 hours or more" in warning, warning
    assert not any(bug in warning for bug in BUG), warning
    assert article.date is None
    assert article.title == "Canal repairs" and article.author == "Ann Smith"


@pytest.mark.parametrize("reference", [b"&#x110000;", b"&#xd800;", b"&#1114112", b"&#55296;"])
def test_a_character_reference_that_is_no_character_is_the_files_failure(
    tmp_path: Path, reference: bytes
) -> None:
    report, _ = _ingest_one(tmp_path / "page.html", b"<?xml version='1.0'?><h1>" + reference)
    [failure] = report.failures
    assert failure.where == str(tmp_path / "page.html")
    assert not any(bug in failure.message for bug in BUG), failure.message


def test_a_character_reference_that_is_no_character_keeps_the_feeds_entries(
    tmp_path: Path,
) -> None:
    # The reference reads as U+FFFD, the replacement character; the entry is stored.
    body = " ".join([BODY] * 4)
    feed = (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Wire</title>"
        f"<item><title>Canal &#x110000;repairs &#xd800;</title><description>{body} &#99999999999;"
        "</description></item></channel></rss>"
    )
    report, [article] = _ingest_one(tmp_path / "feed.xml", feed.encode(), fetch_links=False)
    assert not report.failures, report.failures
    assert article.title == "Canal \ufffdrepairs \ufffd"
    assert article.text.endswith("\ufffd")


def test_a_feed_the_parser_fails_on_is_that_feeds_failure() -> None:
    # In UTF-16 the reference is not rewritten; feedparser's failure is the feed's, named.
    feed = "<?xml version='1.0' encoding='utf-16'?><h1>&#x110000;".encode("utf-16")
    [failure] = list(read_feed_bytes(feed, where="f.xml", fetcher=None))
    assert isinstance(failure, ReadFailure) and failure.where == "f.xml"
    assert failure.message.startswith("f.xml: not a readable RSS/Atom feed"), failure.message


@pytest.mark.parametrize("bad", [b"\x00", b"\x1b\x80", b'{"text": "\xff\xfe\x00\x00"}'])
def test_a_bad_byte_fails_only_its_jsonl_line(tmp_path: Path, bad: bytes) -> None:
    path = tmp_path / "records.jsonl"
    lines = [json.dumps({"title": f"Canal story {n}", "text": f"{BODY} Line {n}."}) for n in (1, 3)]
    report, articles = _ingest_one(path, b"\n".join([lines[0].encode(), bad, lines[1].encode()]))
    [failure] = report.failures
    assert failure.where == f"{path}:2" and failure.message.startswith(f"{path}:2: ")
    assert not any(bug in failure.message for bug in BUG), failure.message
    assert sorted(a.source for a in articles) == [f"{path}:1", f"{path}:3"]
