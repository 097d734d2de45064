"""A real SQLite store holding an article in three versions (the same URL, changed text)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from newsprism.model import Article
from newsprism.store import open_store

URL = "https://gazette.example/dam-talks"
TITLES = ["Dam talks end without deal", "Dam talks collapse without deal",
          "Dam talks collapse without deal"]  # fmt: skip
TEXTS = [
    "Officials met on Monday to discuss the Sevrana dam.\n\n"
    "The talks lasted four hours and ended without agreement on funding, officials said.\n\n"
    "The minister said repairs would start in May.",
    "Officials met on Monday to discuss the Sevrana dam.\n\n"
    "The talks lasted five hours and ended without agreement on funding, officials said.\n\n"
    "The minister said repairs would start in June.",
    "Officials met on Monday to discuss the Sevrana dam.\n\n"
    "The talks lasted five hours and ended without agreement on funding, officials said.\n\n"
    "The minister said repairs would start in June.\n\n"
    "A second round of talks is planned for next week.",
]
PUBLISHED = datetime.fromisoformat("2024-03-01T10:00:00+00:00")


def version(n: int, **fields: object) -> Article:
    """Version ``n`` (1-based) of the article, as an ingest would build it."""
    data: dict[str, object] = {
        "id": "gazette-dam",
        "title": TITLES[n - 1],
        "text": TEXTS[n - 1],
        "source": "test",
        "kind": "jsonl",
        "url": URL,
        "outlet": "Gazette",
        "date": PUBLISHED,
    }
    data.update(fields)
    return Article(**data)  # type: ignore[arg-type]


def store_with_versions(db: Path | str, count: int = 3) -> list[str]:
    """Store the first ``count`` versions (and another article of the same story); their ids.
    ``db`` is a SQLite file or a PostgreSQL URL."""
    with open_store(db) as store:
        ids = [store.add(version(n)).article_id for n in range(1, count + 1)]
        store.add(
            Article(
                id="herald-dam",
                title="No deal on Sevrana dam",
                text="Talks on the Sevrana dam ended without a deal on Monday. Officials said "
                "funding remained the sticking point. Repairs are due to begin in June.",
                source="test",
                kind="jsonl",
                url="https://herald.example/dam",
                outlet="Herald",
                date=PUBLISHED,
            )
        )
    return ids
