"""Hostile input (issue 16): each case fails alone, named, in bounded memory; the rest is read.

The files are made by ``benchmarks/hostile_inputs.py`` in a temp folder, never downloaded.
"""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsprism.ingest import IngestReport, clean_sources, ingest
from newsprism.ingest.readers import ReadFailure, read_jsonl_bytes, read_path
from newsprism.store import Store
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
from hostile_inputs import CASES, good_article, write_all

SETTINGS = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# What each case must give: a failure, a warning, or an article, with words the message holds.
EXPECTED: dict[str, tuple[str, str]] = {
    "deep.jsonl": ("failure", "nested more than 100 levels"),
    "tz99.jsonl": ("warning", "time-zone offset of 24 hours or more"),
    "gmt99.jsonl": ("warning", "time-zone offset of 24 hours or more"),
    "surrogate.jsonl": ("failure", "lone surrogate"),
    "zeros_64k.gz": ("failure", "decompresses to more than 16 MB"),
    "zeros_1m.gz": ("failure", "decompresses to more than 16 MB"),
    "page_1m.html.gz": ("failure", "decompresses to more than 16 MB"),
    "paragraphs_200k.html": ("warning", "paragraph-like elements after the first 10,000"),
    "utf16_no_bom.txt": ("article", ""),
    "nul_byte.txt": ("failure", "NUL byte"),
    "truncated.txt.gz": ("failure", "gzip file is truncated"),
    "escape_title.txt": ("article", ""),
    "symlink_loop": ("failure", "symbolic link loop"),
    "passwd_link": ("warning", "outside the folder"),
    "fifo": ("failure", "not a regular file but a named pipe"),
}


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return write_all(tmp_path_factory.mktemp("hostile"))


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_hostile_case_fails_alone_and_named(
    hostile: dict[str, Path], tmp_path: Path, name: str
) -> None:
    good = tmp_path / "after.txt"
    good.write_text(good_article(999))
    with Store(tmp_path / "n.db") as store:
        report = ingest([hostile[name], good], store)
        stored = {a.source for a in store.articles(limit=None)}
    outcome, words = EXPECTED[name]
    assert str(good) in stored, "the input after the hostile one was not read"
    for failure in report.failures:
        assert name in failure.message, failure.message  # every failure names its input
        assert "bug in newsprism" not in failure.message
        assert len(failure.message) <= 1000
    if outcome == "failure":
        assert any(words in f.message for f in report.failures), report.failures
    elif outcome == "warning":
        assert any(words in w for w in report.warnings), report.warnings
    else:
        assert not report.failures and len(report.ingested) >= 2


def test_a_link_out_of_the_folder_is_read_only_with_follow_links(hostile: dict[str, Path],
                                                                 tmp_path: Path) -> None:  # fmt: skip
    with Store(tmp_path / "n.db") as store:
        ingest(hostile["passwd_link"], store)
        assert not any(a.source.endswith("passwd.txt") for a in store.articles(limit=None))
    outside = tmp_path / "outside.txt"
    outside.write_text(good_article(5))
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "link.txt").symlink_to(outside)
    (folder / "own.txt").write_text(good_article(6))
    (folder / "inner.txt").symlink_to(folder / "own.txt")  # inside: read (a duplicate)
    with Store(tmp_path / "m.db") as store:
        plain = ingest(folder, store)
        assert len(plain.ingested) == 1 and len(plain.duplicates) == 1
        followed = ingest(folder, store, follow_links=True)
        assert len(followed.ingested) == 1


