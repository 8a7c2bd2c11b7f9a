"""Storage behind a small interface; SQLite is the embedded default, PostgreSQL the shared one."""
from __future__ import annotations

from typing import Any

from .base import Store
from .sqlite import SQLiteStore, default_path


def open_store(path: str | None = None, **kwargs: object) -> Any:
    """The store at `path` or `$STORYLINE_DB` (default ./storyline.db): a SQLite file, or a
    PostgreSQL database when it is a `postgresql://` URL."""
    from .postgres import PostgresStore, is_postgres_url

    path = path or default_path()
    if is_postgres_url(path):
        return PostgresStore(path, **kwargs)
    return SQLiteStore(path, **kwargs)  # type: ignore[arg-type]


__all__ = ["Store", "SQLiteStore", "open_store", "default_path"]
