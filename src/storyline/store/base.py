"""The Store protocol: everything the rest of storyline asks of a backend; and the row conversions
every SQL backend shares (an article to and from its row, a story from its row)."""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from typing import Any, Protocol

from ..model import Article


class Store(Protocol):
    path: str

    def add_articles(self, articles: Iterable[Article]) -> list[str]:
        """Store articles in one atomic batch; a status per article: new, unchanged or updated."""

    def get_article(self, article_id: str) -> Article: ...

    def list_articles(self, search: str | None = None, source: str | None = None,
                      limit: int | None = 50, offset: int = 0) -> list[Article]: ...

    def count_articles(self, search: str | None = None, source: str | None = None) -> int: ...

    def stories_of(self, article_ids: list[str]) -> dict[str, str]: ...

    def iter_articles(self, after_seq: int = 0) -> Iterator[tuple[int, Article]]: ...

    def sources(self) -> list[tuple[str, int]]: ...

    def last_seq(self) -> int: ...

    def outlets_in_order(self) -> list[str | None]: ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def cluster_lock(self) -> AbstractContextManager[None]:
        """Held while a story engine assigns: one clusterer at a time, across processes."""

    # stories (written by the story engine)
    def save_assignments(self, rows: Iterable[dict[str, Any]], stories: Iterable[dict[str, Any]],
                         merged: dict[str, str], moved: dict[str, str] | None = None,
                         archive: dict[str, dict[str, Any] | None] | None = None) -> None:
        """One transaction: new assignments, merged stories (old id -> kept id), articles a split
        moved (article id -> new story id), the touched stories' rows (a row's `continues`, when
        given, is kept once set), and the changes of the archive of evicted stories (story id ->
        its record, or None: dropped)."""

    def story_archive(self) -> list[dict[str, Any]]:
        """The archive's records, least recently evicted first."""
        ...

    def story_links(self) -> dict[str, str]:
        """Story id -> the earlier story it continues, for every story that does."""
        ...

    def assigned_articles(self, story_id: str | None = None) -> list[tuple[int, Article, str, str | None, int]]: ...

    def merged_stories(self) -> dict[str, str]: ...

    def stories_between(self, start: str, end: str) -> list[str]: ...

    def list_stories(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                     limit: int | None = 50, offset: int = 0) -> list[dict[str, Any]]: ...

    def get_story(self, story_id: str, members: bool = True) -> dict[str, Any]: ...

    def story_of(self, article_id: str) -> str | None: ...

    def outlet_counts(self, story_ids: list[str]) -> dict[str, list[dict[str, Any]]]: ...

    def languages_of(self, story_ids: list[str]) -> dict[str, dict[str, int]]: ...

    def story_version(self, story_id: str) -> tuple[str, int]: ...

    def count_stories(self, search: str | None = None, min_sources: int = 1) -> int: ...

    def story_page(self, search: str | None = None, min_sources: int = 1, sort: str = "latest",
                   limit: int = 50, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
        """`list_stories` and `count_stories` at once: a search is evaluated once, not twice."""
        ...

    def has_article(self, article_id: str) -> bool: ...

    def copies_of(self, article_id: str) -> list[str]: ...

    def assignment(self, article_id: str) -> dict[str, Any] | None: ...

    # HTTP validators of watched feeds and fetched pages
    def http_validators(self, url: str) -> tuple[str | None, str | None]: ...

    def save_http(self, url: str, etag: str | None, last_modified: str | None, status: int | None,
                  error: str | None, checked_at: str) -> None: ...

    def unassigned_order(self) -> list[tuple[int, str | None]]:
        """(seq, published_at) of every article without a story, by seq: enough to order them."""
        ...

    def last_step(self) -> int:
        """The processing step of the latest assignment (0 when none): tells an engine kept in memory
        whether another writer assigned articles since it last did."""
        ...

    def articles_by_seq(self, seqs: list[int]) -> dict[int, Article]:
        """The articles with these sequence numbers."""
        ...

    def export_articles(self) -> Iterator[dict[str, Any]]:
        """Every article as a flat row with its story, the original it copies and its wire credit."""
        ...

    def close(self) -> None: ...


def one_by_id(kind: str, key: str, row: Any, by_prefix: Any) -> Any:
    """The row of an exact id, else of the one id that starts with `key` (`by_prefix()` lists
    them); several are refused with the list (AmbiguousId), none is NotFound."""
    from ..errors import AmbiguousId, NotFound

    if row is not None:
        return row
    rows = by_prefix()
    if len(rows) > 1:
        raise AmbiguousId(kind, key, [r["id"] for r in rows])
    if not rows:
        raise NotFound(f"no {kind} {key!r}")
    return rows[0]


def export_row(a: Article, r: Any) -> dict[str, Any]:
    """An article as a flat export row, with its assignment's columns from row `r`."""
    return {"id": a.id, "seq": r["seq"], "story_id": r["story_id"], "duplicate_of": r["duplicate_of"],
            "wire": r["wire"], "source": a.source, "url": a.url, "title": a.title,
            "published_at": a.published_at, "language": a.language, "authors": list(a.authors), "text": a.text}


def article_row(a: Article) -> tuple[Any, ...]:
    """An article as the columns of its row (the lists as JSON, the body's paragraphs joined)."""
    return (a.id, a.url, a.source, a.title, a.standfirst, json.dumps(a.keywords), json.dumps(a.captions),
            json.dumps(a.authors), a.published_at, a.language, "\n\n".join(a.body), a.origin)


def _list(text: str) -> list[str]:
    return [] if text == "[]" else json.loads(text)  # most articles have no keywords, captions, authors


def article_from_row(r: Any) -> Article:
    """An article back from its row (any mapping of column names: sqlite3.Row, a psycopg dict row)."""
    return Article(id=r["id"], url=r["url"], source=r["source"], title=r["title"], standfirst=r["standfirst"],
                   keywords=_list(r["keywords"]), captions=_list(r["captions"]),
                   authors=_list(r["authors"]), published_at=r["published_at"], language=r["language"],
                   body=r["body"].split("\n\n") if r["body"] else [], origin=r["origin"])


def story_from_row(r: Any) -> dict[str, Any]:
    """A story's row as a dict, its outlets decoded."""
    d = dict(r)
    d["outlets"] = json.loads(d["outlets"])
    return d