def test_mixed_folder_through_the_cli(hostile: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    result = subprocess.run(
        [sys.executable, "-m", "newsprism", "ingest", str(hostile["mixed"]), "--db", str(db)],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    assert "Traceback" not in out and "Internal error" not in out and "bug in" not in out
    failed = [line for line in out.splitlines() if line.startswith("failed: ")]
    assert failed and all(str(hostile["mixed"]) in line for line in failed), failed
    with Store(db) as store:
        sources = {Path(a.source).name for a in store.articles(limit=None)}
        assert {"good0.txt", "good1.txt", "good2.txt"} <= sources
        assert store.pending_stories() == []


def test_escape_sequences_are_not_printed_raw(hostile: dict[str, Path], tmp_path: Path) -> None:
    db = tmp_path / "n.db"
    with Store(db) as store:
        [article_id] = ingest(hostile["escape_title.txt"], store).ingested

    def run(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "newsprism", *args, "--db", str(db)],
            capture_output=True, text=True, timeout=120, check=True,
        )  # fmt: skip
        return done.stdout

    for output in (run("articles"), run("show", article_id)):
        assert "\x1b" not in output and "\x07" not in output
        assert "\\x1b[31mRED" in output  # shown, escaped, not hidden


def test_fifo_in_a_folder_is_named_not_empty(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "ok.txt").write_text(good_article(1))
    items = list(read_path(tmp_path))
    [failure] = [i for i in items if isinstance(i, ReadFailure)]
    assert "pipe.txt: not a regular file" in failure.message


def test_deep_html_and_long_lines_are_bounded(tmp_path: Path) -> None:
    deep = tmp_path / "deep.html"
    deep.write_text("<html><body>" + "<div>" * 100_000 + "text" + "</div>" * 100_000)
    long_line = tmp_path / "long.jsonl"
    long_line.write_text('{"text": "' + "word " * 4_000_000 + '"}\n')
    report = IngestReport()
    articles = list(clean_sources([deep, long_line], report))
    assert not articles
    assert [f.where for f in report.failures] == [str(deep), f"{long_line}:1"]
    assert "limit for one record" in report.failures[1].message


def test_a_warc_gz_of_zeros_fails_within_the_line_limit(tmp_path: Path) -> None:
    path = tmp_path / "zeros.warc.gz"
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    path.write_bytes(packer.compress(b"WARC/1.0\r\n" + bytes(40 << 20)) + packer.flush())
    [failure] = list(read_path(path))
    assert isinstance(failure, ReadFailure)
    assert "without a line break" in failure.message and len(failure.message) < 1000


# --- fuzz: records and files no one wrote on purpose -------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=20,
)
_dates = st.one_of(
    st.text(max_size=40),
    st.from_regex(
        r"\A[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{1,3}:"
        r"[0-9]{2}\Z"
    ),
    st.from_regex(r"\AMon, 0[1-9] Jan [0-9]{4} 00:00:00 (GMT|UTC)[+-][0-9]{1,3}\Z"),
)


@SETTINGS
@given(
    extra=st.dictionaries(
        st.sampled_from(["id", "url", "outlet", "lang", "x", "tags"]), _json_values
    ),
    date=_dates,
    escape=st.sampled_from(["", "\\ud800", "\\udfff", "\\u0000", "\\u001b[2J", "\\ud83d\\ude00"]),
    depth=st.integers(min_value=0, max_value=3000),
)
def test_fuzzed_jsonl_records_fail_alone_and_named(extra: dict[str, object], date: str,
                                                   escape: str, depth: int) -> None:  # fmt: skip
    record = json.dumps({**extra, "date": date, "title": "Canal T", "text": good_article(3)})
    record = record.replace('"Canal T"', f'"Canal {escape}T"')
    nested = '{"text": "x", "n": ' + "[" * depth + "]" * depth + "}"
    data = f"{record}\n{nested}\n{json.dumps({'text': good_article(4)})}\n".encode()
    report = IngestReport()
    items = list(read_jsonl_bytes(data, where="fuzz.jsonl"))
    articles = list(clean_sources_from(items, report))
    assert len(items) == 3
    for failure in report.failures:
        assert failure.message.startswith("fuzz.jsonl:"), failure.message
        assert "bug in newsprism" not in failure.message
    assert any(a.source == "fuzz.jsonl:3" for a in articles)


def clean_sources_from(items: list[object], report: IngestReport) -> list[object]:
    """Run read items through cleaning, as clean_sources does for files."""
    from newsprism.ingest.build import to_article
    from newsprism.model import RawArticle

    out = []
    for item in items:
        if isinstance(item, ReadFailure):
            report.failures.append(item)
        elif isinstance(item, RawArticle):
            try:
                out.append(to_article(item, report.warnings))
            except Exception as err:  # the point of the test: nothing but NewsprismError
                from newsprism.errors import NewsprismError

                assert isinstance(err, NewsprismError), repr(err)
                report.failures.append(ReadFailure(where=item.source, message=str(err)))
    return out


@SETTINGS
@given(
    body=st.binary(max_size=3000),
    cut=st.floats(min_value=0.0, max_value=1.0),
    name=st.sampled_from(["a.txt.gz", "a.html.gz", "a.jsonl.gz", "a.gz", "a.warc.gz"]),
    prefix=st.sampled_from([b"", b"WARC/1.0\r\n", b"<html><body><p>", b'{"text": "']),
)
def test_fuzzed_gzip_files_fail_alone_and_named(body: bytes, cut: float, name: str,
                                                prefix: bytes) -> None:  # fmt: skip
    import tempfile

    data = gzip.compress(prefix + body)
    data = data[: max(2, int(len(data) * cut))] if cut < 1.0 else data
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(data)
        report = IngestReport()
        list(clean_sources([path], report))
    for failure in report.failures:
        assert str(path) in failure.message, failure.message
        assert "bug in newsprism" not in failure.message
        assert len(failure.message) <= 1000


def test_every_case_has_an_expectation() -> None:
    assert set(CASES) - {"mixed"} == set(EXPECTED)
