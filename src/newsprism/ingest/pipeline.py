"""The ingest job: read every source, clean each article, store it, and count what happened."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.errors import NewsprismError
from newsprism.ingest.build import to_article
from newsprism.ingest.fetch import Fetcher, FetchLimits
from newsprism.ingest.readers import (
    AlreadyStored,
    KnownUrl,
    ReadFailure,
    ReadItem,
    read_path,
    read_url,
)
from newsprism.model import Article
from newsprism.store import Store


@dataclass
class IngestReport:
    """Counts and messages for one ingest run; ``failures`` name the source and the cause."""

    ingested: list[str] = field(default_factory=list)
    versions: list[str] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (source, duplicate of)
    failures: list[ReadFailure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        parts = [f"ingested {len(self.ingested)}"]
        if self.versions:
            parts.append(f"new versions {len(self.versions)}")
        parts.append(f"duplicates skipped {len(self.duplicates)}")
        parts.append(f"failed {len(self.failures)}")
        return ", ".join(parts)


def is_url(source: str) -> bool:
    return source.lower().startswith(("http://", "https://"))


def read_sources(
    sources: Iterable[str | Path],
    *,
    fetcher: Fetcher | None = None,
    fetch_links: bool = True,
    title_in_text: bool = True,
    known_url: KnownUrl | None = None,
    exclude: frozenset[Path] = frozenset(),
) -> Iterator[ReadItem]:
    """Every raw article (or failure) from files, directories and URLs, in order."""
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(FetchLimits())
    try:
        for source in sources:
            if isinstance(source, str) and is_url(source):
                yield from read_url(
                    source, fetcher=fetcher, fetch_links=fetch_links, known_url=known_url
                )
            else:
                yield from read_path(
                    Path(source),
                    fetcher=fetcher,
                    fetch_links=fetch_links,
                    title_in_text=title_in_text,
                    known_url=known_url,
                    exclude=exclude,
                )
    finally:
        if own_fetcher:
            fetcher.close()


def clean_sources(
    sources: Iterable[str | Path], report: IngestReport, **options: object
) -> Iterator[Article]:
    """Cleaned articles from the sources; failures and warnings go into ``report``."""
    for item in read_sources(sources, **options):  # type: ignore[arg-type]
        if isinstance(item, ReadFailure):
            report.failures.append(item)
            continue
        if isinstance(item, AlreadyStored):
            report.duplicates.append((item.where, item.article_id))
            continue
        try:
            yield to_article(item, report.warnings)
        except NewsprismError as err:
            report.failures.append(ReadFailure(where=err.where or item.source, message=str(err)))


def ingest(
    sources: str | Path | Iterable[str | Path],
    store: Store | str | Path | None = None,
    *,
    fetch_links: bool = True,
    title_in_text: bool = True,
    fetcher: Fetcher | None = None,
    on_article: Callable[[str], None] | None = None,
) -> IngestReport:
    """Read, clean and store articles from files, directories, feeds, URLs and archives.

    A broken source or record is reported in the returned report and the rest is ingested.
    ``store`` is a Store, a database path, or None for the default database.
    ``on_article`` is called with each source name as it is processed (for progress bars).
    """
    if isinstance(sources, str | Path):
        sources = [sources]
    if not isinstance(store, Store):
        with Store(store) as own_store:
            return ingest(
                sources,
                own_store,
                fetch_links=fetch_links,
                title_in_text=title_in_text,
                fetcher=fetcher,
                on_article=on_article,
            )
    report = IngestReport()
    for article in clean_sources(
        sources,
        report,
        fetcher=fetcher,
        fetch_links=fetch_links,
        title_in_text=title_in_text,
        known_url=store.id_for_url,
        exclude=store.own_files(),
    ):
        result = store.add(article)
        if result.status == "duplicate":
            report.duplicates.append((article.source, result.duplicate_of or ""))
        elif result.status == "version":
            report.versions.append(result.article_id)
            report.ingested.append(result.article_id)
        else:
            report.ingested.append(result.article_id)
        if on_article:
            on_article(article.source)
    return report
