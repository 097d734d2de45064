"""The ingest job: read every source, clean each article, store it, and count what happened."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from newsprism.errors import NewsprismError, StoreError
from newsprism.ingest.build import to_article
from newsprism.ingest.fetch import Fetcher, FetchLimits
from newsprism.ingest.items import (
    AlreadyStored,
    KnownUrl,
    ReadFailure,
    ReadItem,
    Skipped,
    isolated,
    unexpected,
)
from newsprism.ingest.readers import read_path, read_url
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
    follow_links: bool = False,
) -> Iterator[ReadItem]:
    """Every raw article (or failure) from files, directories and URLs, in order.

    Each source is read on its own: an unexpected error in one is its failure, not the end.
    """
    own_fetcher = fetcher is None
    fetcher = fetcher or Fetcher(FetchLimits())
    try:
        for source in sources:
            if isinstance(source, str) and is_url(source):
                items = read_url(
                    source, fetcher=fetcher, fetch_links=fetch_links, known_url=known_url
                )
            else:
                items = read_path(
                    Path(source),
                    fetcher=fetcher,
                    fetch_links=fetch_links,
                    title_in_text=title_in_text,
                    known_url=known_url,
                    exclude=exclude,
                    follow_links=follow_links,
                )
            yield from isolated(items, str(source))
    finally:
        if own_fetcher:
            fetcher.close()


def clean_sources(
    sources: Iterable[str | Path], report: IngestReport, **options: object
) -> Iterator[Article]:
    """Cleaned articles from the sources; failures and warnings go into ``report``."""
    for item in read_sources(sources, **options):  # type: ignore[arg-type]
        if isinstance(item, Skipped):
            report.warnings.append(item.message)
            continue
        if isinstance(item, ReadFailure):
            report.failures.append(item)
            continue
        if isinstance(item, AlreadyStored):
            report.duplicates.append((item.where, item.article_id))
            continue
        try:
            article = to_article(item, report.warnings)
        except NewsprismError as err:
            report.failures.append(ReadFailure(where=err.where or item.source, message=str(err)))
            continue
        except Exception as err:  # one article's surprise is its failure, not the run's end
            report.failures.append(unexpected(item.source, err))
            continue
        yield article


def ingest(
    sources: str | Path | Iterable[str | Path],
    store: Store | str | Path | None = None,
    *,
    fetch_links: bool = True,
    title_in_text: bool = True,
    fetcher: Fetcher | None = None,
    on_article: Callable[[str], None] | None = None,
    follow_links: bool = False,
) -> IngestReport:
    """Read, clean and store articles from files, directories, feeds, URLs and archives.

    A broken source or record is reported in the returned report and the rest is ingested.
    ``store`` is a Store, a database path, or None for the default database.
    ``on_article`` is called with each source name as it is processed (for progress bars).
    In folders, symbolic links pointing out of the folder are skipped unless ``follow_links``.
    Each article is stored and queued for its story in one transaction (see
    :func:`assign_pending`).
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
                follow_links=follow_links,
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
        follow_links=follow_links,
    ):
        try:
            result = store.add(article)
        except StoreError:
            raise  # the database itself failed: no later article could be stored either
        except Exception as err:  # a value the database refuses fails this article alone
            report.failures.append(unexpected(article.source, err))
            continue
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


def assign_pending(store: Store | str | Path | None = None) -> list[str]:
    """Put every stored article still waiting for a story into one; returns their ids.

    An article is queued for its story in the transaction that stores it, so a run killed
    between storing and grouping leaves it queued; ``ingest`` and ``serve`` call this first.
    """
    if not isinstance(store, Store):
        from newsprism.store import open_store

        with open_store(store) as own_store:
            return assign_pending(own_store)
    pending = store.pending_stories()
    if pending:
        from newsprism.stories import assign_stories

        assign_stories(store, pending)
    return pending
