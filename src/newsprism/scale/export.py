"""``newsprism export``: the store as tables for analysts — articles, stories, quotes, claims.

Each table goes to its own file (``articles.parquet``, ``stories.csv`` ...) and is written in
batches, so exporting a large store needs memory for one batch, not the archive.

* ``articles``: one row per stored article (latest versions; ``--all-versions`` for all), with
  its story id.
* ``stories``: one row per story; ``articles`` and ``outlets`` are JSON lists in CSV and lists
  in Parquet/JSONL.
* ``quotes``: one row per quote in the stored annotations (``newsprism annotate`` or
  ``batch --annotate`` makes them); articles without an annotation have no rows.
* ``claims``: one row per aligned claim of each story's comparison report. Nothing stores
  claims, so this runs the comparison for every story of two or more articles: slow, and only
  made when asked for by name.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newsprism.errors import NewsprismError
from newsprism.store import Store

FORMATS = ("parquet", "csv", "jsonl")
TABLES = ("articles", "stories", "quotes", "claims")
DEFAULT_TABLES = ("articles", "stories", "quotes")
BATCH = 5000

ARTICLE_COLUMNS = [
    "id", "story_id", "outlet", "url", "date", "title", "text", "author", "lang", "credit",
    "kind", "source", "content_hash", "version", "n_removed_lines",
]  # fmt: skip
STORY_COLUMNS = [
    "id", "title", "start", "end", "n_articles", "n_outlets", "independent_sources",
    "articles", "outlets",
]  # fmt: skip
_INT_COLUMNS = {"version", "n_removed_lines", "n_articles", "n_outlets", "independent_sources"}
_LIST_COLUMNS = {"articles", "outlets"}


def export_tables(
    store: Store,
    out_dir: Path,
    *,
    fmt: str = "parquet",
    tables: tuple[str, ...] = DEFAULT_TABLES,
    all_versions: bool = False,
) -> dict[str, int]:
    """Write the chosen tables to ``out_dir``; returns the number of rows of each."""
    if fmt not in FORMATS:
        raise NewsprismError(f"unknown export format {fmt!r}", hint="parquet, csv or jsonl")
    unknown = set(tables) - set(TABLES)
    if unknown:
        raise NewsprismError(f"unknown tables {sorted(unknown)}", hint=", ".join(TABLES))
    out_dir.mkdir(parents=True, exist_ok=True)
    sources = {
        "articles": lambda: _article_rows(store, all_versions),
        "stories": lambda: _story_rows(store),
        "quotes": lambda: _quote_rows(store),
        "claims": lambda: _claim_rows(store),
    }
    counts = {}
    for table in tables:
        columns = {"articles": ARTICLE_COLUMNS, "stories": STORY_COLUMNS}.get(table)
        path = out_dir / f"{table}.{fmt}"
        counts[table] = _write(path, fmt, _batches(sources[table]()), columns)
    return counts


# -- rows ------------------------------------------------------------------------------------


def _stored_articles(store: Store, all_versions: bool = False) -> Iterator[Any]:
    offset = 0
    while page := store.articles(limit=BATCH, offset=offset, all_versions=all_versions):
        yield from page
        offset += len(page)


def _article_rows(store: Store, all_versions: bool) -> Iterator[dict[str, Any]]:
    assigned = store.assignments()
    for a in _stored_articles(store, all_versions):
        yield {
            "id": a.id, "story_id": assigned.get(a.id), "outlet": a.outlet, "url": a.url,
            "date": a.date.isoformat() if a.date else None, "title": a.title, "text": a.text,
            "author": a.author, "lang": a.lang, "credit": a.credit, "kind": a.kind,
            "source": a.source, "content_hash": a.content_hash, "version": a.version,
            "n_removed_lines": len(a.removed),
        }  # fmt: skip


def _story_rows(store: Store) -> Iterator[dict[str, Any]]:
    offset = 0
    while page := store.stories(limit=BATCH, offset=offset):
        for s in page:
            yield {
                "id": s["id"], "title": s.get("title"), "start": s.get("start"),
                "end": s.get("end"), "n_articles": len(s.get("articles", [])),
                "n_outlets": len(s.get("outlets", [])),
                "independent_sources": s.get("independent_sources"),
                "articles": list(s.get("articles", [])), "outlets": list(s.get("outlets", [])),
            }  # fmt: skip
        offset += len(page)


def _quote_rows(store: Store) -> Iterator[dict[str, Any]]:
    for article in _stored_articles(store):
        note = store.annotation(article.id)
        for quote in (note or {}).get("quotes", []):
            yield {"article_id": article.id, "outlet": article.outlet, **_flat(quote)}


def _claim_rows(store: Store) -> Iterator[dict[str, Any]]:
    from newsprism.compare.report import compare_articles

    for story in _story_rows(store):
        if story["n_articles"] < 2:
            continue
        report = compare_articles(store.story_articles(story["id"]))
        for n, claim in enumerate(report.get("claims", [])):
            yield {"story_id": story["id"], "claim_index": n, **_flat(claim)}


def _flat(item: dict[str, Any]) -> dict[str, Any]:
    """Scalars as they are, anything nested as JSON text: one flat, typed-enough row."""
    return {
        k: v if v is None or isinstance(v, str | int | float | bool) else json.dumps(v)
        for k, v in item.items()
    }


def _batches(rows: Iterator[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


# -- writers ---------------------------------------------------------------------------------


def _write(
    path: Path, fmt: str, batches: Iterator[list[dict[str, Any]]], columns: list[str] | None
) -> int:
    tmp = path.with_name(path.name + ".partial")  # a failed export leaves no half file behind
    if fmt == "jsonl":
        n = _write_jsonl(tmp, batches)
    elif fmt == "csv":
        n = _write_csv(tmp, batches, columns)
    else:
        n = _write_parquet(tmp, batches, columns)
    tmp.replace(path)
    return n


def _write_jsonl(path: Path, batches: Iterator[list[dict[str, Any]]]) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for batch in batches:
            fh.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in batch)
            n += len(batch)
    return n


def _write_csv(
    path: Path, batches: Iterator[list[dict[str, Any]]], columns: list[str] | None
) -> int:
    n = 0
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer: csv.DictWriter[str] | None = None
        for batch in batches:
            if writer is None:
                writer = csv.DictWriter(fh, columns or list(batch[0]), extrasaction="ignore")
                writer.writeheader()
            for row in batch:
                writer.writerow({k: json.dumps(v) if isinstance(v, list) else v
                                 for k, v in row.items()})  # fmt: skip
            n += len(batch)
        if writer is None and columns:
            csv.DictWriter(fh, columns).writeheader()
    return n


def _write_parquet(
    path: Path, batches: Iterator[list[dict[str, Any]]], columns: list[str] | None
) -> int:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - an install without the extra
        raise NewsprismError(
            "Parquet export needs pyarrow", hint="pip install 'newsprism[scale]'"
        ) from err
    writer: Any = None
    schema: Any = None
    n = 0
    try:
        for batch in batches:
            if schema is None:
                schema = _schema(pa, columns or list(batch[0]), typed=columns is not None)
                writer = pq.ParquetWriter(str(path), schema)
            rows = [{c: _cell(c, row.get(c), columns) for c in schema.names} for row in batch]
            writer.write_table(pa.Table.from_pylist(rows, schema=schema))
            n += len(batch)
        if writer is None:  # an empty table still gets a file, with its columns
            schema = _schema(pa, columns or [], typed=columns is not None)
            pq.write_table(pa.Table.from_pylist([], schema=schema), str(path))
    finally:
        if writer is not None:
            writer.close()
    return n


def _schema(pa: Any, columns: list[str], *, typed: bool) -> Any:
    def kind(name: str) -> Any:
        if not typed:
            return pa.string()
        if name in _INT_COLUMNS:
            return pa.int64()
        if name in _LIST_COLUMNS:
            return pa.list_(pa.string())
        return pa.string()

    return pa.schema([(c, kind(c)) for c in columns])


def _cell(column: str, value: Any, typed: list[str] | None) -> Any:
    # Columns of free-form tables (quotes, claims) are all text, so a later batch with another
    # value type cannot break the file's schema.
    if typed is None and value is not None and not isinstance(value, str):
        return json.dumps(value)
    return value


__all__ = ["DEFAULT_TABLES", "FORMATS", "TABLES", "export_tables"]
