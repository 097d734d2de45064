"""`newsprism batch`: partitions, the local and Dask engines, stories across boundaries, export."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import newsprism
from newsprism.ingest.readers import read_path
from newsprism.scale import run_batch
from newsprism.scale.commands import batch_command, export_command
from newsprism.scale.partitions import plan_partitions, read_partition
from newsprism.store import open_store
from tests.scale.conftest import snapshot
from tests.scale.pgserver import fresh_database


def test_jsonl_partitions_read_what_ingest_reads(tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"title": f"T{i}", "text": f"Body of article {i} here."}) for i in range(7)]
    lines[3] = "{not json"
    path.write_text("\n".join(lines[:5]) + "\n\n" + "\n".join(lines[5:]))  # no final newline
    plan = plan_partitions([path], chunk=2)
    assert [p.kind for p in plan] == ["jsonl"] * 4
    ours = [item for p in plan for item in read_partition(p)]
    theirs = list(read_path(path))
    assert [getattr(i, "source", getattr(i, "where", None)) for i in ours] == [
        getattr(i, "source", getattr(i, "where", None)) for i in theirs
    ]


def test_local_batch_stores_what_ingest_stores(archive: Path, tmp_path: Path) -> None:
    report = run_batch([archive], tmp_path / "b.db", chunk=70)
    assert (report.partitions, report.stored, report.failures) == (3, 200, 0)
    newsprism.ingest(archive, tmp_path / "i.db")
    batch, ingest = snapshot(tmp_path / "b.db"), snapshot(tmp_path / "i.db")
    assert batch["articles"] == ingest["articles"]
    assert set(batch["assignments"]) == {a[0] for a in batch["articles"]}
    assert report.stories == len(batch["stories"]) > 1
    again = run_batch([archive], tmp_path / "b.db", chunk=70)  # a finished batch is a no-op
    assert again.stored == 200 and snapshot(tmp_path / "b.db") == batch


def test_stories_do_not_depend_on_partitioning(archive: Path, tmp_path: Path) -> None:
    run_batch([archive], tmp_path / "a.db", chunk=300)
    run_batch([archive], tmp_path / "b.db", chunk=33)
    assert snapshot(tmp_path / "a.db") == snapshot(tmp_path / "b.db")


def test_story_straddling_midnight_and_partitions_stays_one(tmp_path: Path) -> None:
    body = (
        "The Kelmet dam on the Tesvaryn river burst after days of heavy rain, flooding "
        "villages downstream; rescuers from Harbour City searched for the missing."
    )
    records = [
        {"url": "https://a.example/1", "outlet": "A", "date": "2024-05-01T23:40:00+00:00",
         "title": "Kelmet dam bursts on the Tesvaryn", "text": body},
        {"url": "https://c.example/3", "outlet": "C", "date": "2024-05-01T09:00:00+00:00",
         "title": "Parliament passes the budget", "text": "Lawmakers approved the annual "
         "budget on Wednesday after a long debate about school spending and road repairs."},
        {"url": "https://b.example/2", "outlet": "B", "date": "2024-05-02T00:20:00+00:00",
         "title": "Tesvaryn floods after Kelmet dam burst", "text": body + " The toll rose."},
    ]  # fmt: skip
    path = tmp_path / "two.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    run_batch([path], tmp_path / "s.db", chunk=1)  # three partitions, two days
    with open_store(tmp_path / "s.db") as store:
        dam = {store.story_of(a.id) for a in store.articles() if "Kelmet" in a.text}
        assert len(dam) == 1 and None not in dam
        assert len(store.stories()) == 2


def test_dask_engine_matches_local(archive: Path, tmp_path: Path) -> None:
    local = run_batch([archive], tmp_path / "local.db", chunk=60)
    dask = run_batch([archive], tmp_path / "dask.db", chunk=60, engine="dask", workers=2)
    assert (dask.stored, dask.partitions) == (local.stored, local.partitions)
    assert snapshot(tmp_path / "dask.db") == snapshot(tmp_path / "local.db")


def test_batch_and_export_on_postgresql(archive: Path, tmp_path: Path) -> None:
    url = fresh_database()
    run_batch([archive], url, chunk=100, work_dir=tmp_path / "work")
    run_batch([archive], tmp_path / "lite.db", chunk=100)
    pg, lite = snapshot(url), snapshot(tmp_path / "lite.db")
    assert pg["articles"] == lite["articles"] and pg["assignments"] == lite["assignments"]
    result = CliRunner().invoke(
        export_command, ["--db", url, "--format", "csv", "-o", str(tmp_path / "out")]
    )
    assert result.exit_code == 0, result.output
    with (tmp_path / "out" / "articles.csv").open() as fh:
        assert len(list(csv.DictReader(fh))) == 200


@pytest.mark.parametrize("fmt", ["parquet", "csv", "jsonl"])
def test_export_formats(fmt: str, tmp_path: Path) -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "articles"
    db = tmp_path / "news.db"
    runner = CliRunner()
    done = runner.invoke(batch_command, [str(examples), "--db", str(db), "-q", "--annotate"])
    assert done.exit_code == 0, done.output
    out = tmp_path / "out"
    result = runner.invoke(export_command, ["--db", str(db), "--format", fmt, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with open_store(db) as store:
        n_articles, n_stories = store.count(), len(store.stories())
        n_quotes = sum(len((store.annotation(a.id) or {})["quotes"]) for a in store.articles())
    assert n_quotes > 0
    rows = {
        table: _read(out / f"{table}.{fmt}", fmt) for table in ("articles", "stories", "quotes")
    }
    assert [len(rows[t]) for t in rows] == [n_articles, n_stories, n_quotes]
    assert all(r["story_id"] for r in rows["articles"])
    assert {r["article_id"] for r in rows["quotes"]} <= {r["id"] for r in rows["articles"]}


def _read(path: Path, fmt: str) -> list[dict[str, object]]:
    if fmt == "parquet":
        import pyarrow.parquet as pq

        rows: list[dict[str, object]] = pq.read_table(path).to_pylist()
        return rows
    if fmt == "csv":
        with path.open(newline="") as fh:
            return list(csv.DictReader(fh))
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_helper_process_changes_nothing(archive: Path, tmp_path: Path) -> None:
    """--workers 2 (a helper cleans ahead and does lineage) stores and clusters as 1 does."""
    alone = run_batch([archive], tmp_path / "one.db", chunk=40, workers=1)
    helped = run_batch([archive], tmp_path / "two.db", chunk=40, workers=2)
    assert (alone.stored, alone.stories) == (helped.stored, helped.stories)
    assert snapshot(tmp_path / "one.db") == snapshot(tmp_path / "two.db")


def test_spilled_articles_keep_their_language(tmp_path: Path) -> None:
    """The story stage reads articles back from the spill: their language must survive it,
    or articles in two languages would be compared as if they shared one."""
    from datetime import UTC, datetime

    from newsprism.model import Article
    from newsprism.scale.pipeline import _spill_record, _spilled

    article = Article(
        id="x1",
        title="Un titre",
        text="Un titre\n\nLe texte de l'article.",
        source="x.jsonl",
        kind="jsonl",
        outlet="Le Journal",
        date=datetime(2024, 3, 1, tzinfo=UTC),
        lang="fr",
    )
    (tmp_path / "day.jsonl").write_text(
        json.dumps(_spill_record(article, "x1"), ensure_ascii=False) + "\n", encoding="utf-8"
    )
    [back] = list(_spilled(tmp_path))
    assert (back.id, back.lang, back.title, back.date) == ("x1", "fr", "Un titre", article.date)


def test_jsonl_bad_bytes_fail_only_their_line_in_batch_and_ingest(tmp_path: Path) -> None:
    # Both decode line by line: a NUL byte or bytes that are not UTF-8 fail that line alone.
    path = tmp_path / "bytes.jsonl"
    good = [json.dumps({"title": f"T{i}", "text": f"Body of article {i} here."}) for i in range(4)]
    path.write_bytes(
        b"\n".join([good[0].encode(), b"\x00", good[1].encode(), b"\x1b\x80", good[2].encode()])
        + b'\n{"title": "caf\xe9", "text": "Body of the last article."}\n'
    )
    plan = plan_partitions([path], chunk=2)
    ours = [item for p in plan for item in read_partition(p)]
    theirs = list(read_path(path))
    where = [getattr(i, "source", getattr(i, "where", None)) for i in theirs]
    assert [getattr(i, "source", getattr(i, "where", None)) for i in ours] == where
    assert where == [f"{path}:{n}" for n in range(1, 7)]
    assert [type(i).__name__ for i in theirs] == ["RawArticle", "ReadFailure"] * 2 + [
        "RawArticle"
    ] * 2


def test_batch_prints_control_characters_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad\x1b[2J.txt").write_bytes(b"")
    (folder / "good.txt").write_text(
        "Canal repairs\n\nThe regional water board said on Monday that repairs to the eastern "
        "canal would take three weeks, a spokeswoman said.\n"
    )
    done = CliRunner().invoke(batch_command, [str(folder), "--db", str(tmp_path / "n.db")])
    assert done.exit_code == 1, done.output
    assert "\x1b" not in done.output
    assert f"failed: {folder}/bad\\x1b[2J.txt: the file is empty" in done.output
