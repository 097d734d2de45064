"""Storage: SQLite by default (WAL, migrations, one writer); PostgreSQL by URL."""

from __future__ import annotations

from pathlib import Path

from newsprism.store.sqlite import AddResult, Store, default_db_path


def open_store(db: str | Path | None = None) -> Store:
    """The store named by ``db``: a ``postgresql://`` URL, or a SQLite file (None: the default).

    Both kinds have the same methods; the PostgreSQL one is a :class:`Store` subclass.
    """
    from newsprism.store.postgres import PostgresStore, is_postgres_url

    if is_postgres_url(db):
        return PostgresStore(str(db))
    return Store(db)


__all__ = ["AddResult", "Store", "default_db_path", "open_store"]
