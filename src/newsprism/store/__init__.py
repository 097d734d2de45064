"""Storage: SQLite by default (WAL, migrations, one writer)."""

from newsprism.store.sqlite import AddResult, Store, default_db_path

__all__ = ["AddResult", "Store", "default_db_path"]
