"""Storage behind a small interface; SQLite is the embedded default."""
from __future__ import annotations

from .base import Store
from .sqlite import SQLiteStore, default_path


def open_store(path: str | None = None, **kwargs: object) -> SQLiteStore:
    """The default store at `path`, `$STORYLINE_DB`, or ./storyline.db."""
    return SQLiteStore(path, **kwargs)  # type: ignore[arg-type]


__all__ = ["Store", "SQLiteStore", "open_store", "default_path"]
