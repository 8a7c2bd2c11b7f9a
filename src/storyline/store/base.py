"""The Store protocol: everything the rest of storyline asks of a backend."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Protocol

from ..model import Article


class Store(Protocol):
    path: str

    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """Store articles in one atomic batch; a status per article: new, unchanged or updated."""

    def get_article(self, article_id: str) -> Article: ...

    def list_articles(self, search: str | None = None, source: str | None = None,
                      limit: int | None = 50, offset: int = 0) -> list[Article]: ...

    def count_articles(self) -> int: ...

    def iter_articles(self, after_seq: int = 0) -> Iterator[tuple[int, Article]]: ...

    def sources(self) -> list[tuple[str, int]]: ...

    # stories (written by the story engine)
    def save_assignments(self, rows: Iterable[dict[str, Any]], stories: Iterable[dict[str, Any]],
                         merged: dict[str, str]) -> None: ...

    def unassigned_articles(self) -> list[tuple[int, Article]]: ...

    def assigned_articles(self) -> list[tuple[int, Article, str, str | None]]: ...

    def list_stories(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                     limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]: ...

    def get_story(self, story_id: str) -> dict[str, Any]: ...

    def story_of(self, article_id: str) -> str | None: ...

    def close(self) -> None: ...
